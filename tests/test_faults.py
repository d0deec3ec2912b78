"""Faults: a kill in the middle of an update, refused writes, and readers during writes."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from tests.conftest import (
    GIT_ENV,
    REPO,
    TWENTY_UNITS,
    git,
    saved_while_loading,
    snapshot,
    write_ledger,
)


def cli(args: list[str], cwd, **kw) -> subprocess.Popen:
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "gongkai_cli", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def _until_its_git_is_done(group: int) -> None:
    """A kill of the command does not reach the git it started: that git finishes its
    commit (or fails) on its own. The next run starts once it has, as in the kill test of
    test_safe_commits; a run racing a git still at work is not what is tested here."""
    while True:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


def test_a_kill_mid_update_leaves_the_log_as_before_or_with_the_whole_line(ledger):
    """Each killed run leaves the log as it was, or with its one whole line. A line a killed
    run wrote but never committed may be taken back by the next run (its journal says so):
    then that run starts from the committed log."""
    log = ledger / "data" / "progress.yaml"
    rng = random.Random(8)
    for attempt in range(12):
        before = log.read_bytes()
        committed = subprocess.run(
            ["git", "show", "HEAD:data/progress.yaml"], cwd=ledger, check=True, capture_output=True
        ).stdout
        assert before.startswith(committed)  # nothing committed is ever lost
        proc = cli(
            [
                "update",
                "7",
                "-u",
                "县财政局",
                "-s",
                "done",
                "--date",
                "2021-06-20",
                "-n",
                f"第{attempt}次",
            ],
            ledger,
            start_new_session=True,  # its git in its process group
        )
        time.sleep(rng.uniform(0.05, 0.6))  # somewhere in start-up, the write or the commit
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _until_its_git_is_done(proc.pid)
        after = log.read_bytes()
        start = before if after.startswith(before) else committed
        assert after.startswith(start)
        added = after[len(start) :]
        assert added == b"" or (added.count(b"\n") == 1 and f"第{attempt}次".encode() in added)
        yaml.safe_load(after.decode("utf-8"))  # always a valid log
        (ledger / ".git" / "index.lock").unlink(missing_ok=True)  # a killed git leaves its lock

    # The next run, left alone, settles what the killed ones left: the log is what HEAD holds.
    proc = cli(["update", "8", "-u", "县财政局", "-s", "doing", "--date", "2021-06-21"], ledger)
    assert proc.wait() == 0, proc.stderr.read()
    head = subprocess.run(
        ["git", "show", "HEAD:data/progress.yaml"], cwd=ledger, check=True, capture_output=True
    ).stdout
    assert log.read_bytes() == head


def test_a_writer_killed_after_git_staged_its_line_is_settled_by_the_next_run(ledger):
    """The narrow window of a kill inside `git commit --only`: the line is in the file and in
    the index, the journal is there, HEAD has not moved. The next update takes the line back
    out of both and records its own."""
    import hashlib
    import json

    log = ledger / "data" / "progress.yaml"
    before = log.read_bytes()
    head = git(ledger, "rev-parse", "HEAD").strip()
    entry = {"size": len(before), "sha256": hashlib.sha256(before).hexdigest(), "head": head}
    git_dir = ledger / git(ledger, "rev-parse", "--git-common-dir").strip()
    (git_dir / "gongkai-journal").write_text(json.dumps(entry), encoding="utf-8")
    log.write_bytes(
        before + "- {date: 2021-06-20, task: 7, unit: 县财政局, status: 已完成}\n".encode()
    )
    git(ledger, "add", "data/progress.yaml")

    proc = cli(["update", "8", "-u", "县财政局", "-s", "doing", "--date", "2021-06-21"], ledger)
    assert proc.wait() == 0, proc.stderr.read()
    assert "它写入但未提交的 1 行已撤回" in proc.stderr.read()
    committed = git(ledger, "show", "HEAD:data/progress.yaml")
    assert log.read_text(encoding="utf-8") == committed
    assert committed.startswith(before.decode("utf-8"))
    assert "task: 7" not in committed[len(before.decode("utf-8")) :]
    assert git(ledger, "diff", "--cached", "--name-only") == ""


@pytest.mark.parametrize("way", ["appended in place", "written anew"])
def test_a_log_that_cannot_be_written_changes_nothing(gongkai, ledger, monkeypatch, way):
    """The new line is added at the log's end when it falls within one page of the file,
    else the whole log is written anew beside it: refused either way, nothing changes."""
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    if way == "written anew":  # the log ends just before a page boundary: the line crosses it
        log.write_bytes(log.read_bytes() + b"#" * (4096 - log.stat().st_size % 4096 - 20) + b"\n")
        git(ledger, "commit", "-qm", "补齐一页", "--", "data/progress.yaml")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    real_open = os.open

    def refuse_writing_the_log(path, flags, *args, **kwargs):
        if str(path) == str(log) and flags & os.O_WRONLY:
            refuse()
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr("gongkai_cli.record.atomic.tempfile.mkstemp", refuse)
    if way == "appended in place":
        monkeypatch.setattr("gongkai_cli.record.append.os.open", refuse_writing_the_log)
    before = snapshot(ledger)
    result = gongkai("update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20")
    assert (result.exit_code, result.stdout) == (1, "")
    assert (
        result.stderr
        == f"错误：无法写入 {ledger / 'data' / 'progress.yaml'}（没有写权限），未写入任何内容。\n"
    )
    assert snapshot(ledger) == before


def test_a_log_only_its_folder_lets_this_user_write_is_written_anew(gongkai, ledger, monkeypatch):
    """A ledger folder shared by a group: the log was written by another clerk (0644, not
    this user's), the folder is the group's. The line cannot be added in place, but a new
    log renamed over the old one can be written, as every update did before the in-place
    append: the update is recorded, not refused."""
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    real_open = os.open

    def not_this_users_file(path, flags, *args, **kwargs):
        if str(path) == str(log) and flags & os.O_WRONLY:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr("gongkai_cli.record.append.os.open", not_this_users_file)
    before, inode = log.read_bytes(), log.stat().st_ino
    result = gongkai("update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20")
    assert result.exit_code == 0, result.stderr
    assert log.read_bytes().startswith(before) and log.stat().st_ino != inode
    assert git(ledger, "show", "HEAD:data/progress.yaml").encode() == log.read_bytes()


@pytest.mark.parametrize(("end", "in_place"), [(0, True), (3000, True), (-16, False)])
def test_the_line_is_written_in_place_only_where_it_falls_within_one_page(ledger, end, in_place):
    """One write within a page is added whole or not at all (for a reader and for a kill);
    a line that would span two pages goes into a new file renamed over the log instead.
    `end`: where in its last page the log ends (from the page's end if negative)."""
    from gongkai_cli.record.append import PAGE

    end %= PAGE
    log = ledger / "data" / "progress.yaml"
    pad = (end - log.stat().st_size - 1) % PAGE
    log.write_bytes(log.read_bytes() + b"#" * pad + b"\n")
    git(ledger, "commit", "-qm", "补齐", "--", "data/progress.yaml")
    before, inode = log.read_bytes(), log.stat().st_ino
    assert len(before) % PAGE == end
    proc = cli(["update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20"], ledger)
    assert proc.wait() == 0, proc.stderr.read()
    after = log.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    assert (end + len(after) - len(before) <= PAGE) == in_place
    assert (log.stat().st_ino == inode) == in_place


def test_a_copy_hard_linked_to_the_log_keeps_its_bytes(gongkai, ledger, monkeypatch):
    """A snapshot taken with hard links (`cp -al`, `ln`) shares the log's inode: a line
    written in place would appear in the snapshot too. Such a log is written anew, as it
    always was, and the snapshot keeps what it held."""
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    snapshot_copy = ledger.parent / "备份-progress.yaml"
    os.link(log, snapshot_copy)
    before = log.read_bytes()
    result = gongkai("update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20")
    assert result.exit_code == 0, result.stderr
    assert snapshot_copy.read_bytes() == before
    assert log.read_bytes().startswith(before) and log.read_bytes() != before


@pytest.mark.parametrize(
    ("fits", "code", "reason"),
    [
        (None, errno.EIO, "Input/output error"),
        (5, errno.ENOSPC, "No space left on device"),
        (5, errno.EFBIG, "File too large"),
    ],
)
def test_an_append_that_fails_says_why_and_leaves_the_log_as_it_was(
    gongkai, ledger, monkeypatch, fits, code, reason
):
    """A write that fails at once, or, as the kernel does at a full disk or the file size
    limit (ulimit -f), writes what `fits` and returns its count, the next write failing
    with the reason: the message gives that reason, and the log is as it was."""
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    real_write = os.write
    writes = []

    def failing(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}") != str(log):
            return real_write(fd, data)
        writes.append(data)
        if fits is None or len(writes) > 1:
            raise OSError(code, reason)
        return real_write(fd, data[:fits])

    monkeypatch.setattr("gongkai_cli.record.append.os.write", failing)
    before = snapshot(ledger)
    result = gongkai("update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20")
    assert (result.exit_code, result.stderr) == (
        1,
        f"错误：无法写入 {log}：{reason}，未写入任何内容。\n",
    )
    assert snapshot(ledger) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not bind root")
def test_a_read_only_data_directory_gives_a_clear_message(gongkai, tmp_path, monkeypatch):
    data = write_ledger(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = (data / "progress.yaml").read_bytes()
    data.chmod(0o555)
    try:
        result = gongkai("update", "1", "-u", "县财政局", "-s", "done", "--date", "2021-06-20")
    finally:
        data.chmod(0o755)
    assert result.exit_code == 1
    assert "没有写权限" in result.stderr
    assert (data / "progress.yaml").read_bytes() == before


def test_readers_during_parallel_writes_never_see_a_half_written_log(ledger):
    stop = time.monotonic() + 60
    failures: list[str] = []

    def read_until_done(done):
        reads = 0
        while not done() and time.monotonic() < stop:
            proc = cli(["validate"], ledger)
            _, err = proc.communicate()
            reads += 1
            if proc.returncode != 0:
                failures.append(err)
        return reads

    def write(unit):
        proc = cli(["update", "7", "-u", unit, "-s", "done", "--date", "2021-06-20"], ledger)
        return proc.communicate(), proc.returncode

    with ThreadPoolExecutor(max_workers=24) as pool:
        writers = [pool.submit(write, u) for u in TWENTY_UNITS]
        readers = [
            pool.submit(read_until_done, lambda: all(w.done() for w in writers)) for _ in range(3)
        ]
        results = [w.result() for w in writers]
        reads = sum(r.result() for r in readers)
    assert [code for _, code in results] == [0] * 20
    assert failures == []
    assert reads >= 3
    assert (
        len(yaml.safe_load((ledger / "data" / "progress.yaml").read_text(encoding="utf-8"))) == 20
    )
    assert git(ledger, "rev-list", "--count", "HEAD").strip() == "21"


@pytest.mark.parametrize("edit", ["same size", "longer"])
def test_a_hand_edit_while_update_loads_the_ledger_is_kept_and_nothing_is_written(
    gongkai, ledger, monkeypatch, edit
):
    """update reads the log first, then loads the ledger (seconds on a long, uncached log),
    then appends. An editor saving the log in between must neither lose its edit (the old
    bytes written anew over it) nor get the line appended onto bytes that were never read:
    the update is refused, and the log is exactly what the editor saved."""
    import gongkai_cli.record.recording as recording

    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    assert (
        gongkai("update", "7", "-u", "县财政局", "-s", "doing", "--date", "2021-06-01").exit_code
        == 0
    )
    saved = log.read_bytes().replace("进行中".encode(), "已完成".encode())
    if edit == "longer":
        saved += "# 手工补记\n".encode()
    saved_while_loading(monkeypatch, recording, log, saved)
    head = git(ledger, "rev-parse", "HEAD")
    result = gongkai("update", "8", "-u", "县财政局", "-s", "doing", "--date", "2021-06-21")
    assert (result.exit_code, result.stdout) == (1, "")
    assert "在读取之后被改动" in result.stderr
    assert log.read_bytes() == saved
    assert git(ledger, "rev-parse", "HEAD") == head


def test_a_file_system_whose_open_files_report_another_device_still_takes_updates(
    gongkai, ledger, monkeypatch
):
    """Overlay file systems of older kernels (CentOS 7's, under Docker) report a file
    opened for reading with the device and inode of the layer beneath, while a stat of
    its path reports the overlay's. The log as read is compared with its path as it is
    now like for like, so such a log is not taken for one saved by hand meanwhile."""
    monkeypatch.chdir(ledger)
    real_fstat = os.fstat

    class LowerLayer:
        def __init__(self, info):
            self.info, self.st_ino, self.st_dev = info, info.st_ino + 7, info.st_dev + 1

        def __getattr__(self, name):
            return getattr(self.info, name)

    def lower_layer(fd):
        return LowerLayer(real_fstat(fd))

    monkeypatch.setattr(os, "fstat", lower_layer)
    result = gongkai("update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20")
    assert result.exit_code == 0, result.stderr

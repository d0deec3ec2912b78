"""A commit holds exactly the lines the command appended, or nothing is written at all."""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import hashlib
import json
import os
import random
import re
import signal
import stat
import subprocess
import threading
import time

import pytest

from gongkai_cli.errors import GitFailed, GongkaiError
from gongkai_cli.ledger.datadir import DataDir
from gongkai_cli.model.statuses import parse_status
from gongkai_cli.record import git as gitrepo
from gongkai_cli.record.recording import Request, record, undo
from tests.conftest import GIT_ENV, git, snapshot, write_ledger

UPDATE = ("update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20")


def head_log(repo, rev: str = "HEAD") -> bytes:
    return subprocess.run(
        ["git", "show", f"{rev}:data/progress.yaml"], cwd=repo, capture_output=True, check=True
    ).stdout


def test_a_hand_edit_is_never_committed_under_an_update(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    log.write_text(log.read_text(encoding="utf-8") + "# 手工加的一行\n", encoding="utf-8")
    before = snapshot(ledger)
    result = gongkai(*UPDATE)
    assert result.exit_code == 1
    assert result.stderr == (
        "错误：data/progress.yaml 有尚未提交的改动（比最近一次提交多 1 行、少 0 行，或有已暂存的改动）；"
        "为免把它们混入本次提交，未写入。请先提交（git commit data/progress.yaml）或放弃"
        "（git checkout HEAD -- data/progress.yaml）这些改动，或加 --no-commit 只记录不提交。\n"
    )
    assert snapshot(ledger) == before
    git(ledger, "add", "data/progress.yaml")  # staged: refused as well
    assert gongkai(*UPDATE).exit_code == 1
    assert gongkai(*UPDATE, "--no-commit").exit_code == 0  # recording alone is fine


def test_a_log_made_executable_is_never_committed_under_an_update(gongkai, ledger, monkeypatch):
    """Its bytes are as committed, but a commit of it would carry the new mode."""
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    log.chmod(0o755)
    before = snapshot(ledger)
    result = gongkai(*UPDATE)
    assert result.exit_code == 1
    assert "data/progress.yaml 有尚未提交的改动" in result.stderr
    assert snapshot(ledger) == before


def test_git_is_asked_whether_the_log_is_committed_only_when_its_bytes_do_not_say(
    gongkai, ledger, monkeypatch, tmp_path
):
    """Right after a commit git's index cannot vouch for a log changed in the same second,
    and `git status` would read and hash it all again: the bytes the writer reads anyway
    are compared with the blob HEAD and the index record instead. Where they differ (here
    a hand edit), git is asked, and says why the update is refused."""
    monkeypatch.chdir(ledger)
    trace = tmp_path / "trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))

    def asked() -> list[str]:
        commands = re.findall(r"trace: built-in: git (\S+)", trace.read_text(encoding="utf-8"))
        trace.unlink()
        return commands

    assert gongkai(*UPDATE).exit_code == 0
    assert "status" not in asked()
    assert (
        gongkai("update", "8", "-u", "县财政局", "-s", "done", "--date", "2021-06-21").exit_code
        == 0
    )
    assert "status" not in asked()
    log = ledger / "data" / "progress.yaml"
    log.write_bytes(log.read_bytes() + "# 手工加的一行\n".encode())
    assert gongkai(*UPDATE).exit_code == 1
    assert "status" in asked()


def test_with_nothing_else_staged_the_log_is_committed_with_include(
    gongkai, ledger, monkeypatch, tmp_path
):
    """--include hashes the log once, --only twice; both commit the index as HEAD holds it
    with the log's new content, so the commit is the same (tests/test_update_bytes.py).
    With other work staged only --only leaves it out, and keeps it staged."""
    monkeypatch.chdir(ledger)
    trace = tmp_path / "trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))

    def commit_mode() -> list[str]:
        found = re.findall(r"trace: built-in: git commit (--\w+)", trace.read_text("utf-8"))
        trace.unlink()
        return found

    assert gongkai(*UPDATE).exit_code == 0
    assert commit_mode() == ["--include"]
    (ledger / "staged.txt").write_text("已暂存\n")
    git(ledger, "add", "staged.txt")
    trace.unlink()
    assert (
        gongkai("update", "8", "-u", "县财政局", "-s", "done", "--date", "2021-06-21").exit_code
        == 0
    )
    assert commit_mode() == ["--only"]
    assert git(ledger, "status", "--porcelain") == "A  staged.txt\n"
    assert git(ledger, "show", "--name-only", "--format=", "HEAD").split() == ["data/progress.yaml"]


def test_a_no_commit_line_is_not_committed_by_the_next_update(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    assert gongkai(*UPDATE, "--no-commit").exit_code == 0
    head = git(ledger, "rev-parse", "HEAD")
    result = gongkai("update", "8", "-u", "县财政局", "-s", "done", "--date", "2021-06-21")
    assert result.exit_code == 1
    assert "有尚未提交的改动（比最近一次提交多 1 行、少 0 行" in result.stderr
    assert git(ledger, "rev-parse", "HEAD") == head
    assert gongkai("undo").exit_code == 1  # undo commits too: refused alike


def test_a_deleted_log_is_not_replaced_by_one_holding_only_the_new_line(
    gongkai, ledger, monkeypatch
):
    monkeypatch.chdir(ledger)
    gongkai(*UPDATE)
    (ledger / "data" / "progress.yaml").unlink()
    head = git(ledger, "rev-parse", "HEAD")
    for args in (UPDATE, (*UPDATE, "--no-commit"), ("undo",)):
        result = gongkai(*args)
        assert result.exit_code == 1
        assert result.stderr == (
            "错误：data/progress.yaml 已被删除，但最近一次提交中有它；为免写出一个抹去全部历史的文件，"
            "未写入。请先恢复它（git checkout HEAD -- data/progress.yaml）。\n"
        )
    assert not (ledger / "data" / "progress.yaml").exists()
    assert git(ledger, "rev-parse", "HEAD") == head


def _conflict(repo) -> None:
    """A branch `side` whose change to other.txt conflicts with main's."""
    (repo / "other.txt").write_text("起\n")
    git(repo, "add", "other.txt")
    git(repo, "commit", "-qm", "起")
    git(repo, "checkout", "-qb", "side")
    (repo / "other.txt").write_text("乙\n")
    git(repo, "commit", "-qam", "乙")
    git(repo, "checkout", "-q", "main")
    (repo / "other.txt").write_text("甲\n")
    git(repo, "commit", "-qam", "甲")


STATES = {
    "rebase": (["checkout", "-q", "side"], ["rebase", "main"], "正在进行的变基（rebase）"),
    "merge": (None, ["merge", "side"], "正在进行的合并（merge）"),
    "cherry-pick": (None, ["cherry-pick", "side"], "正在进行的拣选（cherry-pick）"),
    "revert": (None, ["revert", "--no-edit", "HEAD~1"], "正在进行的还原（revert）"),
    "bisect": (None, ["bisect", "start"], "正在进行的二分查找（bisect）"),
    "detached": (None, ["checkout", "-q", "--detach"], "分离头指针（detached HEAD）状态"),
}


@pytest.mark.parametrize("state", sorted(STATES))
def test_update_and_undo_refuse_during_an_unfinished_git_operation(
    gongkai, ledger, monkeypatch, state
):
    monkeypatch.chdir(ledger)
    gongkai(*UPDATE)
    _conflict(ledger)
    before_args, args, name = STATES[state]
    if state == "revert":  # reverting 起 conflicts with 甲, which changed the same line
        args = ["revert", "--no-edit", "HEAD~1"]
    if before_args:
        git(ledger, *before_args)
    subprocess.run(["git", *args], cwd=ledger, capture_output=True)
    before = snapshot(ledger)
    for command in (UPDATE, ("undo",), (*UPDATE, "--no-commit")):
        result = gongkai(*command)
        assert result.exit_code == 1
        assert result.stderr == (
            f"错误：仓库处于{name}，此时写入的记录可能在该操作结束或中止时丢失；未写入。"
            "请先完成或中止该操作（如 git rebase --continue / --abort），或切回分支。\n"
        )
        assert snapshot(ledger) == before


@pytest.mark.parametrize("staged", [True, False])
def test_a_hook_that_stages_another_file_gets_its_commit_taken_back(
    gongkai, ledger, monkeypatch, staged
):
    """Whether the clerk has other work staged (the commit is made with --only) or not
    (with --include, which hashes the log once: see Repo.commit_paths)."""
    monkeypatch.chdir(ledger)
    if staged:
        (ledger / "staged.txt").write_text("已暂存\n")
        git(ledger, "add", "staged.txt")
    hook = ledger / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 钩子 > hooked.txt\ngit add hooked.txt\n")
    hook.chmod(0o755)
    log_before = (ledger / "data" / "progress.yaml").read_bytes()
    head = git(ledger, "rev-parse", "HEAD")
    result = gongkai(*UPDATE)
    assert result.exit_code == 4  # git failed (ExitStatus.GIT_FAILED)
    assert re.fullmatch(
        "错误：提交 [0-9a-f]{7} 中混入了本次追加以外的内容（hooked.txt，可能是 git 钩子加入的），"
        "已撤回该提交并恢复暂存区；进展记录已恢复原样，未写入。\n",
        result.stderr,
    )
    assert git(ledger, "rev-parse", "HEAD") == head
    assert (ledger / "data" / "progress.yaml").read_bytes() == log_before
    assert git(ledger, "status", "--porcelain") == ("A  staged.txt\n" if staged else "") + (
        "?? hooked.txt\n"
    )


@pytest.mark.parametrize("safecrlf", ["false", "true"])
def test_update_and_undo_work_with_autocrlf_and_keep_crlf_lines(
    gongkai, ledger, monkeypatch, safecrlf
):
    monkeypatch.chdir(ledger)
    git(ledger, "config", "core.autocrlf", "true")
    git(ledger, "config", "core.safecrlf", safecrlf)
    log = ledger / "data" / "progress.yaml"
    log.unlink()
    git(ledger, "checkout", "--", "data/progress.yaml")  # checked out with CRLF
    assert b"\r\n" in log.read_bytes()
    for args in (UPDATE, ("undo",)):
        result = gongkai(*args)
        assert result.exit_code == 0, result.stderr
    content = log.read_bytes()
    assert content.count(b"\n") == content.count(b"\r\n") == 4
    assert b"\r" not in head_log(ledger)  # the repository keeps LF
    assert git(ledger, "status", "--porcelain") == ""
    assert git(ledger, "rev-list", "--count", "HEAD").strip() == "3"


def test_a_read_only_log_is_respected(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    log.chmod(0o444)
    before = snapshot(ledger)
    result = gongkai(*UPDATE)
    assert (result.exit_code, result.stderr) == (
        1,
        "错误：data/progress.yaml 是只读文件（权限 0444），未写入；"
        "确需记录，请先恢复写权限（chmod u+w data/progress.yaml）。\n",
    )
    assert snapshot(ledger) == before
    assert stat.S_IMODE(log.stat().st_mode) == 0o444


def test_without_git_on_the_path_a_ledger_in_git_is_not_written(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    monkeypatch.setenv("PATH", str(ledger / "nowhere"))
    before = (ledger / "data" / "progress.yaml").read_bytes()
    for args in (UPDATE, ("undo",)):
        result = gongkai(*args)
        assert (result.exit_code, result.stderr) == (
            4,  # git failed (ExitStatus.GIT_FAILED)
            "错误：台账在 git 仓库中，但找不到 git 命令（请安装 git，或把它加入 PATH），未写入；"
            "如只想记录、不提交，请加 --no-commit。\n",
        )
    assert (ledger / "data" / "progress.yaml").read_bytes() == before
    assert sorted(p.name for p in (ledger / "data").iterdir()) == [
        "progress.yaml",
        "tasks.yaml",
        "units.yaml",
    ]
    assert gongkai(*UPDATE, "--no-commit").exit_code == 0


def test_a_read_only_git_directory_is_named_as_the_cause(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    git_dir = (ledger / ".git").resolve()
    real_access = os.access
    monkeypatch.setattr(
        "gongkai_cli.record.append.os.access",
        lambda path, mode: (
            False if os.path.realpath(path) == str(git_dir) else real_access(path, mode)
        ),
    )
    before = snapshot(ledger)
    result = gongkai(*UPDATE)
    assert (result.exit_code, result.stderr) == (
        1,
        f"错误：无法写入 git 目录 {git_dir}（没有写权限），未写入任何内容。\n",
    )
    assert snapshot(ledger) == before


DISK_FULL = "error: unable to write new index file: No space left on device"


def _failing_commit(monkeypatch):
    real = gitrepo._git

    def git_without_space(repo, *args, **kw):
        if args[0] == "commit":  # as git reports it when the disk is full
            raise GitFailed(f"git commit 失败：{DISK_FULL}")
        return real(repo, *args, **kw)

    monkeypatch.setattr(gitrepo, "_git", git_without_space)


def test_a_full_disk_during_the_commit_restores_the_log(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    _failing_commit(monkeypatch)
    before = snapshot(ledger)
    result = gongkai(*UPDATE)
    assert (result.exit_code, result.stderr) == (
        4,  # git failed (ExitStatus.GIT_FAILED)
        f"错误：git commit 失败：{DISK_FULL}；进展记录已恢复原样，未写入。\n",
    )
    assert snapshot(ledger) == before


def test_a_log_that_cannot_be_restored_is_described_exactly(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    _failing_commit(monkeypatch)

    def no_truncate(path, size):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("gongkai_cli.record.append.os.truncate", no_truncate)
    result = gongkai(*UPDATE)
    log = ledger / "data" / "progress.yaml"
    assert (result.exit_code, result.stderr) == (
        4,  # git failed (ExitStatus.GIT_FAILED)
        f"错误：git commit 失败：{DISK_FULL}；而 {log} 末尾新加的第 3 行未能撤回"
        "（No space left on device），也没有提交：请手工删除后再记录。\n",
    )
    assert log.read_text(encoding="utf-8").count("\n") == 3


def test_a_killed_writers_leftovers_are_settled_by_the_next_one(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    old = log.read_bytes()
    head = git(ledger, "rev-parse", "HEAD").strip()
    # What a writer killed between its append and its commit leaves behind.
    (ledger / ".git" / "gongkai-journal").write_text(
        json.dumps({"size": len(old), "sha256": hashlib.sha256(old).hexdigest(), "head": head})
    )
    log.write_bytes(
        old
        + "- {id: kill0000, date: 2021-06-01, task: 7, unit: 县财政局, status: 已完成}\n".encode()
    )
    (ledger / "data" / ".progress.yaml.x1y2.tmp").write_bytes(b"half")
    result = gongkai("update", "8", "-u", "县财政局", "-s", "done", "--date", "2021-06-21")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "提示：上一次记录在提交前被中断，它写入但未提交的 1 行已撤回。\n"
    assert b"kill0000" not in log.read_bytes()
    assert b"kill0000" not in head_log(ledger)
    assert head_log(ledger, "HEAD~1") == old
    assert sorted(p.name for p in (ledger / "data").iterdir()) == [
        "progress.yaml",
        "tasks.yaml",
        "units.yaml",
    ]
    assert not (ledger / ".git" / "gongkai-journal").exists()


def test_a_killed_writer_s_git_still_committing_is_waited_for(gongkai, ledger, monkeypatch):
    """A SIGKILL stops gongkai, not the `git commit` it started: while git's index lock is
    there, the leftovers are not settled (that commit may yet record the lines), and the
    next writer says so and writes nothing."""
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    old = log.read_bytes()
    head = git(ledger, "rev-parse", "HEAD").strip()
    journal = ledger / ".git" / "gongkai-journal"
    journal.write_text(
        json.dumps({"size": len(old), "sha256": hashlib.sha256(old).hexdigest(), "head": head})
    )
    line = "- {id: kill0000, date: 2021-06-01, task: 7, unit: 县财政局, status: 已完成}\n"
    killed = old + line.encode()
    log.write_bytes(killed)
    lock = ledger / ".git" / "index.lock"
    lock.write_bytes(b"")
    result = gongkai("update", "8", "-u", "县财政局", "-s", "done", "--date", "2021-06-21")
    assert result.exit_code == 3
    assert result.stderr == (
        f"错误：上一次中断的记录留下的 git 提交可能仍在进行（存在 {lock}），未写入；"
        "请稍候再试。确认没有 git 在运行时，删除该文件后再试。\n"
    )
    assert log.read_bytes() == killed and journal.exists()
    lock.unlink()  # git is done (here: never committed)
    result = gongkai("update", "8", "-u", "县财政局", "-s", "done", "--date", "2021-06-21")
    assert result.exit_code == 0, result.stderr
    assert b"kill0000" not in log.read_bytes()


# ----- SIGKILL at random points -----


def _small_repo(root):
    for key, value in GIT_ENV.items():
        os.environ[key] = value
    data = write_ledger(root)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "测试员")
    git(root, "config", "user.email", "t@example.org")
    git(root, "add", ".")
    git(root, "commit", "-qm", "init")
    return DataDir(data, "option")


def _child(data_dir: DataDir, action: str, note: str, delay: float, out: int) -> None:
    """Run in a forked process: do the action, and be killed after `delay` seconds."""
    os.setpgid(0, 0)
    timer = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGKILL))
    timer.start()
    try:
        if action == "update":
            request = Request(1, ("县财政局",), parse_status("done"), _DAY, note=note)
            done = record(data_dir, request)
            report = {"commit": done.commit, "ids": done.ids}
        else:
            undone = undo(data_dir)
            report = {"commit": undone.commit, "ids": [u.id for u in undone.retracted]}
    except GongkaiError as exc:
        report = {"error": str(exc)}
    timer.cancel()
    os.write(out, json.dumps(report).encode())
    os._exit(0)


_DAY = dt.date(2021, 6, 1)


def _wait_for_group(pgid: int) -> None:
    """A killed process's git may still be running: let it finish, as it would (this
    process is their subreaper, so they are reaped here, not left to init)."""
    while True:
        try:
            os.waitpid(-pgid, 0)
        except ChildProcessError:
            return


@contextlib.contextmanager
def _subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_child_subreaper = 36
    libc.prctl(pr_set_child_subreaper, 1, 0, 0, 0)
    try:
        yield
    finally:
        libc.prctl(pr_set_child_subreaper, 0, 0, 0, 0)


RUNS = int(os.environ.get("KILL_RUNS", "200"))


def test_kills_at_random_points_never_lose_a_commit_nor_leak_a_line(tmp_path):
    """Kill update and undo at random points. Each time: HEAD's log extends the previous
    HEAD's; every update reported as committed is in HEAD; and once a run has reported,
    the working file holds no line that HEAD lacks (a killed run's line is taken back)."""
    data_dir = _small_repo(tmp_path / "ledger")
    # Warm up here, so that each forked child starts with every module already imported.
    record(data_dir, Request(2, ("县政府办公室",), parse_status("doing"), _DAY))
    undo(data_dir)
    took = time.monotonic()
    record(data_dir, Request(2, ("县政府办公室",), parse_status("doing"), _DAY))
    # Kill anywhere from the start to a little after the end of a typical run.
    span = 1.5 * (time.monotonic() - took)
    rng = random.Random(20211031)
    previous = head_log(data_dir.path.parent)
    killed = reported = 0
    started = time.monotonic()
    with _subreaper():
        for run in range(RUNS):
            was_killed, previous = _one_run(data_dir, rng.uniform(0, span), run, previous)
            killed += was_killed
            reported += not was_killed
            span *= 1.1 if was_killed else 0.9  # about as many kills as finished runs
    assert killed >= RUNS // 5 and reported >= RUNS // 5, (killed, reported)
    assert time.monotonic() - started < 60


def _one_run(data_dir: DataDir, delay: float, run: int, previous: bytes):
    """One update or undo, killed after `delay` seconds if still running; then the
    checks. Returns whether it was killed, and HEAD's log after it."""
    repo, log = data_dir.path.parent, data_dir.file("progress.yaml")
    action = "undo" if run % 3 == 2 else "update"
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _child(data_dir, action, f"第{run}次", delay, write_end)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as pipe:
        raw = pipe.read()
    _wait_for_group(pid)
    current = head_log(repo)
    assert current.startswith(previous), run  # HEAD's log only ever grows
    if os.WIFSIGNALED(status):
        assert not raw
        return True, current
    report = json.loads(raw)
    if "error" in report:
        assert report["error"] == "没有可撤销的进展记录。", report
        return False, current
    for uid in report["ids"]:
        assert f"{uid}," in current.decode(), (run, report)  # reported, so committed
    committed = head_log(repo, report["commit"])
    parent = head_log(repo, report["commit"] + "~1")
    assert committed.startswith(parent)
    added = committed[len(parent) :].decode()
    pattern = r"\{id: (\w+), date: \S+, task" if action == "update" else r"retracts: (\w+)"
    assert re.findall(pattern, added) == report["ids"]  # its own lines only
    assert added.count("\n") == len(report["ids"])
    assert log.read_bytes() == current  # nothing uncommitted is left behind
    assert [p.name for p in data_dir.path.iterdir() if p.name.endswith(".tmp")] == []
    return False, current


@pytest.mark.parametrize(
    "hook",
    [
        "echo '# 钩子加的' >> data/progress.yaml\ngit add data/progress.yaml\n",
        "sed -i 's/已完成/进行中/' data/progress.yaml\nexit 1\n",
    ],
    ids=["edits, stages and commits", "edits and fails"],
)
def test_a_hook_that_edits_the_log_is_told_not_hidden(gongkai, ledger, monkeypatch, hook):
    """A pre-commit hook rewrote the log while git committed: the appended line cannot be
    taken out without losing the hook's change, so it stays, uncommitted, and the message
    says so instead of claiming the log was restored."""
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    before = log.read_bytes()
    (ledger / ".git" / "hooks" / "pre-commit").write_text(f"#!/bin/sh\n{hook}")
    (ledger / ".git" / "hooks" / "pre-commit").chmod(0o755)
    head = git(ledger, "rev-parse", "HEAD")
    result = gongkai(*UPDATE)
    assert result.exit_code == 4  # git failed (ExitStatus.GIT_FAILED)
    assert "恢复原样" not in result.stderr
    assert result.stderr.endswith(
        f"而 {log} 末尾新加的第 3 行未能撤回（提交期间文件被改动，可能是 git 钩子所为；"
        "撤回会抹去这些改动），也没有提交：请手工删除后再记录。\n"
    )
    assert git(ledger, "rev-parse", "HEAD") == head
    assert log.read_bytes().startswith(before) and log.read_bytes() != before

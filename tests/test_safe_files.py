"""Reads and writes that never follow links out, never replace special files, and end cleanly."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai_cli.record.atomic import safe_filename, write_output
from tests.conftest import GIT_ENV, REPO, snapshot, write_ledger


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _char_device(path: Path) -> Path:
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a second /dev/null
    except PermissionError:
        pytest.skip("no permission to create a device node here")
    return path


@pytest.mark.parametrize(
    ("make", "kind"),
    [(_fifo, "命名管道"), (_char_device, "字符设备"), (lambda p: (p.mkdir(), p)[1], "目录")],
)
def test_report_out_refuses_devices_fifos_and_directories(gongkai, real_data, make, kind):
    target = make(real_data.parent / "out.md")
    result = gongkai("report", "progress", "-f", "md", "--out", target, "--data", real_data)
    assert (result.exit_code, result.stderr) == (
        1,
        f"错误：{target} 是{kind}，不能作为输出文件。\n",
    )
    assert stat.S_IFMT(target.lstat().st_mode) != stat.S_IFREG  # still what it was


def test_report_out_refuses_a_link_and_leaves_its_target_alone(gongkai, real_data, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("别人的文件\n", encoding="utf-8")
    link = real_data.parent / "report.md"
    link.symlink_to(outside)
    result = gongkai("report", "progress", "-f", "md", "--out", link, "--data", real_data)
    assert (result.exit_code, result.stderr) == (
        1,
        f"错误：{link} 是符号链接，不能作为输出文件。\n",
    )
    assert link.is_symlink() and outside.read_text(encoding="utf-8") == "别人的文件\n"


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_reports_are_created_with_the_users_umask(gongkai, real_data, umask, mode):
    old = os.umask(umask)
    try:
        result = gongkai("report", "progress", "-f", "xlsx", "--data", real_data)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    (report,) = (real_data.parent / "reports").iterdir()
    assert stat.S_IMODE(report.stat().st_mode) == mode


def test_write_output_creates_folders_and_replaces_a_regular_file(tmp_path):
    target = tmp_path / "a" / "b" / "报表.md"
    write_output(target, b"one")
    write_output(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["报表.md"]  # no temporary left


@given(st.text(max_size=60))
def test_any_text_makes_a_file_name_that_stays_in_its_folder(text):
    name = safe_filename(text)
    assert name and name == name.strip() and not name.startswith(".")
    assert "/" not in name and "\\" not in name and ".." not in name
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in name)
    assert "\u200b" not in name and "\u202e" not in name
    folder = Path("/srv/reports")
    assert (folder / name).parent == folder
    assert len(name.encode("utf-8")) <= 200


def test_safe_filename_keeps_ordinary_names():
    assert safe_filename("县财政局") == "县财政局"
    assert safe_filename("unit-县财政局") == "unit-县财政局"
    assert safe_filename("../../README") == "_._README"
    assert safe_filename(" 县财政局\u200b ") == "县财政局"
    assert safe_filename("...") == "未命名"


# ----- data files -----


def _refused(result, message: str) -> None:
    assert (result.exit_code, result.stderr) == (1, f"错误：{message}\n")


def test_a_data_file_linked_out_of_the_ledger_is_refused(gongkai, ledger, tmp_path, monkeypatch):
    monkeypatch.chdir(ledger)
    secret = tmp_path / "secret.yaml"
    secret.write_text("- {date: 2021-05-01, task: 7, unit: 县财政局, status: 已完成}\n")
    log = ledger / "data" / "progress.yaml"
    log.unlink()
    log.symlink_to(secret)
    before = snapshot(ledger)
    message = (
        f"data/progress.yaml 是指向 {ledger / 'data'} 以外（{secret}）的链接，不会读取或写入。"
    )
    for args in (("validate",), ("list",), ("update", "7", "-u", "县财政局", "-s", "done")):
        _refused(gongkai(*args), message)
    assert snapshot(ledger) == before


def test_a_data_file_linked_to_dev_zero_is_refused(gongkai, real_data):
    tasks = real_data / "tasks.yaml"
    tasks.unlink()
    tasks.symlink_to("/dev/zero")
    _refused(
        gongkai("list", "--data", real_data),
        f"ledger/data/tasks.yaml 是指向 {real_data} 以外（/dev/zero）的链接，不会读取或写入。",
    )


def test_a_log_that_is_a_fifo_is_refused_without_waiting(real_data):
    log = real_data / "progress.yaml"
    log.unlink()
    os.mkfifo(log)
    for args in (["validate"], ["list"], ["update", "7", "-u", "县财政局", "-s", "done"]):
        result = subprocess.run(
            [sys.executable, "-m", "gongkai_cli", *args, "--data", str(real_data)],
            env={**os.environ, **GIT_ENV, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=60,  # before the change, this waited for a writer forever
        )
        assert (result.returncode, result.stderr) == (
            1,
            f"错误：{log} 不是普通文件（是命名管道），不会读取。\n",
        )


def test_a_log_that_is_a_device_is_refused(gongkai, real_data):
    log = real_data / "progress.yaml"
    log.unlink()
    _char_device(log)
    _refused(
        gongkai("validate", "--data", real_data),
        "ledger/data/progress.yaml 不是普通文件（是字符设备），不会读取。",
    )


def test_a_log_over_the_size_cap_is_refused(gongkai, real_data, monkeypatch):
    monkeypatch.setattr("gongkai_cli.ledger.files.MAX_FILE", 100)
    _refused(
        gongkai("validate", "--data", real_data),
        "ledger/data/tasks.yaml 过大（0 MB），超过 0 MB 的上限，不会读取。",
    )


def test_update_does_not_write_through_a_link_inside_the_data(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    real = ledger / "data" / "real.yaml"
    log.rename(real)
    log.symlink_to("real.yaml")
    before = real.read_bytes()
    _refused(
        gongkai(
            "update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20", "--no-commit"
        ),
        "data/progress.yaml 是一个链接；gongkai 不通过链接写入，未写入。",
    )
    assert real.read_bytes() == before and log.is_symlink()


# ----- ending cleanly -----


def test_a_closed_pipe_ends_quietly(real_data):
    for fmt in ("json", "md", "csv"):
        proc = subprocess.Popen(
            [sys.executable, "-m", "gongkai_cli", "list", "-f", fmt, "--data", str(real_data)],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        proc.stdout.close()  # the reader is gone before a byte is written, like `| head -c0`
        err = proc.stderr.read()
        assert (proc.wait(), err) == (0, b""), fmt


def test_a_deleted_working_directory_gives_a_clear_error(gongkai, tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = gongkai("list")
    _refused(
        result,
        "当前工作目录已不存在（可能已被删除或移走）；请进入一个存在的目录后再运行，或用 --data 指定数据目录。",
    )


def test_a_new_log_gets_the_users_umask(gongkai, tmp_path, monkeypatch):
    data = write_ledger(tmp_path)
    (data / "progress.yaml").unlink()
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    try:
        result = gongkai("update", "1", "-u", "县财政局", "-s", "done", "--date", "2021-06-01")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE((data / "progress.yaml").stat().st_mode) == 0o644

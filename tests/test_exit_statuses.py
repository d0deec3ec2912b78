"""Exit statuses a script can act on: 1 bad data or request, 2 usage, 3 the ledger is being
written by another gongkai, 4 git failed, 130 interrupted; every one with its sentence."""

from __future__ import annotations

import pytest
from filelock import FileLock

from gongkai_cli.errors import ExitStatus, GitFailed
from gongkai_cli.record import append
from gongkai_cli.record import git as gitrepo

UPDATE = ("update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20")


def test_the_statuses_are_the_documented_numbers():
    assert {s.name: int(s) for s in ExitStatus} == {
        "OK": 0,
        "ERROR": 1,
        "USAGE": 2,
        "LOCKED": 3,
        "GIT_FAILED": 4,
        "INTERRUPTED": 130,
    }


def test_bad_data_and_bad_usage_keep_their_statuses(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    unknown = gongkai("update", "99", "-u", "县财政局", "-s", "done")
    assert unknown.exit_code == ExitStatus.ERROR
    assert gongkai("update", "7", "--no-such-option").exit_code == ExitStatus.USAGE


def test_a_ledger_being_written_by_another_gongkai_exits_3(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    monkeypatch.setattr(append, "LOCK_TIMEOUT", 0.1)
    before = (ledger / "data" / "progress.yaml").read_bytes()
    with FileLock(str(ledger / ".git" / append.LOCK_NAME)):  # the other writer
        result = gongkai(*UPDATE)
    assert (result.exit_code, result.stderr) == (
        ExitStatus.LOCKED,
        "错误：台账正被另一个 gongkai 进程写入，等待 0.1 秒仍未结束，未写入。\n",
    )
    assert (ledger / "data" / "progress.yaml").read_bytes() == before
    assert gongkai(*UPDATE).exit_code == ExitStatus.OK  # once it is done, the same command works


def test_a_failed_commit_exits_4(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    real = gitrepo._git

    def failing(repo, *args, **kw):
        if args[0] == "commit":
            raise GitFailed("git commit 失败：磁盘已满")
        return real(repo, *args, **kw)

    monkeypatch.setattr(gitrepo, "_git", failing)
    result = gongkai(*UPDATE)
    assert (result.exit_code, result.stderr) == (
        ExitStatus.GIT_FAILED,
        "错误：git commit 失败：磁盘已满；进展记录已恢复原样，未写入。\n",
    )


@pytest.mark.parametrize("command", [UPDATE, ("list", "--unit", "县财政局")])
def test_ctrl_c_exits_130_with_one_line(gongkai, ledger, monkeypatch, command):
    monkeypatch.chdir(ledger)

    def interrupted(*args, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr("gongkai_cli.ledger.checked.load_checked", interrupted)
    monkeypatch.setattr("gongkai_cli.record.recording.load_checked", interrupted)  # as update reads
    result = gongkai(*command)
    assert (result.exit_code, result.stdout, result.stderr) == (
        ExitStatus.INTERRUPTED,
        "",
        "已中断。\n",
    )

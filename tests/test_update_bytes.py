"""What an update leaves behind is fixed to the byte: the log is what it was plus the new
lines, and the commit is the one git's own plumbing makes of that file alone on the old
HEAD (so the same tree, parent, message, author and committer). However gongkai writes the
file and talks to git, these never change."""

from __future__ import annotations

import itertools
import os
import subprocess

import pytest

from tests.conftest import GIT_ENV, git

LOG = "data/progress.yaml"
WHEN = {
    "GIT_AUTHOR_DATE": "2021-06-20T10:00:00+0800",
    "GIT_COMMITTER_DATE": "2021-06-20T10:00:00+0800",
}
UPDATE = (
    "update",
    "7",
    "-u",
    "县财政局",
    "-s",
    "done",
    "-n",
    "已在专栏公开",
    "--date",
    "2021-06-20",
)
LINE = (
    "- {{id: {id}, date: 2021-06-20, task: 7, unit: {unit}, status: 已完成, "
    "note: 已在专栏公开, by: 测试员}}"
)
TRAILERS = "Status: 已完成\nDate: 2021-06-20\nBy: 测试员\n"
MESSAGE = f"进展: 任务7 县财政局 → 已完成\n\n已在专栏公开\n\nTask: 7\nUnit: 县财政局\n{TRAILERS}"
PAGE = 4096


@pytest.fixture
def fixed(ledger, monkeypatch):
    """The ledger, with commit dates and update ids that do not vary from run to run."""
    monkeypatch.chdir(ledger)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-06-30")
    for key, value in WHEN.items():
        monkeypatch.setenv(key, value)
    numbers = itertools.count(1)
    monkeypatch.setattr(
        "gongkai_cli.record.recording.new_id", lambda taken=(): f"t{next(numbers):09d}"
    )
    return ledger


def plumbed(repo, parent: str, content: bytes, message: str) -> str:
    """The commit of `content` as the log on top of `parent`, made with git plumbing: a
    blob of the bytes, the parent's tree with that blob as the log, a commit of the tree."""

    def run(*args: str, stdin: bytes | None = None, **env: str) -> str:
        return (
            subprocess.run(
                ["git", *args],
                cwd=repo,
                input=stdin,
                capture_output=True,
                check=True,
                env={**os.environ, **GIT_ENV, **WHEN, **env},
            )
            .stdout.decode()
            .strip()
        )

    blob = run("hash-object", "-w", "--stdin", "--no-filters", stdin=content)
    index = {"GIT_INDEX_FILE": str(repo / ".git" / "plumbed-index")}
    run("read-tree", parent, **index)
    run("update-index", "--cacheinfo", f"100644,{blob},{LOG}", **index)
    tree = run("write-tree", **index)
    return run("commit-tree", tree, "-p", parent, stdin=message.encode())


def commit_log(repo, content: bytes) -> bytes:
    (repo / LOG).write_bytes(content)
    git(repo, "commit", "-q", "-m", "记录的样子", "--", LOG)
    return content


def assert_recorded(repo, before: bytes, added: str, message: str) -> None:
    """The log is `before` and then `added`, and HEAD is the commit of exactly that on
    the commit before it."""
    after = (repo / LOG).read_bytes()
    assert after == before + added.encode()
    head, parent = git(repo, "rev-parse", "HEAD", "HEAD~1").split()
    assert git(repo, "log", "-1", "--format=%B") == message + "\n"  # %B ends with a newline
    assert plumbed(repo, parent, after, message) == head
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("shape", "newline"),
    [
        ("as kept", "\n"),
        ("windows line endings", "\r\n"),
        ("no last newline", "\n"),
        ("its line crosses a page", "\n"),
        ("its line starts a page", "\n"),
    ],
)
def test_an_update_appends_its_line_and_commits_that_file_alone(gongkai, fixed, shape, newline):
    before = (fixed / LOG).read_bytes()
    if shape == "windows line endings":
        before = commit_log(fixed, before.replace(b"\n", b"\r\n"))
    elif shape == "no last newline":
        before = commit_log(fixed, before.rstrip(b"\n"))
    elif shape.startswith("its line"):
        short = PAGE - len(before) % PAGE - (40 if "crosses" in shape else 0)
        before = commit_log(fixed, before + b"#" * (short - 1) + b"\n")
    result = gongkai(*UPDATE)
    assert result.exit_code == 0, result.stderr
    added = ("\n" if shape == "no last newline" else "") + LINE.format(
        id="t000000001", unit="县财政局"
    )
    assert_recorded(fixed, before, added + newline, MESSAGE)


def test_an_update_of_two_units_and_its_undo_record_their_lines_and_nothing_else(gongkai, fixed):
    log = fixed / LOG
    before = log.read_bytes()
    result = gongkai(*UPDATE[:4], "-u", "县教育局", *UPDATE[4:])
    assert result.exit_code == 0, result.stderr
    lines = "".join(
        LINE.format(id=f"t00000000{n}", unit=unit) + "\n"
        for n, unit in ((1, "县财政局"), (2, "县教育局"))
    )
    message = (
        "进展: 任务7 县财政局等2个单位 → 已完成\n\n已在专栏公开\n\n"
        f"Task: 7\nUnit: 县财政局\nUnit: 县教育局\n{TRAILERS}"
    )
    assert_recorded(fixed, before, lines, message)

    updated = git(fixed, "rev-parse", "HEAD").strip()
    before = log.read_bytes()
    result = gongkai("undo")
    assert result.exit_code == 0, result.stderr
    retractions = "".join(
        f"- {{id: t00000000{n}, date: 2021-06-30, retracts: t00000000{n - 2}, by: 测试员}}\n"
        for n in (3, 4)
    )
    message = (
        "撤销: 进展: 任务7 县财政局等2个单位 → 已完成\n\n"
        f"Retracts: t000000001\nRetracts: t000000002\nReverts: {updated}\n"
    )
    assert_recorded(fixed, before, retractions, message)


def test_without_a_commit_the_log_gets_the_same_bytes(gongkai, fixed):
    log = fixed / LOG
    before = log.read_bytes()
    head = git(fixed, "rev-parse", "HEAD")
    result = gongkai(*UPDATE, "--no-commit")
    assert result.exit_code == 0, result.stderr
    assert (
        log.read_bytes() == before + (LINE.format(id="t000000001", unit="县财政局") + "\n").encode()
    )
    assert git(fixed, "rev-parse", "HEAD") == head

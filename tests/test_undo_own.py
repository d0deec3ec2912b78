"""Undo means the clerk's own last record: found from the commits of this committer, never
from the order of lines a merge left, nor from blame in a shallow clone."""

from __future__ import annotations

import json

import pytest

from tests.conftest import git

CLERKS = {"甲": "jia@example.org", "乙": "yi@example.org"}


def as_clerk(monkeypatch, name: str) -> None:
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", name)
        monkeypatch.setenv(f"GIT_{role}_EMAIL", CLERKS[name])


def status(gongkai, data, task: int, unit: str = "县财政局") -> str:
    shown = json.loads(gongkai("show", str(task), "-f", "json", "--data", data).stdout)
    return shown["status"][unit]["status"]


@pytest.fixture
def origin(ledger, tmp_path):
    """A shared bare repository of the ledger, whose log merges by union."""
    (ledger / ".gitattributes").write_text("data/progress.yaml merge=union\n", encoding="utf-8")
    git(ledger, "add", ".gitattributes")
    git(ledger, "commit", "-qm", "union")
    git(tmp_path, "clone", "-q", "--bare", str(ledger), "origin.git")
    return tmp_path / "origin.git"


def clone(origin, where, *options: str, clerk: str = "甲"):
    git(where.parent, "clone", "-q", *options, f"file://{origin}", where.name)
    git(where, "config", "user.name", clerk)
    git(where, "config", "user.email", CLERKS[clerk])
    return where


def test_undo_after_a_pull_retracts_my_update_not_a_colleagues(
    gongkai, origin, tmp_path, monkeypatch
):
    jia, yi = clone(origin, tmp_path / "jia"), clone(origin, tmp_path / "yi", clerk="乙")
    as_clerk(monkeypatch, "乙")
    done = gongkai(
        "update", "8", "-u", "县财政局", "-s", "进行中", "--date", "2021-10-10", "--data", yi
    )
    assert done.exit_code == 0, done.stderr
    as_clerk(monkeypatch, "甲")
    gongkai("update", "7", "-u", "县财政局", "-s", "已完成", "--date", "2021-10-15", "--data", jia)
    git(jia, "push", "-q", "origin", "main")
    as_clerk(monkeypatch, "乙")
    git(yi, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    last = (yi / "data" / "progress.yaml").read_text(encoding="utf-8").splitlines()[-1]
    assert "task: 7" in last and "by: 甲" in last  # the colleague's line comes last

    preview = gongkai("undo", "--dry-run", "--data", yi)

    assert preview.exit_code == 0, preview.stderr
    assert preview.stdout.splitlines()[0].endswith("：进展: 任务8 县财政局 → 进行中。")
    assert preview.stdout.splitlines()[0].startswith("将撤销 1 条进展（编号 ")
    assert preview.stdout.splitlines()[-1] == "（试运行：未写入任何内容。）"
    assert git(yi, "status", "--porcelain") == ""

    result = gongkai("undo", "--data", yi)

    assert result.exit_code == 0, result.stderr
    assert "：进展: 任务8 县财政局 → 进行中。" in result.stdout
    assert status(gongkai, yi, 7) == "已完成"
    assert status(gongkai, yi, 8) == "未开始"
    # With nothing of 乙's own left, undo refuses rather than take 甲's.
    again = gongkai("undo", "--data", yi)
    assert again.exit_code == 1
    assert again.stderr == (
        "错误：这个仓库中没有你（乙）提交的、仍计入状态的进展记录；不会去撤销别人的记录。"
        "请用 gongkai log 查到编号后用 gongkai undo 编号 撤销。\n"
    )
    assert status(gongkai, yi, 7) == "已完成"


def test_undo_in_a_shallow_clone_works_or_refuses_never_guesses(
    gongkai, origin, tmp_path, monkeypatch
):
    as_clerk(monkeypatch, "甲")
    first = clone(origin, tmp_path / "first")
    for task, day in ((7, "2021-03-01"), (8, "2021-04-01"), (9, "2021-05-01")):
        gongkai("update", task, "-u", "县财政局", "-s", "进行中", "--date", day, "--data", first)
    git(first, "push", "-q", "origin", "main")
    shallow = clone(origin, tmp_path / "shallow", "--depth", "1")
    head = (shallow / "data" / "progress.yaml").read_bytes()

    result = gongkai("undo", "--data", shallow)

    assert result.exit_code == 1
    assert result.stderr == (
        "错误：这是浅克隆（shallow clone），其中没有你（甲）提交的、仍计入状态的进展记录；"
        "不会去撤销别人的记录。请用 gongkai log 查到编号后用 gongkai undo 编号 撤销。\n"
    )
    assert (shallow / "data" / "progress.yaml").read_bytes() == head
    # One commit deeper, the newest commit has its parent: exactly its update is undone.
    deeper = clone(origin, tmp_path / "deeper", "--depth", "2")
    result = gongkai("undo", "--data", deeper)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("已撤销 1 条进展（编号 ")
    assert [status(gongkai, deeper, t) for t in (7, 8, 9)] == ["进行中", "进行中", "未开始"]
    message = git(deeper, "log", "-1", "--format=%B")
    assert message.count("Retracts: ") == 1 and "Reverts: " in message
    # In the shallow clone, what the clerk records there is undone as usual.
    gongkai(
        "update", "10", "-u", "县财政局", "-s", "已完成", "--date", "2021-06-01", "--data", shallow
    )
    result = gongkai("undo", "--data", shallow)
    assert result.exit_code == 0, result.stderr
    assert "：进展: 任务10 县财政局 → 已完成。" in result.stdout
    assert [status(gongkai, shallow, t) for t in (7, 8, 9, 10)] == ["进行中"] * 3 + ["未开始"]


def test_a_colleagues_hand_written_line_is_never_taken_for_my_own(gongkai, ledger, monkeypatch):
    as_clerk(monkeypatch, "甲")
    data = ledger / "data"
    gongkai("update", "8", "-u", "县财政局", "-s", "进行中", "--date", "2021-05-01", "--data", data)
    as_clerk(monkeypatch, "乙")
    with (data / "progress.yaml").open("a", encoding="utf-8") as log:  # not gongkai's own format
        log.write("- date: 2021-06-01\n  task: 7\n  unit: 县财政局\n  status: 已完成\n")
    git(ledger, "commit", "-qam", "乙手工补记")
    as_clerk(monkeypatch, "甲")

    result = gongkai("undo", "--dry-run", "--data", data)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith("：进展: 任务8 县财政局 → 进行中。")

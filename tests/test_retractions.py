"""The log as events: ids, retractions, undo ID, and two clones that merge both."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

from tests.conftest import git, runs_on, write_ledger

TODAY = "2027-01-01"  # retractions dated on new year's day, the plan's year long past
_today = runs_on(dt.date.fromisoformat(TODAY))
ID = r"[a-z][0-9a-z]{9}"


def ids_of(log_path) -> list[str]:
    return re.findall(r"\{id: (\w+),", log_path.read_text(encoding="utf-8"))


def status(gongkai, task: int, unit: str, as_of: str = "2021-12-31") -> str:
    shown = json.loads(gongkai("show", str(task), "--as-of", as_of, "-f", "json").stdout)
    return shown["status"][unit]["status"]


def test_undo_id_retracts_an_older_update_and_the_fold_ignores_it(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    gongkai("update", "7", "-u", "县财政局", "-s", "doing", "--date", "2021-03-01")
    gongkai("update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-05-01")
    gongkai("update", "8", "-u", "县财政局", "-s", "done", "--date", "2021-05-02")
    first, second, _ = ids_of(log)
    assert status(gongkai, 7, "县财政局") == "已完成"

    result = gongkai("undo", second)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"已撤销 1 条进展（编号 {second}）：进展: 任务7 县财政局 → 已完成。"
    )
    assert status(gongkai, 7, "县财政局") == "进行中"  # the earlier update counts again
    assert status(gongkai, 8, "县财政局") == "已完成"  # the later one is untouched

    entries = json.loads(gongkai("log", "-f", "json").stdout)
    by_id = {e["id"]: e for e in entries}
    assert by_id[first]["retracted"] is None
    retraction = by_id[second]["retracted"]
    assert (retraction["date"], retraction["by"]) == (TODAY, "测试员")
    assert re.fullmatch(ID, retraction["id"])
    assert retraction["commit"] == git(ledger, "rev-parse", "HEAD").strip()
    table = gongkai("log", "-f", "md").stdout
    assert f"| {second} | 2021-05-01 | 7 | 县财政局 | 已完成 |" in table
    assert f"已撤销（{TODAY} 测试员，编号 {retraction['id']}） |" in table
    assert "共 3 条，其中 1 条已撤销，不计入状态。" in table

    again = gongkai("undo", second)
    assert (again.exit_code, again.stderr) == (
        1,
        f"错误：编号 {second} 的进展已于 {TODAY} 撤销（第 6 行）；未撤销。\n",
    )
    unknown = gongkai("undo", "zzzz9999")
    assert (
        unknown.stderr == "错误：没有编号为 zzzz9999 的进展记录（编号见 gongkai log）；未撤销。\n"
    )
    of_retraction = gongkai("undo", retraction["id"])
    assert (
        of_retraction.stderr
        == f"错误：编号 {retraction['id']} 是一条撤销记录，不能再撤销；未撤销。\n"
    )
    assert gongkai("validate").exit_code == 0


def test_undo_without_an_id_retracts_every_line_of_the_last_update(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    gongkai("update", "40", "-u", "县政府办公室", "-s", "doing", "--date", "2021-03-01")
    gongkai("update", "40", "-u", "各镇", "-s", "done", "--date", "2021-06-01")
    result = gongkai("undo")
    assert result.exit_code == 0, result.stderr
    assert "已撤销 11 条进展" in result.stdout
    assert "：进展: 任务40 濉溪镇等11个单位 → 已完成。" in result.stdout
    assert status(gongkai, 40, "濉溪镇") == "未开始"
    assert status(gongkai, 40, "县政府办公室") == "进行中"
    second = gongkai("undo")
    assert "已撤销 1 条进展" in second.stdout
    assert status(gongkai, 40, "县政府办公室") == "未开始"


def test_lines_without_ids_load_with_ids_derived_from_their_content(gongkai, tmp_path):
    line = "- {date: 2021-05-01, task: 1, unit: 县财政局, status: 已完成, note: 已公开}\n"
    data = write_ledger(tmp_path / "a", progress=line)
    other = write_ledger(tmp_path / "b", progress="# 另一个台账\n\n" + line)
    first = json.loads(gongkai("log", "-f", "json", "--data", data).stdout)[0]["id"]
    second = json.loads(gongkai("log", "-f", "json", "--data", other).stdout)[0]["id"]
    assert re.fullmatch(ID, first)
    assert first == second  # the same line, the same id, wherever it stands
    # Hand-written in block style, read by YAML: the same content gives the same id.
    block = "- date: 2021-05-01\n  task: 1\n  unit: 县财政局\n  status: 已完成\n  note: 已公开\n"
    third = write_ledger(tmp_path / "c", progress=block)
    assert json.loads(gongkai("log", "-f", "json", "--data", third).stdout)[0]["id"] == first


def test_a_retraction_of_a_line_without_id_uses_its_derived_id(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    log = ledger / "data" / "progress.yaml"
    with log.open("a", encoding="utf-8") as handle:
        handle.write("- {date: 2021-05-01, task: 7, unit: 县财政局, status: 已完成}\n")
    git(ledger, "commit", "-qam", "旧格式的记录")
    uid = json.loads(gongkai("log", "-f", "json").stdout)[0]["id"]
    result = gongkai("undo")
    assert result.exit_code == 0, result.stderr
    assert log.read_text(encoding="utf-8").endswith(f"retracts: {uid}, by: 测试员}}\n")
    assert status(gongkai, 7, "县财政局") == "未开始"


def test_validate_warns_about_exact_duplicates_and_rejects_bad_ids(gongkai, tmp_path):
    progress = (
        "- {id: aaaa1111, date: 2021-05-01, task: 1, unit: 县财政局, status: 已完成}\n"
        "- {id: bbbb2222, date: 2021-05-01, task: 1, unit: 县财政局, status: 已完成}\n"
        "- {id: aaaa1111, date: 2021-05-02, task: 1, unit: 甲镇, status: 已完成}\n"
        "- {id: cccc3333, date: 2021-05-03, retracts: dddd4444, by: 张三}\n"
        "- {id: 12345678, date: 2021-05-03, task: 1, unit: 甲镇, status: 已完成}\n"
    )
    write_ledger(tmp_path, progress=progress)
    result = gongkai("validate", "--data", tmp_path / "data")
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if "progress" in line] == [
        "data/progress.yaml:5:8: error: 字段 [5].id 应为文字，实际是12345678。",
        "data/progress.yaml:2:1: warning: 这条进展与第 1 行完全相同（日期、任务、单位、状态、说明、填报人都一样），可能重复记录了。",
        "data/progress.yaml:3:8: error: 编号 aaaa1111 与第 1 行重复。",
        "data/progress.yaml:4:46: error: 撤销记录所指的编号 dddd4444 不是本文件中任何一条进展的编号。",
    ]


def test_two_clones_that_append_and_undo_merge_without_losing_or_reviving(
    gongkai, ledger, tmp_path, monkeypatch
):
    """Clerk A records and pushes, then undoes and pushes; clerk B pulled before the undo,
    records, and pulls. With merge=union both keep every line; the undone update stays
    undone on both sides, and no update is lost."""
    (ledger / ".gitattributes").write_text("data/progress.yaml merge=union\n", encoding="utf-8")
    git(ledger, "add", ".gitattributes")
    git(ledger, "commit", "-qm", "union")
    hub = tmp_path / "hub.git"
    git(tmp_path, "clone", "-q", "--bare", str(ledger), str(hub))
    clerks = {}
    for name in ("a", "b"):
        clerks[name] = tmp_path / name
        git(tmp_path, "clone", "-q", str(hub), str(clerks[name]))
        git(clerks[name], "config", "pull.rebase", "false")

    def run(clerk, *args):
        monkeypatch.chdir(clerks[clerk])
        result = gongkai(*args)
        assert result.exit_code == 0, result.stderr
        return result

    run("a", "update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-01")
    git(clerks["a"], "push", "-q")
    git(clerks["b"], "pull", "-q", "--no-rebase")
    run("a", "undo")
    git(clerks["a"], "push", "-q")
    run("b", "update", "7", "-u", "濉溪镇", "-s", "done", "--date", "2021-06-02")
    git(clerks["b"], "pull", "-q", "--no-rebase")  # B merges A's retraction
    git(clerks["b"], "push", "-q")
    git(clerks["a"], "pull", "-q", "--no-rebase")  # and A gets B's update

    for clerk in ("a", "b"):
        monkeypatch.chdir(clerks[clerk])
        assert status(gongkai, 7, "县财政局") == "未开始", clerk  # not revived
        assert status(gongkai, 7, "濉溪镇") == "已完成", clerk  # not lost
        assert gongkai("validate").exit_code == 0
        entries = json.loads(gongkai("log", "-f", "json").stdout)
        assert [(e["unit"], e["retracted"] is not None) for e in entries] == [
            ("濉溪镇", False),
            ("县财政局", True),
        ]
    assert (clerks["a"] / "data" / "progress.yaml").read_bytes() == (
        clerks["b"] / "data" / "progress.yaml"
    ).read_bytes()
    shutil.rmtree(hub)

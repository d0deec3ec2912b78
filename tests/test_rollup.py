"""`rollup`: every member's figures equal that member's own `stats` for the same day, read at
the commit recorded by the last fetch; members that cannot be read are skipped and named."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests.served import DROPPED, GOOD, PATHS, add_good, commit_all, git, git_daemon

DAY = "2021-10-31"


def own_figures(gongkai, checkout, name: str, day: str = DAY) -> dict:
    """What the member's own ledger says, by its own commands."""
    data = checkout / "data"
    stats = json.loads(gongkai("stats", "--as-of", day, "--format", "json", "--data", data).stdout)
    total = stats["rows"][-1]
    assert total["key"] == "合计"
    tasks = json.loads(gongkai("list", "--format", "json", "--data", data).stdout)
    return {
        "name": name,
        "commit": git(checkout, "rev-parse", "HEAD").strip(),
        "title": git(checkout, "show", "HEAD:data/tasks.yaml")
        .split("title: ", 1)[1]
        .split("\n")[0],
        "tasks": len(tasks),
        "assignments": total["total"],
        "done": total["done"],
        "overdue": total["overdue"],
        "rate": total["on_time_rate"],
        "on_time": total["on_time"],
    }


def expected_rollup(rows: list[dict], day: str = DAY) -> dict:
    done = sum(r["done"] for r in rows)
    overdue = sum(r["overdue"] for r in rows)
    on_time = sum(r["on_time"] for r in rows)
    return {
        "as_of": day,
        "members": [{k: v for k, v in r.items() if k != "on_time"} for r in rows],
        "total": {
            "tasks": sum(r["tasks"] for r in rows),
            "assignments": sum(r["assignments"] for r in rows),
            "done": done,
            "overdue": overdue,
            "rate": round(on_time / (done + overdue), 4) if done + overdue else None,
        },
    }


@pytest.mark.parametrize("day", ["2021-07-31", DAY, "2022-01-15"])
def test_every_figure_equals_the_members_own_stats(gongkai, city, served, day):
    url, base, _ = served
    add_good(gongkai, url)
    assert gongkai("members", "fetch").exit_code == 0
    result = gongkai("rollup", "--as-of", day, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = [own_figures(gongkai, base / PATHS[n], n, day) for n in GOOD]
    assert json.loads(result.stdout) == expected_rollup(rows, day)
    # Three plans of different sizes (the reworded copy has the 2021 plan's tasks).
    assert len({(r["tasks"], r["assignments"]) for r in rows}) == 3


def test_a_rollup_reads_the_recorded_commit_until_the_next_fetch(gongkai, city, tmp_path):
    from tests.served import ledger_repo

    member = tmp_path / "甲县台账"
    from tests.conftest import MINI_TASKS, MINI_UNITS

    ledger_repo(member, MINI_TASKS, MINI_UNITS, 7)
    gongkai("members", "add", "甲县", str(member))
    gongkai("members", "fetch")
    before = own_figures(gongkai, member, "甲县")
    first = gongkai("rollup", "--as-of", DAY, "--format", "json").stdout
    assert json.loads(first) == expected_rollup([before])
    progress = member / "data" / "progress.yaml"
    progress.write_text(
        progress.read_text()
        + "- {id: z000000001, date: 2021-10-01, task: 2, unit: 县政府办公室, status: 已完成}\n"
    )
    commit_all(member, "新进展")
    assert gongkai("rollup", "--as-of", DAY, "--format", "json").stdout == first
    gongkai("members", "fetch")
    after = own_figures(gongkai, member, "甲县")
    assert after["commit"] != before["commit"]
    assert json.loads(gongkai("rollup", "--as-of", DAY, "--format", "json").stdout) == (
        expected_rollup([after])
    )


def test_members_not_fetched_or_refused_are_named_and_the_others_unchanged(
    gongkai, city, served, tmp_path
):
    url, _, _ = served
    add_good(gongkai, url, ["测试县", "删减县"])
    gongkai("members", "fetch")
    alone = json.loads(gongkai("rollup", "--as-of", DAY, "--format", "json").stdout)
    broken = tmp_path / "broken"
    with git_daemon(tmp_path) as other:
        gongkai("members", "add", "坏县", f"{other}/nothing-here")
        gongkai("members", "fetch")
    gongkai("members", "add", "新县", "/srv/never-fetched")
    result = gongkai("rollup", "--as-of", DAY, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == alone
    assert result.stderr == (
        "提示：成员 坏县 未纳入汇总：尚未取回，请先运行 gongkai members fetch\n"
        "提示：成员 新县 未纳入汇总：尚未取回，请先运行 gongkai members fetch\n"
    )
    assert not broken.exists()


def test_the_markdown_rollup_names_commits_totals_and_skipped_members(gongkai, city, served):
    url, base, commits = served
    add_good(gongkai, url, ["测试县"])
    gongkai("members", "fetch")
    gongkai("members", "add", "新县", "/srv/never-fetched")
    result = gongkai("rollup", "--as-of", DAY, "--format", "md", "--out", "-")
    own = own_figures(gongkai, base / "other", "测试县")
    rate = f"{own['rate'] * 100:.1f}%"
    dates = re.findall(r"date: ([0-9-]+),", (base / "other/data/progress.yaml").read_text())
    last = dt.date.fromisoformat(max(d for d in dates if d <= DAY))
    last_day = f"{last.year}年{last.month}月{last.day}日"
    assert result.stdout == (
        "# 成员台账完成情况汇总（截至 2021年10月31日）\n\n"
        "各成员的数字即该成员台账在所列提交上、同一日期的完成情况统计（gongkai stats）的合计行："
        "项次为任务单位数；完成为已完成或不涉及；逾期为逾期未完成；按期率＝按期 ÷（完成＋逾期）。\n\n"
        "未纳入汇总：新县（尚未取回，请先运行 gongkai members fetch）。\n\n"
        "| 成员 | 计划 | 提交 | 任务数 | 项次 | 完成 | 逾期 | 按期率 | 最近更新 |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        f"| 测试县 | 测试县2021年政务公开重点工作任务分工 | {commits['测试县'][:7]} | 4 | "
        f"{own['assignments']} | {own['done']} | {own['overdue']} | {rate} | {last_day} |\n"
        f"| 合计 |  |  | 4 | {own['assignments']} | {own['done']} | {own['overdue']} | "
        f"{rate} | {last_day} |\n"
    )


def test_by_task_each_members_cells_add_up_to_its_own_stats(gongkai, city, served):
    url, base, _ = served
    add_good(gongkai, url, ["濉溪县", "删减县", "测试县"])
    gongkai("members", "fetch")
    result = gongkai("rollup", "--by", "task", "--as-of", DAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    tasks = json.loads(result.stdout)["tasks"]
    assert [t["number"] for t in tasks] == list(range(1, 44))
    for name in ("濉溪县", "删减县"):
        own = own_figures(gongkai, base / PATHS[name], name)
        cells = [t["members"][name] for t in tasks]
        assert sum(c["assignments"] for c in cells) == own["assignments"]
        assert sum(c["done"] for c in cells) == own["done"]
        assert sum(c["overdue"] for c in cells) == own["overdue"]
    assert [t["members"]["濉溪县"]["tasks"] for t in tasks] == [[n] for n in range(1, 44)]
    dropped = [t["number"] for t in tasks if not t["members"]["删减县"]["tasks"]]
    assert dropped == list(DROPPED)
    assert all(t["members"]["测试县"] == EMPTY for t in tasks)
    table = gongkai("rollup", "--by", "task", "--as-of", DAY, "--format", "md", "--out", "-")
    assert "| 任务 | 具体要求 | 濉溪县 | 删减县 | 测试县 |\n" in table.stdout
    assert "| 5 | 加强反垄断与反不正当竞争执法信息公开工作" in table.stdout
    five = next(line for line in table.stdout.splitlines() if line.startswith("| 5 |"))
    assert five.endswith(" | 未分解 | 未分解 |")


EMPTY = {"tasks": [], "assignments": 0, "done": 0, "overdue": 0}


def test_figures_once_counted_are_kept_by_commit_and_a_spoiled_copy_is_counted_again(
    gongkai, city, served
):
    url, _, commits = served
    add_good(gongkai, url, ["测试县"])
    gongkai("members", "fetch")
    first = gongkai("rollup", "--as-of", DAY, "--format", "json").stdout
    kept = city.parent / ".gongkai" / "members" / "测试县" / "rollup.json"
    stored = json.loads(kept.read_text())
    assert stored["key"][1] == commits["测试县"] and list(stored["days"]) == [DAY]
    assert gongkai("rollup", "--as-of", DAY, "--format", "json").stdout == first
    kept.write_text('{"key": "不是这样的"')
    assert gongkai("rollup", "--as-of", DAY, "--format", "json").stdout == first


def test_the_site_of_a_ledger_with_members_has_a_rollup_page_linking_their_sites(
    gongkai, city, served
):
    url, _, commits = served
    add_good(gongkai, url, ["测试县"])
    gongkai("members", "add", "删减县", f"{url}/trimmed", "--site", "https://trimmed.example/台账/")
    gongkai("members", "fetch")
    assert gongkai("site", "--as-of", DAY, "--out", "site").exit_code == 0
    page = (city.parent / "site" / "members.html").read_text(encoding="utf-8")
    assert "<h1>成员台账完成情况汇总（截至 2021年10月31日）</h1>" in page
    assert (
        '<td><a href="https://trimmed.example/台账/" rel="noopener noreferrer">删减县</a></td>'
        in page
    )
    assert f'<td class="user">{commits["测试县"][:7]}</td>' in page
    assert '<td class="user">测试县</td>' in page
    index = (city.parent / "site" / "index.html").read_text(encoding="utf-8")
    assert '<a href="members.html">成员汇总</a></nav>' in index


def test_a_site_address_that_is_not_a_web_address_is_refused(gongkai, city):
    result = gongkai("members", "add", "甲县", "/srv/a", "--site", "javascript:alert(1)")
    assert result.stderr == (
        "错误：网站地址“javascript:alert(1)”应以 http:// 或 https:// 开头，且不含空格。\n"
    )


def test_a_rollup_or_coverage_of_a_ledger_without_members_says_how_to_add_one(gongkai, city):
    for command in (["rollup"], ["rollup", "--by", "task"], ["coverage"]):
        result = gongkai(*command, "--format", "json")
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == "错误：没有成员台账；用 gongkai members add 名称 地址 添加。\n"


def test_the_library_fetches_and_rolls_up_as_the_command_does(gongkai, city, served):
    import gongkai_cli as gk

    url, base, commits = served
    gk.add_member(city, "测试县", f"{url}/other")
    (fetched,) = gk.fetch_members(city)
    assert (fetched.name, fetched.commit, fetched.error) == ("测试县", commits["测试县"], None)
    rolled = gk.rollup(city, dt.date(2021, 10, 31))
    own = own_figures(gongkai, base / "other", "测试县")
    (member,) = rolled.members
    assert (member.commit, member.assignments, member.done, member.overdue, member.rate) == (
        own["commit"],
        own["assignments"],
        own["done"],
        own["overdue"],
        own["rate"],
    )
    assert [m.name for m in gk.members(city)] == ["测试县"]


def test_a_member_whose_new_commit_is_refused_is_rolled_up_at_its_last_good_one(
    gongkai, city, tmp_path
):
    from tests.conftest import MINI_TASKS, MINI_UNITS
    from tests.served import ledger_repo

    member = tmp_path / "甲县台账"
    good = ledger_repo(member, MINI_TASKS, MINI_UNITS, 7)
    gongkai("members", "add", "甲县", str(member))
    gongkai("members", "fetch")
    before = gongkai("rollup", "--as-of", DAY, "--format", "json").stdout
    (member / "data" / "tasks.yaml").write_text("title: [未闭合\n", encoding="utf-8")
    commit_all(member, "坏了")
    refused = gongkai("members", "fetch")
    assert (
        refused.exit_code == 1
        and "未能取回：数据有 25 处错误，第一处：data/tasks.yaml:2:1: YAML" in refused.stderr
    )
    assert gongkai("rollup", "--as-of", DAY, "--format", "json").stdout == before
    assert json.loads(before)["members"][0]["commit"] == good

"""Everyday input and help as a clerk meets them, on 青山县's 2024 plan as well as Suixi's
2021: examples in the ledger's own year, dates and names typed as people type them, the hint
about a far-off today, unassigned groups kept out of unit lists, and the log's names whole."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.qingshan import write_qingshan

SUIXI_ACCEPTED = (
    "2021-10-31、2021/10/31、2021.10.31、2021年10月31日、10月31日、10-31、10.31、今天 或 昨天"
)


@pytest.fixture
def qingshan(tmp_path, monkeypatch) -> Path:
    for key, value in {"GIT_AUTHOR_NAME": "测试员", "GIT_COMMITTER_NAME": "测试员"}.items():
        monkeypatch.setenv(key, value)
    repo = write_qingshan(tmp_path / "qingshan")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GONGKAI_TODAY", "2024-11-05")
    return repo


def numbers(result) -> list[int]:
    assert result.exit_code == 0, result.stderr
    return [t["number"] for t in json.loads(result.stdout)]


def test_a_date_error_shows_examples_of_the_ledgers_own_year(gongkai, qingshan):
    result = gongkai("overdue", "--as-of", "13.45")

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "错误：--as-of“13.45”不是有效日期；请写成 2024-10-31、2024/10/31、2024.10.31、"
        "2024年10月31日、10月31日、10-31、10.31、今天 或 昨天。\n"
    )


def test_a_date_error_on_the_suixi_plan_shows_2021(gongkai, real_data):
    result = gongkai("overdue", "--as-of", "13.45", "--data", real_data)
    assert result.stderr == f"错误：--as-of“13.45”不是有效日期；请写成 {SUIXI_ACCEPTED}。\n"


@pytest.mark.parametrize("typed", ["10.31", "2024年10月31号", "10月31号", "２０２４年１０月３１号"])
def test_dates_as_clerks_say_them_are_accepted(gongkai, qingshan, typed):
    assert numbers(gongkai("overdue", "--as-of", typed, "-f", "json")) == [1, 3, 4, 7, 10]


def test_a_dotted_month_and_day_is_in_the_suixi_plans_year(gongkai, real_data):
    assert numbers(gongkai("overdue", "--as-of", "10.31", "-f", "json", "--data", real_data)) == [
        32,
        40,
    ]


def test_help_names_no_other_countys_year_or_sections(gongkai, qingshan):
    for command in (["list"], ["overdue"], ["report", "progress"], ["show"]):
        text = gongkai(*command, "--help").stdout
        assert "2021" not in text, command
        assert "一…六" not in text, command
    assert "一、二…" in gongkai("list", "--help").stdout


def test_a_wrong_section_names_this_plans_four(gongkai, qingshan):
    result = gongkai("list", "--section", "五")
    assert result.stderr == "错误：计划中没有大项“五”；大项为 一、二、三、四（也可写 1–4）。\n"
    assert numbers(gongkai("list", "--section", "4", "-f", "json")) == [9, 10]


@pytest.mark.parametrize(
    "typed",
    ["县财政局 ", "　县财政局", "县财政局\u00a0", " 县发改委 ", "县\ufeff财\ufeff政\ufeff局"],
)
def test_a_unit_copied_with_spaces_around_it_is_trimmed(gongkai, qingshan, typed):
    listed = gongkai("list", "--unit", typed, "-f", "json")
    assert listed.exit_code == 0, listed.stderr

    recorded = gongkai("update", "4", "--unit", typed, "--status", "进行中")

    assert recorded.exit_code == 0, recorded.stderr
    canonical = "县财政局" if "财" in typed else "县发展和改革委员会"
    assert recorded.stdout.startswith(f"已记录：任务 4 {canonical} → 进行中（2024-11-05）。\n")
    report = gongkai("report", "unit", typed, "--out", "-", "-f", "json")
    assert report.exit_code == 0, report.stderr


def test_today_far_from_the_plan_year_gets_the_hint_without_as_of(gongkai, qingshan, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-06")

    result = gongkai("overdue", "-f", "csv")

    assert result.exit_code == 0
    assert result.stderr == (
        "提示：今天（2026年12月6日）距计划年度（2024年）超过一年；"
        "要看计划年度内某天的情况，请加 --as-of，如 --as-of 2024-10-31。\n"
    )
    assert gongkai("overdue", "--as-of", "2024-11-05", "-f", "csv").stderr == ""


def test_the_hint_stays_out_of_an_error(gongkai, qingshan, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-06")
    result = gongkai("list", "--unit", "县财政厅")
    assert result.stderr == "错误：单位名录中没有“县财政厅”，是否是指“县财政局”？\n"


def test_today_in_the_plan_year_gets_no_hint(gongkai, qingshan):
    assert gongkai("overdue", "-f", "csv").stderr == ""


def test_overdue_by_unit_leaves_out_a_group_nobody_was_designated_for(gongkai, qingshan):
    tasks = qingshan / "data" / "tasks.yaml"
    tasks.write_text(
        tasks.read_text(encoding="utf-8").replace(
            "  designated: [县财政局, 县数据资源管理局]\n", ""
        ),
        encoding="utf-8",
    )

    result = gongkai("overdue", "--by", "unit", "-f", "md")

    assert result.exit_code == 0, result.stderr
    assert "县直相关单位 |" not in result.stdout
    assert result.stdout.endswith("共 10 个单位。\n\n未指定单位的任务：4（县直相关单位）。\n")
    units = [u["unit"] for u in json.loads(gongkai("overdue", "--by", "unit", "-f", "json").stdout)]
    assert "县直相关单位" not in units
    report = gongkai("report", "overdue", "-f", "json", "--out", "-")
    ranked = [u["unit"] for u in json.loads(report.stdout)["units"]]
    assert sorted(ranked) == sorted(units)


def test_overdue_by_unit_on_the_suixi_plan_names_its_open_group_apart(gongkai, real_data):
    result = gongkai(
        "overdue", "--by", "unit", "--as-of", "2021-10-31", "-f", "md", "--data", real_data
    )
    assert "| 县直相关单位 |" not in result.stdout
    assert result.stdout.endswith("共 49 个单位。\n\n未指定单位的任务：32（县直相关单位）。\n")


def test_the_log_shows_a_reporters_name_whole(gongkai, qingshan, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    note = "已起草预算公开方案，报县政府审定"
    gongkai("update", "3", "-u", "县财政局", "-s", "进行中", "-n", note, "--by", "Wang Xiaoming")

    table = gongkai("log", "-f", "table").stdout

    assert re.search(r"│ Wang Xiaoming +│", table), table


def test_an_undo_dated_outside_the_plan_year_says_so(gongkai, qingshan, monkeypatch):
    gongkai("update", "3", "-u", "县财政局", "-s", "进行中")
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-06")

    result = gongkai("undo")

    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "注意：撤销记录的日期是今天（2026年12月6日），不在计划年度（2024年）内；"
        "撤销对任何日期的状态都生效，这个日期只作记录。"
    )

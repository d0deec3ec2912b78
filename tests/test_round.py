"""A round of forms as the clerk runs it: the date each collected row gets, dates outside the
plan's year, text typed into a read-only column, and one error per wrong cell — on Suixi's
2021 plan and on 青山县's 2024 plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.qingshan import write_qingshan
from tests.test_forms import fill, log_lines, row_of

STATUS_WORDS = "未开始、进行中、进展缓慢、已完成、不涉及"


def send(gongkai, repo: Path, unit: str, round_: str) -> Path:
    result = gongkai("forms", "--unit", unit, "--as-of", round_, "--out", "forms")
    assert result.exit_code == 0, result.stderr
    return repo / "forms" / f"{unit}-进展填报-{round_}.xlsx"


@pytest.fixture
def qingshan(tmp_path, monkeypatch) -> Path:
    repo = write_qingshan(tmp_path / "qingshan")
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def suixi(ledger, monkeypatch) -> Path:
    monkeypatch.chdir(ledger)
    return ledger


# (fixture, unit, round, a task of that unit, another, the day the form is read)
PLANS = {
    "suixi": ("县财政局", "2021-10-31", 7, 8, "2021-11-05"),
    "qingshan": ("县财政局", "2024-06-30", 3, 4, "2024-07-08"),
}


@pytest.mark.parametrize("plan", PLANS)
def test_collected_rows_are_dated_by_the_round_not_by_the_day_they_are_read(
    gongkai, request, monkeypatch, plan
):
    repo = request.getfixturevalue(plan)
    unit, round_, done, doing, read_on = PLANS[plan]
    form = send(gongkai, repo, unit, round_)
    fill(form, {done: {"状态": "已完成"}, doing: {"状态": "进行中", "进展说明": "起草中"}})
    monkeypatch.setenv("GONGKAI_TODAY", read_on)

    result = gongkai("collect", f"forms/{form.name}")

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines()[1:3] == [
        f"  任务 {done} → 已完成（{round_}）",
        f"  任务 {doing} → 进行中（{round_}）：起草中",
    ]
    assert log_lines(repo) == [
        f"- {{date: {round_}, task: {done}, unit: {unit}, status: 已完成}}",
        f"- {{date: {round_}, task: {doing}, unit: {unit}, status: 进行中, note: 起草中}}",
    ]


def test_a_form_back_before_its_round_date_is_dated_the_day_it_is_read(
    gongkai, qingshan, monkeypatch
):
    form = send(gongkai, qingshan, "县财政局", "2024-06-30")
    fill(form, {3: {"状态": "进行中"}})
    monkeypatch.setenv("GONGKAI_TODAY", "2024-06-27")

    result = gongkai("collect", f"forms/{form.name}")

    assert result.exit_code == 0, result.stderr
    assert "  任务 3 → 进行中（2024-06-27）\n" in result.stdout


def test_the_clerks_date_still_overrides_the_rounds(gongkai, qingshan, monkeypatch):
    form = send(gongkai, qingshan, "县财政局", "2024-06-30")
    fill(form, {3: {"状态": "进行中"}, 4: {"状态": "已完成", "完成日期": "6月20日"}})
    monkeypatch.setenv("GONGKAI_TODAY", "2024-07-08")

    result = gongkai("collect", f"forms/{form.name}", "--date", "7月2日", "--dry-run")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:3] == [
        "  任务 3 → 进行中（2024-07-02）",
        "  任务 4 → 已完成（2024-06-20）",
    ]


@pytest.mark.parametrize(
    ("plan", "round_", "read_on", "task", "cells", "said"),
    [
        # a 完成日期 in the year before the plan's
        ("qingshan", "2024-06-30", "2024-07-08", 10,
         {"状态": "已完成", "完成日期": dt.datetime(2023, 12, 28)}, "2023年12月28日"),
        # a round held after the plan's year: its rows are dated by it
        ("suixi", "2022-01-10", "2022-01-12", 7, {"状态": "已完成"}, "2022年1月10日"),
    ],
)  # fmt: skip
def test_a_date_outside_the_plan_year_is_recorded_with_a_warning(
    gongkai, request, monkeypatch, plan, round_, read_on, task, cells, said
):
    repo = request.getfixturevalue(plan)
    form = send(gongkai, repo, "县财政局", round_)
    fill(form, {task: cells})
    monkeypatch.setenv("GONGKAI_TODAY", read_on)

    result = gongkai("collect", f"forms/{form.name}")

    assert result.exit_code == 0, result.stderr
    year = "2024" if plan == "qingshan" else "2021"
    assert result.stderr == (
        f"注意：{form.name} 任务 {task}：{said} 不在计划年度（{year}年）内；"
        "已照常记录，请确认日期无误。\n"
    )
    assert len(log_lines(repo)) == 1


@pytest.mark.parametrize("plan", PLANS)
def test_a_note_typed_into_the_read_only_column_is_a_warning_naming_where_it_belongs(
    gongkai, request, monkeypatch, plan
):
    repo = request.getfixturevalue(plan)
    unit, round_, task, other, read_on = PLANS[plan]
    form = send(gongkai, repo, unit, round_)
    fill(form, {task: {"上次说明": "已在专栏公开"}, other: {"当前状态": "已完成"}})
    import openpyxl

    sheet = openpyxl.load_workbook(form)["填报"]
    row, other_row = row_of(sheet, task), row_of(sheet, other)
    monkeypatch.setenv("GONGKAI_TODAY", read_on)

    result = gongkai("collect", f"forms/{form.name}")

    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{form.name}:填报!F{row}: 提醒：“上次说明”一栏只读，其中的改动不会记录；"
        f"请填在“进展说明”一栏（填报!H{row}）。",
        f"{form.name}:填报!E{other_row}: 提醒：“当前状态”一栏只读，其中的改动不会记录；"
        f"请填在“状态”一栏（填报!G{other_row}）。",
    ]
    assert log_lines(repo) == []


def test_a_read_only_note_left_as_sent_is_no_warning(gongkai, qingshan, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2024-06-01")
    gongkai("update", "3", "-u", "县财政局", "-s", "进行中", "-n", "已起草")
    form = send(gongkai, qingshan, "县财政局", "2024-06-30")
    fill(form, {3: {"进展说明": "已报县政府审定"}})
    monkeypatch.setenv("GONGKAI_TODAY", "2024-07-08")

    result = gongkai("collect", f"forms/{form.name}")

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "  任务 3 → 进行中（2024-06-30）：已报县政府审定\n" in result.stdout


@pytest.mark.parametrize("plan", PLANS)
def test_an_invalid_status_is_one_error_not_two(gongkai, request, monkeypatch, plan):
    repo = request.getfixturevalue(plan)
    unit, round_, task, _, read_on = PLANS[plan]
    form = send(gongkai, repo, unit, round_)
    fill(form, {task: {"状态": "完成了", "完成日期": "6月20日"}})
    import openpyxl

    row = row_of(openpyxl.load_workbook(form)["填报"], task)
    monkeypatch.setenv("GONGKAI_TODAY", read_on)

    result = gongkai("collect", f"forms/{form.name}")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{form.name}:填报!G{row}: 状态“完成了”无效，可填：{STATUS_WORDS}；是否是指“已完成”？",
        f"错误：{form.name} 有 1 处错误，整份未收取。",
    ]

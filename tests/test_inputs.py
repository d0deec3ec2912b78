"""Inputs as clerks type them: every date form, full-width digits and letters, Chinese choices,
across show, list, overdue, due, update and report; and the words the outputs answer in."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gongkai_cli.model.dates import chinese_date, parse_date
from gongkai_cli.model.statuses import task_state
from tests.conftest import files_of, git, runs_on, site_files

TODAY = dt.date(2026, 12, 6)  # a day whose date is shorter than the plan's: padding must not move
_today = runs_on(TODAY)
PLAN_YEAR = 2021

# Each spelling of 2021-10-31 a clerk may type (the plan's year is 2021).
OCT_31 = [
    "2021-10-31",
    "2021/10/31",
    "2021.10.31",
    "2021年10月31日",
    "10月31日",
    "10-31",
    "２０２１年１０月３１日",
    "２０２１－１０－３１",
    "１０月３１日",
    " 2021-10-31 ",
]


def payload(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("text", OCT_31)
@pytest.mark.parametrize(
    ("command", "read"),
    [
        (["show", "７"], lambda p: (p["number"], p["as_of"])),
        (["list", "--unit", "各镇", "--status", "逾期"], lambda p: [t["number"] for t in p]),
        (["overdue"], lambda p: [t["number"] for t in p]),
        (["due", "--within", "６１天"], lambda p: [(t["number"], t["days_left"]) for t in p]),
        (["report", "progress"], lambda p: p["as_of"]),
    ],
    ids=["show", "list", "overdue", "due", "report"],
)
def test_every_date_form_means_the_same_day(gongkai, real_data, command, read, text):
    expected = read(
        payload(gongkai(*command, "--as-of", "2021-10-31", "-f", "json", "--data", real_data))
    )
    assert (
        read(payload(gongkai(*command, "--as-of", text, "-f", "json", "--data", real_data)))
        == expected
    )


def test_the_forms_give_the_expected_answers(gongkai, real_data):
    def run(*args):
        return payload(gongkai(*args, "-f", "json", "--data", real_data))

    assert [t["number"] for t in run("overdue", "--as-of", "10月31日")] == [32, 40]
    assert run("show", "７", "--as-of", "10-31")["as_of"] == "2021-10-31"
    assert [
        t["number"] for t in run("list", "-u", "各镇", "--status", "逾期", "--as-of", "10-31")
    ] == [32, 40]
    assert run("due", "--as-of", "10-1", "--within", "６１天")[0]["number"] == 26


@pytest.mark.parametrize(
    ("text", "days_back"), [("今天", 0), ("昨天", 1), ("今日", 0), ("昨日", 1)]
)
def test_today_and_yesterday(gongkai, real_data, text, days_back):
    result = gongkai("show", "7", "--as-of", text, "-f", "json", "--data", real_data)
    assert payload(result)["as_of"] == (TODAY - dt.timedelta(days=days_back)).isoformat()


@pytest.mark.parametrize(
    "text", ["2021-02-30", "2021/13/01", "31/10/2021", "10/31", "13月1日", "前天", "2021年10月31"]
)
@pytest.mark.parametrize(
    "command", [["show", "7"], ["list"], ["overdue"], ["due"], ["report", "progress"]]
)
def test_impossible_or_ambiguous_dates_name_the_accepted_forms(gongkai, real_data, command, text):
    result = gongkai(*command, "--as-of", text, "--data", real_data)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"错误：--as-of“{text}”不是有效日期；请写成 2021-10-31、2021/10/31、2021.10.31、"
        "2021年10月31日、10月31日、10-31、10.31、今天 或 昨天。\n"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["list", "-u", "县财政局", "--role", "牵头"], "lead"),
        (["list", "-u", "县财政局", "--role", "lead"], "lead"),
        (["list", "-u", "县财政局", "--role", "落实"], "implementer"),
        (["list", "-u", "县财政局", "--role", "ｉｍｐｌｅｍｅｎｔｅｒ"], "implementer"),
    ],
)
def test_roles_in_chinese_or_english(gongkai, real_data, args, expected):
    rows = payload(gongkai(*args, "-f", "json", "--data", real_data))
    assert rows and {r["role"] for r in rows} == {expected}


@pytest.mark.parametrize("by", ["单位", "unit", "ｕｎｉｔ"])
def test_by_unit_in_chinese(gongkai, real_data, by):
    for command in ("overdue", "due"):
        english = gongkai(
            command, "--by", "unit", "--as-of", "2021-10-31", "-f", "json", "--data", real_data
        )
        typed = gongkai(
            command, "--by", by, "--as-of", "2021-10-31", "-f", "ｊｓｏｎ", "--data", real_data
        )
        assert payload(typed) == payload(english)
        assert "unit" in payload(typed)[0]


@pytest.mark.parametrize(
    "word", ["逾期", "临期", "逾期完成", "已办结", "已完成", "进行中", "未开始", "doing", "overdue"]
)
def test_list_status_takes_every_state_word(gongkai, real_data, word):
    result = gongkai(
        "list", "--status", word, "--as-of", "2021-10-31", "-f", "json", "--data", real_data
    )
    assert result.exit_code == 0, result.stderr


def test_list_by_derived_state(gongkai, real_data):
    def numbers(*args):
        return [
            t["number"] for t in payload(gongkai("list", *args, "-f", "json", "--data", real_data))
        ]

    assert numbers("--status", "逾期", "--as-of", "2021-10-31") == [32, 40]
    assert numbers("--status", "overdue", "--as-of", "2021-10-31") == [32, 40]
    assert numbers("--status", "临期", "--as-of", "2021-10-01") == [26, 27, 28, 29]
    assert numbers("--status", "逾期完成", "--as-of", "2021-10-31") == []


def test_list_of_a_group_is_the_union_of_its_units_tasks(gongkai, real_data):
    rows = payload(
        gongkai(
            "list", "--unit", "各镇", "--as-of", "2021-10-31", "-f", "json", "--data", real_data
        )
    )
    town_tasks = {
        t["number"]
        for town in ("濉溪镇", "四铺镇")
        for t in payload(gongkai("list", "-u", town, "-f", "json", "--data", real_data))
    }
    assert town_tasks <= {r["number"] for r in rows}
    by_number = {r["number"]: r for r in rows}
    assert len(by_number[40]["group_units"]) == 11
    table = gongkai(
        "list", "--unit", "各镇", "--as-of", "2021-10-31", "-f", "md", "--data", real_data
    )
    assert "| 40 | 对2020年度政务公开重点任务" in table.stdout
    assert "| 6月底前 | 11 个单位 | 未开始（逾期），0/11 个单位已完成 |" in table.stdout


def test_an_as_of_far_from_the_plan_year_gets_a_note(gongkai, real_data):
    result = gongkai("overdue", "--as-of", "2019-06-01", "-f", "json", "--data", real_data)
    assert result.exit_code == 0
    assert result.stderr == "提示：--as-of 2019年6月1日 距计划年度（2021年）超过一年。\n"
    assert (
        gongkai("overdue", "--as-of", "2022-06-01", "-f", "json", "--data", real_data).stderr == ""
    )


def test_update_takes_the_clerks_forms(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = gongkai("update", "７", "-u", "县财政局", "-s", "ｄｏｎｅ", "--date", "６月２０日")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("已记录：任务 7 县财政局 → 已完成（2021-06-20）。\n")
    assert "Date: 2021-06-20" in git(ledger, "log", "-1", "--format=%B")


def test_update_outside_the_plan_year_records_with_a_warning(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = gongkai("update", "7", "-u", "县财政局", "-s", "进行中", "--date", "2020-05-01")
    assert result.exit_code == 0
    assert (
        result.stderr
        == "注意：2020年5月1日 不在计划年度（2021年）内；已照常记录，请确认日期无误。\n"
    )
    assert "date: 2020-05-01" in (ledger / "data" / "progress.yaml").read_text(encoding="utf-8")


def test_the_same_ledger_says_each_state_in_the_same_words(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)

    result = gongkai(
        "update", "40", "-u", "县政府办公室", "-u", "各镇", "-u", "县直各单位",
        "-s", "已完成", "--date", "2021-10-15", "--no-commit",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    units = ["x"] * 49
    as_of = ("--as-of", "2021-10-31")
    closed_late = "已办结（逾期完成）"
    assert (
        f"截至 2021年10月31日：{closed_late}，{len(units)}/{len(units)} 个单位已完成"
        in gongkai("show", "40", *as_of, "-f", "md").stdout
    )
    listing = gongkai("list", "--section", "六", *as_of, "-f", "csv").stdout
    assert f"{closed_late}，{len(units)}/{len(units)} 个单位已完成" in listing
    report = gongkai("report", "progress", *as_of, "-f", "md", "-o", "-").stdout
    assert f"{closed_late}；" in report or f"{closed_late}。" in report
    assert report.startswith("# 濉溪县2021年政务公开重点工作任务进展情况（截至 2021年10月31日）\n")
    assert "征求意见稿" not in report.splitlines()[0]
    stats = gongkai("stats", *as_of, "-f", "csv").stdout
    assert stats.startswith("单位,项次,完成,按期,逾期,完成率,按期率\n")
    assert "任务单位数" in gongkai("stats", *as_of, "-f", "md", "-o", "-").stdout


def test_task_states_come_from_one_function():
    assert task_state(["已完成", "不涉及"]) == "已办结"
    assert task_state(["已完成"], ["逾期完成"]) == "已办结（逾期完成）"
    assert task_state(["进行中", "未开始"], ["逾期", None]) == "进行中（逾期）"
    assert task_state(["未开始"]) == "未开始"


@pytest.mark.parametrize(
    ("day", "text"),
    [(dt.date(2021, 10, 31), "2021年10月31日"), (dt.date(2021, 6, 5), "2021年6月5日")],
)
def test_chinese_date(day, text):
    assert chinese_date(day) == text


def test_month_day_forms_ask_for_the_plan_year_only_when_needed():
    asked = []

    def year():
        asked.append(True)
        return 2021

    assert parse_date("2020-01-02", year=year) == dt.date(2020, 1, 2)
    assert asked == []
    assert parse_date("1月2日", year=year) == dt.date(2021, 1, 2)
    assert asked == [True]


@pytest.mark.parametrize("text", OCT_31)
def test_update_reads_every_date_form(gongkai, ledger, monkeypatch, text):
    monkeypatch.chdir(ledger)
    # The date is in the past for the update, so it is recorded as typed.
    result = gongkai("update", "7", "-u", "县财政局", "-s", "进行中", "--date", text, "--no-commit")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("已记录：任务 7 县财政局 → 进行中（2021-10-31）。\n")


@pytest.mark.parametrize(("typed", "meant"), [("４", "4"), ("四", "4"), ("  ４ ", "4")])
def test_section_numbers_in_full_width(gongkai, real_data, typed, meant):
    def numbers(section):
        rows = payload(gongkai("list", "--section", section, "-f", "json", "--data", real_data))
        return [r["number"] for r in rows]

    assert numbers(typed) == numbers(meant) != []


def same_files(a, b) -> bool:
    written = files_of(a)
    assert written, a
    return written == files_of(b)


@pytest.mark.parametrize(
    ("option", "written", "iso"),
    [("--as-of", "10月31日", "2021-10-31"), ("--due", "１１－７", "2021-11-07")],
)
def test_forms_read_dates_without_a_year_in_the_plans_year(
    gongkai, real_data, tmp_path, option, written, iso
):
    def forms(text: str, out: str):
        args = ["forms", "-u", "县财政局", "--as-of", "2021-10-31", option, text]
        result = gongkai(*args, "--out", tmp_path / out, "--data", real_data)
        assert result.exit_code == 0, result.stderr

    forms(written, "typed")
    forms(iso, "iso")
    assert same_files(tmp_path / "typed", tmp_path / "iso")


def test_the_site_reads_a_date_without_a_year_in_the_plans_year(gongkai, real_data, tmp_path):
    for text, out in [("10月31日", "typed"), ("2021-10-31", "iso")]:
        result = gongkai("site", "--as-of", text, "--out", tmp_path / out, "--data", real_data)
        assert result.exit_code == 0, result.stderr
    assert site_files(tmp_path / "typed") == site_files(tmp_path / "iso")


@pytest.mark.parametrize(
    ("command", "written", "iso"),
    [
        (["log", "--since"], "6月1日", "2021-06-01"),
        (["forms", "status", "--round"], "10-31", "2021-10-31"),
    ],
    ids=["log", "forms status"],
)
def test_history_options_read_dates_without_a_year_in_the_plans_year(
    gongkai, ledger, monkeypatch, command, written, iso
):
    monkeypatch.chdir(ledger)
    gongkai("update", "7", "-u", "县财政局", "-s", "进行中", "--date", "2021-06-20")
    typed, plain = gongkai(*command, written, "-f", "json"), gongkai(*command, iso, "-f", "json")
    assert typed.exit_code == 0, typed.stderr
    assert typed.stdout == plain.stdout and typed.stdout.strip() not in ("", "[]")


def test_collect_reads_a_date_without_a_year_in_the_plans_year(
    gongkai, ledger, monkeypatch, tmp_path
):
    monkeypatch.chdir(ledger)
    result = gongkai(
        "forms", "-u", "县财政局", "--as-of", "2021-10-31", "--out", tmp_path / "forms"
    )
    assert result.exit_code == 0, result.stderr
    (form,) = (tmp_path / "forms").iterdir()
    typed = gongkai("collect", form, "--date", "10月31日", "--dry-run")
    plain = gongkai("collect", form, "--date", "2021-10-31", "--dry-run")
    assert typed.exit_code == 0, typed.stderr
    assert (typed.stdout, typed.stderr) == (plain.stdout, plain.stderr)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("完成了", "已完成"),
        ("已办结", "已完成"),
        ("已落实", "已完成"),
        ("滞后", "进展缓慢"),
        ("不适用", "不涉及"),
        ("推进中", "进行中"),
    ],
)
def test_a_status_word_of_another_ledger_is_refused_with_the_status_it_means(typed, meant):
    """Never taken without asking: the clerk confirms by typing the status."""
    from gongkai_cli.errors import InvalidValue
    from gongkai_cli.model.statuses import parse_status

    with pytest.raises(InvalidValue) as refused:
        parse_status(typed)
    assert str(refused.value).endswith(f"是否是指“{meant}”？")

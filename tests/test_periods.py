"""Recurring tasks: schedules read from deadline phrases, and each period late or done on its own."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gongkai_cli.model.deadlines import parse_deadline
from gongkai_cli.model.schedules import normalize_period, parse_schedule
from tests.conftest import write_ledger

D = dt.date


@pytest.mark.parametrize(
    ("phrase", "reading", "third"),
    [
        ("每月10日前报送", "每月一期，次月10日前报送", ("2021-03", D(2021, 4, 10))),
        ("按月", "每月一期，月底前报送", ("2021-03", D(2021, 3, 31))),
        ("每月25号前上报", "每月一期，次月25日前报送", ("2021-03", D(2021, 4, 25))),
        ("按季度报送", "每季度一期，季度末前报送", ("2021-Q3", D(2021, 9, 30))),
        (
            "每季度结束后10日内报送",
            "每季度一期，季度结束后10日内报送",
            ("2021-Q3", D(2021, 10, 10)),
        ),
        ("季度结束后15日内", "每季度一期，季度结束后15日内报送", ("2021-Q3", D(2021, 10, 15))),
        ("每周更新", "每周一期，周日前报送", ("2021-W03", D(2021, 1, 24))),
        ("每周五前", "每周一期，周五前报送", ("2021-W03", D(2021, 1, 22))),
        ("每半年", "每半年一期，半年末前报送", None),
        # What to do may follow the schedule: it says nothing more about when.
        ("按月向县政务公开办报送优秀稿件", "每月一期，月底前报送", ("2021-03", D(2021, 3, 31))),
        ("按季度开展自查", "每季度一期，季度末前报送", ("2021-Q3", D(2021, 9, 30))),
        ("每月底前", "每月一期，月底前报送", ("2021-03", D(2021, 3, 31))),
        ("每季度首月10日前", "每季度一期，季度结束后10日内报送", ("2021-Q3", D(2021, 10, 10))),
        ("每年报送一次", "每年一期，年底前报送", None),
    ],
)
def test_each_kind_of_recurring_phrase_is_read_as_a_schedule(phrase, reading, third):
    schedule = parse_schedule(phrase)
    assert schedule is not None
    assert parse_deadline(phrase, 2021).kind == "ongoing"  # never late as a whole
    assert schedule.describe() == reading
    periods = schedule.periods(2021)
    if third:
        assert (periods[2].label, periods[2].due) == third


def test_half_yearly_weekly_and_yearly_periods_cover_the_plan_year():
    half = parse_schedule("每半年")
    assert [(p.label, p.start, p.due) for p in half.periods(2021)] == [
        ("2021-H1", D(2021, 1, 1), D(2021, 6, 30)),
        ("2021-H2", D(2021, 7, 1), D(2021, 12, 31)),
    ]
    weeks = parse_schedule("每周").periods(2021)
    assert (len(weeks), weeks[0].start, weeks[-1].label, weeks[-1].due) == (
        52,
        D(2021, 1, 4),
        "2021-W52",
        D(2022, 1, 2),
    )
    # December's report under 每月10日前 falls due in the next year.
    assert parse_schedule("每月10日前").periods(2021)[-1].due == D(2022, 1, 10)


def test_dated_and_unreadable_phrases_give_no_schedule():
    assert parse_schedule("10月底前") is None
    assert parse_schedule("第三季度") is None
    assert parse_schedule("持续推进") is None
    assert parse_schedule("每日巡查") is None  # recurs, but not by a period gongkai keeps
    # They say more about when than gongkai reads: ongoing, with a warning (never misread).
    for phrase in ("每月初", "每月上旬", "每月第一周", "每年12月底前", "每季度首月"):
        assert parse_schedule(phrase) is None, phrase
    assert parse_deadline("每日巡查", 2021).kind == "ongoing"


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("2021-03", "2021-03"),
        ("2021-3", "2021-03"),
        ("2021年3月", "2021-03"),
        ("2021Q2", "2021-Q2"),
        ("2021年第二季度", "2021-Q2"),
        ("2021-w14", "2021-W14"),
        ("2021上半年", "2021-H1"),
        ("2021", "2021-Y"),
        ("2021-13", None),
        ("2021-W54", None),
        ("三月", None),
    ],
)
def test_periods_are_typed_as_clerks_write_them(typed, label):
    assert normalize_period(typed) == label


TASKS = """\
title: 测试县2021年政务公开工作要点
year: 2021
tasks:
- number: 1
  section: 一、公开重点领域信息
  subsection: （一）预算决算。
  requirement: 公开部门预算。
  responsibility: 县财政局负责落实
  deadline: 6月底前
- number: 2
  section: 二、强化监督
  subsection: （一）报送信息。
  requirement: 报送政务公开工作月报。
  responsibility: 各镇负责落实
  deadline: 每月10日前报送
- number: 3
  section: 二、强化监督
  subsection: （一）报送信息。
  requirement: 每日巡查政府网站。
  responsibility: 县政府办公室负责落实
  deadline: 每日巡查
"""

# A year of task 2 for 甲镇: January on time, February late, March missed, April's report on
# its due day without naming the period; 乙镇 is excused (不涉及) from 20 January on.
YEAR = """\
- {id: a0000001, date: 2021-01-20, task: 2, unit: 乙镇, status: 不涉及, period: 2021-01}
- {id: a0000002, date: 2021-02-05, task: 2, unit: 甲镇, status: 已完成, period: 2021-01}
- {id: a0000003, date: 2021-03-01, task: 2, unit: 甲镇, status: 进行中, period: 2021-02}
- {id: a0000004, date: 2021-03-15, task: 2, unit: 甲镇, status: 已完成, period: 2021-02}
- {id: a0000005, date: 2021-05-10, task: 2, unit: 甲镇, status: 已完成}
"""


@pytest.fixture
def year(tmp_path):
    return write_ledger(tmp_path, TASKS, progress=YEAR)


def run_json(gongkai, *args):
    result = gongkai(*args, "--data", "data", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_validate_shows_each_schedule_and_warns_of_an_unreadable_one(gongkai, year):
    result = gongkai("validate", "--data", "data")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if "units.yaml" not in line]
    assert lines == [
        "data/tasks.yaml:21:13: warning: 任务 3 的时限“每日巡查”像是周期性要求，"
        "但无法读作按月、按季度、按周、每半年或每年报送；按持续推进处理，不计逾期。",
        "周期性任务 1 项，时限读作：",
        "  任务 2“每月10日前报送”：每月一期，次月10日前报送；2021-01 至 2021-12 共 12 期，"
        "首期 2021-02-10 截止，末期 2022-01-10 截止。",
    ]
    payload = run_json(gongkai, "validate")
    assert payload["schedules"][0]["schedule"] == {
        "kind": "monthly",
        "text": "每月一期，次月10日前报送",
    }
    assert payload["schedules"][0]["periods"][1] == {"period": "2021-02", "due": "2021-03-10"}


def test_a_period_is_late_only_after_its_due_date(gongkai, year):
    assert run_json(gongkai, "overdue", "--as-of", "2021-03-10") == []
    assert run_json(gongkai, "overdue", "--as-of", "2021-03-12") == [
        {
            "number": 2,
            "period": "2021-02",
            "deadline": {"text": "每月10日前报送", "kind": "date", "date": "2021-03-10"},
            "days_overdue": 2,
            "units": ["甲镇"],
            "unresolved": [],
        }
    ]
    # Done on 15 March: no longer late, but 逾期完成 for February.
    assert run_json(gongkai, "overdue", "--as-of", "2021-03-20") == []


def test_show_lists_every_period_begun_with_each_units_share(gongkai, year):
    payload = run_json(gongkai, "show", "2", "--as-of", "2021-05-10")
    assert payload["deadline"] == {"text": "每月10日前报送", "kind": "ongoing", "date": None}
    assert payload["schedule"] == {"kind": "monthly", "text": "每月一期，次月10日前报送"}
    excused = {"status": "不涉及", "date": "2021-01-20", "light": None}
    jia = [
        ("2021-01", "2021-02-10", "已完成", "2021-02-05", None),
        ("2021-02", "2021-03-10", "已完成", "2021-03-15", "逾期完成"),
        ("2021-03", "2021-04-10", "未开始", None, "逾期"),
        # Reported on its due day, naming no period: April's, on time.
        ("2021-04", "2021-05-10", "已完成", "2021-05-10", None),
        ("2021-05", "2021-06-10", "未开始", None, None),
    ]
    assert payload["periods"] == [
        {
            "period": period,
            "due": due,
            "units": {
                "甲镇": {"status": status, "date": date, "light": light},
                "乙镇": excused,
            },
        }
        for period, due, status, date, light in jia
    ]
    dated = run_json(gongkai, "show", "1", "--as-of", "2021-05-10")
    assert "periods" not in dated and "schedule" not in dated


def test_a_year_of_a_monthly_task_on_time_late_and_missed(gongkai, year):
    items = run_json(gongkai, "overdue", "--as-of", "2022-01-31")
    assert [(i["number"], i.get("period"), i["days_overdue"], i["units"]) for i in items] == [
        (1, None, 215, ["县财政局"]),
        (2, "2021-03", 296, ["甲镇"]),
        *[(2, f"2021-{m:02d}", days, ["甲镇"]) for m, days in _MISSED],
    ]
    text = gongkai("overdue", "--data", "data", "--as-of", "2022-01-31", "--by", "unit")
    assert "| 甲镇 | 9 | 2〔2021-03〕（296天）、2〔2021-05〕（235天）、" in text.stdout
    bulletin = gongkai(
        "report",
        "overdue",
        "--data",
        "data",
        "--as-of",
        "2022-01-31",
        "--format",
        "md",
        "--out",
        "-",
    ).stdout.splitlines()
    assert bulletin[2] == (
        "截至 2022年1月31日，共有 2 项任务逾期未完成（其中定期任务逾期 9 期次），涉及 2 个单位。"
    )
    assert (
        "| 2 | 报送政务公开工作月报。 | 每月10日前报送（2021-03期，2021-04-10） | 296 | 甲镇 |"
        in bulletin
    )
    stats = run_json(gongkai, "stats", "--as-of", "2022-01-31")
    note = gongkai(
        "stats", "--data", "data", "--as-of", "2022-01-31", "--format", "md", "--out", "-"
    ).stdout
    assert "定期任务（每月、每季度报送等）每到期一期，每个单位计一项次。" in note
    jia = next(r for r in stats["rows"] if r["key"] == "甲镇")
    # Twelve periods due: January and April on time, February late, nine missed.
    assert (jia["total"], jia["done"], jia["on_time"], jia["overdue"]) == (12, 3, 2, 9)
    yi = next(r for r in stats["rows"] if r["key"] == "乙镇")
    assert (yi["total"], yi["done"], yi["overdue"]) == (12, 12, 0)


# May to December: the periods missed after April, and their days late on 31 January 2022.
_MISSED = [(5, 235), (6, 205), (7, 174), (8, 143), (9, 113), (10, 82), (11, 52), (12, 21)]


def test_due_lists_the_period_falling_due(gongkai, year):
    items = run_json(gongkai, "due", "--as-of", "2021-06-01", "--within", "10d")
    assert [(i["number"], i.get("period"), i["days_left"], i["units"]) for i in items] == [
        (2, "2021-05", 9, ["甲镇"])
    ]


def test_list_status_overdue_finds_a_recurring_task_late_in_a_period(gongkai, year):
    items = run_json(gongkai, "list", "--status", "逾期", "--as-of", "2021-04-20")
    assert [i["number"] for i in items] == [2]
    shown = gongkai("list", "--data", "data", "--as-of", "2021-04-20")
    assert (
        "| 2 | 报送政务公开工作月报。 | 落实：甲镇、乙镇（2个） | 每月10日前报送 | 进行中（逾期），2021-04期 1/2 个单位已完成 |"
        in shown.stdout
    )


def test_update_records_the_period_asked_for_or_the_one_its_date_reports_on(
    gongkai, year, monkeypatch
):
    monkeypatch.setenv("GONGKAI_TODAY", "2021-06-08")
    first = gongkai("update", "2", "--unit", "甲镇", "-s", "已完成", "--data", "data")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith("已记录：任务 2 甲镇 → 已完成（2021-06-08，期次 2021-05）。")
    late = gongkai(
        "update", "2", "--unit", "甲镇", "-s", "done", "--period", "2021年3月", "--data", "data"
    )
    assert late.exit_code == 0, late.stderr
    lines = (year / "progress.yaml").read_text(encoding="utf-8").splitlines()
    assert ", date: 2021-06-08, task: 2, unit: 甲镇, status: 已完成, period: 2021-05" in lines[-2]
    assert ", date: 2021-06-08, task: 2, unit: 甲镇, status: 已完成, period: 2021-03" in lines[-1]
    # March, missed until now, is done late; nothing else was due by 8 June.
    assert run_json(gongkai, "overdue") == []
    march = run_json(gongkai, "show", "2")["periods"][2]
    assert march["units"]["甲镇"] == {"status": "已完成", "date": "2021-06-08", "light": "逾期完成"}


def test_update_refuses_a_period_that_is_not_the_tasks(gongkai, year, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2021-06-08")
    before = (year / "progress.yaml").read_bytes()
    wrong = gongkai(
        "update", "2", "--unit", "甲镇", "-s", "已完成", "--period", "2021-Q1", "--data", "data"
    )
    assert wrong.exit_code == 1
    assert wrong.stderr == (
        "错误：--period 2021-Q1 不是任务 2（每月一期，次月10日前报送）的期次，"
        "应为 2021-01 至 2021-12 之一；未写入。\n"
    )
    dated = gongkai(
        "update", "1", "--unit", "县财政局", "-s", "已完成", "--period", "2021-03", "--data", "data"
    )
    assert dated.exit_code == 1
    assert (
        dated.stderr == "错误：任务 1 的时限“6月底前”不是周期性要求，不能指定 --period；未写入。\n"
    )
    typo = gongkai(
        "update", "2", "--unit", "甲镇", "-s", "已完成", "--period", "三月", "--data", "data"
    )
    assert typo.exit_code == 1
    assert typo.stderr.startswith("错误：--period“三月”不是期次；")
    ahead = gongkai(
        "update", "2", "--unit", "甲镇", "-s", "已完成", "--period", "2021-07", "--data", "data"
    )
    assert (ahead.exit_code, ahead.stderr) == (
        1,
        "错误：--period 2021-07 这一期从 2021-07-01 才开始，2021-06-08 的进展不能报这一期；"
        "请核对 --period 或 --date；未写入。\n",
    )
    assert (year / "progress.yaml").read_bytes() == before


def test_validate_locates_a_period_that_is_not_the_tasks(gongkai, tmp_path):
    write_ledger(
        tmp_path,
        TASKS,
        progress=YEAR
        + "- {id: a0000006, date: 2021-05-10, task: 2, unit: 甲镇, status: 已完成, period: 2021-Q2}\n"
        + "- {id: a0000007, date: 2021-05-10, task: 1, unit: 县财政局, status: 已完成, period: 2021-05}\n",
    )
    result = gongkai("validate", "--data", "data")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:3] == [
        "data/progress.yaml:6:76: error: 期次“2021-Q2”不是任务 2（每月一期，次月10日前报送）的期次；"
        "应为 2021-01 至 2021-12 之一（每月一期）。",
        "data/progress.yaml:7:78: error: 任务 1 的时限“6月底前”不是周期性要求，进展不应写期次（period）。",
    ]


def test_periods_survive_the_cache(gongkai, year):
    first = run_json(gongkai, "overdue", "--as-of", "2021-06-30")
    again = run_json(gongkai, "overdue", "--as-of", "2021-06-30")  # answered from the cache
    assert first == again
    assert [i.get("period") for i in again] == ["2021-03", "2021-05"]


# 甲镇 asks on 5 June for May's report (due 10 June) to wait until 20 June; granted on 6 June.
EXTENDED = (
    YEAR
    + "- {id: e0000001, date: 2021-06-05, task: 2, unit: 甲镇, extend_to: 2021-06-20, note: 数据未汇总}\n"
    + "- {id: d0000001, date: 2021-06-06, decides: e0000001, verdict: 批准}\n"
)


def test_an_approved_extension_moves_the_periods_falling_due_before_it(gongkai, tmp_path):
    data = write_ledger(tmp_path, TASKS, progress=EXTENDED)
    # 15 June: May's report would be late; it is extended, so only March (missed) is.
    late = run_json(gongkai, "overdue", "--as-of", "2021-06-15")
    assert [(i["period"], i["days_overdue"], i["units"]) for i in late] == [
        ("2021-03", 66, ["甲镇"])
    ]
    # 25 June, still no report: late since the 20th, the date granted.
    late = run_json(gongkai, "overdue", "--as-of", "2021-06-25")
    assert [(i["period"], i["days_overdue"]) for i in late] == [("2021-03", 76), ("2021-05", 5)]
    # Reported on the 18th: on time by the date granted.
    with (data / "progress.yaml").open("a", encoding="utf-8") as log:
        log.write(
            "- {id: a0000009, date: 2021-06-18, task: 2, unit: 甲镇, status: 已完成, period: 2021-05}\n"
        )
    may = run_json(gongkai, "show", "2", "--as-of", "2021-06-25")["periods"][4]
    assert may["units"]["甲镇"] == {
        "status": "已完成",
        "date": "2021-06-18",
        "light": None,
        "extended_to": "2021-06-20",
    }
    assert [i["period"] for i in run_json(gongkai, "overdue", "--as-of", "2021-06-25")] == [
        "2021-03"
    ]


def test_forms_report_each_month_on_its_own_period(gongkai, tmp_path, monkeypatch):
    """A unit's 已完成 on last month's form is no answer for this month's: each collected
    row of a recurring task is recorded for the period its date reports on."""
    from tests.conftest import GIT_ENV, git, init_repo
    from tests.test_forms import fill

    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-12-31")
    write_ledger(tmp_path, TASKS)
    init_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    for round_ in ("2021-02-05", "2021-03-05"):
        issued = gongkai("forms", "--unit", "甲镇", "--as-of", round_, "--out", f"f{round_}")
        assert issued.exit_code == 0, issued.stderr
        form = next((tmp_path / f"f{round_}").glob("*.xlsx"))
        fill(form, {2: {"状态": "已完成", "进展说明": "已按时报送"}}, by="李四")
        collected = gongkai("collect", str(form))
        assert collected.exit_code == 0, collected.stderr
    # collect says which period each row went to, as update does, on screen and in git.
    assert "  任务 2 → 已完成（2021-03-05，期次 2021-02）：已按时报送" in collected.stdout
    message = git(tmp_path, "log", "-1", "--format=%B")
    assert "任务 2 → 已完成（2021-03-05，期次 2021-02）" in message.splitlines()
    log = (tmp_path / "data" / "progress.yaml").read_text(encoding="utf-8").splitlines()
    assert [line.split(", by:")[0].split(", ", 1)[1] for line in log if "task: 2" in line] == [
        "date: 2021-02-05, task: 2, unit: 甲镇, status: 已完成, period: 2021-01, note: 已按时报送",
        "date: 2021-03-05, task: 2, unit: 甲镇, status: 已完成, period: 2021-02, note: 已按时报送",
    ]


def test_where_the_office_reviews_a_returned_period_is_late_again(gongkai, tmp_path):
    """甲镇's April report (done on 10 May, on time) is returned on 12 May: April is late
    again until a new report passes."""
    reviewed = TASKS.replace("year: 2021\n", "year: 2021\nreview: true\n", 1)
    write_ledger(
        tmp_path,
        reviewed,
        progress=YEAR
        + "- {id: r0000001, date: 2021-05-12, reviews: a0000005, verdict: 退回, note: 数据不全}\n",
    )
    april = run_json(gongkai, "show", "2", "--as-of", "2021-05-11")["periods"][3]
    assert april["units"]["甲镇"]["light"] is None  # 待审核: done as far as dates go
    late = run_json(gongkai, "overdue", "--as-of", "2021-05-13")
    assert [(i["period"], i["units"]) for i in late] == [
        ("2021-03", ["甲镇"]),
        ("2021-04", ["甲镇"]),
    ]


def test_where_the_office_reviews_every_periods_claim_waits_in_the_queue(gongkai, tmp_path):
    """甲镇's January, February and April reports all wait for a verdict: a later month's
    report does not hide an earlier one from `review`, and `review 通过 --task` passes all."""
    reviewed = TASKS.replace("year: 2021\n", "year: 2021\nreview: true\n", 1)
    write_ledger(tmp_path, reviewed, progress=YEAR)
    waiting = run_json(gongkai, "review", "--as-of", "2021-05-11")
    assert [(c["id"], c["date"]) for c in waiting] == [
        ("a0000002", "2021-02-05"),
        ("a0000004", "2021-03-15"),
        ("a0000005", "2021-05-10"),
    ]
    passed = gongkai(
        "review", "通过", "--task", "2", "--date", "2021-05-11", "--no-commit", "--data", "data"
    )
    assert passed.exit_code == 0, passed.stderr
    assert passed.stdout.startswith("已通过 3 条进展：")
    assert run_json(gongkai, "review", "--as-of", "2021-05-11") == []


def test_list_for_a_unit_shows_its_latest_period_and_how_many_are_late(gongkai, year):
    """甲镇 reported April on its due day and missed March: the listing for 甲镇 says so,
    as `overdue` does, instead of the 已完成 of its latest update."""
    listed = gongkai("list", "--unit", "甲镇", "--as-of", "2021-05-11", "--data", "data")
    assert listed.exit_code == 0, listed.stderr
    assert "| 2 | 落实 | 报送政务公开工作月报。 | 每月10日前报送 | 未开始（逾期 1 期） |  |" in (
        listed.stdout.splitlines()
    )
    late = run_json(gongkai, "overdue", "--as-of", "2021-05-11")
    assert [(i["period"], i["units"]) for i in late if i["number"] == 2] == [("2021-03", ["甲镇"])]
    excused = gongkai("list", "--unit", "乙镇", "--as-of", "2021-05-11", "--data", "data")
    assert "| 2 | 落实 | 报送政务公开工作月报。 | 每月10日前报送 | 不涉及（2021-05期） |  |" in (
        excused.stdout.splitlines()
    )


def test_the_site_lights_a_unit_red_for_its_late_periods_and_counts_the_latest(year):
    """The site agrees with `overdue` and `list`: 甲镇's March is late, so its share of the
    monthly task is red on its page and in the counts, and the task's 完成单位 is May's."""
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.output.site.pages import (
        Light,
        burnup,
        counts,
        folded,
        summaries,
        unit_pages,
    )
    from gongkai_cli.record.audit import book_and_log

    book, _ = book_and_log(DataDir(year, "option"))
    day = dt.date(2021, 5, 11)
    rows = folded(book, day)
    page = next(p for p in unit_pages(book, rows, day) if p.name == "甲镇")
    monthly = next(r for r in page.rows if r.task == 2)
    assert (monthly.light, monthly.status, monthly.due_date) == (
        Light("red", "逾期", "逾期 1 期"),
        "未开始",
        dt.date(2021, 4, 10),
    )
    summary = summaries(book, rows, day)
    assert [(s.done, s.total) for s in summary if s.number == 2] == [(1, 2)]
    assert counts(rows, summary, day)["责任分工（任务×单位）"]["逾期"] == 1
    # The burn-up ends where the overview stands: 乙镇 excused, 甲镇's May not yet in.
    assert (
        burnup(book, day).done[-1]
        == counts(rows, summary, day)["责任分工（任务×单位）"]["已完成"]
        == 1
    )


def test_a_form_shows_a_recurring_tasks_latest_period_and_the_periods_late(gongkai, year):
    """甲镇's form of 11 May says its May report is not begun and March is late, as `list
    --unit` does, and collecting the form untouched warns of nothing."""
    import openpyxl

    issued = gongkai(
        "forms", "--unit", "甲镇", "--as-of", "2021-05-11", "--out", "f", "--data", "data"
    )
    assert issued.exit_code == 0, issued.stderr
    form = next((year.parent / "f").glob("*.xlsx"))
    sheet = openpyxl.load_workbook(form).worksheets[0]
    rows = {str(r[0]): r[4] for r in sheet.iter_rows(values_only=True) if str(r[0]) in ("1", "2")}
    assert rows == {"2": "2021-05期 未开始（逾期 1 期）"}
    checked = gongkai("collect", str(form), "--dry-run", "--data", "data")
    assert (checked.exit_code, checked.stderr) == (0, "")


def test_log_names_the_period_an_update_reports_on(gongkai, year):
    """Two 已完成 of the monthly task read the same in the log unless it says which month
    each was for; an update that names no period logs as before."""
    entries = run_json(gongkai, "log", "2")
    assert [(e["id"], e.get("period")) for e in entries] == [
        ("a0000005", None),
        ("a0000004", "2021-02"),
        ("a0000003", "2021-02"),
        ("a0000002", "2021-01"),
        ("a0000001", "2021-01"),
    ]
    shown = gongkai("log", "2", "--data", "data").stdout
    assert "| a0000002 | 2021-02-05 | 2 | 甲镇 | 已完成（2021-01期） |" in shown
    assert "| a0000005 | 2021-05-10 | 2 | 甲镇 | 已完成 |" in shown


def test_the_reports_tell_a_recurring_task_by_its_periods(gongkai, year):
    """The unit's checklist and the progress table say what overdue says of the monthly
    task: 甲镇 is late in March, and May's count is what stands."""
    args = ("--as-of", "2021-05-11", "--format", "md", "--out", "-", "--data", "data")
    checklist = gongkai("report", "unit", "甲镇", *args).stdout.splitlines()
    assert checklist[2] == "共 1 项：牵头 0 项，落实 1 项；已完成 0 项，逾期未完成 1 项。"
    assert (
        "| 2 | 报送政务公开工作月报。 | 每月10日前报送 | 2021年6月10日 | 未开始（逾期 1 期） |  |"
        in checklist
    )
    progress = gongkai("report", "progress", *args).stdout
    assert "| 每月10日前报送 | 2021-05期 1/2 个单位已完成；逾期未完成：甲镇。 |" in progress


def test_the_sites_page_of_a_recurring_task_says_each_period_is_due(gongkai, year):
    """Not 不计逾期 beside a red light: the page gives the task's reading and counts the
    latest period, as `list` does."""
    built = gongkai("site", "--as-of", "2021-05-11", "--out", "site", "--data", "data")
    assert built.exit_code == 0, built.stderr
    page = (year.parent / "site" / "tasks" / "2.html").read_text(encoding="utf-8")
    assert "（每月一期，次月10日前报送，每期到期未完成即逾期）</dd>" in page
    assert "<dt>进展</dt><dd>2021-05期 1/2 个单位已完成</dd>" in page
    assert "不计逾期" not in page


def test_show_points_a_recurring_tasks_deadline_to_its_periods(gongkai, year):
    shown = gongkai("show", "2", "--as-of", "2021-05-11", "--data", "data").stdout.splitlines()
    assert "- **时限要求**：每月10日前报送（每期截止日期见“各期”）" in shown
    ongoing = gongkai("show", "3", "--as-of", "2021-05-11", "--data", "data").stdout.splitlines()
    assert "- **时限要求**：每日巡查（不设固定日期）" in ongoing

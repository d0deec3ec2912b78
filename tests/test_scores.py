"""考评: scores under the office's rules, worked out by hand deduction by deduction."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from docx.oxml.ns import qn

from gongkai_cli.model.scoring import DEFAULT_RULES, DEFAULT_TEXT
from tests.conftest import GIT_ENV, git, write_ledger

# Task 1 is dated (31 March), task 2 too (30 June), task 3 recurs each quarter (due 10 days
# after the quarter), task 4 is ongoing and never scored.
TASKS = """\
title: 测试县2021年政务公开考评试点任务
year: 2021
tasks:
- number: 1
  section: 一、推进决策公开
  subsection: （一）预公开。
  requirement: 公开重大决策预公开事项。
  responsibility: 县财政局负责落实
  deadline: 3月底前
- number: 2
  section: 一、公开重点领域信息
  subsection: （二）政策解读。
  requirement: 解读重要政策。
  responsibility: 各镇负责落实
  deadline: 6月底前
- number: 3
  section: 二、强化监督
  subsection: （一）报送信息。
  requirement: 报送季度工作总结。
  responsibility: 各镇负责落实
  deadline: 每季度结束后10日内报送
- number: 4
  section: 二、强化监督
  subsection: （一）报送信息。
  requirement: 开展培训。
  responsibility: 县教育局负责落实
  deadline: 持续推进
"""
# 县财政局 finishes task 1 fourteen days late and its report is returned; 甲镇 finishes task 2
# on time, Q1 on time and Q2 ten days late; 乙镇 never finishes task 2 and never reports a
# quarter (Q1 only started).
PROGRESS = """\
- {id: a0000001, date: 2021-04-14, task: 1, unit: 县财政局, status: 已完成}
- {id: a0000002, date: 2021-06-20, task: 2, unit: 甲镇, status: 已完成}
- {id: a0000003, date: 2021-04-08, task: 3, unit: 甲镇, status: 已完成, period: 2021-Q1}
- {id: a0000004, date: 2021-07-20, task: 3, unit: 甲镇, status: 已完成, period: 2021-Q2}
- {id: a0000005, date: 2021-04-09, task: 3, unit: 乙镇, status: 进行中, period: 2021-Q1}
- {id: r0000001, date: 2021-04-20, reviews: a0000001, verdict: 退回, note: 未附公开链接, by: 王科长}
"""
# Caps: days late at most 3 points a unit, the on-time bonus at most 1; no score below 60.
RULES = """\
base: 100
floor: 60
rules:
- name: 逾期未完成
  kind: overdue
  deduct: 5
- name: 逾期天数
  kind: days-late
  deduct: 1
  per: week
  cap: 3
- name: 逾期完成
  kind: late-done
  deduct: 2
- name: 未报
  kind: missed-period
  deduct: 10
- name: 退回
  kind: returned
  deduct: 1
- name: 按期完成
  kind: on-time
  add: 1
  cap: 1
"""

# 乙镇 at the end of July, whatever the window: task 2 overdue 31 days (5, and 5 weeks of
# days late capped at 3); Q1 and Q2 not reported (10 each, their days late past the cap).
YI_STILL_LATE = [
    ("逾期未完成", -5, 2, None, None),
    ("逾期天数", -3, 2, None, None),
    ("逾期天数", 0, 3, "2021-Q1", "a0000005"),
    ("未报", -10, 3, "2021-Q1", "a0000005"),
    ("逾期天数", 0, 3, "2021-Q2", None),
    ("未报", -10, 3, "2021-Q2", None),
]


@pytest.fixture
def ledger(tmp_path):
    data = write_ledger(tmp_path, TASKS, progress=PROGRESS)
    (data / "scoring.yaml").write_text(RULES, encoding="utf-8")
    return data


def scored(gongkai, *args):
    result = gongkai("score", "--data", "data", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def points(payload) -> dict[str, tuple[float, list[tuple]]]:
    return {
        u["unit"]: (
            u["score"],
            [(d["rule"], d["points"], d["task"], d["period"], d["event"]) for d in u["deductions"]],
        )
        for u in payload["units"]
    }


def test_scores_at_the_end_of_july_deduction_by_deduction(gongkai, ledger):
    payload = scored(gongkai, "--as-of", "2021-07-31")
    assert payload["as_of"] == "2021-07-31"
    assert [u["unit"] for u in payload["units"]] == ["县教育局", "甲镇", "县财政局", "乙镇"]
    assert points(payload) == {
        # Only an ongoing task: nothing to score.
        "县教育局": (100, []),
        # +1 task 2 on time; Q1 on time too, but the bonus is capped at 1; Q2 done 10 days
        # late: 2 weeks (begun) × 1 and 2 for finishing late. 100 + 1 − 2 − 2 = 97.
        "甲镇": (
            97,
            [
                ("按期完成", 1, 2, None, "a0000002"),
                ("按期完成", 0, 3, "2021-Q1", "a0000003"),
                ("逾期天数", -2, 3, "2021-Q2", "a0000004"),
                ("逾期完成", -2, 3, "2021-Q2", "a0000004"),
            ],
        ),
        # Done 14 days late: 2 weeks × 1, 2 for finishing late, 1 for the return. 95.
        "县财政局": (
            95,
            [
                ("逾期天数", -2, 1, None, "a0000001"),
                ("逾期完成", -2, 1, None, "a0000001"),
                ("退回", -1, 1, None, "r0000001"),
            ],
        ),
        # 100 − 5 − 3 − 20 = 72.
        "乙镇": (72, YI_STILL_LATE),
    }
    first = payload["units"][3]["deductions"][1]
    assert (
        first["reason"]
        == "逾期未完成，截止 2021-06-30，逾期 31 天；计 31 天，按周计 5 周（已达该项上限）"
    )


def test_scores_as_of_an_earlier_day_know_only_what_was_known_then(gongkai, ledger):
    assert points(scored(gongkai, "--as-of", "2021-04-12")) == {
        # Q1 reported on 8 April, on time: a bonus above the base.
        "甲镇": (101, [("按期完成", 1, 3, "2021-Q1", "a0000003")]),
        "县教育局": (100, []),
        # Task 1 not done yet (it is on 14 April): overdue 12 days, 2 weeks begun.
        "县财政局": (93, [("逾期未完成", -5, 1, None, None), ("逾期天数", -2, 1, None, None)]),
        # Q1 two days late; 乙镇 had said 进行中 on 9 April.
        "乙镇": (
            89,
            [("逾期天数", -1, 3, "2021-Q1", "a0000005"), ("未报", -10, 3, "2021-Q1", "a0000005")],
        ),
    }


def test_a_quarter_counts_what_happened_in_it_and_what_is_still_late(gongkai, ledger):
    payload = scored(gongkai, "--as-of", "2021-07-31", "--from", "2021-07-01")
    assert payload["from"] == "2021-07-01"
    assert points(payload) == {
        # Task 1 was done, and returned, before July: nothing in this quarter.
        "县财政局": (100, []),
        "县教育局": (100, []),
        # Only Q2, done late in July (10 days after its due date of 10 July).
        "甲镇": (
            96,
            [
                ("逾期天数", -2, 3, "2021-Q2", "a0000004"),
                ("逾期完成", -2, 3, "2021-Q2", "a0000004"),
            ],
        ),
        # Still late: task 2 (31 days, all in July, capped at 3), Q1 and Q2 unreported.
        "乙镇": (72, YI_STILL_LATE),
    }
    yi = next(u for u in payload["units"] if u["unit"] == "乙镇")
    # Q1's report, 112 days late, was late on each of July's 31 days: those count.
    days = yi["deductions"][2]
    assert days["reason"] == (
        "2021-Q1期到期未报，截止 2021-04-10，逾期 112 天；计 31 天，按周计 5 周（已达该项上限）"
    )


def test_the_floor_holds(gongkai, ledger):
    (ledger / "scoring.yaml").write_text(RULES.replace("floor: 60", "floor: 80"), encoding="utf-8")
    scores = {u["unit"]: u["score"] for u in scored(gongkai, "--as-of", "2021-07-31")["units"]}
    assert scores["乙镇"] == 80


def test_the_report_ranks_units_and_lists_every_deduction(gongkai, ledger):
    result = gongkai(
        "score", "--data", "data", "--as-of", "2021-07-31", "--format", "md", "--out", "-"
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    # Titled with the plan's place and year, as every report is.
    assert lines[0] == "# 测试县2021年政务公开考评试点任务考评结果通报（截至 2021年7月31日）"
    table = lines[lines.index("| 名次 | 单位 | 得分 | 扣分 | 加分 | 扣分项数 |") :][:6]
    assert table[2:] == [
        "| 1 | 县教育局 | 100 | 0 | 0 | 0 |",
        "| 2 | 甲镇 | 97 | 4 | 1 | 2 |",
        "| 3 | 县财政局 | 95 | 5 | 0 | 3 |",
        "| 4 | 乙镇 | 72 | 28 | 0 | 4 |",
    ]
    assert (
        "| 县财政局 | 退回 | -1 | 1 |  | 完成报告（2021-04-14）于 2021-04-20 被退回：未附公开链接 | r0000001 |"
        in lines
    )
    csv = gongkai("score", "--data", "data", "--as-of", "2021-04-12", "--format", "csv")
    assert csv.stdout.splitlines()[:3] == [
        "单位,细则,分值,任务,期次,事由,记录编号",
        "甲镇,按期完成,1,3,2021-Q1,2021-Q1期按期完成，截止 2021-04-10，2021-04-08 完成,a0000003",
        "县财政局,逾期未完成,-5,1,,逾期未完成，截止 2021-03-31，逾期 12 天,",
    ]


def test_by_kind_sums_up_each_kind_of_unit(gongkai, ledger):
    payload = scored(gongkai, "--as-of", "2021-07-31", "--by", "kind")
    assert payload["kinds"] == [
        {"kind": "政府工作部门", "units": 2, "average": 97.5, "lowest": 95},
        {"kind": "镇", "units": 2, "average": 84.5, "lowest": 72},
    ]


def test_a_wrong_rules_file_is_located_and_nothing_is_scored(gongkai, ledger):
    (ledger / "scoring.yaml").write_text(
        RULES.replace("kind: late-done", "kind: late").replace(
            "  add: 1\n", "  add: 1\n  deduct: 1\n"
        ),
        encoding="utf-8",
    )
    result = gongkai("score", "--data", "data", "--as-of", "2021-07-31")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "data/scoring.yaml:13:9: error: 字段 rules[3].kind 的值文字“late”无效，"
        "应为 overdue、days-late、late-done、missed-period、returned、on-time、no-evidence、"
        "missing-form 之一。",
        "data/scoring.yaml:21:3: error: rules[6]：每条规则写 deduct（扣分）或 add（加分），二者只写一个。",
        "错误：数据有 2 处错误，请运行 gongkai validate 查看并修正。",
    ]
    check = gongkai("validate", "--data", "data")
    assert check.exit_code == 1
    assert "data/scoring.yaml:13:9: error: " in check.stdout


def test_without_a_rules_file_the_default_rules_apply(gongkai, ledger):
    (ledger / "scoring.yaml").unlink()
    payload = scored(gongkai, "--as-of", "2021-04-12")
    assert [r["name"] for r in payload["rules"]["rules"]] == [r.name for r in DEFAULT_RULES.rules]
    # The default: 2 overdue, 0.5 a week begun (12 days: 2 weeks), 2 a missed period.
    assert {u["unit"]: u["score"] for u in payload["units"]}["县财政局"] == 97


def test_the_commented_file_init_writes_reads_as_the_default_rules(tmp_path):
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.ledger.scoring_file import read_rules

    data = tmp_path / "d"
    data.mkdir()
    (data / "scoring.yaml").write_text(DEFAULT_TEXT, encoding="utf-8")
    assert read_rules(DataDir(data, "option")) == DEFAULT_RULES
    assert DEFAULT_TEXT.startswith("# 考评细则")


def test_scores_from_the_library(ledger):
    import gongkai_cli

    scores = gongkai_cli.score(ledger, dt.date(2021, 7, 31), dt.date(2021, 7, 1))
    assert [(u.unit, u.score) for u in scores.units] == [
        ("县财政局", 100),
        ("县教育局", 100),
        ("甲镇", 96),
        ("乙镇", 72),
    ]


FORM_RULES = """\
rules:
- name: 未交填报表
  kind: missing-form
  deduct: 3
- name: 无佐证
  kind: no-evidence
  deduct: 0.5
"""


def _collected(repo, unit: str, round_: str, day: str) -> None:
    """A commit as `collect` makes it for one returned form (its trailers are what count)."""
    message = (
        f"填报: {unit} {round_}\n\nUnit: {unit}\nRound: {round_}\nDate: {day}\n"
        f"Form: {unit}-进展填报-{round_}.xlsx\nForm-SHA256: {'0' * 64}\n"
    )
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


def test_rounds_of_forms_not_returned_and_claims_without_evidence(gongkai, ledger, monkeypatch):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    (ledger / "scoring.yaml").write_text(FORM_RULES, encoding="utf-8")
    repo = ledger.parent
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "init")
    _collected(repo, "县财政局", "2021-04-05", "2021-04-06")
    _collected(repo, "甲镇", "2021-07-05", "2021-07-08")
    _collected(repo, "乙镇", "2021-07-05", "2021-08-02")  # returned after the end of July
    assert points(scored(gongkai, "--as-of", "2021-07-31")) == {
        # Missed the July round; task 1 reported done with no evidence.
        "甲镇": (
            96.5,
            [("无佐证", -0.5, 2, None, "a0000002"), ("未交填报表", -3, None, None, None)],
        ),
        "县财政局": (
            96.5,
            [("无佐证", -0.5, 1, None, "a0000001"), ("未交填报表", -3, None, None, None)],
        ),
        # Both rounds missed, as far as anyone knew on 31 July.
        "乙镇": (94, [("未交填报表", -3, None, None, None)] * 2),
        "县教育局": (94, [("未交填报表", -3, None, None, None)] * 2),
    }
    later = points(scored(gongkai, "--as-of", "2021-08-10", "--from", "2021-07-01"))
    assert later["乙镇"] == (100, [])
    assert later["县财政局"] == (97, [("未交填报表", -3, None, None, None)])


def test_the_word_report_turns_the_page_for_the_details_with_their_heading(ledger):
    """The details table is landscape: its heading goes over with it, never left behind at
    the foot of the portrait page."""
    import io

    import docx

    import gongkai_cli as gk

    scores = gk.score(ledger, dt.date(2021, 7, 31))
    document = docx.Document(io.BytesIO(gk.render(gk.scores_report(scores), "docx")))
    body = list(document.element.body.iterchildren())
    turn = next(i for i, item in enumerate(body) if item.find(".//" + qn("w:sectPr")) is not None)
    heading = next(
        i for i, item in enumerate(body) if "扣分（加分）明细" in "".join(item.itertext())
    )
    assert turn < heading
    portrait, landscape = document.sections[0], document.sections[1]
    assert portrait.page_width < portrait.page_height
    assert landscape.page_width > landscape.page_height

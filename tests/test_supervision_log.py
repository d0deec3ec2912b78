"""The supervision cycle in the log: reviews, extension requests and decisions, and what an
update says beyond its note, folded into each assignment's state as of any date."""

from __future__ import annotations

import datetime as dt
import io
import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai_cli.ledger.logline import event_line, read_log, update_line
from gongkai_cli.model.schema import Update
from tests.conftest import MINI_TASKS, write_ledger

REVIEWED = MINI_TASKS.replace("year: 2021\n", "year: 2021\nreview: true\n", 1)
LOG = """\
- {id: uuu1, date: 2021-06-10, task: 2, unit: 县政府办公室, status: 已完成, note: 已公开, evidence: ["https://example.org/a"], by: 张三}
- {id: rrr1, date: 2021-06-12, reviews: uuu1, verdict: 退回, note: 链接打不开, by: 督查室}
- {id: uuu2, date: 2021-06-15, task: 2, unit: 县政府办公室, status: 已完成, problems: 人手不足, next: 加强培训, by: 张三}
- {id: rrr2, date: 2021-06-20, reviews: uuu2, verdict: 通过, by: 督查室}
"""


def show(gongkai, data, number, as_of):
    result = gongkai("show", number, "--as-of", as_of, "--format", "json", "--data", data)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_claim_waits_is_returned_and_passes_as_of_each_date(gongkai, tmp_path):
    data = write_ledger(tmp_path, tasks=REVIEWED, progress=LOG)
    states = {}
    for day in ("2021-06-11", "2021-06-13", "2021-06-16", "2021-06-21"):
        task = show(gongkai, data, 2, day)
        mine = task["status"]["县政府办公室"]
        states[day] = (mine["status"], mine["review"], mine["review_note"], task["done"])
    assert states == {
        "2021-06-11": ("已完成", "待审核", None, False),
        "2021-06-13": ("已完成", "已退回", "链接打不开", False),
        "2021-06-16": ("已完成", "待审核", None, False),
        "2021-06-21": ("已完成", "通过", None, True),
    }


def test_each_unit_status_carries_its_review_due_date_evidence_and_details(gongkai, tmp_path):
    data = write_ledger(tmp_path, tasks=REVIEWED, progress=LOG)
    assert show(gongkai, data, 2, "2021-06-13")["status"]["县政府办公室"] == {
        "role": "implementer",
        "status": "已完成",
        "date": "2021-06-10",
        "note": "已公开",
        "light": None,
        "review": "已退回",
        "review_note": "链接打不开",
        "due": "2021-10-31",
        "extended_to": None,
        "evidence": ["https://example.org/a"],
        "problems": None,
        "next": None,
    }
    later = show(gongkai, data, 2, "2021-06-21")["status"]["县政府办公室"]
    assert (later["problems"], later["next"], later["evidence"]) == ("人手不足", "加强培训", [])


def test_a_returned_claim_past_its_deadline_is_overdue(gongkai, tmp_path):
    log = LOG.splitlines(keepends=True)[:2]
    data = write_ledger(tmp_path, tasks=REVIEWED, progress="".join(log))
    result = gongkai("overdue", "--as-of", "2021-11-01", "--format", "json", "--data", data)
    late = {item["number"]: item for item in json.loads(result.stdout)}
    assert (late[2]["days_overdue"], late[2]["units"]) == (1, ["县政府办公室"])


def test_an_approved_extension_moves_the_due_date_from_the_day_it_is_approved(gongkai, tmp_path):
    log = """\
    - {id: eee1, date: 2021-10-20, task: 2, unit: 县政府办公室, extend_to: 2021-11-30, note: 等待上级文件, by: 张三}
    - {id: ddd1, date: 2021-11-03, decides: eee1, verdict: 批准, by: 督查室}
    """
    data = write_ledger(tmp_path, progress=log)

    def late(day):
        result = gongkai("overdue", "--as-of", day, "--format", "json", "--data", data)
        items = json.loads(result.stdout)
        return [(item["number"], item["days_overdue"]) for item in items if item["number"] == 2]

    assert late("2021-11-02") == [(2, 2)]  # asked, not yet approved
    assert late("2021-11-04") == []
    assert late("2021-12-02") == [(2, 2)]  # late against the new date
    mine = show(gongkai, data, 2, "2021-11-04")["status"]["县政府办公室"]
    assert (mine["due"], mine["extended_to"], mine["light"]) == ("2021-11-30", "2021-11-30", None)


def test_a_refused_extension_changes_nothing_and_a_decision_may_grant_another_date(
    gongkai, tmp_path
):
    log = """\
    - {id: eee1, date: 2021-10-20, task: 2, unit: 县政府办公室, extend_to: 2021-12-31, note: 理由}
    - {id: ddd1, date: 2021-10-21, decides: eee1, verdict: 批准, extend_to: 2021-11-15}
    - {id: eee2, date: 2021-11-10, task: 2, unit: 县政府办公室, extend_to: 2021-12-31, note: 再延}
    - {id: ddd2, date: 2021-11-11, decides: eee2, verdict: 驳回, note: 不同意}
    """
    data = write_ledger(tmp_path, progress=log)
    mine = show(gongkai, data, 2, "2021-11-12")["status"]["县政府办公室"]
    assert (mine["due"], mine["extended_to"]) == ("2021-11-15", "2021-11-15")


def test_a_retraction_takes_back_a_review_or_a_decision(gongkai, tmp_path):
    log = LOG + "- {id: xxx1, date: 2021-06-21, retracts: rrr2}\n"
    data = write_ledger(tmp_path, tasks=REVIEWED, progress=log)
    assert show(gongkai, data, 2, "2021-06-22")["status"]["县政府办公室"]["review"] == "待审核"


def test_a_ledger_without_review_counts_a_claim_at_once(gongkai, tmp_path):
    data = write_ledger(tmp_path, progress=LOG)
    task = show(gongkai, data, 2, "2021-06-13")
    assert (task["done"], task["status"]["县政府办公室"]["review"]) == (True, None)


def test_a_line_of_no_known_kind_is_an_error_naming_its_line(gongkai, tmp_path):
    log = LOG + "- {id: zzz1, date: 2021-06-21, approves: uuu2}\n"
    data = write_ledger(tmp_path, tasks=REVIEWED, progress=log)
    result = gongkai("validate", "--data", data)
    assert result.exit_code == 1
    assert "data/progress.yaml:5:" in result.stdout


def test_reviews_and_decisions_must_name_events_of_their_kind(gongkai, tmp_path):
    log = """\
    - {id: uuu1, date: 2021-06-10, task: 2, unit: 县政府办公室, status: 进行中}
    - {id: rrr1, date: 2021-06-12, reviews: uuu1, verdict: 通过}
    - {id: rrr2, date: 2021-06-12, reviews: uuu9, verdict: 退回}
    - {id: ddd1, date: 2021-06-12, decides: uuu1, verdict: 批准}
    - {id: eee1, date: 2021-06-12, task: 2, unit: 县财政局, extend_to: 2021-12-01}
    """
    data = write_ledger(tmp_path, tasks=REVIEWED, progress=log)
    result = gongkai("validate", "--data", data)
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if "progress" in line] == [
        "data/progress.yaml:2:41: error: 审核记录所指的进展（第 1 行）状态是进行中，只有已完成需要审核。",
        "data/progress.yaml:3:41: error: 审核记录所指的编号 uuu9 不是本文件中任何一条进展的编号。",
        "data/progress.yaml:4:41: error: 延期审批所指的编号 uuu1 不是本文件中任何一条延期申请的编号。",
        "data/progress.yaml:5:47: error: “县财政局”不是任务 2 的责任单位。",
    ]


def test_show_gives_the_reason_a_claim_was_returned_and_the_extended_date(gongkai, tmp_path):
    log = [
        *LOG.splitlines(keepends=True)[:2],
        "- {id: eee1, date: 2021-06-20, task: 1, unit: 乙镇, extend_to: 2021-08-31, note: 等数据}\n",
        "- {id: ddd1, date: 2021-06-21, decides: eee1, verdict: 批准}\n",
    ]
    data = write_ledger(tmp_path, tasks=REVIEWED, progress="".join(log))
    two = gongkai("show", "2", "--as-of", "2021-07-01", "--format", "md", "--data", data).stdout
    assert "| 县政府办公室 | 落实 | 已退回 | 2021-06-10 | 已公开（退回理由：链接打不开） |" in two
    one = gongkai("show", "1", "--as-of", "2021-07-01", "--format", "md", "--data", data).stdout
    assert "| 乙镇 | 落实 | 未开始 |  | （延期至 2021-08-31） |" in one


# Text a person could type: anything but the surrogates an undecodable terminal produces.
texts = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60)


@settings(max_examples=200)
@given(texts, st.one_of(st.none(), texts), st.lists(texts, max_size=3), st.one_of(st.none(), texts))
def test_every_supervision_line_reads_back_the_same_fast_or_by_yaml(note, problems, evidence, by):
    """Each kind as its writer writes it: YAML reads the values given, and the fast reader
    reads the very same or leaves the line to YAML (never misreads it)."""
    day, later = dt.date(2021, 6, 1), dt.date(2021, 9, 30)
    update = Update(
        id="abcd1234",
        date=day,
        task=7,
        unit="县财政局",
        status="已完成",
        note=note,
        problems=problems,
        evidence=evidence or None,
        by=by,
    )
    lines = [
        update_line(update, update.id),
        event_line(
            "rrrr1111",
            day,
            ("reviews", "abcd1234"),
            ("verdict", "退回"),
            ("note", note),
            ("by", by),
        ),
        event_line(
            "eeee1111",
            day,
            ("task", 7),
            ("unit", "县财政局"),
            ("extend_to", later),
            ("note", note),
            ("by", by),
        ),
        event_line(
            "dddd1111",
            day,
            ("decides", "eeee1111"),
            ("verdict", "批准"),
            ("extend_to", later),
            ("note", note),
            ("by", by),
        ),
    ]
    events = yaml.safe_load("".join(lines))
    assert [e.get("note") for e in events] == [note] * 4
    assert events[0].get("evidence") == (evidence or None)
    fast = read_log(io.StringIO("".join(lines)))
    if fast.updates:
        assert (fast.updates[0].note, fast.updates[0].by) == (note, by)
        detail = fast.details.get(1)  # none where the update says nothing beyond its note
        assert (detail and detail.problems, detail and list(detail.evidence)) == (
            (problems, evidence) if problems is not None or evidence else (None, None)
        )
    for event in fast.supervision:
        assert (event.note, event.by) == (note, by)
    assert (
        len(fast.updates)
        + len(fast.supervision)
        + sum(run.count("\n") for _, _, run in fast.odd_runs)
        == 4
    )


def test_list_filters_by_waiting_and_returned_claims(gongkai, tmp_path):
    log = LOG.splitlines(keepends=True)[:2]
    log.append("- {id: uuu5, date: 2021-06-10, task: 1, unit: 甲镇, status: 已完成}\n")
    data = write_ledger(tmp_path, tasks=REVIEWED, progress="".join(log))

    def numbers(*args):
        result = gongkai("list", *args, "--as-of", "2021-07-01", "--format", "json", "--data", data)
        assert result.exit_code == 0, result.stderr
        return [t["number"] for t in json.loads(result.stdout)]

    assert numbers("--status", "待审核") == [1]
    assert numbers("--status", "已退回") == [2]
    assert numbers("--status", "已退回", "--unit", "甲镇") == []


def test_due_counts_days_left_to_the_extended_date(gongkai, tmp_path):
    log = """\
    - {id: eee1, date: 2021-10-20, task: 2, unit: 县政府办公室, extend_to: 2021-11-30, note: 等待}
    - {id: ddd1, date: 2021-10-21, decides: eee1, verdict: 批准}
    """
    data = write_ledger(tmp_path, progress=log)
    result = gongkai(
        "due", "--as-of", "2021-11-20", "--within", "30d", "-f", "json", "--data", data
    )
    assert [(i["number"], i["days_left"], i["units"]) for i in json.loads(result.stdout)] == [
        (2, 10, ["县政府办公室"])
    ]
    before = gongkai(
        "due", "--as-of", "2021-10-20", "--within", "30d", "-f", "json", "--data", data
    )
    assert [(i["number"], i["days_left"]) for i in json.loads(before.stdout)] == [(2, 11)]

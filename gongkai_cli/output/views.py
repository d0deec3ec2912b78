"""Query results → JSON payloads (the public contracts) and Views for the table, md and csv formats."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gongkai_cli.model.book import Book, Late, Row
from gongkai_cli.model.dates import chinese_date
from gongkai_cli.model.fold import Assignment
from gongkai_cli.model.statuses import (
    DUE_SOON,
    IMPLEMENTER,
    LEAD,
    NOT_STARTED,
    OVERDUE,
    RETURNED,
    ROLE_WORDS,
    task_state,
    units_done,
)
from gongkai_cli.output.view import Column, View

if TYPE_CHECKING:
    from gongkai_cli.model.periods import PeriodRow


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def assignment_json(
    a: Assignment, deadline, as_of: dt.date, supervised: bool = False
) -> dict[str, Any]:
    payload = {
        "role": a.role,
        "status": a.status,
        "date": _iso(a.updated),
        "note": a.note,
        "light": a.light(deadline, as_of),
    }
    if supervised:  # the ledger reviews, extends or keeps details: say so for every unit
        payload |= supervision_json(a, deadline)
    return payload


def supervision_json(a: Assignment, deadline) -> dict[str, Any]:
    """An assignment's review, due date and what its latest update says beyond its note."""
    return {
        "review": a.review,
        "review_note": a.review_note,
        "due": _iso(a.due(deadline)),
        "extended_to": _iso(a.extended_to),
        "evidence": list(a.detail.evidence),
        "problems": a.detail.problems,
        "next": a.detail.next,
    }


def resolution_json(resolution) -> dict[str, list[str]]:
    """Who answers for a task, as every JSON output names them."""
    return {
        "lead": list(resolution.lead),
        "implementers": list(resolution.implementers),
        "unresolved": list(resolution.unresolved),
    }


def task_json(book: Book, row: Row, as_of: dt.date) -> dict[str, Any]:
    task, resolution = row.task, row.resolution
    payload: dict[str, Any] = {
        "number": task.number,
        "section": task.section,
        "subsection": task.subsection,
        "requirement": task.requirement,
        "responsibility": task.phrase,
        "deadline": row.deadline.as_dict(),
        **resolution_json(resolution),
        "as_of": as_of.isoformat(),
        "done": row.done,
        "status": {
            a.unit: assignment_json(a, row.deadline, as_of, book.supervised)
            for a in row.assignments
            if a.designated
        },
    }
    if row.role is not None:
        payload["role"] = row.role
    if (schedule := book.schedule(task.number)) is not None:
        payload["schedule"] = {"kind": schedule.kind, "text": schedule.describe()}
        payload["periods"] = periods_json(row.periods, as_of)
    return payload


def periods_json(rows: list[PeriodRow], as_of: dt.date) -> list[dict[str, Any]]:
    """Each period of a recurring task begun by the as-of date, every unit's share of it."""
    return [
        {
            "period": p.period.label,
            "due": p.period.due.isoformat(),
            "units": {
                a.unit: {
                    "status": a.status,
                    "date": _iso(a.updated),
                    "light": a.light(p.deadline, as_of),
                }
                | ({"extended_to": a.extended_to.isoformat()} if a.extended_to else {})
                for a in p.assignments
                if a.designated
            },
        }
        for p in rows
    ]


def responsible_summary(row: Row) -> str:
    """Who answers for a task, briefly: leads by name, implementers counted."""
    r = row.resolution
    parts = []
    if r.lead:
        parts.append(f"{LEAD}：" + "、".join(r.lead))
    if r.implementers:
        shown = "、".join(r.implementers[:3]) + ("等" if len(r.implementers) > 3 else "")
        parts.append(f"{IMPLEMENTER}：{shown}（{len(r.implementers)}个）")
    if r.unresolved:
        parts.append("未指定：" + "、".join(r.unresolved))
    return "；".join(parts)


def progress_summary(row: Row, as_of: dt.date, assignments=None) -> str:
    """The task's state in the one vocabulary, with how many of its units (or of
    `assignments`, a group's share of them) are done."""
    if row.schedule is not None and row.periods:
        return _periods_summary(row, as_of, assignments)
    if assignments is None:
        assignments = row.assignments
    lights = [a.light(row.deadline, as_of) for a in assignments]
    state = task_state((a.state for a in assignments), lights)
    return f"{state}，{units_done(sum(a.done for a in assignments), len(assignments))}"


def _periods_summary(row: Row, as_of: dt.date, assignments=None) -> str:
    """A recurring task never closes: its state is that of its latest period begun, marked
    逾期 while any period is late; 进行中（逾期），2021-04期 0/2 个单位已完成."""
    units = None if assignments is None else {a.unit for a in assignments}
    periods = [
        (p, [a for a in p.assignments if units is None or a.unit in units]) for p in row.periods
    ]
    lights = [a.light(p.deadline, as_of) for p, shares in periods for a in shares]
    latest, shares = periods[-1]
    state = task_state((a.status for a in shares), lights)
    done = units_done(sum(a.done for a in shares), len(shares))
    return f"{state}，{latest.period.label}期 {done}"


# The columns several views share.
NUMBER = Column("编号", no_wrap=True)
REQUIREMENT = Column("具体要求", long=True)
DEADLINE = Column("时限", no_wrap=True)
UNIT = Column("单位")
ROLE = Column("角色", no_wrap=True)
STATUS = Column("状态", no_wrap=True)
DATE = Column("日期", no_wrap=True)
NOTE = Column("说明", long=True)


def list_view(rows: list[Row], unit: str | None, as_of: dt.date, group: str | None = None) -> View:
    if group:
        columns = [
            NUMBER,
            REQUIREMENT,
            DEADLINE,
            Column("涉及", no_wrap=True),
            Column("进展", long=True),
        ]
        body = [
            [
                str(r.task.number),
                r.task.requirement,
                r.task.deadline,
                f"{len(r.group)} 个单位" if r.group else "尚无成员单位",
                progress_summary(r, as_of, r.group)
                if r.group
                else "须先在 units.yaml 中列出该集合的成员",
            ]
            for r in rows
        ]
        title = f"{group}的任务（截至 {chinese_date(as_of)}）"
        notes = [f"共 {len(rows)} 项任务，任务单位数 {sum(len(r.group) for r in rows)} 项次。"]
    elif unit:
        columns = [NUMBER, ROLE, REQUIREMENT, DEADLINE, STATUS, NOTE]
        body = [
            [
                str(r.task.number),
                ROLE_WORDS[r.role or r.mine.role],
                r.task.requirement,
                r.task.deadline,
                _status_text(r.mine, r, as_of),
                r.mine.note or "",
            ]
            for r in rows
        ]
        lead = sum(r.role == "lead" for r in rows)
        title = f"{unit} 的任务（截至 {chinese_date(as_of)}）"
        notes = [f"共 {len(rows)} 项：{LEAD} {lead} 项，{IMPLEMENTER} {len(rows) - lead} 项。"]
    else:
        columns = [NUMBER, REQUIREMENT, Column("责任单位", long=True), DEADLINE, Column("进展")]
        body = [
            [
                str(r.task.number),
                r.task.requirement,
                responsible_summary(r),
                r.task.deadline,
                progress_summary(r, as_of),
            ]
            for r in rows
        ]
        title = f"任务清单（截至 {chinese_date(as_of)}）"
        notes = [f"共 {len(rows)} 项。"]
    return View(title, columns, body, notes, empty="没有符合条件的任务。")


def _status_text(a: Assignment, row: Row, as_of: dt.date) -> str:
    """A unit's status with its light: 进行中（逾期）; of a recurring task, its latest period's
    status and how many of its periods are late (未开始（逾期 5 期）), as `overdue`
    counts them, not whatever its latest update said of some period."""
    mine = None
    if row.schedule is not None:
        from gongkai_cli.model.periods import unit_periods

        mine = unit_periods(row.periods, a.unit, as_of)
    if mine is not None:
        return mine.text()
    light = a.light(row.deadline, as_of)
    return a.state + (f"（{light}）" if light else "")


def late_json(items: list[Late], days_key: str) -> list[dict[str, Any]]:
    return [
        {
            "number": i.number,
            **_period_key(i),
            "deadline": i.deadline.as_dict(),
            days_key: i.days,
            "units": list(i.units),
            "unresolved": list(i.unresolved),
        }
        for i in items
    ]


def _period_key(item: Late) -> dict[str, str]:
    """An item of a recurring task names its period; others keep the shape they had."""
    return {"period": item.period} if item.period else {}


def deadline_text(item: Late) -> str:
    """The deadline as printed, with the period where it is one of a recurring task."""
    if item.period is None:
        return item.deadline.text
    return f"{item.deadline.text}（{item.period}期，{item.deadline.date.isoformat()}）"


def _units_text(item: Late) -> str:
    names = list(item.units) + [f"{g}（未指定）" for g in item.unresolved]
    return f"{len(names)}个：{'、'.join(names)}" if len(names) > 1 else "".join(names)


def late_view(book: Book, items: list[Late], as_of: dt.date, *, overdue: bool) -> View:
    days_header = "逾期天数" if overdue else "剩余天数"
    columns = [
        NUMBER,
        REQUIREMENT,
        DEADLINE,
        Column(days_header, no_wrap=True),
        Column("未完成单位", long=True),
    ]
    rows = [
        [
            str(i.number),
            book.task(i.number).requirement,
            deadline_text(i),
            str(i.days),
            _units_text(i),
        ]
        for i in items
    ]
    what = "逾期任务" if overdue else "临期任务"
    return View(
        f"{what}（截至 {chinese_date(as_of)}）",
        columns,
        rows,
        [f"共 {len(items)} 项。"],
        empty=f"没有{what}。",
    )


def late_by_unit_json(grouped: dict[str, list[Late]], days_key: str) -> list[dict[str, Any]]:
    return [
        {
            "unit": unit,
            "tasks": [
                {
                    "number": i.number,
                    **_period_key(i),
                    "deadline": i.deadline.as_dict(),
                    days_key: i.days,
                }
                for i in items
            ],
        }
        for unit, items in grouped.items()
    ]


def late_numbers(items: list[Late]) -> str:
    """A unit's late tasks in one cell: 7（12天）、9（3天）."""
    return "、".join(
        f"{i.number}{f'〔{i.period}〕' if i.period else ''}（{i.days}天）" for i in items
    )


def unspecified_text(tasks: dict[int, list[str]]) -> str | None:
    """The line that names the groups nobody was designated for, task by task."""
    if not tasks:
        return None
    listed = "；".join(f"{n}（{'、'.join(groups)}）" for n, groups in tasks.items())
    return f"未指定单位的任务：{listed}。"


def late_by_unit_view(
    grouped: dict[str, list[Late]],
    as_of: dt.date,
    *,
    overdue: bool,
    unspecified: dict[int, list[str]] | None = None,
) -> View:
    what = OVERDUE if overdue else DUE_SOON
    columns = [
        Column("单位"),
        Column(f"{what}任务数", no_wrap=True),
        Column("任务编号（天数）", long=True),
    ]
    rows = [[unit, str(len(items)), late_numbers(items)] for unit, items in grouped.items()]
    return View(
        f"按单位：{what}任务（截至 {chinese_date(as_of)}）",
        columns,
        rows,
        [f"共 {len(rows)} 个单位。", *filter(None, [unspecified_text(unspecified or {})])],
        empty=f"没有{what}任务。",
    )


def _expansion(row: Row, role: str) -> str:
    """A role's units as the phrase put them: groups expanded, with a count."""
    lead = set(row.resolution.lead)
    parts = []
    # a group with no units listed yet is outstanding: said once, as what it lacks
    empty = {t.text for t in row.resolution.terms if t.kind == "group" and not t.units}
    for term in row.resolution.terms:
        if term.role != role:
            continue
        units = [u for u in term.units if role == "lead" or u not in lead]
        if term.kind == "unit":
            parts.append(term.units[0])
        elif term.text in empty:
            if term.kind == "group":
                parts.append(f"{term.text}（尚无成员单位，须在 units.yaml 中列出）")
        elif term.kind == "open-group":
            parts.append(f"{term.text}（未指定具体单位）")
        else:
            label = "指定" if term.kind == "designated" else ""
            parts.append(f"{term.text}（{label}{len(units)}个：{'、'.join(units)}）")
    return "；".join(parts) or "—"


def show_fields(row: Row, as_of: dt.date) -> list[tuple[str, str]]:
    task, deadline = row.task, row.deadline
    due = (
        f"{deadline.text}（{deadline.date.isoformat()}）"
        if deadline.date
        # A recurring task has a date each period, listed under 各期 below.
        else f"{deadline.text}（每期截止日期见“各期”）"
        if row.schedule is not None
        else f"{deadline.text}（不设固定日期）"
    )
    return [
        ("大项", task.section),
        *([("小项", task.subsection)] if task.subsection != task.section else []),
        ("具体要求", task.requirement),
        ("责任单位", task.phrase),
        ("时限要求", due),
        ("牵头单位", _expansion(row, "lead")),
        ("落实单位", _expansion(row, "implementer")),
        (
            "进展",
            f"截至 {chinese_date(as_of)}：{progress_summary(row, as_of)}",
        ),
        *_period_fields(row, as_of),
    ]


def _period_fields(row: Row, as_of: dt.date) -> list[tuple[str, str]]:
    """A recurring task's schedule, and one line per period begun: done, late, waiting."""
    schedule = row.schedule
    if schedule is None:
        return []
    lines = []
    for p in row.periods:
        lights = [a.light(p.deadline, as_of) for a in p.assignments]
        late = [a.unit for a, light in zip(p.assignments, lights, strict=True) if light == OVERDUE]
        done = sum(a.done for a in p.assignments)
        text = f"{p.period.label}（{p.period.due.isoformat()}前）：{units_done(done, len(lights))}"
        if late:
            text += f"；{OVERDUE}：{'、'.join(late)}"
        lines.append(text)
    return [("周期", schedule.describe()), ("各期", "\n".join(lines) or "尚无开始的期次")]


def status_view(row: Row, as_of: dt.date) -> View:
    """Each unit's status; units still 未开始 with no update are folded into one line."""
    columns = [UNIT, ROLE, STATUS, DATE, NOTE]
    rows, untouched, untouched_light = [], [], None
    for a in row.assignments:
        light = a.light(row.deadline, as_of)
        if a.updated is None and a.designated and a.extended_to is None:
            untouched.append(a.unit)
            untouched_light = light  # the same for all of them: same task, same date
            continue
        unit = a.unit if a.designated else f"{a.unit}（未指定）"
        rows.append(
            [
                unit,
                ROLE_WORDS[a.role],
                a.state + (f"（{light}）" if light else ""),
                _iso(a.updated) or "",
                (a.note or "") + _supervision_note(a),
            ]
        )
    notes = (
        [
            f"尚无进展记录（{NOT_STARTED}{'，' + untouched_light if untouched_light else ''}）："
            f"{'、'.join(untouched)}（{len(untouched)}个）"
        ]
        if untouched
        else []
    )
    return View(
        f"任务 {row.task.number} 各单位进展（截至 {chinese_date(as_of)}）",
        columns,
        rows,
        notes,
        empty="各单位均无进展记录。",
    )


def _supervision_note(a: Assignment) -> str:
    """What a unit's row adds where the office reviews and extends: why it returned the
    claim, and the date an extension gave."""
    parts = []
    if a.review == RETURNED and a.review_note:
        parts.append(f"退回理由：{a.review_note}")
    if a.extended_to:
        parts.append(f"延期至 {a.extended_to.isoformat()}")
    return "".join(f"（{p}）" for p in parts)


def assignments_view(row: Row, as_of: dt.date) -> View:
    """Every assignment of a task, one row each (the CSV of `show`)."""
    columns = [
        Column("任务"),
        Column("单位"),
        Column("角色"),
        Column("状态"),
        Column("提示"),
        Column("日期"),
        Column("说明"),
    ]
    rows = [
        [
            str(a.task),
            a.unit,
            ROLE_WORDS[a.role],
            a.state,
            a.light(row.deadline, as_of) or "",
            _iso(a.updated) or "",
            a.note or "",
        ]
        for a in row.assignments
    ]
    return View(f"任务 {row.task.number}", columns, rows)

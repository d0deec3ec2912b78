"""What each page of the site shows, as plain values: the lights, counts, rows and timelines."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from operator import add
from typing import NamedTuple

from gongkai_cli.model.book import Book, Row, due, overdue
from gongkai_cli.model.fold import Assignment, Said
from gongkai_cli.model.periods import unit_periods
from gongkai_cli.model.statuses import (
    DONE,
    DONE_STATUSES,
    DUE_SOON,
    IN_PROGRESS,
    LAGGING,
    LATE_DONE,
    NOT_STARTED,
    OVERDUE,
    RETURNED,
)
from gongkai_cli.model.values import Deadline

SOON_DAYS = 30  # a yellow light: due within this many days (`gongkai due`'s default)

# The traffic light of a task or an assignment, and the word shown beside it.
GREEN, YELLOW, RED, NONE = "green", "yellow", "red", "none"
STATES = (DONE, OVERDUE, DUE_SOON, IN_PROGRESS, NOT_STARTED)  # each counted once, in this order


class Light(NamedTuple):
    colour: str  # green | yellow | red | none
    state: str  # one of STATES
    detail: str = ""  # 逾期 12 天, 还有 3 天, 逾期完成


class UnitRow(NamedTuple):
    """One assignment as a row: of a task page (by unit) or of a unit page (by task)."""

    task: int
    requirement: str
    unit: str
    designated: bool
    role: str
    status: str
    light: Light
    deadline: str
    due_date: dt.date | None
    updated: dt.date | None
    note: str | None
    # Where the ledger runs the supervision cycle: why a claim was returned, the date an
    # extension gave, and what the latest update says beyond its note.
    review_note: str | None = None
    extended_to: dt.date | None = None
    problems: str | None = None
    next: str | None = None
    evidence: tuple[str, ...] = ()


class TaskSummary(NamedTuple):
    number: int
    section: str
    subsection: str
    requirement: str
    responsibility: str
    deadline: str
    due_date: dt.date | None
    light: Light
    done: int
    total: int
    # A recurring task: its reading (每月一期，次月10日前报送) and the latest period begun,
    # which `done` and `total` count.
    schedule: str = ""
    period: str = ""


class TaskPage(NamedTuple):
    summary: TaskSummary
    lead: tuple[str, ...]
    implementers: tuple[str, ...]
    unresolved: tuple[str, ...]
    rows: list[UnitRow]
    timeline: list[Said]  # newest first, up to the as-of date
    # Where the log is longer than one page holds: every page of it as (its file, its first
    # and last dates), the page shown first; empty where one page holds it all.
    pages: tuple[tuple[str, dt.date, dt.date], ...] = ()
    file: str = ""  # this page's file, among `pages`


# Updates a task page lists: a year's log of a task named for every town and department
# fits on one page; longer logs are paged, newest first, so no page grows past about 1 MB.
TIMELINE_PAGE = 2000


def paged(task: TaskPage) -> list[TaskPage]:
    """A task's page, and where its log is long, the pages of its older updates
    (tasks/7.html, then tasks/7-2.html, …), each naming all of them."""
    number, entries = task.summary.number, task.timeline
    if len(entries) <= TIMELINE_PAGE:
        return [task]
    chunks = [entries[i : i + TIMELINE_PAGE] for i in range(0, len(entries), TIMELINE_PAGE)]
    files = [f"{number}.html", *(f"{number}-{k}.html" for k in range(2, len(chunks) + 1))]
    # Each page by its file and the dates of its oldest and newest updates (a Said's first).
    pages = tuple((f, c[-1][0], c[0][0]) for f, c in zip(files, chunks, strict=True))
    return [
        task._replace(timeline=chunk, pages=pages, file=file)
        for file, chunk in zip(files, chunks, strict=True)
    ]


class UnitPage(NamedTuple):
    name: str
    full_name: str | None
    kind: str
    note: str | None
    rows: list[UnitRow]  # overdue first, then due soon, then the plan's order
    counts: Counter  # of its rows' states

    @property
    def lead(self) -> int:
        return sum(r.role == "lead" for r in self.rows)


def task_lights(book: Book, rows: dict[int, Row], as_of: dt.date) -> dict[int, Light]:
    """Every task's light: red exactly for `gongkai overdue`'s tasks, yellow for `gongkai due`'s."""
    # A recurring task may be late in several periods: the light tells of the oldest one
    # (and the period due soonest), so the first item of a task is the one kept.
    late = {item.number: item for item in reversed(overdue(book, as_of))}
    soon = {item.number: item for item in reversed(due(book, as_of, SOON_DAYS))}
    lights = {}
    for number, row in rows.items():
        if number in late:
            lights[number] = Light(RED, OVERDUE, f"逾期 {late[number].days} 天")
        elif number in soon:
            lights[number] = Light(YELLOW, DUE_SOON, _days_left(soon[number].days))
        elif row.done:
            late_done = any(a.light(row.deadline, as_of) == LATE_DONE for a in row.assignments)
            lights[number] = Light(GREEN, DONE, LATE_DONE if late_done else "")
        elif any(a.updated for a in row.assignments):
            lights[number] = Light(NONE, IN_PROGRESS, _pending(row))
        else:
            lights[number] = Light(NONE, NOT_STARTED, _pending(row))
    return lights


def assignment_light(a: Assignment, row: Row, as_of: dt.date) -> Light:
    share = _period_share(a, row, as_of)
    if share is not None:
        return share[0]
    return _light(a, row.deadline, as_of)


def _light(a: Assignment, deadline: Deadline, as_of: dt.date) -> Light:
    light = a.light(deadline, as_of, SOON_DAYS)
    if a.done:
        return Light(GREEN, DONE, LATE_DONE if light == LATE_DONE else "")
    if light == OVERDUE:
        return Light(RED, OVERDUE, f"逾期 {(as_of - a.due(deadline)).days} 天")
    if light is not None:
        return Light(YELLOW, DUE_SOON, _days_left((a.due(deadline) - as_of).days))
    return Light(NONE, IN_PROGRESS if a.status in (IN_PROGRESS, LAGGING) else NOT_STARTED)


def _period_share(
    a: Assignment, row: Row, as_of: dt.date
) -> tuple[Light, Assignment, dt.date] | None:
    """A unit's share of a recurring task, as `overdue` and `list --unit` tell it: red while
    any of its periods is late (逾期 3 期), else the light of its latest period; with that
    period's share and the due date it is ranked by. None for any other task."""
    mine = unit_periods(row.periods, a.unit, as_of) if row.schedule is not None else None
    if mine is None:
        return None
    if mine.late:
        return Light(RED, OVERDUE, f"逾期 {len(mine.late)} 期"), mine.share, mine.late[0].period.due
    return _light(mine.share, mine.latest.deadline, as_of), mine.share, mine.latest.period.due


def _days_left(days: int) -> str:
    return "今天到期" if days == 0 else f"还有 {days} 天"


def _pending(row: Row) -> str:
    return "持续推进" if row.deadline.date is None else ""


class SiteBook(Book):
    """A book for one build of the site: the same answers, each task's assignments as of a
    day folded once for all the pages that ask (the lights, the counts, the statistics,
    the burn-up and every task's and unit's page)."""

    def __init__(self, book: Book):
        super().__init__(book.ledger, book.history)
        self._folded: dict[tuple[int, dt.date], list[Assignment]] = {}

    def assignments(self, number: int, as_of: dt.date) -> list[Assignment]:
        found = self._folded.get((number, as_of))
        if found is None:
            found = self._folded[number, as_of] = super().assignments(number, as_of)
        return list(found)  # the caller's own list, as the book gives it


def folded(book: Book, as_of: dt.date) -> dict[int, Row]:
    """Every task as of the date; a Row folds its assignments once, for all the pages."""
    return {number: Row(book, number, as_of) for number in book.ledger.tasks}


def summaries(book: Book, rows: dict[int, Row], as_of: dt.date) -> list[TaskSummary]:
    lights = task_lights(book, rows, as_of)
    result = []
    for number, row in rows.items():
        task = row.task
        result.append(
            TaskSummary(
                number,
                task.section,
                task.subsection,
                task.requirement,
                task.phrase,
                task.deadline,
                row.deadline.date,
                lights[number],
                *_done_of(row),
            )
        )
    return result


def _done_of(row: Row) -> tuple[int, int, str, str]:
    """How many of a task's units are done, of how many: of a recurring task, in its latest
    period begun, as `gongkai list` counts them (2021-07期 0/11), with its reading and
    that period."""
    schedule = row.schedule
    periods = row.periods if schedule is not None else []
    shares = periods[-1].assignments if periods else row.assignments
    done, total = sum(a.done for a in shares), len(shares)
    if schedule is None:
        return done, total, "", ""
    return done, total, schedule.describe(), periods[-1].period.label if periods else ""


def _unit_row(row: Row, a: Assignment, as_of: dt.date) -> UnitRow:
    share = _period_share(a, row, as_of)
    light, state, due_date = share or (_light(a, row.deadline, as_of), a, a.due(row.deadline))
    return UnitRow(
        row.task.number,
        row.task.requirement,
        a.unit,
        a.designated,
        a.role,
        state.state,
        light,
        row.task.deadline,
        due_date,
        a.updated,
        a.note,
        a.review_note if a.review == RETURNED else None,
        a.extended_to,
        a.detail.problems,
        a.detail.next,
        a.detail.evidence,
    )


def task_pages(
    book: Book, rows: dict[int, Row], summary: list[TaskSummary], as_of: dt.date
) -> list[TaskPage]:
    pages = []
    for item in summary:
        row = rows[item.number]
        pages.append(
            TaskPage(
                item,
                row.resolution.lead,
                row.resolution.implementers,
                row.resolution.unresolved,
                [_unit_row(row, a, as_of) for a in row.assignments],
                book.history.timeline(item.number, as_of),
            )
        )
    return pages


def unit_pages(book: Book, rows: dict[int, Row], as_of: dt.date) -> list[UnitPage]:
    by_unit: dict[str, list[UnitRow]] = {name: [] for name in book.ledger.index.units}
    for row in rows.values():
        for a in row.assignments:
            if a.designated:
                by_unit.setdefault(a.unit, []).append(_unit_row(row, a, as_of))
    pages = []
    for name, mine in by_unit.items():
        unit = book.ledger.index.units.get(name)
        mine.sort(key=_urgency)
        page = UnitPage(
            name,
            unit.full_name if unit else None,
            unit.kind if unit else "",
            unit.note if unit else None,
            mine,
            Counter(r.light.state for r in mine),
        )
        pages.append(page)
    return pages


def _urgency(row: UnitRow) -> tuple:
    """Overdue first (longest late first), then due soon (soonest first), then the plan's order."""
    if row.light.colour == RED:
        return (0, row.due_date, row.task)
    if row.light.colour == YELLOW:
        return (1, row.due_date, row.task)
    return (2, dt.date.min, row.task)


def counts(rows: dict[int, Row], summary: list[TaskSummary], as_of: dt.date) -> dict[str, Counter]:
    """Tasks and assignments by state, each counted once (done, overdue, due soon, …)."""
    tasks = Counter(item.light.state for item in summary)
    assignments: Counter = Counter()
    for row in rows.values():
        assignments.update(
            assignment_light(a, row, as_of).state for a in row.assignments if a.designated
        )
    return {"任务": tasks, "责任分工（任务×单位）": assignments}


class Burnup(NamedTuple):
    """Assignments completed through the year against those whose deadline has come."""

    days: list[dt.date]  # the sample dates, weekly, ending on the as-of date where it falls
    done: list[int]  # completed as of each day up to the as-of date
    due: list[int]  # dated assignments whose deadline is on or before each day
    total: int  # every assignment, the ongoing ones included
    as_of: dt.date


def burnup(book: Book, as_of: dt.date) -> Burnup:
    year = book.ledger.year
    start, end = dt.date(year, 1, 1), max(dt.date(year, 12, 31), as_of)
    step = max(7, (end - start).days // 60)  # at most about sixty points, however long
    days = [start + dt.timedelta(days=n) for n in range(0, (end - start).days + 1, step)]
    days = sorted({*days, end, *([as_of] if start <= as_of <= end else [])})
    assignments = []  # (task, unit, deadline date or None)
    for number in book.ledger.tasks:
        date = book.deadline(number).date
        assignments += [
            (number, a.unit, date) for a in book.assignments(number, as_of) if a.designated
        ]
    sampled = [day for day in days if day <= as_of]
    recurring = {number for number, _, _ in assignments if book.schedule(number) is not None}
    # A recurring task's share is done by its latest period, as the overview counts it.
    latest = [{n: _latest_period_done(book, n, day) for n in recurring} for day in sampled]
    done = [0] * len(sampled)
    ordinals = [day.toordinal() for day in sampled]
    for number, unit, _ in assignments:
        if number in recurring:
            finished = [shares[number].get(unit, False) for shares in latest]
        else:
            finished = _done_on(book, number, unit, sampled, ordinals)
        done = list(map(add, done, finished))
    due_dates = sorted(date for _, _, date in assignments if date is not None)
    due_counts = [_count_upto(due_dates, day) for day in days]
    return Burnup(days, done, due_counts, len(assignments), as_of)


def _done_on(
    book: Book, number: int, unit: str, days: list[dt.date], ordinals: list[int]
) -> list[bool]:
    """Whether the assignment was done on each of `days` (ascending; `ordinals` are the
    same days as numbers): read off its updates in one pass, or, where the office reviews
    claims (a verdict can undo a 已完成 on a later day), asked of the book day by day."""
    if book.supervised:
        return [bool((a := book.assignment(number, unit, day)) and a.done) for day in days]
    return list(map(DONE_STATUSES.__contains__, book.history.statuses_on(number, unit, ordinals)))


def _latest_period_done(book: Book, number: int, day: dt.date) -> dict[str, bool]:
    from gongkai_cli.model.periods import period_rows

    rows = period_rows(book, number, day)
    return {a.unit: a.done for a in rows[-1].assignments} if rows else {}


def _count_upto(sorted_days: list[dt.date], day: dt.date) -> int:
    import bisect

    return bisect.bisect_right(sorted_days, day)

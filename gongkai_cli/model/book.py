"""The questions of the daily work: who answers for a task, what is late, what falls due."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from gongkai_cli.errors import InvalidValue, UnknownTask, UnknownUnit
from gongkai_cli.model.fold import Assignment, History
from gongkai_cli.model.statuses import (
    DERIVED,
    DONE,
    OVERDUE,
    PENDING,
    RETURNED,
    TASK_CLOSED,
    task_state,
)
from gongkai_cli.model.values import Deadline, Ledger, Resolution, Task

if TYPE_CHECKING:
    from gongkai_cli.model.periods import PeriodRow
    from gongkai_cli.model.schedules import Schedule

# A phrase without one of these never recurs (持续推进, 10月底前): most tasks are settled
# without importing the schedule reader.
_PERIOD_WORDS = frozenset("月季周年")


class Book:
    """A ledger with its progress log indexed: the one object every query works on."""

    def __init__(self, ledger: Ledger, history: History | None = None):
        self.ledger = ledger
        self._history = history
        self._schedules: dict[int, Schedule | None] = {}

    @property
    def history(self) -> History:
        if self._history is None:  # built on first use: `log` never needs it
            self._history = History.from_entries(self.ledger.updates, self.ledger.index.canonical)
        return self._history

    def task(self, number: int) -> Task:
        task = self.ledger.tasks.get(number)
        if task is None:
            raise UnknownTask(
                f"计划中没有任务 {number}；任务编号为 1–{max(self.ledger.tasks, default=0)}。",
                number,
            )
        return task

    def deadline(self, number: int) -> Deadline:
        return self.ledger.deadlines[number]

    def schedule(self, number: int) -> Schedule | None:
        """The schedule of a recurring task (每月10日前报送), None for any other."""
        if number not in self._schedules:
            phrase, deadline = self.task(number).deadline, self.deadline(number)
            schedule = None
            if deadline.kind == "ongoing" and not _PERIOD_WORDS.isdisjoint(phrase):
                from gongkai_cli.model.schedules import task_schedule

                schedule = task_schedule(phrase, deadline)
            self._schedules[number] = schedule
        return self._schedules[number]

    def resolution(self, number: int) -> Resolution:
        return self.ledger.resolutions[number]

    def assignments(self, number: int, as_of: dt.date) -> list[Assignment]:
        """Every responsible unit's assignment, then units that reported through an
        undesignated open group, then each such group still outstanding."""
        resolution = self.resolution(number)
        units = [*resolution.lead, *resolution.implementers]
        if resolution.unresolved:
            units += [u for u in self.history.reporters(number) if resolution.role_of(u) is None]
        result = [a for unit in units if (a := self.assignment(number, unit, as_of)) is not None]
        roles = {t.text: t.role for t in resolution.terms}
        result += [
            Assignment(number, group, roles.get(group, "implementer"), designated=False)
            for group in resolution.unresolved
        ]
        return result

    def assignment(self, number: int, unit: str, as_of: dt.date) -> Assignment | None:
        """One unit's assignment of a task (as `assignments` would give it), or None."""
        resolution = self.resolution(number)
        role = resolution.role_of(unit)
        if role is None and not (resolution.unresolved and unit in self.history.reporters(number)):
            return None
        status, updated, note, done_on = self.history.state(number, unit, as_of)
        if role is None and updated is None:
            return None  # reports through an open group count from their first update
        found = Assignment(number, unit, role or "implementer", status, updated, note, done_on)
        supervision = self.ledger.supervision
        if supervision is None or not supervision.used:
            return found
        line = self.history.latest_line(number, unit, as_of)
        review, review_note = supervision.review_of(line, status, as_of)
        return found._replace(
            review=review,
            review_note=review_note,
            extended_to=supervision.extended_to(number, unit, as_of),
            detail=supervision.detail(line),
        )

    @property
    def supervised(self) -> bool:
        """Whether the ledger reviews claims, extends deadlines or keeps details: outputs then
        carry those fields (a ledger that does not reads exactly as before)."""
        supervision = self.ledger.supervision
        return supervision is not None and supervision.used

    def unit(self, name: str) -> str:
        """The canonical name of a unit given by name or alias; a clear error otherwise."""
        index = self.ledger.index
        name = name.replace("\ufeff", "").strip()  # as copied: "县财政局 ", or from a report
        unit = index.canonical(name)
        if unit is not None:
            return unit
        if name in index.groups:
            raise UnknownUnit(
                f"“{name}”是单位集合，不是单个单位；请给出具体单位（gongkai units --group {name} 可列出成员）。",
                name,
            )
        hint = index.suggest(name)
        raise UnknownUnit(
            f"单位名录中没有“{name}”"
            + (f"，是否是指“{hint}”？" if hint else "；gongkai units 可列出全部单位。"),
            name,
            hint,
        )


class Filters(NamedTuple):
    unit: str | None = None  # canonical
    role: str | None = None  # lead | implementer
    section: str | None = None  # the section's numeral: 一, 二, …
    deadline: str | None = None  # the phrase as printed
    due_before: dt.date | None = None
    status: str | None = None  # of the unit if --unit, else the task's; or a derived one
    search: str | None = None
    group: tuple[str, ...] = ()  # --unit 各镇: the group's member units


def section_numeral(book: Book, value: str) -> str:
    """The plan's section (its numeral: 一, 二, …) for --section, given as 四 or 4."""
    numerals = list(dict.fromkeys(t.section.split("、", 1)[0] for t in book.ledger.tasks.values()))
    text = value.strip().rstrip("、")
    if text.isdigit() and 1 <= int(text) <= len(numerals):
        return numerals[int(text) - 1]
    if text in numerals:
        return text
    raise InvalidValue(
        f"计划中没有大项“{value}”；大项为 {'、'.join(numerals)}（也可写 1–{len(numerals)}）。",
        value,
    )


class Row:
    """One task as of a date. Its assignments are folded only when asked for: a listing
    for one unit needs that unit's alone, which on a large ledger is most of the work."""

    __slots__ = (
        "_assignments",
        "_book",
        "as_of",
        "deadline",
        "group",
        "mine",
        "resolution",
        "role",
        "task",
    )

    def __init__(
        self,
        book: Book,
        number: int,
        as_of: dt.date,
        mine: Assignment | None = None,
        group: tuple[Assignment, ...] = (),
    ):
        self._book, self.as_of = book, as_of
        self.group = group  # with --unit 各镇: the assignments of the group's units
        self.task, self.deadline = book.task(number), book.deadline(number)
        self.resolution = book.resolution(number)
        self.mine = mine  # the filtered unit's assignment
        self.role = mine.role if mine else None
        self._assignments: tuple[Assignment, ...] | None = None

    @property
    def schedule(self) -> Schedule | None:
        return self._book.schedule(self.task.number)

    @property
    def periods(self) -> list[PeriodRow]:
        """Each period of a recurring task begun by the as-of date (none for other tasks)."""
        from gongkai_cli.model.periods import period_rows

        return period_rows(self._book, self.task.number, self.as_of)

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        if self._assignments is None:
            self._assignments = tuple(self._book.assignments(self.task.number, self.as_of))
        return self._assignments

    @property
    def done(self) -> bool:
        """办结: every unit done and, where the office reviews, passed."""
        return all(a.closed for a in self.assignments)

    def task_status(self) -> str:
        """未开始, 进行中 or 已办结."""
        return task_state(a.state for a in self.assignments)

    def matches(self, word: str) -> bool:
        """Whether the task (or the filtered unit's share, or the group's) is in that state;
        a derived word (逾期, 临期, 逾期完成) matches if any of those units shows it."""
        shares = [self.mine] if self.mine else list(self.group)
        if word in DERIVED and self.schedule is not None:  # a light of any period of it
            units = {a.unit for a in shares} or None
            return any(
                a.light(p.deadline, self.as_of, DUE_SOON_DAYS) == word
                for p in self.periods
                for a in p.assignments
                if units is None or a.unit in units
            )
        if word in DERIVED:
            return any(
                a.light(self.deadline, self.as_of, DUE_SOON_DAYS) == word
                for a in shares or self.assignments
            )
        if word in (PENDING, RETURNED):  # a claim waiting or returned: any of those units'
            return any(a.state == word for a in shares or self.assignments)
        if shares:
            return any(a.status == word or a.state == word for a in shares)
        state = self.task_status()
        return state == word or (word == DONE and state == TASK_CLOSED)


# 临期 in a listing means what `gongkai due` shows by default: due within 30 days.
DUE_SOON_DAYS = 30


def list_tasks(book: Book, filters: Filters, as_of: dt.date) -> list[Row]:
    rows = []
    for number, task in book.ledger.tasks.items():
        deadline = book.deadline(number)
        if filters.section and not task.section.startswith(filters.section + "、"):
            continue
        if filters.deadline and "".join(task.deadline.split()) != "".join(filters.deadline.split()):
            continue
        if filters.due_before and (deadline.date is None or deadline.date >= filters.due_before):
            continue
        if filters.search and filters.search not in task.requirement:
            continue
        mine, group = None, ()
        if filters.unit:
            mine = book.assignment(number, filters.unit, as_of)
            if mine is None or (filters.role and mine.role != filters.role):
                continue
        if filters.group:
            found = (book.assignment(number, unit, as_of) for unit in filters.group)
            group = tuple(a for a in found if a and (not filters.role or a.role == filters.role))
            if not group:
                continue
        row = Row(book, number, as_of, mine, group)
        if filters.status and not row.matches(filters.status):
            continue
        rows.append(row)
    return rows


class Late(NamedTuple):
    """A task with a date and the units not done: overdue (days > 0) or due soon (days ≥ 0)."""

    number: int
    deadline: Deadline
    days: int  # days overdue, or days left
    units: tuple[str, ...]
    unresolved: tuple[str, ...]
    period: str | None = None  # of a recurring task: the deadline is that period's


def dated_shares(
    book: Book, number: int, as_of: dt.date, begun_by: dt.date | None = None
) -> list[tuple[str | None, Deadline, list[Assignment]]]:
    """(period, deadline, assignments) of a task as of a date: the task's own, or one per
    period of a recurring task begun by `begun_by` (by default `as_of`)."""
    from gongkai_cli.model.periods import period_rows

    if book.schedule(number) is None:
        return [(None, book.deadline(number), book.assignments(number, as_of))]
    return [
        (row.period.label, row.deadline, list(row.assignments))
        for row in period_rows(book, number, as_of, begun_by)
    ]


def overdue(book: Book, as_of: dt.date) -> list[Late]:
    """Tasks with units not 已完成/不涉及 (or returned) by `as_of` whose deadline, or the
    date an approved extension gave them, is before it; a recurring task, per period."""
    result = []
    for number in book.ledger.tasks:
        if book.schedule(number) is not None:
            result += _periods_late(book, number, as_of)
            continue
        deadline = book.deadline(number)
        if deadline.date is None or (deadline.date >= as_of and not book.supervised):
            continue
        late = [a for a in book.assignments(number, as_of) if a.light(deadline, as_of) == OVERDUE]
        if late:
            days = max((as_of - a.due(deadline)).days for a in late)
            result.append(_late(number, deadline, days, late))
    return result


def due(book: Book, as_of: dt.date, within_days: int) -> list[Late]:
    """Tasks falling due from `as_of` to `within_days` later that are not done (by an
    assignment's own due date, where an extension moved it); a recurring task, per period."""
    result = []
    for number in book.ledger.tasks:
        if book.schedule(number) is not None:
            result += _periods_due(book, number, as_of, within_days)
            continue
        deadline = book.deadline(number)
        if deadline.date is None:
            continue
        if not book.supervised and not 0 <= (deadline.date - as_of).days <= within_days:
            continue
        waiting = [
            a
            for a in book.assignments(number, as_of)
            if not a.done and 0 <= (a.due(deadline) - as_of).days <= within_days
        ]
        if waiting:
            days = min((a.due(deadline) - as_of).days for a in waiting)
            result.append(_late(number, deadline, days, waiting))
    return sorted(result, key=lambda late: (late.days, late.number))


def _periods_late(book: Book, number: int, as_of: dt.date) -> list[Late]:
    """The periods of a recurring task late by `as_of`, each with its units not done."""
    result = []
    for period, dated, assignments in dated_shares(book, number, as_of):
        late = [a for a in assignments if a.light(dated, as_of) == OVERDUE]
        if late:
            days = max((as_of - a.due(dated)).days for a in late)  # an extension may differ
            result.append(_late(number, dated, days, late, period))
    return result


def _periods_due(book: Book, number: int, as_of: dt.date, within_days: int) -> list[Late]:
    """The periods of a recurring task falling due within `within_days`, not done by `as_of`."""
    result = []
    later = as_of + dt.timedelta(days=within_days)  # periods that begin by then count too
    for period, dated, assignments in dated_shares(book, number, as_of, later):
        waiting = [
            a for a in assignments if not a.done and 0 <= (a.due(dated) - as_of).days <= within_days
        ]
        if waiting:
            days = min((a.due(dated) - as_of).days for a in waiting)
            result.append(_late(number, dated, days, waiting, period))
    return result


def unassigned(items: list[Late]) -> dict[int, list[str]]:
    """Task number → the undesignated groups still outstanding on it."""
    return {i.number: list(i.unresolved) for i in items if i.unresolved}


def _late(
    number: int,
    deadline: Deadline,
    days: int,
    assignments: list[Assignment],
    period: str | None = None,
) -> Late:
    units = tuple(a.unit for a in assignments if a.designated)
    unresolved = tuple(a.unit for a in assignments if not a.designated)
    return Late(number, deadline, days, units, unresolved, period)


def by_unit(items: list[Late]) -> dict[str, list[Late]]:
    """Regroup late tasks under each unit, units with the most first. An open group that
    nobody was designated for (县直相关单位) is no unit: it is left out here, and named
    apart by `unassigned`."""
    grouped: dict[str, list[Late]] = {}
    for item in items:
        for unit in item.units:
            grouped.setdefault(unit, []).append(item)
    return dict(sorted(grouped.items(), key=lambda kv: -len(kv[1])))

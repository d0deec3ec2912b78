"""The periods of a recurring task as of a date: each unit's share of each period, with its light.

A period is late for a unit when no 已完成 update of it came by its due date; a unit that
reported 不涉及 for the task as a whole is excused from every period.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from gongkai_cli.model.fold import Assignment
from gongkai_cli.model.schedules import Period
from gongkai_cli.model.statuses import DONE_STATUSES, NOT_APPLICABLE, OVERDUE
from gongkai_cli.model.values import Deadline

if TYPE_CHECKING:
    from gongkai_cli.model.book import Book


class PeriodRow(NamedTuple):
    """One period of a recurring task: its dated deadline and every unit's share of it."""

    period: Period
    deadline: Deadline  # the task's phrase, dated with the period's due date
    assignments: tuple[Assignment, ...]


def period_rows(
    book: Book, number: int, as_of: dt.date, begun_by: dt.date | None = None
) -> list[PeriodRow]:
    """The periods of a recurring task begun by `begun_by` (by default `as_of`), as things
    stood on `as_of`; none for any other task."""
    schedule = book.schedule(number)
    if schedule is None:
        return []
    year, text = book.ledger.year, book.task(number).deadline
    assignments = book.assignments(number, as_of)
    states = {
        a.unit: book.history.period_states(
            number, a.unit, as_of, lambda day: schedule.reported(day, year)
        )
        for a in assignments
        if a.designated
    }
    rows = []
    for period in schedule.periods(year):
        if period.start > (begun_by or as_of):
            break
        shares = []
        for a in assignments:
            state = states.get(a.unit, {}).get(period.label)
            share = _share(a, state, _extended(book, a, period, as_of))
            shares.append(_reviewed(book, share, state, as_of))
        rows.append(PeriodRow(period, Deadline(text, "date", period.due), tuple(shares)))
    return rows


def _extended(book: Book, whole: Assignment, period: Period, as_of: dt.date) -> dt.date | None:
    """The date an approved extension gave a unit for one period: asked for before the
    period fell due, reaching past its due date, and decided by `as_of`. Of several, the
    latest decision stands (a refusal leaves an earlier approval standing)."""
    supervision = book.ledger.supervision
    if supervision is None or not whole.designated:
        return None
    granted = [
        g
        for g in supervision.decisions.get((whole.task, whole.unit), ())
        if g.approved and g.date <= as_of and g.asked_on <= period.due < g.extend_to
    ]
    return max(granted, key=lambda g: (g.date, g.line)).extend_to if granted else None


def _share(whole: Assignment, state, extended_to: dt.date | None) -> Assignment:
    """A unit's share of one period, from its updates of that period (`state`)."""
    if not whole.designated:
        return whole  # an open group nobody was named for: outstanding in every period
    if whole.status == NOT_APPLICABLE and (state is None or state[0] not in DONE_STATUSES):
        return whole._replace(extended_to=None)  # excused from the task, so from each period
    share = Assignment(whole.task, whole.unit, whole.role, extended_to=extended_to)
    if state is None:
        return share
    status, updated, note, done_on, _ = state
    return share._replace(status=status, updated=updated, note=note, done_on=done_on)


def _reviewed(book: Book, share: Assignment, state, as_of: dt.date) -> Assignment:
    """Where the office reviews claims, a period's 已完成 waits for its verdict (待审核), and
    one returned (已退回) is not done, as for any task."""
    supervision = book.ledger.supervision
    if state is None or supervision is None or not supervision.used:
        return share
    review, reason = supervision.review_of(state[4], share.status, as_of)
    return share._replace(review=review, review_note=reason)


class UnitPeriods(NamedTuple):
    """One unit's share of a recurring task: its latest period begun and the periods it is
    late in, as `overdue` counts them. Every output that gives a unit's state of such a
    task (list --unit, the site, a form's 当前状态) says this, not whatever its latest update
    said of some period."""

    latest: PeriodRow
    share: Assignment  # the unit's share of the latest period
    late: tuple[PeriodRow, ...]

    def text(self) -> str:
        """未开始（逾期 5 期） while any period is late, else 已完成（2021-07期）: the words
        list --unit and a unit's checklist use, short enough for an 80-column table."""
        if self.late:
            return f"{self.share.state}（逾期 {len(self.late)} 期）"
        return f"{self.share.state}（{self.latest.period.label}期）"


def unit_periods(rows: list[PeriodRow], unit: str, as_of: dt.date) -> UnitPeriods | None:
    """The unit's share of the periods `rows` (None where it has none)."""
    shares = [(row, a) for row in rows for a in row.assignments if a.unit == unit]
    if not shares:
        return None
    late = tuple(row for row, a in shares if a.light(row.deadline, as_of) == OVERDUE)
    latest, share = shares[-1]
    return UnitPeriods(latest, share, late)

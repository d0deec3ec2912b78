"""Fold the progress log into each assignment's status as of a date, and derive the lights."""

from __future__ import annotations

import bisect
import datetime as dt
from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gongkai_cli.model.schema import Deadline
from gongkai_cli.model.statuses import (
    DONE,
    DONE_STATUSES,
    DUE_SOON,
    LATE_DONE,
    NOT_STARTED,
    OVERDUE,
    STATUSES,
)

if TYPE_CHECKING:
    from gongkai_cli.ledger.logline import Entry


@dataclass(frozen=True, slots=True)
class Assignment:
    """One unit's share of one task (task × unit), as things stood on a date.

    `unit` is a canonical unit name, or, where `designated` is False, an open group
    (县政府有关部门) that nobody has been named for yet and that stays outstanding.
    """

    task: int
    unit: str
    role: str  # "lead" | "implementer"
    status: str = NOT_STARTED
    updated: dt.date | None = None
    note: str | None = None
    done_on: dt.date | None = None  # when the current 已完成/不涉及 began
    designated: bool = True

    @property
    def done(self) -> bool:
        return self.status in DONE_STATUSES

    def light(self, deadline: Deadline, as_of: dt.date, soon_days: int = 0) -> str | None:
        """逾期 (late and not done), 逾期完成 (done after the deadline), 临期 (due soon), or None."""
        if deadline.date is None:
            return None
        if self.done:
            late = self.done_on is not None and self.done_on > deadline.date
            return LATE_DONE if late and self.status == DONE else None
        if deadline.date < as_of:
            return OVERDUE
        if (deadline.date - as_of).days <= soon_days:
            return DUE_SOON
        return None


class History:
    """The log as compact columns, indexed by assignment (task, unit).

    Each assignment's updates are one run of the columns, in date order; updates of the
    same day keep the order of the file, so the later line wins. Dates and statuses are
    arrays and notes are indices into a table of distinct notes: a log of hundreds of
    thousands of updates loads from the cache as a few buffers, not as a million objects.
    """

    def __init__(self, spans, days, statuses, notes, note_texts):
        self._spans: dict[int, dict[str, int]] = spans  # task → unit → start << 32 | end
        self._days: array = days  # date ordinals
        self._statuses: array = statuses  # indices into STATUSES
        self._notes: array = notes  # indices into note_texts
        self._note_texts: list[str | None] = note_texts

    @classmethod
    def from_entries(cls, updates: list[Entry], canonical) -> History:
        names: dict[str, str] = {}  # as written → canonical
        unit_ids: dict[str, int] = {}

        def unit_of(update: Entry) -> str:
            unit = names.get(update.unit)
            if unit is None:
                unit = names[update.unit] = canonical(update.unit) or update.unit
            return unit

        def key(i: int) -> int:
            # One int per update, not a tuple: task, then unit, then date (22 bits hold
            # any date's ordinal). The sort is stable, so a day's updates keep file order.
            update = updates[i]
            unit_id = unit_ids.setdefault(unit_of(update), len(unit_ids))
            return update.task << 43 | unit_id << 22 | update.date.toordinal()

        order = sorted(range(len(updates)), key=key)
        spans: dict[int, dict[str, int]] = {}
        start = 0
        for i in range(1, len(order) + 1):
            first = updates[order[start]]
            if i == len(order) or (updates[order[i]].task, unit_of(updates[order[i]])) != (
                first.task,
                unit_of(first),
            ):
                spans.setdefault(first.task, {})[unit_of(first)] = start << 32 | i
                start = i
        codes = {status: code for code, status in enumerate(STATUSES)}
        note_index: dict[str | None, int] = {}
        return cls(
            spans,
            array("l", (updates[i].date.toordinal() for i in order)),
            array("b", (codes[updates[i].status] for i in order)),
            array("L", (note_index.setdefault(updates[i].note, len(note_index)) for i in order)),
            list(note_index),
        )

    def reporters(self, task: int) -> list[str]:
        """The units that have reported on a task, whether or not it names them."""
        return list(self._spans.get(task, ()))

    def state(
        self, task: int, unit: str, as_of: dt.date
    ) -> tuple[str, dt.date | None, str | None, dt.date | None]:
        """(status, date of the latest update, its note, date the current done-run began)."""
        packed = self._spans.get(task, {}).get(unit)
        if packed is None:
            return NOT_STARTED, None, None, None
        start, end = packed >> 32, packed & 0xFFFFFFFF
        latest = bisect.bisect_right(self._days, as_of.toordinal(), start, end) - 1
        if latest < start:
            return NOT_STARTED, None, None, None
        status = STATUSES[self._statuses[latest]]
        done_on = None
        if status in DONE_STATUSES:
            first = latest
            while first > start and STATUSES[self._statuses[first - 1]] in DONE_STATUSES:
                first -= 1
            done_on = dt.date.fromordinal(self._days[first])
        note = self._note_texts[self._notes[latest]]
        return status, dt.date.fromordinal(self._days[latest]), note, done_on

"""Fold the progress log into each assignment's status as of a date, and derive the lights."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gongkai_cli.models import DONE_STATUSES, Deadline

if TYPE_CHECKING:
    from gongkai_cli.progresslog import Entry

OVERDUE, LATE_DONE, DUE_SOON = "逾期", "逾期完成", "临期"


@dataclass(frozen=True, slots=True)
class Assignment:
    """One unit's share of one task (task × unit), as things stood on a date.

    `unit` is a canonical unit name, or, where `designated` is False, an open group
    (县政府有关部门) that nobody has been named for yet and that stays outstanding.
    """

    task: int
    unit: str
    role: str  # "lead" | "implementer"
    status: str = "未开始"
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
            return LATE_DONE if late and self.status == "已完成" else None
        if deadline.date < as_of:
            return OVERDUE
        if (deadline.date - as_of).days <= soon_days:
            return DUE_SOON
        return None


class History:
    """The log as columns, indexed by assignment (task, unit): each assignment's updates
    are one run of the columns, in date order; updates of the same day keep the order of
    the file, so the later line wins. Columns of plain values load fast from the cache."""

    def __init__(self, spans, days, statuses, notes, reporters):
        self._spans: dict[tuple[int, str], tuple[int, int]] = spans
        self._days: list[int] = days  # date ordinals
        self._statuses: list[str] = statuses
        self._notes: list[str | None] = notes
        self._reporters: dict[int, list[str]] = reporters

    @classmethod
    def from_entries(cls, updates: list[Entry], canonical) -> History:
        names: dict[str, str] = {}

        def key(i: int) -> tuple[int, str, int, int]:
            update = updates[i]
            unit = names.get(update.unit)
            if unit is None:
                unit = names[update.unit] = canonical(update.unit) or update.unit
            return update.task, unit, update.date.toordinal(), i  # i: file order within a day

        rows = sorted(map(key, range(len(updates))))
        spans: dict[tuple[int, str], tuple[int, int]] = {}
        reporters: dict[int, list[str]] = {}
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i][:2] != rows[start][:2]:
                task, unit = rows[start][:2]
                spans[(task, unit)] = (start, i)
                reporters.setdefault(task, []).append(unit)
                start = i
        ordered = [updates[row[3]] for row in rows]
        return cls(
            spans,
            [row[2] for row in rows],
            [u.status for u in ordered],
            [u.note for u in ordered],
            reporters,
        )

    def reporters(self, task: int) -> list[str]:
        """The units that have reported on a task, whether or not it names them."""
        return self._reporters.get(task, [])

    def state(
        self, task: int, unit: str, as_of: dt.date
    ) -> tuple[str, dt.date | None, str | None, dt.date | None]:
        """(status, date of the latest update, its note, date the current done-run began)."""
        span = self._spans.get((task, unit))
        if span is None:
            return "未开始", None, None, None
        start, end = span
        latest = bisect.bisect_right(self._days, as_of.toordinal(), start, end) - 1
        if latest < start:
            return "未开始", None, None, None
        status = self._statuses[latest]
        done_on = None
        if status in DONE_STATUSES:
            first = latest
            while first > start and self._statuses[first - 1] in DONE_STATUSES:
                first -= 1
            done_on = dt.date.fromordinal(self._days[first])
        return status, dt.date.fromordinal(self._days[latest]), self._notes[latest], done_on

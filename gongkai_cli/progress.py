"""Fold the progress log into each assignment's status as of a date, and derive the lights."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from gongkai_cli.models import DONE_STATUSES, Deadline, Update

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
    """The log indexed by (task, unit): each assignment's updates in date order.

    Updates on the same date keep the order of the file, so the later line wins.
    """

    def __init__(self, updates: list[Update], canonical):
        self._by_key: dict[tuple[int, str], list[Update]] = {}
        for update in sorted(updates, key=lambda u: u.date):  # stable: file order within a day
            unit = canonical(update.unit) or update.unit
            self._by_key.setdefault((update.task, unit), []).append(update)
        self._dates = {key: [u.date for u in ups] for key, ups in self._by_key.items()}

    def reporters(self, task: int) -> list[str]:
        return [unit for (t, unit) in self._by_key if t == task]

    def state(
        self, task: int, unit: str, as_of: dt.date
    ) -> tuple[str, dt.date | None, str | None, dt.date | None]:
        """(status, date of the latest update, its note, date the current done-run began)."""
        updates = self._by_key.get((task, unit))
        if not updates:
            return "未开始", None, None, None
        end = bisect.bisect_right(self._dates[(task, unit)], as_of)
        if end == 0:
            return "未开始", None, None, None
        latest = updates[end - 1]
        done_on = None
        if latest.status in DONE_STATUSES:
            i = end - 1
            while i > 0 and updates[i - 1].status in DONE_STATUSES:
                i -= 1
            done_on = updates[i].date
        return latest.status, latest.date, latest.note, done_on

"""Fold the progress log into each assignment's status as of a date, and derive the lights."""

from __future__ import annotations

import bisect
import datetime as dt
from array import array
from collections import defaultdict
from collections.abc import Callable
from itertools import repeat
from operator import attrgetter, lshift, or_
from typing import TYPE_CHECKING, NamedTuple

from gongkai_cli.model.statuses import (
    DONE,
    DONE_STATUSES,
    DUE_SOON,
    LATE_DONE,
    NOT_STARTED,
    OVERDUE,
    PENDING,
    RETURNED,
    STATUSES,
)
from gongkai_cli.model.values import Deadline, Detail

if TYPE_CHECKING:
    from gongkai_cli.ledger.logline import Entry

# One update as a task's timeline lists it: date, canonical unit, status, note, and who
# entered it (填报人).
Said = tuple[dt.date, str, str, str | None, str | None]


class Assignment(NamedTuple):
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
    # The supervision cycle (where the ledger uses it): the office's review of the claim
    # (待审核, 通过, 已退回 or None), the approved new deadline, and what the latest update
    # says beyond its note.
    review: str | None = None
    review_note: str | None = None
    extended_to: dt.date | None = None
    detail: Detail = Detail()

    @property
    def done(self) -> bool:
        """Done as far as the unit is concerned: a returned claim is not."""
        return self.status in DONE_STATUSES and self.review != RETURNED

    @property
    def closed(self) -> bool:
        """Done and, where the office reviews, passed: what 办结（销号） needs."""
        return self.done and self.review != PENDING

    @property
    def state(self) -> str:
        """The status as every listing shows it: 待审核 and 已退回 in place of 已完成."""
        return self.review if self.review in (PENDING, RETURNED) else self.status

    def due(self, deadline: Deadline) -> dt.date | None:
        """The assignment's deadline: the plan's, or the date an approved extension gave."""
        return self.extended_to or deadline.date

    def light(self, deadline: Deadline, as_of: dt.date, soon_days: int = 0) -> str | None:
        """逾期 (late and not done), 逾期完成 (done after the deadline), 临期 (due soon), or None."""
        due = self.due(deadline)
        if due is None:
            return None
        if self.done:
            late = self.done_on is not None and self.done_on > due
            return LATE_DONE if late and self.status == DONE else None
        if due < as_of:
            return OVERDUE
        if (due - as_of).days <= soon_days:
            return DUE_SOON
        return None


_TASK, _UNIT, _STATUS, _NOTE, _DATE, _LINE, _PERIOD, _BY = map(
    attrgetter, ("task", "unit", "status", "note", "date", "line", "period", "by")
)


class _Numbered(dict):
    """Numbers keys in order of first lookup (or by `number(key)`): 0, 1, 2, …"""

    def __init__(self, number=None):
        super().__init__()
        self._number = number

    def __missing__(self, key):
        value = self[key] = len(self) if self._number is None else self._number(key)
        return value


def _index_code(table) -> str:
    """The array type for indices into a table of this many entries: two bytes where they fit."""
    return "H" if len(table) <= 0xFFFF else "L"


class History:
    """The log as compact columns, indexed by assignment (task, unit).

    Each assignment's updates are one run of the columns, in date order; updates of the
    same day keep the order of the file, so the later line wins. Dates and statuses are
    arrays and notes are indices into a table of distinct notes: a log of hundreds of
    thousands of updates loads from the cache as a few buffers, not as a million objects.
    """

    def __init__(
        self,
        spans,
        days,
        statuses,
        notes,
        note_texts,
        lines=None,
        periods=None,
        period_texts=None,
        clerks=None,
        clerk_names=None,
    ):
        self._spans: dict[int, dict[str, int]] = spans  # task → unit → start << 32 | end
        self._days: array = days  # date ordinals
        self._statuses: array = statuses  # indices into STATUSES
        self._notes: array = notes  # indices into note_texts
        self._note_texts: list[str | None] = note_texts
        # Each update's line in progress.yaml: what its review and details are keyed by.
        self._lines: array = array("L") if lines is None else lines
        # Each update's period where it names one (of a recurring task): indices into
        # period_texts, whose first entry is None (no period).
        self._periods: array = array("H", bytes(2 * len(days))) if periods is None else periods
        self._period_texts: list[str | None] = period_texts or [None]
        # Who entered each update (填报人), for the site's timelines: indices into
        # clerk_names, a short table (a county has a few hundred clerks at most).
        self._clerks: array = array("H", bytes(2 * len(days))) if clerks is None else clerks
        self._clerk_names: list[str | None] = [None] if clerk_names is None else clerk_names

    @classmethod
    def from_entries(cls, updates: list[Entry], canonical) -> History:
        """Index a log in time linear in its length: no comparison sort of the updates.

        The log is read once, in file order, into compact columns (arrays of machine
        integers, indices included); the ordering then works on those alone. Going back
        to the updates, or to int objects, in index order would visit them at random,
        and a large log's do not fit in the CPU's caches: that, more than the sort this
        replaced, made large cold loads grow faster than linearly."""
        run_ids: dict[tuple[int, str], int] = {}  # (task, canonical unit), in order of mention

        def new_run(written: tuple[int, str]) -> int:
            task, unit = written
            return run_ids.setdefault((task, canonical(unit) or unit), len(run_ids))

        # Each column is made by one pass of map over the log (no Python code per update,
        # but for the first mention of an assignment or a note).
        runs_of = _Numbered(new_run)  # (task, unit as written) → run
        run_of = array(
            "L",
            map(runs_of.__getitem__, zip(map(_TASK, updates), map(_UNIT, updates), strict=True)),
        )
        codes = {status: code for code, status in enumerate(STATUSES)}
        status_of = array("b", map(codes.__getitem__, map(_STATUS, updates)))
        note_index = _Numbered()  # note → its index in the table of distinct notes
        note_of = array("L", map(note_index.__getitem__, map(_NOTE, updates)))
        period_index = _Numbered()  # period named → its index; None (most updates) is 0
        period_index.__getitem__(None)  # numbered first: 0 is "no period"
        # Most logs name no period (no recurring task): then the column is all zeros, made
        # without a pass per update (which would cost a tenth of the whole indexing).
        named = any(map(_PERIOD, updates))
        period_of = (
            array("H", map(period_index.__getitem__, map(_PERIOD, updates))) if named else None
        )
        clerk_index = _Numbered()  # clerk → its index in the table of distinct clerks
        clerk_of = array("L", map(clerk_index.__getitem__, map(_BY, updates)))
        days: defaultdict[dt.date, array] = defaultdict(lambda: array("L"))  # date → updates
        for i, day in enumerate(map(_DATE, updates)):
            days[day].append(i)
        # Buckets per day, taken in date order (only the distinct days are sorted): each
        # run comes out in date order, a day's updates in file order, so the later line
        # of a day wins.
        runs = [array("L") for _ in run_ids]
        for day in sorted(days):
            for i in days[day]:
                runs[run_of[i]].append(i)
        del days
        day_of = array("l", map(dt.date.toordinal, map(_DATE, updates)))
        line_of = array("L", map(_LINE, updates))
        spans: dict[int, dict[str, int]] = {}
        order = array("L")
        for (task, unit), run in zip(run_ids, runs, strict=True):
            spans.setdefault(task, {})[unit] = len(order) << 32 | len(order) + len(run)
            order += run
        del runs
        return cls(
            spans,
            array("l", map(day_of.__getitem__, order)),
            array("b", map(status_of.__getitem__, order)),
            array("L", map(note_of.__getitem__, order)),
            list(note_index),
            array("L", map(line_of.__getitem__, order)),
            array("H", map(period_of.__getitem__, order)) if period_of else None,
            list(period_index),
            array(_index_code(clerk_index), map(clerk_of.__getitem__, order)),
            list(clerk_index),
        )

    def extended(self, updates: list[Entry], canonical) -> History:
        """This history with `updates` appended to the end of the log, as `from_entries`
        would index the longer log: each goes after its assignment's updates of the same
        day or earlier (a new assignment's run after all others), its note and period
        numbered after those already known. Costs a copy of the columns, not a pass over
        the log's updates."""
        spans = {task: dict(units) for task, units in self._spans.items()}
        days, statuses, notes = (
            array("l", self._days),
            array("b", self._statuses),
            array("L", self._notes),
        )
        lines, periods = array("L", self._lines), array("H", self._periods)
        note_texts, period_texts = list(self._note_texts), list(self._period_texts)
        note_index = {note: i for i, note in reversed(list(enumerate(note_texts)))}
        period_index = {period: i for i, period in reversed(list(enumerate(period_texts)))}
        clerk_names = list(self._clerk_names)
        clerk_index = {clerk: i for i, clerk in reversed(list(enumerate(clerk_names)))}
        clerks = array("L", self._clerks)
        codes = {status: code for code, status in enumerate(STATUSES)}
        for update in updates:
            unit = canonical(update.unit) or update.unit
            day = update.date.toordinal()
            packed = spans.get(update.task, {}).get(unit)
            if packed is None:
                at = len(days)
                spans.setdefault(update.task, {})[unit] = at << 32 | at + 1
            else:
                start, end = packed >> 32, packed & 0xFFFFFFFF
                at = bisect.bisect_right(days, day, start, end)
                for units in spans.values():  # the runs after this one move up by one
                    for name, other in units.items():
                        if other >> 32 >= end:
                            units[name] = other + (1 << 32) + 1
                spans[update.task][unit] = start << 32 | end + 1
            note = note_index.setdefault(update.note, len(note_texts))
            if note == len(note_texts):
                note_texts.append(update.note)
            period = period_index.setdefault(update.period, len(period_texts))
            if period == len(period_texts):
                period_texts.append(update.period)
            clerk = clerk_index.setdefault(update.by, len(clerk_names))
            if clerk == len(clerk_names):
                clerk_names.append(update.by)
            days.insert(at, day)
            statuses.insert(at, codes[update.status])
            notes.insert(at, note)
            lines.insert(at, update.line)
            periods.insert(at, period)
            clerks.insert(at, clerk)
        return History(
            spans,
            days,
            statuses,
            notes,
            note_texts,
            lines,
            periods,
            period_texts,
            array(_index_code(clerk_names), clerks),
            clerk_names,
        )

    def columns(self) -> tuple:
        """The arguments that rebuild this history (for the cache), but the lines and periods."""
        return self._spans, self._days, self._statuses, self._notes, self._note_texts

    def periods(self) -> tuple[array, list[str | None]]:
        return self._periods, self._period_texts

    def lines(self) -> array:
        return self._lines

    def clerks(self) -> tuple[array, list[str | None]]:
        return self._clerks, self._clerk_names

    def timeline(self, task: int, as_of: dt.date) -> list[Said]:
        """The task's updates up to `as_of`, newest first: by date, and a day's in reverse
        order of the file (the line written last first), every unit's together. Made by
        passes of `map` over the columns: a long log's task has a hundred thousand."""
        limit, days = as_of.toordinal(), self._days
        keys: list[int] = []  # each update's date and line as one number: no two are equal
        at: list[int] = []  # its place in the columns
        units: list[str] = []
        for unit, packed in self._spans.get(task, {}).items():
            start = packed >> 32
            end = bisect.bisect_right(days, limit, start, packed & 0xFFFFFFFF)
            keys += map(or_, map(lshift, days[start:end], repeat(32)), self._lines[start:end])
            at += range(start, end)
            units += repeat(unit, end - start)
        order = sorted(range(len(keys)), key=keys.__getitem__, reverse=True)
        index = list(map(at.__getitem__, order))
        ordinals = list(map(days.__getitem__, index))
        dates = {day: dt.date.fromordinal(day) for day in set(ordinals)}
        return list(
            zip(
                map(dates.__getitem__, ordinals),
                map(units.__getitem__, order),
                map(STATUSES.__getitem__, map(self._statuses.__getitem__, index)),
                map(self._note_texts.__getitem__, map(self._notes.__getitem__, index)),
                map(self._clerk_names.__getitem__, map(self._clerks.__getitem__, index)),
                strict=True,
            )
        )

    def latest_line(self, task: int, unit: str, as_of: dt.date) -> int | None:
        """The line of the update that gives the assignment's status on `as_of`."""
        packed = self._spans.get(task, {}).get(unit)
        if packed is None:
            return None
        start, end = packed >> 32, packed & 0xFFFFFFFF
        latest = bisect.bisect_right(self._days, as_of.toordinal(), start, end) - 1
        return None if latest < start else self._lines[latest]

    def said_on(self, task: int, unit: str, day: dt.date) -> set[tuple[str, str | None]]:
        """(status, note) of every update of the assignment dated `day`, superseded or not."""
        packed = self._spans.get(task, {}).get(unit)
        if packed is None:
            return set()
        start, end, at = packed >> 32, packed & 0xFFFFFFFF, day.toordinal()
        first = bisect.bisect_left(self._days, at, start, end)
        last = bisect.bisect_right(self._days, at, start, end)
        return {
            (STATUSES[self._statuses[i]], self._note_texts[self._notes[i]])
            for i in range(first, last)
        }

    def reporters(self, task: int) -> list[str]:
        """The units that have reported on a task, whether or not it names them."""
        return list(self._spans.get(task, ()))

    def latest_day(self, as_of: dt.date) -> dt.date | None:
        """The date of the latest update on or before `as_of`, of any assignment."""
        limit, latest = as_of.toordinal(), None
        for units in self._spans.values():
            for packed in units.values():
                start = packed >> 32
                i = bisect.bisect_right(self._days, limit, start, packed & 0xFFFFFFFF) - 1
                if i >= start and (latest is None or self._days[i] > latest):
                    latest = self._days[i]
        return None if latest is None else dt.date.fromordinal(latest)

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

    def statuses_on(self, task: int, unit: str, days: list[int]) -> list[str]:
        """The assignment's status on each of `days` (date ordinals, ascending), as `state`
        gives it for each day: each update holds from the first of the days on or after its
        date until a later update takes over. A few steps an update, not one a day."""
        count = len(days)
        result = [NOT_STARTED] * count
        packed = self._spans.get(task, {}).get(unit)
        if packed is None:
            return result
        for i in range(packed >> 32, packed & 0xFFFFFFFF):
            first = bisect.bisect_left(days, self._days[i])
            if first == count:
                break  # this update, and the later ones, come after the last day
            result[first:] = [STATUSES[self._statuses[i]]] * (count - first)
        return result

    def period_states(
        self, task: int, unit: str, as_of: dt.date, period_of: Callable[[dt.date], str | None]
    ) -> dict[str, tuple[str, dt.date, str | None, dt.date | None, int | None]]:
        """Per period reported on: (status, date of its latest update, its note, the date its
        current done-run began, that update's line), as of a date. An update that names no
        period counts for the period `period_of` its date (see `Schedule.reported`)."""
        packed = self._spans.get(task, {}).get(unit)
        if packed is None:
            return {}
        start, end = packed >> 32, packed & 0xFFFFFFFF
        latest = bisect.bisect_right(self._days, as_of.toordinal(), start, end)
        states: dict[str, tuple[str, dt.date, str | None, dt.date | None, int | None]] = {}
        for i in range(start, latest):
            day = dt.date.fromordinal(self._days[i])
            period = self._period_texts[self._periods[i]] or period_of(day)
            if period is None:
                continue
            status = STATUSES[self._statuses[i]]
            done_on = None
            if status in DONE_STATUSES:
                before = states.get(period)
                done_on = before[3] if before and before[3] else day
            line = self._lines[i] if self._lines else None
            states[period] = (status, day, self._note_texts[self._notes[i]], done_on, line)
        return states

"""Roll up the member ledgers: each member's figures as its own `stats` gives them for one
day, read at the commit last fetched, and their total."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from gongkai_cli.ledger.datadir import DataDir, as_data_dir


@dataclass(frozen=True, slots=True)
class Figures:
    """One member's figures (or the total's): the 合计 row of its `stats`."""

    name: str
    commit: str
    title: str
    tasks: int
    assignments: int  # 项次: task × unit
    done: int
    on_time: int
    overdue: int
    last_update: dt.date | None

    @property
    def rate(self) -> float | None:
        """按期率, as `stats` computes it: on time ÷ (done + overdue)."""
        settled = self.done + self.overdue
        return round(self.on_time / settled, 4) if settled else None


@dataclass
class Rollup:
    as_of: dt.date
    members: list[Figures]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (member, why)

    @property
    def total(self) -> Figures:
        days = [m.last_update for m in self.members if m.last_update]
        return Figures(
            "合计",
            "",
            "",
            *(sum(getattr(m, f) for m in self.members) for f in _SUMMED),
            max(days, default=None),
        )


_SUMMED = ("tasks", "assignments", "done", "on_time", "overdue")


def figures(name: str, commit: str, book, as_of: dt.date) -> Figures:
    """A ledger's figures for `as_of`, taken from its own statistics report."""
    from gongkai_cli.output.reports import stats

    total = stats(book, as_of).payload["rows"][-1]
    return Figures(
        name,
        commit,
        book.ledger.title,
        len(book.ledger.tasks),
        total["total"],
        total["done"],
        total["on_time"],
        total["overdue"],
        book.history.latest_day(as_of),
    )


def rollup(data: DataDir | str | Path | None = None, as_of: dt.date | None = None) -> Rollup:
    """Every member listed in members.yaml as last fetched, as of `as_of` (default today);
    members never fetched (or whose recorded commit can no longer be read) are skipped with
    the reason."""
    from gongkai_cli.actions.members import cache_root, opened, recorded, some_members
    from gongkai_cli.model.dates import current_date

    data_dir = as_data_dir(data)
    as_of = as_of or current_date()
    result = Rollup(as_of, [])
    fetched = recorded(data_dir)
    for member in some_members(data_dir):
        kept = Kept(cache_root(data_dir) / member.name / KEPT, fetched.get(member.name), as_of)
        if (found := kept.get()) is not None:
            result.members.append(found)
            continue
        for m, commit, book in opened(data_dir, [member], result.skipped):
            result.members.append(figures(m.name, commit, book, as_of))
            kept.put(result.members[-1])
    return result


KEPT = "rollup.json"


@dataclass(frozen=True, slots=True)
class Kept:
    """A member's figures kept beside its cache, by commit and day: what a commit holds never
    changes, so figures once counted are read back (a warm roll-up opens no ledger) for as
    long as the code that counted them is the code running."""

    path: Path
    commit: str | None
    as_of: dt.date

    def _key(self) -> list:
        from gongkai_cli.ledger.cache import code_key

        return [code_key(), self.commit]

    def _stored(self) -> dict:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return stored if isinstance(stored, dict) and stored.get("key") == self._key() else {}

    def get(self) -> Figures | None:
        if self.commit is None:
            return None
        fields = self._stored().get("days", {}).get(self.as_of.isoformat())
        try:
            day = fields.pop("last_update")
            return Figures(**fields, last_update=day and dt.date.fromisoformat(day))
        except (AttributeError, KeyError, TypeError, ValueError):  # none, or not of this shape
            return None

    def put(self, figures: Figures) -> None:
        from gongkai_cli.record.atomic import atomic_write

        days = self._stored().get("days", {})
        fields = {f: getattr(figures, f) for f in Figures.__dataclass_fields__}
        fields["last_update"] = figures.last_update and figures.last_update.isoformat()
        days[self.as_of.isoformat()] = fields
        stored = {"key": self._key(), "days": days}
        with contextlib.suppress(OSError):  # only a shortcut: counted again next time
            atomic_write(self.path, json.dumps(stored, ensure_ascii=False).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class TaskCell:
    """How far one member is on one higher task: over the member's tasks that break it down."""

    tasks: tuple[int, ...]  # the member's task numbers; none: 未分解
    assignments: int
    done: int
    overdue: int


@dataclass
class TaskRollup:
    as_of: dt.date
    title: str  # this ledger's plan
    tasks: list  # this ledger's tasks (values.Task), in order
    members: list[str]
    cells: dict[tuple[int, str], TaskCell]  # (higher task, member) → its cell
    skipped: list[tuple[str, str]] = field(default_factory=list)


def rollup_by_task(data: DataDir | str | Path | None = None, as_of: dt.date | None = None):
    """For each task of this ledger's plan, each member's progress on the tasks that break it
    down (as `coverage` matches them), counted as `stats` counts: designated assignments."""
    from gongkai_cli.actions.coverage import member_coverage
    from gongkai_cli.actions.members import members, opened
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.model.dates import current_date

    data_dir = as_data_dir(data)
    as_of = as_of or current_date()
    coverage = member_coverage(data_dir)
    own = open_book(data_dir)
    result = TaskRollup(
        as_of,
        own.ledger.title,
        list(own.ledger.tasks.values()),
        [lower.name for lower in coverage.lowers],
        {},
        coverage.skipped,
    )
    lowers = {lower.name: lower for lower in coverage.lowers}
    covered = [m for m in members(data_dir) if m.name in lowers]
    for member, _, book in opened(data_dir, covered, []):
        for row in lowers[member.name].rows:
            numbers = tuple(sorted(link.lower for link, _ in row.links))
            tally = _tally(book, numbers, as_of)
            cell = TaskCell(numbers, tally.total, tally.done, tally.overdue)
            result.cells[row.task.number, member.name] = cell
    return result


def _tally(book, numbers, as_of: dt.date):
    """The tasks' assignments counted as `stats` counts them."""
    from gongkai_cli.output.reports import Tally, counted

    tally = Tally()
    for number in numbers:
        for deadline, assignment in counted(book, number, as_of):
            tally.add(assignment, deadline, as_of)
    return tally

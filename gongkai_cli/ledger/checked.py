"""A data directory loaded and checked, through the cache: what every command starts from."""

from __future__ import annotations

import datetime as dt
import gc
import io
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from itertools import chain
from operator import attrgetter
from typing import Any

from gongkai_cli.errors import DataError, Problem, has_errors
from gongkai_cli.ledger import cache
from gongkai_cli.ledger.datadir import DataDir
from gongkai_cli.model import values
from gongkai_cli.model.book import Book
from gongkai_cli.model.fold import History
from gongkai_cli.model.registry import UnitIndex
from gongkai_cli.model.supervision import Supervision


@dataclass
class Checked:
    """What commands need of a load, small enough to cache: the ledger (without its raw
    log), the history columns, every problem and the number of valid tasks."""

    ledger: values.Ledger | None
    history: History | None
    problems: list[Problem]
    task_count: int
    # What vouches for the bytes this was made of (file → Seen): kept only in memory, for
    # extending the cache after an append (see `extend_cache`).
    seen: dict | None = field(default=None, repr=False, compare=False)
    # The date of the log's latest event (ISO): before that day, a load finds an event
    # dated after today, an error no cached answer holds (see `cached`).
    latest: str | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return self.ledger is not None and not has_errors(self.problems)


def load_checked(data_dir: DataDir, known: dict | None = None) -> Checked:
    """load(), through the cache; `known`: data files just read and hashed by the caller
    (file → Seen), not read again to check the cache."""
    if (found := cached(data_dir, known)) is not None:
        return found
    where = cache.place(data_dir)
    with _collector_paused():
        # Imported here, with the collector paused: the reader and the checks (YAML, and
        # the schemas when a file has a mistake) are for a load; a cached read never needs them.
        from gongkai_cli.ledger import load

        loaded = load.load(data_dir)
        checked = Checked(loaded.ledger, None, loaded.problems, len(loaded.tasks), loaded.seen)
        events = chain(loaded.updates, loaded.retractions, loaded.supervision)
        latest = max(map(attrgetter("date"), events), default=None)
        checked.latest = latest and latest.isoformat()
        if checked.ok:
            ledger = loaded.ledger
            checked.history = History.from_entries(ledger.updates, ledger.index.canonical)
            ledger.updates = []  # folded into the history; the raw log is for `gongkai log`
    # A progress date after today is an error only until its day comes: never kept.
    if where and not any(p.code == "date-in-future" for p in checked.problems):
        cache.put(where, loaded.seen, *_encode(checked))
    return checked


def cached(data_dir: DataDir, known: dict | None = None) -> Checked | None:
    """What the cache holds for the data files as they are now, without loading them where
    it holds nothing (None then)."""
    where = cache.place(data_dir)
    stored = cache.get(where, data_dir, known) if where else None
    if stored is None:
        return None
    value, columns, seen = stored
    from gongkai_cli.model.dates import current_date

    if (value.get("latest") or "") > current_date().isoformat():
        return None  # read before its latest event's day: a load says which line is wrong
    try:
        checked = _decode(data_dir, value, columns)
    except Exception:  # stored by code of another shape
        return None
    checked.seen = seen
    return checked


def open_book(data_dir: DataDir) -> Book:
    """The ledger of a data directory, ready for queries; errors in the data stop here."""
    return book_of(load_checked(data_dir))


def book_of(checked: Checked) -> Book:
    """A checked load ready for queries; errors in the data stop here."""
    if not checked.ok:
        raise DataError(checked.problems)
    return Book(checked.ledger, checked.history)


def extend_cache(data_dir: DataDir, checked: Checked, appended: Appended) -> Checked | None:
    """After lines were appended to the log that `checked` was loaded from, store in the
    cache what a load of the longer log would give, without reading the log again: on a
    long log, that reading is most of what a write costs (and of the next query after it).

    Only where that is sure: every appended line an update in its canonical form, with no
    details (they are kept apart), naming a task and a unit that answers for it, dated no
    later than today, its text fit for every output, its period one of its task's, its id
    nowhere in the log before (a retraction or review of it would be an error the old log
    did not have) and nothing the same as an update of its assignment on its day (that
    could be an exact repeat, a warning). Those are every check that an update's line can
    fail or make another line fail; the problems found before stay as they were, line
    numbers and all, since the lines were only added at the end. Otherwise nothing is
    stored and the next command loads the log afresh, as before.

    The log's new digest is of the bytes written; its fingerprint is left out, so the next
    read hashes the file once before trusting this (a hook that touched it is noticed).
    Returns the longer load (stored where the cache is on), for a writer that goes on with it."""
    longer = extended(checked, appended)
    if longer is not None:
        keep_extended(data_dir, longer)
    return longer


def keep_extended(data_dir: DataDir, longer: Checked) -> None:
    """Store an `extended` load in the cache, as `extend_cache` would have: for a writer
    that appended several times and keeps only the last (collect, a commit per form)."""
    where = cache.place(data_dir)
    seen = longer.seen or {}
    if where is not None and longer.ok and all(name in seen for name in cache.FILES):
        cache.put(where, seen, *_encode(longer))


def extended(checked: Checked, appended: Appended) -> Checked | None:
    """What a load of the log with the `appended` lines would give, from `checked` (a load
    of the log without them), where that is sure (see `extend_cache`); else None."""
    if not checked.ok:
        return None
    loaded_from = (checked.seen or {}).get(cache.PROGRESS)
    if loaded_from is not None and loaded_from.digest != appended.was:
        return None  # the log changed between the load and the append
    try:
        updates = _appended_updates(checked, appended)
    except Exception:  # only an optimisation: never fail a write that is done
        return None
    if updates is None:
        return None
    from gongkai_cli.ledger.seen import Seen

    ledger = checked.ledger
    seen = checked.seen and {**checked.seen, cache.PROGRESS: Seen(appended.digest, None)}
    latest = max([checked.latest or "", *(u.date.isoformat() for u in updates)])
    return Checked(
        ledger,
        checked.history.extended(updates, ledger.index.canonical),
        checked.problems,
        checked.task_count,
        seen,
        latest or None,
    )


@dataclass(frozen=True, slots=True)
class Appended:
    """Lines appended to a log: the log before them, the number of the first, and the
    SHA-256 of the log with them (and without)."""

    before: bytes
    lines: str  # as written (decoded)
    first: int
    digest: str
    was: str  # SHA-256 of `before`


def _appended_updates(checked: Checked, appended: Appended) -> list | None:
    """The appended lines as updates, numbered as in the file, if a load of the longer log
    would find nothing new to say about them (see `extend_cache`); else None."""
    from gongkai_cli.ledger.checks import _progress_problem, forbidden_text
    from gongkai_cli.ledger.logline import read_log
    from gongkai_cli.model.dates import current_date

    lines = list(io.StringIO(appended.lines, newline=""))  # split as a load splits them
    read = read_log(lines)
    odd = read.odd_runs or read.overlong or read.retractions or read.supervision
    if odd or read.details or len(read.updates) != len(lines):
        return None
    ledger, history, today = checked.ledger, checked.history, current_date()
    said: set[tuple] = set()
    ids: set[str] = set()
    updates = []
    for update in read.updates:
        update = update._replace(line=update.line + appended.first - 1)
        unit = ledger.index.canonical(update.unit) or update.unit
        content = (update.task, unit, update.date, update.status, update.note)
        texts = (update.unit, update.note, update.by)
        if (
            update.id in ids
            or update.id.encode() in appended.before
            or update.date > today
            or _progress_problem(ledger, update.task, update.unit) is not None
            or any(text is not None and forbidden_text(text) for text in texts)
            or not _period_fits(ledger, update)
            or content in said
            or (update.status, update.note) in history.said_on(update.task, unit, update.date)
        ):
            return None
        ids.add(update.id)
        said.add(content)
        updates.append(update)
    return updates


def _period_fits(ledger, update) -> bool:
    if update.period is None:
        return True
    from gongkai_cli.model.schedules import parse_schedule

    task = ledger.tasks.get(update.task)
    schedule = task and parse_schedule(task.deadline)
    return bool(schedule) and update.period in [p.label for p in schedule.periods(ledger.year)]


def evidence_problems(data_dir: DataDir, checked: Checked) -> list[Problem]:
    """What is wrong with the evidence the log names (files checked against their hashes):
    judged afresh on every call, since a kept file may change while the log does not."""
    supervision = checked.ledger and checked.ledger.supervision
    if not supervision or not supervision.details:
        return []
    from gongkai_cli.ledger.evidence import check

    return check(data_dir, supervision.details)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A load makes hundreds of thousands of lasting tuples (one per update) and no
    reference cycles: the cyclic collector would walk them over and over for nothing
    (about 8% of a cold load). Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ----- a Checked as plain data for the cache: JSON values and integer columns -----


def _dump(value: Any) -> dict[str, Any]:
    """A plain value's fields (a named tuple's, or a problem's), JSON-ready."""
    if isinstance(value, tuple):
        return value._asdict()
    return {f.name: getattr(value, f.name) for f in fields(value)}


def _restore(cls: type, data: dict[str, Any]) -> Any:
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def _encode(checked: Checked) -> tuple[dict[str, Any], list[array]]:
    ledger, history = checked.ledger, checked.history
    value: dict[str, Any] = {
        "problems": [_dump(p) for p in checked.problems],
        "task_count": checked.task_count,
        "latest": checked.latest,
        "ledger": None,
        "history": None,
    }
    if ledger is not None:
        value["ledger"] = {
            "title": ledger.title,
            "year": ledger.year,
            "tasks": [_dump(t) for t in ledger.tasks.values()],
            "units": [_dump(u) for u in ledger.index.units.values()],
            "groups": [_dump(g) for g in ledger.index.groups.values()],
            "resolutions": [
                [n, r.lead, r.implementers, r.unresolved, [_dump(t) for t in r.terms]]
                for n, r in ledger.resolutions.items()
            ],
            "deadlines": [
                [n, d.text, d.kind, d.date and d.date.isoformat()]
                for n, d in ledger.deadlines.items()
            ],
            "supervision": ledger.supervision and ledger.supervision.to_json(),
        }
    columns: list[array] = []
    if history is not None:
        spans, days, statuses, notes, note_texts = history.columns()
        periods, period_texts = history.periods()
        clerks, clerk_names = history.clerks()
        value["history"] = {
            "spans": list(spans.items()),
            "notes": note_texts,
            "periods": period_texts,
            "clerks": clerk_names,
        }
        columns = [days, statuses, notes, history.lines(), periods, clerks]
    return value, columns


def _decode(data_dir: DataDir, value: dict[str, Any], columns: list[array]) -> Checked:
    ledger = history = None
    if (raw := value["ledger"]) is not None:
        ledger = values.Ledger(
            data_dir,
            raw["title"],
            raw["year"],
            {t["number"]: _restore(values.Task, t) for t in raw["tasks"]},
            UnitIndex(
                [_restore(values.Unit, u) for u in raw["units"]],
                [_restore(values.Group, g) for g in raw["groups"]],
            ),
            [],
            {
                n: values.Resolution(
                    tuple(lead),
                    tuple(implementers),
                    tuple(unresolved),
                    tuple(_restore(values.Term, t) for t in terms),
                )
                for n, lead, implementers, unresolved, terms in raw["resolutions"]
            },
            {
                n: values.Deadline(text, kind, day and dt.date.fromisoformat(day))
                for n, text, kind, day in raw["deadlines"]
            },
            raw["supervision"] and Supervision.from_json(raw["supervision"]),
        )
    if (raw := value["history"]) is not None:
        days, statuses, notes, lines, periods, clerks = columns
        history = History(
            dict(raw["spans"]),
            days,
            statuses,
            notes,
            raw["notes"],
            lines,
            periods,
            raw["periods"],
            clerks,
            raw["clerks"],
        )
    problems = [Problem(**p) for p in value["problems"]]
    return Checked(ledger, history, problems, value["task_count"], latest=value["latest"])

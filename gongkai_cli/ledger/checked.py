"""A data directory loaded and checked, through the cache: what every command starts from."""

from __future__ import annotations

import datetime as dt
import gc
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
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

    @property
    def ok(self) -> bool:
        return self.ledger is not None and not has_errors(self.problems)


def load_checked(data_dir: DataDir) -> Checked:
    """load(), through the cache."""
    where = cache.place(data_dir)
    if where and (stored := cache.get(where, data_dir)) is not None:
        try:
            return _decode(data_dir, *stored)
        except Exception:  # stored by code of another shape: load afresh
            pass
    with _collector_paused():
        # Imported here, with the collector paused: the reader and the checks (YAML, and
        # the schemas when a file has a mistake) are for a load; a cached read never needs them.
        from gongkai_cli.ledger import load

        loaded = load.load(data_dir)
        checked = Checked(loaded.ledger, None, loaded.problems, len(loaded.tasks))
        if checked.ok:
            ledger = loaded.ledger
            checked.history = History.from_entries(ledger.updates, ledger.index.canonical)
            ledger.updates = []  # folded into the history; the raw log is for `gongkai log`
    # A progress date after today is an error only until its day comes: never kept.
    if where and not any(p.code == "date-in-future" for p in checked.problems):
        cache.put(where, loaded.seen, *_encode(checked))
    return checked


def open_book(data_dir: DataDir) -> Book:
    """The ledger of a data directory, ready for queries; errors in the data stop here."""
    checked = load_checked(data_dir)
    if not checked.ok:
        raise DataError(checked.problems)
    return Book(checked.ledger, checked.history)


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
        value["history"] = {
            "spans": list(spans.items()),
            "notes": note_texts,
            "periods": period_texts,
        }
        columns = [days, statuses, notes, history.lines(), periods]
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
        days, statuses, notes, lines, periods = columns
        history = History(
            dict(raw["spans"]), days, statuses, notes, raw["notes"], lines, periods, raw["periods"]
        )
    problems = [Problem(**p) for p in value["problems"]]
    return Checked(ledger, history, problems, value["task_count"])

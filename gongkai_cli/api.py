"""The library API: open a ledger, query it, validate it, record and undo progress, build reports.

    import gongkai_cli as gk

    book = gk.open_ledger("台账/data")
    day = gk.parse_date("2021-10-31")
    for late in gk.overdue(book, day):
        print(late.number, late.days, late.units)
    gk.record_update("台账/data", 7, ["县财政局"], "已完成", note="已公开")

Nothing here imports Typer or Rich; errors are `GongkaiError` subclasses (gongkai_cli.errors).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from gongkai_cli.errors import DataError, Problem
from gongkai_cli.ledger.checked import load_checked, open_book
from gongkai_cli.ledger.datadir import DataDir, find_data_dir, writable
from gongkai_cli.model.book import Book
from gongkai_cli.model.dates import current_date
from gongkai_cli.model.statuses import parse_status
from gongkai_cli.record import recording


def data_dir(data: str | Path | DataDir | None = None) -> DataDir:
    """The data directory: `data` if given, else as the command line finds it ($GONGKAI_DATA,
    the nearest data/ upward, the bundled plan)."""
    if isinstance(data, DataDir):
        return data
    return find_data_dir(Path(data) if data is not None else None)


def open_ledger(data: str | Path | DataDir | None = None) -> Book:
    """The ledger, ready for queries; raises DataError if its files hold errors."""
    return open_book(data_dir(data))


def validate(data: str | Path | DataDir | None = None, *, strict: bool = False) -> list[Problem]:
    """Every problem in the data files (errors and warnings); with `strict`, warnings count
    as errors."""
    problems = load_checked(data_dir(data)).problems
    if strict:
        problems = [p if p.is_error else replace(p, severity="error") for p in problems]
    return problems


def record_update(
    data: str | Path | DataDir | None,
    task: int,
    units: Iterable[str],
    status: str,
    *,
    note: str | None = None,
    date: dt.date | None = None,
    by: str | None = None,
    commit: bool = True,
) -> recording.Recorded:
    """Append one update per unit (names, aliases or closed groups) and commit it to git."""
    request = recording.Request(
        task=task,
        units=tuple(units),
        status=parse_status(status),
        date=date or current_date(),
        note=note,
        by=by,
        commit=commit,
    )
    return recording.record(writable(data_dir(data)), request)


def undo(
    data: str | Path | DataDir | None = None, ids: Iterable[str] = (), *, commit: bool = True
) -> recording.Undone:
    """Retract updates by id, or the last update recorded: a retraction is appended (and
    committed), nothing is deleted."""
    return recording.undo(writable(data_dir(data)), tuple(ids), commit=commit)


__all__ = ["DataError", "data_dir", "open_ledger", "record_update", "undo", "validate"]

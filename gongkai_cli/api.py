"""The library API: open a ledger, query it, validate it; every use case is an action
(gongkai_cli.actions), exported beside these from the package itself.

    import gongkai_cli as gk

    book = gk.open_ledger("台账/data")
    day = gk.parse_date("2021-10-31")
    for late in gk.overdue(book, day):
        print(late.number, late.days, late.units)
    gk.record_update("台账/data", 7, ["县财政局"], "已完成", note="已公开")

A ledger is named by its data folder (a path, or a DataDir), or left out to be found as the
command line finds it. Nothing here imports Typer or Rich; errors are `GongkaiError`
subclasses (gongkai_cli.errors).

May import: `gongkai_cli.errors`, `gongkai_cli.ledger`, `gongkai_cli.model`, `gongkai_cli.actions`.
"""

from __future__ import annotations

from pathlib import Path

from gongkai_cli.errors import DataError, Problem
from gongkai_cli.ledger.checked import open_book
from gongkai_cli.ledger.datadir import DataDir, as_data_dir
from gongkai_cli.model.book import Book


def data_dir(data: str | Path | DataDir | None = None) -> DataDir:
    """The data directory: `data` if given, else as the command line finds it ($GONGKAI_DATA,
    the nearest data/ upward, the bundled plan)."""
    return as_data_dir(data)


def open_ledger(data: str | Path | DataDir | None = None) -> Book:
    """The ledger, ready for queries; raises DataError if its files hold errors."""
    return open_book(as_data_dir(data))


def validate(data: str | Path | DataDir | None = None, *, strict: bool = False) -> list[Problem]:
    """Every problem of the ledger, as `gongkai validate` finds them (errors and warnings);
    with `strict`, warnings count as errors. gongkai_cli.check_ledger also gives the count
    of tasks."""
    from gongkai_cli.actions.check_ledger import check_ledger

    return check_ledger(data, strict=strict).problems


__all__ = ["DataError", "data_dir", "open_ledger", "validate"]

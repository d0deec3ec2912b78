"""A data directory loaded and checked, through the cache: what every command starts from."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai_cli.errors import DataError, Problem, has_errors
from gongkai_cli.ledger.cache import content_key, enabled, get, put
from gongkai_cli.ledger.datadir import DataDir
from gongkai_cli.model.book import Book
from gongkai_cli.model.fold import History
from gongkai_cli.model.schema import Ledger


@dataclass
class Checked:
    """What commands need of a load, small enough to cache: the ledger (without its raw
    log), the history columns, every problem and the number of valid tasks."""

    ledger: Ledger | None
    history: History | None
    problems: list[Problem]
    task_count: int

    @property
    def ok(self) -> bool:
        return self.ledger is not None and not has_errors(self.problems)


def load_checked(data_dir: DataDir) -> Checked:
    """load(), through the content-keyed cache."""
    key = content_key(data_dir) if enabled() else None
    checked = get(data_dir, key) if key else None
    if isinstance(checked, Checked):
        if checked.ledger is not None:
            checked.ledger.data_dir = data_dir
        return checked
    from gongkai_cli.ledger.load import load

    loaded = load(data_dir)
    checked = Checked(loaded.ledger, None, loaded.problems, len(loaded.tasks))
    if checked.ok:
        ledger = loaded.ledger
        checked.history = History.from_entries(ledger.updates, ledger.index.canonical)
        ledger.updates = []  # folded into the history; the raw log is for `gongkai log`
    if key:
        put(data_dir, key, checked)
    return checked


def open_book(data_dir: DataDir) -> Book:
    """The ledger of a data directory, ready for queries; errors in the data stop here."""
    checked = load_checked(data_dir)
    if not checked.ok:
        raise DataError(checked.problems)
    return Book(checked.ledger, checked.history)

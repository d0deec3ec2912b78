"""The audit trail of `gongkai log`: the progress log newest first, each entry with the commit that added it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gongkai_cli.errors import DataError, has_errors
from gongkai_cli.ledger.datadir import PROGRESS, DataDir
from gongkai_cli.ledger.load import load
from gongkai_cli.record import git as gitrepo

if TYPE_CHECKING:
    from gongkai_cli.ledger.logline import Entry
    from gongkai_cli.model.book import Book


def book_and_log(data_dir: DataDir) -> tuple[Book, list[Entry]]:
    """The ledger and its log as written, read afresh (the cache keeps only the folded log)."""
    from gongkai_cli.model.book import Book

    loaded = load(data_dir)
    if loaded.ledger is None or has_errors(loaded.problems):
        raise DataError(loaded.problems)
    return Book(loaded.ledger), list(loaded.updates)


def log_entries(
    data_dir: DataDir, task: int | None, unit: str | None, since: dt.date | None
) -> list[dict[str, Any]]:
    book, updates = book_and_log(data_dir)
    if task is not None:
        book.task(task)
    wanted = book.unit(unit) if unit else None
    repo = gitrepo.find_repo(data_dir.path)
    blame = repo.blame(data_dir.file(PROGRESS)) if repo else {}
    entries = []
    for update in updates:
        name = book.ledger.index.canonical(update.unit) or update.unit
        if (task is not None and update.task != task) or (wanted and name != wanted):
            continue
        if since and update.date < since:
            continue
        line = update.line
        entries.append(
            {
                "date": update.date.isoformat(),
                "task": update.task,
                "unit": name,
                "status": update.status,
                "note": update.note,
                "by": update.by,
                "line": line,
                "commit": blame.get(line),
            }
        )
    return sorted(entries, key=lambda e: (e["date"], e["line"]), reverse=True)

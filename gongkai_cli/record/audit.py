"""The audit trail of `gongkai log`: the progress log's updates newest first, each with the
commit that added it and, where it was retracted, the retraction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gongkai_cli.errors import DataError, has_errors
from gongkai_cli.ledger.datadir import PROGRESS, DataDir
from gongkai_cli.ledger.load import load
from gongkai_cli.record import git as gitrepo

if TYPE_CHECKING:
    from gongkai_cli.ledger.loaded import Loaded
    from gongkai_cli.ledger.logline import Entry
    from gongkai_cli.model.book import Book


def _loaded(data_dir: DataDir) -> tuple[Book, Loaded]:
    from gongkai_cli.model.book import Book

    loaded = load(data_dir)
    if loaded.ledger is None or has_errors(loaded.problems):
        raise DataError(loaded.problems)
    return Book(loaded.ledger), loaded


def book_and_log(data_dir: DataDir) -> tuple[Book, list[Entry]]:
    """The ledger and the updates of its log that count (not retracted), in the order
    written, read afresh (the cache keeps only the folded log)."""
    book, loaded = _loaded(data_dir)
    return book, loaded.counting()


def log_entries(
    data_dir: DataDir, task: int | None, unit: str | None, since: dt.date | None
) -> list[dict[str, Any]]:
    book, loaded = _loaded(data_dir)
    updates = loaded.updates  # every update, the retracted ones shown as such
    if task is not None:
        book.task(task)
    wanted = book.unit(unit) if unit else None
    try:
        repo = gitrepo.find_repo(data_dir.path)
    except gitrepo.GitMissing:  # the log reads without git; it only lacks the commits
        repo = None
    blame = repo.blame(data_dir.file(PROGRESS)) if repo else {}
    retracted = loaded.retracted()
    entries = []
    for update in updates:
        name = book.ledger.index.canonical(update.unit) or update.unit
        if (task is not None and update.task != task) or (wanted and name != wanted):
            continue
        if since and update.date < since:
            continue
        line = update.line
        retraction = retracted.get(update.id)
        entries.append(
            {
                "id": update.id,
                "date": update.date.isoformat(),
                "task": update.task,
                "unit": name,
                "status": update.status,
                "note": update.note,
                "by": update.by,
                "line": line,
                "commit": blame.get(line),
                "retracted": retraction
                and {
                    "id": retraction.id,
                    "date": retraction.date.isoformat(),
                    "by": retraction.by,
                    "line": retraction.line,
                    "commit": blame.get(retraction.line),
                },
            }
        )
    return sorted(entries, key=lambda e: (e["date"], e["line"]), reverse=True)

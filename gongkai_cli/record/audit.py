"""The audit trail of `gongkai log`: the progress log's updates newest first, each with the
commit that added it and, where it was retracted, the retraction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gongkai_cli.ledger.datadir import PROGRESS, DataDir
from gongkai_cli.ledger.load import load_sound
from gongkai_cli.model.statuses import APPROVE
from gongkai_cli.record import git as gitrepo

if TYPE_CHECKING:
    from gongkai_cli.ledger.loaded import Loaded
    from gongkai_cli.ledger.logline import Entry
    from gongkai_cli.model.book import Book


def _loaded(data_dir: DataDir) -> tuple[Book, Loaded]:
    from gongkai_cli.model.book import Book

    loaded = load_sound(data_dir)
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
    for update in (*updates, *_supervision_steps(loaded)):
        name = book.ledger.index.canonical(update.unit) or update.unit
        if (task is not None and update.task != task) or (wanted and name != wanted):
            continue
        if since and update.date < since:
            continue
        line = update.line
        retraction = retracted.get(update.id)
        # The period a recurring task's update reports on, only where it names one: a ledger
        # without recurring tasks logs as before.
        period = getattr(update, "period", None)
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
            | ({"period": period} if period else {})
        )
    return sorted(entries, key=lambda e: (e["date"], e["line"]), reverse=True)


def _supervision_steps(loaded: Loaded) -> list:
    """Reviews, extension requests and decisions as steps of the story `log` tells, each
    under the task and unit it concerns, its `status` saying what happened."""
    from gongkai_cli.ledger.logline import Decision, Entry, Extension, Review

    updates = {u.id: u for u in loaded.updates}
    requests = {e.id: e for e in loaded.supervision if isinstance(e, Extension)}
    steps = []
    for event in loaded.supervision:
        if isinstance(event, Review) and (claim := updates.get(event.reviews)):
            task, unit, what = claim.task, claim.unit, f"审核{event.verdict}（{claim.id}）"
        elif isinstance(event, Extension):
            task, unit, what = event.task, event.unit, f"申请延期至 {event.extend_to.isoformat()}"
        elif isinstance(event, Decision) and (asked := requests.get(event.decides)):
            to = event.extend_to or asked.extend_to
            granted = f"至 {to.isoformat()}" if event.verdict == APPROVE else ""
            task, unit, what = asked.task, asked.unit, f"延期{event.verdict}{granted}（{asked.id}）"
        else:
            continue  # names nothing in the log: validate says so
        steps.append(
            Entry(event.date, task, unit, what, event.note, event.by, event.line, event.id)
        )
    return steps

"""Recording progress and taking it back: an update appended per unit, a retraction appended
per update undone, each change one git commit of the log alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai_cli.ledger.datadir import as_data_dir

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.record.recording import Recorded, Undone


def record_update(
    data: DataDir | str | Path | None,
    task: int,
    units: Iterable[str],
    status: str,
    *,
    note: str | None = None,
    date: dt.date | None = None,
    by: str | None = None,
    commit: bool = True,
    period: str | None = None,
    problems: str | None = None,
    next: str | None = None,
    evidence: Iterable[str] = (),
    attach: Iterable[str | Path] = (),
) -> Recorded:
    """Append one update per unit (names, aliases or closed groups), dated `date` (default
    today), and commit it to git (unless `commit` is false or there is no repository).
    `period` (2021-03, 2021年3月, 2021Q2…) names the period of a recurring task reported on;
    without it, the period the date reports on is recorded. `problems` (存在问题), `next`
    (下步措施), `evidence` (links) and `attach` (files, kept under evidence/ by their SHA-256
    and committed with the update) are optional."""
    from gongkai_cli.ledger.datadir import writable
    from gongkai_cli.model.dates import current_date
    from gongkai_cli.model.schedules import parse_period
    from gongkai_cli.model.statuses import parse_status
    from gongkai_cli.record import recording

    request = recording.Request(
        task=task,
        units=tuple(units),
        status=parse_status(status),
        date=date or current_date(),
        note=note,
        by=by,
        commit=commit,
        period=parse_period(period, "--period") if period else None,
        problems=problems,
        next=next,
        links=tuple(evidence),
        attach=tuple(Path(p) for p in attach),
    )
    return recording.record(writable(as_data_dir(data)), request)


def progress_log(
    data: DataDir | str | Path | None = None,
    task: int | None = None,
    unit: str | None = None,
    since: dt.date | None = None,
) -> list[dict[str, Any]]:
    """The log, newest first: every update (of `task`, of `unit`, dated `since` or later)
    with its id and git commit, a retracted one with who retracted it and when."""
    from gongkai_cli.record.audit import log_entries

    return log_entries(as_data_dir(data), task, unit, since)


def undo(
    data: DataDir | str | Path | None = None,
    ids: Iterable[str] = (),
    *,
    commit: bool = True,
    dry_run: bool = False,
    date: dt.date | None = None,
) -> Undone:
    """Retract updates by id, or the clerk's own last record (this committer's newest commit
    of updates that still count, never a colleague's merged in after it): a retraction is
    appended (and committed), nothing is deleted. `dry_run`: only find what would be."""
    from gongkai_cli.ledger.datadir import writable
    from gongkai_cli.record import recording

    found = as_data_dir(data)
    return recording.undo(
        found if dry_run else writable(found),
        tuple(ids),
        commit=commit,
        dry_run=dry_run,
        date=date,
    )

"""督办通知单: for each unit with late work, a numbered notice naming its late tasks and
periods, the days late and the date by which to answer, with a reply slip (回执)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from gongkai_cli.errors import GongkaiError, InvalidValue
from gongkai_cli.ledger.datadir import as_data_dir

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.model.book import Book

# A reply is due a week after the notice unless the office says otherwise.
REPLY_DAYS = 7


class LateTask(NamedTuple):
    """One late task of a unit, as a notice lists it; a recurring task's late periods are
    one line of it, dated by the oldest."""

    number: int
    requirement: str
    deadline: str  # the phrase as printed
    due: dt.date  # the date it was due (the oldest late period's, an extension's if granted)
    periods: tuple[str, ...]  # of a recurring task: the late ones, oldest first
    days: int  # days late on the notice's date (of the oldest late period)


class Notice(NamedTuple):
    number: str  # 督办〔2021〕3号
    unit: str
    tasks: tuple[LateTask, ...]
    as_of: dt.date
    reply_by: dt.date
    issuer: str
    plan: str  # the plan's title, which the notice cites


class Notices(NamedTuple):
    title: str
    as_of: dt.date
    notices: tuple[Notice, ...]


def notices(
    data: DataDir | str | Path | None = None,
    as_of: dt.date | None = None,
    *,
    units: Iterable[str] = (),
    reply_by: dt.date | None = None,
    issuer: str = "",
    prefix: str | None = None,
    first_number: int = 1,
    book: Book | None = None,
) -> Notices:
    """The notices for the given units (names or aliases), or, with none given, for every
    unit with late work on `as_of` (default today); numbered from `first_number` in the
    registry's order, under `prefix` (default 督办〔YEAR〕)."""
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.model.book import by_unit, overdue
    from gongkai_cli.model.dates import current_date

    book = book or open_book(as_data_dir(data))
    day = as_of or current_date()
    reply = reply_by or day + dt.timedelta(days=REPLY_DAYS)
    if reply < day:
        raise InvalidValue(
            f"--reply-by {reply.isoformat()} 早于通知日期 {day.isoformat()}。", reply.isoformat()
        )
    late = by_unit(overdue(book, day))
    asked = [book.unit(name) for name in units]
    for unit in asked:
        if unit not in late:
            raise GongkaiError(f"截至 {day.isoformat()}，{unit}没有逾期的任务，无需督办。")
    order = list(book.ledger.index.units)
    chosen = asked or sorted((u for u in late if u in book.ledger.index.units), key=order.index)
    head = prefix if prefix is not None else f"督办〔{day.year}〕"
    result = []
    for i, unit in enumerate(dict.fromkeys(chosen)):
        tasks: dict[int, LateTask] = {}
        for item in late[unit]:
            if item.number in tasks:  # a later period of a recurring task: one line for all
                tasks[item.number] = tasks[item.number]._replace(
                    periods=(*tasks[item.number].periods, item.period)
                )
                continue
            due = _due(book, item, unit, day)  # an extension may have moved this unit's date
            tasks[item.number] = LateTask(
                item.number,
                book.task(item.number).requirement,
                item.deadline.text,
                due,
                (item.period,) if item.period else (),
                (day - due).days,
            )
        number = f"{head}{first_number + i}号"
        notice = Notice(number, unit, tuple(tasks.values()), day, reply, issuer, book.ledger.title)
        result.append(notice)
    return Notices("政务公开重点工作督办通知单", day, tuple(result))


def _due(book: Book, item, unit: str, as_of: dt.date) -> dt.date:
    """The unit's own due date of a late task or period: the plan's, or an extension's."""
    from gongkai_cli.model.periods import period_rows

    if item.period is None:
        assignment = book.assignment(item.number, unit, as_of)
    else:
        row = next(
            r for r in period_rows(book, item.number, as_of) if r.period.label == item.period
        )
        assignment = next((a for a in row.assignments if a.unit == unit), None)
    return assignment.due(item.deadline) if assignment else item.deadline.date


def publish_notices(
    data: DataDir | str | Path | None, found: Notices, out: Path | None = None
) -> Path:
    """Write the notices as one Word document (a page per unit): `out`, else
    reports/督办通知单-DATE.docx. Returns where it was written."""
    from gongkai_cli.actions.publish_report import report_dir, write_report
    from gongkai_cli.output.notice_docx import render_notices

    data_dir = as_data_dir(data)
    if out is not None and out.suffix.lower() != ".docx":
        raise GongkaiError(f"督办通知单是 Word 文件：--out {out} 应以 .docx 结尾。")
    target = out or report_dir(data_dir) / f"督办通知单-{found.as_of.isoformat()}.docx"
    write_report(target, render_notices(found), data_dir)
    return target

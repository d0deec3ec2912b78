"""A reporting round by Excel form: issue each unit its form, collect the forms that come back,
and tell which units have replied."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai_cli.errors import GongkaiError, InvalidValue
from gongkai_cli.ledger.datadir import as_data_dir

if TYPE_CHECKING:  # openpyxl and git stay unloaded until a form is written or read
    from gongkai_cli.forms.check import CheckedForm
    from gongkai_cli.forms.collect import Collected
    from gongkai_cli.forms.rounds import RoundStatus
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.model.book import Book

DUE_DAYS = 7  # the default time a unit has to reply


@dataclass(frozen=True, slots=True)
class IssuedForm:
    path: Path
    unit: str
    tasks: int  # rows to fill in


@dataclass(frozen=True, slots=True)
class Issued:
    folder: Path
    as_of: dt.date
    due: dt.date
    forms: list[IssuedForm]


def issue_forms(
    data: DataDir | str | Path | None,
    units: Sequence[str] | None,
    as_of: dt.date,
    *,
    due: dt.date | None = None,
    out: Path | None = None,
    force: bool = False,
    book: Book | None = None,
) -> Issued:
    """Write one form per unit (`units`: names, aliases or groups; None: every unit with a
    task) into `out` (default reports/进展填报-日期/), due `due` (default a week on).
    Every form is written, or none: see `_write_all`."""
    from gongkai_cli.actions.publish_report import report_dir
    from gongkai_cli.forms.blank import RoundForms
    from gongkai_cli.forms.layout import file_name
    from gongkai_cli.forms.out import form_rows
    from gongkai_cli.ledger.checked import open_book

    data = as_data_dir(data)
    book = book or open_book(data)
    deadline = due or as_of + dt.timedelta(days=DUE_DAYS)
    if deadline < as_of:
        raise InvalidValue(
            f"--due {deadline.isoformat()} 早于截至日期 {as_of.isoformat()}；请给出之后的日期。",
            deadline.isoformat(),
        )
    every = units is None
    names = list(book.ledger.index.units) if every else _units(book, units)
    folder = out or report_dir(data) / f"进展填报-{as_of.isoformat()}"
    planned: list[tuple[IssuedForm, bytes]] = []
    forms = RoundForms(book, as_of, deadline)
    for name in names:
        rows = form_rows(book, name, as_of)
        if not rows:
            if not every:
                raise GongkaiError(f"截至 {as_of.isoformat()}，{name} 没有需要填报的任务；未生成。")
            continue
        form = IssuedForm(folder / file_name(name, as_of), name, len(rows))
        planned.append((form, forms.form(name, rows)))
    _write_all(planned, force, data)
    return Issued(folder, as_of, deadline, [form for form, _ in planned])


def _units(book: Book, names: Iterable[str]) -> list[str]:
    index, units = book.ledger.index, []
    for name in names:
        found = index.lookup(name)
        units += index.members(found.name) if found and found.kind == "group" else [book.unit(name)]
    return list(dict.fromkeys(units))


def _regular(path: Path) -> bool:
    """A regular file, not a link to one (a link is refused by write_output, never read)."""
    return path.is_file() and not path.is_symlink()


def _write_all(planned: list[tuple[IssuedForm, bytes]], force: bool, data: DataDir) -> None:
    """Write every form, or none: a file of the same name that differs may be a returned
    form saved into the same folder, and overwriting it would lose the unit's reply."""
    from gongkai_cli.record.atomic import write_output
    from gongkai_cli.record.outputs import check_ledger_output

    for form, _ in planned:
        check_ledger_output(form.path, data, "填报表")
    if not force:
        for form, content in planned:
            if _regular(form.path) and form.path.read_bytes() != content:
                raise GongkaiError(
                    f"{form.path} 已存在且内容不同（可能是已发回的表格）；未生成任何填报表。"
                    "请换一个 --out 目录，或用 --force 覆盖。"
                )
    for form, content in planned:
        write_output(form.path, content)


@dataclass(frozen=True, slots=True)
class FormChecked:
    """One returned file, read and checked: `checked` holds its rows and problems, or
    `error` says why it could not be read at all."""

    path: Path
    checked: CheckedForm | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.checked is not None and self.checked.ok


@dataclass
class CollectedRound:
    """What `collect_forms` did: every file's check, in the order given, and what each good
    form was entered as (nothing at all when `all_or_nothing` refused the lot)."""

    checks: list[FormChecked]
    entered: list[tuple[CheckedForm, Collected]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rejected(self) -> int:
        return sum(not c.ok for c in self.checks)

    @property
    def accepted(self) -> int:
        return len(self.checks) - self.rejected


def collect_forms(
    data: DataDir | str | Path | None,
    files: Sequence[Path],
    *,
    date: dt.date | None = None,
    dry_run: bool = False,
    commit: bool = True,
    all_or_nothing: bool = False,
) -> CollectedRound:
    """Check every returned form, then enter the good ones: what changed becomes updates,
    dated as `forms.collect.row_date` rules (`date` is the clerk's --date), one commit per form.
    A form with errors is refused whole; with `all_or_nothing`, one bad form refuses all."""
    from gongkai_cli.forms.check import check
    from gongkai_cli.forms.collect import entering
    from gongkai_cli.forms.read import read_form
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.model.dates import current_date

    data = as_data_dir(data)
    book = open_book(data)
    today = current_date()
    if date is not None and date > today:
        raise InvalidValue(
            f"--date {date.isoformat()} 晚于今天，进展只能记录已发生的情况；未收取。",
            date.isoformat(),
        )
    checks = []
    for path in files:
        try:
            checks.append(FormChecked(path, check(book, read_form(path), today)))
        except GongkaiError as exc:
            checks.append(FormChecked(path, error=str(exc)))
    done = CollectedRound(checks, dry_run=dry_run)
    if done.rejected and all_or_nothing:
        return done
    good = [each.checked for each in checks if each.ok]
    if not good:
        return done
    # One lock, one ledger load and one look at the earlier collections for the round;
    # a commit per form.
    with entering(data, commit=commit, dry_run=dry_run) as intake:
        enter = intake.preview if dry_run else intake.enter
        for checked in good:
            done.entered.append((checked, enter(checked, date, today)))
    return done


def forms_status(data: DataDir | str | Path | None, round_: dt.date | None = None) -> RoundStatus:
    """Which units have returned their form for a round (default: the latest collected)."""
    from gongkai_cli.forms.rounds import round_status
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.record.git import find_repo

    data = as_data_dir(data)
    return round_status(open_book(data), find_repo(data.path), round_)

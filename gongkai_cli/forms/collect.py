"""Enter checked forms into the log: only what changed, never backwards, one commit per form.

A row is the unit's news when it differs from what the form showed (the ledger as of the
form's date). It is recorded unless the ledger already says the same as of the row's date
(the form was collected before), or holds a later update for that assignment (recording
it would be silently overruled, or would rewrite history backwards).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gongkai_cli.errors import GitFailed, GongkaiError
from gongkai_cli.forms.check import CheckedForm, FormEntry
from gongkai_cli.forms.rounds import (
    COLLECTIONS,
    TRAILER_FILE,
    TRAILER_ROUND,
    TRAILER_SHA,
    CollectedForm,
    collected_in,
    telling,
    trailers,
)
from gongkai_cli.ledger.cache import FILES
from gongkai_cli.ledger.checked import Checked, book_of, extended, keep_extended, load_checked
from gongkai_cli.ledger.datadir import PROGRESS, DataDir
from gongkai_cli.ledger.logline import new_id, update_line
from gongkai_cli.model.book import Book
from gongkai_cli.model.dates import plan_year_remark
from gongkai_cli.model.statuses import DONE_STATUSES, RETURNED
from gongkai_cli.record import append as store
from gongkai_cli.record import git as gitrepo
from gongkai_cli.record.recording import Written

if TYPE_CHECKING:
    from gongkai_cli.model.schema import Update

RECORD, UNCHANGED, ALREADY, OLDER = "record", "unchanged", "already", "older"


@dataclass(frozen=True, slots=True)
class Decision:
    entry: FormEntry
    outcome: str  # record | unchanged | already | older
    # What a RECORD row writes, as plain values: the form's check has checked all that the
    # schema's Update would (building the Pydantic models costs a round some 0.1 s).
    written: Written | None = None
    reason: str | None = None  # why an OLDER row was skipped
    remark: str | None = None  # a RECORD row dated outside the plan's year

    @property
    def update(self) -> Update | None:
        """What a RECORD row writes, as the schema's model (for a library caller)."""
        return _model(self.written) if self.written is not None else None


@dataclass(frozen=True, slots=True)
class Collected:
    decisions: list[Decision]
    commit: str | None
    earlier: str | None  # the commit that collected this very file before, if any
    replied: str | None  # else one that collected another form of this unit and round
    why_not_committed: str | None
    dry_run: bool = False
    requests: tuple[FormEntry, ...] = ()  # rows asking for a later deadline (申请延期至)

    def updates(self) -> list[Update]:
        """The updates recorded, as the schema's models (for a library caller)."""
        return [_model(w) for w in self.written()]

    def written(self) -> list[Written]:
        """The updates recorded, as the plain values their lines were written from."""
        return [d.written for d in self.decisions if d.written is not None]


def row_date(entry: FormEntry, status: str, default: dt.date, given: dt.date | None) -> dt.date:
    """The one rule for the date a collected row is recorded under: the 完成日期 the unit
    wrote for a done row, else the date the clerk gave (--date), else the round's date —
    the form reports where the unit stood as of its 截至日期, not on the day it was read."""
    if entry.done_on is not None and status in DONE_STATUSES:
        return entry.done_on
    return given or default


def round_day(checked: CheckedForm, today: dt.date) -> dt.date:
    """The date of the round a form answers, but never after today: a round dated at the
    month's end may come back before it, and progress is not recorded ahead of time."""
    return min(checked.form.identity.as_of, today)


def decide(
    book: Book, checked: CheckedForm, given: dt.date | None, today: dt.date
) -> list[Decision]:
    """What each of the form's rows comes to against the ledger as it stands."""
    history, unit, as_of = book.history, checked.unit, checked.form.identity.as_of
    default = round_day(checked, today)
    decisions = []
    for entry in checked.entries:
        if book.schedule(entry.task) is not None:
            decisions.append(_periodic(book, checked, entry, default, given))
            continue
        shown_status = history.state(entry.task, unit, as_of)[0]
        status = entry.status or shown_status
        if _says(book, entry, unit, as_of, status):
            decisions.append(Decision(entry, UNCHANGED))
            continue
        date = row_date(entry, status, default, given)
        # A row said once for its day is not news again, even once corrected since (a
        # re-saved copy of a form collected before, its bytes and so its hash changed).
        if _says(book, entry, unit, date, status) or (
            entry.note is not None
            and (status, entry.note) in history.said_on(entry.task, unit, date)
        ):
            decisions.append(Decision(entry, ALREADY))
            continue
        # What the row knows is as of the round (or its 完成日期), whatever date it is given:
        # a late form must not undo what the ledger learnt since.
        known = min(date, row_date(entry, status, default, None))
        latest_status, latest, _, _ = history.state(entry.task, unit, dt.date.max)
        if latest is not None and latest > known:
            reason = (
                f"任务 {entry.task}：台账中已有 {latest.isoformat()} 的记录（{latest_status}），"
                f"晚于本行的日期 {known.isoformat()}；未记录，请核实。"
            )
            decisions.append(Decision(entry, OLDER, reason=reason))
            continue
        written = _written(entry, checked, status, date)
        remark = plan_year_remark(date, book.ledger.year)
        decisions.append(Decision(entry, RECORD, written, remark=remark))
    return decisions


def _periodic(
    book: Book, checked: CheckedForm, entry: FormEntry, default: dt.date, given: dt.date | None
) -> Decision:
    """A row of a recurring task (每月10日前报送) reports on one period, the one its date
    reports on: news unless the ledger already says the same of that period. Last month's
    已完成 is no answer for this month's report."""
    schedule, unit, year = book.schedule(entry.task), checked.unit, book.ledger.year
    if entry.status is None and entry.note is None and not entry.details:
        return Decision(entry, UNCHANGED)  # the unit wrote nothing on this row
    shown = book.history.state(entry.task, unit, checked.form.identity.as_of)[0]
    status = entry.status or shown
    date = row_date(entry, status, default, given)
    period = schedule.reported(date, year)
    known = book.history.period_states(
        entry.task, unit, dt.date.max, lambda day: schedule.reported(day, year)
    ).get(period)
    if known is not None and known[0] == status and entry.note in (None, known[2]):
        return Decision(entry, ALREADY)
    written = _written(entry, checked, status, date, period)
    return Decision(entry, RECORD, written, remark=plan_year_remark(date, year))


def _written(
    entry: FormEntry, checked: CheckedForm, status: str, date: dt.date, period: str | None = None
) -> Written:
    """What a row records: its status, note and details, dated and signed by the form."""
    return Written(
        date=date,
        task=entry.task,
        unit=checked.unit,
        status=status,
        period=period,
        note=entry.note,
        problems=entry.problems,
        next=entry.next,
        evidence=list(entry.links) or None,
        by=checked.by,
    )


def _model(written: Written) -> Update:
    from gongkai_cli.model.schema import Update

    return Update(**written._asdict())


def _says(book: Book, entry: FormEntry, unit: str, day: dt.date, status: str) -> bool:
    """Whether the ledger as of `day` already says what the row says: the same status and
    note, no returned claim the row answers, and the same problems, next steps and links
    where the row gives them."""
    then_status, _, then_note, _ = book.history.state(entry.task, unit, day)
    if status != then_status or entry.note not in (None, then_note):
        return False
    shown = book.assignment(entry.task, unit, day)
    if shown is None or not book.supervised:
        return True
    if shown.review == RETURNED and entry.status is not None:
        return False  # the unit claims again what the office returned
    detail = shown.detail
    return (
        entry.problems in (None, detail.problems)
        and entry.next in (None, detail.next)
        and (not entry.links or entry.links == detail.evidence)
    )


class Intake:
    """The checked forms of one `collect`, entered one after another under one lock.

    What each form used to start with is done once for the round: the lock, the checks of
    a safe write, the ledger loaded, the earlier collections looked up in git. Between two
    forms only this process has written to the ledger: the ledger in memory is extended by
    the lines each form appended (as the cache is), the collections by the commit it made,
    and HEAD is known from that commit. A git hook may still have changed the data files
    meanwhile; their stat fingerprints tell (a write changes the size or the times, a file
    renamed over one its inode), and then the next form starts as the first did, with every
    check made and the ledger read again. Not seen that way: a hook that restages the log
    or detaches HEAD and leaves the files alone, or rewrites the log in place to the same
    size within the clock tick of this process's write."""

    def __init__(self, data_dir: DataDir, log: store.Log | None, repo: gitrepo.Repo | None):
        self.data_dir, self.log, self.repo = data_dir, log, repo
        self.loaded: Checked | None = None  # the ledger as it stands; None: read it
        self.commits: list[tuple[str, str]] | None = None  # (id, message) find_collected reads
        self.collected: list[CollectedForm] = []  # what find_collected makes of them
        self.marks = self._marks() if log else {}  # the data files as this process left them
        self.unstored = False  # `loaded` extends what the cache holds: store it at the end

    def _marks(self) -> dict[str, tuple | None]:
        return {name: store.fingerprint(self.data_dir.file(name)) for name in FILES}

    def _ledger(self) -> Checked:
        if self.loaded is None:
            # The log as the writer's checks read it: its bytes are not hashed again.
            known = {PROGRESS: self.log.current()} if self.log else None
            self.loaded, self.unstored = load_checked(self.data_dir, known), False
        return self.loaded

    def _earlier(self, checked: CheckedForm) -> tuple[str | None, str | None]:
        """The commit that collected this very file, else one that collected another form
        of the same unit and round (a corrected or re-saved copy)."""
        if self.repo is None:
            return None, None
        if self.commits is None:
            self.commits = self.repo.messages(*COLLECTIONS)
            self.collected = collected_in(self.commits)
        collected = self.collected
        same = next((c.commit for c in collected if c.sha256 == checked.form.sha256), None)
        if same is not None:
            return same, None
        round_ = checked.form.identity.as_of
        other = next(
            (c.commit for c in collected if c.round == round_ and c.unit == checked.unit), None
        )
        return None, other

    def preview(self, checked: CheckedForm, given: dt.date | None, today: dt.date) -> Collected:
        """What `enter` would record, writing nothing (collect --dry-run)."""
        book = book_of(self._ledger())
        earlier, replied = self._earlier(checked)
        decisions = _once(decide(book, checked, given, today), earlier)
        asks = () if earlier else _asks(book, checked)
        return Collected(decisions, None, earlier, replied, None, dry_run=True, requests=asks)

    def enter(self, checked: CheckedForm, given: dt.date | None, today: dt.date) -> Collected:
        """Record one checked form; rows are dated by `row_date`, `given` being the clerk's
        --date if any."""
        if not checked.ok or checked.unit is None:
            raise GongkaiError(f"{checked.form.name} 有错误，未收取。")
        log = self.log
        if self._marks() != self.marks:  # changed by a hook: start as the first form did
            log.check_again()
            self.loaded, self.commits, self.marks = None, None, self._marks()
        loaded = self._ledger()
        book = book_of(loaded)
        earlier, replied = self._earlier(checked)
        decisions = _once(decide(book, checked, given, today), earlier)
        updates = [d.written for d in decisions if d.written is not None]
        asks = () if earlier else _asks(book, checked)
        if (earlier or replied) and not updates and not asks:  # on record already
            return Collected(decisions, None, earlier, replied, None)
        ids: list[str] = []
        for _ in (*updates, *asks):
            ids.append(new_id(set(ids)))
        lines = [update_line(u, uid) for u, uid in zip(updates, ids, strict=False)]
        day = given or round_day(checked, today)
        lines += [
            request_line(uid, day, entry, checked)
            for uid, entry in zip(ids[len(updates) :], asks, strict=True)
        ]
        text = message(checked, updates, day, asks)
        if log.repo is None:
            if lines:
                log.append(lines, text)
                self._grown(loaded)
            why = "已按要求不提交（--no-commit）" if self.repo else "数据目录不在 git 仓库中"
            return Collected(decisions, None, earlier, replied, why, requests=asks)
        try:
            sha = log.append(lines, text) if lines else log.commit_empty(text)
        except GitFailed as exc:
            raise GitFailed(f"{exc}（{checked.form.name} 未收取）") from None
        if lines:
            self._grown(loaded)
            self.unstored = self.loaded is not None
        self._told(*log.last)
        return Collected(decisions, sha, earlier, replied, None, requests=asks)

    def _told(self, commit: str, message: str) -> None:
        """The earlier collections, with the commit just made: read as find_collected would
        read it, on top of the others (its id is new, so no older commit reverts it)."""
        if not telling(message):
            return
        self.commits.insert(0, (commit, message.strip()))
        if any(key == "Reverts" for key, _ in trailers(message)):  # a hook's doing: read all
            self.collected = collected_in(self.commits)
        else:
            self.collected = collected_in(self.commits[:1]) + self.collected

    def _grown(self, loaded: Checked) -> None:
        """The ledger in memory once the log has the lines just appended: extended where
        that is sure (as the cache is), else read again for the next form."""
        self.loaded = extended(loaded, self.log.appended)
        self.marks[PROGRESS] = self.log.written

    def close(self) -> None:
        """The cache extended once for the round, with the ledger after its last form (a
        cache written after every form would be read by nobody but the next form)."""
        if self.unstored:
            keep_extended(self.data_dir, self.loaded)


@contextlib.contextmanager
def entering(data_dir: DataDir, *, commit: bool = True, dry_run: bool = False):
    """An `Intake` for the forms of one `collect`; with `dry_run`, only to preview them,
    nothing locked."""
    repo = gitrepo.find_repo(data_dir.path)
    if dry_run:
        yield Intake(data_dir, None, repo)
        return
    with store.open_log(data_dir, commit=commit) as log:
        # After each commit git looks whether the repository wants packing: once a round.
        log.maintain = False
        intake = Intake(data_dir, log, repo)
        try:
            yield intake
        finally:
            intake.close()
            if log.last is not None:
                log.repo.maintain()


def _asks(book: Book, checked: CheckedForm) -> tuple[FormEntry, ...]:
    """The rows asking for a later deadline that the log does not hold yet (a form
    collected again, or the same date asked twice, asks once)."""
    supervision = book.ledger.supervision
    asked = supervision.asked if supervision else set()
    return tuple(
        e
        for e in checked.entries
        if e.extend_to is not None and (e.task, checked.unit, e.extend_to) not in asked
    )


def request_line(uid: str, day: dt.date, entry: FormEntry, checked: CheckedForm) -> str:
    """An extension request a unit made on its form: its reason is the row's note."""
    from gongkai_cli.ledger.logline import event_line

    return event_line(
        uid,
        day,
        ("task", entry.task),
        ("unit", checked.unit),
        ("extend_to", entry.extend_to),
        ("note", entry.note or f"见{checked.form.name}"),
        ("by", checked.by),
    )


def _once(decisions: list[Decision], earlier: str | None) -> list[Decision]:
    """A file collected before (the very bytes) records nothing again, whatever the ledger
    learnt since: its rows are on record, and entering them again would undo a correction."""
    if earlier is None:
        return decisions
    return [Decision(d.entry, ALREADY) if d.outcome == RECORD else d for d in decisions]


def message(
    checked: CheckedForm, updates: list[Written], day: dt.date, asks: tuple[FormEntry, ...] = ()
) -> str:
    """The commit of one form: a readable subject, a line per update, and trailers that
    name the form, so `forms status` can tell who has replied without any state file."""
    form, unit = checked.form, checked.unit
    round_ = form.identity.as_of.isoformat()
    if updates:
        subject = f"进展: {unit} 填报表（{round_}）记录 {len(updates)} 条"
    elif asks:
        subject = f"延期申请: {unit} 填报表（{round_}）{len(asks)} 条"
    else:
        subject = f"回收: {unit} 填报表（{round_}）无新进展"
    lines = [
        f"任务 {u.task} → {u.status}（{u.date.isoformat()}{f'，期次 {u.period}' if u.period else ''}）"
        for u in updates
    ]
    lines += [f"任务 {e.task} 申请延期至 {e.extend_to.isoformat()}" for e in asks]
    trailers = [
        f"{TRAILER_FILE}: {_one_line(form.name)}",
        f"{TRAILER_SHA}: {form.sha256}",
        f"{TRAILER_ROUND}: {round_}",
        f"Unit: {unit}",
        *(f"Task: {n}" for n in dict.fromkeys(u.task for u in updates)),
        f"Date: {day.isoformat()}",
    ]
    if checked.by:
        trailers.append(f"By: {_one_line(checked.by)}")
    if checked.phone:
        trailers.append(f"Phone: {_one_line(checked.phone)}")
    body = "\n".join(lines) + "\n\n" if lines else ""
    return f"{subject}\n\n{body}" + "\n".join(trailers) + "\n"


def _one_line(text: str) -> str:
    """Text fit for one trailer line: a file name may hold a newline, a trailer may not."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())

"""Record progress and retract it: check the request against the ledger, append the lines,
commit them to git."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from gongkai_cli.errors import InvalidValue, NothingToUndo, NotResponsible
from gongkai_cli.ledger.checked import book_of, extend_cache, load_checked
from gongkai_cli.ledger.checks import is_answerable
from gongkai_cli.ledger.datadir import PROGRESS, DataDir
from gongkai_cli.ledger.logline import Entry, new_id, retraction_line, update_line
from gongkai_cli.model.book import Book
from gongkai_cli.model.dates import current_date
from gongkai_cli.model.statuses import DONE, units_phrase
from gongkai_cli.model.supervision import event_subject
from gongkai_cli.model.values import MAX_NAME, MAX_NOTE
from gongkai_cli.record import append as store
from gongkai_cli.record import evidence
from gongkai_cli.record import git as gitrepo


@dataclass(frozen=True, slots=True)
class Request:
    task: int
    units: tuple[str, ...]  # as typed: names, aliases or closed groups
    status: str  # canonical
    date: dt.date
    note: str | None = None
    by: str | None = None
    commit: bool = True
    period: str | None = None  # canonical label; of a recurring task only
    problems: str | None = None  # 存在问题
    next: str | None = None  # 下步措施
    links: tuple[str, ...] = ()  # 佐证链接
    attach: tuple[Path, ...] = ()  # 佐证文件, copied into evidence/


if TYPE_CHECKING:
    from gongkai_cli.model.schema import Update


class Written(NamedTuple):
    """An update as `record` writes it: the fields of its line (those of the schema's
    `Update`), as plain values. Building the Pydantic models would cost the command some
    80 ms, more than recording an update on a year's log; what they check is checked
    before anything is written (`record`)."""

    date: dt.date
    task: int
    unit: str
    status: str
    period: str | None
    note: str | None
    problems: str | None
    next: str | None
    evidence: list[str] | None
    by: str | None


@dataclass(frozen=True, slots=True)
class Recorded:
    written: list[Written]
    ids: list[str]  # of the updates, in order
    via_open_group: list[str]  # units accepted through an undesignated 有关 group
    commit: str | None
    why_not_committed: str | None
    notes: list[str]  # what settling a killed writer's leftovers did
    year: int = 0  # the plan's

    @property
    def updates(self) -> list[Update]:
        """The updates recorded, as the schema's models (for a library caller)."""
        from gongkai_cli.model.schema import Update

        return [Update(**update._asdict()) for update in self.written]


def expand_units(book: Book, task: int, names: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Canonical units for the request (groups expanded); those reached only through an open group."""
    index, resolution = book.ledger.index, book.resolution(task)
    units: list[str] = []
    for name in names:
        found = index.lookup(name)
        if found is not None and found.kind == "group":
            units += index.members(found.name)
        else:
            units.append(book.unit(name))
    units = list(dict.fromkeys(units))
    outside = [u for u in units if not is_answerable(book.ledger, task, u)]
    if outside:
        raise NotResponsible(
            f"{'、'.join(outside)} 不是任务 {task} 的责任单位（责任单位：{book.task(task).phrase}）；未写入。",
            task,
            outside,
        )
    return units, [u for u in units if resolution.role_of(u) is None]


def subject(request: Request, units: list[str]) -> str:
    return f"进展: 任务{request.task} {units_phrase(units)} → {request.status}"


def message(request: Request, units: list[str], evidence: tuple[str, ...] = ()) -> str:
    body = f"{request.note}\n\n" if request.note else ""
    trailers = [
        f"Task: {request.task}",
        *(f"Unit: {u}" for u in units),
        f"Status: {request.status}",
        f"Date: {request.date.isoformat()}",
        *(f"Evidence: {item}" for item in evidence),
    ]
    if request.period:
        trailers.append(f"Period: {request.period}")
    if request.by:
        trailers.append(f"By: {request.by}")
    return f"{subject(request, units)}\n\n{body}" + "\n".join(trailers) + "\n"


def _check_text(label: str, text: str | None, *, lines: bool = False) -> None:
    """The one rule for typed text (model.typed), before anything is written or printed."""
    from gongkai_cli.model.typed import typed_text_problem

    problem = typed_text_problem(text, lines=lines) if text is not None else None
    if problem:
        raise InvalidValue(f"{label}中含有{problem}；未写入。", text)


def check_long_text(label: str, text: str | None) -> None:
    """A note, a problem or a next step: the one rule for typed text (it may run over lines),
    and not over MAX_NOTE."""
    _check_text(label, text, lines=True)
    if text is not None and len(text) > MAX_NOTE:
        raise InvalidValue(
            f"{label}过长（{len(text)} 字），请控制在 {MAX_NOTE} 字以内；未写入。", text
        )


def _check_name(label: str, name: str | None) -> None:
    if name is not None and len(name) > MAX_NAME:
        raise InvalidValue(
            f"{label}过长（{len(name)} 字），请控制在 {MAX_NAME} 字以内；未写入。", name
        )


def _check_links(links: tuple[str, ...]) -> None:
    from gongkai_cli.ledger.evidence import link_problem

    for link in links:
        problem = link_problem(link)
        if problem:
            raise InvalidValue(f"{problem.removesuffix('。')}；未写入。", link)


def record(data_dir: DataDir, request: Request) -> Recorded:
    _check_text("填报人", request.by)
    for unit in request.units:
        _check_text("单位", unit)
    for label, text in (
        ("说明", request.note),
        ("存在问题", request.problems),
        ("下步措施", request.next),
    ):
        check_long_text(label, text)
    _check_links(request.links)
    _check_name("填报人", request.by)
    if request.date > current_date():
        raise InvalidValue(
            f"--date {request.date.isoformat()} 晚于今天，进展只能记录已发生的情况；未写入。",
            request.date.isoformat(),
        )
    attachments = evidence.read_attachments(request.attach)
    with store.open_log(data_dir, commit=request.commit) as log:
        # Read under the lock: the latest log, read once for the load and the append.
        checked = load_checked(data_dir, known={PROGRESS: log.current()})
        book = book_of(checked)
        book.task(request.task)
        units, via_open = expand_units(book, request.task, request.units)
        request = replace(request, period=reported_period(book, request))
        refs = (*request.links, *dict.fromkeys(ref for ref, _ in attachments))
        _check_evidence_required(book, request, refs)
        by = request.by or (log.repo.user_name() if log.repo else _user_name(data_dir))
        _check_text("填报人（git 的 user.name）", by)
        _check_name("填报人（git 的 user.name）" if request.by is None else "填报人", by)
        request = replace(request, by=by)
        updates = [
            Written(
                date=request.date,
                task=request.task,
                unit=u,
                status=request.status,
                period=request.period,
                note=request.note,
                problems=request.problems,
                next=request.next,
                evidence=list(refs) or None,
                by=by,
            )
            for u in units
        ]
        ids: list[str] = []
        for _ in updates:
            ids.append(new_id(set(ids)))
        lines = [update_line(u, uid) for u, uid in zip(updates, ids, strict=True)]
        kept, written = evidence.keep(data_dir.path, attachments)
        try:
            sha = log.append(lines, message(request, units, refs), tuple(kept))
        except BaseException:
            for path in written:  # nothing of a failed record stays behind
                path.unlink(missing_ok=True)
            raise
        extend_cache(data_dir, checked, log.appended)
        why = None
        if sha is None:
            why = (
                "已按要求不提交（--no-commit）" if not request.commit else "数据目录不在 git 仓库中"
            )
    return Recorded(updates, ids, via_open, sha, why, log.notes, book.ledger.year)


def reported_period(book: Book, request: Request) -> str | None:
    """The period an update of a recurring task reports on: the one asked for, which must
    be one of the task's, else the one its date reports on (see `Schedule.reported`), so
    that the log always says which period an update is for."""
    schedule = book.schedule(request.task)
    if schedule is None:
        if request.period is not None:
            raise InvalidValue(
                f"任务 {request.task} 的时限“{book.task(request.task).deadline}”不是周期性要求，"
                "不能指定 --period；未写入。",
                request.period,
            )
        return None
    periods = {p.label: p for p in schedule.periods(book.ledger.year)}
    labels = list(periods)
    if request.period is None:
        return schedule.reported(request.date, book.ledger.year)
    if request.period not in labels:
        raise InvalidValue(
            f"--period {request.period} 不是任务 {request.task}（{schedule.describe()}）的期次，"
            f"应为 {labels[0]} 至 {labels[-1]} 之一；未写入。",
            request.period,
        )
    start = periods[request.period].start
    if start > request.date:  # 2021-08 typed for 2021-06: August's report cannot be in yet
        raise InvalidValue(
            f"--period {request.period} 这一期从 {start.isoformat()} 才开始，"
            f"{request.date.isoformat()} 的进展不能报这一期；请核对 --period 或 --date；未写入。",
            request.period,
        )
    return request.period


def _check_evidence_required(book: Book, request: Request, refs: tuple[str, ...]) -> None:
    supervision = book.ledger.supervision
    if request.status == DONE and not refs and supervision and supervision.evidence_required:
        raise InvalidValue(
            f"本台账要求{DONE}须附佐证材料：请用 --evidence 给出公开链接，或用 --attach 附上文件；未写入。",
            request.status,
        )


def _user_name(data_dir: DataDir) -> str | None:
    try:
        repo = gitrepo.find_repo(data_dir.path)
    except gitrepo.GitMissing:
        return None
    return repo.user_name() if repo else None


@dataclass(frozen=True, slots=True)
class Undone:
    retracted: list[Entry]
    subject: str
    commit: str | None
    notes: list[str]
    date: dt.date  # the retraction's: the day it was made


def undo(
    data_dir: DataDir,
    ids: tuple[str, ...] = (),
    commit: bool = True,
    dry_run: bool = False,
    date: dt.date | None = None,
) -> Undone:
    """Retract updates: the given ones, else the clerk's own last record (with the others
    its command recorded). A retraction line is appended; nothing is deleted, so a union
    merge with a clone that still has the update keeps it retracted. With `dry_run`, only
    say what would be retracted. `date` (default today) is when it was decided: a record,
    since a retraction takes the event back as of every date."""
    if date is not None and date > current_date():
        raise InvalidValue(
            f"--date {date.isoformat()} 晚于今天，只能记录已经作出的撤销；未写入。",
            date.isoformat(),
        )
    from gongkai_cli.ledger.load import load_sound

    if dry_run:
        repo = gitrepo.find_repo(data_dir.path)
        targets, _ = _targets(load_sound(data_dir), ids, repo)
        return Undone(targets, "撤销: " + _subject_of(targets), None, [], date or current_date())
    with store.open_log(data_dir, commit=commit) as log:
        loaded = load_sound(data_dir)
        targets, whole = _targets(loaded, ids, log.repo)
        by = log.repo.user_name() if log.repo else _user_name(data_dir)
        _check_text("填报人（git 的 user.name）", by)
        today = date or current_date()
        taken = {e.id for e in (*loaded.updates, *loaded.retractions, *loaded.supervision)}
        lines = []
        for target in targets:
            uid = new_id(taken)
            taken.add(uid)
            lines.append(retraction_line(uid, today, target.id, by))
        title = "撤销: " + _subject_of(targets)
        body = "".join(f"Retracts: {t.id}\n" for t in targets)
        if whole:  # every update of that commit is retracted now: say so, as git revert does
            body += f"Reverts: {whole}\n"
        sha = log.append(lines, f"{title}\n\n{body}")
    return Undone(targets, title, sha, log.notes, today)


def _subject_of(targets: list[Entry]) -> str:
    first = targets[0]
    if not isinstance(first, Entry):
        return event_subject(first)
    units = list(dict.fromkeys(t.unit for t in targets))
    return f"进展: 任务{first.task} {units_phrase(units)} → {first.status}"


def _targets(
    loaded, ids: tuple[str, ...], repo: gitrepo.Repo | None
) -> tuple[list[Entry], str | None]:
    """The updates to retract, and the commit they all came from when they are the whole of
    what it recorded (so that `forms status` no longer counts a collected form)."""
    retracted = loaded.retracted()
    # Any event may be taken back by its id: an update, or a review, request or decision.
    by_id = {e.id: e for e in (*loaded.updates, *loaded.supervision)}
    if ids:
        targets = []
        for uid in dict.fromkeys(ids):
            if any(r.id == uid for r in loaded.retractions):
                raise NothingToUndo(f"编号 {uid} 是一条撤销记录，不能再撤销；未撤销。")
            if uid not in by_id:
                raise NothingToUndo(f"没有编号为 {uid} 的进展记录（编号见 gongkai log）；未撤销。")
            if uid in retracted:
                when = retracted[uid]
                raise NothingToUndo(
                    f"编号 {uid} 的进展已于 {when.date.isoformat()} 撤销（第 {when.line} 行）；未撤销。"
                )
            targets.append(by_id[uid])
        return targets, None
    # The clerk's last record may be a review, a request or a decision as well as an update:
    # `undo` straight after a mistaken 退回 must take back that, not the update before it.
    events = sorted((*loaded.updates, *loaded.supervision), key=lambda e: e.line)
    live = [u for u in events if u.id not in retracted]
    if not live:
        raise NothingToUndo("没有可撤销的进展记录。")
    if repo is None:
        return [live[-1]], None  # no history to tell whose a line is: one clerk, one file
    return _own_last(repo, loaded.data_dir.file(PROGRESS), events, retracted)


def _own_last(
    repo: gitrepo.Repo, path, updates: list[Entry], retracted
) -> tuple[list[Entry], str | None]:
    """The clerk's own last record: lines this working tree holds but HEAD does not (a
    --no-commit update), else the updates of the newest commit by this committer that still
    count. Never the last lines of the file: after a pull they are a colleague's. Lines are
    matched by their text, so a hand-written entry is found as well as gongkai's own."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()

    def text(entry: Entry) -> str:
        return lines[entry.line - 1].rstrip() if entry.line <= len(lines) else ""

    head = (repo.show("HEAD", path) or b"").decode("utf-8-sig", "replace").splitlines()
    committed = {line.rstrip() for line in head}
    live = [u for u in updates if u.id not in retracted]
    local = [u for u in live if text(u) not in committed]
    if local:
        return [local[-1]], None
    who = gitrepo.committer(repo.root)
    if who is None:
        raise NothingToUndo(
            "无法确定你是谁（git 的 user.name、user.email 未设置），不知道哪条是你的记录；"
            "请用 gongkai log 查到编号后用 gongkai undo 编号 撤销。"
        )
    for sha, added in repo.own_additions(path, *who):
        written = {line.rstrip() for line in added}
        recorded = [u for u in updates if text(u) in written]
        mine = [u for u in recorded if u.id not in retracted]
        if mine:
            return mine, sha if len(mine) == len(recorded) else None
    where = "这是浅克隆（shallow clone），其中" if repo.is_shallow() else "这个仓库中"
    raise NothingToUndo(
        f"{where}没有你（{who[0]}）提交的、仍计入状态的进展记录；不会去撤销别人的记录。"
        "请用 gongkai log 查到编号后用 gongkai undo 编号 撤销。"
    )


@dataclass(frozen=True, slots=True)
class Appended:
    """Events appended by one command: their lines' ids, and the commit holding them."""

    ids: list[str]
    commit: str | None
    why_not_committed: str | None
    notes: list[str]


def append_events(data_dir: DataDir, build, *, by: str | None = None, commit: bool = True):
    """Append the events `build(loaded, by, new_id)` returns as (lines, commit message,
    result) — built from the log read afresh under the lock — as one commit holding only
    the log. Returns (Appended, result)."""
    from gongkai_cli.ledger.load import load_sound

    with store.open_log(data_dir, commit=commit) as log:
        loaded = load_sound(data_dir)
        by = by or (log.repo.user_name() if log.repo else _user_name(data_dir))
        _check_text("填报人（git 的 user.name）", by)
        taken = {e.id for e in (*loaded.updates, *loaded.retractions, *loaded.supervision)}
        ids: list[str] = []

        def fresh() -> str:
            uid = new_id(taken)
            taken.add(uid)
            ids.append(uid)
            return uid

        lines, text, result = build(loaded, by, fresh)
        sha = log.append(lines, text)
    why = None
    if sha is None:
        why = "已按要求不提交（--no-commit）" if not commit else "数据目录不在 git 仓库中"
    return Appended(ids, sha, why, log.notes), result

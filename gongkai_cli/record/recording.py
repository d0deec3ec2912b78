"""Record progress: check the request against the ledger, append it, commit it to git."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from gongkai_cli.errors import GitFailed, InvalidValue, NothingToUndo, NotResponsible
from gongkai_cli.ledger.checked import open_book
from gongkai_cli.ledger.checks import is_answerable
from gongkai_cli.ledger.datadir import PROGRESS, DataDir
from gongkai_cli.model.book import Book
from gongkai_cli.model.schema import Update
from gongkai_cli.model.values import MAX_NAME, MAX_NOTE
from gongkai_cli.record import append as store
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


@dataclass(frozen=True, slots=True)
class Recorded:
    updates: list[Update]
    via_open_group: list[str]  # units accepted through an undesignated 有关 group
    commit: str | None
    why_not_committed: str | None


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
    who = units[0] if len(units) == 1 else f"{units[0]}等{len(units)}个单位"
    return f"进展: 任务{request.task} {who} → {request.status}"


def message(request: Request, units: list[str]) -> str:
    body = f"{request.note}\n\n" if request.note else ""
    trailers = [
        f"Task: {request.task}",
        *(f"Unit: {u}" for u in units),
        f"Status: {request.status}",
        f"Date: {request.date.isoformat()}",
    ]
    if request.by:
        trailers.append(f"By: {request.by}")
    return f"{subject(request, units)}\n\n{body}" + "\n".join(trailers) + "\n"


def record(data_dir: DataDir, request: Request) -> Recorded:
    if request.note is not None and len(request.note) > MAX_NOTE:
        raise InvalidValue(
            f"说明过长（{len(request.note)} 字），请控制在 {MAX_NOTE} 字以内；未写入。",
            request.note,
        )
    if request.by is not None and len(request.by) > MAX_NAME:
        raise InvalidValue(
            f"填报人过长（{len(request.by)} 字），请控制在 {MAX_NAME} 字以内；未写入。", request.by
        )
    for label, text in (("说明", request.note), ("填报人", request.by)):
        if text is not None and any("\ud800" <= ch <= "\udfff" for ch in text):
            raise InvalidValue(
                f"{label}中含有无法识别的字符（可能是终端编码不是 UTF-8）；未写入。", text
            )
    if request.date > dt.date.today():
        raise InvalidValue(
            f"--date {request.date.isoformat()} 晚于今天，进展只能记录已发生的情况；未写入。",
            request.date.isoformat(),
        )
    path: Path = data_dir.file(PROGRESS)
    found = gitrepo.find_repo(data_dir.path)
    repo = found if request.commit else None
    with store.locked(data_dir.path, found.git_dir() if found else None):
        book = open_book(data_dir)  # read under the lock: the latest log
        book.task(request.task)
        units, via_open = expand_units(book, request.task, request.units)
        by = request.by or (found.user_name() if found else None)
        request = replace(request, by=by)
        updates = [
            Update(
                date=request.date,
                task=request.task,
                unit=u,
                status=request.status,
                note=request.note,
                by=by,
            )
            for u in units
        ]
        old = store.append(path, updates)
        if repo is None:
            why = (
                "已按要求不提交（--no-commit）" if not request.commit else "数据目录不在 git 仓库中"
            )
            return Recorded(updates, via_open, None, why)
        try:
            sha = repo.commit_only(path, message(request, units))
        except GitFailed as exc:
            store.write(path, old)
            raise GitFailed(f"{exc}；进展记录已恢复原样，未写入。") from None
    return Recorded(updates, via_open, sha, None)


@dataclass(frozen=True, slots=True)
class Undone:
    reverted: str
    subject: str
    commit: str


def undo(data_dir: DataDir) -> Undone:
    """Revert the last update commit, touching only progress.yaml (unlike `git revert`,
    this works with other changes staged, and leaves them as they are)."""
    path = data_dir.file(PROGRESS)
    repo = gitrepo.find_repo(data_dir.path)
    if repo is None:
        raise NothingToUndo("数据目录不在 git 仓库中，没有可撤销的提交。")
    with store.locked(data_dir.path, repo.git_dir()):
        head = repo.head()
        if head is None:
            raise NothingToUndo("仓库中还没有任何提交。")
        sha, text, changed = head
        title = text.splitlines()[0]
        if (
            not title.startswith(("进展: ", "进度: "))
            or "\nTask: " not in text
            or changed != [repo.rel(path)]
        ):
            raise NothingToUndo(
                f"最近一次提交（{sha[:7]} {title}）不是 gongkai update 的进展提交，未撤销。"
            )
        if not path.exists() or path.read_bytes() != repo.show("HEAD", path):
            raise NothingToUndo(f"{PROGRESS} 有尚未提交的改动，未撤销；请先处理这些改动。")
        before = repo.show(f"{sha}~1", path) or b""
        store.write(path, before)
        try:
            commit = repo.commit_only(path, f"撤销: {title}\n\nReverts: {sha}\n")
        except GitFailed as exc:
            store.write(path, repo.show("HEAD", path) or b"")
            raise GitFailed(f"{exc}；进展记录已恢复原样。") from None
    return Undone(sha, title, commit)

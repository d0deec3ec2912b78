"""Append lines to progress.yaml under a lock, and commit exactly them, or nothing.

A writer first settles what an earlier, killed writer left (its temporary files, and
lines it appended but never committed), then refuses every state in which its commit
could hold anything but its own lines: an unfinished rebase or merge, a detached HEAD,
a log that differs from the committed one, a deleted log. After committing it checks
the commit (a hook may have staged other files) and takes it back if it is not exactly
the appended lines.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai_cli.errors import GitFailed, LedgerLocked, ReadOnlyLedger, WriteFailed
from gongkai_cli.ledger.checked import Appended
from gongkai_cli.ledger.datadir import PROGRESS, DataDir
from gongkai_cli.ledger.files import kind_of
from gongkai_cli.ledger.seen import ABSENT, Seen, settled
from gongkai_cli.ledger.seen import fingerprint as stat_fingerprint
from gongkai_cli.record import git as gitrepo
from gongkai_cli.record.atomic import atomic_write

LOCK_NAME = ".gongkai.lock"
JOURNAL_NAME = "gongkai-journal"  # in .git: what an unfinished writer appended
LOCK_TIMEOUT = (
    60  # seconds; parallel updates wait for each other, a stuck one does not hang forever
)


@contextlib.contextmanager
def locked(data_dir: Path, lock_dir: Path | None = None) -> Iterator[None]:
    """Serialise writers of one ledger (across processes). The lock lives in `lock_dir`
    (the repository's .git, so it never shows as an untracked file), else beside the data."""
    from filelock import FileLock, Timeout

    folder = lock_dir or data_dir
    if (folder / LOCK_NAME).is_symlink():  # taking the lock truncates it: never through a link
        raise WriteFailed(f"{folder / LOCK_NAME} 是符号链接；gongkai 不通过链接加锁，未写入。")
    lock = FileLock(str(folder / LOCK_NAME), timeout=LOCK_TIMEOUT)
    try:
        with lock:
            yield
    except Timeout:
        raise LedgerLocked(
            f"台账正被另一个 gongkai 进程写入，等待 {LOCK_TIMEOUT} 秒仍未结束，未写入。"
        ) from None
    except PermissionError:
        raise ReadOnlyLedger(f"无法在 {folder} 中写入（没有写权限），未写入任何内容。") from None


_ASK = object()  # HEAD not known yet: ask git


@dataclass
class Log:
    """The progress log of a ledger, open for appending (see `open_log`). A writer may
    append more than once (`collect`, a commit per form): what its own commits tell of
    the repository (HEAD, what is tracked) is then not asked of git again."""

    path: Path
    repo: gitrepo.Repo | None  # None: nothing is committed
    notes: list[str]  # what settling an earlier writer's leftovers did, for the user
    git_dir: Path | None = None
    files: tuple[Path, ...] = ()  # committed with the lines: evidence the update names
    appended: Appended | None = None  # what the last append wrote, for extending the cache
    last: tuple[str, str] | None = None  # the last commit made: its id and stored message
    written: tuple | None = None  # the log's stat fingerprint as the last append left it
    head: object = _ASK  # HEAD after the last commit made
    tracked: set[Path] = field(default_factory=set)  # committed by this writer, so tracked
    checks: Callable[[], list[str]] | None = None  # every check `open_log` made
    # The log as `read` found it, its SHA-256 so far, and its stat then: what `append`
    # extends, if the log is still what was read.
    _old: bytes | None = field(default=None, repr=False)
    _digest: Any = field(default=None, repr=False)
    _mark: tuple | None = field(default=None, repr=False)
    _seen: Seen = field(default=ABSENT, repr=False)  # what vouches for the bytes read
    # False: git's automatic maintenance is not run after each commit; the writer runs it
    # once when it is done (`Repo.maintain`).
    maintain: bool = True
    alone: bool = False  # nothing else is staged, as the checks found: see Repo.commit_paths

    def check_again(self) -> None:
        """Every check `open_log` made, made again, and nothing kept of what the commits
        told: for a writer that finds the ledger changed (by a git hook) between appends."""
        self.head, self.tracked, self.alone = _ASK, set(), False
        self.notes += self.checks()

    def read(self) -> Seen:
        """Read the log as it is now, for `append` to extend: on a long log, reading and
        hashing it is much of what a write costs, so a caller that loads the ledger too
        passes on what vouches for these bytes (their SHA-256; a fingerprint once settled)
        rather than having the load read them again."""
        try:  # never through a link; a FIFO put in its place must not hang the read
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            self._old, self._digest, self._mark = b"", hashlib.sha256(), None
            self._seen = ABSENT
            return ABSENT
        with open(fd, "rb") as handle:
            before = os.fstat(fd)
            if not stat.S_ISREG(before.st_mode):
                raise WriteFailed(f"{self.path} 不是普通文件，未写入。")
            self._old = handle.read()
            after = os.fstat(fd)
        self._digest = hashlib.sha256(self._old)
        # The path's stat, as `append` will take it (older overlay file systems report an
        # open file's device and inode from the layer beneath); None, so that the append is
        # refused, if the path no longer holds what was read.
        self._mark = fingerprint(self.path)
        if self._mark is None or self._mark[2:] != (*stat_fingerprint(after)[2:], after.st_mode):
            self._mark = None
        self._seen = Seen(self._digest.hexdigest(), settled(before, after))
        return self._seen

    def current(self) -> Seen:
        """What vouches for the log as this writer last read it (reading it if it has not)."""
        return self._seen if self._old is not None else self.read()

    def append(self, lines: list[str], message: str, files: tuple[Path, ...] = ()) -> str | None:
        """Append the lines; commit exactly them (when committing), with `files` (evidence
        kept beside the log, already written). Returns the commit."""
        self.files = files
        if self._old is None:
            self.read()
        old, digest = self._old, self._digest
        self._old = self._digest = None  # a second append reads the log again
        if fingerprint(self.path) != self._mark:
            # Saved by an editor since it was read (update loads the ledger in between):
            # writing the old bytes anew would lose that edit, and appending to bytes never
            # read would record lines onto a log nobody checked.
            raise WriteFailed(
                f"{self.path} 在读取之后被改动（可能有人正在编辑它），为免覆盖或混入这些改动，"
                "未写入；请确认改动后重新运行。"
            )
        ended, tail = _appended(old, lines, self._newline(old))
        added = ended[len(old) :] + tail  # all that follows the old bytes
        before = digest.hexdigest()
        digest.update(added)  # the whole log's, without a second pass
        first = _lines_in(ended) + 1
        written = Appended(old, tail.decode("utf-8"), first, digest.hexdigest(), before)
        if self.repo is None:
            _extend(self.path, old, added)
            self.written = fingerprint(self.path)
            self.appended = written
            return None
        journal = self.git_dir / JOURNAL_NAME
        head = self._head()
        entry = {"size": len(old), "sha256": before, "head": head}
        _write_journal(journal, json.dumps(entry).encode())
        _extend(self.path, old, added)
        self.written = fingerprint(self.path)  # before a hook can touch it
        try:
            commit = self._commit(old, added, head, message)
        finally:
            journal.unlink(missing_ok=True)
        self.appended = written
        return commit

    def _head(self) -> str | None:
        """HEAD: as this writer's last commit left it, while its branch's ref file still
        names that commit (a commit anyone else made since, even of files outside the
        ledger, moves it: the next commit goes on top of theirs, and a commit that must be
        taken back goes back to theirs, not past it); else asked of git."""
        if self.head is not _ASK and _branch_tip(self.git_dir) == self.head:
            return self.head
        return self.repo.head_id()

    def _newline(self, old: bytes) -> bytes:
        """The file's own line ending; for a new file, what core.autocrlf asks for."""
        end = old.find(b"\n")
        if end >= 0:
            return b"\r\n" if old[end - 1 : end] == b"\r" else b"\n"
        if self.repo is not None and (self.repo.config("core.autocrlf") or "").lower() == "true":
            return b"\r\n"
        return b"\n"

    def commit_empty(self, message: str) -> str:
        """A commit that changes nothing (see `Repo.commit_empty`); returns its id."""
        self.repo.commit_empty(message, maintain=self.maintain)
        commit, _, _, stored = self.repo.commit_of("HEAD")
        return self._made(commit, stored, ())

    def _made(self, commit: str, message: str, paths: tuple[Path, ...]) -> str:
        self.last, self.head, self.alone = (commit, message), commit, False
        self.tracked.update(paths)
        return commit

    def _commit(self, old: bytes, added: bytes, head: str | None, message: str) -> str:
        repo = self.repo
        tree = repo.index_tree()
        paths = (self.path, *self.files)
        try:
            tracked = self.tracked.issuperset(paths)
            repo.commit_paths(
                self.path,
                message,
                *self.files,
                tracked=tracked,
                maintain=self.maintain,
                alone=self.alone,
            )
            commit, parents, blobs, stored = repo.commit_of("HEAD")
        except GitFailed as exc:
            raise GitFailed(f"{exc}；{_restore(self.path, old, added)}") from None
        stray = self._stray(parents, blobs, head, old, added)
        if stray:
            repo.take_back(commit, head, tree)
            restored = _restore(self.path, old, added)
            raise GitFailed(
                f"提交 {commit[:7]} 中混入了本次追加以外的内容（{stray}，可能是 git 钩子加入的），"
                f"已撤回该提交并恢复暂存区；{restored}"
            )
        return self._made(commit, stored, paths)

    def _stray(
        self, parents: list[str], blobs: dict, head: str | None, old: bytes, added: bytes
    ) -> str | None:
        """What the commit (its `parents`, and the `blobs` of the paths it changes) holds
        beyond the appended lines, or None if nothing."""
        repo = self.repo
        ours = {repo.rel(self.path), *map(repo.rel, self.files)}
        others = [p for p in blobs if p not in ours]
        if others:
            return "、".join(others)
        if parents != ([head] if head else []):
            return "提交的父提交不是原来的 HEAD"
        committed = blobs.get(repo.rel(self.path))
        # The blob of the bytes as they are; only if that is not it, the bytes as git's
        # filters (core.autocrlf, attributes) would store them: on a long log, hashing in
        # this process spares piping the whole log to another.
        if committed is None or (
            committed != gitrepo.raw_blob_id(old, added)
            and committed != repo.hash_of(self.path, old + added)
        ):
            return f"{PROGRESS} 的内容与追加后的文件不同"
        return None


def _branch_tip(git_dir: Path) -> str | None:
    """The commit HEAD's branch names in its own ref file, read without git; None where
    only git can tell (a packed or reftable ref, a detached HEAD, anything unexpected)."""
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8")
        if not head.startswith("ref: refs/heads/"):
            return None
        common = git_dir  # a linked worktree keeps its branches in the main git directory
        if (git_dir / "commondir").is_file():
            common = git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip()
        return (common / head[5:].strip()).read_text(encoding="ascii").strip() or None
    except (OSError, ValueError):
        return None


def fingerprint(path: Path) -> tuple | None:
    """What a change to a file changes: its size or times (a write, chmod), its inode (a
    file renamed over it)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    return (*stat_fingerprint(info), info.st_mode)


def _write_journal(path: Path, content: bytes) -> None:
    """Written in place, not renamed: a torn journal is ignored, and it is whole before
    the log is touched."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, content)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise WriteFailed(f"无法写入 {path}：{exc.strerror}，未写入任何内容。") from None


def _lines_in(text: bytes) -> int:
    """Lines as the log's reader counts them: a \\n, a \\r or a \\r\\n ends one."""
    if b"\r" not in text:  # the usual log: one pass, not three, over a long one
        return text.count(b"\n")
    return text.count(b"\n") + text.count(b"\r") - text.count(b"\r\n")


def _appended(old: bytes, lines: list[str], newline: bytes) -> tuple[bytes, bytes]:
    """The log up to the new lines (its last line ended) and the new lines, as written."""
    head = old if not old or old.endswith(b"\n") else old + newline
    return head, b"".join(line.rstrip("\n").encode("utf-8") + newline for line in lines)


# Linux copies a write() into a regular file one page of its cache at a time, and moves
# the file's end past each page only once that page is copied; a kill is only heeded
# between pages. So bytes that fall within one page are added whole or not at all, as a
# reader or a killed writer sees it; bytes that span two pages could be cut between them.
# Elsewhere (other systems) nothing is assumed: the log is always written anew.
PAGE = os.sysconf("SC_PAGE_SIZE") if sys.platform == "linux" else 0


def _extend(path: Path, old: bytes, added: bytes) -> None:
    """Make the log `old` followed by `added`, so that a reader, or a kill at any moment,
    finds either the old log or the new one, never part of a line: by one write at its end
    where the new bytes fall within one page (on a long log, copying it whole is most of
    what an update costs), else by a new file renamed over it."""
    if not (PAGE and len(old) % PAGE + len(added) <= PAGE and _append(path, old, added)):
        _write(path, old + added)


def _append(path: Path, old: bytes, added: bytes) -> bool:
    """Write `added` at the end of the log if it still ends where `old` did and is its
    only link; False (and nothing written) if not, or it is not there: then it is
    written anew."""
    try:  # never through a link; a FIFO put in its place must not hang the open
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK)
    except (FileNotFoundError, PermissionError):  # not this user's file: a folder shared
        return False  # by a group may still take a new log renamed over it
    except OSError as exc:
        raise _not_written(path, exc) from None
    try:
        info = os.fstat(fd)
        # A second link (a snapshot made with `cp -al`) would get the line too: written anew.
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(old) or info.st_nlink != 1:
            return False
        try:
            written = os.write(fd, added)
            if written != len(added):  # cut short by a full disk or a size limit (ulimit -f):
                os.write(fd, added[written:])  # writing the rest fails, saying which
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            os.fsync(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):  # truncating needs no free space
                os.ftruncate(fd, len(old))
            raise _not_written(path, exc) from None
    finally:
        os.close(fd)
    return True


def _not_written(path: Path, exc: OSError) -> Exception:
    if isinstance(exc, PermissionError):
        return ReadOnlyLedger(f"无法写入 {path}（没有写权限），未写入任何内容。")
    return WriteFailed(f"无法写入 {path}：{exc.strerror}，未写入任何内容。")


def _write(path: Path, content: bytes) -> None:
    try:
        atomic_write(path, content)
    except OSError as exc:
        raise _not_written(path, exc) from None


def _restore(path: Path, old: bytes, added: bytes) -> str:
    """Take the appended lines back out of the file (truncating needs no free space);
    say in which state the file is."""
    first = old.count(b"\n") + 1 + (0 if old.endswith(b"\n") or not old else 1)
    last = old.count(b"\n") + added.count(b"\n")
    try:
        if path.read_bytes() == old + added:
            os.truncate(path, len(old))
            return "进展记录已恢复原样，未写入。"
    except OSError as exc:
        why = exc.strerror
    else:  # a hook changed it while git committed: taking lines out would lose that change
        why = "提交期间文件被改动，可能是 git 钩子所为；撤回会抹去这些改动"
    lines = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
    return f"而 {path} 末尾新加的{lines}未能撤回（{why}），也没有提交：请手工删除后再记录。"


def _settle_leftovers(
    data_dir: DataDir, repo: gitrepo.Repo | None, git_dir: Path | None
) -> list[str]:
    """Clean up after a writer that was killed: its temporary files, and lines it appended
    but did not commit (its journal says how long the log was before)."""
    path = data_dir.file(PROGRESS)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)
    if repo is None:
        return []
    journal = git_dir / JOURNAL_NAME
    try:
        entry = json.loads(journal.read_bytes())
    except (OSError, ValueError):
        journal.unlink(missing_ok=True)
        return []
    if (git_dir / "index.lock").exists():
        # The killed writer's own `git commit` may still be running (a SIGKILL does not stop
        # it): taking its lines back now could cut them from a log that commit then records.
        raise LedgerLocked(
            f"上一次中断的记录留下的 git 提交可能仍在进行（存在 {git_dir / 'index.lock'}），"
            "未写入；请稍候再试。确认没有 git 在运行时，删除该文件后再试。"
        )
    notes = []
    if entry.get("head") == repo.head_id():  # the commit never happened
        # A writer killed inside `git commit --only` may have staged its lines already; the
        # log was committed before it started (_check_committed), so HEAD's entry is right.
        repo.unstage(path)
        size = entry["size"]
        with contextlib.suppress(OSError):
            current = path.read_bytes()
            before = hashlib.sha256(current[:size]).hexdigest()
            if len(current) > size and before == entry["sha256"]:
                os.truncate(path, size)
                lines = len(current[size:].splitlines())  # a torn last line counts too
                notes.append(f"上一次记录在提交前被中断，它写入但未提交的 {lines} 行已撤回。")
    journal.unlink()
    return notes


def _check_writable(path: Path, shown: str) -> None:
    """The log is appended to, or replaced by renaming a new file over it: refuse where
    that would write through or replace a link, a special file, or a file its owner made
    read-only."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise WriteFailed(f"{shown} 是一个链接；gongkai 不通过链接写入，未写入。")
    kind = kind_of(info.st_mode)
    if kind is not None:
        raise WriteFailed(f"{shown} 不是普通文件（是{kind}），未写入。")
    if not info.st_mode & stat.S_IWUSR:
        raise ReadOnlyLedger(
            f"{shown} 是只读文件（权限 {stat.S_IMODE(info.st_mode):04o}），未写入；"
            f"确需记录，请先恢复写权限（chmod u+w {shown}）。"
        )


def _check_not_deleted(repo: gitrepo.Repo, path: Path, shown: str) -> None:
    if not path.exists() and repo.head_id() and repo.blob_id("HEAD", path) is not None:
        raise WriteFailed(
            f"{shown} 已被删除，但最近一次提交中有它；为免写出一个抹去全部历史的文件，未写入。"
            f"请先恢复它（git checkout HEAD -- {repo.rel(path)}）。"
        )


def _check_committed(repo: gitrepo.Repo, path: Path, shown: str, log: Log) -> None:
    """Refuse where the commit would hold lines this command did not append."""
    if not path.exists() or _as_committed(repo, log) or not repo.changes(path):
        return
    if repo.head_id() is None or repo.blob_id("HEAD", path) is None:
        detail = "它还从未提交过"
    else:
        added, removed = repo.line_changes(path)
        detail = f"比最近一次提交多 {added} 行、少 {removed} 行，或有已暂存的改动"
    raise WriteFailed(
        f"{shown} 有尚未提交的改动（{detail}）；为免把它们混入本次提交，未写入。"
        f"请先提交（git commit {repo.rel(path)}）或放弃（git checkout HEAD -- {repo.rel(path)}）"
        "这些改动，或加 --no-commit 只记录不提交。"
    )


def _as_committed(repo: gitrepo.Repo, log: Log) -> bool:
    """Whether the log is, byte for byte, what HEAD and the index hold for it, told from
    the bytes this writer reads anyway: right after a commit git's index cannot vouch for
    a file changed within the same second ("racily clean"), and `git status` would read
    and hash the whole log once more. False where it cannot be told so (git's filters or
    an executable bit may be at play): then `git status` is asked. Tracked, if so; and
    whether anything else is staged (see `Repo.commit_paths`, `alone`)."""
    log.read()
    if log._mark is None or log._mark[-1] & 0o111:  # (its mode, last)
        return False
    index, staged = repo.staged(log.path)
    if staged is None or repo.rel(log.path) in staged:
        return False
    if index != ("100644", gitrepo.raw_blob_id(log._old)):
        return False
    log.tracked.add(log.path)
    log.alone = not staged
    return True


@contextlib.contextmanager
def open_log(data_dir: DataDir, *, commit: bool = True) -> Iterator[Log]:
    """The log of `data_dir`, locked for appending, with every check of a safe write done.
    Nothing is written until `Log.append`."""
    path = data_dir.file(PROGRESS)
    shown = data_dir.display(PROGRESS)
    try:
        repo = gitrepo.find_repo(data_dir.path)
    except gitrepo.GitMissing:
        if commit:
            raise GitFailed(
                "台账在 git 仓库中，但找不到 git 命令（请安装 git，或把它加入 PATH），未写入；"
                "如只想记录、不提交，请加 --no-commit。"
            ) from None
        repo = None
    lock_dir = repo.git_dir() if repo else None
    if lock_dir is not None and not os.access(lock_dir, os.W_OK):
        raise ReadOnlyLedger(f"无法写入 git 目录 {lock_dir}（没有写权限），未写入任何内容。")
    with locked(data_dir.path, lock_dir):
        log = Log(path, repo if commit else None, [], lock_dir)

        def check() -> list[str]:
            _check_writable(path, shown)
            notes = _settle_leftovers(data_dir, repo, lock_dir)
            if repo is not None:
                state = repo.unfinished(lock_dir)
                if state:
                    raise WriteFailed(
                        f"仓库处于{state}，此时写入的记录可能在该操作结束或中止时丢失；未写入。"
                        "请先完成或中止该操作（如 git rebase --continue / --abort），或切回分支。"
                    )
                _check_not_deleted(repo, path, shown)
                if commit:
                    _check_committed(repo, path, shown, log)
            return notes

        log.notes, log.checks = check(), check
        yield log

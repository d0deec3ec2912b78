"""Append updates to progress.yaml: one line each, atomically, under a lock, with rollback."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from gongkai_cli.errors import LedgerLocked, ReadOnlyLedger, WriteFailed
from gongkai_cli.model.schema import Update
from gongkai_cli.record.atomic import atomic_write

LOCK_NAME = ".gongkai.lock"
LOCK_TIMEOUT = (
    60  # seconds; parallel updates wait for each other, a stuck one does not hang forever
)


# Characters that stay as they are inside a double-quoted scalar; everything else is
# escaped, since YAML folds line separators (U+2028, U+0085) and rejects C1 controls.
_KEEP = re.compile(
    "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_PLAIN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff（）·]+")  # unit names, statuses, Chinese names


def _scalar(text: str) -> str:
    if _PLAIN.fullmatch(text):
        return text
    body = json.dumps(text, ensure_ascii=False)  # escapes quotes, backslashes and C0 controls
    return "".join(
        ch if _KEEP.match(ch) else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"
        for ch in body
    )


def update_line(update: Update) -> str:
    """One update as a one-line YAML flow mapping in a list, so each update is a one-line diff
    (and two clones' appended lines merge with merge=union)."""
    fields = [
        f"date: {update.date.isoformat()}",
        f"task: {update.task}",
        f"unit: {_scalar(update.unit)}",
        f"status: {update.status}",
    ]
    if update.note is not None:
        fields.append(f"note: {_scalar(update.note)}")
    if update.by is not None:
        fields.append(f"by: {_scalar(update.by)}")
    return "- {" + ", ".join(fields) + "}\n"


@contextlib.contextmanager
def locked(data_dir: Path, lock_dir: Path | None = None) -> Iterator[None]:
    """Serialise writers of one ledger (across processes). The lock lives in `lock_dir`
    (the repository's .git, so it never shows as an untracked file), else beside the data."""
    from filelock import FileLock, Timeout

    lock = FileLock(str((lock_dir or data_dir) / LOCK_NAME), timeout=LOCK_TIMEOUT)
    try:
        with lock:
            yield
    except Timeout:
        raise LedgerLocked(
            f"台账正被另一个 gongkai 进程写入，等待 {LOCK_TIMEOUT} 秒仍未结束，未写入。"
        ) from None
    except PermissionError:
        raise ReadOnlyLedger(f"无法在 {data_dir} 中写入（没有写权限），未写入任何内容。") from None


def append(path: Path, updates: list[Update]) -> bytes:
    """Append the updates; return the file's previous content, for a rollback."""
    old = path.read_bytes() if path.exists() else b""
    new = old if not old or old.endswith(b"\n") else old + b"\n"
    new += "".join(update_line(u) for u in updates).encode("utf-8")
    write(path, new)
    return old


def write(path: Path, content: bytes) -> None:
    try:
        atomic_write(path, content)
    except PermissionError:
        raise ReadOnlyLedger(f"无法写入 {path}（没有写权限），未写入任何内容。") from None
    except OSError as exc:
        raise WriteFailed(f"无法写入 {path}：{exc.strerror}，未写入任何内容。") from None

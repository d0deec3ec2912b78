"""Append updates to progress.yaml: one line each, atomically, under a lock, with rollback."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import yaml

from gongkai_cli.errors import GongkaiError
from gongkai_cli.fsutil import atomic_write
from gongkai_cli.models import Update

LOCK_NAME = ".gongkai.lock"
LOCK_TIMEOUT = (
    60  # seconds; parallel updates wait for each other, a stuck one does not hang forever
)


def update_line(update: Update) -> str:
    """One update as a one-line YAML flow mapping in a list, so each update is a one-line diff."""
    fields = update.model_dump(exclude_none=True)
    text = yaml.safe_dump(
        fields, allow_unicode=True, default_flow_style=True, sort_keys=False, width=2**31
    )
    line = "- " + text.strip()
    assert "\n" not in line  # safe_dump escapes newlines inside quoted strings
    return line + "\n"


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
        raise GongkaiError(
            f"台账正被另一个 gongkai 进程写入，等待 {LOCK_TIMEOUT} 秒仍未结束，未写入。"
        ) from None
    except PermissionError:
        raise GongkaiError(f"无法在 {data_dir} 中写入（没有写权限），未写入任何内容。") from None


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
        raise GongkaiError(f"无法写入 {path}（没有写权限），未写入任何内容。") from None
    except OSError as exc:
        raise GongkaiError(f"无法写入 {path}：{exc.strerror}，未写入任何内容。") from None

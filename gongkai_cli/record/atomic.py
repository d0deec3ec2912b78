"""Writing files so that a crash leaves either the old content or the new, never half;
and never through a link, nor over a device or a pipe."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import threading
import unicodedata
from pathlib import Path

from gongkai_cli.errors import GongkaiError

_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    with _UMASK_LOCK:  # reading the umask means setting it: keep other threads out
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes, *, sync_folder: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, and rename it over `path`.
    The file keeps its permissions; a new one gets the user's umask (0644 under 022).
    `sync_folder=False` leaves syncing the folder (which makes the rename last) to the
    caller, who writes many files into it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync_folder:
        sync_dir(path.parent)


def sync_dir(folder: Path) -> None:
    """fsync a folder: the files renamed into it stay there after a crash."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_output(path: Path, data: bytes, *, sync_folder: bool = True) -> None:
    """Write a report, form or site file atomically, with the user's umask. Only a regular
    file or a new path is written: a device, a FIFO, a directory or a link is refused
    (renaming over a link would replace it; writing through one could land anywhere)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise GongkaiError(f"无法写入 {path}：{exc.strerror}。") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        from gongkai_cli.ledger.files import kind_of

        what = "符号链接" if stat.S_ISLNK(info.st_mode) else kind_of(info.st_mode)
        raise GongkaiError(f"{path} 是{what}，不能作为输出文件。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data, sync_folder=sync_folder)
    except OSError as exc:
        raise GongkaiError(f"无法写入 {path}：{exc.strerror}。") from None


_NOT_IN_NAMES = re.compile(r'[/\\:*?"<>|]')  # path separators, and what Windows forbids


def safe_filename(text: str, suffix: str = "") -> str:
    """A file name from any text: no path separators, no `..`, no leading dot, no control
    or format characters, trimmed, short enough for any file system, and never empty.
    `suffix` (a date, say) is kept whole: a long name is shortened before it, not it."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
    )
    name = _NOT_IN_NAMES.sub("_", kept)
    name = re.sub(r"\.{2,}", ".", name)
    name = " ".join(name.split()).lstrip(".").strip()
    while len((name + suffix).encode("utf-8")) > 200:  # most file systems allow 255 bytes
        name = name[:-1]
    return (name.rstrip(". ") or "未命名") + suffix

"""Writing files so that a crash leaves either the old content or the new, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, and rename it over `path`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
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


def write_output(path: Path, data: bytes) -> None:
    """Write a report, form or site file atomically, with the permissions the user's umask
    gives a new file; refuse a path that is a symlink, directory, device or FIFO."""
    import stat

    from gongkai_cli.errors import WriteFailed

    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteFailed(f"无法写入 {path}：{exc.strerror}。") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = (
            "符号链接"
            if stat.S_ISLNK(info.st_mode)
            else "目录"
            if stat.S_ISDIR(info.st_mode)
            else "设备或管道文件"
        )
        raise WriteFailed(f"{path} 是{kind}，不是普通文件；未写入。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
        if info is None:  # mkstemp made it 0600; a new output file gets the usual mode
            os.chmod(path, 0o666 & ~_umask())
    except OSError as exc:
        raise WriteFailed(f"无法写入 {path}：{exc.strerror}。") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_WINDOWS_RESERVED = str.maketrans(dict.fromkeys('/\\:*?"<>|', "_"))


def safe_filename(text: str) -> str:
    """A file name made from any text: no path separators or characters Windows refuses, no
    `..`, no leading dot, no control or format characters, trimmed, never empty."""
    import unicodedata

    name = "".join(
        ch
        for ch in text.translate(_WINDOWS_RESERVED)
        if unicodedata.category(ch) not in ("Cc", "Cf")
    )
    while ".." in name:
        name = name.replace("..", ".")
    name = name.strip().lstrip(".").strip().rstrip(". ")
    return name[:80] or "未命名"

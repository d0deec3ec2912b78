"""Writing files so that a crash leaves either the old content or the new, never half."""

from __future__ import annotations

import os
import re
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
    """Write a report, form or site file atomically, with the user's umask, into a plain
    file only: a device, FIFO, directory or symlink at `path` is refused."""
    import stat

    from gongkai_cli.errors import GongkaiError

    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise GongkaiError(f"无法写入 {path}：{exc.strerror}。") from None
    if mode is not None and not stat.S_ISREG(mode):
        what = "目录" if stat.S_ISDIR(mode) else "符号链接" if stat.S_ISLNK(mode) else "特殊文件"
        raise GongkaiError(f"{path} 是{what}，不能作为输出文件。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            atomic_write(path, data)
            os.chmod(path, 0o666 & ~umask)
        else:
            atomic_write(path, data)
    except OSError as exc:
        raise GongkaiError(f"无法写入 {path}：{exc.strerror}。") from None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f/\\\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def safe_filename(text: str) -> str:
    """A file name made from any text: no path separators, no control or format
    characters, no leading dot; never empty."""
    name = _UNSAFE.sub("", text).strip().replace("..", "")
    name = name.lstrip(".").strip()
    return name or "未命名"

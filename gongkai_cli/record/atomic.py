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
    """Write a report, form or site file atomically, with the user's umask, creating its
    folder; a device, FIFO, directory or symlink in its place is refused, never written through."""
    import stat

    from gongkai_cli.errors import WriteFailed

    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        what = "符号链接" if stat.S_ISLNK(mode) else "目录" if stat.S_ISDIR(mode) else "特殊文件"
        raise WriteFailed(f"{path} 是{what}，不会写入。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        existed = mode is not None
        atomic_write(path, data)
        if not existed:  # mkstemp made it 0600; a new output file gets the umask's mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(path, 0o666 & ~umask)
    except OSError as exc:
        raise WriteFailed(f"无法写入 {path}：{exc.strerror}。") from None

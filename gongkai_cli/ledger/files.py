"""Reading the files of a ledger safely: regular files only, inside the ledger, of bounded size."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from gongkai_cli.errors import GongkaiError

# Far above any county's plan or years of log, far below what would exhaust a machine.
MAX_FILE = 256 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "目录"),
    (stat.S_ISFIFO, "命名管道"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
)


class UnsafeFile(GongkaiError):
    """A file that gongkai will not read or replace: special, a link out, or too large."""


def kind_of(mode: int) -> str | None:
    """The Chinese name of a special file's kind, or None for a regular file."""
    return next(
        (name for test, name in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "特殊文件"
    )


def check_within(path: Path, within: Path | None, shown: str) -> None:
    """Refuse a path that, once its links are followed, lies outside the folder `within`."""
    if within is None:
        return
    target = path.resolve()
    if not target.is_relative_to(within.resolve()):
        raise UnsafeFile(f"{shown} 是指向 {within} 以外（{target}）的链接，不会读取或写入。")


def _check_regular(info: os.stat_result, shown: str) -> None:
    kind = kind_of(info.st_mode)
    if kind is not None:
        raise UnsafeFile(f"{shown} 不是普通文件（是{kind}），不会读取。")
    if info.st_size > MAX_FILE:
        raise UnsafeFile(
            f"{shown} 过大（{info.st_size // 2**20} MB），超过 {MAX_FILE // 2**20} MB 的上限，不会读取。"
        )


def open_regular(path: Path, *, within: Path | None = None, shown: str | None = None) -> BinaryIO:
    """Open a regular file for reading; refuse a device, a FIFO (which would hang), a
    directory, a link out of `within`, or a file over MAX_FILE. Missing: FileNotFoundError."""
    shown = shown or str(path)
    check_within(path, within, shown)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        _check_regular(os.fstat(fd), shown)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: Path, *, within: Path | None = None, shown: str | None = None) -> bytes:
    with open_regular(path, within=within, shown=shown) as handle:
        data = handle.read(MAX_FILE + 1)  # a file that grew after the check stops at the cap
    if len(data) > MAX_FILE:
        raise UnsafeFile(f"{shown or path} 过大，超过 {MAX_FILE // 2**20} MB 的上限，不会读取。")
    return data


def check_data_files(folder: Path, names: tuple[str, ...], shown) -> None:
    """Refuse a data directory whose files are special, links out of it, or too large,
    before anything opens them (opening a FIFO waits for a writer forever)."""
    for name in names:
        path = folder / name
        try:
            info = path.stat()
        except FileNotFoundError:
            continue  # the loader says so, where it matters
        except OSError as exc:
            raise UnsafeFile(f"无法读取 {shown(name)}：{exc.strerror}。") from None
        check_within(path, folder, shown(name))
        _check_regular(info, shown(name))


def check_input(path: Path) -> None:
    """Refuse an input that is a FIFO, a device or a socket before anything opens it (opening
    a FIFO waits for a writer forever); a missing file is for the reader to name."""
    try:
        kind = kind_of(path.stat().st_mode)
    except OSError:
        return
    if kind is not None and kind != "目录":
        raise UnsafeFile(f"{path} 不是普通文件（是{kind}），不会读取。")

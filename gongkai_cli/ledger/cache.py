"""A cache of loaded ledgers: plain data (JSON and arrays of numbers), keyed by the bytes parsed.

Reading a year's log is cheap, but a large ledger's log takes seconds to parse, check and
index, and every command reads it. The cache keeps what commands need of a load (what
`ledger.checked` encodes: the plan's plain values, the history columns, the problems found)
in one file per data directory, in the user's private cache folder, written atomically.
This module only keys, gets and puts.

Safety:
- The file is data only: a line of JSON and raw arrays of integers. Nothing in it can run
  code when read (no pickle, no marshal); a file that does not parse is simply ignored.
- The folder is created 0700 and is refused, with one notice, if it belongs to another user
  or others can write to it: then nothing is cached.
- The answer is keyed by the SHA-256 of the very bytes the loader parsed (not of the files
  as they were before or after), plus gongkai's code (its files' sizes and times) and the
  names messages give the files.
- A warm read compares each file's stat fingerprint (device, inode, size, mtime and ctime
  in nanoseconds) with the one recorded when those bytes were read; only if it differs is
  the file hashed again and compared with the recorded digest. See the README's section on
  speed for why a matching fingerprint is safe to trust.
If the cache cannot be read or written, the ledger is simply loaded again. Set
GONGKAI_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import zlib
from array import array
from pathlib import Path
from typing import Any

from gongkai_cli.ledger.datadir import PACKAGE, PROGRESS, TASKS, UNITS, DataDir
from gongkai_cli.ledger.seen import ABSENT, Seen, file_digest, fingerprint, settled
from gongkai_cli.version import __version__

FILES = (TASKS, UNITS, PROGRESS)
MAGIC = b"gongkai-cache 3\n"  # the format; a change of shape changes the number
INTEGER_TYPES = frozenset("bBhHiIlLqQ")  # what a stored column may hold: machine integers

Stored = tuple[dict[str, Any], list[array]]  # a JSON value and its integer columns
Found = tuple[dict[str, Any], list[array], dict[str, Seen]]  # … and the bytes it was made of
Place = tuple[Path, str]  # the cache file, and the context a stored answer must match


def cache_dir() -> Path:
    if os.environ.get("GONGKAI_CACHE_DIR"):
        return Path(os.environ["GONGKAI_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "gongkai"


def enabled() -> bool:
    return os.environ.get("GONGKAI_NO_CACHE", "") in ("", "0")


_refused: set[Path] = set()  # folders already refused in this process: say so once


def private_dir() -> Path | None:
    """The cache folder, created 0700; None (said once) if others could write into it."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:  # a read-only home: the cache is only an optimisation
        return None
    why = None
    if not stat.S_ISDIR(info.st_mode):
        why = "不是目录"
    elif info.st_uid != os.getuid():
        why = "属于其他用户"
    elif info.st_mode & 0o022:
        why = "其他用户可以写入"
    if why is None:
        return folder
    if folder not in _refused:
        _refused.add(folder)
        print(f"提示：缓存目录 {folder} {why}，为安全起见本次不使用缓存。", file=sys.stderr)
    return None


def _code_stamp() -> list[list[object]]:
    """Each source file of this package with its size and modification time: a cache
    written by other code (an upgrade, a checkout of another commit, an edit) is never read
    back by code that derives differently. Stat, not content: installing or checking out
    code writes its files anew, and a warm read should not hash its own program. Taken once
    a process: a round of forms asks for it with each form."""
    global _stamp
    if _stamp is None:
        _stamp = []
        for folder, dirs, files in os.walk(PACKAGE):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    info = os.stat(os.path.join(folder, name))
                    where = os.path.relpath(os.path.join(folder, name), PACKAGE)
                    _stamp.append([where, info.st_size, info.st_mtime_ns])
    return _stamp


_stamp: list[list[object]] | None = None


def code_key() -> str:
    """gongkai's version and code as a short digest: what any answer derived and kept on disk
    (a member's roll-up figures) must have been made by to be read back."""
    global _code_key
    if _code_key is None:
        stamp = json.dumps([__version__, _code_stamp()]).encode()
        _code_key = f"{zlib.crc32(stamp):08x}{len(stamp):x}"
    return _code_key


_code_key: str | None = None


def context(data_dir: DataDir) -> str:
    """Everything a load depends on besides the files' bytes: the code, and the names that
    messages give the files (relative to the working directory)."""
    names = [data_dir.display(name) for name in FILES]
    return json.dumps([__version__, names, _code_stamp()], ensure_ascii=False)


def _file_for(folder: Path, data_dir: DataDir) -> Path:
    """One cache file per data directory and way of naming it (messages name files
    relative to the working directory), so running from two folders does not thrash.
    The name only finds the file (its key says whose it is), so a CRC is enough."""
    names = "\0".join([str(data_dir.path.resolve()), *(data_dir.display(n) for n in FILES)])
    return folder / f"{zlib.crc32(names.encode()):08x}.cache"


# ----- the file: MAGIC, a JSON line (the key), a JSON line (the value), the arrays' bytes -----


def _check(
    data_dir: DataDir, recorded: dict[str, Any], known: dict[str, Seen]
) -> dict[str, Seen] | None:
    """What the files hold now, if it is what was recorded (None otherwise): a file the
    caller has just read and hashed (`known`) is judged by that digest, one whose
    fingerprint still matches is taken on trust, any other is hashed again."""
    now = {}
    for name in FILES:
        digest, mark = recorded[name]
        if name in known:
            if known[name].digest != digest:
                return None
            now[name] = known[name]
            continue
        try:  # not blocking: a FIFO put in a file's place must not hang the check
            fd = os.open(data_dir.file(name), os.O_RDONLY | os.O_NONBLOCK)
        except FileNotFoundError:
            if digest != ABSENT.digest:
                return None
            now[name] = ABSENT
            continue
        with open(fd, "rb") as handle:
            before = os.fstat(fd)
            if digest == ABSENT.digest or not stat.S_ISREG(before.st_mode):
                return None
            if mark is not None and tuple(mark) == fingerprint(before):
                now[name] = Seen(digest, tuple(mark))
                continue
            if file_digest(handle) != digest:
                return None
            now[name] = Seen(digest, settled(before, os.fstat(handle.fileno())))
    return now


def place(data_dir: DataDir) -> Place | None:
    """Where a data directory's answer is cached; None if caching is off or unsafe."""
    folder = private_dir() if enabled() else None
    return (_file_for(folder, data_dir), context(data_dir)) if folder else None


def get(where: Place, data_dir: DataDir, known: dict[str, Seen] | None = None) -> Found | None:
    """The stored answer, if it was computed from the bytes the files hold now; with what
    vouches for those bytes. `known`: files the caller has read and hashed itself, just
    now (a writer, under its lock), that need not be read again."""
    path, head = where
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
                return None
            if handle.readline() != MAGIC:
                return None
            key = json.loads(handle.readline())
            if key["context"] != head:
                return None
            seen = _check(data_dir, key["files"], known or {})
            if seen is None:
                return None
            value = json.loads(handle.readline())
            columns = []
            for code, length in key["columns"]:
                if code not in INTEGER_TYPES:
                    return None
                column = array(code)
                column.fromfile(handle, length)  # EOFError if the file is short
                columns.append(column)
            if handle.read(1):
                return None
    except Exception:  # truncated, from another version, not ours at all: load afresh
        return None
    if not known and any(
        list(s.fingerprint or ()) != (key["files"][n][1] or []) for n, s in seen.items()
    ):  # touched, not changed: vouch by stat again (not for a writer: it changes the log)
        put(where, seen, value, columns)
    return value, columns, seen


def put(where: Place, seen: dict[str, Seen], value: dict[str, Any], columns: list[array]):
    """Store an answer under the bytes it was computed from (`seen`); `columns` are arrays
    of integers, read back as they were given."""
    if any(name not in seen for name in FILES):
        return  # a file could not be read whole: there is no key for what was parsed
    assert all(c.typecode in INTEGER_TYPES for c in columns)
    path, head = where
    key = {
        "context": head,
        "files": {name: [seen[name].digest, seen[name].fingerprint] for name in FILES},
        "columns": [[c.typecode, len(c)] for c in columns],
    }
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        # Not fsynced: after a crash a cut-short file fails to parse and is ignored.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        with os.fdopen(os.open(tmp, flags, 0o600), "wb") as handle:
            handle.write(MAGIC)
            handle.write(json.dumps(key, ensure_ascii=False).encode() + b"\n")
            handle.write(json.dumps(value, ensure_ascii=False).encode() + b"\n")
            for column in columns:
                column.tofile(handle)
        os.replace(tmp, path)
    except Exception:  # a full disk, a race with another writer: the cache is optional
        tmp.unlink(missing_ok=True)

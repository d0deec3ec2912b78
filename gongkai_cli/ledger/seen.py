"""What a load read of each data file: the digest of the very bytes it parsed, and a stat
fingerprint that may later vouch for those bytes without reading them again.

The cache keys an answer by these, so the key always belongs to the bytes the answer was
computed from, even when the file is replaced while it is being read.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

# A file changed this recently may change again within the same tick of the file
# system's clock, keeping its size and time stamps: its fingerprint cannot vouch for
# its content yet (git's "racily clean" entries), so its content is hashed instead.
SETTLED_NS = 2_000_000_000

Fingerprint = tuple[int, int, int, int, int]  # device, inode, size, mtime_ns, ctime_ns


class Seen(NamedTuple):
    digest: str  # SHA-256 of the bytes parsed ("" for a file that was absent)
    fingerprint: Fingerprint | None  # None: only the digest can vouch for the bytes


ABSENT = Seen("", None)


def fingerprint(info: os.stat_result) -> Fingerprint:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def settled(before: os.stat_result, after: os.stat_result) -> Fingerprint | None:
    """The fingerprint of a file read between two fstat calls on the same descriptor,
    if nothing changed it meanwhile and its last change is old enough to be trusted."""
    mark = fingerprint(after)
    if fingerprint(before) != mark:
        return None
    if time.time_ns() - max(after.st_mtime_ns, after.st_ctime_ns) < SETTLED_NS:
        return None
    return mark


def file_digest(handle) -> str:
    import hashlib  # only when a file must be hashed: OpenSSL is slow to load

    return hashlib.file_digest(handle, "sha256").hexdigest()


def read_bytes(path: Path) -> tuple[bytes, Seen]:
    import hashlib

    with path.open("rb") as handle:
        before = os.fstat(handle.fileno())
        data = handle.read()
        after = os.fstat(handle.fileno())
    return data, Seen(hashlib.sha256(data).hexdigest(), settled(before, after))


class _Hashing(io.RawIOBase):
    """A file's bytes, hashed as they pass on their way to the decoder."""

    def __init__(self, raw, digest) -> None:
        self._raw, self._digest = raw, digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self._raw.readinto(buffer)
        if count:
            self._digest.update(memoryview(buffer)[:count])
        return count


@contextmanager
def text_lines(path: Path, seen: dict[str, Seen], name: str) -> Iterator[io.TextIOWrapper]:
    """A data file opened as text (BOM dropped, line endings kept), hashed as it is read:
    once it has been read to the end, `seen[name]` holds what was read."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb", buffering=0) as raw:
        before = os.fstat(raw.fileno())
        reader = io.BufferedReader(_Hashing(raw, digest), 1 << 16)
        text = io.TextIOWrapper(reader, encoding="utf-8-sig", newline="")
        yield text
        if text.read(1) == "":  # read to the end: the digest is complete
            seen[name] = Seen(digest.hexdigest(), settled(before, os.fstat(raw.fileno())))

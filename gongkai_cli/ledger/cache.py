"""A cache of loaded ledgers, keyed by the content of the data files (never by time stamps).

Reading a year's log is cheap, but a large ledger's log takes seconds to parse, check and
index, and every command reads it. The cache keeps the result of `load` (the ledger, the
history columns and the problems found) for the exact bytes of tasks.yaml, units.yaml and
progress.yaml; any change to any byte makes a new key. One file per data directory, in
the user's own cache folder (made private), written atomically; if it cannot be read or
written, the ledger is simply loaded again. Set GONGKAI_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from gongkai_cli import __version__
from gongkai_cli.ledger.datadir import PACKAGE, PROGRESS, TASKS, UNITS, DataDir


def cache_dir() -> Path:
    if os.environ.get("GONGKAI_CACHE_DIR"):
        return Path(os.environ["GONGKAI_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "gongkai"


def enabled() -> bool:
    return os.environ.get("GONGKAI_NO_CACHE", "") in ("", "0")


def _code_digest() -> bytes:
    """A digest of this package's own source: a cache written by other code (an upgrade,
    a checkout of another commit) is never read back into classes that changed shape."""
    digest = hashlib.sha256()
    package = PACKAGE
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def content_key(data_dir: DataDir) -> str | None:
    """A digest of everything a load depends on: the code, the files' bytes (streamed, so
    a large log is never held in memory just to be hashed), and the names that messages
    give them (relative to the working directory). None if a file cannot be read."""
    digest = hashlib.sha256(f"{__version__}\0".encode() + _code_digest())
    for name in (TASKS, UNITS, PROGRESS):
        digest.update(f"{name}\0{data_dir.display(name)}\0".encode())
        try:
            with data_dir.file(name).open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
        except FileNotFoundError:
            digest.update(b"absent")
        except OSError:
            return None
    return digest.hexdigest()


def _file_for(data_dir: DataDir) -> Path:
    """One cache file per data directory and way of naming it (messages name files
    relative to the working directory), so running from two folders does not thrash."""
    names = "\0".join(
        [str(data_dir.path.resolve()), *(data_dir.display(n) for n in (TASKS, UNITS, PROGRESS))]
    )
    return cache_dir() / f"{hashlib.sha256(names.encode()).hexdigest()[:32]}.pickle"


def get(data_dir: DataDir, key: str) -> Any | None:
    try:
        with _file_for(data_dir).open("rb") as handle:
            stored_key = pickle.load(handle)
            if stored_key != key:
                return None
            return pickle.load(handle)
    except Exception:  # missing, truncated or from another version: load afresh
        return None


def put(data_dir: DataDir, key: str, value: Any) -> None:
    from gongkai_cli.record.atomic import atomic_write

    try:
        folder = cache_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(_file_for(data_dir), pickle.dumps(key, 5) + pickle.dumps(value, 5))
    except Exception:  # a read-only home, a full disk: the cache is only an optimisation
        pass

"""Writing a generated site into its folder: every file atomically, stale pages removed, and
never into a folder that holds anything but an earlier site."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from gongkai_cli.errors import SiteFolderRefused
from gongkai_cli.ledger.seen import Fingerprint, fingerprint
from gongkai_cli.record.atomic import sync_dir, write_output
from gongkai_cli.record.outputs import GIT_DIR, OutputRefused, check_output

# Written into the folder with the list of files of the last build: a rebuild removes the pages
# that no longer exist, and a folder without it (not a site of ours) is never written into.
# Each line is `sha256  path`: a page is removed only while it still holds what gongkai wrote.
MANIFEST = ".gongkai-site"
_LINE = re.compile(r"^([0-9a-f]{64})  (.+)$")
# The digest of what the pages were made from (see `built_from`), on a line of its own that
# the page lines' pattern never matches.
_INPUTS = re.compile(r"^# inputs ([0-9a-f]{64})$")
# Each page's stat fingerprint as it was written (device, inode, size, mtime and ctime in
# nanoseconds), on lines of their own: a rebuild trusts a page whose fingerprint is still
# the same without reading it back, as the ledger cache trusts a data file.
_STAT = re.compile(r"^# stat (\d+) (\d+) (\d+) (\d+) (\d+)  (.+)$")


def _checked_folder(out: Path) -> dict[str, str]:
    """The pages an earlier build wrote into `out` (none for a new or empty folder); refused
    where `out` is a link, not a folder, or a folder holding anything but an earlier site."""
    if out.is_symlink():
        raise OutputRefused(f"{out} 是符号链接；gongkai 不通过链接写入网站，未写入。")
    if out.exists() and not out.is_dir():
        raise SiteFolderRefused(f"{out} 不是目录，网站不能写到这里。")
    previous = _manifest(out) if out.is_dir() else {}
    if out.is_dir() and any(out.iterdir()) and previous is None:
        raise SiteFolderRefused(
            f"{out} 不是空目录，也不是 gongkai 生成的网站；为免覆盖其中的文件，网站不会写到这里。"
        )
    return previous or {}


def write_site(out: Path, site: dict[str, bytes], inputs: str | None = None) -> None:
    """Write the files into `out`, then remove what the previous build wrote and this one did not.
    A folder that holds anything but an earlier site is left untouched; nothing is written or
    removed through a link, and a stale page is removed only if its bytes are the ones written.
    A page whose file already holds exactly its bytes is left as it is (not written again).
    `inputs`, the digest of what the pages were made from, is kept for `built_from`."""
    previous = _checked_folder(out)
    walked: set[PurePosixPath] = set()
    for name in site:
        _inside(out, name, walked)
    manifest = _Manifest.read(out)
    digests = {name: hashlib.sha256(content).hexdigest() for name, content in site.items()}
    marks: dict[str, Fingerprint] = {}
    written: set[Path] = set()  # the folders written into, each synced once at the end
    for name, content in site.items():
        mark = None
        if previous.get(name) == digests[name]:  # its file may hold these bytes already
            mark = manifest.vouched(out, name) or _holding(out, name, digests[name])
        if mark is None:
            write_output(out / name, content, sync_folder=False)
            written.add((out / name).parent)
            mark = _mark(out, name, len(content))
        if mark is not None:
            marks[name] = mark
    for folder in sorted(written):
        sync_dir(folder)
    for name, digest in sorted(previous.items()):
        if name not in site:
            _remove_if_ours(out, name, digest)
    lines = [f"{digests[n]}  {n}\n" for n in sorted(site)]
    lines += [f"# stat {' '.join(map(str, marks[n]))}  {n}\n" for n in sorted(marks)]
    if inputs is not None:
        lines.append(f"# inputs {inputs}\n")
    write_output(out / MANIFEST, "".join(lines).encode("utf-8"))


def built_from(out: Path, inputs: str) -> Mapping[str, bytes] | None:
    """The site in `out`, by its path, if its last build was made from `inputs` and every page
    it wrote still holds exactly what was written; None otherwise (it must be built). A page
    whose stat fingerprint is the one recorded when it was written is not read to know that;
    its bytes are read only when asked for."""
    if not out.is_dir() or out.is_symlink():
        return None
    manifest = _Manifest.read(out)
    if manifest.inputs != inputs:
        return None
    previous = _checked_folder(out)
    walked: set[PurePosixPath] = set()
    for name, digest in previous.items():
        try:
            _inside(out, name, walked)
        except OutputRefused:
            return None
        if manifest.vouched(out, name) is None and _holding(out, name, digest) is None:
            return None
    return _Pages(out, list(previous))


class _Pages(Mapping[str, bytes]):
    """The pages of a site in its folder, each read when asked for."""

    def __init__(self, out: Path, names: list[str]):
        self._out, self._names = out, names

    def __getitem__(self, name: str) -> bytes:
        content = _content(self._out, name) if name in self._names else None
        if content is None:
            raise KeyError(name)
        return content

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class _Manifest:
    """What the manifest says beyond the pages' digests: what they were made from, each
    page's fingerprint as written, and when it was written."""

    def __init__(self, text: str, written_ns: int):
        self.inputs = next((m.group(1) for m in map(_INPUTS.match, text.splitlines()) if m), None)
        self.marks = {
            m.group(6): tuple(int(m.group(k)) for k in range(1, 6))
            for m in map(_STAT.match, text.splitlines())
            if m
        }
        self.written_ns = written_ns

    @classmethod
    def read(cls, out: Path) -> _Manifest:
        return cls(*(_manifest_text(out) or ("", 0)))

    def vouched(self, out: Path, name: str) -> Fingerprint | None:
        """The page's fingerprint, if it is the one recorded and the page has not changed
        since the manifest was written: a page changed in the same tick of the file
        system's clock as the manifest could have changed after it, keeping its time
        stamps (git's "racily clean" entries), so it is read instead."""
        mark = self.marks.get(name)
        if mark is None:
            return None
        try:
            info = (out / name).lstat()
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or fingerprint(info) != mark:
            return None
        if max(info.st_mtime_ns, info.st_ctime_ns) >= self.written_ns:
            return None
        return mark


def _mark(out: Path, name: str, size: int) -> Fingerprint | None:
    """The fingerprint of a page just written (none if it is not what was written)."""
    try:
        info = (out / name).lstat()
    except OSError:
        return None
    return fingerprint(info) if stat.S_ISREG(info.st_mode) and info.st_size == size else None


def _holding(out: Path, name: str, digest: str) -> Fingerprint | None:
    """The page's fingerprint if its file holds the bytes of `digest` (read to know), and
    nothing changed it while it was read; None otherwise."""
    from gongkai_cli.ledger.files import UnsafeFile, open_regular

    try:
        page = _inside(out, name)
        if not stat.S_ISREG(page.lstat().st_mode):
            return None
        with open_regular(page, within=out) as handle:
            before = os.fstat(handle.fileno())
            content = handle.read()
            after = os.fstat(handle.fileno())
    except (OSError, UnsafeFile, OutputRefused):
        return None
    if hashlib.sha256(content).hexdigest() != digest or fingerprint(before) != fingerprint(after):
        return None
    return fingerprint(after)


def _content(out: Path, name: str) -> bytes | None:
    """A page's bytes as its file holds them; None where it is missing, not a regular
    file, or not provably inside the site."""
    from gongkai_cli.ledger.files import UnsafeFile, read_bytes

    try:
        page = _inside(out, name)
        if not stat.S_ISREG(page.lstat().st_mode):
            return None
        return read_bytes(page, within=out)
    except (OSError, UnsafeFile, OutputRefused):
        return None


def _inside(out: Path, name: str, checked: set[PurePosixPath] | None = None) -> Path:
    """The path of `name` in the site, refused if it leaves it or passes through a link.
    `checked` holds the folders of the site already walked in this pass: a hundred pages
    lie in three folders, each walked once."""
    path = PurePosixPath(name)
    if not path.parts or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise OutputRefused(f"网站文件名 {name} 不在网站目录内，未写入。")
    if checked is None or path.parent not in checked or GIT_DIR in path.parts:
        check_output(out / name, out)
        if checked is not None:
            checked.add(path.parent)
    return out / name


def _manifest(out: Path) -> dict[str, str] | None:
    """The files an earlier build wrote, with their digests; None where there is no manifest
    (or it is not a regular file: a link or a device is never read)."""
    found = _manifest_text(out)
    if found is None:
        return None
    return {m.group(2): m.group(1) for m in map(_LINE.match, found[0].splitlines()) if m}


def _manifest_text(out: Path) -> tuple[str, int] | None:
    """The manifest's text and the time it was written (its mtime, in nanoseconds)."""
    from gongkai_cli.ledger.files import MAX_FILE, UnsafeFile, open_regular

    path = out / MANIFEST
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        with open_regular(path) as handle:
            data = handle.read(MAX_FILE + 1)
            written = os.fstat(handle.fileno()).st_mtime_ns
    except (OSError, UnsafeFile):
        return None
    if len(data) > MAX_FILE:
        return None
    return data.decode("utf-8", errors="replace"), written


def _remove_if_ours(out: Path, name: str, digest: str) -> None:
    from gongkai_cli.ledger.files import UnsafeFile, read_bytes

    try:
        stale = _inside(out, name)
        if not stat.S_ISREG(stale.lstat().st_mode):
            return
        if hashlib.sha256(read_bytes(stale)).hexdigest() == digest:
            stale.unlink()
    except (OSError, UnsafeFile, OutputRefused):
        return  # not provably a page of ours: left where it is

"""Writing a generated site into its folder: every file atomically, stale pages removed, and
never into a folder that holds anything but an earlier site."""

from __future__ import annotations

import hashlib
import re
import stat
from pathlib import Path, PurePosixPath

from gongkai_cli.errors import SiteFolderRefused
from gongkai_cli.record.atomic import write_output
from gongkai_cli.record.outputs import OutputRefused, check_output

# Written into the folder with the list of files of the last build: a rebuild removes the pages
# that no longer exist, and a folder without it (not a site of ours) is never written into.
# Each line is `sha256  path`: a page is removed only while it still holds what gongkai wrote.
MANIFEST = ".gongkai-site"
_LINE = re.compile(r"^([0-9a-f]{64})  (.+)$")
# The digest of what the pages were made from (see `built_from`), on a line of its own that
# the page lines' pattern never matches.
_INPUTS = re.compile(r"^# inputs ([0-9a-f]{64})$")


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
    for name in site:
        _inside(out, name)
    digests = {name: hashlib.sha256(content).hexdigest() for name, content in site.items()}
    for name, content in site.items():
        if previous.get(name) != digests[name] or not _holds(out, name, digests[name]):
            write_output(out / name, content)
    for name, digest in sorted(previous.items()):
        if name not in site:
            _remove_if_ours(out, name, digest)
    lines = [f"{digests[n]}  {n}\n" for n in sorted(site)]
    if inputs is not None:
        lines.append(f"# inputs {inputs}\n")
    write_output(out / MANIFEST, "".join(lines).encode("utf-8"))


def built_from(out: Path, inputs: str) -> dict[str, bytes] | None:
    """The site in `out`, by its path, if its last build was made from `inputs` and every page
    it wrote still holds exactly what was written; None otherwise (it must be built)."""
    if not out.is_dir() or out.is_symlink():
        return None
    text = _manifest_text(out) or ""
    if not any((m := _INPUTS.match(line)) and m.group(1) == inputs for line in text.splitlines()):
        return None
    previous = _checked_folder(out)
    site = {}
    for name, digest in previous.items():
        content = _content(out, name)
        if content is None or hashlib.sha256(content).hexdigest() != digest:
            return None
        site[name] = content
    return site


def _holds(out: Path, name: str, digest: str) -> bool:
    content = _content(out, name)
    return content is not None and hashlib.sha256(content).hexdigest() == digest


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


def _inside(out: Path, name: str) -> Path:
    """The path of `name` in the site, refused if it leaves it or passes through a link."""
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts or "\\" in name:
        raise OutputRefused(f"网站文件名 {name} 不在网站目录内，未写入。")
    check_output(out / name, out)
    return out / name


def _manifest(out: Path) -> dict[str, str] | None:
    """The files an earlier build wrote, with their digests; None where there is no manifest
    (or it is not a regular file: a link or a device is never read)."""
    text = _manifest_text(out)
    if text is None:
        return None
    return {m.group(2): m.group(1) for m in map(_LINE.match, text.splitlines()) if m}


def _manifest_text(out: Path) -> str | None:
    from gongkai_cli.ledger.files import UnsafeFile, read_bytes

    path = out / MANIFEST
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        return read_bytes(path).decode("utf-8", errors="replace")
    except (OSError, UnsafeFile):
        return None


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

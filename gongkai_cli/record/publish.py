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


def write_site(out: Path, site: dict[str, bytes]) -> None:
    """Write the files into `out`, then remove what the previous build wrote and this one did not.
    A folder that holds anything but an earlier site is left untouched; nothing is written or
    removed through a link, and a stale page is removed only if its bytes are the ones written."""
    manifest = out / MANIFEST
    if out.is_symlink():
        raise OutputRefused(f"{out} 是符号链接；gongkai 不通过链接写入网站，未写入。")
    if out.exists() and not out.is_dir():
        raise SiteFolderRefused(f"{out} 不是目录，网站不能写到这里。")
    previous = _manifest(out) if out.is_dir() else {}
    if out.is_dir() and any(out.iterdir()) and previous is None:
        raise SiteFolderRefused(
            f"{out} 不是空目录，也不是 gongkai 生成的网站；为免覆盖其中的文件，网站不会写到这里。"
        )
    for name in site:
        _inside(out, name)
    for name, content in site.items():
        write_output(out / name, content)
    for name, digest in sorted((previous or {}).items()):
        if name not in site:
            _remove_if_ours(out, name, digest)
    lines = (f"{hashlib.sha256(site[n]).hexdigest()}  {n}\n" for n in sorted(site))
    write_output(manifest, "".join(lines).encode("utf-8"))


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
    from gongkai_cli.ledger.files import UnsafeFile, read_bytes

    path = out / MANIFEST
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        text = read_bytes(path).decode("utf-8", errors="replace")
    except (OSError, UnsafeFile):
        return None
    return {m.group(2): m.group(1) for m in map(_LINE.match, text.splitlines()) if m}


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

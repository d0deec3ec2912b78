"""Writing a generated site into its folder: every file atomically, stale pages removed, and
never into a folder that holds anything but an earlier site."""

from __future__ import annotations

from pathlib import Path

from gongkai_cli.errors import WriteFailed
from gongkai_cli.record.atomic import write_output

# Written into the folder with the list of files of the last build: a rebuild removes the pages
# that no longer exist, and a folder without it (not a site of ours) is never written into.
MANIFEST = ".gongkai-site"


class SiteFolderRefused(WriteFailed):
    """The output folder is a file, or holds files that are not an earlier site."""


def write_site(out: Path, site: dict[str, bytes]) -> None:
    """Write the files into `out`, then remove what the previous build wrote and this one did not.
    A folder that holds anything but an earlier site is left untouched."""
    manifest = out / MANIFEST
    if out.exists() and not out.is_dir():
        raise SiteFolderRefused(f"{out} 不是目录，网站不能写到这里。")
    if out.is_dir() and any(out.iterdir()) and not manifest.is_file():
        raise SiteFolderRefused(
            f"{out} 不是空目录，也不是 gongkai 生成的网站；为免覆盖其中的文件，网站不会写到这里。"
        )
    previous = (
        set(manifest.read_text(encoding="utf-8").splitlines()) if manifest.is_file() else set()
    )
    for name, content in site.items():
        write_output(out / name, content)
    for name in sorted(previous - set(site)):
        stale = out / name
        inside = not Path(name).is_absolute() and ".." not in Path(name).parts
        if inside and stale.is_file() and not stale.is_symlink():
            stale.unlink()
    write_output(manifest, "".join(f"{name}\n" for name in sorted(site)).encode("utf-8"))

"""The ledger as a static, offline website: rendered from the ledger and its log, and written
into its folder (only ever a new, empty or earlier site's folder)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai_cli.ledger.cache import FILES
from gongkai_cli.ledger.datadir import as_data_dir
from gongkai_cli.ledger.members import MEMBERS

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.ledger.seen import Seen


@dataclass(frozen=True, slots=True)
class Site:
    folder: Path
    # Path inside the folder → content; a site found as built reads its files when asked.
    files: Mapping[str, bytes]

    @property
    def task_pages(self) -> int:
        """One a task: the further pages of a long log are not counted."""
        return sum(re.fullmatch(r"tasks/\d+\.html", name) is not None for name in self.files)

    @property
    def unit_pages(self) -> int:
        return sum(name.startswith("units/") for name in self.files)


def site_folder(data: DataDir | str | Path | None, out: Path | None = None) -> Path:
    """Where the site goes: `out`, else site/ beside the data folder (under the working
    directory for the read-only bundled plan)."""
    data = as_data_dir(data)
    return out or (Path.cwd() if data.bundled else data.path.parent) / "site"


def build_site(
    data: DataDir | str | Path | None, folder: Path, as_of: dt.date | None = None
) -> Site:
    """Render the site as of `as_of` (default today) and write it into `folder`, removing
    the pages an earlier build wrote and this one did not."""
    from gongkai_cli.ledger.checked import book_of, load_checked
    from gongkai_cli.model.dates import current_date
    from gongkai_cli.record.outputs import check_ledger_output
    from gongkai_cli.record.publish import built_from, write_site

    data = as_data_dir(data)
    check_ledger_output(
        folder / "index.html", data, "网站"
    )  # a committed `site` link leads nowhere
    as_of = as_of or current_date()
    # A ledger with members shows their ledgers, which change on their own: always built.
    alone = not (data.path / MEMBERS).exists()
    source = _source(data, as_of)
    checked = load_checked(data)  # through the cache, as any query: the pages need no more
    book = book_of(checked)  # errors in the data stop here
    evidence = evidence_files(book)
    inputs = _inputs(checked.seen or {}, evidence, as_of, source) if alone else None
    if inputs is not None and all(name in (checked.seen or ()) for name in FILES):
        unchanged = built_from(folder, inputs)
        if unchanged is not None:  # made from these very inputs, and untouched since
            return Site(folder, unchanged)
    from gongkai_cli.output.site.build import render_site

    members = None if alone else _members_page(data, as_of)
    files = render_site(book, as_of, members, source)
    files.update(evidence)
    write_site(folder, files, inputs)
    return Site(folder, files)


def _inputs(seen: dict[str, Seen], evidence: dict[str, bytes], as_of: dt.date, source: str) -> str:
    """The digest of everything a site without members is made from: the data files' bytes
    (their SHA-256 as the load read them, which the cache vouches for), the kept evidence
    files' bytes, the day it is as of, the footer's line on its source, and gongkai's code,
    templates and static files. The same inputs make the same bytes."""
    import hashlib
    import json

    from gongkai_cli.ledger.cache import code_key

    site_files = resources.files("gongkai_cli.output.site")
    own = []
    for folder in ("templates", "static"):
        for item in sorted(site_files.joinpath(folder).iterdir(), key=lambda i: i.name):
            own.append([folder, item.name, hashlib.sha256(item.read_bytes()).hexdigest()])
    kept = [[name, hashlib.sha256(content).hexdigest()] for name, content in evidence.items()]
    digests = [seen[name].digest if name in seen else None for name in FILES]
    parts = [code_key(), own, as_of.isoformat(), source, digests, kept]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _source(data: DataDir, as_of: dt.date) -> str:
    """The footer's line on where the site came from: whoever holds the repository can
    make the same site from that commit and compare."""
    from gongkai_cli.record.git import ledger_commit

    commit, dirty = ledger_commit(data)
    if not commit:
        return ""
    changed = "（另有未提交的改动）" if dirty else ""
    day = as_of.isoformat()
    return f"数据来源：台账提交 {commit[:12]}{changed}，截至 {day}；生成命令：gongkai site --as-of {day}"


def _members_page(data: DataDir, as_of: dt.date):
    """For a ledger with members: the roll-up report and each member's own site (where
    members.yaml names one), for the site's 成员汇总 page; None for any other ledger."""
    from gongkai_cli.actions.members import members
    from gongkai_cli.actions.rollup import rollup
    from gongkai_cli.output.rollup import rollup_document

    listed = members(data)
    if not listed:
        return None
    return rollup_document(rollup(data, as_of)), {m.name: m.site for m in listed if m.site}


def evidence_files(book) -> dict[str, bytes]:
    """The kept evidence files the log names, by their path in the site (evidence/…), so
    that the site offers them for download; a missing one is left out (validate says so)."""
    from gongkai_cli.errors import GongkaiError
    from gongkai_cli.ledger.files import read_bytes
    from gongkai_cli.model.supervision import FILE_REF

    supervision = book.ledger.supervision
    if supervision is None:
        return {}
    folder = book.ledger.data_dir.path
    found = {}
    for detail in supervision.details.values():
        for item in detail.evidence:
            if FILE_REF.fullmatch(item) and item not in found:
                try:
                    found[item] = read_bytes(folder / item, within=folder)
                except (OSError, GongkaiError):
                    continue
    return dict(sorted(found.items()))

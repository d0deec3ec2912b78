"""Member ledgers: list them, add one, fetch them all with git, and open one as fetched.

The cache lives beside the data directory, in `.gongkai/members/` of the ledger:
    <name>/repo.git      a bare repository holding what was fetched of the member
    <name>/<commit>/     the member's data files at that commit, as plain files
    fetched.json         each member's last commit fetched and found to be a valid ledger
`.gongkai/` carries its own .gitignore, so nothing of it is ever committed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from gongkai_cli.errors import GongkaiError
from gongkai_cli.ledger.datadir import DataDir, as_data_dir, writable
from gongkai_cli.ledger.members import (
    MEMBERS,
    Member,
    appended,
    branch_problem,
    name_problem,
    read_members,
    site_problem,
    url_problem,
)

FETCHED = "fetched.json"


class NotFetched(GongkaiError):
    """A member listed but never fetched (or never found to be a valid ledger)."""


def cache_root(data_dir: DataDir) -> Path:
    """The ledger's members cache (outside its data directory), reached through no link: a
    clone may commit `.gongkai` as a link to anywhere."""
    from gongkai_cli.record.outputs import check_output

    root = data_dir.path.parent / ".gongkai" / "members"
    check_output(root / FETCHED, data_dir.path.parent)
    return root


Data = DataDir | str | Path | None  # a ledger's data folder, or None: found as the CLI finds it


NO_MEMBERS = "没有成员台账；用 gongkai members add 名称 地址 添加。"


def members(data: Data = None) -> list[Member]:
    """The members listed in data/members.yaml, in its order."""
    data_dir = as_data_dir(data)
    return read_members(data_dir.path, data_dir.display)


def some_members(data_dir: DataDir) -> list[Member]:
    """The members, for a report on them: GongkaiError if there are none."""
    listed = members(data_dir)
    if not listed:
        raise GongkaiError(NO_MEMBERS)
    return listed


@dataclass(frozen=True, slots=True)
class Listed:
    member: Member
    commit: str | None  # the commit last fetched and read, None if never


def list_members(data: Data = None) -> list[Listed]:
    """The members, each with the commit last fetched."""
    data_dir = as_data_dir(data)
    fetched = recorded(data_dir)
    return [Listed(m, fetched.get(m.name)) for m in members(data_dir)]


def add_member(
    data: Data, name: str, url: str, branch: str | None = None, site: str | None = None
) -> Member:
    """Append a member to data/members.yaml (made if need be) and commit that file alone
    where the ledger is a git repository."""
    from gongkai_cli.ledger import yamlio
    from gongkai_cli.ledger.files import read_bytes
    from gongkai_cli.record import git
    from gongkai_cli.record.atomic import atomic_write

    checks = [
        name_problem(name),
        url_problem(url),
        branch and branch_problem(branch),
        site and site_problem(site),
    ]
    if problem := next((c for c in checks if c), None):
        raise GongkaiError(problem)
    data_dir = writable(as_data_dir(data))
    if url.startswith((".", "/")) or ("://" not in url and ":" not in url):
        local = Path(url).expanduser()
        url = str(local if local.is_absolute() else (Path.cwd() / local).resolve())
    listed = members(data_dir)  # a members.yaml with mistakes is refused before it is touched
    if any(m.name == name for m in listed):
        raise GongkaiError(f"成员“{name}”已在 {data_dir.display(MEMBERS)} 中。")
    member = Member(name, url, branch, site)
    path = data_dir.file(MEMBERS)
    text = read_bytes(path).decode("utf-8-sig") if path.exists() else None
    new_text = appended(text, member)
    data, problems = yamlio.parse(new_text, MEMBERS)
    if problems or len(data.get("members") or []) != len(listed) + 1:
        raise GongkaiError(
            f"{data_dir.display(MEMBERS)} 的写法不便在末尾追加一行；请手工添加该成员。"
        )
    atomic_write(path, new_text.encode("utf-8"))
    repo = git.find_repo(data_dir.path)
    if repo is not None and repo.head_id() is not None:
        repo.commit_only(path, f"成员：添加 {name}")
    return member


@dataclass(frozen=True, slots=True)
class Fetched:
    """One member's fetch: the commit read and its plan's title, or why it failed."""

    name: str
    commit: str | None = None
    title: str = ""
    error: str | None = None


def fetch_members(
    data: Data = None,
    *,
    jobs: int = 4,
    names: list[str] | None = None,
    on_done: Callable[[Fetched], None] | None = None,
) -> list[Fetched]:
    """Fetch every member (or those named) in parallel, lay out and check its data at the
    fetched commit, and record the commits of those that are valid ledgers. A member that
    fails is reported in its result; the others go on. Results in members.yaml's order."""
    data_dir = writable(as_data_dir(data))
    listed = members(data_dir)
    if names:
        unknown = [n for n in names if n not in {m.name for m in listed}]
        if unknown:
            raise GongkaiError(f"{data_dir.display(MEMBERS)} 中没有成员：{'、'.join(unknown)}。")
        listed = [m for m in listed if m.name in names]
    from gongkai_cli.record.append import locked

    root = cache_root(data_dir)
    _make_cache(root)
    results: dict[str, Fetched] = {}
    with locked(root):  # two fetches at once would race for the same repositories
        known = _fetched(root)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(_fetch_one, root, m, known.get(m.name)) for m in listed]
            for future in as_completed(futures):
                result = future.result()
                results[result.name] = result
                if on_done is not None:
                    on_done(result)
        ordered = [results[m.name] for m in listed]
        fetched = {r.name: {"commit": r.commit, "title": r.title} for r in ordered if r.commit}
        _record(root, fetched)
    return ordered


def _make_cache(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    ignore = root.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# gongkai 的缓存，不提交。\n*\n", encoding="utf-8")


def _fetch_one(root: Path, member: Member, known: dict | None) -> Fetched:
    from gongkai_cli.record.fetch import MemberFailed, fetch, lay_out

    folder = root / member.name
    try:
        commit = fetch(folder / "repo.git", member.url, member.branch)
        if known and known["commit"] == commit and (folder / commit).is_dir():
            # Read and found valid when it was fetched; a commit's content never changes.
            return Fetched(member.name, commit, known["title"])
        book = _open(lay_out(folder / "repo.git", commit, folder / commit))
    except MemberFailed as exc:
        return Fetched(member.name, error=str(exc))
    _prune(folder, commit)
    return Fetched(member.name, commit, book.ledger.title)


def _prune(folder: Path, keep: str) -> None:
    """Remove the member's laid-out commits but `keep`: a year of weekly fetches would
    otherwise keep fifty copies. The history stays in repo.git, and an older commit asked
    for is laid out from it again (open_member)."""
    import re
    import shutil

    for entry in folder.iterdir():
        if entry.name != keep and re.fullmatch(r"[0-9a-f]{40,64}", entry.name):
            shutil.rmtree(entry, ignore_errors=True)


def _open(snapshot: Path):
    """A member's ledger laid out at `snapshot`, ready for queries; MemberFailed naming the
    first error (as the file is named in the member's own repository) if it holds any."""
    from gongkai_cli.errors import DataError
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.record.fetch import MemberFailed

    try:
        return open_book(DataDir(snapshot, "member"))
    except DataError as exc:
        first = next(p for p in exc.problems if p.is_error)
        where = f"data/{Path(first.file).name}:{first.line}:{first.column}"
        count = sum(p.is_error for p in exc.problems)
        raise MemberFailed(f"数据有 {count} 处错误，第一处：{where}: {first.message}") from None


def recorded(data_dir: DataDir) -> dict[str, str]:
    """Each member's last commit fetched and found valid, by name."""
    return {name: entry["commit"] for name, entry in _fetched(cache_root(data_dir)).items()}


def _fetched(root: Path) -> dict[str, dict[str, str]]:
    """fetched.json: member → {"commit", "title"}; what does not read so is left out."""
    try:
        data = json.loads((root / FETCHED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        name: entry
        for name, entry in data.items()
        if isinstance(entry, dict)
        and isinstance(entry.get("commit"), str)
        and isinstance(entry.get("title"), str)
    }


def _record(root: Path, fetched: dict[str, dict[str, str]]) -> None:
    from gongkai_cli.record.atomic import atomic_write

    data = {**_fetched(root), **fetched}
    atomic_write(root / FETCHED, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def open_member(data: Data, name: str, commit: str | None = None):
    """(commit, ledger) of a member as last fetched, or at `commit` (any commit of its
    fetched history); GongkaiError if it was never fetched."""
    from gongkai_cli.record.fetch import lay_out

    data_dir = as_data_dir(data)
    import re

    if (why := name_problem(name)) is not None:
        raise GongkaiError(why)
    if commit is not None and not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        raise GongkaiError(f"“{commit}”不是完整的提交号（40 位十六进制）。")  # it names a folder
    commit = commit or recorded(data_dir).get(name)
    if commit is None:
        raise NotFetched(f"成员“{name}”尚未取回；请先运行 gongkai members fetch。")
    folder = cache_root(data_dir) / name
    snapshot = folder / commit
    if not os.path.isdir(snapshot):
        lay_out(folder / "repo.git", commit, snapshot)
    return commit, _open(snapshot)


def opened(data_dir: DataDir, listed: list[Member], skipped: list[tuple[str, str]]):
    """Each member of `listed` that can be read as last fetched, as (member, commit, ledger),
    one at a time (a province's hundred ledgers are never all in memory at once); the others
    are added to `skipped` as (name, why), for reports that go on without them."""
    for member in listed:
        try:
            commit, book = open_member(data_dir, member.name)
        except NotFetched:
            skipped.append((member.name, "尚未取回，请先运行 gongkai members fetch"))
            continue
        except GongkaiError as exc:
            skipped.append((member.name, str(exc)))
            continue
        yield member, commit, book

"""Coverage: for each task of a higher plan, the tasks of a lower plan that break it down, and
the tasks no lower task breaks down (未分解). Between this ledger and each member as last
fetched, or between any two plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gongkai_cli.errors import GongkaiError, Problem
from gongkai_cli.ledger.datadir import TASKS, DataDir, as_data_dir
from gongkai_cli.model.coverage import Link, Text, cover


@dataclass(frozen=True, slots=True)
class Broken:
    """One higher task and the lower tasks that break it down, with their texts."""

    task: Text
    links: list[tuple[Link, Text]]


@dataclass
class Covered:
    """One lower plan against the higher: a row per higher task."""

    name: str
    title: str
    commit: str | None
    rows: list[Broken]

    @property
    def uncovered(self) -> list[int]:
        return [row.task.number for row in self.rows if not row.links]


@dataclass
class Coverage:
    title: str  # the higher plan's
    lowers: list[Covered]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (member, why)


def texts(tasks) -> list[Text]:
    return [Text(t.number, t.requirement, t.section, t.subsection) for t in tasks]


def covered(
    name: str, title: str, commit: str | None, higher: list[Text], lower: list[Text], manual
) -> Covered:
    links = cover(higher, lower, manual)
    by_number = {t.number: t for t in lower}
    rows = [Broken(t, [(link, by_number[link.lower]) for link in links[t.number]]) for t in higher]
    return Covered(name, title, commit, rows)


def member_coverage(
    data: DataDir | str | Path | None = None, member: str | None = None
) -> Coverage:
    """This ledger's plan against each member's (or the one named), as last fetched; the
    mappings in data/coverage.yaml override the matching where they speak."""
    from gongkai_cli.actions.members import members, opened, some_members
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.ledger.mapping import COVERAGE, one_mapping
    from gongkai_cli.ledger.sidefile import FileInvalid, read_yaml

    data_dir = as_data_dir(data)
    book = open_book(data_dir)
    higher = texts(book.ledger.tasks.values())
    listed = some_members(data_dir)
    if member is not None:
        listed = [m for m in listed if m.name == member]
        if not listed:
            raise GongkaiError(f"没有成员“{member}”；请用 gongkai members list 查看成员。")
    shown = data_dir.display(COVERAGE)
    maps = read_yaml(data_dir.file(COVERAGE), shown) or {}
    problems: list[Problem] = []
    if not isinstance(maps, dict):
        problems.append(
            Problem(
                shown,
                1,
                1,
                "应为映射：成员名称: {本级任务编号: [分解任务编号, …]}。",
                "coverage-map",
            )
        )
        maps = {}
    names = {m.name for m in members(data_dir)}
    for name in maps:
        if name not in names:
            problems.append(
                Problem(shown, *maps.key_pos[name], f"没有成员“{name}”。", "coverage-map")
            )
    result = Coverage(book.ledger.title, [])
    for m, commit, lower_book in opened(data_dir, listed, result.skipped):
        lower = texts(lower_book.ledger.tasks.values())
        manual = {}
        if m.name in maps:
            numbers = ({t.number for t in higher}, {t.number for t in lower})
            manual = one_mapping(maps[m.name], shown, *numbers, problems)
        result.lowers.append(
            covered(m.name, lower_book.ledger.title, commit, higher, lower, manual)
        )
    if problems:
        raise FileInvalid(problems, shown)
    return result


def plan_coverage(higher: Path, lower: Path, mapping: Path | None = None) -> Coverage:
    """Between two plans: each a tasks.yaml, a ledger (its folder or data folder), or any
    plan document `import-plan` reads."""
    from gongkai_cli.ledger.mapping import read_mapping

    high, low = _plan(higher), _plan(lower)
    h_texts, l_texts = texts(high.tasks), texts(low.tasks)
    manual = {}
    if mapping is not None:
        manual = read_mapping(mapping, {t.number for t in h_texts}, {t.number for t in l_texts})
    return Coverage(high.title, [covered(lower.name, low.title, None, h_texts, l_texts, manual)])


def _plan(path: Path):
    from gongkai_cli.actions.import_plan import read_plan

    if path.is_dir():
        for candidate in (path / TASKS, path / "data" / TASKS):
            if candidate.is_file():
                path = candidate
                break
        else:
            raise GongkaiError(f"{path} 中没有 {TASKS}。")
    if not path.exists():
        raise GongkaiError(f"找不到计划文件 {path}。")
    plan, _, _ = read_plan(path)
    return plan

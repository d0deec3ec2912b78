"""Starting a ledger: a plan (the bundled one, a tasks.yaml, or any plan document), a registry
(given, the bundled county's, or drafted from the plan), an empty log, CI and a first commit."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai_cli.errors import GongkaiError

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.model.values import Plan


@dataclass(frozen=True, slots=True)
class Drafted:
    """What was drafted into units.yaml from the plan and must be confirmed by a person."""

    level: str | None  # the plan's level (县, 市…), as the draft read it
    units: list[str]  # units inferred from the plan, registry order
    aliases: dict[str, list[str]] = field(default_factory=dict)  # unit → names taken as its aliases
    incomplete: list[str] = field(default_factory=list)  # groups whose members are to be filled in


@dataclass(frozen=True, slots=True)
class Started:
    data: DataDir
    commit: str | None
    drafted: Drafted | None  # None: the registry was given, or the bundled county's


def start_ledger(
    target: Path,
    plan: Path | None = None,
    units: Path | None = None,
    *,
    title: str | None = None,
    year: int | None = None,
    note: Callable[[str], None] = lambda guess: None,
) -> Started:
    """Create the ledger in `target` (new or empty). `plan` is a tasks.yaml or a plan
    document (Word, Excel, web page, CSV, text export), default the bundled plan; a
    document's `title` and `year` may be given, else they are read from it, and what the
    importer had to guess is passed to `note`. Anything that fails leaves nothing behind."""
    from gongkai_cli.record.create import init, refuse_occupied
    from gongkai_cli.record.outputs import check_output

    check_output(target / "data", what="台账")  # never inside a repository's .git
    refuse_occupied(target)
    tasks, model = _plan_text(plan, note, title, year)  # read before creating anything
    registry = _units_text(model, units)
    data, commit = init(target, tasks, registry)
    drafted = units is None and model is not None and not _names_only_bundled_units(model)
    return Started(data, commit, _drafted(data) if drafted else None)


def enclosing_repo(target: Path) -> Path | None:
    """The git repository that a new ledger at `target` would sit inside, if any."""
    from gongkai_cli.record.create import enclosing_repo as outer

    return outer(target)


def _plan_text(
    plan: Path | None, note: Callable[[str], None], title: str | None, year: int | None
) -> tuple[str, Plan | None]:
    """tasks.yaml's text, and the plan itself when it came from a document or a file."""
    from gongkai_cli.ledger.datadir import TASKS, bundled_dir

    document = plan is not None and plan.suffix.lower() not in (".yaml", ".yml")
    if (title or year) and not document:
        raise GongkaiError("--title、--year 只用于从 Word、Excel、网页或 CSV 文件导入的计划。")
    if plan is None:
        return (bundled_dir() / TASKS).read_text(encoding="utf-8"), None
    from gongkai_cli.actions.import_plan import read_import
    from gongkai_cli.ledger.plans import plan_from_yaml
    from gongkai_cli.ledger.yamlio import read_text

    if not document:
        text = read_text(plan)
        try:
            return text, plan_from_yaml(text, plan.name)
        except GongkaiError:  # the new ledger's own checks name it, located in its tasks.yaml
            return text, None
    imported = read_import(plan, title=title, year=year)
    for guess in imported.warnings:
        note(guess)
    return imported.content, imported.plan


def _units_text(plan: Plan | None, units: Path | None) -> str:
    """The registry: the one given, the bundled county's if it names every unit of the plan,
    else a draft from the plan's own responsibility phrases."""
    from gongkai_cli.ledger.datadir import UNITS, bundled_dir

    if units is not None:
        from gongkai_cli.ledger.yamlio import read_text

        return read_text(units)
    bundled = (bundled_dir() / UNITS).read_text(encoding="utf-8")
    if plan is None or _names_only_bundled_units(plan):
        return bundled
    from gongkai_cli.importers.units_draft import draft_units, dump_units

    return dump_units(draft_units(plan), plan.title)


def _names_only_bundled_units(plan: Plan) -> bool:
    from gongkai_cli.ledger.datadir import DataDir, bundled_dir
    from gongkai_cli.ledger.load import load
    from gongkai_cli.model.resolver import parse_roles

    bundled = load(DataDir(bundled_dir(), "bundled")).ledger
    # 县财政局 and 各镇 are in every county's plan: another county's plan naming only such
    # units must not get the bundled county's towns and full names, so its place must match.
    place, named = _place(bundled.title), _place(plan.title or "")
    if place and named and named != place:
        return False
    index = bundled.index
    for task in plan.tasks:
        lead, implementers = parse_roles(task.phrase)
        if any(index.lookup(item) is None for item in lead + implementers):
            return False
    return True


def _place(title: str) -> str:
    """The place a plan's title begins with: 濉溪县 of 濉溪县2021年政务公开…, '' if none."""
    match = re.match(r"\s*(\D+?[省市县区旗镇乡])", title)
    return match.group(1) if match else ""


def _drafted(data: DataDir) -> Drafted | None:
    from gongkai_cli.ledger.load import load

    registry = load(data).registry
    if registry is None:
        return None
    incomplete = [g.name for g in registry.groups if g.incomplete]
    inferred = [u for u in registry.units if u.inferred]
    return Drafted(
        registry.level,
        [u.name for u in inferred],
        {u.name: list(u.aliases) for u in inferred if u.aliases},
        incomplete,
    )

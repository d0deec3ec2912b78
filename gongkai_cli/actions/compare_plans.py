"""Comparing two versions of a plan (征求意见稿 and 正式稿, this year and last), from files or
from the ledger's git history, task by task and unit by unit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gongkai_cli.errors import GongkaiError
from gongkai_cli.ledger.datadir import as_data_dir

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.model.plandiff import PlanDiff
    from gongkai_cli.model.values import Plan


def compare_plans(old: Path, new: Path, data: DataDir | str | Path | None = None) -> PlanDiff:
    """How plan `new` differs from plan `old` (each a tasks.yaml or a plan document); units
    named as the registry of `data` names them, where there is one."""
    from gongkai_cli.actions.import_plan import read_plan

    return _diff(read_plan(old)[0], read_plan(new)[0], data)


def compare_revisions(data: DataDir | str | Path | None, rev: str) -> PlanDiff:
    """How the ledger's tasks.yaml differs between git revisions `rev` = A..B (or between
    A and the file as it is now)."""
    from gongkai_cli.ledger.datadir import TASKS
    from gongkai_cli.ledger.plans import plan_from_yaml
    from gongkai_cli.ledger.yamlio import read_text

    data = as_data_dir(data)
    tasks = data.file(TASKS)
    first, _, second = rev.partition("..")
    if not first:
        raise GongkaiError(f"--rev “{rev}” 应为 A..B 或 A，如 HEAD~1..HEAD。")
    old = plan_at(first, tasks)
    new = plan_at(second, tasks) if second else plan_from_yaml(read_text(tasks), TASKS)
    return _diff(old, new, data)


def plan_at(rev: str, tasks: Path) -> Plan:
    """tasks.yaml as it was at git revision `rev`."""
    from gongkai_cli.ledger import yamlio
    from gongkai_cli.ledger.plans import plan_from_yaml
    from gongkai_cli.record.git import find_repo

    repo = find_repo(tasks.parent)
    if repo is None:
        raise GongkaiError(f"{tasks.parent} 不在 git 仓库中，无法按版本对比计划。")
    if rev.startswith("-"):
        raise GongkaiError(f"“{rev}”不是一个 git 版本。")
    content = repo.show(rev, tasks)
    if content is None:
        raise GongkaiError(f"git 版本 {rev} 中没有 {repo.rel(tasks)}，或没有这个版本。")
    text, problems = yamlio.decode(content, f"{rev}:{repo.rel(tasks)}")
    if text is None:
        raise GongkaiError(problems[0].message)
    return plan_from_yaml(text, f"{rev}:{repo.rel(tasks)}")


def _diff(old: Plan, new: Plan, data: DataDir | str | Path | None) -> PlanDiff:
    from gongkai_cli.ledger.load import load
    from gongkai_cli.model.plandiff import diff_plans

    loaded = load(as_data_dir(data))
    index = loaded.ledger.index if loaded.ledger else None
    return diff_plans(old, new, index)

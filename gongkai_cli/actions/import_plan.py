"""Importing a plan: read a plan document (or a tasks.yaml) into tasks, and write it as a
ledger's tasks.yaml, never losing the link between recorded progress and its tasks."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai_cli.errors import GongkaiError

if TYPE_CHECKING:
    from gongkai_cli.model.plandiff import PlanDiff
    from gongkai_cli.model.values import Plan


@dataclass(frozen=True, slots=True)
class PlanImport:
    source: Path
    plan: Plan
    content: str  # the tasks.yaml text: a tasks.yaml as it was written, a document dumped
    warnings: list[str]  # what the importer had to guess


class ProgressOrphaned(GongkaiError):
    """The new plan drops or renumbers tasks that have progress; carries the comparison."""

    def __init__(self, message: str, diff: PlanDiff, tasks: list[int]):
        super().__init__(message)
        self.diff = diff
        self.tasks = tasks


def read_plan(
    path: Path, *, title: str | None = None, year: int | None = None
) -> tuple[Plan, dict | None, list[str]]:
    """The plan in `path`, the mapping imported from a document (None for a tasks.yaml),
    and what the importer had to guess."""
    from gongkai_cli.ledger import yamlio
    from gongkai_cli.ledger.plans import plan_from_document, plan_from_yaml

    if path.suffix.lower() in (".yaml", ".yml"):
        return plan_from_yaml(yamlio.read_text(path), path.name), None, []
    from gongkai_cli.importers.document import import_document
    from gongkai_cli.ledger.files import check_input

    check_input(path)
    imported = import_document(path, title=title, year=year)
    # How the columns were read comes first: a clerk checks it before anything else.
    said = imported.notes + imported.warnings
    return plan_from_document(imported.plan, path.name), imported.plan, said


def read_import(source: Path, *, title: str | None = None, year: int | None = None) -> PlanImport:
    """Read the plan in `source`: a Word, Excel, web page, CSV or text export document
    (`title` and `year` where it does not say them), or a tasks.yaml, taken as it is, its
    comments and layout being its authors'."""
    from gongkai_cli.importers.text_export import dump_plan
    from gongkai_cli.ledger.yamlio import read_text

    plan, imported, warnings = read_plan(source, title=title, year=year)
    content = read_text(source) if imported is None else dump_plan(imported)
    return PlanImport(source, plan, content, warnings)


def write_plan(imported: PlanImport, out: Path, *, force: bool = False) -> PlanDiff | None:
    """Write the imported plan to `out`. Over a ledger's plan, return how the plans differ,
    and refuse (ProgressOrphaned, unless `force`) where a task with progress would vanish
    or change its number; over any other existing file, refuse unless `force`."""
    from gongkai_cli.record.atomic import atomic_write

    if out.is_dir():
        raise GongkaiError(f"{out} 是目录；--out 应是任务文件的路径，如 data/tasks.yaml。")
    _check_plan_out(out)
    diff = None
    if out.exists():
        diff = _against_ledger(out, imported.plan, force)
        if diff is None and not force:
            raise GongkaiError(f"{out} 已存在；为免覆盖已有内容，未写入。确需覆盖请加 --force。")
    if not out.parent.is_dir():
        raise GongkaiError(f"目录 {out.parent} 不存在。")
    atomic_write(out, imported.content.encode("utf-8"))
    return diff


def import_plan(
    source: Path,
    out: Path,
    *,
    title: str | None = None,
    year: int | None = None,
    force: bool = False,
) -> PlanImport:
    """read_import, then write_plan: the plan in `source` written to `out`."""
    imported = read_import(source, title=title, year=year)
    write_plan(imported, out, force=force)
    return imported


def _check_plan_out(out: Path) -> None:
    """A plan is written only as a plan: never over the registry or the log beside it (under
    any name that reaches them), never into .git, never through a link in the working tree."""
    from gongkai_cli.ledger.datadir import PROGRESS, UNITS
    from gongkai_cli.record.outputs import check_output

    others = tuple(out.parent / name for name in (UNITS, PROGRESS))
    if out.name in (UNITS, PROGRESS) or any(
        other.exists() and out.exists() and os.path.samefile(out, other) for other in others
    ):
        raise GongkaiError(
            f"{out} 是单位名录或进展记录，不是任务文件；导入的计划不会写到这里，未写入。"
        )
    check_output(out, Path.cwd(), others, "计划")


def _against_ledger(out: Path, plan: Plan, force: bool) -> PlanDiff | None:
    """The difference from the plan of the ledger that `out` belongs to (None if it is no
    ledger's plan, or an unreadable one)."""
    from gongkai_cli.ledger.datadir import PROGRESS, UNITS, DataDir
    from gongkai_cli.ledger.load import load
    from gongkai_cli.model.plandiff import diff_plans

    if not ((out.parent / UNITS).exists() or (out.parent / PROGRESS).exists()):
        return None
    loaded = load(DataDir(out.parent, "option"))
    if loaded.plan is None:
        return None  # nothing to compare: overwrite only if forced
    index = loaded.ledger.index if loaded.ledger else None
    diff = diff_plans(loaded.plan, plan, index)
    with_progress = {u.task for u in loaded.updates}
    gone = {t.number for t in diff.removed} | {old for old, _ in diff.renumbered}
    moved = sorted(gone & with_progress)
    if moved and not force:
        raise ProgressOrphaned(
            f"任务 {'、'.join(map(str, moved))} 已有进展记录，新计划中删除了它们或改了编号，"
            "导入后这些记录将对不上任务；未写入。确需导入请加 --force。",
            diff,
            moved,
        )
    return diff

"""A plan from wherever it comes: a tasks.yaml, any published document, or a git revision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gongkai_cli.errors import GongkaiError
from gongkai_cli.ledger import yamlio
from gongkai_cli.model.values import Plan


def plan_from_yaml(text: str, filename: str) -> Plan:
    """A tasks.yaml text as a plan; its first problem, located, if it is not a valid one."""
    from pydantic import ValidationError

    from gongkai_cli.ledger.schema_errors import problems_from
    from gongkai_cli.model.schema import PlanFile, plain

    data, problems = yamlio.parse(text, filename)
    if not problems:
        try:
            return plain(PlanFile.model_validate(data))
        except ValidationError as exc:
            problems = problems_from(exc, data, filename)
    first = problems[0]
    raise GongkaiError(f"{first.file}:{first.line}:{first.column}：{first.message}")


def plan_from_document(plan: dict[str, Any], filename: str) -> Plan:
    """An imported plan as a plan; a document whose cells break the schema says which."""
    from pydantic import ValidationError

    from gongkai_cli.ledger.schema_errors import field_path
    from gongkai_cli.model.schema import PlanFile, plain

    try:
        return plain(PlanFile.model_validate(plan))
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise GongkaiError(
            f"{filename}：导入的 {field_path(tuple(error['loc']))} 无效：{error['msg']}。"
        ) from None


def read_plan(
    path: Path, *, title: str | None = None, year: int | None = None
) -> tuple[Plan, dict[str, Any] | None, list[str]]:
    """The plan in `path`, the mapping imported from a document (None for a tasks.yaml),
    and what the importer had to guess."""
    if path.suffix.lower() in (".yaml", ".yml"):
        return plan_from_yaml(yamlio.read_text(path), path.name), None, []
    from gongkai_cli.importers.document import import_document

    imported = import_document(path, title=title, year=year)
    # How the columns were read comes first: a clerk checks it before anything else.
    said = imported.notes + imported.warnings
    return plan_from_document(imported.plan, path.name), imported.plan, said


def plan_at(rev: str, tasks: Path) -> Plan:
    """tasks.yaml as it was at git revision `rev`."""
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

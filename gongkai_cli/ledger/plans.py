"""A plan from its text: a tasks.yaml, or the mapping an importer read from a document."""

from __future__ import annotations

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

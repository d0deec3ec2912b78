"""Pydantic validation errors → located, one-sentence Chinese problems."""

from __future__ import annotations

from typing import Any

from gongkai_cli.errors import Problem
from gongkai_cli.ledger.yamlio import position_of

_TYPE_WORDS = {
    "string_type": "文字",
    "int_type": "整数",
    "int_parsing": "整数",
    "bool_type": "true 或 false",
    "list_type": "列表",
    "date_type": "日期（年-月-日，不加引号）",
    "model_type": "映射（键: 值）",
    "model_attributes_type": "映射（键: 值）",
    "dict_type": "映射（键: 值）",
}


def field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for step in loc:
        path += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if path else str(step))
    return path or "（顶层）"


def describe(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:20] + "…"
        return f"文字“{shown}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, list):
        return "列表"
    return str(value)


def message_for(error: dict[str, Any], loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    name = field_path(loc)
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"缺少必填字段 {name}。"
    if kind == "extra_forbidden":
        hint = _nearest_field(loc)
        return f"未知字段 {name}（可能是拼写错误" + (f"，是否是指 {hint}？）" if hint else "）。")
    if kind in _TYPE_WORDS:
        return f"字段 {name} 应为{_TYPE_WORDS[kind]}，实际是{describe(error.get('input'))}。"
    if kind == "literal_error":
        expected = (
            str(ctx.get("expected", "")).replace("' or '", "、").replace("', '", "、").strip("'")
        )
        return f"字段 {name} 的值{describe(error.get('input'))}无效，应为 {expected} 之一。"
    if kind in ("string_too_short", "too_short"):
        return f"字段 {name} 不能为空。"
    if kind == "string_too_long":
        return f"字段 {name} 过长（{len(error.get('input', ''))} 字），最多 {ctx.get('max_length')} 字。"
    if kind == "string_pattern_mismatch":  # only ids have a pattern
        return f"字段 {name} 的值{describe(error.get('input'))}不是有效的编号（小写字母开头，4–16 位小写字母或数字）。"
    if kind == "greater_than_equal":
        return f"字段 {name} 应不小于 {ctx.get('ge')}，实际是{describe(error.get('input'))}。"
    if kind == "less_than_equal":
        return f"字段 {name} 应不大于 {ctx.get('le')}，实际是{describe(error.get('input'))}。"
    if kind == "value_error":
        return f"{name}：{ctx.get('error')}。"
    return f"字段 {name}：{error['msg']}。"


def _schema_at(loc: tuple[Any, ...]):
    """The schema whose field `loc` names, known from the shape of the location."""
    from gongkai_cli.model import schema as models

    parent = loc[:-1]
    if len(parent) == 1 and isinstance(parent[0], int):
        return models.Update  # progress.yaml: [i].field
    if parent:
        return {"tasks": models.Task, "units": models.Unit, "groups": models.Group}.get(parent[0])
    return None  # the top of tasks.yaml or units.yaml


def _nearest_field(loc: tuple[Any, ...]) -> str | None:
    import difflib

    from gongkai_cli.model import schema as models

    schema = _schema_at(loc)
    schemas = [schema] if schema else [models.PlanFile, models.Registry]
    fields = sorted(name for s in schemas for name in s.model_fields)
    match = difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6)
    return match[0] if match else None


def problems_from(exc, raw: Any, filename: str, prefix: tuple[Any, ...] = ()) -> list[Problem]:
    """One problem per Pydantic error, at the line and column of the offending value."""
    problems = []
    seen: set[tuple[Any, ...]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if loc in seen:
            continue
        seen.add(loc)
        line, column = position_of(raw, loc, key=error["type"] == "extra_forbidden")
        problems.append(
            Problem(
                filename, line, column, message_for(error, prefix + loc), f"schema-{error['type']}"
            )
        )
    return problems

"""The plan's and the registry's schemas checked in plain Python, for files without mistakes.

Building the Pydantic schemas (`model.schema`) costs a process some 70 ms: more than
reading a year's log. So tasks.yaml and units.yaml are checked here first. Each function
accepts exactly what its schema accepts (strict types, no unknown keys, the same bounds,
the same rule for a task's units) and builds the plain values directly; anything else it
hands back as None, and the loader asks Pydantic, whose errors say what is wrong and where.
A file with a mistake costs the schemas; a good one does not. `tests/test_fastschema.py`
holds the two together on generated data, both ways.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from gongkai_cli.model import values


class _Refused(Exception):
    """Not what the schema accepts: Pydantic will say why."""


# Pydantic reads text as Unicode scalar values; a lone surrogate (from a "\ud800" escape)
# is not one, and it refuses the text (though not inside a list: refusing it there too
# only sends such a file, which validate reports anyway, the slow way).
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: Any, min_length: int = 0) -> str:
    if type(value) is not str or len(value) < min_length or _SURROGATE.search(value):
        raise _Refused
    return value


def _nonempty(value: Any) -> str:
    return _text(value, 1)


def _optional(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else check(value)


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Refused
    return tuple(_text(item) for item in value)


def _flag(value: Any) -> bool:
    if type(value) is not bool:  # strict: 1, "yes" and null are not booleans
        raise _Refused
    return value


def _integer(low: int, high: int | None = None) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if type(value) is not int or value < low or (high is not None and value > high):
            raise _Refused
        return value

    return check


class Shape(NamedTuple):
    """One schema: the plain value it builds, a check per field, the fields it requires."""

    value: type
    fields: dict[str, Callable[[Any], Any]]
    required: frozenset[str]

    def build(self, data: Any) -> Any:
        if not isinstance(data, dict) or not (self.required <= data.keys() <= self.fields.keys()):
            raise _Refused
        return self.value(**{key: self.fields[key](item) for key, item in data.items()})


def _each(shape: Shape) -> Callable[[Any], tuple]:
    def check(value: Any) -> tuple:
        if not isinstance(value, list):
            raise _Refused
        return tuple(shape.build(item) for item in value)

    return check


UNIT = Shape(
    values.Unit,
    {
        "name": _nonempty,
        "full_name": _optional(_text),
        "aliases": _texts,
        "kind": _nonempty,
        "inferred": _flag,
        "source": _optional(_text),
        "note": _optional(_text),
    },
    frozenset({"name", "kind"}),
)
GROUP = Shape(
    values.Group,
    {
        "name": _nonempty,
        "description": _optional(_text),
        "kinds": _texts,
        "members": _texts,
        "open": _flag,
        "within": _optional(_text),
        "incomplete": _flag,
    },
    frozenset({"name"}),
)
REGISTRY = Shape(
    values.Registry,
    {"level": _optional(_text), "groups": _each(GROUP), "units": _each(UNIT)},
    frozenset({"groups", "units"}),
)


def _evidence_setting(value: Any) -> str | None:
    if value is not None and value != "required":
        raise _Refused
    return value


class _TaskShape(Shape):
    def build(self, data: Any) -> values.Task:
        task = super().build(data)
        if values.responsibility_form_error(task.responsibility, task.lead, task.implementers):
            raise _Refused
        return task


TASK = _TaskShape(
    values.Task,
    {
        "number": _integer(1),
        "section": _nonempty,
        "subsection": _nonempty,
        "requirement": _nonempty,
        "responsibility": _optional(_nonempty),
        "lead": _optional(_nonempty),
        "implementers": _optional(_nonempty),
        "deadline": _nonempty,
        "designated": _texts,
    },
    frozenset({"number", "section", "subsection", "requirement", "deadline"}),
)
PLAN = Shape(
    values.Plan,
    {
        "title": _nonempty,
        "year": _integer(1949, 2200),
        "source": _optional(_text),
        "tasks": _each(TASK),
        "review": _flag,
        "evidence": _evidence_setting,
    },
    frozenset({"title", "year", "tasks"}),
)


def accepted(shape: Shape, data: Any) -> Any:
    """`data` as the shape's plain value, or None where the schema must judge it."""
    try:
        return shape.build(data)
    except _Refused:
        return None


def plan(data: Any) -> values.Plan | None:
    """tasks.yaml's data as the plan, or None where the schema must judge it."""
    return accepted(PLAN, data)


def registry(data: Any) -> values.Registry | None:
    """units.yaml's data as the registry, or None where the schema must judge it."""
    return accepted(REGISTRY, data)

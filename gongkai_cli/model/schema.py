"""The schemas of the data files: strict Pydantic models that validate what is read.

What the queries keep is the plain values of `model.values`, made from these (`plain`).
A plan and a registry without mistakes are checked by `model.fastschema` instead, which
accepts exactly what these accept without building them; these say what a mistake is.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gongkai_cli.model import values
from gongkai_cli.model.statuses import STATUSES
from gongkai_cli.model.values import (
    ID_RE,
    MAX_NAME,
    MAX_NOTE,
    responsibility_form_error,
)


class Strict(BaseModel):
    # An unknown key is nearly always a typo, and a wrong type is never meant:
    # reject both rather than drop or coerce anything.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


NonEmpty = Field(min_length=1)


class Unit(Strict):
    name: str = NonEmpty
    full_name: str | None = None
    aliases: list[str] = []
    kind: str = NonEmpty
    inferred: bool = False
    source: str | None = None
    note: str | None = None


class Group(Strict):
    """A phrase such as 各镇 that stands for a set of units.

    A closed group lists its members by unit kind (and/or by name). An open group
    (县政府有关部门) means "the units concerned", drawn from the group named in
    `within`; it expands only through a task's `designated:` list.
    """

    name: str = NonEmpty
    description: str | None = None
    kinds: list[str] = []
    members: list[str] = []
    open: bool = False
    within: str | None = None
    # Drafted from a plan (`init --plan`): the members the plan named, not yet all of them.
    incomplete: bool = False


class Registry(Strict):
    # 县 / 区 / 市, or 科室 for a department's plan over its own sections; drafted from the plan.
    level: str | None = None
    groups: list[Group]
    units: list[Unit]


class Task(Strict):
    number: int = Field(ge=1)
    section: str = NonEmpty
    subsection: str = NonEmpty
    requirement: str = NonEmpty
    # The phrase as printed (“A牵头，B负责落实”), or, where the plan prints lead and
    # implementers in two columns, those two cells verbatim.
    responsibility: str | None = Field(default=None, min_length=1)
    lead: str | None = Field(default=None, min_length=1)
    implementers: str | None = Field(default=None, min_length=1)
    deadline: str = NonEmpty
    designated: list[str] = []

    @model_validator(mode="after")
    def _one_form_of_responsibility(self) -> Task:
        problem = responsibility_form_error(self.responsibility, self.lead, self.implementers)
        if problem:
            raise ValueError(problem)
        return self


class PlanFile(Strict):
    title: str = NonEmpty
    year: int = Field(ge=1949, le=2200)
    source: str | None = None
    tasks: list[Task]


class Update(Strict):
    """One update of the progress log (lines written before ids existed have none)."""

    id: str | None = Field(default=None, pattern=ID_RE)
    date: dt.date
    task: int = Field(ge=1)
    unit: str = NonEmpty
    status: Literal[STATUSES]  # type: ignore[valid-type]
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    by: str | None = Field(default=None, max_length=MAX_NAME)


class Retraction(Strict):
    """One retraction of the progress log: the update `retracts` no longer counts."""

    id: str = Field(pattern=ID_RE)
    date: dt.date
    retracts: str = Field(pattern=ID_RE)
    by: str | None = Field(default=None, max_length=MAX_NAME)


# Each file schema and the plain value it is kept as.
_PLAIN = {
    Unit: values.Unit,
    Group: values.Group,
    Registry: values.Registry,
    Task: values.Task,
    PlanFile: values.Plan,
}


def plain(model: BaseModel):
    """The plain value of a validated schema object: the same fields, models as their values,
    lists as tuples."""

    def value(item):
        if isinstance(item, BaseModel):
            return plain(item)
        if isinstance(item, list):
            return tuple(value(i) for i in item)
        return item

    cls = _PLAIN[type(model)]
    return cls(**{name: value(getattr(model, name)) for name in cls._fields})

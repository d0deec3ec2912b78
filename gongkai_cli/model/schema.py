"""The schemas of the data files: strict Pydantic models that validate what is read.

What the queries keep is the plain values of `model.values`, made from these (`plain`).
A plan and a registry without mistakes are checked by `model.fastschema` instead, which
accepts exactly what these accept without building them; these say what a mistake is.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gongkai_cli.model import values
from gongkai_cli.model.statuses import EXTENSION_VERDICTS, REVIEW_VERDICTS, STATUSES
from gongkai_cli.model.values import (
    ID_RE,
    MAX_EVIDENCE,
    MAX_NAME,
    MAX_NOTE,
    PERIOD_RE,
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
    # The office's rules: every 已完成 is checked before it counts (审核), and a 已完成
    # without 佐证材料 is refused.
    review: bool = False
    evidence: Literal["required"] | None = None


Evidence = Annotated[str, Field(min_length=1, max_length=MAX_EVIDENCE)]


class Update(Strict):
    """One update of the progress log (lines written before ids existed have none)."""

    id: str | None = Field(default=None, pattern=ID_RE)
    date: dt.date
    task: int = Field(ge=1)
    unit: str = NonEmpty
    status: Literal[STATUSES]  # type: ignore[valid-type]
    # Of a recurring task: the period reported on (2021-03, 2021-Q2, 2021-W14, 2021-H1, 2021-Y).
    period: str | None = Field(default=None, pattern=PERIOD_RE)
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    problems: str | None = Field(default=None, max_length=MAX_NOTE)  # 存在问题
    next: str | None = Field(default=None, max_length=MAX_NOTE)  # 下步措施
    evidence: list[Evidence] | None = None  # 佐证材料: links, and files under evidence/
    by: str | None = Field(default=None, max_length=MAX_NAME)


class Retraction(Strict):
    """One retraction of the progress log: the event `retracts` no longer counts."""

    id: str = Field(pattern=ID_RE)
    date: dt.date
    retracts: str = Field(pattern=ID_RE)
    by: str | None = Field(default=None, max_length=MAX_NAME)


class Review(Strict):
    """The office's verdict on the update `reviews` (a unit's claim): 通过 or 退回."""

    id: str = Field(pattern=ID_RE)
    date: dt.date
    reviews: str = Field(pattern=ID_RE)
    verdict: Literal[REVIEW_VERDICTS]  # type: ignore[valid-type]
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    by: str | None = Field(default=None, max_length=MAX_NAME)


class ExtensionRequest(Strict):
    """A unit asks to move its deadline for a task to `extend_to`."""

    id: str = Field(pattern=ID_RE)
    date: dt.date
    task: int = Field(ge=1)
    unit: str = NonEmpty
    extend_to: dt.date
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    by: str | None = Field(default=None, max_length=MAX_NAME)


class Decision(Strict):
    """The office's decision on the extension request `decides`: 批准 or 驳回."""

    id: str = Field(pattern=ID_RE)
    date: dt.date
    decides: str = Field(pattern=ID_RE)
    verdict: Literal[EXTENSION_VERDICTS]  # type: ignore[valid-type]
    extend_to: dt.date | None = None
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    by: str | None = Field(default=None, max_length=MAX_NAME)


def event_model(item: object) -> type[Strict]:
    """The schema of a log line, told by the key only its kind has."""
    if isinstance(item, dict):
        for key, model in (
            ("retracts", Retraction),
            ("reviews", Review),
            ("decides", Decision),
            ("extend_to", ExtensionRequest),
        ):
            if key in item:
                return model
    return Update


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

"""The schemas of the data files (strict Pydantic models) and the values derived from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gongkai_cli.model.statuses import STATUSES

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.ledger.logline import Entry
    from gongkai_cli.model.registry import UnitIndex

MAX_NOTE = 2000  # characters: a note is a sentence or a paragraph, not a document
MAX_NAME = 100


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
        if self.responsibility is not None and (self.lead or self.implementers):
            raise ValueError(
                "责任单位写作 responsibility，或分写为 lead 与 implementers，二者只能选一种"
            )
        if self.responsibility is None and self.implementers is None:
            raise ValueError("缺少责任单位：应有 responsibility，或 lead 与 implementers")
        return self

    @property
    def phrase(self) -> str:
        """The responsibility as one phrase; two columns read as “A牵头，B负责落实” would."""
        if self.responsibility is not None:
            return self.responsibility
        return joined_phrase(self.lead, self.implementers or "")


IMPLEMENT_ENDINGS = ("负责落实", "具体落实", "配合落实", "负责", "落实", "配合", "参与")


def joined_phrase(lead: str | None, implementers: str) -> str:
    """Lead and implementer cells as the one phrase of the single-column form."""
    parts = []
    if lead and lead.strip():
        lead = lead.strip()
        parts.append(lead if lead.endswith("牵头") else lead + "牵头")
    implementers = implementers.strip()
    if implementers:
        done = implementers.endswith(IMPLEMENT_ENDINGS)
        parts.append(implementers if done else implementers + "负责落实")
    return "，".join(parts)


class PlanFile(Strict):
    title: str = NonEmpty
    year: int = Field(ge=1949, le=2200)
    source: str | None = None
    tasks: list[Task]


class Update(Strict):
    """One line of the progress log."""

    date: dt.date
    task: int = Field(ge=1)
    unit: str = NonEmpty
    status: Literal[STATUSES]  # type: ignore[valid-type]
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    by: str | None = Field(default=None, max_length=MAX_NAME)


# ----- derived values: computed on load, never stored -----


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str
    kind: Literal["date", "ongoing"]
    date: dt.date | None

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a responsibility phrase expands to; lead and implementers never overlap."""

    lead: tuple[str, ...]
    implementers: tuple[str, ...]
    unresolved: tuple[str, ...]  # open groups that no designation expanded
    terms: tuple[Term, ...] = field(default=())
    _roles: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        roles = dict.fromkeys(self.implementers, "implementer") | dict.fromkeys(self.lead, "lead")
        object.__setattr__(self, "_roles", roles)

    def role_of(self, unit: str) -> str | None:
        return self._roles.get(unit)


@dataclass(frozen=True, slots=True)
class Term:
    """One item of a responsibility phrase and how it was read (for `gongkai resolve`)."""

    text: str
    role: Literal["lead", "implementer"]
    kind: Literal["unit", "group", "open-group", "designated"]
    units: tuple[str, ...]


@dataclass
class Ledger:
    """The plan, its registry and its progress log, with everything derived from them."""

    data_dir: DataDir
    title: str
    year: int
    tasks: dict[int, Task]  # by number, in the plan's order
    index: UnitIndex
    updates: list[Entry]  # the log as read; emptied once folded into a History
    resolutions: dict[int, Resolution] = field(default_factory=dict)
    deadlines: dict[int, Deadline] = field(default_factory=dict)

"""The plan as the queries use it: plain frozen values, free of Pydantic, cheap to cache.

The file schemas (`model.schema`) validate what is read; these are what is kept. A warm
read (`list`, `overdue`, `show`) is answered from these alone, so it never imports
Pydantic, YAML or dateutil. Each value has exactly the fields of its schema (a test
holds them together); lists become tuples so that every value is hashable and frozen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.ledger.logline import Entry
    from gongkai_cli.model.registry import UnitIndex

STATUSES = ("未开始", "进行中", "进展缓慢", "已完成", "不涉及")
MAX_NOTE = 2000  # characters: a note is a sentence or a paragraph, not a document
MAX_NAME = 100
DONE_STATUSES = frozenset({"已完成", "不涉及"})
STATUS_ALIASES = {
    "todo": "未开始",
    "doing": "进行中",
    "lagging": "进展缓慢",
    "done": "已完成",
    "n/a": "不涉及",
    "na": "不涉及",
    # Words that real county ledgers use for the same states.
    "未启动": "未开始",
    "序时推进": "进行中",
    "本单位不涉及": "不涉及",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Unit:
    name: str
    full_name: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str
    inferred: bool = False
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """A phrase such as 各镇 that stands for a set of units (see `schema.Group`)."""

    name: str
    description: str | None = None
    kinds: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    open: bool = False
    within: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Task:
    number: int
    section: str
    subsection: str
    requirement: str
    responsibility: str
    deadline: str
    designated: tuple[str, ...] = ()


def as_dict(value, *, exclude_defaults: bool = False) -> dict[str, object]:
    """A plan value's fields, in the order of its file schema (for JSON output)."""
    return {
        f.name: getattr(value, f.name)
        for f in fields(value)
        if not (
            exclude_defaults and f.default is not MISSING and getattr(value, f.name) == f.default
        )
    }


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
class Term:
    """One item of a responsibility phrase and how it was read (for `gongkai resolve`)."""

    text: str
    role: Literal["lead", "implementer"]
    kind: Literal["unit", "group", "open-group", "designated"]
    units: tuple[str, ...]


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

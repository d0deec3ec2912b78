"""The plan as the queries use it: plain frozen values (named tuples), free of Pydantic.

The file schemas (`model.schema`) validate what is read; these are what is kept. A warm
read (`list`, `overdue`, `show`) is answered from these alone, so it never imports
Pydantic, YAML or dateutil. Each value has exactly the fields of its schema (a test
holds them together); lists become tuples so that every value is hashable and frozen.
Named tuples rather than dataclasses: a warm read defines these classes on every run, and
a dataclass costs ten times as much to define.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Literal, NamedTuple

from gongkai_cli.model.statuses import LEAD

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.ledger.logline import Entry
    from gongkai_cli.model.registry import UnitIndex
    from gongkai_cli.model.supervision import Supervision

MAX_NOTE = 2000  # characters: a note is a sentence or a paragraph, not a document
MAX_NAME = 100
MAX_EVIDENCE = 2000  # characters of one link or file name
# An event's id: a letter first, so YAML never reads one as a number, a boolean or a date.
ID_RE = r"^[a-z][0-9a-z]{3,15}$"
# A period of a recurring task, as the log writes it: 2021-03, 2021-Q2, 2021-W14, 2021-H1, 2021-Y.
PERIOD_RE = r"^\d{4}-(?:\d\d|Q[1-4]|W\d\d|H[12]|Y)$"


# What a clause says its units do: 负责落实, 具体负责, 按职责分工负责, 配合, 协助… They carry the
# work out; only 牵头 makes a lead. A pattern (not compiled here: a warm read never needs it).
IMPLEMENT_WORDS = (
    r"(?:按照?(?:各自)?职(?:责|能)(?:分工)?|根据(?:各自)?职责|分别|具体|共同|各自)*"
    r"(?:负责落实|具体落实|配合落实|负责|落实|配合|参与|协助|协同)"
)


def lead_part(lead: str) -> str:
    """The lead cell as the first part of the joined phrase: 县政务公开办牵头."""
    lead = lead.strip()
    return lead if lead.endswith(LEAD) else lead + LEAD


def responsibility_form_error(
    responsibility: str | None, lead: str | None, implementers: str | None
) -> str | None:
    """What is wrong with how a task gives its units, if anything: one phrase, or the two
    columns (lead and implementers), never both and never neither. A lead alone is a form
    plans use ((牵头单位：省市场监管局) and nothing more): that unit answers for the task."""
    if responsibility is not None and (lead or implementers):
        return "责任单位写作 responsibility，或分写为 lead 与 implementers，二者只能选一种"
    if responsibility is None and implementers is None and lead is None:
        return "缺少责任单位：应有 responsibility，或 lead（及 implementers）"
    return None


def joined_phrase(lead: str | None, implementers: str) -> str:
    """Lead and implementer cells as the one phrase of the single-column form."""
    parts = []
    if lead and lead.strip():
        parts.append(lead_part(lead))
    implementers = implementers.strip()
    if implementers:
        done = re.search(IMPLEMENT_WORDS + "$", implementers) is not None
        parts.append(implementers if done else implementers + "负责落实")
    return "，".join(parts)


class Unit(NamedTuple):
    name: str
    full_name: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str = ""  # always given: the schema requires it (a default only keeps its place)
    inferred: bool = False
    source: str | None = None
    note: str | None = None


class Group(NamedTuple):
    """A phrase such as 各镇 that stands for a set of units (see `schema.Group`)."""

    name: str
    description: str | None = None
    kinds: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    open: bool = False
    within: str | None = None
    incomplete: bool = False  # drafted from a plan: the members it named, not yet all


class Task(NamedTuple):
    number: int
    section: str
    subsection: str
    requirement: str
    # The phrase as printed, or (where the plan has two columns) lead and implementers.
    responsibility: str | None = None
    lead: str | None = None
    implementers: str | None = None
    deadline: str = ""  # always given: the schema requires it (a default only keeps its place)
    designated: tuple[str, ...] = ()

    @property
    def phrase(self) -> str:
        """The responsibility as one phrase; two columns read as “A牵头，B负责落实” would."""
        if self.responsibility is not None:
            return self.responsibility
        return joined_phrase(self.lead, self.implementers or "")


class Plan(NamedTuple):
    """tasks.yaml: the plan's title, its year and its tasks in the file's order."""

    title: str
    year: int
    source: str | None = None
    tasks: tuple[Task, ...] = ()
    review: bool = False  # every 已完成 waits for the office's 通过
    evidence: str | None = None  # "required": a 已完成 must carry 佐证材料


class Registry(NamedTuple):
    """units.yaml: the level of the plan's units (县, 区, 科室…), its groups and its units."""

    level: str | None = None
    groups: tuple[Group, ...] = ()
    units: tuple[Unit, ...] = ()


def as_dict(value: NamedTuple, *, exclude_defaults: bool = False) -> dict[str, object]:
    """A plan value's fields, in the order of its file schema (for JSON output)."""
    defaults = value._field_defaults if exclude_defaults else {}
    missing = object()
    return {
        name: item
        for name, item in zip(value._fields, value, strict=True)
        if defaults.get(name, missing) != item
    }


# ----- derived values: computed on load, never stored -----


class Deadline(NamedTuple):
    text: str
    kind: Literal["date", "ongoing", "pending"]  # pending: 待定 or a phrase no rule reads
    date: dt.date | None

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
        }


class Detail(NamedTuple):
    """What an update says beyond its status and note: 存在问题, 下步措施, 佐证材料."""

    problems: str | None = None
    next: str | None = None
    evidence: tuple[str, ...] = ()  # links, and files as evidence/<sha256>.<suffix>


# The supervision cycle's events (ledger.logline reads and writes their lines).


class Review(NamedTuple):
    """The office's verdict on a unit's claim: `reviews` is the update's id."""

    id: str
    date: dt.date
    reviews: str
    verdict: str  # 通过 | 退回
    note: str | None
    by: str | None
    line: int


class Extension(NamedTuple):
    """A unit's request to move its deadline to `extend_to`."""

    id: str
    date: dt.date
    task: int
    unit: str
    extend_to: dt.date
    note: str | None
    by: str | None
    line: int


class Decision(NamedTuple):
    """The office's decision on an extension request (`decides` is the request's id)."""

    id: str
    date: dt.date
    decides: str
    verdict: str  # 批准 | 驳回
    extend_to: dt.date | None  # the date granted, where it differs from the one asked
    note: str | None
    by: str | None
    line: int


class Term(NamedTuple):
    """One item of a responsibility phrase and how it was read (for `gongkai resolve`)."""

    text: str
    role: Literal["lead", "implementer"]
    kind: Literal["unit", "group", "open-group", "designated"]
    units: tuple[str, ...]


class Resolution(NamedTuple):
    """What a responsibility phrase expands to; lead and implementers never overlap."""

    lead: tuple[str, ...]
    implementers: tuple[str, ...]
    unresolved: tuple[str, ...]  # open groups that no designation expanded
    terms: tuple[Term, ...] = ()

    def role_of(self, unit: str) -> str | None:
        if unit in self.lead:
            return "lead"
        if unit in self.implementers:
            return "implementer"
        return None


class Ledger:
    """The plan, its registry and its progress log, with everything derived from them."""

    __slots__ = (
        "data_dir",
        "deadlines",
        "index",
        "resolutions",
        "supervision",
        "tasks",
        "title",
        "updates",
        "year",
    )

    def __init__(
        self,
        data_dir: DataDir,
        title: str,
        year: int,
        tasks: dict[int, Task],  # by number, in the plan's order
        index: UnitIndex,
        updates: list[Entry],  # the log as read; emptied once folded into a History
        resolutions: dict[int, Resolution] | None = None,
        deadlines: dict[int, Deadline] | None = None,
        supervision: Supervision | None = None,
    ):
        self.data_dir, self.title, self.year, self.tasks = data_dir, title, year, tasks
        self.index, self.updates = index, updates
        self.resolutions = {} if resolutions is None else resolutions
        self.deadlines = {} if deadlines is None else deadlines
        # Reviews, extensions and update details; None where the log has none to fold yet.
        self.supervision = supervision

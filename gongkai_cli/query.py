"""The questions of the daily work: who answers for a task, what is late, what falls due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai_cli.errors import GongkaiError
from gongkai_cli.load import Ledger
from gongkai_cli.models import Deadline, Resolution, Task
from gongkai_cli.progress import OVERDUE, Assignment, History


class Book:
    """A ledger with its progress log indexed: the one object every query works on."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.history = History(ledger.updates, ledger.index.canonical)

    def task(self, number: int) -> Task:
        task = self.ledger.tasks.get(number)
        if task is None:
            raise GongkaiError(
                f"计划中没有任务 {number}；任务编号为 1–{max(self.ledger.tasks, default=0)}。"
            )
        return task

    def deadline(self, number: int) -> Deadline:
        return self.ledger.deadlines[number]

    def resolution(self, number: int) -> Resolution:
        return self.ledger.resolutions[number]

    def assignments(self, number: int, as_of: dt.date) -> list[Assignment]:
        """Every responsible unit's assignment, then units that reported through an
        undesignated open group, then each such group still outstanding."""
        resolution = self.resolution(number)
        result = []
        for role, units in (("lead", resolution.lead), ("implementer", resolution.implementers)):
            for unit in units:
                status, updated, note, done_on = self.history.state(number, unit, as_of)
                result.append(Assignment(number, unit, role, status, updated, note, done_on))
        if resolution.unresolved:
            named = {a.unit for a in result}
            for unit in self.history.reporters(number):
                if unit not in named:
                    status, updated, note, done_on = self.history.state(number, unit, as_of)
                    if updated is not None:
                        result.append(
                            Assignment(number, unit, "implementer", status, updated, note, done_on)
                        )
            roles = {t.text: t.role for t in resolution.terms}
            for group in resolution.unresolved:
                result.append(
                    Assignment(number, group, roles.get(group, "implementer"), designated=False)
                )
        return result

    def unit(self, name: str) -> str:
        """The canonical name of a unit given by name or alias; a clear error otherwise."""
        index = self.ledger.index
        unit = index.canonical(name)
        if unit is not None:
            return unit
        if name in index.groups:
            raise GongkaiError(
                f"“{name}”是单位集合，不是单个单位；请给出具体单位（gongkai units --group {name} 可列出成员）。"
            )
        hint = index.suggest(name)
        raise GongkaiError(
            f"单位名录中没有“{name}”"
            + (f"，是否是指“{hint}”？" if hint else "；gongkai units 可列出全部单位。")
        )


@dataclass(frozen=True, slots=True)
class Filters:
    unit: str | None = None  # canonical
    role: str | None = None  # lead | implementer
    section: str | None = None  # 一…六
    deadline: str | None = None  # the phrase as printed
    due_before: dt.date | None = None
    status: str | None = None  # of the unit if --unit, else the task's
    search: str | None = None


SECTION_NUMERALS = "一二三四五六七八九十"


def section_numeral(value: str) -> str:
    """Accept 一…十 or 1…10 for --section."""
    value = value.strip()
    if value.isdigit() and 1 <= int(value) <= len(SECTION_NUMERALS):
        return SECTION_NUMERALS[int(value) - 1]
    if value and value[0] in SECTION_NUMERALS and value.rstrip("、") in SECTION_NUMERALS:
        return value.rstrip("、")
    raise GongkaiError(f"--section 应为 一…六 或 1…6，实际是“{value}”。")


@dataclass(frozen=True, slots=True)
class Row:
    """One task in a listing, with its assignments as of the date and the unit's role."""

    task: Task
    deadline: Deadline
    resolution: Resolution
    assignments: tuple[Assignment, ...]
    role: str | None = None  # the filtered unit's role

    @property
    def done(self) -> bool:
        return all(a.done for a in self.assignments)

    def task_status(self) -> str:
        if self.done:
            return "已完成"
        if any(a.status != "未开始" for a in self.assignments):
            return "进行中"
        return "未开始"


def list_tasks(book: Book, filters: Filters, as_of: dt.date) -> list[Row]:
    rows = []
    for number, task in book.ledger.tasks.items():
        deadline = book.deadline(number)
        if filters.section and not task.section.startswith(filters.section + "、"):
            continue
        if filters.deadline and "".join(task.deadline.split()) != "".join(filters.deadline.split()):
            continue
        if filters.due_before and (deadline.date is None or deadline.date >= filters.due_before):
            continue
        if filters.search and filters.search not in task.requirement:
            continue
        assignments = tuple(book.assignments(number, as_of))
        role = None
        if filters.unit:
            mine = [a for a in assignments if a.unit == filters.unit]
            if not mine:
                continue
            role = mine[0].role
            if filters.role and role != filters.role:
                continue
        row = Row(task, deadline, book.resolution(number), assignments, role)
        if filters.status:
            status = mine[0].status if filters.unit else row.task_status()
            if status != filters.status:
                continue
        rows.append(row)
    return rows


@dataclass(frozen=True, slots=True)
class Late:
    """A task with a date and the units not done: overdue (days > 0) or due soon (days ≥ 0)."""

    number: int
    deadline: Deadline
    days: int  # days overdue, or days left
    units: tuple[str, ...]
    unresolved: tuple[str, ...]


def overdue(book: Book, as_of: dt.date) -> list[Late]:
    """Tasks whose deadline is before `as_of` with units not 已完成/不涉及 by then."""
    result = []
    for number in book.ledger.tasks:
        deadline = book.deadline(number)
        if deadline.date is None or deadline.date >= as_of:
            continue
        late = [a for a in book.assignments(number, as_of) if a.light(deadline, as_of) == OVERDUE]
        if late:
            result.append(_late(number, deadline, (as_of - deadline.date).days, late))
    return result


def due(book: Book, as_of: dt.date, within_days: int) -> list[Late]:
    """Tasks falling due from `as_of` to `within_days` later that are not done."""
    result = []
    for number in book.ledger.tasks:
        deadline = book.deadline(number)
        if deadline.date is None or not 0 <= (deadline.date - as_of).days <= within_days:
            continue
        waiting = [a for a in book.assignments(number, as_of) if not a.done]
        if waiting:
            result.append(_late(number, deadline, (deadline.date - as_of).days, waiting))
    return sorted(result, key=lambda late: (late.days, late.number))


def _late(number: int, deadline: Deadline, days: int, assignments: list[Assignment]) -> Late:
    units = tuple(a.unit for a in assignments if a.designated)
    unresolved = tuple(a.unit for a in assignments if not a.designated)
    return Late(number, deadline, days, units, unresolved)


def by_unit(items: list[Late]) -> dict[str, list[Late]]:
    """Regroup late tasks under each unit, units with the most first."""
    grouped: dict[str, list[Late]] = {}
    for item in items:
        for unit in (*item.units, *item.unresolved):
            grouped.setdefault(unit, []).append(item)
    return dict(sorted(grouped.items(), key=lambda kv: -len(kv[1])))

"""Two versions of a plan compared: tasks added, removed, renumbered and changed, and what
each unit gains and loses (the 征求意见稿 → 正式稿 review every unit does)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai_cli.model.registry import UnitIndex
from gongkai_cli.model.resolver import ResolveError, parse_roles, resolve
from gongkai_cli.model.values import Plan, Task, as_dict

FIELDS = {
    "section": "大项",
    "subsection": "小项",
    "requirement": "具体要求",
    "responsibility": "责任单位",
    "lead": "牵头单位",
    "implementers": "落实单位",
    "deadline": "时限要求",
    "designated": "指定单位",
}


@dataclass(frozen=True)
class Changed:
    number: int
    old_number: int
    fields: dict[str, tuple[Any, Any]]  # field → (old value, new value)


@dataclass
class PlanDiff:
    old: Plan
    new: Plan
    added: list[Task] = field(default_factory=list)
    removed: list[Task] = field(default_factory=list)
    renumbered: list[tuple[int, int]] = field(default_factory=list)  # (old, new)
    changed: list[Changed] = field(default_factory=list)
    # unit → ("gained" | "lost") → [(task number, role)]; lost tasks carry the old number
    units: dict[str, dict[str, list[tuple[int, str]]]] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.renumbered or self.changed)

    def as_dict(self) -> dict[str, Any]:
        def about(plan: Plan) -> dict[str, Any]:
            return {"title": plan.title, "year": plan.year, "tasks": len(plan.tasks)}

        return {
            "old": about(self.old),
            "new": about(self.new),
            "added": [task_dict(t) for t in self.added],
            "removed": [task_dict(t) for t in self.removed],
            "renumbered": [{"old": a, "new": b} for a, b in self.renumbered],
            "changed": [
                {
                    "number": c.number,
                    "old_number": c.old_number,
                    "fields": {k: {"old": a, "new": b} for k, (a, b) in c.fields.items()},
                }
                for c in self.changed
            ],
            "units": [
                {
                    "unit": unit,
                    **{
                        kind: [{"task": n, "role": role} for n, role in entries]
                        for kind, entries in changes.items()
                    },
                }
                for unit, changes in self.units.items()
            ],
        }


def task_dict(task: Task) -> dict[str, Any]:
    return as_dict(task, exclude_defaults=True)


def _pairs(old: list[Task], new: list[Task]) -> tuple[list[tuple[Task, Task]], list, list]:
    """Match tasks by their requirement text first (a task moved keeps its words), then by
    number (a task reworded keeps its place)."""
    pairs: list[tuple[Task, Task]] = []
    by_text: dict[str, list[Task]] = {}
    for task in new:
        by_text.setdefault(task.requirement, []).append(task)
    rest_old = []
    for task in old:
        same = by_text.get(task.requirement)
        if same:
            pairs.append((task, same.pop(0)))
        else:
            rest_old.append(task)
    taken = {id(b) for _, b in pairs}
    rest_new = {t.number: t for t in new if id(t) not in taken}
    removed = []
    for task in rest_old:
        match = rest_new.pop(task.number, None)
        if match is None:
            removed.append(task)
        else:
            pairs.append((task, match))
    pairs.sort(key=lambda p: p[1].number)
    return pairs, removed, list(rest_new.values())


def obligations(task: Task, index: UnitIndex | None) -> dict[str, str]:
    """Unit → role for a task. A name the registry does not know, or an open group nobody
    designated, stands for itself, so that plans of another county still compare."""
    if index is not None:
        designated = [index.canonical(u) or u for u in task.designated]
        try:
            resolution = resolve(task.phrase, index, designated)
        except ResolveError:
            pass
        else:
            roles = dict.fromkeys(resolution.implementers, "implementer")
            roles |= dict.fromkeys(resolution.lead, "lead")
            open_role = {t.text: t.role for t in resolution.terms if t.kind == "open-group"}
            return roles | {g: open_role.get(g, "implementer") for g in resolution.unresolved}
    lead, implementers = parse_roles(task.phrase)
    return dict.fromkeys(implementers, "implementer") | dict.fromkeys(lead, "lead")


def diff_plans(old: Plan, new: Plan, index: UnitIndex | None = None) -> PlanDiff:
    result = PlanDiff(old, new)
    pairs, result.removed, result.added = _pairs(old.tasks, new.tasks)
    gained: dict[str, list[tuple[int, str]]] = {}
    lost: dict[str, list[tuple[int, str]]] = {}
    for a, b in pairs:
        if a.number != b.number:
            result.renumbered.append((a.number, b.number))
        fields = {
            key: (getattr(a, key), getattr(b, key))
            for key in FIELDS
            if getattr(a, key) != getattr(b, key)
        }
        if fields:
            result.changed.append(Changed(b.number, a.number, fields))
        before, after = obligations(a, index), obligations(b, index)
        for unit, role in after.items():
            if before.get(unit) != role:
                gained.setdefault(unit, []).append((b.number, role))
        for unit, role in before.items():
            if after.get(unit) != role:
                lost.setdefault(unit, []).append((a.number, role))
    for task in result.added:
        for unit, role in obligations(task, index).items():
            gained.setdefault(unit, []).append((task.number, role))
    for task in result.removed:
        for unit, role in obligations(task, index).items():
            lost.setdefault(unit, []).append((task.number, role))
    order = {u: i for i, u in enumerate(index.units)} if index is not None else {}
    names = sorted({*gained, *lost}, key=lambda u: (order.get(u, len(order)), u))
    for unit in names:
        result.units[unit] = {"gained": gained.get(unit, []), "lost": lost.get(unit, [])}
    return result

"""A first units.yaml drafted from a plan: every unit it names, the groups it uses, all marked
for the office to confirm (a plan names the units it needs, never the whole registry)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gongkai_cli.model.resolver import parse_roles
from gongkai_cli.model.values import Plan

_OPEN = re.compile(r"有关|相关")
# The plan's level, told by how it names the units below it.
LEVELS = {"县直": "县", "区直": "区", "市直": "市", "科室": "科室"}
_TOWN_KINDS = {"乡镇": ["镇", "乡"], "镇街": ["镇", "街道"], "乡镇街": ["镇", "乡", "街道"]}


def is_group(item: str) -> bool:
    return "各" in item or bool(_OPEN.search(item))


def guess_kind(name: str, level: str | None) -> str:
    """A unit's kind guessed from the end of its name."""
    if name.endswith(("管委会", "园区")) or "开发区" in name or "产业园" in name:
        return "园区"
    if name.endswith(("街道", "办事处")):
        return "街道"
    if name.endswith(("镇", "乡")):
        return name[-1]
    if name.endswith(("科", "股")):
        return "科室"
    if level == "科室" and name.endswith(("室", "办", "中心", "队", "所", "站")):
        return "科室"  # a department's plan assigns its own sections
    if name.endswith(("局", "委", "办", "室", "中心", "院", "馆", "会", "部", "所", "站", "队")):
        return "部门"
    return "其他"


def group_kinds(name: str) -> list[str]:
    """The kinds a group phrase stands for: 各镇 the towns, 县直各单位 the departments, …"""
    noun = re.sub(r"[（）()、]", "", name.split("各", 1)[-1] if "各" in name else name)
    noun = _OPEN.sub("", noun)
    if noun.startswith("乡镇") and "街道" in noun:
        return _TOWN_KINDS["乡镇街"]
    if "镇" in noun and "街" in noun:
        return _TOWN_KINDS["镇街"]
    if noun in _TOWN_KINDS:
        return _TOWN_KINDS[noun]
    if noun in ("单位", "部门", "单位部门") or noun.endswith(("单位", "部门")):
        return ["部门"]
    return [noun or name]


def closed_name(open_name: str) -> str:
    """The group an open group draws from: 县直有关部门 → 县直各部门, 有关科室 → 各科室,
    市政府各有关部门 → 市政府各部门 (never 各各)."""
    return re.sub(r"各?(?:有关|相关)", "各", open_name, count=1)


def level_of(items: list[str]) -> str | None:
    counts = Counter(level for item in items for key, level in LEVELS.items() if key in item)
    if not counts:
        names = Counter(item[0] for item in items if item[:1] in ("县", "区", "市"))
        return names.most_common(1)[0][0] if names else None
    return counts.most_common(1)[0][0]


def _abbreviates(short: str, long: str) -> bool:
    """县政府办 for 县政府办公室, 县发改委 for 县发展和改革委员会: same start, letters in order."""
    if len(short) < 3 or short[0] != long[0] or len(short) >= len(long):
        return False
    at = 0
    for char in short:
        at = long.find(char, at)
        if at < 0:
            return False
        at += 1
    return long.find(short[-1], len(long) // 2) >= 0


@dataclass
class Draft:
    level: str | None
    units: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (alias, canonical name)


def draft_units(plan: Plan) -> Draft:
    items: list[str] = []
    for task in plan.tasks:
        lead, implementers = parse_roles(task.phrase)
        items += lead + implementers
    level = level_of(items)
    counts = Counter(items)
    names = [n for n in dict.fromkeys(items) if not is_group(n)]
    draft = Draft(level)
    canonical: dict[str, str] = {}
    # The name the plan uses most is the one it will keep using; a full name wins a tie.
    for name in sorted(names, key=lambda n: (-counts[n], -len(n))):
        owner = next(
            (
                c
                for c in dict.fromkeys(canonical.values())
                if guess_kind(c, level) == guess_kind(name, level)
                and (_abbreviates(name, c) or _abbreviates(c, name))
            ),
            None,
        )
        canonical[name] = owner or name
        if owner:
            draft.aliases.append((name, owner))
    source = f"从计划《{plan.title}》的责任单位中起草"
    for name in names:
        if canonical[name] != name:
            continue
        aliases = [a for a, owner in draft.aliases if owner == name]
        unit: dict[str, Any] = {"name": name}
        if aliases:
            unit["aliases"] = aliases
        unit["kind"] = guess_kind(name, level)
        unit["inferred"] = True
        note = f"{source}，类别按名称推断，待确认。"
        if aliases:
            note += f"“{'”“'.join(aliases)}”疑为同一单位的不同写法，已作为别名；若不是同一单位，请分开登记。"
        unit["note"] = note
        draft.units.append(unit)
    groups = [n for n in dict.fromkeys(items) if is_group(n)]
    for name in [g for g in groups if not _OPEN.search(g)] + [
        closed_name(g) for g in groups if _OPEN.search(g)
    ]:
        if any(g["name"] == name for g in draft.groups):
            continue
        draft.groups.append(
            {
                "name": name,
                "description": f"{source}：目前只含计划点名的单位，须补全全部成员。",
                "kinds": group_kinds(name),
                "incomplete": True,
            }
        )
    for name in groups:
        if _OPEN.search(name):
            draft.groups.append(
                {
                    "name": name,
                    "description": "与任务职责相关的单位，须在各任务中用 designated: 逐项指定",
                    "open": True,
                    "within": closed_name(name),
                }
            )
    return draft


def dump_units(draft: Draft, title: str) -> str:
    from gongkai_cli.ledger.yamlio import dump

    head = (
        f"# 单位名录：由 gongkai init 从计划《{title}》起草，须由本办逐项确认。\n"
        "# inferred: true 的单位是从计划的责任单位中读出的，类别按名称推断；\n"
        "# incomplete: true 的集合只含计划点名的单位：补全全部成员（按 kinds 类别或 members 名单）后删去该行。\n"
        "# 运行 gongkai validate 查看还有哪些须确认。\n"
    )
    data: dict[str, Any] = {}
    if draft.level:
        data["level"] = draft.level
    data |= {"groups": draft.groups, "units": draft.units}
    return head + dump(data)

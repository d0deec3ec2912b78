"""Responsibility phrase → lead units, implementing units and unresolved open groups.

The grammar of the plans: `A、B牵头，C、D负责落实`; `A负责落实`; `A，B负责落实` (joint,
no lead); items separated by 、 or ，; groups such as 各镇 expand to their members;
open groups such as 县政府有关部门 expand only through the task's designation;
`X、Y等部门` names X and Y. What a clause says its units do (负责, 具体负责, 按职责分工
负责, 配合, 协助…) makes them implementers, as 负责落实 does: only 牵头 makes a lead.
Spaces and half-width punctuation do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gongkai_cli.errors import GongkaiError
from gongkai_cli.model.registry import UnitIndex
from gongkai_cli.model.statuses import LEAD as _LEAD
from gongkai_cli.model.values import IMPLEMENT_WORDS, Resolution, Term

_OPEN_LIST = re.compile(r"等(?:部门|单位)?$")
# 及 joins a named unit to a group (州委编办及州直相关单位, 市级各有关部门及各县市区政府);
# 等 before 有关/相关 closes a list and opens a set (区发改委等相关区直部门): A, and the set.
_SEPARATORS = re.compile(
    r"[、，,；;]+|及(?=各|有关|相关|其他|[省市州县区镇乡]直|[省市州县区]级)|等(?=有关|相关)"
)
_ROLE_WORDS = re.compile(IMPLEMENT_WORDS + "$")  # 各镇具体负责 → 各镇


class ResolveError(GongkaiError):
    """A phrase names something the registry does not know."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset  # where the term starts in the phrase as written


def _normalise(phrase: str) -> str:
    return "".join(phrase.split())


_BARE = ("单位", "部门", "科室")


def _split(text: str) -> list[str]:
    items: list[str] = []
    for item in _SEPARATORS.split(text):
        item = _OPEN_LIST.sub("", _ROLE_WORDS.sub("", item))
        if item in _BARE and items and items[-1].endswith(_BARE):
            # 市直有关部门、单位: the bare noun shares the item before's qualifier (市直有关单位)
            item = items[-1][:-2] + item
        if item:
            items.append(item)
    return items


def parse_roles(phrase: str) -> tuple[list[str], list[str]]:
    """Split a phrase into its lead items and its implementer items (names, not yet resolved)."""
    text = _normalise(phrase)
    lead_text, implement_text = "", text
    if _LEAD in text:
        lead_text, implement_text = text.split(_LEAD, 1)
    return _split(lead_text), _split(implement_text)


def resolve(phrase: str, index: UnitIndex, designated: Sequence[str] = ()) -> Resolution:
    """Expand a responsibility phrase. `designated` names the units that the phrase's
    open groups (有关部门) stand for in this task; it must already be canonical names."""
    lead_items, implement_items = parse_roles(phrase)
    if not lead_items and not implement_items:
        raise ResolveError(f"责任单位“{phrase}”中没有任何单位。", 0)

    terms: list[Term] = []
    open_terms: list[tuple[str, str]] = []  # (role, group name)
    for role, items in (("lead", lead_items), ("implementer", implement_items)):
        for item in items:
            found = index.lookup(item)
            if found is None:
                hint = index.suggest(item)
                message = f"责任单位中的“{item}”不在单位名录中"
                message += (
                    f"，是否是指“{hint}”？" if hint else "；请在 units.yaml 中登记该单位或别名。"
                )
                raise ResolveError(message, max(phrase.find(item), 0))
            if found.kind == "unit":
                terms.append(Term(item, role, "unit", (found.name,)))
            elif found.kind == "group":
                members = index.members(found.name)
                terms.append(Term(item, role, "group", members))
                if not members:  # a drafted group not yet filled in answers for nobody
                    open_terms.append((role, found.name))
            else:
                open_terms.append((role, found.name))

    assigned = {u for t in terms for u in t.units}
    unresolved: list[str] = []
    for role, group in open_terms:
        pool = set(index.members(group))
        if designated and index.lookup(group).kind == "open-group":  # type: ignore[union-attr]
            terms.append(Term(group, role, "designated", tuple(designated)))
        elif not pool or not pool <= assigned:
            # "The units concerned" cannot be guessed; it is never "all of them".
            # It is settled only where the phrase already assigns the whole pool, and
            # never by a group with no units listed yet: it answers for nobody.
            terms.append(Term(group, role, "open-group", ()))
            unresolved.append(group)

    lead = _unique(u for t in terms if t.role == "lead" for u in t.units)
    lead_set = set(lead)
    implementers = _unique(
        u for t in terms if t.role == "implementer" for u in t.units if u not in lead_set
    )
    return Resolution(tuple(lead), tuple(implementers), tuple(unresolved), tuple(terms))


def _unique(names) -> list[str]:
    return list(dict.fromkeys(names))

"""Role phrases of a plan as fields: `牵头单位：A；责任单位：B，6月底完成` (labelled) or
`A牵头，B按职责分工负责` (one phrase), for prose plans and for table cells that label
their roles alike."""

from __future__ import annotations

import re

LABELS = {
    "牵头单位": "lead",
    "牵头部门": "lead",
    "牵头科室": "lead",
    "责任单位": "units",
    "责任部门": "units",
    "责任科室": "units",
    "落实单位": "units",
    "配合单位": "partners",
    "配合部门": "partners",
    "协办单位": "partners",
    "完成时限": "deadline",
    "完成时间": "deadline",
    "时限要求": "deadline",
    "时间节点": "deadline",
    "责任领导": "person",
    "牵头领导": "person",
    "责任人": "person",
}
LABEL = re.compile(f"({'|'.join(LABELS)})\\s*[:：]")
ROLE_WORDS = re.compile(r"牵头|负责|落实|配合|责任单位|按职责")
TRIM = "；;，,。 "
_DEADLINE_TAIL = re.compile(
    r"(?:(?:19|20|21)\d\d年)?[^，,；;]{0,10}(?:前|底|完成|持续推进|长期坚持)$"
    r"|^根据[^，,；;]{0,8}安排$|^按[^，,；;]{0,8}要求$|^长期$|^全年$"
)


def role_fields(phrase: str, notes: list[str]) -> dict[str, str]:
    """A role phrase (`牵头单位：A；责任单位：B，6月底完成`, or `A牵头，B按职责分工负责`) as fields."""
    if "。" in phrase:  # 以下任务均需…落实，不再一一列出: a note on the plan, not this task's roles
        phrase, note = phrase.split("。", 1)
        if note.strip(TRIM):
            notes.append(note.strip(TRIM))
    labels = list(LABEL.finditer(phrase))
    roles: dict[str, str] = {}
    if not labels:
        roles["phrase"] = phrase.strip(TRIM)
    for label, after in zip(labels, [*labels[1:], None], strict=False):
        value = phrase[label.end() : after.start() if after else len(phrase)].strip(TRIM)
        key = LABELS[label.group(1)]
        roles[key] = f"{roles[key]}，{value}" if key in roles else value
    last = "units" if "units" in roles else "phrase" if "phrase" in roles else None
    if last and "deadline" not in roles:  # （…，6月底完成）: the deadline ends the roles
        pieces = re.split(r"[，,]", roles[last])
        if (
            len(pieces) > 1
            and _DEADLINE_TAIL.search(pieces[-1])
            and not ROLE_WORDS.search(pieces[-1])
        ):
            roles["deadline"] = pieces[-1].strip(TRIM)
            roles[last] = roles[last][: -len(pieces[-1])].strip(TRIM)
    return roles


def labelled_roles(cell: str) -> dict[str, str]:
    """A table cell that labels its roles (牵头单位：A；配合单位：B) as lead, implementers
    and, if it gives one, the deadline."""
    fields = role_fields(cell, [])
    found = {"lead": fields.get("lead", "")}
    found["implementers"] = "，".join(v for k in ("units", "partners") if (v := fields.get(k)))
    if "deadline" in fields:
        found["deadline"] = fields["deadline"]
    return {k: v for k, v in found.items() if v}

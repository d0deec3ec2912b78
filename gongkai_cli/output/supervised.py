"""What a report adds where the ledger runs the supervision cycle: each unit's 存在问题,
下步措施 and 佐证材料, the deadlines extensions moved (原时限 and 延期至), and the claims
waiting for review or returned. A ledger that does not use it gets none of this, so its
reports read exactly as before."""

from __future__ import annotations

from gongkai_cli.model.book import Row
from gongkai_cli.model.dates import chinese_date
from gongkai_cli.model.statuses import PENDING, RETURNED, units_phrase
from gongkai_cli.model.supervision import FILE_REF
from gongkai_cli.output.view import Column

DETAIL_COLUMNS = [
    Column("存在问题", long=True),
    Column("下步措施", long=True),
    Column("佐证材料", long=True),
]
# The deadline cell may name an extension: it wraps, unlike the plan's short phrases.
DEADLINE_COLUMN = Column("时限要求")


def _by_unit(row: Row, texts) -> str:
    """“县财政局：…；濉溪镇：…”, lead units first; units that wrote the same share it."""
    same: dict[str, list[str]] = {}
    for a in sorted(row.assignments, key=lambda a: a.role != "lead"):
        text = texts(a)
        if text and text.strip():
            same.setdefault(text.strip(), []).append(a.unit)
    if len(same) == 1 and len(row.assignments) == 1:
        return next(iter(same))
    return "；".join(f"{'、'.join(units)}：{text}" for text, units in same.items())


def detail_cells(row: Row) -> list[str]:
    """The 存在问题, 下步措施 and 佐证材料 cells of a task's row."""
    return [
        _by_unit(row, lambda a: a.detail.problems),
        _by_unit(row, lambda a: a.detail.next),
        _by_unit(row, lambda a: "、".join(map(evidence_label, a.detail.evidence))),
    ]


def evidence_label(item: str) -> str:
    """A link as it is; a kept file by the start of its hash (the whole name is in the
    ledger): 附件30a4ab97.pdf."""
    found = FILE_REF.fullmatch(item)
    return f"附件{found.group(1)[:8]}{found.group(2)}" if found else item


def deadline_cell(row: Row) -> str:
    """The deadline as printed (原时限), and any date an approved extension moved it to."""
    moved: dict[str, list[str]] = {}
    for a in row.assignments:
        if a.extended_to is not None:
            moved.setdefault(chinese_date(a.extended_to), []).append(a.unit)
    if not moved:
        return row.task.deadline
    later = "；".join(f"{units_phrase(units, shown=3)}延期至{day}" for day, units in moved.items())
    return f"{row.task.deadline}（{later}）"


def review_parts(row: Row) -> list[str]:
    """The claims of a task still waiting for review, and those returned with the reason."""
    parts = []
    waiting = [a.unit for a in row.assignments if a.review == PENDING]
    if waiting:
        parts.append(f"待审核：{units_phrase(waiting, shown=6)}")
    for a in row.assignments:
        if a.review == RETURNED:
            parts.append(f"已退回：{a.unit}" + (f"（{a.review_note}）" if a.review_note else ""))
    return parts


def detail_json(row: Row) -> dict[str, object]:
    """The same, per unit, for the JSON form of the progress report."""
    return {
        "extensions": {a.unit: a.extended_to.isoformat() for a in row.assignments if a.extended_to},
        "review": {a.unit: a.review for a in row.assignments if a.review},
        "problems": {a.unit: a.detail.problems for a in row.assignments if a.detail.problems},
        "next": {a.unit: a.detail.next for a in row.assignments if a.detail.next},
        "evidence": {a.unit: list(a.detail.evidence) for a in row.assignments if a.detail.evidence},
    }

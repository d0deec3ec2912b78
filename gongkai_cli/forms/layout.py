"""What a form looks like, shared by the writer and the reader: sheets, cells, identity keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

FORM_SHEET = "填报"
ID_SHEET = "标识"
KIND = "gongkai-进展填报表-1"
TITLE_SUFFIX = "进展填报表"

# The task table: read-only columns, then the three the unit fills in.
COLUMNS = (
    "编号",
    "具体要求",
    "角色",
    "时限",
    "当前状态",
    "上次说明",
    "状态",
    "进展说明",
    "完成日期",
)
WIDTHS = (8, 46, 7, 11, 13, 28, 11, 36, 13)
# Where the ledger runs the supervision cycle, four more columns to fill in: what the
# published 进展情况 carries beside the note, the evidence link, and a deadline to ask for.
PROBLEMS, NEXT, LINKS, EXTEND_TO = "存在问题", "下步措施", "佐证链接", "申请延期至"
SUPERVISION_COLUMNS = (PROBLEMS, NEXT, LINKS, EXTEND_TO)
SUPERVISION_WIDTHS = (24, 24, 30, 13)
FILL_IN = ("状态", "进展说明", "完成日期", *SUPERVISION_COLUMNS)
# Read-only columns a unit may still type into (protection is easily lifted, and WPS
# ignores it), each with the fill-in column where that text belongs.
READ_ONLY_FOR = {"当前状态": "状态", "上次说明": "进展说明"}
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1

# Labels at the top of the form, each followed by its value in the next cell to the right.
UNIT, AS_OF, DUE, REPORTER, PHONE = "填报单位", "截至日期", "填报截止", "填报人", "联系电话"
LABEL_CELLS = {UNIT: "A2", AS_OF: "D2", DUE: "G2", REPORTER: "A3", PHONE: "D3"}

# Identity: (hidden-sheet label, custom property name) per field.
IDENTITY_KEYS = {
    "kind": ("表格", "gongkai-form"),
    "plan": ("计划", "gongkai-plan"),
    "year": ("年份", "gongkai-year"),
    "unit": ("单位", "gongkai-unit"),
    "as_of": ("截至日期", "gongkai-as-of"),
    "due": ("填报截止", "gongkai-due"),
    "digest": ("任务摘要", "gongkai-digest"),
}


@dataclass(frozen=True, slots=True)
class Identity:
    """Whose form this is; read from a returned form, written into a new one."""

    plan: str
    year: int | None  # None when only the visible title was left to read
    unit: str
    as_of: dt.date
    due: dt.date | None = None
    digest: str | None = None

    def fields(self) -> dict[str, str]:
        return {
            "kind": KIND,
            "plan": self.plan,
            "year": "" if self.year is None else str(self.year),
            "unit": self.unit,
            "as_of": self.as_of.isoformat(),
            "due": self.due.isoformat() if self.due else "",
            "digest": self.digest or "",
        }


def title(plan: str) -> str:
    return f"{plan}{TITLE_SUFFIX}"


def digest(rows: Iterable[tuple[int, str, str, str]]) -> str:
    """A short digest of a unit's task rows (number, requirement, role, deadline): it changes
    when the plan or the unit's share of it changes after the form went out."""
    text = json.dumps(list(rows), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_name(unit: str, as_of: dt.date) -> str:
    from gongkai_cli.record.atomic import safe_filename

    return f"{safe_filename(unit)}-进展填报-{as_of.isoformat()}.xlsx"


def columns(supervised: bool) -> tuple[str, ...]:
    return COLUMNS + SUPERVISION_COLUMNS if supervised else COLUMNS


def widths(supervised: bool) -> tuple[int, ...]:
    return WIDTHS + SUPERVISION_WIDTHS if supervised else WIDTHS


def last_note(updated: dt.date | None, note: str | None) -> str:
    """The 上次说明 cell: the unit's latest note with its date, as the form shows it."""
    return f"{updated.isoformat()}：{note}" if updated and note else ""

"""A table as every reader hands it over: a full grid of cell texts, merged cells expanded."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from gongkai_cli.errors import PlanDocumentError

MAX_BYTES = 20 * 1024 * 1024  # a plan is a few hundred KB; a larger file is not a plan
MAX_UNPACKED = 200 * 1024 * 1024  # what a .docx/.xlsx may unpack to (a zip bomb is not)
MAX_ROWS = 5_000  # table rows in one document, all tables together
MAX_COLUMNS = 50


@dataclass
class Grid:
    """One table. `rows[r][c]` is the text of grid cell (r, c); a merged cell's text stands
    in every cell it covers. `above` holds the texts just above the table, nearest first."""

    where: str  # how the user finds this table: “第2个表格”, “工作表“计划””
    rows: list[list[str]]
    above: list[str] = field(default_factory=list)
    cell_ref: Callable[[int, int], str] | None = None

    def ref(self, row: int, column: int) -> str:
        """A user's name for a cell: the sheet's A1 name, else the table's row number."""
        if self.cell_ref is not None:
            return self.cell_ref(row, column)
        return f"{self.where}第{row + 1}行"


# A line that is one unit's name: 县水务局, 各街道, 市国有公司, 高新园(邹区镇).
_UNIT_LINE = re.compile(
    r"^[^\s，,。；;：:、（(）)]{1,16}"
    r"(?:局|委|办|中心|室|院|馆|会|部|所|站|队|科|股|镇|乡|街道|办事处|政府|指挥部|公司|厅|处|联|社"
    r"|区|县|市|园)(?:[（(][^（()）]{1,10}[）)])?$"
)


def cell_text(text: str | None) -> str:
    """A cell's text as the plan keeps it: trimmed, its line breaks joined, nothing else, but
    a cell that lists one unit a line (县水务局⏎县住建局) keeps the names apart by 、. Only
    when every line is a unit's name: a requirement wrapped in a PDF cell is never cut up."""
    if not text:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    units = len(lines) > 1 and all(_UNIT_LINE.match(line) for line in lines)
    return ("、" if units else "").join(lines)


def square(rows: list[list[str]]) -> list[list[str]]:
    """Pad rows to one width so that every column exists in every row."""
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


class RowCounter:
    """Counts rows across a document's tables and stops a reader past MAX_ROWS."""

    def __init__(self, filename: str):
        self.filename = filename
        self.count = 0

    def add(self, n: int = 1) -> None:
        self.count += n
        if self.count > MAX_ROWS:
            raise PlanDocumentError(
                f"{self.filename}：表格超过 {MAX_ROWS} 行，不像一份工作计划；请只导入计划表格本身。"
            )

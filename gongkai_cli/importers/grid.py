"""A table as every reader hands it over: a full grid of cell texts, merged cells expanded."""

from __future__ import annotations

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


def cell_text(text: str | None) -> str:
    """A cell's text as the plan keeps it: trimmed, its line breaks joined, nothing else."""
    if not text:
        return ""
    return "".join(line.strip() for line in text.splitlines()).strip()


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

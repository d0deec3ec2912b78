"""Excel (.xlsx) plans: each sheet a table, read-only and data-only, merged ranges expanded."""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from gongkai_cli.errors import PlanDocumentError
from gongkai_cli.importers.grid import MAX_COLUMNS, MAX_ROWS, Grid, RowCounter, cell_text, square

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def read_xlsx(path: Path, filename: str) -> list[Grid]:
    """Every sheet as a grid. Values are what Excel last computed; macros never run."""
    from openpyxl import load_workbook  # only when an Excel file is imported
    from openpyxl.utils import get_column_letter

    try:
        book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
        merges = _merged_ranges(path)
    except Exception:  # openpyxl raises many kinds for a damaged package; all mean the same
        raise PlanDocumentError(
            f"{filename}：无法作为 Excel 工作簿读取，文件可能已损坏。"
        ) from None
    counter = RowCounter(filename)
    grids = []
    try:
        for sheet in book.worksheets:
            rows = []
            for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                counter.add()
                rows.append([_text(v) for v in values])
            rows = square(_trimmed(rows))
            spread = 0
            for top, left, bottom, right in merges.get(sheet.title, ()):
                spread += _spread(rows, top, left, bottom, right)
                if spread > MAX_ROWS * MAX_COLUMNS:  # overlapping sheet-wide merges: not a plan
                    raise PlanDocumentError(
                        f"{filename}：工作表“{sheet.title}”的合并单元格过多，不像一份工作计划。"
                    )

            def ref(r: int, c: int, title: str = sheet.title) -> str:
                return f"工作表“{title}”{get_column_letter(c + 1)}{r + 1}"

            grids.append(Grid(f"工作表“{sheet.title}”", rows, cell_ref=ref))
    finally:
        book.close()
    return grids


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 序号 stored as Excel numbers
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"  # a deadline typed as a date
    return cell_text(str(value))


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Drop the empty rows a sheet's used range often trails."""
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _spread(rows: list[list[str]], top: int, left: int, bottom: int, right: int) -> int:
    """Give every cell of a merged range the text of its top-left cell (0-based, inclusive);
    return how many cells that filled."""
    if top >= len(rows) or not rows[top] or left >= len(rows[top]):
        return 0
    text = rows[top][left]
    bottom, right = min(bottom, len(rows) - 1), min(right, len(rows[top]) - 1)
    for r in range(top, bottom + 1):
        rows[r][left : right + 1] = [text] * (right + 1 - left)
    return (bottom + 1 - top) * (right + 1 - left)


def _merged_ranges(path: Path) -> dict[str, list[tuple[int, int, int, int]]]:
    """Merged ranges per sheet title, from the sheets' XML: read-only openpyxl does not keep
    them, and loading the whole workbook in normal mode to learn them would hold every cell."""
    from openpyxl.utils.cell import range_boundaries

    merged: dict[str, list[tuple[int, int, int, int]]] = {}
    with zipfile.ZipFile(path) as package:
        book = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
        for sheet in book.iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_REL}id"), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            if part not in package.namelist():
                continue
            ranges = merged.setdefault(sheet.get("name", ""), [])
            with package.open(part) as xml:
                for _, element in ElementTree.iterparse(xml):
                    if element.tag == f"{_MAIN}mergeCell" and len(ranges) < MAX_ROWS:
                        left, top, right, bottom = range_boundaries(element.get("ref", ""))
                        ranges.append((top - 1, left - 1, bottom - 1, right - 1))
                    elif element.tag == f"{_MAIN}row":
                        element.clear()  # keep memory flat over a large sheet
    return merged

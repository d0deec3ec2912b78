"""PDF plans, as offices export them from Word: the tables of every page, or the text.

pdfplumber (over pdfminer.six) is used rather than pypdf: pypdf gives a page's text only,
while a plan is a table, and pdfplumber finds a table's ruling lines and cells, keeps a
cell's wrapped lines together and tells merged cells (None) from empty ones. It is imported
only when a PDF is read.
"""

from __future__ import annotations

import re
from pathlib import Path

from gongkai_cli.errors import PlanDocumentError
from gongkai_cli.importers.grid import MAX_COLUMNS, Grid, RowCounter, cell_text, square

# A PDF places CJK text glyph by glyph; the gaps it leaves around a full-width mark or a
# number (县 2021 年) are layout, not spaces of the text.
_LAYOUT_SPACE = re.compile(
    r"(?<=[\u4e00-\u9fff]) +(?=[0-9A-Za-z])|(?<=[0-9A-Za-z]) +(?=[\u4e00-\u9fff])"
)
MAX_PAGES = 300


def unspaced(text: str) -> str:
    return _LAYOUT_SPACE.sub("", text)


def read_pdf(path: Path, filename: str) -> tuple[list[Grid], list[str]]:
    """The plan tables of the document, a table that runs over pages joined into one;
    and the text lines outside tables, for a title or a plan written as prose."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - a dependency of the package
        raise PlanDocumentError(f"{filename}：读取 PDF 需要 pdfplumber；请安装后再导入。") from None
    counter = RowCounter(filename)
    grids: list[Grid] = []
    lines: list[str] = []
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise PlanDocumentError(f"{filename}：超过 {MAX_PAGES} 页，不像一份工作计划。")
            for page in pdf.pages:
                tables = page.find_tables()
                text_page = page
                for table in tables:
                    text_page = text_page.outside_bbox(_inside(table.bbox))
                lines += _lines(text_page)
                top = 0.0
                for i, table in enumerate(tables):
                    rows = _rows(table.extract(), counter)
                    # the text between the table before (or the page's top) and this one
                    above = _lines(page.within_bbox((0, top, page.width, max(top, table.bbox[1]))))
                    top = _inside(table.bbox)[3]
                    if i == 0 and grids and not _heading(above) and _continues(grids[-1], rows):
                        _append(grids[-1], rows)  # the table runs on from the page before
                    else:
                        grids.append(Grid(f"第{len(grids) + 1}个表格", rows, above=above[::-1][:5]))
    except PlanDocumentError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for a damaged file; all mean the same
        # pdfplumber wraps pdfminer's errors; the password one is in its arguments
        if isinstance(exc, PDFPasswordIncorrect) or any(
            isinstance(a, PDFPasswordIncorrect) for a in exc.args
        ):
            raise PlanDocumentError(f"{filename}：PDF 设有密码，请取消密码后再导入。") from None
        raise PlanDocumentError(f"{filename}：无法作为 PDF 读取，文件可能已损坏。") from None
    if not grids and not lines:
        raise PlanDocumentError(
            f"{filename}：PDF 中没有文字，像是扫描件；请使用计划的 Word、Excel 或网页版本。"
        )
    return grids, lines


# A line set right under a table touches its border: the table's box, shrunk by this much,
# leaves that line outside it.
_BORDER = 3.0


def _inside(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = bbox
    return (x0, top + _BORDER, x1, max(top + _BORDER, bottom - _BORDER))


def _lines(area) -> list[str]:
    return [t for line in (area.extract_text() or "").splitlines() if (t := unspaced(line).strip())]


def _heading(lines: list[str]) -> bool:
    """Whether the text above a page's first table is more than a running header or a page
    number: then the table is a new one, not the rest of the one before."""
    return any(len(line) > 8 and not line.isdigit() for line in lines)


def _rows(table: list[list[str | None]], counter: RowCounter) -> list[list[str]]:
    """Cells as text: a None stands in a merged cell, its text that of the cell it is part of —
    the cell to its left when the row is one text across, else the cell above."""
    rows: list[list[str]] = []
    for raw in table:
        counter.add()
        raw = raw[:MAX_COLUMNS]
        across = raw[0] is not None and all(c is None for c in raw[1:])
        row: list[str] = []
        for c, cell in enumerate(raw):
            if cell is not None:
                row.append(cell_text(unspaced(cell)))
            elif across:
                row.append(row[0])
            else:
                above = rows[-1] if rows else []
                row.append(above[c] if c < len(above) else "")
        rows.append(row)
    return square(rows)


def _continues(grid: Grid, rows: list[list[str]]) -> bool:
    """A table on a following page with the same columns continues the one before."""
    return bool(rows) and bool(grid.rows) and len(rows[0]) == len(grid.rows[0])


def _append(grid: Grid, rows: list[list[str]]) -> None:
    """Join a page's rows to the table. A first row that leaves empty a column in which every
    task row has a text of its own (the number, the requirement) is the rest of the last row,
    cut by the page break."""
    first = rows[0]
    tasks = [r for r in grid.rows if any(c.isdigit() for c in r)]  # the numbered rows
    always = [
        c
        for c in range(len(first))
        if tasks and all(r[c] for r in tasks) and len({r[c] for r in tasks}) * 5 >= len(tasks) * 4
    ]
    if len(set(first)) > 1 and any(not first[c] for c in always):
        last = grid.rows[-1]
        grid.rows[-1] = [a + b for a, b in zip(last, first, strict=True)]
        rows = rows[1:]
    grid.rows.extend(rows)

"""Word (.docx) plans: the tables of the body, vertical merges and grid spans expanded."""

from __future__ import annotations

from pathlib import Path

from gongkai_cli.errors import PlanDocumentError
from gongkai_cli.importers.grid import MAX_COLUMNS, Grid, RowCounter, cell_text, square


def read_docx(path: Path, filename: str) -> tuple[list[Grid], list[str]]:
    """Every top-level table, each with the paragraphs just above it; and the body's
    paragraphs, for a plan written as prose."""
    import docx  # python-docx: only when a Word file is imported
    from docx.oxml.table import CT_Tbl
    from docx.oxml.text.paragraph import CT_P
    from docx.text.paragraph import Paragraph

    try:
        body = docx.Document(str(path)).element.body
    except Exception:  # python-docx raises many kinds for a damaged package; all mean the same
        raise PlanDocumentError(f"{filename}：无法作为 Word 文档读取，文件可能已损坏。") from None

    def text_of(p) -> str:
        return cell_text(Paragraph(p, None).text)

    counter = RowCounter(filename)
    grids: list[Grid] = []
    recent: list[str] = []
    paragraphs: list[str] = []
    for element in body.iterchildren():
        if isinstance(element, CT_P):
            if text := text_of(element):
                recent.append(text)
                paragraphs.append(text)
        elif isinstance(element, CT_Tbl):
            # A plan laid out inside another table comes after it, with the same text above.
            for table in (element, *element.xpath(".//w:tc/w:tbl")):
                rows = _rows(table, text_of, counter)
                grids.append(Grid(f"第{len(grids) + 1}个表格", rows, above=recent[::-1][:5]))
            recent = []
    return grids, paragraphs


def _rows(table, text_of, counter: RowCounter) -> list[list[str]]:
    rows: list[list[str]] = []
    for tr in table.tr_lst:
        counter.add()
        row: list[str] = [""] * tr.grid_before
        for tc in tr.tc_lst:
            column = len(row)
            if tc.vMerge == "continue":  # the cell above stands for this one too
                above = rows[-1] if rows else []
                text = above[column] if column < len(above) else ""
            else:
                text = "\n".join(filter(None, (text_of(p) for p in tc.p_lst)))
            row.extend([cell_text(text)] * min(tc.grid_span, MAX_COLUMNS))
            if len(row) > MAX_COLUMNS:
                break
        rows.append(row[:MAX_COLUMNS])
    return square(rows)

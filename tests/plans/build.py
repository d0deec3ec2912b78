"""Lay out a corpus plan as its office published it: a web page, a Word or Excel file, a PDF,
an old .doc/.xls, or text. Only the layout is made here; every word is the published one."""

from __future__ import annotations

import html
from itertools import groupby
from pathlib import Path

from tests.plan_documents import soffice_convert
from tests.plans.corpus import Plan


def build(plan: Plan, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{plan.key}.{plan.fmt.split('-')[0]}"
    if plan.fmt in ("html", "html-gbk"):
        encoding = "gbk" if plan.fmt == "html-gbk" else "utf-8"
        path.write_bytes(_page(plan, encoding).encode(encoding))
    elif plan.fmt == "txt":
        path.write_text("\n".join(plan.lines) + "\n", encoding="utf-8")
    elif plan.fmt == "xlsx":
        _xlsx(plan, path)
    elif plan.fmt == "xls":
        source = _xlsx(plan, out_dir / "src" / f"{plan.key}.xlsx")
        return soffice_convert(source, "xls", out_dir)
    else:  # docx, and the PDF and .doc an office exports from Word
        source = path if plan.fmt == "docx" else out_dir / "src" / f"{plan.key}.docx"
        _docx(plan, source)
        if plan.fmt == "pdf":
            return soffice_convert(source, "pdf", out_dir)
        if plan.fmt == "doc":
            odt = soffice_convert(source, "odt", source.parent)
            return soffice_convert(odt, "doc:MS Word 97", out_dir)
    return path


def _merged_runs(rows: list[list[str]], column: int) -> list[tuple[int, int]]:
    """(first row, row count) of each run of equal cells in a column: the cells an office merges."""
    runs, at = [], 0
    for _, run in groupby(rows, key=lambda r: r[column]):
        n = len(list(run))
        runs.append((at, n))
        at += n
    return runs


def _page(plan: Plan, encoding: str) -> str:
    charset = "gb2312" if encoding == "gbk" else "utf-8"
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    body = "".join(f"<p>{html.escape(line)}</p>" for line in plan.lines)
    if plan.records:  # a page per task: each field's name, then its text
        pairs = (pair for row in plan.rows for pair in zip(plan.header, row, strict=True))
        cells = (f"<tr><td>{name}</td><td>{html.escape(text)}</td></tr>" for name, text in pairs)
        body += f"<table border='1'>{''.join(cells)}</table>"
    elif plan.rows:
        # the header as such pages have it: one cell per label, the 序号 column unheaded
        table = "<tr>" + "".join(f"<td>{html.escape(h)}</td>" for h in plan.header) + "</tr>"
        spans = dict(_merged_runs(plan.rows, 0))
        for i, row in enumerate(plan.rows):
            cells = []
            for c, text in enumerate(row):
                if c == 0 and i not in spans:
                    continue
                span = f' rowspan="{spans[i]}"' if c == 0 and spans[i] > 1 else ""
                lines = "<br>".join(html.escape(line) for line in text.split("\n"))
                cells.append(f"<td{span}>{lines}</td>")  # a unit a line, as pages break them
            table += "<tr>" + "".join(cells) + "</tr>"
        body += f"<table border='1'>{table}</table>"
    return f"<html><head>{head}<title>政务公开</title></head><body>{body}</body></html>"


def _docx(plan: Plan, path: Path) -> Path:
    import docx

    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    for line in plan.lines:
        document.add_paragraph(line)
    if plan.rows:
        width = len(plan.rows[0])
        table = document.add_table(rows=1, cols=width)
        table.style = "Table Grid"
        header = table.rows[0].cells
        if len(plan.header) < width:  # 工作任务 merged across the unheaded columns
            header[0].merge(header[width - len(plan.header)])
        for cell, text in zip(header[width - len(plan.header) :], plan.header, strict=True):
            cell.text = text
        header[0].text = plan.header[0]
        for row in plan.rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
        for first, n in _merged_runs(plan.rows, 0):
            if n > 1:
                top = table.rows[first + 1].cells[0]
                top.merge(table.rows[first + n].cells[0]).text = plan.rows[first][0]
    document.save(path)
    return path


def _xlsx(plan: Plan, path: Path) -> Path:
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    width = len(plan.rows[0])
    for line in plan.lines:
        sheet.append([line])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
    lead = width - len(plan.header)
    sheet.append([plan.header[0]] * (lead + 1) + plan.header[1:])
    if lead:  # 工作任务 over the section, subsection and number columns
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=lead + 1
        )
    top = sheet.max_row + 1
    for row in plan.rows:
        sheet.append([int(t) if t.isdigit() else t for t in row])
    for column in range(min(2, width - 1)):
        for first, n in _merged_runs(plan.rows, column):
            if n > 1 and column < lead + 1:
                sheet.merge_cells(
                    start_row=top + first,
                    start_column=column + 1,
                    end_row=top + first + n - 1,
                    end_column=column + 1,
                )
    book.save(path)
    return path

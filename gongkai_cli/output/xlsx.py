"""Reports as an Excel 台账: one sheet per table, set up for printing on A4.

The file is byte-for-byte reproducible: openpyxl stamps the document properties and
every zip entry with the current time, so both are pinned (see pin_times).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from gongkai_cli.output.document import flat_rows
from gongkai_cli.output.text import plain

LONG_WIDTH = 48  # characters of Chinese text in a wrapped column
MAX_WIDTH = 24


def display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def to_xlsx(doc) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    stamp = dt.datetime.combine(doc.as_of, dt.time())
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = "gongkai"
    workbook.properties.title = doc.title

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheets: dict[str, object] = {}
    widths: dict[str, list[int]] = {}  # per sheet: the widest text seen in each column
    for table in doc.tables():
        name = (table.name or "台账")[:31]
        sheet = sheets.get(name)
        if sheet is None:
            sheet = sheets[name] = workbook.create_sheet(name)
            sheet.append([c.header for c in table.columns])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="DDEBF7")
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                cell.border = border
            sheet.freeze_panes = "A2"
            sheet.print_title_rows = "1:1"
            sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
            sheet.page_setup.orientation = "landscape"
            sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            sheet.oddHeader.center.text = doc.title.replace("&", "&&")
            sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
            sheet.print_options.horizontalCentered = True
            widths[name] = [display_width(c.header) for c in table.columns]
        for values in flat_rows(table):
            sheet.append([None] * len(values))
            for column_index, value in enumerate(values, start=1):
                cell = sheet.cell(row=sheet.max_row, column=column_index)
                if value:
                    cell.value = plain(value)
                    cell.data_type = "s"  # text is text: never a formula, whatever it starts with
                cell.alignment = wrap
                cell.border = border
                widest = max((display_width(line) for line in plain(value).split("\n")), default=0)
                widths[name][column_index - 1] = max(widths[name][column_index - 1], widest)
    for table in doc.tables():
        name = (table.name or "台账")[:31]
        for i, column in enumerate(table.columns, start=1):
            width = LONG_WIDTH if column.long else min(widths[name][i - 1] + 2, MAX_WIDTH)
            sheets[name].column_dimensions[get_column_letter(i)].width = width
    if not sheets:
        workbook.create_sheet("台账").append([doc.title])

    raw = io.BytesIO()
    workbook.save(raw)
    return pin_times(raw.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def pin_times(data: bytes, stamp: str) -> bytes:
    """Re-zip with every entry dated 1980-01-01 and the 'modified' property set to the
    report's date: openpyxl writes the wall clock into both when it saves."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            pinned = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            target.writestr(pinned, content)
    return out.getvalue()

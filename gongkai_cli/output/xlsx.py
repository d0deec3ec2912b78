"""Reports as an Excel 台账: a title and an as-of row over each table, the header frozen
and printed on every page, numbers stored as numbers, the 工作任务 column merged over its
tasks, CJK fonts, and native bar charts. Set up for printing on A4."""

from __future__ import annotations

import io

from gongkai_cli.model.dates import chinese_date
from gongkai_cli.model.statuses import DONE_STATUSES, OVERDUE
from gongkai_cli.output.package import reproducible
from gongkai_cli.output.paged import joined
from gongkai_cli.output.text import plain

FONT = "宋体"
# Columns of a sheet, in Excel's width units: a digit of the workbook's default font, which
# is 7 pixels in Excel's Calibri and up to 9.3 where LibreOffice has to substitute a font;
# a Chinese character takes about two. At 125 a sheet prints on A4 landscape at 100 % in
# Excel and, fitted to the page's width, at no less than 82 % elsewhere: 11-point text
# never prints under 9 points.
PAGE_WIDTH = 125
PADDING = 2
LINE_PT = 16  # points per line of 11-point Chinese text, as Excel and LibreOffice set it
HEADER_ROW = 3  # under the title and the as-of line
_SHEET_UNSAFE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_name(text: str, taken: set[str]) -> str:
    """A name Excel accepts (31 characters, none of []:*?/\\), unique in its workbook."""
    base = (plain(text).translate(_SHEET_UNSAFE).strip("'") or "台账")[:31]
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]}-{n}"
    taken.add(name)
    return name


class _Styles:
    """The few styles every sheet shares, built once openpyxl is imported."""

    def __init__(self):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="999999")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title = Font(name=FONT, size=16, bold=True)
        self.body = Font(name=FONT, size=11)
        self.bold = Font(name=FONT, size=11, bold=True)
        self.fill = PatternFill("solid", fgColor="DDEBF7")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.number = Alignment(horizontal="center", vertical="top")
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.band = Alignment(horizontal="left", vertical="center")


def _new_workbook(title: str, as_of):
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    stamp = dt.datetime.combine(as_of, dt.time())
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = "gongkai"
    workbook.properties.title = title
    return workbook


def _save(workbook, as_of) -> bytes:
    raw = io.BytesIO()
    workbook.save(raw)
    return reproducible(raw.getvalue(), as_of)


def _sheet(workbook, name: str, title: str, as_of, width: int, styles: _Styles):
    """A sheet with the title and as-of rows over where the header goes, set up for A4."""
    sheet = workbook.create_sheet(name)
    for row, text, font, align in (
        (1, title, styles.title, styles.center),
        (2, f"截至{chinese_date(as_of)}", styles.body, styles.right),
    ):
        cell = sheet.cell(row=row, column=1, value=plain(text))
        cell.data_type = "s"
        cell.font, cell.alignment = font, align
        if width > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.print_options.horizontalCentered = True
    return sheet


def _header(sheet, columns, styles: _Styles) -> None:
    for i, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=i, value=column.header)
        cell.font, cell.fill, cell.alignment, cell.border = (
            styles.bold,
            styles.fill,
            styles.center,
            styles.border,
        )


def _put(cell, column, value, styles: _Styles, room: float = 0, keep=()) -> None:
    """One value, typed: a count is a number, a rate a percentage, text always text (in a
    column `room` wide, joined to wrap as Chinese text should: see paged.joined)."""
    cell.font, cell.border = styles.body, styles.border
    if column.kind == "number" and isinstance(value, int):
        cell.value, cell.alignment = value, styles.number
    elif column.kind == "percent" and isinstance(value, float):
        cell.value, cell.number_format, cell.alignment = value, "0.0%", styles.number
    else:
        text = plain("—" if column.kind == "percent" and value is None else str(value or ""))
        if text:
            cell.value = joined(text, room, keep) if room else text
            cell.data_type = "s"  # never a formula, whatever it starts with
        cell.alignment = styles.wrap if column.kind == "text" else styles.number


def _rows(sheet, columns, rows, start: int, styles: _Styles, widths=None, keep=()) -> int:
    for r, values in enumerate(rows, start=start):
        for c, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            room = widths[c - 1] - PADDING if widths else 0
            _put(sheet.cell(row=r, column=c), column, value, styles, room, keep)
    return start + len(rows)


def _band(sheet, row: int, text: str, width: int, styles: _Styles) -> None:
    """A section's heading as a row across the table, as the published plan prints it."""
    cell = sheet.cell(row=row, column=1, value=plain(text))
    cell.data_type, cell.font, cell.alignment = "s", styles.bold, styles.band
    for column in range(1, width + 1):
        sheet.cell(row=row, column=column).border = styles.border
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[row].height = LINE_PT + 4


def _merge_runs(sheet, first: int, last: int, bands: set[int]) -> None:
    """Merge the first column over each run of equal cells, as the published plan does."""
    run = first
    for row in range(first + 1, last + 2):
        value = sheet.cell(row=row, column=1).value
        if row > last or row in bands or value != sheet.cell(row=run, column=1).value:
            if row - 1 > run and run not in bands:
                sheet.merge_cells(start_row=run, start_column=1, end_row=row - 1, end_column=1)
            run = row


def _widths(sheet, columns, rows: list[list[str]], keep=()) -> list[float]:
    """Column widths that fill the printed page's width, long text sharing what is left."""
    from openpyxl.utils import get_column_letter

    from gongkai_cli.output.paged import widths

    chosen = widths(columns, rows, PAGE_WIDTH, PADDING, keep)
    for i, width in enumerate(chosen, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = round(width, 1)
    return chosen


def _heights(sheet, chosen: list[float], first: int, last: int, bands: set[int]) -> None:
    """Each row's height to fit its wrapped text: openpyxl cannot measure text, and neither
    Excel nor LibreOffice refits rows when a file opens. A merged 工作任务 cell spreads its
    lines over the rows it spans."""
    from gongkai_cli.output.cjk import without_joins
    from gongkai_cli.output.paged import lines

    merged = {
        r.min_row: r.max_row - r.min_row + 1
        for r in sheet.merged_cells.ranges
        if r.min_col == 1 and r.max_col == 1 and r.min_row >= first
    }
    for row in range(first, last + 1):
        if row in bands:
            continue
        needed = 1
        for c, width in enumerate(chosen, start=1):
            value = sheet.cell(row=row, column=c).value
            if value is None:
                continue
            count = lines(without_joins(str(value)), width - PADDING)
            needed = max(needed, -(-count // (merged.get(row, 1) if c == 1 else 1)))
        sheet.row_dimensions[row].height = LINE_PT * needed + 4


def _chart(sheet, chart, columns, first: int, last: int, anchor: str) -> None:
    """A native bar chart, one bar per row, at `anchor`. Below the table, not beside it: the
    sheet prints fitted to its width, and a chart at the side would shrink the table's type."""
    from openpyxl.chart import BarChart, Reference

    if chart.skip_last:
        last -= 1
    if last < first:
        return
    bars = BarChart()
    bars.type = "bar"  # horizontal: unit names stay readable
    bars.title = chart.title
    bars.legend = None
    bars.y_axis.majorGridlines = None
    bars.x_axis.scaling.orientation = "maxMin"  # first row on top, as in the table
    if columns[chart.value].kind == "percent":
        bars.y_axis.number_format = "0%"
        bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 1
    bars.add_data(
        Reference(sheet, min_col=chart.value + 1, min_row=first - 1, max_row=last),
        titles_from_data=True,
    )
    bars.set_categories(Reference(sheet, min_col=chart.label + 1, min_row=first, max_row=last))
    bars.height = max(7.5, 0.7 * (last - first + 1) + 2)  # cm: room for every label
    bars.width = 16
    sheet.add_chart(bars, anchor)


def _table_sheet(workbook, name, title, as_of, tables, notes, styles: _Styles, keep=()):
    """One sheet holding tables that share a header; each table's heading (a plan's section)
    is a row across the sheet above its rows."""
    columns = tables[0].columns
    sheet = _sheet(workbook, name, title, as_of, len(columns), styles)
    _header(sheet, columns, styles)
    texts = [[plain(t) for t in row] for table in tables for row in table.text_rows()]
    chosen = _widths(sheet, columns, texts, keep)
    first = row = HEADER_ROW + 1
    bands: set[int] = set()
    for table in tables:
        if table.group:
            _band(sheet, row, table.group, len(columns), styles)
            bands.add(row)
            row += 1
        row = _rows(sheet, columns, table.rows, row, styles, chosen, keep)
    if any(t.merge for t in tables):
        _merge_runs(sheet, first, row - 1, bands)
    _heights(sheet, chosen, first, row - 1, bands)
    last = row - 1
    for text in notes:
        row += 1
        cell = sheet.cell(row=row, column=1, value=joined(plain(text), sum(chosen), keep))
        cell.data_type, cell.font, cell.alignment = "s", styles.body, styles.left
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(columns))
        sheet.row_dimensions[row].height = LINE_PT * _lines(text, sum(chosen)) + 4
    chart = next((t.chart for t in tables if t.chart), None)
    if chart and not bands:  # below the table and its notes
        _chart(sheet, chart, columns, first, last, f"A{row + 2}")
    return sheet


def _lines(text: str, columns: float) -> int:
    from gongkai_cli.output.paged import lines

    return lines(plain(text), columns - PADDING)


def render_document(doc, options=None) -> bytes:
    from gongkai_cli.output.reports import Paragraph

    workbook = _new_workbook(doc.full_title, doc.as_of)
    if doc.provenance is not None:  # read back by `gongkai verify`
        from openpyxl.packaging.custom import StringProperty

        from gongkai_cli.output.provenance import PROPERTY

        workbook.properties.description = doc.provenance.sentence("xlsx")
        workbook.custom_doc_props.append(
            StringProperty(name=PROPERTY, value=doc.provenance.to_json())
        )
    styles = _Styles()
    notes = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    by_sheet: dict[str, list] = {}
    for table in doc.tables():
        by_sheet.setdefault(table.name or "台账", []).append(table)
    taken: set[str] = set()
    for i, (name, tables) in enumerate(by_sheet.items()):
        title = doc.title if i == 0 else f"{doc.title}（{name}）"
        _table_sheet(
            workbook,
            sheet_name(name, taken),
            title,
            doc.as_of,
            tables,
            notes if i == 0 else [],
            styles,
            doc.keep,
        )
    if not by_sheet:
        sheet = _sheet(workbook, "台账", doc.title, doc.as_of, 1, styles)
        for row, text in enumerate(notes, start=HEADER_ROW):
            sheet.cell(row=row, column=1, value=plain(text)).data_type = "s"
    return _save(workbook, doc.as_of)


def render_documents(docs, title: str, as_of) -> bytes:
    """Many documents of one kind (every unit's checklist) as one workbook: an index sheet,
    then one sheet per document holding its one flat table."""
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    from gongkai_cli.output.reports import Paragraph
    from gongkai_cli.output.view import Column

    workbook = _new_workbook(title, as_of)
    styles = _Styles()
    taken = {"目录"}
    names = [sheet_name(doc.flat_table().name or doc.title, taken) for doc in docs]
    index_columns = [
        Column("序号", kind="number"),
        Column("单位"),
        Column("任务数", kind="number"),
        Column("已完成", kind="number"),
        Column("逾期未完成", kind="number"),
    ]
    index = _sheet(workbook, "目录", title, as_of, len(index_columns), styles)
    _header(index, index_columns, styles)
    rows = []
    for n, doc in enumerate(docs, start=1):
        tasks = doc.payload["tasks"]
        rows.append(
            [
                n,
                doc.flat_table().name,
                len(tasks),
                sum(t["status"] in DONE_STATUSES for t in tasks),
                sum(t["light"] == OVERDUE for t in tasks),
            ]
        )
    _rows(index, index_columns, rows, HEADER_ROW + 1, styles)
    for row, name in enumerate(names, start=HEADER_ROW + 1):
        cell = index.cell(row=row, column=2)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{name}'!A1")
        cell.font = Font(name=FONT, size=11, color="0563C1", underline="single")
    chosen = _widths(index, index_columns, [[str(v) for v in r] for r in rows])
    _heights(index, chosen, HEADER_ROW + 1, HEADER_ROW + len(rows), set())
    for doc, name in zip(docs, names, strict=True):
        notes = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
        _table_sheet(workbook, name, doc.title, as_of, [doc.flat_table()], notes, styles, doc.keep)
    return _save(workbook, as_of)

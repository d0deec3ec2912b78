"""Write a unit's fill-in form: its tasks as of a date, protected, print-ready, with its identity."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from gongkai_cli.forms import layout
from gongkai_cli.model.book import Book
from gongkai_cli.model.dates import chinese_date, example_day
from gongkai_cli.model.statuses import DUE_SOON, RETURNED, ROLE_WORDS, STATUSES
from gongkai_cli.model.values import MAX_NOTE

FILL_COLOUR = "FFF2CC"  # the pale yellow of "write here" on county forms
HEADER_COLOUR = "DDEBF7"
LINE_PT = 16  # points per wrapped line of 11-point CJK text (its fonts set lines loosely)


@dataclass(frozen=True, slots=True)
class FormRow:
    """One task on a unit's form, with where that unit stood on the form's date."""

    number: int
    requirement: str
    role: str  # lead | implementer
    deadline: str
    status: str
    light: str | None
    updated: dt.date | None
    note: str | None
    returned: str | None = None  # the office's reason, where it returned the unit's claim

    def shown_note(self) -> str:
        """The 上次说明 cell: the latest note, and why the office returned the claim."""
        text = layout.last_note(self.updated, self.note)
        if self.returned is None:
            return text
        return (text + "\n" if text else "") + f"（已退回：{self.returned}）"

    def shown_status(self) -> str:
        """The 当前状态 cell: the status, with 逾期 and the like where dates make it so."""
        return self.status + (f"（{self.light}）" if self.light and self.light != DUE_SOON else "")

    def cells(self, width: int) -> list[int | str | None]:
        """The row's cells, left to right, on a form `width` columns wide: the read-only
        ones filled, those the unit fills in empty."""
        shown = [
            self.number,
            self.requirement,
            ROLE_WORDS[self.role],
            self.deadline,
            self.shown_status(),
            self.shown_note(),
        ]
        return shown + [None] * (width - len(shown))

    def height(self) -> float:
        return _height(self.requirement, self.shown_note())

    def key(self) -> tuple[int, str, str, str]:
        return (self.number, self.requirement, self.role, self.deadline)


def form_rows(book: Book, unit: str, as_of: dt.date) -> list[FormRow]:
    """Every task the unit answers for, in plan order (as `list --unit` gives them)."""
    rows = []
    for number, task in book.ledger.tasks.items():
        mine = book.assignment(number, unit, as_of)
        if mine is None:
            continue
        state, light = _state(book, number, mine, as_of)
        rows.append(
            FormRow(
                number,
                task.requirement,
                mine.role,
                task.deadline,
                state,
                light,
                mine.updated,
                mine.note,
                (mine.review_note or "") if mine.review == RETURNED else None,
            )
        )
    return rows


def _state(book: Book, number: int, mine, as_of: dt.date) -> tuple[str, str | None]:
    """The unit's state and light; of a recurring task, those of its latest period and how
    many periods it is late in (2021-07期 未开始（逾期 5 期）), as `list --unit` says: last
    month's 已完成 is no state of a task that is late."""
    from gongkai_cli.model.periods import period_rows, unit_periods

    if book.schedule(number) is not None:
        periods = unit_periods(period_rows(book, number, as_of), mine.unit, as_of)
        if periods is not None:
            late = f"逾期 {len(periods.late)} 期" if periods.late else None
            return f"{periods.latest.period.label}期 {periods.share.state}", late
    return mine.state, mine.light(book.deadline(number), as_of)


def form_identity(
    book: Book, unit: str, as_of: dt.date, due: dt.date | None, rows: list[FormRow] | None = None
) -> layout.Identity:
    """Whose form it is, with the digest of the unit's task rows as the ledger has them."""
    rows = form_rows(book, unit, as_of) if rows is None else rows
    return layout.Identity(
        book.ledger.title,
        book.ledger.year,
        unit,
        as_of,
        due,
        layout.digest(r.key() for r in rows),
    )


def write_workbook(ident: layout.Identity, rows: list[FormRow], supervised: bool) -> bytes:
    """The form as xlsx bytes, built cell by cell by openpyxl; the same rows and identity give
    the same bytes. A round fills most of its forms into a blank made by this (forms/blank.py)."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    from gongkai_cli.output.package import reproducible

    workbook = Workbook()
    stamp = dt.datetime.combine(ident.as_of, dt.time())
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = "gongkai"
    workbook.properties.title = form_title(ident.unit, ident.as_of)
    sheet = workbook.active
    sheet.title = layout.FORM_SHEET
    columns = layout.columns(supervised)
    _header(sheet, ident, columns)
    _table(sheet, rows, ident.year, columns)
    _print_setup(sheet, ident.unit, len(rows), columns)
    _identity_sheet(workbook, ident)
    _custom_properties(workbook, ident)
    # Without a password: the point is to keep hands off the read-only cells, not secrecy.
    workbook.security = WorkbookProtection(lockStructure=True)
    raw = io.BytesIO()
    workbook.save(raw)
    return reproducible(raw.getvalue(), ident.as_of)


def form_title(unit: str, as_of: dt.date) -> str:
    """The document's title."""
    return f"{unit}{layout.TITLE_SUFFIX}（{as_of.isoformat()}）"


def page_header(unit: str) -> str:
    """The printed page's header, right: the unit (a header reads & as a code; && prints &)."""
    return unit.replace("&", "&&")


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="808080")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "centre": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "bold": Font(bold=True),
        "title": Font(bold=True, size=16),
        "fill": PatternFill("solid", fgColor=FILL_COLOUR),
        "header": PatternFill("solid", fgColor=HEADER_COLOUR),
        "open": Protection(locked=False),
    }


def _instructions(due: dt.date, supervised: bool) -> str:
    more = (
        "5. “存在问题”“下步措施”如实填写；已公开的请在“佐证链接”填写网址（多个用空格分隔）；"
        "不能按时完成的，在“申请延期至”填写日期，并在“进展说明”中写明理由。"
        if supervised
        else ""
    )
    return (
        "填写说明：1. 只在浅黄色单元格中填写：“状态”从下拉列表中选择；“进展说明”写明做了什么、"
        "在哪里公开；“已完成”或“不涉及”的任务请填“完成日期”（不晚于填报当天）。"
        f"2. 状态可选：{'、'.join(STATUSES)}；逾期、逾期完成、临期由台账按日期推算，不必填写。"
        "3. 没有变化的任务不必填写。请勿增删行，不要修改编号和具体要求。"
        f"4. 请于{chinese_date(due)}前将本表（保持 .xlsx 格式）发回县政务公开办。" + more
    )


def _header(sheet, ident: layout.Identity, columns: tuple[str, ...]) -> None:
    style = _styles()
    last = _letter(len(columns))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = layout.title(ident.plan)
    sheet["A1"].data_type = "s"  # a title or unit name is text, whatever it starts with
    sheet["A1"].font = style["title"]
    sheet["A1"].alignment = style["centre"]
    sheet.row_dimensions[1].height = 32
    values = {
        layout.UNIT: ident.unit,
        layout.AS_OF: ident.as_of,
        layout.DUE: ident.due,
        layout.REPORTER: None,
        layout.PHONE: None,
    }
    for label, where in layout.LABEL_CELLS.items():
        cell = sheet[where]
        cell.value = label
        cell.font = style["bold"]
        cell.alignment = style["centre"]
        value = cell.offset(column=1)
        value.value = values[label]
        if isinstance(values[label], str):
            value.data_type = "s"
        value.alignment = style["centre"]
        if isinstance(values[label], dt.date):
            value.number_format = 'yyyy"年"m"月"d"日"'
        if label in (layout.REPORTER, layout.PHONE):
            value.fill, value.protection = style["fill"], style["open"]
            value.border = style["border"]
            value.data_type = "s"
    sheet.merge_cells("E2:F2")
    sheet.merge_cells("E3:F3")
    sheet.merge_cells(f"H2:{last}2")
    sheet.merge_cells(f"A4:{last}4")
    sheet["A4"] = _instructions(ident.due or ident.as_of, len(columns) > len(layout.COLUMNS))
    sheet["A4"].alignment = style["wrap"]
    sheet.row_dimensions[4].height = 64


def _table(sheet, rows: list[FormRow], year: int, headers: tuple[str, ...]) -> None:
    from copy import copy

    from openpyxl.worksheet.datavalidation import DataValidation

    style = _styles()
    widths = layout.widths(len(headers) > len(layout.COLUMNS))
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(layout.HEADER_ROW, column, header)
        cell.font, cell.alignment, cell.border = style["bold"], style["centre"], style["border"]
        cell.fill = style["fill"] if header in layout.FILL_IN else style["header"]
        sheet.column_dimensions[_letter(column)].width = widths[column - 1]
    # A cell's style depends on its column alone: the first row is styled attribute by
    # attribute, the others take its cells' finished styles. Setting a style looks it up
    # among the workbook's by value, which on a form of many rows cost most of its making;
    # the styles registered, and their order, are the same either way.
    styled: list | None = None
    for offset, row in enumerate(rows):
        number = layout.FIRST_ROW + offset
        values = row.cells(len(headers))
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(number, column, value)
            if isinstance(value, str):
                cell.data_type = "s"  # text is text: never a formula, whatever it starts with
            if styled is not None:
                cell._style = copy(styled[column - 1])
                continue
            cell.border, cell.alignment = style["border"], style["wrap"]
            if headers[column - 1] in layout.FILL_IN:
                cell.fill, cell.protection = style["fill"], style["open"]
            if headers[column - 1] in ("完成日期", layout.EXTEND_TO):
                cell.number_format = "yyyy-mm-dd"
        if styled is None:
            sheet.cell(number, 1).alignment = style["centre"]
            styled = [sheet.cell(number, c)._style for c in range(1, len(values) + 1)]
        sheet.row_dimensions[number].height = row.height()
    first, end = layout.FIRST_ROW, layout.FIRST_ROW + max(len(rows), 1) - 1
    column = {name: _letter(i) for i, name in enumerate(headers, start=1)}
    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="状态无效",
        error=f"请从下拉列表中选择：{'、'.join(STATUSES)}。",
        promptTitle="状态",
        prompt="没有变化可不填。",
        showInputMessage=True,
    )
    statuses.add(f"{column['状态']}{first}:{column['状态']}{end}")
    dates = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({year - 1},1,1)",
        formula2=f"DATE({year + 1},12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="日期无效",
        error=f"请填写日期，如 {example_day(year).isoformat()}。",
    )
    dates.add(f"{column['完成日期']}{first}:{column['完成日期']}{end}")
    if layout.EXTEND_TO in column:
        dates.add(f"{column[layout.EXTEND_TO]}{first}:{column[layout.EXTEND_TO]}{end}")
    notes = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(MAX_NOTE),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="说明过长",
        error=f"进展说明请控制在 {MAX_NOTE} 字以内。",
    )
    notes.add(f"{column['进展说明']}{first}:{column['进展说明']}{end}")
    for validation in (statuses, dates, notes):
        sheet.add_data_validation(validation)
    sheet.freeze_panes = f"A{first}"


def _height(requirement: str, last_note: str) -> float:
    """Enough height for the longest wrapped cell, and room for a two-line note. Excel does
    not fit wrapped rows on opening a file, so the height is set; lines break early before
    punctuation, hence a line holds about nine tenths of the column's width."""
    import math

    from gongkai_cli.output.text import display_width

    widths = dict(zip(layout.COLUMNS, layout.WIDTHS, strict=True))
    lines = max(
        math.ceil(display_width(requirement) / (widths["具体要求"] * 0.9)),
        math.ceil(display_width(last_note) / (widths["上次说明"] * 0.9)),
        2,
    )
    return lines * LINE_PT


def _print_setup(sheet, unit: str, count: int, columns: tuple[str, ...]) -> None:
    sheet.protection.sheet = True
    sheet.protection.formatRows = False  # a long note needs a taller row
    sheet.protection.formatColumns = False
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{layout.HEADER_ROW}:{layout.HEADER_ROW}"
    sheet.print_area = f"A1:{_letter(len(columns))}{layout.FIRST_ROW + count - 1}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.print_options.horizontalCentered = True
    sheet.oddHeader.right.text = page_header(unit)
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _identity_sheet(workbook, ident: layout.Identity) -> None:
    sheet = workbook.create_sheet(layout.ID_SHEET)
    sheet["A1"] = "本表由 gongkai 生成，用于识别填报表，请勿修改。"
    values = ident.fields()
    for row, (key, (label, _)) in enumerate(layout.IDENTITY_KEYS.items(), start=2):
        sheet.cell(row, 1, label)
        sheet.cell(row, 2, values[key]).data_type = "s"
    sheet.column_dimensions["B"].width = 40
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def _custom_properties(workbook, ident: layout.Identity) -> None:
    from openpyxl.packaging.custom import StringProperty

    values = ident.fields()
    for key, (_, name) in layout.IDENTITY_KEYS.items():
        if values[key]:
            workbook.custom_doc_props.append(StringProperty(name=name, value=values[key]))


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)

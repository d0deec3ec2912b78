"""Read a returned form: its identity, the reporter, and each task row with its cells.

Forms come back from Excel, WPS and LibreOffice. Those may drop the custom properties or
the hidden sheet; the identity is then read from the visible header, and the form says so.
Anything that is not a readable xlsx is one sentence naming the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from gongkai_cli.errors import GongkaiError
from gongkai_cli.forms import layout
from gongkai_cli.forms.xlsx import Book, Sheet

MAX_BYTES = 20 * 1024 * 1024  # a form is tens of kilobytes
MAX_UNPACKED = 40 * 1024 * 1024  # a zip that inflates past this is not a form
# Cells in all the sheets together: a form of 2000 task rows has some 30 000. Counted in the
# sheets' XML as it streams out of the zip, before openpyxl builds a single cell (a sheet of
# millions of cells takes minutes and gigabytes to build, only to be refused).
MAX_CELLS = 100_000
_CHUNK = 1 << 20
_CELL_TAGS = (b"<c ", b"<c>", b":c ", b":c>")
_STRING_TAGS = (b"<si>", b"<si ", b":si>", b":si ")
_SHARED_STRINGS = "xl/sharedStrings.xml"
# Any other part (styles, properties, the workbook): a form's are a few kilobytes, and
# openpyxl takes seconds for every megabyte of styles.
MAX_PART = 2 * 1024 * 1024
HEADER_SEARCH = 30  # rows scanned for the table's header
MAX_ROWS = 2000  # task rows read; a plan ten times the size of 2021's has 430 tasks


class FormFileError(GongkaiError):
    """A file that cannot be read as a form at all; the message names the file."""


@dataclass(frozen=True, slots=True)
class Cell:
    ref: str  # 填报!G7
    value: object


@dataclass(frozen=True, slots=True)
class ReturnedRow:
    number: Cell
    requirement: Cell
    status: Cell
    note: Cell
    done: Cell
    read_only: dict[str, Cell] = field(default_factory=dict)  # 当前状态, 上次说明 as returned
    # 存在问题, 下步措施, 佐证链接, 申请延期至: on the forms of a ledger that runs the
    # supervision cycle only.
    supervision: dict[str, Cell] = field(default_factory=dict)


@dataclass
class ReturnedForm:
    name: str  # the file's name, as problems cite it
    sha256: str
    identity: layout.Identity
    source: str  # where the identity was read: properties | sheet | visible
    unit: Cell  # the unit as the visible sheet shows it
    reporter: Cell
    phone: Cell
    rows: list[ReturnedRow] = field(default_factory=list)
    # The hidden sheet's unit where the properties were read too: the two must agree.
    sheet_unit: str | None = None


def read_form(path: Path) -> ReturnedForm:
    data = _read_bytes(path)
    workbook = _open(path, data)
    sheet, header_row, columns = _task_sheet(path, workbook)
    labels = _labels(sheet, header_row)
    visible = _visible_identity(path, sheet, labels)
    ident, source = _stored_identity(workbook) or (visible, "visible")
    sheet_ident = _sheet_identity(workbook) if source == "properties" else None

    def cell(row: int, column: int) -> Cell:
        return Cell(f"{sheet.title}!{_coordinate(row, column)}", sheet.value(row, column))

    rows = []
    for number in range(header_row + 1, min(sheet.max_row, header_row + MAX_ROWS) + 1):
        cells = [cell(number, columns[name]) for name in _READ]
        kept = {n: cell(number, columns[n]) for n in layout.READ_ONLY_FOR if n in columns}
        extra = {n: cell(number, columns[n]) for n in layout.SUPERVISION_COLUMNS if n in columns}
        if all(_blank(c.value) for c in (*cells, *extra.values())):
            continue
        rows.append(ReturnedRow(*cells, read_only=kept, supervision=extra))
    empty = Cell(f"{sheet.title}!{layout.LABEL_CELLS[layout.REPORTER]}", None)
    return ReturnedForm(
        name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        identity=ident,
        source=source,
        unit=labels[layout.UNIT],
        reporter=labels.get(layout.REPORTER, empty),
        phone=labels.get(layout.PHONE, empty),
        rows=rows,
        sheet_unit=sheet_ident.unit if sheet_ident else None,
    )


_READ = ("编号", "具体要求", "状态", "进展说明", "完成日期")


def _read_bytes(path: Path) -> bytes:
    name = path.name
    if path.is_dir():
        raise FormFileError(f"{name} 是目录，不是填报表文件。")
    from gongkai_cli.ledger.files import UnsafeFile, open_regular

    try:
        with open_regular(path, shown=name) as handle:  # a FIFO would wait for a writer forever
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise FormFileError(f"找不到文件 {path}。") from None
    except UnsafeFile as exc:
        raise FormFileError(str(exc)) from None
    except OSError as exc:
        raise FormFileError(f"无法读取 {name}：{exc.strerror}。") from None
    if len(data) > MAX_BYTES:
        raise FormFileError(
            f"{name} 超过 {MAX_BYTES // 1024 // 1024} MB，不是 gongkai 生成的填报表。"
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE2 container of .xls and of encrypted files
        raise FormFileError(
            f"{name} 是旧版 Excel（.xls）文件或加了密码的表格；请在 Excel 或 WPS 中另存为不加密的 .xlsx 后再收取。"
        )
    if not data.startswith(b"PK\x03\x04"):
        raise FormFileError(f"{name} 不是 Excel 表格（.xlsx）文件，无法收取。")
    return data


def _open(path: Path, data: bytes) -> Book:
    name = path.name
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            if "xl/workbook.xml" not in names:
                what = "是 Word 文档，" if "word/document.xml" in names else ""
                raise FormFileError(f"{name} {what}不是 Excel 表格（.xlsx）文件，无法收取。")
            if sum(e.file_size for e in entries) > MAX_UNPACKED:
                raise FormFileError(f"{name} 解压后过大，不是 gongkai 生成的填报表。")
            sheets = [e for e in entries if e.filename.startswith("xl/worksheets/")]
            big = [
                e
                for e in entries
                if e not in sheets and e.filename != _SHARED_STRINGS and e.file_size > MAX_PART
            ]
            if big:
                raise FormFileError(
                    f"{name} 中的 {big[0].filename} 解压后过大，不是 gongkai 生成的填报表，无法收取。"
                )
            cells = _cells(archive, sheets)
            strings = [e for e in entries if e.filename == _SHARED_STRINGS]
            cells = max(cells, _cells(archive, strings, _STRING_TAGS))
            if cells <= MAX_CELLS:
                from gongkai_cli.forms import xlsx

                try:
                    return xlsx.read(archive)
                except Exception:  # anything it was not written for: openpyxl reads the file
                    pass
    except (zipfile.BadZipFile, EOFError, ValueError, zlib.error):
        raise FormFileError(f"{name} 已损坏（不是完整的 .xlsx 文件），无法收取。") from None
    if cells > MAX_CELLS:
        raise FormFileError(
            f"{name} 的工作表有超过 {MAX_CELLS} 个单元格，不是 gongkai 生成的填报表，无法收取。"
        )
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not keep
            workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:
        # openpyxl raises whatever its parsers meet (KeyError, ValueError, XML errors, …)
        # on a damaged file; to the user each is the same fact.
        raise FormFileError(f"{name} 已损坏，无法作为 .xlsx 读取。") from None
    from gongkai_cli.forms.xlsx import from_openpyxl

    return from_openpyxl(workbook)


def _cells(
    archive: zipfile.ZipFile, sheets: list[zipfile.ZipInfo], tags: tuple[bytes, ...] = ()
) -> int:
    """How many cells the sheets hold (`<c ` and `<c>` tags, or `<x:c ` with a prefix; or
    other `tags`, such as shared strings), read in chunks and stopping once past MAX_CELLS:
    the size of what openpyxl would build, known before it builds it."""
    tags = tags or _CELL_TAGS
    count, tail = 0, b""
    for info in sheets:
        with archive.open(info) as sheet:
            while count <= MAX_CELLS and (chunk := sheet.read(_CHUNK)):
                text = tail + chunk
                count += sum(text.count(tag) for tag in tags)
                tail = text[-3:]  # a tag split between chunks is whole in the next text
    return count


def _task_sheet(path: Path, workbook: Book):
    """The sheet holding the task table, its header row and the columns by header."""
    form = workbook.sheet(layout.FORM_SHEET)
    sheets = [form] if form is not None else []
    sheets += [s for s in workbook.sheets if s.sheet_state == "visible" and s is not form]
    for sheet in sheets:
        for number in range(1, HEADER_SEARCH + 1):
            columns = {v.strip(): c for c, v in sheet.row(number) if isinstance(v, str)}
            if all(name in columns for name in _READ):
                return sheet, number, columns
    raise FormFileError(
        f"{path.name} 不是 gongkai 生成的进展填报表（找不到“{'、'.join(_READ)}”表头），无法收取。"
    )


def _labels(sheet: Sheet, header_row: int) -> dict[str, Cell]:
    """Each label above the table (填报单位, 截至日期, …) → the cell right of it."""
    found = {}
    for number in range(1, header_row):
        for column, value in sheet.row(number):
            label = value.strip() if isinstance(value, str) else None
            if label in layout.LABEL_CELLS and label not in found:
                ref = f"{sheet.title}!{_coordinate(number, column + 1)}"
                found[label] = Cell(ref, sheet.value(number, column + 1))
    return found


def _coordinate(row: int, column: int) -> str:
    """G7 for (7, 7), as openpyxl names a cell."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _visible_identity(path: Path, sheet: Sheet, labels: dict[str, Cell]) -> layout.Identity:
    title = next(
        (
            value.strip()
            for number in range(1, 4)
            for _, value in sheet.row(number)
            if isinstance(value, str) and value.strip().endswith(layout.TITLE_SUFFIX)
        ),
        None,
    )
    unit, as_of = labels.get(layout.UNIT), labels.get(layout.AS_OF)
    day = _date(as_of.value) if as_of else None
    if title is None or unit is None or _blank(unit.value) or day is None:
        raise FormFileError(
            f"{path.name} 不是 gongkai 生成的进展填报表（表头缺少标题、填报单位或截至日期），无法收取。"
        )
    due = labels.get(layout.DUE)
    return layout.Identity(
        plan=title.removesuffix(layout.TITLE_SUFFIX),
        year=None,
        unit=str(unit.value).strip(),
        as_of=day,
        due=_date(due.value) if due else None,
    )


def _stored_identity(workbook: Book) -> tuple[layout.Identity, str] | None:
    """The identity from the custom properties, else from the hidden sheet, else None."""
    properties = workbook.properties
    stored = {key: properties.get(name) for key, (_, name) in layout.IDENTITY_KEYS.items()}
    found = _identity(stored)
    if found is not None:
        return found, "properties"
    found = _sheet_identity(workbook)
    return (found, "sheet") if found is not None else None


def _sheet_identity(workbook: Book) -> layout.Identity | None:
    sheet = workbook.sheet(layout.ID_SHEET)
    if sheet is None:
        return None
    rows = ((sheet.value(r, 1), sheet.value(r, 2)) for r in range(1, 21))
    pairs = {str(a).strip(): b for a, b in rows if a is not None}
    return _identity({key: pairs.get(label) for key, (label, _) in layout.IDENTITY_KEYS.items()})


def _identity(stored: dict[str, object]) -> layout.Identity | None:
    if stored["kind"] != layout.KIND:
        return None
    as_of = _date(stored["as_of"])
    plan, unit = stored["plan"], stored["unit"]
    if not isinstance(plan, str) or not isinstance(unit, str) or as_of is None:
        return None
    year = str(stored["year"] or "")
    return layout.Identity(
        plan=plan,
        year=int(year) if year.isdigit() else None,
        unit=unit,
        as_of=as_of,
        due=_date(stored["due"]),
        digest=str(stored["digest"]) if stored["digest"] else None,
    )


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        from gongkai_cli.model.dates import parse_date

        try:
            return parse_date(value)
        except GongkaiError:
            return None
    return None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())

"""Read a plan from any document it is published as, the format told by content, not name."""

from __future__ import annotations

import zipfile
from pathlib import Path

from gongkai_cli.errors import PlanDocumentError
from gongkai_cli.importers.grid import MAX_BYTES, MAX_UNPACKED
from gongkai_cli.importers.layout import Imported, read_plan_tables

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .doc/.xls/.wps/.et
_OLD_WORD = {".doc", ".wps", ".dot"}
_OLD_EXCEL = {".xls", ".et", ".xlt"}


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _package_kind(path: Path, filename: str) -> str:
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError):
        raise PlanDocumentError(
            f"{filename}：文件已损坏，无法作为 Word 或 Excel 文件读取。"
        ) from None
    if sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise PlanDocumentError(f"{filename}：解压后超过 {_size(MAX_UNPACKED)}，不像一份工作计划。")
    names = {i.filename for i in infos}
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise PlanDocumentError(f"{filename}：是压缩包，但不是 Word（.docx）或 Excel（.xlsx）文件。")


def import_document(
    path: Path, *, title: str | None = None, year: int | None = None, name: str | None = None
) -> Imported:
    """The plan in `path`: Word, Excel, PDF, a web page, CSV, text, or an old binary format
    through LibreOffice. `name` is the file the user gave, when `path` was converted from it."""
    filename = name or path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PlanDocumentError(
                f"{filename}：文件有 {_size(size)}，超过 {_size(MAX_BYTES)} 上限，不像一份工作计划。"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanDocumentError(f"找不到文件 {path}。") from None
    except IsADirectoryError:
        raise PlanDocumentError(f"{path} 是目录，不是计划文件。") from None
    except OSError as exc:
        raise PlanDocumentError(f"无法读取 {path}：{exc.strerror}。") from None
    suffix = path.suffix.lower()
    if data.startswith(_OLE):
        if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
            raise PlanDocumentError(
                f"{filename}：文件设有密码保护，请在 Word/Excel 中取消密码后再导入。"
            )
        return _converted(path, data, suffix, title, year)
    if data.startswith(b"%PDF"):
        from gongkai_cli.importers.pdf import read_pdf
        from gongkai_cli.importers.prose import paragraphs

        grids, lines = read_pdf(path, filename)
        return _tables_or_prose(grids, paragraphs(lines), filename, [], title, year)
    if data.startswith(b"PK\x03\x04"):
        if _package_kind(path, filename) == "docx":
            from gongkai_cli.importers.word import read_docx

            grids, paragraphs = read_docx(path, filename)
            return _tables_or_prose(grids, paragraphs, filename, [], title, year)
        from gongkai_cli.importers.excel import read_xlsx

        return read_plan_tables(read_xlsx(path, filename), filename, title=title, year=year)
    if suffix in _OLD_WORD | _OLD_EXCEL:
        return _converted(path, data, suffix, title, year)
    if _looks_like_html(data):
        from gongkai_cli.importers.webpage import read_html

        grids, titles, texts = read_html(data, filename)
        return _tables_or_prose(grids, texts, filename, titles, title, year)
    from gongkai_cli.importers.csvtable import delimiter_of, read_csv

    text = _decoded(data)
    delimiter = delimiter_of(text) if text is not None else None
    if delimiter is None:
        return _text_export(path, data, title, year)
    return read_plan_tables(read_csv(text, delimiter, filename), filename, title=title, year=year)


def _tables_or_prose(
    grids: list, paragraphs: list[str], filename: str, titles: list[str], title, year
) -> Imported:
    """The plan table; failing that, the plan written as paragraphs (a prose 分工方案)."""
    from gongkai_cli.importers.prose import read_prose

    try:
        return read_plan_tables(grids, filename, titles=titles, title=title, year=year)
    except PlanDocumentError as no_table:
        # A page's layout tables may look like a plan header; paragraphs with roles decide.
        prose = read_prose(paragraphs, filename, titles=titles, title=title, year=year)
        if prose is not None:
            return prose
        raise no_table from None


def _converted(path: Path, data: bytes, suffix: str, title, year) -> Imported:
    """An old binary Word/Excel/WPS file, converted by LibreOffice and read as the new one."""
    from gongkai_cli.importers.convert import convert

    # The streams inside say what it is: a .doc has WordDocument (a .wps saved as .doc too)
    if _utf16("WordDocument") in data:
        excel = False
    elif _utf16("Workbook") in data or _utf16("Book") in data:
        excel = True
    else:
        excel = suffix in _OLD_EXCEL
    with convert(path, "xlsx" if excel else "docx") as converted:
        imported = import_document(converted, title=title, year=year, name=path.name)
    imported.plan["source"] = path.name
    return imported


def _size(n: int) -> str:
    return f"{n // 2**20} MB" if n >= 2**20 else f"{max(1, n // 1024)} KB"


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(
        (b"<!doctype html", b"<html", b"<?xml", b"<table", b"<meta", b"<head")
    ) or (b"<table" in data[:65536].lower() and b"</" in head)


def _decoded(data: bytes) -> str | None:
    """UTF-8 (a BOM allowed), else GB18030 as Chinese Excel saves a CSV, else None."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _prose_text(text: str, filename: str, title, year) -> Imported | None:
    from gongkai_cli.importers.prose import read_prose

    return read_prose(text.splitlines(), filename, title=title, year=year)


def _text_export(path: Path, data: bytes, title: str | None, year: int | None) -> Imported:
    from gongkai_cli.importers.text_export import parse_table_export
    from gongkai_cli.ledger.yamlio import read_text

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # a prose plan saved as text by Chinese Windows is GB18030; the export is UTF-8 only
        prose_text = _decoded(data)
        prose = _prose_text(prose_text, path.name, title, year) if prose_text else None
        if prose is not None:
            return prose
        read_text(path)  # this error names the line and the encoding
        raise
    try:
        plan = parse_table_export(text, path.name)
    except PlanDocumentError:
        # not the four-line export: a plan written as paragraphs, saved as text
        prose = _prose_text(text, path.name, title, year)
        if prose is None:
            raise
        return prose
    if title:
        plan["title"] = title
    if year:
        plan["year"] = year
    return Imported(plan)

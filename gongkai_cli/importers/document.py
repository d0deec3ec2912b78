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


def _refuse_compound(data: bytes, filename: str, suffix: str) -> None:
    """An OLE compound file: an encrypted .docx/.xlsx, or an old binary Word/Excel/WPS file."""
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        raise PlanDocumentError(
            f"{filename}：文件设有密码保护，请在 Word/Excel 中取消密码后再导入。"
        )
    if suffix in _OLD_EXCEL or _utf16("Workbook") in data or _utf16("Book") in data:
        kind, new = "Excel/WPS 表格文件（.xls/.et）", ".xlsx"
    else:
        kind, new = "Word/WPS 文字文件（.doc/.wps）", ".docx"
    raise PlanDocumentError(f"{filename}：这是旧版 {kind}，无法直接读取；请另存为 {new} 后再导入。")


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


def import_document(path: Path, *, title: str | None = None, year: int | None = None) -> Imported:
    """The plan in `path`: Word, Excel, a web page, CSV or the published text export."""
    filename = path.name
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
    titles: list[str] = []
    if data.startswith(_OLE):
        _refuse_compound(data, filename, suffix)
    if data.startswith(b"%PDF"):
        raise PlanDocumentError(
            f"{filename}：PDF 中的表格无法可靠读出；请使用计划的 Word、Excel 或网页版本。"
        )
    if data.startswith(b"PK\x03\x04"):
        if _package_kind(path, filename) == "docx":
            from gongkai_cli.importers.word import read_docx

            grids = read_docx(path, filename)
        else:
            from gongkai_cli.importers.excel import read_xlsx

            grids = read_xlsx(path, filename)
    elif suffix in _OLD_WORD | _OLD_EXCEL:
        _refuse_compound(data, filename, suffix)
    elif _looks_like_html(data):
        from gongkai_cli.importers.webpage import read_html

        grids, titles = read_html(data, filename)
    else:
        from gongkai_cli.importers.csvtable import delimiter_of, read_csv

        text = _decoded(data)
        delimiter = delimiter_of(text) if text is not None else None
        if delimiter is None:
            return _text_export(path, data, title, year)
        grids = read_csv(text, delimiter, filename)
    return read_plan_tables(grids, filename, titles=titles, title=title, year=year)


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


def _text_export(path: Path, data: bytes, title: str | None, year: int | None) -> Imported:
    from gongkai_cli.importers.text_export import parse_table_export
    from gongkai_cli.ledger.yamlio import read_text

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        read_text(path)  # the export is UTF-8 only: this error names the line and the encoding
        raise
    plan = parse_table_export(text, path.name)
    if title:
        plan["title"] = title
    if year:
        plan["year"] = year
    return Imported(plan)

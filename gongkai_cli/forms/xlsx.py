"""The parts of an xlsx a returned form is read from, read as openpyxl reads them, without it.

Loading a form with openpyxl builds every cell's style, the sheet's layout, the theme and
the properties: some 12 ms a form, most of a round of `collect`, to read a few hundred
values. This reads only what `forms.read` uses: the sheets' names and states
(xl/workbook.xml and its relationships), each worksheet's cell values typed as openpyxl
types them with data_only=True (shared and inline strings with their rich text runs,
numbers, booleans, errors, formulas' cached values, dates by the cell style's number
format), merged ranges (openpyxl keeps only a range's first value), and the text
properties of docProps/custom.xml.

It is written for what Excel, WPS, LibreOffice and openpyxl write for a form and nothing
more: any construct it was not written for (a namespace prefix or another namespace, an
escape such as `_x000D_`, the 1904 calendar, a number format it does not know, a cell type,
a formula's value of a kind it does not know, a property that is not text, a DTD) raises
`Unsure`, and the caller reads the file with openpyxl, as before. tests/test_form_xlsx.py
compares the two on every form the tests read.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError, fromstring

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"

EPOCH = dt.datetime(1899, 12, 30)
# The number formats of the dates on a form, as openpyxl writes them (and Excel's built-in
# 14), and as LibreOffice writes them anew: openpyxl reads each as a date. Any other format
# on a number is handed over, rather than judged date or not here.
DATE_CODES = frozenset(
    {"yyyy-mm-dd", 'yyyy"年"m"月"d"日"', "mm-dd-yy", "yyyy\\-mm\\-dd", "yyyy\\年m\\月d\\日"}
)
NUMBER_CODES = frozenset({"General", "0", "@"})
BUILTIN = {0: "General", 1: "0", 14: "mm-dd-yy", 49: "@"}
_INT = re.compile(r"-?[0-9]{1,15}")
_FLOAT = re.compile(r"-?[0-9]{1,15}\.[0-9]{1,15}")
_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_|x005F_")
_BAD_TITLE = re.compile(r"[\\*?:/\[\]]")
_ENCODING = re.compile(rb"\s*<\?xml[^>]*encoding=[\"'](?![Uu][Tt][Ff]-8[\"'])")


class Unsure(Exception):
    """A construct this reader was not written for."""


@dataclass
class Sheet:
    """A worksheet's values: (row, column) → value, for the cells that hold one."""

    title: str
    sheet_state: str  # visible | hidden | veryHidden
    values: dict[tuple[int, int], object]
    _rows: dict[int, list[tuple[int, object]]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def max_row(self) -> int:
        """The last row holding a value (openpyxl's max_row counts empty styled cells too;
        a row without values is no row of a form)."""
        return max((r for r, _ in self.values), default=1)

    def value(self, row: int, column: int) -> object:
        return self.values.get((row, column))

    def row(self, row: int) -> list[tuple[int, object]]:
        """(column, value) of the row's cells that hold a value, left to right."""
        if self._rows is None:
            self._rows = {}
            for (r, c), v in sorted(self.values.items()):
                self._rows.setdefault(r, []).append((c, v))
        return self._rows.get(row, [])


@dataclass
class Book:
    """The worksheets in order (chart sheets left out), and the custom properties."""

    sheets: list[Sheet]
    properties: dict[str, object]

    def sheet(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)


def from_openpyxl(workbook) -> Book:
    """What openpyxl read, in the same shape."""
    sheets = []
    for ws in workbook.worksheets:
        values = {
            (r, c): v
            for r, row in enumerate(ws.iter_rows(values_only=True), start=1)
            for c, v in enumerate(row, start=1)
            if v is not None
        }
        sheets.append(Sheet(ws.title, ws.sheet_state, values))
    return Book(sheets, {p.name: p.value for p in workbook.custom_doc_props})


def _xml(archive: zipfile.ZipFile, name: str):
    data = archive.read(name)
    # UTF-8, and no DTD, comment or CDATA: openpyxl parses through defusedxml, which refuses
    # entities; the rest is simply not what a form holds.
    if b"<!" in data or _ENCODING.match(data) or b"\0" in data:
        raise Unsure(name)
    try:
        return fromstring(data)
    except ParseError:
        raise Unsure(name) from None


def read(archive: zipfile.ZipFile) -> Book:
    names = set(archive.namelist())
    workbook = _xml(archive, "xl/workbook.xml")
    if workbook.tag != MAIN + "workbook":
        raise Unsure("workbook")
    pr = workbook.find(MAIN + "workbookPr")
    if pr is not None and pr.get("date1904") not in (None, "0", "false"):
        raise Unsure("1904")
    rels = _xml(archive, "xl/_rels/workbook.xml.rels")
    targets = {}
    for rel in rels:
        if rel.tag != PKG_REL + "Relationship" or rel.get("TargetMode"):
            raise Unsure("rel")
        targets[rel.get("Id")] = (rel.get("Type"), rel.get("Target"))
    strings = _strings(archive) if "xl/sharedStrings.xml" in names else []
    styles = _styles(archive)
    sheets, seen = [], set()
    for sheet in _children(workbook, "sheets"):
        title, state = sheet.get("name"), sheet.get("state", "visible")
        kind, target = targets.get(sheet.get(REL + "id"), (None, None))
        if (
            kind != WORKSHEET_REL
            or not title
            or len(title) > 31
            or _BAD_TITLE.search(title)
            or title.lower() in seen
            or state not in ("visible", "hidden", "veryHidden")
        ):
            raise Unsure("sheet")
        seen.add(title.lower())
        path = target[1:] if target.startswith("/") else "xl/" + target
        if path not in names or ".." in path or "\\" in path:
            raise Unsure("sheet part")
        sheets.append(Sheet(title, state, _cells(archive, path, strings, styles)))
    if not sheets:
        raise Unsure("no sheets")
    props = _properties(archive) if "docProps/custom.xml" in names else {}
    return Book(sheets, props)


def _children(node, tag: str) -> list:
    found = node.find(MAIN + tag)
    return list(found) if found is not None else []


def _text(node) -> str:
    """openpyxl's Text.content: the plain <t>, then each run's <t>."""
    plain, runs = None, []
    for child in node:
        if child.tag == MAIN + "t":
            if plain is not None or len(child):
                raise Unsure("text")
            plain = child.text or ""
        elif child.tag == MAIN + "r":
            for part in child:
                if part.tag == MAIN + "t":
                    runs.append(part.text or "")
                elif part.tag != MAIN + "rPr":
                    raise Unsure("run")
        elif child.tag not in (MAIN + "rPh", MAIN + "phoneticPr"):
            raise Unsure("text part")
    text = (plain or "") + "".join(runs)
    if _ESCAPE.search(text):
        raise Unsure("escape")
    return text


def _strings(archive) -> list[str]:
    root = _xml(archive, "xl/sharedStrings.xml")
    if root.tag != MAIN + "sst":
        raise Unsure("sst")
    out = []
    for si in root:
        if si.tag != MAIN + "si":
            raise Unsure("si")
        out.append(_text(si))
    return out


def _styles(archive) -> list[str | None]:
    """Each cell style's kind: 'date', 'number', or None (not understood)."""
    root = _xml(archive, "xl/styles.xml")
    if root.tag != MAIN + "styleSheet":
        raise Unsure("styles")
    custom = {}
    for fmt in _children(root, "numFmts"):
        custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode")
    kinds = []
    for xf in _children(root, "cellXfs"):
        number = int(xf.get("numFmtId", 0))
        code = custom.get(number) if number in custom else BUILTIN.get(number)
        kinds.append("date" if code in DATE_CODES else "number" if code in NUMBER_CODES else None)
    return kinds


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cells(archive, path, strings, styles) -> dict[tuple[int, int], object]:
    root = _xml(archive, path)
    if root.tag != MAIN + "worksheet":
        raise Unsure("worksheet")
    values: dict[tuple[int, int], object] = {}
    data = root.find(MAIN + "sheetData")
    for row in data if data is not None else ():
        if row.tag != MAIN + "row":
            raise Unsure("row")
        for c in row:
            if c.tag != MAIN + "c":
                raise Unsure("cell tag")
            found = _REF.fullmatch(c.get("r") or "")
            if not found:
                raise Unsure("ref")
            at = (int(found.group(2)), _column(found.group(1)))
            values[at] = _value(c, strings, styles)
    for merged in _children(root, "mergeCells"):
        ref = merged.get("ref") or ""
        first, _, last = ref.partition(":")
        a, b = _REF.fullmatch(first), _REF.fullmatch(last or first)
        if not a or not b:
            raise Unsure("merge")
        r1, c1, r2, c2 = int(a[2]), _column(a[1]), int(b[2]), _column(b[1])
        if r1 > r2 or c1 > c2:
            raise Unsure("merge order")
        for r in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                if (r, col) != (r1, c1):
                    values[(r, col)] = None
    return {k: v for k, v in values.items() if v is not None}


def _value(c, strings, styles) -> object:
    kind = c.get("t", "n")
    style = c.get("s", "0")
    if not style.isdigit() or int(style) >= max(len(styles), 1):
        raise Unsure("style")
    for child in c:
        if child.tag not in (MAIN + "v", MAIN + "f", MAIN + "is", MAIN + "extLst"):
            raise Unsure("cell child")
    if kind == "inlineStr":
        node = c.find(MAIN + "is")
        return None if node is None else _text(node)
    v = c.findtext(MAIN + "v", None) or None
    if v is None:
        return None
    if kind == "n":
        if _INT.fullmatch(v):
            number: object = int(v)
        elif _FLOAT.fullmatch(v):
            number = float(v)
        else:
            raise Unsure("number")
        what = styles[int(style)] if styles else "number"
        if what == "number":
            return number
        if what == "date" and isinstance(number, int) and 61 <= number <= 2958465:
            return EPOCH + dt.timedelta(days=number)
        raise Unsure("number format")
    if kind == "s":
        if not v.isdigit() or int(v) >= len(strings):
            raise Unsure("string index")
        return strings[int(v)]
    if kind == "str" or kind == "e":
        if _ESCAPE.search(v):
            raise Unsure("escape")
        return v
    if kind == "b" and v in ("0", "1"):
        return v == "1"
    raise Unsure("cell type")


def _properties(archive) -> dict[str, object]:
    root = _xml(archive, "docProps/custom.xml")
    if root.tag != CUSTOM + "Properties":
        raise Unsure("custom")
    props = {}
    for prop in root:
        kids = list(prop)
        if prop.tag != CUSTOM + "property" or len(kids) != 1 or kids[0].tag != VT + "lpwstr":
            raise Unsure("property")
        if kids[0].text is None or prop.get("name") is None:
            raise Unsure("property value")
        props[prop.get("name")] = kids[0].text
    return props

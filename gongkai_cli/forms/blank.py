"""A round's blank form: what every unit's form in a round has in common, written once by
openpyxl; each unit's form is that blank with the unit's name, digest and task rows put in.

Building a workbook cell by cell, and serialising its styles, is nearly all a form costs;
on the 51 forms of a round all of it is the same but the task rows, the unit's name and the
digest of its tasks. So openpyxl writes one form, for a stand-in unit with two stand-in
rows, and each unit's form is that form's files with

- the stand-in rows replaced by the unit's rows, written as openpyxl writes a row;
- the stand-in name and digest replaced by the unit's, escaped as each file escapes text
  (cells, the page header, the document's title and properties);
- the unit's last row put where the extent of the table is named: the sheet's dimension,
  the print area, and each range of one column over the stand-in rows (the validations).

The blank is used only if the stand-in rows, written that way, come out as openpyxl wrote
them, and every stand-in is found where it is expected and nowhere else; otherwise each
form is built by openpyxl, as is the form of a unit whose name openpyxl might not store as
text. tests/test_form_blank.py checks the forms are those openpyxl builds, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from gongkai_cli.forms import layout
from gongkai_cli.forms.out import (
    FormRow,
    form_identity,
    form_rows,
    form_title,
    page_header,
    write_workbook,
)
from gongkai_cli.output.package import Part, parts, zipped

if TYPE_CHECKING:
    from gongkai_cli.model.book import Book

# Stand-ins: plain ASCII, so written the same in every file, and found in no plan. Two rows,
# as openpyxl writes a range over one row as its one cell (G7, not G7:G7).
UNIT = "GONGKAI-BLANK-UNIT"
DIGEST = "GONGKAI-BLANK-DIGEST"
STAND_INS = [FormRow(n, "-", "lead", "-", "-", None, None, None) for n in (1, 2)]
ROWS = "<!--rows-->"  # where the task rows go, in the blank's sheet

SHEET, ID_SHEET = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"
WORKBOOK, CORE, CUSTOM = "xl/workbook.xml", "docProps/core.xml", "docProps/custom.xml"
# Which places each file holds, and how many times; the sheet also holds any number of
# ranges over the task rows of one column (the validations).
HOLDS = {
    SHEET: {"rows": 1, "dimension": 1, "unit cell": 1, "page header": 1},
    ID_SHEET: {"unit cell": 1, "digest cell": 1},
    WORKBOOK: {"print area": 1},
    CORE: {"title": 1},
    CUSTOM: {"unit property": 1, "digest property": 1},
}
MAX_TEXT = 32767  # openpyxl cuts a cell's text to what Excel holds


class RoundForms:
    """The forms of one round: one ledger, one as-of date, one due date."""

    def __init__(self, book: Book, as_of: dt.date, due: dt.date):
        self.book, self.as_of, self.due = book, as_of, due

    def form(self, unit: str, rows: list[FormRow] | None = None) -> bytes:
        """The unit's form as xlsx bytes (`rows`: its form_rows, where the caller has them)."""
        rows = form_rows(self.book, unit, self.as_of) if rows is None else rows
        ident = form_identity(self.book, unit, self.as_of, self.due, rows)
        if self._blank is None or not rows:
            return write_workbook(ident, rows, self.book.supervised)
        return self._blank.filled(ident, rows)

    @cached_property
    def _blank(self) -> Blank | None:
        ledger = self.book.ledger
        round_ = layout.Identity(ledger.title, ledger.year, UNIT, self.as_of, self.due)
        return Blank.make(round_, self.book.supervised)


@dataclass(frozen=True, slots=True)
class Blank:
    """One round's blank form, cut where the forms of its units differ."""

    files: list[Part]  # as openpyxl wrote them; those in `cut` are filled in per unit
    cut: dict[str, list[str]]  # file → text, place, text, place, …, text
    letters: tuple[str, ...]  # the columns
    styles: tuple[str, ...]  # each column's style in the task rows

    @classmethod
    def make(cls, round_: layout.Identity, supervised: bool) -> Blank | None:
        """The blank of a round (`round_`: the identity of any of its forms), or None."""
        from openpyxl.utils import get_column_letter

        ident = replace(round_, unit=UNIT, digest=DIGEST)
        files = parts(write_workbook(ident, STAND_INS, supervised), ident.as_of)
        content = {name: data.decode() for name, data, _ in files if name in HOLDS}
        sheet = content[SHEET]
        start, end = sheet.find(f'<row r="{layout.FIRST_ROW}"'), sheet.find("</sheetData>")
        if not sheet.isascii() or not 0 < start < end:
            return None
        columns = len(layout.columns(supervised))
        letters = tuple(get_column_letter(c) for c in range(1, columns + 1))
        styles = tuple(re.findall(r'<c r="[A-Z]+\d+" s="(\d+)"', sheet[start:end]))[:columns]
        if len(styles) != columns or sheet[start:end] != _rows(STAND_INS, letters, styles):
            return None
        content[SHEET] = sheet[:start] + ROWS + sheet[end:]
        stand_ins = _places(letters, ident, layout.FIRST_ROW + len(STAND_INS) - 1)
        holds = HOLDS | {SHEET: HOLDS[SHEET] | dict.fromkeys(_columns(letters), None)}
        cut = {name: _cut(content[name], stand_ins, holds[name]) for name in HOLDS}
        if None in cut.values():
            return None
        return cls(files, cut, letters, styles)

    def filled(self, ident: layout.Identity, rows: list[FormRow]) -> bytes:
        last = layout.FIRST_ROW + len(rows) - 1
        values = _places(self.letters, ident, last)
        values["rows"] = _rows(rows, self.letters, self.styles)
        files = []
        for name, content, attrs in self.files:
            pieces = self.cut.get(name)
            if pieces is not None:
                text = "".join(values[p] if i % 2 else p for i, p in enumerate(pieces))
                content = text.encode()
            files.append((name, content, attrs))
        return zipped(files)


def _places(letters: tuple[str, ...], ident: layout.Identity, last: int) -> dict[str, str]:
    """Each place a form differs from unit to unit, as its file has it: the same function
    says what to look for in the blank (given the stand-ins) and what to put there."""
    from openpyxl.worksheet.header_footer import HeaderFooterItem

    first, right = layout.FIRST_ROW, letters[-1]
    unit, digest = ident.unit, ident.digest or ""
    header = HeaderFooterItem()
    header.right.text = page_header(unit)
    places = {
        "rows": ROWS,
        "dimension": f'<dimension ref="A1:{right}{last}"/>',
        "unit cell": _t(unit),
        "page header": _in_sheet(str(header)),
        "digest cell": _t(digest),
        "print area": f"!$A$1:${right}${last}<",
        "title": _property(form_title(unit, ident.as_of)),
        "unit property": _property(unit),
        "digest property": _property(digest),
    }
    for c, place in zip(letters, _columns(letters), strict=True):
        places[place] = f"{c}{first}:{c}{last}" if last > first else f"{c}{first}"
    return places


def _columns(letters: tuple[str, ...]) -> list[str]:
    return [f"column {c}" for c in letters]


def _cut(text: str, stand_ins: dict[str, str], holds: dict[str, int | None]) -> list[str] | None:
    """`text` cut at the places it holds: text, place, text, …; None unless each is found as
    often as expected, and no stand-in elsewhere."""
    wanted = {s: p for p, s in stand_ins.items() if p in holds}
    pattern = "|".join(map(re.escape, sorted(wanted, key=len, reverse=True)))
    pieces = re.split(f"({pattern})", text)
    pieces[1::2] = [wanted[s] for s in pieces[1::2]]
    found = pieces[1::2]
    if any(n is not None and found.count(p) != n for p, n in holds.items()):
        return None
    if any(s in p for p in pieces[::2] for s in (UNIT, DIGEST, ROWS)):
        return None
    return pieces


def _rows(rows: list[FormRow], letters: tuple[str, ...], styles: tuple[str, ...]) -> str:
    """Task rows as openpyxl writes them (worksheet/_writer.py, cell/_writer.py)."""
    return "".join(
        f'<row r="{number}" ht="{row.height():.16g}" customHeight="1">'
        + "".join(
            _cell(f"{letter}{number}", style, value)
            for letter, style, value in zip(letters, styles, row.cells(len(letters)), strict=True)
        )
        + "</row>"
        for number, row in enumerate(rows, start=layout.FIRST_ROW)
    )


def _cell(ref: str, style: str, value: int | str | None) -> str:
    """A number, text (always text, whatever it begins with), or an empty styled cell."""
    if value is None:
        return f'<c r="{ref}" s="{style}" t="n"></c>'
    if isinstance(value, int):
        return f'<c r="{ref}" s="{style}" t="n"><v>{value:.16g}</v></c>'
    if value == "":
        return f'<c r="{ref}" s="{style}" t="inlineStr"></c>'
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is>{_t(value)}</is></c>'


def _property(text: str) -> str:
    """A document property's text, between its tags, as openpyxl writes it
    (descriptors/nested.py)."""
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and text != stripped else ""
    return f"{space}>{_escaped(text)}<"


def _t(text: str) -> str:
    """A cell's text element, as openpyxl writes it (cell/_writer.py)."""
    text = text[:MAX_TEXT]
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<t{space}>{_in_sheet(text)}</t>"


def _in_sheet(text: str) -> str:
    """Text in a worksheet: openpyxl's XML writer writes it in ASCII, every other character
    as a reference (&#25991;)."""
    return _escaped(text).encode("ascii", "xmlcharrefreplace").decode("ascii")


def _escaped(text: str) -> str:
    """Text escaped as libxml2 escapes element text: a carriage return too, which a parser
    would otherwise read as a line feed."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")

"""A returned form is read without openpyxl where the fast reader (forms/xlsx.py) understands
all it holds, and must then read exactly what openpyxl reads: every sheet's title and state,
every cell's value and its type, every custom property. What it does not understand it
hands to openpyxl, and the form reads as it did. (tests/conftest.py compares the two on
every form any test reads; these tests make the forms.)"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from gongkai_cli.forms import layout, xlsx
from gongkai_cli.forms.blank import Blank, RoundForms
from gongkai_cli.forms.out import FormRow, form_rows
from gongkai_cli.forms.read import read_form
from gongkai_cli.ledger.checked import open_book
from gongkai_cli.ledger.datadir import as_data_dir
from tests.conftest import readings_differ
from tests.test_form_blank import AS_OF, DUE, TEXTS, UNITS, awkward_rows, review_on


def by_openpyxl(path: Path, monkeypatch) -> str:
    """The form as read_form reads it through openpyxl, as text (types and all)."""
    with monkeypatch.context() as patch:
        patch.setattr(xlsx, "read", _unsure)
        return repr(read_form(path))


def _unsure(archive):
    raise xlsx.Unsure("as before")


def fill(data: bytes, cells: dict[str, object]) -> bytes:
    """The form as a unit fills it in (openpyxl saves it, as Excel would save it anew)."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        workbook[layout.FORM_SHEET][ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


FILLED = {
    "G7": "进行中",
    "H7": "第一行\n第二行 & <标记>",
    "I7": dt.date(2021, 10, 20),
    "G8": "已完成",
    "I8": "10月20日",
    "H8": 12.5,
    "B3": "张三",
    "E3": 13900000000,
    "H9": True,
    "I9": "=1+1",
    "A40": "多出的一行",
}


@pytest.mark.parametrize("supervised", [False, True], ids=["bundled", "reviewed"])
def test_every_form_of_the_bundled_round_reads_as_openpyxl_reads_it(
    ledger, monkeypatch, tmp_path, supervised
):
    if supervised:
        review_on(ledger)
    book = open_book(as_data_dir(ledger / "data"))
    forms = RoundForms(book, AS_OF, DUE)
    units = [u for u in book.ledger.index.units if form_rows(book, u, AS_OF)]
    for number, unit in enumerate(units):
        made = forms.form(unit)
        for data in (made, fill(made, FILLED)) if number % 5 == 0 else (made,):
            assert readings_differ(data) is None, unit
            path = tmp_path / f"{unit}.xlsx"
            path.write_bytes(data)
            assert repr(read_form(path)) == by_openpyxl(path, monkeypatch), unit


@pytest.mark.parametrize("supervised", [False, True])
def test_forms_of_any_text_read_as_openpyxl_reads_them(supervised, tmp_path, monkeypatch):
    blank = Blank.make(
        layout.Identity("测试县2021年计划 & <附件>", 2021, "", AS_OF, DUE), supervised
    )
    for i, unit in enumerate(UNITS):
        rows = awkward_rows(i, 5)
        ident = layout.Identity("测试县2021年计划 & <附件>", 2021, unit, AS_OF, DUE, f"{i:016x}")
        data = blank.filled(ident, rows)
        assert readings_differ(data) is None, unit
        path = tmp_path / f"{i}.xlsx"
        path.write_bytes(data)
        assert repr(read_form(path)) == by_openpyxl(path, monkeypatch), unit


def _form(ledger: Path) -> bytes:
    book = open_book(as_data_dir(ledger / "data"))
    return RoundForms(book, AS_OF, DUE).form("县财政局")


def _edit(data: bytes, part: str, change) -> bytes:
    """The form with one part's XML changed as another program might have written it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, content)
    return out.getvalue()


SHEET, WORKBOOK, STYLES = "xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"


def _cell(xml: str, ref: str, cell: str) -> str:
    """The sheet with cell `ref` replaced by `cell`."""
    return re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', cell, xml, count=1)


HANDED_OVER = {
    "1904 calendar": (WORKBOOK, lambda x: x.replace("<workbookPr/>", '<workbookPr date1904="1"/>')),
    "an _x escape": (
        SHEET,
        lambda x: _cell(x, "H7", '<c r="H7" t="inlineStr"><is><t>a_x000D_b</t></is></c>'),
    ),
    "an ISO date cell": (SHEET, lambda x: _cell(x, "I7", '<c r="I7" t="d"><v>2021-10-20</v></c>')),
    "a number format it does not know": (
        SHEET,
        lambda x: _cell(x, "I7", '<c r="I7" s="4"><v>44489.5</v></c>'),
    ),
    "a cell without its reference": (
        SHEET,
        lambda x: _cell(x, "G7", '<c t="inlineStr"><is><t>进行中</t></is></c>'),
    ),
    "a prefixed namespace": (
        SHEET,
        lambda x: (
            x.replace("<worksheet xmlns=", "<x:worksheet xmlns:x=", 1)
            .replace("</worksheet>", "</x:worksheet>")
            .replace("<sheetData>", "<x:sheetData>")
            .replace("</sheetData>", "</x:sheetData>")
        ),
    ),
    "a comment": (SHEET, lambda x: x.replace("<sheetData>", "<!-- 注 --><sheetData>", 1)),
    "a style out of range": (
        SHEET,
        lambda x: _cell(x, "G7", '<c r="G7" s="999" t="inlineStr"><is><t>进行中</t></is></c>'),
    ),
}


@pytest.mark.parametrize("what", list(HANDED_OVER))
def test_what_the_fast_reader_was_not_written_for_is_read_by_openpyxl(
    ledger, tmp_path, monkeypatch, what
):
    part, change = HANDED_OVER[what]
    data = _edit(_form(ledger), part, change)
    with pytest.raises(xlsx.Unsure):
        xlsx.read(zipfile.ZipFile(io.BytesIO(data)))
    path = tmp_path / "form.xlsx"
    path.write_bytes(data)
    try:
        expected = by_openpyxl(path, monkeypatch)
    except Exception as exc:  # a file openpyxl refuses is refused the same way
        with pytest.raises(type(exc)) as raised:
            read_form(path)
        assert str(raised.value) == str(exc)
        return
    assert repr(read_form(path)) == expected


READ_ALIKE = {
    "rich text runs in shared strings": (
        SHEET,
        lambda x: _cell(x, "H7", '<c r="H7" t="s"><v>0</v></c>'),
        (
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<si><r><rPr><b/></rPr><t xml:space="preserve">加粗 </t></r><r><t>普通</t></r>'
            '<rPh sb="0" eb="1"><t>ふりがな</t></rPh></si></sst>',
        ),
    ),
    "a formula's cached text": (
        SHEET,
        lambda x: _cell(x, "H7", '<c r="H7" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'),
        None,
    ),
    "a formula's cached number": (
        SHEET,
        lambda x: _cell(x, "H8", '<c r="H8"><f>1+1</f><v>2</v></c>'),
        None,
    ),
    "an error value": (SHEET, lambda x: _cell(x, "H7", '<c r="H7" t="e"><v>#N/A</v></c>'), None),
    "a boolean": (SHEET, lambda x: _cell(x, "H7", '<c r="H7" t="b"><v>1</v></c>'), None),
    "an empty inline string": (
        SHEET,
        lambda x: _cell(x, "H7", '<c r="H7" t="inlineStr"><is><t/></is></c>'),
        None,
    ),
    "a value inside a merged range": (
        SHEET,
        lambda x: _cell(x, "B4", '<c r="B4" t="inlineStr"><is><t>并入</t></is></c>'),
        None,
    ),
}


@pytest.mark.parametrize("what", list(READ_ALIKE))
def test_what_the_fast_reader_reads_it_reads_as_openpyxl(ledger, tmp_path, monkeypatch, what):
    part, change, extra = READ_ALIKE[what]
    data = _edit(_form(ledger), part, change)
    if extra is not None:
        data = _add_shared_strings(data, extra[1])
    assert readings_differ(data) is None
    path = tmp_path / "form.xlsx"
    path.write_bytes(data)
    assert repr(read_form(path)) == by_openpyxl(path, monkeypatch)


def _add_shared_strings(data: bytes, xml: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                    b"</Relationships>",
                )
            target.writestr(info.filename, content)
        target.writestr("xl/sharedStrings.xml", xml.encode("utf-8"))
    return out.getvalue()


def test_the_fast_reader_reads_the_forms_a_round_is_made_of(ledger):
    """Not a vacuous comparison: the forms gongkai writes, and the same forms filled in and
    saved anew by openpyxl, are read by the fast reader, not handed over."""
    made = _form(ledger)
    for data in (made, fill(made, FILLED)):
        book = xlsx.read(zipfile.ZipFile(io.BytesIO(data)))
        assert [s.title for s in book.sheets] == [layout.FORM_SHEET, layout.ID_SHEET]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_forms_saved_anew_by_libreoffice_read_as_openpyxl_reads_them(ledger, tmp_path, monkeypatch):
    review_on(ledger)
    book = open_book(as_data_dir(ledger / "data"))
    forms = RoundForms(book, AS_OF, DUE)
    sent = tmp_path / "sent"
    sent.mkdir()
    units = ["县财政局", "县教育局", "县政府办公室"]
    for unit in units:
        (sent / f"{unit}.xlsx").write_bytes(fill(forms.form(unit), FILLED))
    blank = Blank.make(layout.Identity("测试县2021年计划 & <附件>", 2021, "", AS_OF, DUE), False)
    rows = [
        FormRow(n + 1, TEXTS[n], "lead", TEXTS[n + 1], TEXTS[n + 2], None, AS_OF, "", None)
        for n in range(9)
    ]
    ident = layout.Identity("测试县2021年计划 & <附件>", 2021, UNITS[1], AS_OF, DUE, "0" * 16)
    (sent / "awkward.xlsx").write_bytes(blank.filled(ident, rows))
    resaved = tmp_path / "resaved"
    subprocess.run(
        [
            *("soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(resaved)),
            *sorted(str(p) for p in sent.iterdir()),
        ],
        check=True,
        capture_output=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=240,
    )
    read_fast = 0
    for path in sorted(resaved.iterdir()):
        data = path.read_bytes()
        try:
            assert readings_differ(data) is None, path.name
            read_fast += 1
        except xlsx.Unsure:
            pass
        assert repr(read_form(path)) == by_openpyxl(path, monkeypatch), path.name
    assert len(list(resaved.iterdir())) == 4
    print(f"LibreOffice: {read_fast} of 4 read by the fast reader")


def test_the_number_formats_it_knows_are_what_openpyxl_makes_of_them():
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    for code in xlsx.DATE_CODES:
        assert is_date_format(code) and not is_timedelta_format(code), code
    for code in xlsx.NUMBER_CODES:
        assert not is_date_format(code), code
    for number, code in xlsx.BUILTIN.items():
        assert BUILTIN_FORMATS[number] == code


@pytest.mark.unread_part_damaged
@pytest.mark.parametrize(
    ("part", "change"),
    [
        (STYLES, lambda xml: re.sub(r'<sz val="[^"]*"', '<sz val="大"', xml, count=1)),
        ("docProps/core.xml", lambda xml: xml[: len(xml) // 2]),
    ],
    ids=["a font size that is no number", "core properties cut short"],
)
def test_a_form_damaged_only_where_nothing_is_read_is_read(ledger, tmp_path, part, change):
    """openpyxl refused such a file as damaged; the values the unit filled in are whole, so
    the form is read (and checked, row by row, as any other)."""
    data = _edit(fill(_form(ledger), {"G7": "进行中", "H7": "已起草"}), part, change)
    with pytest.raises(Exception):  # noqa: B017 — openpyxl's parsers raise what they meet
        openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    path = tmp_path / "县财政局.xlsx"
    path.write_bytes(data)
    form = read_form(path)
    assert (form.unit.value, form.source) == ("县财政局", "properties")
    assert [(r.status.value, r.note.value) for r in form.rows if r.status.value] == [
        ("进行中", "已起草")
    ]

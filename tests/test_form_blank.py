"""A round's forms are filled into a blank that openpyxl writes once (forms/blank.py): each
must be, byte for byte, the form openpyxl builds cell by cell for that unit, and the forms
of the bundled plan what they were before the blank existed."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zlib
from pathlib import Path

import openpyxl
import pytest

from gongkai_cli.forms import layout
from gongkai_cli.forms.blank import Blank, RoundForms
from gongkai_cli.forms.out import FormRow, form_identity, form_rows, write_workbook
from gongkai_cli.ledger.checked import open_book
from gongkai_cli.ledger.datadir import as_data_dir
from tests.conftest import git, write_ledger

AS_OF, DUE = dt.date(2021, 10, 31), dt.date(2021, 11, 7)


def review_on(ledger: Path) -> None:
    tasks = ledger / "data" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text.replace("\nyear: 2021\n", "\nyear: 2021\nreview: true\n", 1), "utf-8")
    git(ledger, "commit", "-qam", "review on")


@pytest.mark.parametrize("supervised", [False, True], ids=["bundled", "reviewed"])
def test_every_form_of_a_round_is_the_one_openpyxl_builds(gongkai, ledger, monkeypatch, supervised):
    monkeypatch.chdir(ledger)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-11-20")
    if supervised:  # claims, notes with markup, and claims the office returned
        review_on(ledger)
        for task, status, note in [(7, "已完成", "已公开 & <核对>"), (8, "进行中", " 前后空格 ")]:
            gongkai(
                "update", task, "-u", "县财政局", "-s", status, "-n", note, "--date", "2021-10-20"
            )
        assert (
            gongkai("review", "退回", "--unit", "县财政局", "--note", "链接&打不开").exit_code == 0
        )
    book = open_book(as_data_dir(ledger / "data"))
    assert book.supervised is supervised
    forms = RoundForms(book, AS_OF, DUE)
    units = [u for u in book.ledger.index.units if form_rows(book, u, AS_OF)]
    assert len(units) == 51
    for unit in units:
        rows = form_rows(book, unit, AS_OF)
        expected = write_workbook(form_identity(book, unit, AS_OF, DUE, rows), rows, supervised)
        assert forms.form(unit) == expected, unit
    assert forms._blank is not None  # the forms above came from the blank


TEXTS = [
    "公开 & <审核> \"引号\" 'single' ]]>",
    " 前后有空格 ",
    "全角空格\u3000",
    "=SUM(A1:A2)",
    "#N/A",
    "制表\t符",
    "两行\n说明",
    "回车\r\n换行",
    "\U00020000 扩展B区 🙂",
    "下一行\x85符号\u2028分隔",
    "",
    "长" * 40000,  # cut to 32,767 characters, as openpyxl cuts it
]
UNITS = ["县财政局", "A&B <局>", "  空格单位", "&&R&P", "页&[Page]码", "制表\t单位"]


def awkward_rows(i: int, count: int) -> list[FormRow]:
    """`count` rows of the awkward TEXTS, in every column, shifted by `i`."""
    return [
        FormRow(
            n + 1,
            TEXTS[(i + n) % len(TEXTS)],
            "lead" if n % 2 else "implementer",
            TEXTS[(i + n + 3) % len(TEXTS)],
            TEXTS[(i + n + 5) % len(TEXTS)],
            "逾期" if n % 3 == 0 else None,
            AS_OF if n % 2 else None,
            TEXTS[(i + n + 7) % len(TEXTS)],
            TEXTS[(i + n + 9) % len(TEXTS)] if n % 4 == 1 else None,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("supervised", [False, True])
@pytest.mark.parametrize("count", [1, 2, 5])
def test_any_text_is_written_as_openpyxl_writes_it(supervised, count):
    blank = Blank.make(
        layout.Identity("测试县2021年计划 & <附件>", 2021, "", AS_OF, DUE), supervised
    )
    assert blank is not None
    for i, unit in enumerate(UNITS):
        rows = awkward_rows(i, count)
        ident = layout.Identity("测试县2021年计划 & <附件>", 2021, unit, AS_OF, DUE, f"{i:016x}")
        assert blank.filled(ident, rows) == write_workbook(ident, rows, supervised), unit


def test_a_unit_name_that_looks_like_a_formula_or_an_error_is_text_on_its_form(tmp_path):
    """openpyxl would store "=县财政局" as a formula and "#NULL!" as an error value: the form's
    header keeps each as the text it is, and the blank fills them as it fills any name."""
    units = """\
        groups: []
        units:
        - name: "=县财政局"
          kind: 政府工作部门
        - name: "#NULL!"
          kind: 政府工作部门
        - name: 县审计局
          kind: 政府工作部门
        """
    tasks = """\
        title: 测试县2021年计划
        year: 2021
        tasks:
        - number: 1
          section: 一、公开
          subsection: （一）财政。
          requirement: 公开预算。
          responsibility: "=县财政局、#NULL!、县审计局负责落实"
          deadline: 年底前
        """
    book = open_book(as_data_dir(write_ledger(tmp_path, tasks=tasks, units=units)))
    forms = RoundForms(book, AS_OF, DUE)
    for unit in ("=县财政局", "#NULL!", "县审计局"):
        rows = form_rows(book, unit, AS_OF)
        made = forms.form(unit)
        assert made == write_workbook(form_identity(book, unit, AS_OF, DUE, rows), rows, False)
        sheet = openpyxl.load_workbook(io.BytesIO(made)).worksheets[0]
        assert (sheet["B2"].value, sheet["B2"].data_type) == (unit, "s"), unit
    assert forms._blank is not None


# SHA-256 of the 51 forms (name, NUL, bytes; by name) that bc2a7a1 wrote for the bundled
# plan as of 2021-10-31, with review off and on, using openpyxl 3.1.5 and zlib 1.2.13: other
# versions write other bytes, such as the version in docProps/app.xml.
BEFORE = {
    False: "62dcf3657d5c7e6ab062aa513baf4b0e1a54a27e683dadad0ef82ddc193a5ea4",
    True: "ec856a6618097224f93892685de7cf9667ed9bc2369b5666fcf81f70626e8521",
}


@pytest.mark.skipif(
    (openpyxl.__version__, zlib.ZLIB_RUNTIME_VERSION) != ("3.1.5", "1.2.13"),
    reason="the recorded digests were written by openpyxl 3.1.5 with zlib 1.2.13",
)
@pytest.mark.parametrize("supervised", [False, True], ids=["bundled", "reviewed"])
def test_the_bundled_round_is_what_it_was(gongkai, ledger, monkeypatch, supervised):
    monkeypatch.chdir(ledger)
    if supervised:
        review_on(ledger)
    result = gongkai("forms", "--all-units", "--as-of", AS_OF.isoformat(), "--out", "round")
    assert result.exit_code == 0, result.stderr
    digest = hashlib.sha256()
    for form in sorted((ledger / "round").iterdir()):
        digest.update(form.name.encode() + b"\0" + form.read_bytes())
    assert digest.hexdigest() == BEFORE[supervised]

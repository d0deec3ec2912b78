"""Word and Excel reports read back as a reader's software sees them: page, fonts, merged
cells, repeated headers, typed numbers, charts, every note; and the same bytes every time."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from tests.conftest import write_ledger

UNITS = ["县财政局", "甲镇", "乙镇", "县政府办公室", "县教育局", "县档案馆"]
# A note long enough that six of them overflow one 进展情况 cell.
NOTES = {
    u: f"{u}已在政府信息公开专栏公开预算决算，并逐项说明三公经费、政府采购和绩效目标，公开后同步报送县政务公开办备案。"
    for u in UNITS
}


@pytest.fixture
def noted(tmp_path):
    """The mini plan where every unit of task 1 sent a long note, and task 2 is done."""
    lines = [
        f"- {{date: 2021-06-{10 + i}, task: 1, unit: {u}, status: 进行中, note: {NOTES[u]}}}\n"
        for i, u in enumerate(reversed(UNITS))
    ]
    lines.append(
        "- {date: 2021-06-01, task: 2, unit: 县政府办公室, status: 已完成, note: 已解读}\n"
    )
    return write_ledger(tmp_path, progress="".join(lines))


def run_report(gongkai, tmp_path, *args: str, name: str) -> tuple[object, object]:
    out = tmp_path / name
    result = gongkai(*args, "--as-of", "2021-07-10", "--out", out, "--data", "data")
    assert result.exit_code == 0, result.stderr
    return out, result


def east_asian(element) -> str | None:
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def as_read(text: str) -> str:
    """Text as a reader sees it: without the lines a cell was broken into and the
    zero-width no-break joins that keep a unit's name on one line (cjk.unbreakable)."""
    return text.replace("\ufeff", "").replace("\n", "")


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return as_read("\n".join(parts))


# ----- Word -----


def test_progress_docx_is_a_landscape_a4_section_in_the_official_fonts(gongkai, noted, tmp_path):
    out, _ = run_report(
        gongkai,
        tmp_path,
        "report",
        "progress",
        "-f",
        "docx",
        "--issuer",
        "县政务公开办",
        name="p.docx",
    )
    document = docx.Document(out)
    (section,) = document.sections
    assert section.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    # GB/T 9704 margins, turned with the paper: 37/35 mm now at the sides.
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [37, 35]
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [26, 28]

    title, as_of = document.paragraphs[0], document.paragraphs[1]
    assert title.text == "测试县2021年政务公开重点工作任务进展情况"
    assert title.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    (run,) = title.runs
    assert (run.font.name, east_asian(run._r), run.font.size.pt) == (
        "方正小标宋简体",
        "方正小标宋简体",
        22,
    )
    assert as_of.text == "（截至2021年7月10日）"
    normal = document.styles["Normal"]
    assert (east_asian(normal.element), normal.font.size.pt) == ("仿宋_GB2312", 16)
    font_table = zipfile.ZipFile(out).read("word/fontTable.xml").decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in font_table
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in font_table

    table = document.tables[0]
    header = table.rows[0]
    assert [c.text for c in header.cells] == [
        "工作任务",
        "具体要求",
        "责任单位",
        "时限要求",
        "进展情况",
    ]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    cell_run = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert (east_asian(cell_run._r), cell_run.font.size.pt) == ("仿宋", 10.5)
    # Tasks 1 and 2 share （一）财政信息。: one cell drawn over both rows, no rule between.
    first, second = table.cell(1, 0), table.cell(2, 0)
    assert as_read(first.text) == "（一）财政信息。" and second.text == ""
    assert first._tc.tcPr.find(qn("w:tcBorders")).find(qn("w:bottom")).get(qn("w:val")) == "nil"
    assert second._tc.tcPr.find(qn("w:tcBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"

    footer = section.footer.paragraphs[0]
    assert footer.text == "— 1 —"
    assert 'w:instrText xml:space="preserve"> PAGE </w:instrText>' in footer._p.xml
    assert [p.text for p in document.paragraphs[-2:]] == ["县政务公开办", "2021年7月10日"]


def test_every_note_is_in_the_word_report_and_the_cut_cell_says_so(gongkai, noted, tmp_path):
    out, _ = run_report(gongkai, tmp_path, "report", "progress", "-f", "docx", name="p.docx")
    document = docx.Document(out)
    cell = as_read(document.tables[0].cell(1, 4).text)
    # Lead unit first; the cell ends by naming how many units' notes the appendix holds.
    assert cell.startswith(
        "0/6 个单位已完成；逾期未完成：县财政局、甲镇、乙镇、县政府办公室、县教育局、县档案馆；县财政局：县财政局已在"
    )
    assert re.search(r"；(\w+)等(\d)个单位（详见附表）。$", cell)
    shown = [u for u in UNITS if f"{u}：{NOTES[u].rstrip('。')}" in cell]
    left = int(re.search(r"等(\d)个单位", cell).group(1))
    assert len(shown) + left == len(UNITS)
    appendix = document.tables[-1]
    assert [c.text for c in appendix.rows[0].cells] == [
        "编号",
        "单位",
        "角色",
        "状态",
        "日期",
        "进展情况",
    ]
    assert [as_read(r.cells[1].text) for r in appendix.rows[1:]] == UNITS
    assert [as_read(r.cells[5].text) for r in appendix.rows[1:]] == [NOTES[u] for u in UNITS]
    assert appendix.rows[1].cells[2].text == "牵头"
    text = all_text(document)
    assert all(note in text for note in NOTES.values())


def test_unit_docx_is_landscape_and_all_units_is_one_document_with_page_breaks(
    gongkai, noted, tmp_path
):
    out, _ = run_report(
        gongkai, tmp_path, "report", "unit", "县政府办", "-f", "docx", name="u.docx"
    )
    document = docx.Document(out)
    # Landscape, as the progress report: two columns of long text beside four short ones.
    assert document.sections[0].orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    assert [
        round(m.mm) for m in (document.sections[0].top_margin, document.sections[0].left_margin)
    ] == [26, 37]
    assert document.paragraphs[0].text == "县政府办公室2021年政务公开重点工作任务责任清单"

    out, result = run_report(
        gongkai, tmp_path, "report", "unit", "--all-units", "-f", "docx", name="all.docx"
    )
    assert result.stdout == f"已生成：{out}\n"
    document = docx.Document(out)
    titles = [p.text.replace("\n", "") for p in document.paragraphs if p.text.endswith("责任清单")]
    assert titles == [
        f"{u}2021年政务公开重点工作任务责任清单"
        for u in ["甲镇", "乙镇", "县政府办公室", "县财政局", "县教育局", "县档案馆"]
    ]
    assert document.element.body.xml.count('w:type="page"') == len(titles) - 1


def test_docx_and_xlsx_are_byte_reproducible(gongkai, noted, tmp_path):
    reports = [
        ("report", "progress"),
        ("report", "overdue"),
        ("report", "unit", "县财政局"),
        ("stats",),
        ("report", "unit", "--all-units"),
    ]
    for fmt in ("docx", "xlsx"):
        for args in reports:
            first, _ = run_report(gongkai, tmp_path, *args, "-f", fmt, name=f"1.{fmt}")
            content = first.read_bytes()
            time.sleep(1.1)  # the wall clock must not leak into the file
            second, _ = run_report(gongkai, tmp_path, *args, "-f", fmt, name=f"2.{fmt}")
            assert second.read_bytes() == content, (fmt, args)
            infos = zipfile.ZipFile(io.BytesIO(content)).infolist()
            assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
            core = zipfile.ZipFile(io.BytesIO(content)).read("docProps/core.xml").decode()
            assert ">2021-07-10T00:00:00Z</dcterms:modified>" in core


# ----- Excel -----


def test_stats_xlsx_stores_numbers_and_rates_and_draws_a_chart(gongkai, noted, tmp_path):
    out, _ = run_report(gongkai, tmp_path, "stats", "-f", "xlsx", name="s.xlsx")
    sheet = openpyxl.load_workbook(out)["统计"]
    assert sheet["A1"].value == "测试县2021年政务公开重点工作任务完成情况统计（按单位）"
    assert sheet["A2"].value == "截至2021年7月10日"
    assert [c.value for c in sheet[3]] == [
        "单位",
        "项次",
        "完成",
        "按期",
        "逾期",
        "完成率",
        "按期率",
    ]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "县政府办公室")
    assert [c.value for c in row[1:5]] == [3, 1, 1, 1]
    assert row[5].value == pytest.approx(1 / 3) and row[5].number_format == "0.0%"
    assert row[6].value == 0.5 and row[6].number_format == "0.0%"
    assert sheet["A4"].font.name == "宋体" and sheet["A1"].font.name == "宋体"
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3"
    assert sheet.merged_cells.ranges and "A1:G1" in {str(r) for r in sheet.merged_cells.ranges}
    notes = [as_read(sheet.cell(row=r, column=1).value or "") for r in range(1, sheet.max_row + 1)]
    assert "未指定单位的任务：3（县政府有关部门）；4（县政府有关部门）。" in notes
    chart = zipfile.ZipFile(out).read("xl/charts/chart1.xml").decode()
    assert re.search(r"<(c:)?barChart>", chart) and "各单位完成率" in chart
    assert "'统计'!$F$4:$F$9" in chart and "'统计'!$A$4:$A$9" in chart  # six units, not 合计


def test_bulletin_xlsx_charts_overdue_by_unit(gongkai, noted, tmp_path):
    out, _ = run_report(gongkai, tmp_path, "report", "overdue", "-f", "xlsx", name="o.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["逾期任务", "各单位"]
    ranking = book["各单位"]
    assert [c.value for c in ranking[4]] == [1, "县财政局", 1, "1（10天）"]
    late = book["逾期任务"]
    assert [c.value for c in late[4]][:4] == [1, "公开预算决算。", "6月底前", 10]
    chart = zipfile.ZipFile(out).read("xl/charts/chart1.xml").decode()
    assert "各单位逾期任务数" in chart and "'各单位'!$C$4:$C$9" in chart


def test_progress_xlsx_merges_tasks_and_puts_every_note_in_the_appendix_sheet(
    gongkai, noted, tmp_path
):
    out, _ = run_report(gongkai, tmp_path, "report", "progress", "-f", "xlsx", name="p.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["进展情况", "附表"]
    sheet = book["进展情况"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # Each section is a row across the table; each subsection spans its two tasks.
    assert {"A4:E4", "A5:A6", "A7:E7", "A8:A9"} <= merged
    assert sheet["A4"].value == "一、强化信息公开"
    assert as_read(sheet["A5"].value) == "（一）财政信息。"
    assert "（详见附表）" in as_read(sheet["E5"].value)
    appendix = book["附表"]
    assert [c.value for c in appendix[3]] == ["编号", "单位", "角色", "状态", "日期", "进展情况"]
    rows = [[c.value for c in r] for r in appendix.iter_rows(min_row=4, max_row=9)]
    assert [r[0] for r in rows] == [1] * 6
    assert [as_read(r[5]) for r in rows] == [NOTES[u] for u in UNITS]


def test_all_units_xlsx_is_one_workbook_with_an_index(gongkai, noted, tmp_path):
    out, _ = run_report(
        gongkai, tmp_path, "report", "unit", "--all-units", "-f", "xlsx", name="all.xlsx"
    )
    book = openpyxl.load_workbook(out)
    units = ["甲镇", "乙镇", "县政府办公室", "县财政局", "县教育局", "县档案馆"]
    assert book.sheetnames == ["目录", *units]
    index = book["目录"]
    assert [c.value for c in index[3]] == ["序号", "单位", "任务数", "已完成", "逾期未完成"]
    assert [c.value for c in index[6]] == [3, "县政府办公室", 3, 1, 1]
    assert index["B6"].hyperlink.location == "'县政府办公室'!A1"
    sheet = book["县政府办公室"]
    assert [c.value for c in sheet[3]] == [
        "编号",
        "角色",
        "具体要求",
        "时限要求",
        "截止日期",
        "本单位状态",
        "说明",
    ]
    assert [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=4, max_row=6)] == [
        (3, "牵头"),
        (1, "落实"),
        (2, "落实"),
    ]


# ----- CSV -----


def test_csv_file_has_a_bom_and_other_encodings_on_request(gongkai, noted, tmp_path):
    out, _ = run_report(gongkai, tmp_path, "stats", "-f", "csv", name="s.csv")
    assert out.read_bytes().startswith("\ufeff单位,项次".encode())
    out, _ = run_report(
        gongkai, tmp_path, "stats", "-f", "csv", "--encoding", "utf-8", name="u.csv"
    )
    assert out.read_bytes().startswith("单位,项次".encode())
    out, _ = run_report(
        gongkai, tmp_path, "stats", "-f", "csv", "--encoding", "gb18030", name="g.csv"
    )
    assert out.read_bytes().decode("gb18030").startswith("单位,项次")
    piped = gongkai("stats", "-f", "csv", "--as-of", "2021-07-10", "--data", "data")
    assert piped.stdout.startswith("单位,项次")  # a pipe gets no BOM unless asked
    wrong = gongkai("stats", "-f", "md", "--encoding", "gb18030", "--data", "data")
    assert (wrong.exit_code, wrong.stderr) == (1, "错误：--encoding 只用于 --format csv。\n")


def test_progress_csv_is_one_table_with_every_note(gongkai, noted, tmp_path):
    import csv

    out, _ = run_report(gongkai, tmp_path, "report", "progress", "-f", "csv", name="p.csv")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["工作任务", "具体要求", "责任单位", "时限要求", "进展情况"]
    assert len(rows) == 1 + 4
    assert all(f"{u}：{NOTES[u].rstrip('。')}" in rows[1][4] for u in UNITS)
    assert "详见附表" not in rows[1][4]


# ----- what counts as a unit -----


def test_undesignated_groups_are_never_ranked_or_counted(gongkai, tmp_path):
    write_ledger(tmp_path, progress="")
    result = gongkai(
        "report", "overdue", "--as-of", "2022-01-05", "-f", "md", "--out", "-", "--data", "data"
    )
    text = result.stdout
    assert "共有 3 项任务逾期未完成，涉及 6 个单位。" in text
    assert "未指定单位的任务：4（县政府有关部门）。" in text
    ranking = text.split("## 二、各单位逾期情况")[1]
    assert "县政府有关部门" not in ranking
    assert "| 4 | 编制目录。 | 年底前 | 5 | 县政府有关部门（未指定） |" in text
    stats = gongkai("stats", "--as-of", "2022-01-05", "-f", "json", "--data", "data").stdout
    assert "县政府有关部门" not in stats.split('"unspecified"')[0]
    assert '"groups": [\n        "县政府有关部门"\n      ]' in stats


# ----- file names and --out -----


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("report", "progress", "-f", "docx"), "进展情况-2021-07-10.docx"),
        (("report", "overdue", "-f", "xlsx"), "逾期通报-2021-07-10.xlsx"),
        (("report", "unit", "县财政局", "-f", "docx"), "责任清单-县财政局-2021-07-10.docx"),
        (("stats", "-f", "xlsx"), "完成情况统计-2021-07-10.xlsx"),
        (("report", "unit", "--all-units", "-f", "xlsx"), "责任清单-全部单位-2021-07-10.xlsx"),
    ],
)
def test_default_file_names_are_chinese(gongkai, noted, tmp_path, args, name):
    result = gongkai(*args, "--as-of", "2021-07-10", "--data", "data")
    assert result.stdout == f"已生成：reports/{name}\n"  # beside data/, named as given
    assert (tmp_path / "reports" / name).stat().st_size > 0


def test_an_out_extension_that_contradicts_the_format_is_refused(gongkai, noted, tmp_path):
    result = gongkai("report", "progress", "-f", "xlsx", "--out", "报表.md", "--data", "data")
    assert (result.exit_code, result.stderr) == (
        1,
        "错误：--out 报表.md 的扩展名是 .md，与 --format xlsx 不符；请把文件名改为 报表.xlsx，或改用 --format md。\n",
    )
    result = gongkai("report", "progress", "-f", "docx", "--out", "报表.txt", "--data", "data")
    assert (
        result.stderr
        == "错误：--format docx 的文件应以 .docx 结尾：报表.txt 不是；请改为 报表.docx。\n"
    )
    result = gongkai("report", "progress", "-f", "docx", "--out", "-", "--data", "data")
    assert result.stderr == "错误：Word 文件不能输出到屏幕，请用 --out 指定文件。\n"
    assert not list(tmp_path.glob("报表*"))
    # Without --format, the extension of --out says what to write.
    result = gongkai("stats", "--out", "统计.xlsx", "--data", "data")
    assert result.exit_code == 0 and zipfile.is_zipfile(tmp_path / "统计.xlsx")
    # ... and one gongkai cannot write is refused, not filled with Markdown.
    result = gongkai("report", "progress", "--out", "进展情况.pdf", "--data", "data")
    assert (result.exit_code, result.stderr) == (
        1,
        "错误：--out 进展情况.pdf 的扩展名 .pdf 不是可以写出的格式；"
        "请以 .docx、.xlsx、.md、.csv 或 .json 结尾，或用 --format 指明格式。\n",
    )
    assert not (tmp_path / "进展情况.pdf").exists()


# ----- LibreOffice: what a printed page looks like -----


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")
def test_word_reports_print_as_expected_in_libreoffice(gongkai, noted, tmp_path):
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        pytest.skip("poppler-utils (pdfinfo) 未安装")
    # The appendix's last row is whole on a page of its own: rows are not split.
    expected = {"progress": ("landscape", 3), "overdue": ("portrait", 1)}
    for kind, (orientation, pages) in expected.items():
        out, _ = run_report(gongkai, tmp_path, "report", kind, "-f", "docx", name=f"{kind}.docx")
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(out),
            ],
            check=True,
            capture_output=True,
            timeout=240,
        )
        info = subprocess.run(
            [pdfinfo, "-f", "1", "-l", "99", str(tmp_path / f"{kind}.pdf")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) == pages, kind
        sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
        assert len(sizes) == pages
        for width, height in sizes:
            assert (float(width) > float(height)) == (orientation == "landscape"), kind
            assert round(min(float(width), float(height)) / 72 * 25.4) == 210  # A4


def test_markdown_report_carries_the_appendix_too(gongkai, noted):
    text = gongkai(
        "report", "progress", "--as-of", "2021-07-10", "-f", "md", "--out", "-", "--data", "data"
    ).stdout
    body, appendix = text.split("## 附表：各单位进展情况\n")
    assert "（详见附表）" in body
    assert all(f"| 1 | {u} |" in appendix and NOTES[u] in appendix for u in UNITS)


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """The 2021 plan with a full year of updates, as the benchmarks generate it."""
    from benchmarks.generate import write_year

    data = tmp_path_factory.mktemp("year") / "data"
    write_year(data)
    return data


@pytest.mark.parametrize(
    "args",
    [("report", "progress"), ("report", "overdue"), ("report", "unit", "县财政局"), ("stats",)],
)
def test_each_report_renders_in_every_file_format_on_a_year_of_updates(
    gongkai, year, tmp_path, args
):
    for fmt in ("md", "docx", "xlsx", "csv", "json"):
        out = tmp_path / f"r.{fmt}"
        result = gongkai(*args, "--as-of", "2021-10-31", "-f", fmt, "--out", out, "--data", year)
        assert (result.exit_code, result.stderr) == (0, ""), fmt
        content = out.read_bytes()
        if fmt == "docx":
            assert docx.Document(out).tables
        elif fmt == "xlsx":
            assert openpyxl.load_workbook(out).worksheets[0].max_row > 3
        elif fmt == "csv":
            assert content.startswith("\ufeff".encode()) and content.count(b"\n") > 1
        else:
            assert len(content) > 200

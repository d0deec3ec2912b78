"""import-plan reads the plan as it is published: Word, Excel, web pages, CSV, by content."""

from __future__ import annotations

import pytest

from gongkai_cli.importers.document import import_document
from gongkai_cli.importers.layout import Imported
from tests import plan_documents as docs
from tests.conftest import REAL_DATA

SUIXI_TITLE = "濉溪县2021年政务公开重点工作任务分工（征求意见稿）"


def committed_text(source: str) -> str:
    text = (REAL_DATA / "tasks.yaml").read_text(encoding="utf-8")
    return text.replace("source: suixi-2021-plan-draft.txt", f"source: {source}")


def page(table: str, head: str = "") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{table}</body></html>"


def html_rows(*rows: list[str]) -> str:
    return (
        "<table>"
        + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
        + "</table>"
    )


def imported(tmp_path, content: str | bytes, name: str = "plan.html", **options) -> Imported:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return import_document(path, **options)


_WORD_COLUMNS = (
    "各列读作：第1列“工作任务”为大项/小项；第2列“工作任务”为序号；第3列“具体要求”为具体要求；"
    "第4列“责任单位”为责任单位；第5列“时限要求”为时限。"
)
SUIXI_COLUMNS = {
    "suixi.docx": "第1个表格" + _WORD_COLUMNS,
    "suixi.html": "第2个表格" + _WORD_COLUMNS,
    "suixi.pdf": "第1个表格各列读作：第1列“工作任务”为大项/小项；第2列（无表头）为序号；第3列“具体要求”为具体要求；"
    "第4列“责任单位”为责任单位；第5列“时限要求”为时限。",
    "suixi.doc": "第1个表格" + _WORD_COLUMNS,
    "suixi.xlsx": "工作表“重点任务”各列读作：第1列“序号”为序号；第2列“工作任务”为大项/小项；"
    "第3列“具体要求”为具体要求；第4列“责任单位”为责任单位；第5列“时限要求”为时限。",
}

# A valid PDF with one empty page: what a scan without a text layer gives a reader.
BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

SMALL = [
    ["序号", "工作任务", "具体要求", "责任单位", "时限要求"],
    ["一、公开", "一、公开", "一、公开", "一、公开", "一、公开"],
    ["1", "（一）规划", "公开规划。", "县财政局负责落实", "年底前"],
    ["2", "（一）规划", "公开预算。", "县财政局牵头，各镇负责落实", "6月底前"],
]


# ----- the same plan in every format -----


@pytest.mark.parametrize(
    ("writer", "name"),
    [
        (docs.write_docx, "suixi.docx"),
        (docs.write_xlsx, "suixi.xlsx"),
        (docs.write_html, "suixi.html"),
        (docs.write_pdf, "suixi.pdf"),
        (docs.write_doc, "suixi.doc"),
    ],
)
def test_the_suixi_plan_in_each_format_imports_to_the_committed_tasks(
    gongkai, tmp_path, writer, name
):
    source = writer(docs.suixi_plan(), tmp_path / name)
    out = tmp_path / "tasks.yaml"
    result = gongkai("import-plan", source, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"提醒：{SUIXI_COLUMNS[name]}",
        f"已从 {source} 导入 43 项任务，写入 {out}。",
    ]
    assert out.read_text(encoding="utf-8") == committed_text(name)


def test_the_format_is_told_by_content_not_by_the_file_name(tmp_path):
    source = docs.write_docx(docs.suixi_plan(), tmp_path / "plan.docx")
    renamed = source.rename(tmp_path / "计划.xlsx")
    assert import_document(renamed).plan["tasks"] == docs.suixi_plan()["tasks"]
    page_as_txt = docs.write_html(docs.suixi_plan(), tmp_path / "saved.txt")
    assert import_document(page_as_txt).plan["title"] == SUIXI_TITLE


def test_the_text_export_still_imports(tmp_path):
    from tests.conftest import SOURCE

    assert import_document(SOURCE).plan["tasks"] == docs.suixi_plan()["tasks"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_in_utf8_or_gb18030_imports(tmp_path, encoding):
    lines = ["濉溪县2021年计划", *(",".join(row) for row in SMALL)]
    plan = imported(tmp_path, "\n".join(lines).encode(encoding), "plan.csv").plan
    assert plan["title"] == "濉溪县2021年计划"
    assert plan["tasks"] == [
        {
            "number": 1,
            "section": "一、公开",
            "subsection": "（一）规划",
            "requirement": "公开规划。",
            "responsibility": "县财政局负责落实",
            "deadline": "年底前",
        },
        {
            "number": 2,
            "section": "一、公开",
            "subsection": "（一）规划",
            "requirement": "公开预算。",
            "responsibility": "县财政局牵头，各镇负责落实",
            "deadline": "6月底前",
        },
    ]


# ----- layouts: header variants, numbering, structure -----


@pytest.mark.parametrize(
    "header",
    [
        ["编号", "重点任务", "工作要求", "责任科室", "完成时限"],
        ["序 号", "任务", "工 作 内 容", "责任部门", "完成时间"],
        ["序号", "工作事项", "主要内容", "牵头单位/负责落实单位", "时限要求"],
        ["序号", "工作任务", "任务内容", "责任单位", "时限要求"],
        ["序号", "主要任务", "具体内容", "责任主体", "完成期限（2022年）"],
        ["序号", "工作任务（共2项）", "工作措施", "承办单位", "时间节点"],
        ["序号", "工作任务", "具体措施", "责任单位(按职责分工)", "时限"],
        ["序号", "工作任务", "具体要求", "责任单位", "时间安排"],
    ],
)
def test_header_variants_name_the_same_columns(tmp_path, header):
    plan = imported(tmp_path, page(html_rows(header, *SMALL[1:]), "<h1>某县2022年要点</h1>")).plan
    assert [
        (t["number"], t["requirement"], t["responsibility"], t["deadline"]) for t in plan["tasks"]
    ] == [
        (1, "公开规划。", "县财政局负责落实", "年底前"),
        (2, "公开预算。", "县财政局牵头，各镇负责落实", "6月底前"),
    ]


def test_a_header_that_says_the_first_unit_leads_splits_each_cell(tmp_path):
    """责任单位（排在首位的为牵头单位）: the plan's own rule, applied to each task's list."""
    rows = [
        ["序号", "工作任务", "具体要求", "责任单位（排在首位的为牵头单位）", "时限要求"],
        ["1", "规划", "公开规划。", "县财政局、县发改委， 各镇", "年底前"],
        ["2", "规划", "公开预算。", "县财政局", "6月底前"],
        ["3", "规划", "公开决算。", "县财政局牵头，各镇负责落实", "6月底前"],
    ]
    result = imported(tmp_path, page(html_rows(*rows), "<h1>某县2022年要点</h1>"))
    assert [
        {k: t.get(k) for k in ("lead", "implementers", "responsibility")}
        for t in result.plan["tasks"]
    ] == [
        {"lead": "县财政局", "implementers": "县发改委， 各镇", "responsibility": None},
        {"lead": None, "implementers": None, "responsibility": "县财政局"},
        {"lead": None, "implementers": None, "responsibility": "县财政局牵头，各镇负责落实"},
    ]
    assert (
        "计划注明责任单位排在首位的为牵头单位：每项任务的第一个单位记为牵头单位（lead），"
        "其余记为落实单位（implementers）。"
    ) in result.warnings


def test_a_note_above_the_table_that_says_the_first_unit_leads_counts_too(tmp_path):
    rows = [
        ["序号", "工作任务", "具体要求", "责任单位", "时限要求"],
        ["1", "规划", "公开规划。", "县财政局、县发改委", "年底前"],
    ]
    note = "<h1>某县2022年要点</h1><p>（注：责任单位中排在第一位的为牵头单位）</p>"
    task = imported(tmp_path, page(note + html_rows(*rows))).plan["tasks"][0]
    assert (task.get("lead"), task.get("implementers")) == ("县财政局", "县发改委")
    plain = imported(tmp_path, page("<h1>某县2022年要点</h1>" + html_rows(*rows))).plan["tasks"][0]
    assert plain["responsibility"] == "县财政局、县发改委"


def test_columns_are_found_by_header_whatever_their_order(tmp_path):
    rows = [[r[4], r[3], r[2], r[0], r[1]] for r in SMALL]
    plan = imported(tmp_path, page(html_rows(*rows), "<title>某县2022年要点</title>")).plan
    assert plan["tasks"][1]["responsibility"] == "县财政局牵头，各镇负责落实"
    assert plan["tasks"][1]["deadline"] == "6月底前"
    assert plan["year"] == 2022


@pytest.mark.parametrize("numbers", [["1", "2"], ["1.", "2."], ["1、", "2、"], ["（1）", "（2）"]])
def test_numbering_variants(tmp_path, numbers):
    rows = [SMALL[0], SMALL[1], [numbers[0], *SMALL[2][1:]], [numbers[1], *SMALL[3][1:]]]
    result = imported(tmp_path, page(html_rows(*rows), "<h1>某县2022年要点</h1>"))
    assert [t["number"] for t in result.plan["tasks"]] == [1, 2]
    assert result.warnings == []


def test_missing_numbers_are_given_in_order_with_a_warning(tmp_path):
    rows = [[c for c in row[1:]] for row in SMALL]
    result = imported(tmp_path, page(html_rows(*rows), "<h1>某县2022年要点</h1>"))
    assert [t["number"] for t in result.plan["tasks"]] == [1, 2]
    assert result.warnings == ["原文没有序号，已按表中顺序编号 1–2。"]


def test_numbering_restarting_in_each_section_is_renumbered_with_a_warning(tmp_path):
    rows = [
        *SMALL,
        ["二、平台", "", "", "", ""],
        ["1", "（一）网站", "办好网站。", "县政府办公室负责落实", "年底前"],
    ]
    result = imported(tmp_path, page(html_rows(*rows), "<h1>某县2022年要点</h1>"))
    assert [(t["number"], t["section"]) for t in result.plan["tasks"]] == [
        (1, "一、公开"),
        (2, "一、公开"),
        (3, "二、平台"),
    ]
    assert result.warnings == ["原文序号不全或不是递增的，已按表中顺序重新编号。"]


def test_short_titles_in_the_task_column_become_subsections(tmp_path):
    source = docs.write_table_docx(docs.DEPARTMENT_PLAN, tmp_path / "dept.docx")
    plan = import_document(source).plan
    assert [(t["number"], t["section"], t["subsection"]) for t in plan["tasks"][:4]] == [
        (1, "一、加强重点领域信息公开", "环评信息"),
        (2, "一、加强重点领域信息公开", "执法信息"),
        (3, "一、加强重点领域信息公开", "预算决算"),
        (4, "二、夯实公开工作基础", "制度建设"),
    ]
    assert plan["tasks"][3]["responsibility"] == "办公室牵头，各科室负责落实"


def test_split_lead_and_implementer_columns_are_kept_verbatim(tmp_path):
    source = docs.write_table_xlsx(docs.DISTRICT_PLAN, tmp_path / "district.xlsx")
    plan = import_document(source).plan
    assert plan["title"] == "某市某区2022年政务公开重点工作任务分工方案"
    assert plan["tasks"][2] == {
        "number": 3,
        "section": "一、优化政务服务信息公开",
        "subsection": "（二）公开惠企政策",
        "requirement": "梳理发布惠企政策清单，开展政策解读。",
        "lead": "区发改委、区经信局",
        "implementers": "区直有关部门",
        "deadline": "持续推进",
    }
    # a 重点任务 cell merged down over two rows stands for both
    assert [t["subsection"] for t in plan["tasks"][:2]] == ["（一）公开办事指南"] * 2


def test_a_two_row_header_splits_responsibility_into_lead_and_partners(tmp_path):
    table = (
        "<table><tr><th rowspan=2>序号</th><th rowspan=2>具体要求</th><th colspan=2>责任单位</th>"
        "<th rowspan=2>完成时限</th></tr><tr><th>牵头单位</th><th>配合单位</th></tr>"
        "<tr><td colspan=5>一、公开</td></tr>"
        "<tr><td>1</td><td>公开规划。</td><td>县财政局</td><td>各镇</td><td>年底前</td></tr></table>"
    )
    task = imported(tmp_path, page(table, "<h1>某县2022年要点</h1>")).plan["tasks"][0]
    assert (task["lead"], task["implementers"]) == ("县财政局", "各镇")


def test_merged_first_column_sections_and_rowspan_subsections(tmp_path):
    table = (
        "<table><tr><th>类别</th><th>工作任务</th><th>具体要求</th><th>责任单位</th><th>时限要求</th></tr>"
        "<tr><td rowspan=3>一、公开</td><td rowspan=2>（一）规划</td><td>甲。</td><td>县财政局负责落实</td><td>年底前</td></tr>"
        "<tr><td>乙。</td><td>县财政局负责落实</td><td>年底前</td></tr>"
        "<tr><td>（二）预算</td><td>丙。</td><td>县财政局负责落实</td><td>年底前</td></tr></table>"
    )
    result = imported(tmp_path, page(table, "<h1>某县2022年要点</h1>"))
    assert [(t["section"], t["subsection"], t["requirement"]) for t in result.plan["tasks"]] == [
        ("一、公开", "（一）规划", "甲。"),
        ("一、公开", "（一）规划", "乙。"),
        ("一、公开", "（二）预算", "丙。"),
    ]


def test_repeated_headers_and_empty_rows_are_skipped_and_line_breaks_joined(tmp_path):
    rows = [SMALL[0], SMALL[1], ["", "", "", "", ""], SMALL[2], SMALL[0], SMALL[3]]
    html = html_rows(*rows).replace("公开预算。", "公开<br>预算。 ")
    plan = imported(tmp_path, page(html, "<h1>某县2022年要点</h1>")).plan
    assert [t["requirement"] for t in plan["tasks"]] == ["公开规划。", "公开预算。"]


def test_layout_tables_around_the_plan_are_ignored(tmp_path):
    nav = html_rows(["首页", "政务公开", "2021年"])
    footer = html_rows(["主办单位", "网站标识码"])
    body = (
        f"{nav}<table><tr><td><h1>某县2022年要点</h1>{html_rows(*SMALL)}</td></tr></table>{footer}"
    )
    plan = imported(tmp_path, page(body, "<title>首页_某县人民政府</title>")).plan
    assert plan["title"] == "某县2022年要点"
    assert len(plan["tasks"]) == 2


def test_title_and_year_can_be_overridden(tmp_path):
    result = imported(
        tmp_path, page(html_rows(*SMALL)), title="某县2023年要点（正式稿）", year=2023
    )
    assert (result.plan["title"], result.plan["year"]) == ("某县2023年要点（正式稿）", 2023)


def test_gb2312_page_is_read_by_its_declared_charset(tmp_path):
    html = f"<html><head><meta charset='gb2312'><title>某县2022年要点</title></head><body>{html_rows(*SMALL)}</body></html>"
    plan = imported(tmp_path, html.encode("gb18030")).plan
    assert plan["title"] == "某县2022年要点"
    assert plan["tasks"][0]["responsibility"] == "县财政局负责落实"


# ----- bad documents -----


def run_import(gongkai, tmp_path, name: str, content: bytes, *extra: str):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "tasks.yaml"
    result = gongkai("import-plan", path, "--out", out, *extra)
    assert result.exit_code == 1
    assert not out.exists()  # never a partial tasks file
    return result.stderr


def test_a_page_with_no_plan_table_names_what_it_found(gongkai, tmp_path):
    content = page(html_rows(["首页"]) + html_rows(["序号", "工作任务", "备注"])).encode()
    assert run_import(gongkai, tmp_path, "p.html", content) == (
        "错误：p.html：找到 2 个表格，都没有“具体要求”列。\n"
    )


def test_a_header_without_task_rows_says_so(gongkai, tmp_path):
    content = page(html_rows(["首页"]) + html_rows(["序号", "工作任务", "责任单位"])).encode()
    assert run_import(gongkai, tmp_path, "p.html", content) == (
        "错误：p.html：第2个表格有表头，但下面没有任何任务行。\n"
    )


def test_a_table_without_deadlines_imports_its_tasks_as_undated(tmp_path):
    rows = [["序号", "具体工作要求", "责任主体"], ["1", "公开规划。", "县财政局"]]
    result = imported(tmp_path, page(html_rows(*rows), "<h1>某县2022年要点</h1>"))
    assert result.plan["tasks"][0]["deadline"] == "待定"
    assert result.warnings[-1] == (
        "1 项任务没有时限（表中没有时限列），已记为“待定”：不会逾期，请确认后在 tasks.yaml 中填写。"
    )
    assert result.notes == [
        "第1个表格各列读作：第1列“序号”为序号；第2列“具体工作要求”为具体要求；第3列“责任主体”为责任单位。"
    ]


def test_a_document_with_no_table_at_all(gongkai, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某县2022年要点")
    document.save(tmp_path / "empty.docx")
    result = gongkai("import-plan", tmp_path / "empty.docx", "--out", "-")
    assert result.exit_code == 1
    assert result.stderr == (
        "错误：empty.docx：没有找到任何表格，段落中也没有写明责任单位；计划应是含“具体要求”"
        "“责任单位”等列的表格，或段末写明“（牵头单位：…）”的分工方案。\n"
    )


def test_a_title_without_a_year_asks_for_year(gongkai, tmp_path):
    content = page(html_rows(*SMALL), "<h1>政务公开要点</h1>").encode()
    assert run_import(gongkai, tmp_path, "p.html", content) == (
        "错误：p.html：标题“政务公开要点”中没有年份；请用 --year 指定计划年度。\n"
    )


def test_a_task_without_responsibility_names_the_cell(gongkai, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    for row in [["某县2022年要点"], *SMALL[:3], ["2", "", "公开预算。", "", "年底前"]]:
        book.active.append(row)
    book.save(tmp_path / "p.xlsx")
    result = gongkai("import-plan", tmp_path / "p.xlsx", "--out", tmp_path / "tasks.yaml")
    assert result.exit_code == 1
    assert result.stderr == "错误：p.xlsx：工作表“Sheet”D5：这项任务的“责任单位”是空的。\n"
    assert not (tmp_path / "tasks.yaml").exists()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.docx", b"PK\x03\x04 not really a zip", "文件已损坏，无法作为 Word 或 Excel 文件读取。"),
        (
            "locked.docx",
            OLE + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le"),
            "文件设有密码保护，请在 Word/Excel 中取消密码后再导入。",
        ),
        (
            "old.doc",
            OLE + "WordDocument".encode("utf-16-le"),
            "LibreOffice 无法读取这个 Word/WPS 文字文件（.doc/.wps），文件可能已损坏或设有密码。",
        ),
        (
            "old.wps",
            OLE,
            "LibreOffice 无法读取这个 Word/WPS 文字文件（.doc/.wps），文件可能已损坏或设有密码。",
        ),
        (
            "old.xls",
            OLE + "Workbook".encode("utf-16-le"),
            "找到 1 个表格，没有“具体要求”列。",  # LibreOffice reads the bytes as text
        ),
        (
            "old.et",
            b"anything",
            "找到 1 个表格，没有“具体要求”列。",  # LibreOffice reads the bytes as text
        ),
        (
            "scan.pdf",
            b"%PDF-1.7",
            "无法作为 PDF 读取，文件可能已损坏。",
        ),
        (
            "scan.pdf",
            BLANK_PDF,
            "PDF 中没有文字，像是扫描件；请使用计划的 Word、Excel 或网页版本。",
        ),
    ],
)
def test_unreadable_and_old_formats_get_one_sentence(gongkai, tmp_path, name, content, message):
    if name.startswith("old."):
        docs.soffice_convert  # noqa: B018 - the old formats are read through LibreOffice
        pytest.importorskip("shutil").which("soffice") or pytest.skip("no LibreOffice")
    assert run_import(gongkai, tmp_path, name, content) == f"错误：{name}：{message}\n"


def test_without_libreoffice_an_old_format_names_the_package_and_the_way_round(
    gongkai, tmp_path, monkeypatch
):
    monkeypatch.setattr("gongkai_cli.importers.convert.soffice", lambda: None)
    content = OLE + "WordDocument".encode("utf-16-le")
    assert run_import(gongkai, tmp_path, "plan.doc", content) == (
        "错误：plan.doc：这是旧版 Word/WPS 文字文件（.doc/.wps），需要 LibreOffice 才能读取；"
        "请安装 libreoffice（如 apt install libreoffice-writer libreoffice-calc），"
        "或用 WPS/Office 另存为 .docx 后再导入。\n"
    )


def test_a_zip_that_is_neither_word_nor_excel(gongkai, tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "plan.docx", "w") as package:
        package.writestr("content.xml", "<x/>")
    assert run_import(gongkai, tmp_path, "plan.docx", (tmp_path / "plan.docx").read_bytes()) == (
        "错误：plan.docx：是压缩包，但不是 Word（.docx）或 Excel（.xlsx）文件。\n"
    )


def test_a_truncated_xlsx_is_reported_as_damaged(gongkai, tmp_path):
    whole = docs.write_xlsx(docs.suixi_plan(), tmp_path / "whole.xlsx").read_bytes()
    message = run_import(gongkai, tmp_path, "cut.xlsx", whole[: len(whole) // 2])
    assert message == "错误：cut.xlsx：文件已损坏，无法作为 Word 或 Excel 文件读取。\n"


def test_file_size_is_bounded(gongkai, tmp_path, monkeypatch):
    monkeypatch.setattr("gongkai_cli.importers.document.MAX_BYTES", 1024)
    content = page(html_rows(*SMALL * 20)).encode()
    assert run_import(gongkai, tmp_path, "big.html", content) == (
        f"错误：big.html：文件有 {len(content) // 1024} KB，超过 1 KB 上限，不像一份工作计划。\n"
    )


def test_row_count_is_bounded(gongkai, tmp_path, monkeypatch):
    monkeypatch.setattr("gongkai_cli.importers.grid.MAX_ROWS", 3)
    content = page(html_rows(*SMALL)).encode()
    assert run_import(gongkai, tmp_path, "long.html", content) == (
        "错误：long.html：表格超过 3 行，不像一份工作计划；请只导入计划表格本身。\n"
    )


def test_import_warnings_are_printed(gongkai, tmp_path):
    rows = [[c for c in row[1:]] for row in SMALL]
    (tmp_path / "p.html").write_text(page(html_rows(*rows), "<h1>某县2022年要点</h1>"), "utf-8")
    result = gongkai("import-plan", tmp_path / "p.html", "--out", "-")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "提醒：第1个表格各列读作：第1列“工作任务”为大项/小项；第2列“具体要求”为具体要求；"
        "第3列“责任单位”为责任单位；第4列“时限要求”为时限。",
        "提醒：原文没有序号，已按表中顺序编号 1–2。",
    ]
    assert "- number: 2\n" in result.stdout


def test_a_word_plan_laid_out_inside_another_table_is_found(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某县2022年要点")
    inner = document.add_table(rows=1, cols=1).cell(0, 0).add_table(rows=2, cols=3)
    for row, texts in zip(
        inner.rows,
        [["具体要求", "责任单位", "时限要求"], ["公开。", "县财政局负责落实", "年底前"]],
        strict=True,
    ):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.save(tmp_path / "nested.docx")
    result = import_document(tmp_path / "nested.docx")
    assert result.plan["tasks"] == [
        {
            "number": 1,
            "section": "某县2022年要点",
            "subsection": "某县2022年要点",
            "requirement": "公开。",
            "responsibility": "县财政局负责落实",
            "deadline": "年底前",
        }
    ]
    assert result.warnings == [
        "原文没有序号，已按表中顺序编号 1–1。",
        "表中没有“一、”式大项，没有大项的任务以计划标题为大项。",
    ]


def test_a_password_protected_pdf_gets_one_sentence(gongkai, tmp_path):
    source = docs.write_docx(docs.suixi_plan(), tmp_path / "secret.docx")
    export = 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},' + (
        '"DocumentOpenPassword":{"type":"string","value":"x"}}'
    )
    pdf = docs.soffice_convert(source, export, tmp_path)
    assert run_import(gongkai, tmp_path, "secret.pdf", pdf.read_bytes()) == (
        "错误：secret.pdf：PDF 设有密码，请取消密码后再导入。\n"
    )


def test_a_pages_title_is_its_heading_never_the_source_line_under_it(tmp_path):
    rows = [["序号", "工作任务", "具体要求", "责任科室", "时限要求"], SMALL[2], SMALL[3]]
    head = (
        "<h2>某局2023年政务公开重点任务清单</h2><p>来源：某局 浏览次数：128 字体：【大 中 小】</p>"
    )
    plan = imported(tmp_path, page(head + html_rows(*rows), "<title>政务公开</title>")).plan
    assert (plan["title"], plan["year"]) == ("某局2023年政务公开重点任务清单", 2023)
    assert {t["section"] for t in plan["tasks"]} == {"某局2023年政务公开重点任务清单"}


def test_an_undeclared_gbk_page_is_detected_from_its_bytes(tmp_path):
    content = "<html><body><h1>某县2022年要点</h1>" + html_rows(*SMALL) + "</body></html>"
    plan = imported(tmp_path, content.encode("gbk")).plan
    assert plan["tasks"][1]["responsibility"] == "县财政局牵头，各镇负责落实"


def test_a_prose_plan_with_role_lines_and_deadlines_imports(tmp_path):
    text = "\n".join(
        [
            "某区2022年优化营商环境重点任务分工方案",
            "一、提升政务服务",
            "1.推行“一网通办”，提高网办率。",
            "牵头单位：区数据局",
            "责任单位：区直有关部门，各街道",
            "完成时限：2022年6月底前",
            "2.规范中介服务。（牵头单位：区发改委；责任单位：区市场监管局，根据工作安排）",
        ]
    )
    result = imported(tmp_path, text.encode("utf-8"), name="plan.txt")
    assert [
        {k: t.get(k) for k in ("number", "requirement", "lead", "implementers", "deadline")}
        for t in result.plan["tasks"]
    ] == [
        {
            "number": 1,
            "requirement": "推行“一网通办”，提高网办率。",
            "lead": "区数据局",
            "implementers": "区直有关部门，各街道",
            "deadline": "2022年6月底前",
        },
        {
            "number": 2,
            "requirement": "规范中介服务。",
            "lead": "区发改委",
            "implementers": "区市场监管局",
            "deadline": "根据工作安排",  # kept verbatim: validate lists it as 待定
        },
    ]


def test_a_cell_that_labels_its_roles_gives_lead_implementers_and_deadline(tmp_path):
    rows = [
        ["序号", "重点任务", "责任单位"],
        [
            "1",
            "推进项目审批提速。",
            "牵头单位：市发改委\n配合单位：市财政局、市自然资源局\n完成时限：6月底前",
        ],
    ]
    task = imported(tmp_path, page(html_rows(*rows), "<h1>某市2023年重点任务清单</h1>")).plan[
        "tasks"
    ][0]
    assert {k: task.get(k) for k in ("requirement", "lead", "implementers", "deadline")} == {
        "requirement": "推进项目审批提速。",
        "lead": "市发改委",
        "implementers": "市财政局、市自然资源局",
        "deadline": "6月底前",
    }


def test_roles_in_brackets_on_a_line_of_their_own_belong_to_the_paragraph_above(tmp_path):
    body = "".join(
        f"<p>{line}</p>"
        for line in [
            "某县2023年政务公开工作要点",
            "一、加强政策解读",
            "1.做好重要政策解读。",
            "（牵头单位：县政府办公室；责任单位：县直各单位）",
        ]
    )
    task = imported(tmp_path, page(body)).plan["tasks"][0]
    assert (task["requirement"], task.get("lead"), task.get("implementers")) == (
        "做好重要政策解读。",
        "县政府办公室",
        "县直各单位",
    )


def test_a_wps_file_is_read_by_what_is_inside(gongkai, tmp_path):
    """A .wps saved in Word's format: the streams inside decide, not the name."""
    doc = docs.write_doc(docs.suixi_plan(), tmp_path / "suixi.doc")
    named = "plan.wps"
    source = tmp_path / named
    source.write_bytes(doc.read_bytes())
    out = tmp_path / "tasks.yaml"
    result = gongkai("import-plan", source, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == committed_text(named)


def test_a_plan_set_as_one_table_per_section_takes_the_heading_above_each(tmp_path):
    header = ["序号", "重点任务", "责任单位", "完成时限"]
    body = (
        "<h1>某区2023年政务公开工作要点任务分工</h1><p>一、政策公开</p>"
        + html_rows(header, ["1", "公开规划。", "区发改委", "年底前"])
        + "<p>二、解读回应</p><p>（一）政策解读</p>"
        + html_rows(header, ["2", "解读政策。", "区政府办", "持续推进"])
    )
    tasks = imported(tmp_path, page(body)).plan["tasks"]
    assert [(t["section"], t["subsection"]) for t in tasks] == [
        ("一、政策公开", "一、政策公开"),
        ("二、解读回应", "（一）政策解读"),
    ]


def test_a_prose_plan_saved_as_gbk_text_imports(tmp_path):
    text = (
        "某县2023年政务公开工作要点\n一、政策公开\n1.公开规划。（县发改委牵头，县直有关单位配合）\n"
    )
    task = imported(tmp_path, text.encode("gbk"), name="plan.txt").plan["tasks"][0]
    assert (task["requirement"], task["responsibility"]) == (
        "公开规划。",
        "县发改委牵头，县直有关单位配合",
    )


def test_a_pdf_with_one_table_per_section_keeps_each_heading(gongkai, tmp_path):
    """Tables on one page, each under its 一、 heading: separate tables, not one run on."""
    import docx

    document = docx.Document()
    document.add_paragraph("某区2023年政务公开工作要点任务分工")
    for heading, row in (
        ("一、政策公开", ["1", "公开规划。", "区发改委", "年底前"]),
        ("二、解读回应", ["2", "解读政策。", "区政府办", "持续推进"]),
    ):
        document.add_paragraph(heading)
        table = document.add_table(rows=2, cols=4)
        table.style = "Table Grid"
        for cells, texts in zip(
            table.rows, (["序号", "重点任务", "责任单位", "完成时限"], row), strict=True
        ):
            for cell, text in zip(cells.cells, texts, strict=True):
                cell.text = text
    document.save(tmp_path / "sections.docx")
    pdf = docs.soffice_convert(tmp_path / "sections.docx", "pdf", tmp_path)
    tasks = import_document(pdf).plan["tasks"]
    assert [(t["number"], t["section"], t["requirement"]) for t in tasks] == [
        (1, "一、政策公开", "公开规划。"),
        (2, "二、解读回应", "解读政策。"),
    ]


def test_a_pdf_line_wrapped_inside_role_brackets_continues_its_paragraph():
    """浔阳区 2023 printed to PDF: a line breaks inside (牵头单位:…;⏎责任单位:…), so the next
    line starts with a role label. It continues the clause; it is not the roles of the
    paragraph above."""
    from gongkai_cli.importers.prose import paragraphs

    lines = [
        "一、紧扣工作重点,加强主动公开",
        "(一)做好公开。推进产业迭代升级。(牵头单位:区发改委、区工信局;责任单位:区",
        "政府各相关部门、各街道)、重塑大中路核心商圈,打造区域消费中心(牵头单位:区商务局;",
        "责任单位:区政府各相关部门、各街道)、深化国有企业改革行动。(责任单位:区国资中心)",
        "牵头单位:区政府办",
    ]
    assert paragraphs(lines) == [
        "一、紧扣工作重点,加强主动公开",
        "(一)做好公开。推进产业迭代升级。(牵头单位:区发改委、区工信局;责任单位:区"
        "政府各相关部门、各街道)、重塑大中路核心商圈,打造区域消费中心(牵头单位:区商务局;"
        "责任单位:区政府各相关部门、各街道)、深化国有企业改革行动。(责任单位:区国资中心)",
        "牵头单位:区政府办",
    ]


def test_a_table_of_task_blocks_with_field_names_down_the_first_column(tmp_path):
    """A 督办单: 工作任务：| … ⏎ 牵头单位：| … ⏎ 完成时限：| …, block after block. Each block is
    one task, read by its field names as a header row would be."""
    import docx

    document = docx.Document()
    document.add_paragraph("2024年重点工作督办清单")
    fields = [
        ("工作任务：", "推进政务服务“一网通办”。"),
        ("牵头单位：", "县数据资源局"),
        ("配合单位：", "县直各部门"),
        ("完成时限：", "2024年6月底"),
        ("工作任务：", "完成政府网站集约化改造。"),
        ("牵头单位：", "县政府办"),
        ("配合单位：", ""),
        ("完成时限：", "年底前"),
    ]
    table = document.add_table(rows=0, cols=2)
    for name, text in fields:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = name, text
    document.save(tmp_path / "dubandan.docx")

    tasks = import_document(tmp_path / "dubandan.docx").plan["tasks"]
    keys = ("number", "requirement", "lead", "implementers", "deadline")
    assert [{k: t.get(k) for k in keys} for t in tasks] == [
        {
            "number": 1,
            "requirement": "推进政务服务“一网通办”。",
            "lead": "县数据资源局",
            "implementers": "县直各部门",
            "deadline": "2024年6月底",
        },
        {
            "number": 2,
            "requirement": "完成政府网站集约化改造。",
            "lead": "县政府办",
            "implementers": None,
            "deadline": "年底前",
        },
    ]


def test_a_role_label_alone_on_its_line_takes_the_units_on_the_next(tmp_path):
    """A plan copied out of a two-column table: 牵头单位： on one line, 县数据资源局 on the next.
    The units are the task's roles, not tasks of their own, and the deadline is kept."""
    plan = tmp_path / "plan.txt"
    plan.write_text(
        "2024年某县政务公开重点工作\n1.推进政务服务事项标准化。\n牵头单位：\n县数据资源局\n"
        "配合单位：\n县直各部门\n完成时限：\n6月底前\n2.完成网站集约化。\n责任单位：\n县政府办\n",
        encoding="utf-8",
    )
    tasks = import_document(plan).plan["tasks"]
    keys = ("number", "requirement", "responsibility", "lead", "implementers", "deadline")
    assert [{k: t.get(k) for k in keys} for t in tasks] == [
        {
            "number": 1,
            "requirement": "推进政务服务事项标准化。",
            "responsibility": None,
            "lead": "县数据资源局",
            "implementers": "县直各部门",
            "deadline": "6月底前",
        },
        {
            "number": 2,
            "requirement": "完成网站集约化。",
            "responsibility": "县政府办",
            "lead": None,
            "implementers": None,
            "deadline": "待定",
        },
    ]


def test_a_role_bracket_inside_a_sentence_does_not_cut_the_task(tmp_path):
    """Only a bracket followed by 、，；。 closes a clause (浔阳区: …升级。(牵头单位:…)、重塑…);
    one read inside a sentence stays part of the requirement."""
    plan = tmp_path / "plan.txt"
    plan.write_text(
        "2024年某县重点工作\n1.建立联席会议制度(县政府办牵头)统筹推进各项工作。(责任单位:县财政局)\n",
        encoding="utf-8",
    )
    tasks = import_document(plan).plan["tasks"]
    assert [(t["requirement"], t["responsibility"]) for t in tasks] == [
        ("建立联席会议制度(县政府办牵头)统筹推进各项工作。", "县财政局")
    ]

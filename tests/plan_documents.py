"""Plans as offices publish them, built for the tests: Word tables, Excel sheets, web pages.

Each builder takes a plan mapping (title, tasks) and lays it out the way real documents
do: section rows merged across the table, subsections merged down the first column, the
header repeated where the printed table breaks across pages.
"""

from __future__ import annotations

import html
from itertools import groupby
from pathlib import Path

import yaml

from tests.conftest import REAL_DATA

HEADER = ["工作任务", "具 体 要 求", "责任单位", "时限要求"]
# Where the printed 2021 plan broke across pages: before these tasks the header and the
# current section are printed again.
PAGE_BREAKS = (6, 14, 24)


def suixi_plan() -> dict:
    return yaml.safe_load((REAL_DATA / "tasks.yaml").read_text(encoding="utf-8"))


def blocks(plan: dict, page_breaks=PAGE_BREAKS):
    """("section", text) / ("header", None) / ("subsection", text, [tasks]) in print order."""
    for section, in_section in groupby(plan["tasks"], key=lambda t: t["section"]):
        yield ("section", section)
        for subsection, tasks in groupby(in_section, key=lambda t: t["subsection"]):
            run: list[dict] = []
            for task in tasks:
                if task["number"] in page_breaks and run:
                    yield ("subsection", subsection, run)
                    yield ("header", None)
                    yield ("section", section)
                    run = []
                elif task["number"] in page_breaks:
                    yield ("header", None)
                    yield ("section", section)
                run.append(task)
            yield ("subsection", subsection, run)


def write_docx(plan: dict, path: Path, header=HEADER) -> Path:
    """The Word table of a 征求意见稿: title paragraph, 5 grid columns under 4 headers."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = docx.Document()
    page = document.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = page.page_height, page.page_width
    title = document.add_paragraph()
    title.alignment = 1
    run = title.add_run(plan["title"])
    run.bold, run.font.size = True, Pt(16)
    table = document.add_table(rows=0, cols=5)
    table.style = "Table Grid"

    def header_row(new_page=False):
        cells = table.add_row().cells
        cells[0].merge(cells[1]).text = header[0]
        for cell, text in zip(cells[2:], header[1:], strict=True):
            cell.text = text
        for cell in cells:
            cell.paragraphs[0].paragraph_format.page_break_before = new_page

    header_row()
    for block in blocks(plan):
        if block[0] == "header":
            header_row(new_page=True)
        elif block[0] == "section":
            cells = table.add_row().cells
            cells[0].merge(cells[4]).text = block[1]
        else:
            _, subsection, tasks = block
            first = None
            for task in tasks:
                cells = table.add_row().cells
                first = first or cells[0]
                cells[1].text = str(task["number"])
                cells[2].text = task["requirement"]
                cells[3].text = task["responsibility"]
                cells[4].text = task["deadline"]
            merged = first.merge(table.rows[len(table.rows) - 1].cells[0])
            merged.text = subsection
    widths = (Cm(3.5), Cm(1), Cm(13), Cm(5), Cm(2.2))
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    document.save(path)
    return path


def write_xlsx(plan: dict, path: Path) -> Path:
    """An Excel sheet: a merged title row, merged section rows and subsection ranges,
    numbers stored as numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "重点任务"
    sheet.append([plan["title"]])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    sheet.append(["序号", "工作任务", "具体要求", "责任单位", "时限要求", "备注"])
    for block in blocks(plan, page_breaks=()):
        if block[0] == "section":
            sheet.append([block[1]])
            row = sheet.max_row
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        else:
            _, subsection, tasks = block
            top = sheet.max_row + 1
            for task in tasks:
                sheet.append(
                    [
                        task["number"],
                        subsection if sheet.max_row + 1 == top else None,
                        task["requirement"],
                        task["responsibility"],
                        task["deadline"],
                        None,
                    ]
                )
            if len(tasks) > 1:
                sheet.merge_cells(
                    start_row=top, start_column=2, end_row=sheet.max_row, end_column=2
                )
    book.save(path)
    return path


def html_table(plan: dict, header=HEADER) -> str:
    """The plan table of a web page: the subsection cell spans its tasks' rows."""
    e = html.escape
    rows = [
        "<tr><th colspan='2'>"
        + e(header[0])
        + "</th>"
        + "".join(f"<th>{e(h)}</th>" for h in header[1:])
        + "</tr>"
    ]
    for block in blocks(plan, page_breaks=()):
        if block[0] == "section":
            rows.append(f"<tr><td colspan='5'><b>{e(block[1])}</b></td></tr>")
        else:
            _, subsection, tasks = block
            for i, task in enumerate(tasks):
                first = f"<td rowspan='{len(tasks)}'>{e(subsection)}</td>" if i == 0 else ""
                rows.append(
                    f"<tr>{first}<td>{task['number']}</td><td>{e(task['requirement'])}</td>"
                    f"<td>{e(task['responsibility'])}</td><td>{e(task['deadline'])}</td></tr>"
                )
    return "<table border='1' class='plan'>\n" + "\n".join(rows) + "\n</table>"


def write_html(plan: dict, path: Path) -> Path:
    """A saved government page: navigation and footer laid out with tables around the plan."""
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(plan["title"])}_濉溪县人民政府</title></head>
<body>
<table class="nav"><tr><td><a href="/">首页</a></td><td>政务公开</td><td>政策文件</td></tr></table>
<table class="layout"><tr><td>
<h1>{html.escape(plan["title"])}</h1>
<p>发布时间：2021-05-20　来源：县政务公开办</p>
{html_table(plan)}
</td></tr></table>
<table class="footer"><tr><td>主办：濉溪县人民政府办公室</td><td>皖ICP备05000000号</td></tr></table>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path


# A bureau's own plan: its sections (科室) answer, numbered 1、 and titled by short task names.
DEPARTMENT_PLAN = {
    "title": "某市生态环境局2023年政务公开工作要点分工",
    "header": ["序号", "工作任务", "工作内容", "责任科室", "完成时限"],
    "sections": [
        (
            "一、加强重点领域信息公开",
            [
                (
                    "环评信息",
                    "及时公开建设项目环评受理、拟审批和审批结果信息。",
                    "行政审批科",
                    "持续推进",
                ),
                (
                    "执法信息",
                    "按月公开行政处罚决定和“双随机”抽查结果。",
                    "执法监督科、法规科",
                    "每季度",
                ),
                ("预算决算", "公开本局部门预算、决算和“三公”经费。", "办公室、财务科", "6月底前"),
            ],
        ),
        (
            "二、夯实公开工作基础",
            [
                (
                    "制度建设",
                    "修订本局政府信息公开工作制度，落实“三审三校”。",
                    "办公室牵头，各科室负责落实",
                    "9月底前",
                ),
                ("年度报告", "编制并发布本局政府信息公开工作年度报告。", "办公室", "1月31日前"),
                (
                    "依申请公开",
                    "规范依申请公开办理，按时答复。",
                    "法规科牵头，有关科室配合",
                    "持续推进",
                ),
            ],
        ),
    ],
}

# A district plan: 牵头单位 and 责任单位 in two columns, sections merged across.
DISTRICT_PLAN = {
    "title": "某市某区2022年政务公开重点工作任务分工方案",
    "header": ["序号", "重点任务", "具体要求", "牵头单位", "责任单位", "完成时间"],
    "sections": [
        (
            "一、优化政务服务信息公开",
            [
                (
                    "（一）公开办事指南",
                    "全面公开政务服务事项办事指南，做到应公开尽公开。",
                    "区数据资源局",
                    "区直各单位",
                    "6月底前",
                ),
                (
                    "（一）公开办事指南",
                    "在区政府网站集中发布“一件事一次办”事项清单。",
                    "区数据资源管理局",
                    "各镇（街道）",
                    "年底前",
                ),
                (
                    "（二）公开惠企政策",
                    "梳理发布惠企政策清单，开展政策解读。",
                    "区发改委、区经信局",
                    "区直有关部门",
                    "持续推进",
                ),
            ],
        ),
        (
            "二、加强平台建设",
            [
                (
                    "（一）政府网站",
                    "做好区政府网站内容保障，按季度开展自查。",
                    "区政府办",
                    "区政府办公室、各镇（街道）",
                    "每季度",
                ),
                (
                    "（二）政务新媒体",
                    "规范政务新媒体管理，清理“僵尸”账号。",
                    "区委网信办",
                    "区直各单位、各镇（街道）",
                    "10月底前",
                ),
            ],
        ),
    ],
}


def write_table_docx(spec: dict, path: Path) -> Path:
    """A Word table of `spec`: sections merged across, numbers written “1、”."""
    import docx

    document = docx.Document()
    document.add_paragraph(spec["title"])
    header = spec["header"]
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    number = 0
    for section, rows in spec["sections"]:
        cells = table.add_row().cells
        cells[0].merge(cells[-1]).text = section
        for row in rows:
            number += 1
            cells = table.add_row().cells
            for cell, text in zip(cells, (f"{number}、", *row), strict=True):
                cell.text = text
    document.save(path)
    return path


def write_table_xlsx(spec: dict, path: Path) -> Path:
    """An Excel sheet of `spec`: title merged across, sections merged across, numbers as numbers,
    a 重点任务 cell merged down over the rows it shares."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    width = len(spec["header"])
    sheet.append([spec["title"]])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(spec["header"])
    number = 0
    for section, rows in spec["sections"]:
        sheet.append([section])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
        previous = None
        for row in rows:
            number += 1
            sheet.append([number, None if row[0] == previous else row[0], *row[1:]])
            if row[0] == previous:
                sheet.merge_cells(
                    start_row=sheet.max_row - 1, start_column=2, end_row=sheet.max_row, end_column=2
                )
            previous = row[0]
    book.save(path)
    return path


def soffice_convert(source: Path, to: str, out_dir: Path) -> Path:
    """`source` converted by LibreOffice (the test is skipped where it is not installed)."""
    import shutil
    import subprocess

    import pytest

    program = shutil.which("soffice")
    if program is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = (out_dir / "lo-profile").as_uri()
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return out_dir / f"{source.stem}.{to.split(':')[0]}"


def write_pdf(plan: dict, path: Path) -> Path:
    """The Word table exported to PDF, as offices publish it."""
    source = write_docx(plan, path.with_suffix(".docx"))
    return soffice_convert(source, "pdf", path.parent)


def write_doc(plan: dict, path: Path) -> Path:
    """The Word table saved in the old .doc format (through ODF: LibreOffice's direct
    .docx → .doc export drops this table)."""
    (path.parent / "word").mkdir(exist_ok=True)
    source = write_docx(plan, path.parent / "word" / path.with_suffix(".docx").name)
    odt = soffice_convert(source, "odt", source.parent)
    return soffice_convert(odt, "doc:MS Word 97", path.parent)

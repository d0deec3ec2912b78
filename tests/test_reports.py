"""Reports: the 进展情况 table, the overdue bulletin, unit checklists and statistics."""

from __future__ import annotations

import csv
import io
import json
import re
import time

import openpyxl
import pytest
import yaml

from tests.conftest import REAL_DATA, write_ledger

NASTY = "a|b\\n**粗体** <b>x</b> [red]红[/red] =1+1"  # as written in progress.yaml (\n escaped)
NASTY_TEXT = "a|b\n**粗体** <b>x</b> [red]红[/red] =1+1"


def unescape_md(cell: str) -> str:
    return re.sub(r"\\(.)", r"\1", cell.replace("<br>", "\n")).replace("&amp;", "&")


def md_rows(text: str) -> list[tuple[str, list[str]]]:
    """(section heading, cells) for every data row of every table in a Markdown report."""
    section, rows = "", []
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:]
        elif (
            line.startswith("| ")
            and not line.startswith("| 工作任务")
            and not line.startswith("| ---")
        ):
            cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
            rows.append((section, [unescape_md(c.strip()) for c in cells]))
    return rows


def test_progress_markdown_has_all_43_rows_in_plan_order(gongkai, real_data, tmp_path):
    out = tmp_path / "p.md"
    result = gongkai(
        "report", "progress", "--as-of", "2021-09-30", "-f", "md", "--out", out, "--data", real_data
    )
    assert result.stdout == f"已生成：{out}\n"
    rows = md_rows(out.read_text(encoding="utf-8"))
    tasks = yaml.safe_load((REAL_DATA / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    parsed = []
    for section, (subsection, requirement, responsibility, deadline, _progress) in rows:
        number, text = requirement.split("．", 1)
        parsed.append(
            {
                "number": int(number),
                "section": section,
                "subsection": subsection,
                "requirement": text,
                "responsibility": responsibility,
                "deadline": deadline,
            }
        )
    assert parsed == tasks
    assert len({r["section"] for r in parsed}) == 6


def test_progress_text_on_the_plan(gongkai, real_data):
    payload = json.loads(
        gongkai(
            "report", "progress", "--as-of", "2021-10-01", "-f", "json", "--data", real_data
        ).stdout
    )
    by_number = {t["number"]: t["progress"] for t in payload["tasks"]}
    assert by_number[2] == "尚无进展记录。"
    assert (
        by_number[32]
        == "尚无进展记录；逾期未完成：县政府办公室、濉溪镇、韩村镇、刘桥镇、五沟镇、临涣镇等13个单位。"
    )


def test_progress_xlsx_has_a_header_and_43_task_rows(gongkai, real_data, tmp_path):
    out = tmp_path / "p.xlsx"
    gongkai(
        "report",
        "progress",
        "--as-of",
        "2021-09-30",
        "-f",
        "xlsx",
        "--out",
        out,
        "--data",
        real_data,
    )
    sheet = openpyxl.load_workbook(out).active
    assert sheet.title == "进展情况"
    assert sheet["A1"].value == "濉溪县2021年政务公开重点工作任务进展情况"
    assert sheet["A2"].value == "截至2021年9月30日"
    assert [c.value for c in sheet[3]] == [
        "工作任务",
        "具体要求",
        "责任单位",
        "时限要求",
        "进展情况",
    ]
    assert sheet.max_row == 52  # 43 tasks under their 6 sections' rows
    assert sheet["A4"].value == "一、进一步强化重点领域信息公开"
    assert sheet["A5"].value.replace("\ufeff", "") == "（一）做好各类规划主动公开。"
    assert sheet["B52"].value.replace("\ufeff", "").startswith("43．继续开展政务公开常态化测评")
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"


@pytest.mark.parametrize("fmt", ["md", "xlsx"])
def test_reports_are_reproducible(gongkai, real_data, tmp_path, fmt):
    first, second = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
    for out in (first, second):
        gongkai(
            "report",
            "progress",
            "--as-of",
            "2021-09-30",
            "-f",
            fmt,
            "--out",
            out,
            "--data",
            real_data,
        )
        time.sleep(1.1)  # the wall clock must not leak into the file
    assert first.read_bytes() == second.read_bytes()


def test_default_file_is_under_reports_named_by_report_and_date(gongkai, real_data):
    result = gongkai("report", "overdue", "--as-of", "2021-11-01", "-f", "md", "--data", real_data)
    target = real_data.parent / "reports" / "逾期通报-2021-11-01.md"
    assert result.stdout == f"已生成：{target}\n"
    assert target.read_text(encoding="utf-8").startswith(
        "# 濉溪县2021年政务公开重点工作任务逾期情况通报（截至 2021年11月1日）\n"
    )


def test_a_report_cannot_overwrite_the_ledger(gongkai, real_data):
    before = (real_data / "tasks.yaml").read_bytes()
    result = gongkai(
        "report", "progress", "-f", "md", "--out", real_data / "tasks.yaml", "--data", real_data
    )
    assert result.exit_code == 1
    assert (
        result.stderr == f"错误：{real_data / 'tasks.yaml'} 是台账的数据文件，报表不能写到这里。\n"
    )
    assert (real_data / "tasks.yaml").read_bytes() == before


@pytest.fixture
def mini_progress(tmp_path):
    progress = (
        "- {date: 2021-06-10, task: 1, unit: 县财政局, status: 已完成, note: 已公开}\n"
        "- {date: 2021-07-05, task: 1, unit: 甲镇, status: 已完成}\n"
        f'- {{date: 2021-06-01, task: 1, unit: 乙镇, status: 进行中, note: "{NASTY}"}}\n'
        "- {date: 2021-06-01, task: 2, unit: 县政府办公室, status: 不涉及}\n"
        "- {date: 2021-06-01, task: 4, unit: 县教育局, status: 进行中}\n"
    )
    return write_ledger(tmp_path, progress=progress)


def test_overdue_bulletin_markdown(gongkai, mini_progress):
    result = gongkai(
        "report", "overdue", "--as-of", "2021-07-10", "-f", "md", "--out", "-", "--data", "data"
    )
    assert result.stdout == (
        "# 测试县2021年政务公开重点工作任务逾期情况通报（截至 2021年7月10日）\n\n"
        "截至 2021年7月10日，共有 1 项任务逾期未完成，涉及 4 个单位。\n\n"
        "## 一、逾期任务\n\n"
        "| 编号 | 具体要求 | 时限要求 | 逾期天数 | 逾期单位 |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 1 | 公开预算决算。 | 6月底前 | 10 | 乙镇、县政府办公室、县教育局、县档案馆 |\n\n"
        "## 二、各单位逾期情况\n\n"
        "| 排名 | 单位 | 逾期任务数 | 任务编号（逾期天数） |\n"
        "| --- | --- | --- | --- |\n"
        "| 1 | 乙镇 | 1 | 1（10天） |\n"
        "| 1 | 县政府办公室 | 1 | 1（10天） |\n"
        "| 1 | 县教育局 | 1 | 1（10天） |\n"
        "| 1 | 县档案馆 | 1 | 1（10天） |\n"
    )


def test_unit_checklist_markdown(gongkai, mini_progress):
    result = gongkai(
        "report",
        "unit",
        "县政府办",
        "--as-of",
        "2021-07-10",
        "-f",
        "md",
        "--out",
        "-",
        "--data",
        "data",
    )
    assert result.stdout == (
        "# 县政府办公室2021年政务公开重点工作任务责任清单（截至 2021年7月10日）\n\n"
        "共 3 项：牵头 1 项，落实 2 项；已完成 1 项，逾期未完成 1 项。\n\n"
        "## 一、牵头任务\n\n"
        "| 编号 | 具体要求 | 时限要求 | 截止日期 | 本单位状态 | 说明 |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 3 | 开展培训。 | 持续推进 | 持续推进 | 未开始 |  |\n\n"
        "## 二、落实任务\n\n"
        "| 编号 | 具体要求 | 时限要求 | 截止日期 | 本单位状态 | 说明 |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 1 | 公开预算决算。 | 6月底前 | 2021年6月30日 | 未开始（逾期） |  |\n"
        "| 2 | 做好政策解读。 | 10月底前 | 2021年10月31日 | 不涉及 |  |\n"
    )


def test_stats_by_unit_json(gongkai, mini_progress):
    payload = json.loads(
        gongkai("stats", "--as-of", "2021-07-10", "-f", "json", "--data", "data").stdout
    )
    rows = {r["key"]: r for r in payload["rows"]}
    assert rows["县财政局"] == {
        "key": "县财政局",
        "total": 1,
        "done": 1,
        "on_time": 1,
        "overdue": 0,
        "completion_rate": 1.0,
        "on_time_rate": 1.0,
    }
    assert rows["甲镇"] == {
        "key": "甲镇",
        "total": 1,
        "done": 1,
        "on_time": 0,
        "overdue": 0,
        "completion_rate": 1.0,
        "on_time_rate": 0.0,
    }
    assert rows["合计"] == {
        "key": "合计",
        "total": 9,
        "done": 3,
        "on_time": 2,
        "overdue": 4,
        "completion_rate": 0.3333,
        "on_time_rate": 0.2857,
    }


def test_stats_by_section_csv(gongkai, mini_progress):
    result = gongkai(
        "stats", "--by", "section", "--as-of", "2021-07-10", "-f", "csv", "--data", "data"
    )
    assert result.stdout == (
        "大项,项次,完成,按期,逾期,完成率,按期率\n"
        "一、强化信息公开,7,3,2,4,42.9%,28.6%\n"
        "二、强化监督,2,0,0,0,0.0%,—\n"
        "合计,9,3,2,4,33.3%,28.6%\n"
    )


def test_stats_terminal_draws_bars(gongkai, mini_progress):
    result = gongkai("stats", "--as-of", "2021-07-10", "--data", "data", "-f", "table")
    assert "│ 县政府办公室 │" in result.stdout  # not cut short at 80 columns
    assert "████████ 100.0%" in result.stdout
    assert "░░░░░░░░ 0.0%" in result.stdout


def test_untrusted_note_breaks_no_table(gongkai, mini_progress, tmp_path):
    args = ["report", "progress", "--as-of", "2021-07-10", "--data", "data"]
    md = gongkai(*args, "-f", "md", "--out", "-").stdout
    row = next(line for line in md.splitlines() if line.startswith("| （一）财政信息。 | 1．"))
    assert len(re.split(r"(?<!\\)\|", row)) == 7  # five cells between six bars
    assert "；乙镇：a\\|b<br>\\*\\*粗体\\*\\* \\<b\\>x\\</b\\> \\[red\\]红\\[/red\\] =1+1" in row

    rows = list(csv.reader(io.StringIO(gongkai(*args, "-f", "csv").stdout)))
    assert all(len(r) == 5 for r in rows)
    assert NASTY_TEXT in rows[1][4]

    out = tmp_path / "p.xlsx"
    gongkai(*args, "-f", "xlsx", "--out", out)
    cell = openpyxl.load_workbook(out).active["E5"]  # under the section's row
    assert NASTY_TEXT in cell.value.replace("\ufeff", "") and cell.data_type == "s"

    terminal = gongkai(*args, "--wide", "-f", "table").stdout
    assert "[red]红[/red]" in terminal


def test_a_cell_that_looks_like_a_formula_stays_text(gongkai, tmp_path):
    write_ledger(
        tmp_path,
        progress='- {date: 2021-06-01, task: 2, unit: 县政府办公室, status: 进行中, note: "=HYPERLINK(1)"}\n',
    )
    rows = list(
        csv.reader(
            io.StringIO(
                gongkai(
                    "report",
                    "unit",
                    "县政府办公室",
                    "--as-of",
                    "2021-06-02",
                    "-f",
                    "csv",
                    "--data",
                    "data",
                ).stdout
            )
        )
    )
    assert rows[0][:2] == ["编号", "角色"]
    assert next(r for r in rows if r and r[0] == "2")[6] == "'=HYPERLINK(1)"
    out = tmp_path / "u.xlsx"
    gongkai(
        "report",
        "unit",
        "县政府办公室",
        "--as-of",
        "2021-06-02",
        "-f",
        "xlsx",
        "--out",
        out,
        "--data",
        "data",
    )
    sheet = openpyxl.load_workbook(out)["落实任务"]
    cell = next(row[5] for row in sheet.iter_rows(min_row=4) if row[0].value == 2)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_all_units_writes_one_checklist_per_unit(gongkai, mini_progress, tmp_path):
    out = tmp_path / "units"
    result = gongkai(
        "report",
        "unit",
        "--all-units",
        "-f",
        "md",
        "--out",
        out,
        "--as-of",
        "2021-07-10",
        "--data",
        "data",
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{u}.md" for u in ["甲镇", "乙镇", "县政府办公室", "县财政局", "县教育局", "县档案馆"]
    )


def test_all_units_needs_a_file_format(gongkai, mini_progress):
    result = gongkai("report", "unit", "--all-units", "--data", "data")
    assert (result.exit_code, result.stderr) == (
        1,
        "错误：--all-units 请用 --format md（每个单位一个文件）、xlsx 或 docx（全部单位一个文件）。\n",
    )


def test_control_characters_in_a_note_never_reach_the_terminal(gongkai, tmp_path):
    # C1 escape sequences (ESC and BEL, which XML forbids, are validate errors), written escaped
    note = "\\u009b2J\\u009d0;标题\\u009c清屏\\u009b31m红"
    write_ledger(
        tmp_path,
        progress=f'- {{date: 2021-06-01, task: 2, unit: 县政府办公室, status: 进行中, note: "{note}"}}\n',
    )
    for fmt in ("table", "md", "csv"):
        out = gongkai(
            "show", "2", "--as-of", "2021-06-02", "-f", fmt, "--wide", "--data", "data"
        ).stdout
        assert "清屏" in out
        assert not any(ch in out for ch in "\x1b\x07\x9b"), fmt


def test_the_unit_checklist_takes_the_unit_as_argument_or_as_unit_option(gongkai, real_data):
    """Every other command names a unit with --unit: the checklist takes that spelling too."""
    args = ["--as-of", "2021-10-31", "-f", "json", "--data", real_data]
    positional = gongkai("report", "unit", "县财政局", *args)
    assert positional.exit_code == 0, positional.stderr
    assert gongkai("report", "unit", "--unit", "县财政局", *args).stdout == positional.stdout
    assert (
        gongkai("report", "unit", "-u", "县财政局", "县财政局", *args).stdout == positional.stdout
    )

    both = gongkai("report", "unit", "县财政局", "-u", "县教育局", *args)
    assert both.exit_code == 2
    assert both.stderr.splitlines()[-1] == (
        "错误：--unit 的值无效：单位写了两个（县财政局、县教育局）；责任清单一次一个单位。"
    )


def test_a_plan_without_subsections_says_its_section_once_in_the_csv(gongkai, tmp_path):
    """An imported table with one 工作任务 column repeats the 大项 as the 小项: the flat
    table's 工作任务 cell gives it once."""
    write_ledger(
        tmp_path,
        "title: 测试县2021年政务公开工作要点\nyear: 2021\ntasks:\n"
        "- number: 1\n  section: 一、加强政策公开\n  subsection: 一、加强政策公开\n"
        "  requirement: 公开部门预算。\n  responsibility: 县财政局负责落实\n  deadline: 6月底前\n",
    )
    args = ("report", "progress", "--as-of", "2021-07-10", "-f", "csv", "--data", "data")
    rows = list(csv.reader(io.StringIO(gongkai(*args).stdout)))
    assert rows[1][:2] == ["一、加强政策公开", "1．公开部门预算。"]

"""forms, collect, forms status: a round of fill-in forms, sent out, filled in as a unit
would with openpyxl, returned and entered into the log."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from tests.conftest import TOWNS, git, snapshot, write_ledger

ROUND = "2021-10-31"
FORM = f"县财政局-进展填报-{ROUND}.xlsx"
STATUS_WORDS = "未开始、进行中、进展缓慢、已完成、不涉及"
FINANCE_TASKS = [3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20]
FINANCE_TASKS += [21, 22, 23, 26, 27, 29, 30, 31, 33, 34, 36, 37, 38, 39, 40, 41]


@pytest.fixture
def sent(gongkai, ledger, monkeypatch) -> Path:
    """The ledger with the 县财政局 form of the round written to forms/."""
    monkeypatch.chdir(ledger)
    result = gongkai("forms", "--unit", "县财政局", "--as-of", ROUND, "--out", "forms")
    assert result.exit_code == 0, result.stderr
    return ledger / "forms" / FORM


def row_of(sheet, task: int) -> int:
    return next(r for r in range(7, sheet.max_row + 1) if sheet.cell(r, 1).value == task)


def fill(
    path: Path, rows: dict[int, dict[str, object]], save_as: Path | None = None, **top
) -> Path:
    """Fill in the form as a unit would: cells by task row and column header."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["填报"]
    headers = {sheet.cell(6, c).value: c for c in range(1, 10)}
    for task, cells in rows.items():
        row = row_of(sheet, task)
        for header, value in cells.items():
            sheet.cell(row, headers[header]).value = value
    if "by" in top:
        sheet["B3"] = top["by"]
    if "phone" in top:
        sheet["E3"] = top["phone"]
    target = save_as or path
    workbook.save(target)
    return target


def log_lines(repo: Path) -> list[str]:
    """The log's events, with the random update ids left out."""
    text = (repo / "data" / "progress.yaml").read_text(encoding="utf-8")
    return [
        re.sub(r"^- \{id: [0-9a-z]+, ", "- {", line)
        for line in text.splitlines()
        if line.startswith("- ")
    ]


# ----- sending ---------------------------------------------------------------


def test_forms_writes_the_units_form_with_its_tasks(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = gongkai(
        "forms", "--unit", "县财政局", "--as-of", ROUND, "--due", "2021-11-10", "--out", "forms"
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "已生成 1 份填报表，在 forms（截至2021年10月31日，填报截止2021年11月10日）：\n"
        f"  {FORM}（32 项任务）\n"
    )
    workbook = openpyxl.load_workbook(ledger / "forms" / FORM)
    assert workbook.sheetnames == ["填报", "标识"]
    sheet, hidden = workbook["填报"], workbook["标识"]
    assert hidden.sheet_state == "hidden"
    assert sheet["A1"].value == "濉溪县2021年政务公开重点工作任务分工（征求意见稿）进展填报表"
    assert [sheet["A2"].value, sheet["B2"].value] == ["填报单位", "县财政局"]
    assert [sheet["D2"].value, sheet["E2"].value] == ["截至日期", dt.datetime(2021, 10, 31)]
    assert [sheet["G2"].value, sheet["H2"].value] == ["填报截止", dt.datetime(2021, 11, 10)]
    assert "请于2021年11月10日前将本表" in sheet["A4"].value
    assert [c.value for c in sheet[6]] == [
        "编号", "具体要求", "角色", "时限", "当前状态", "上次说明", "状态", "进展说明", "完成日期"
    ]  # fmt: skip
    assert [sheet.cell(r, 1).value for r in range(7, sheet.max_row + 1)] == FINANCE_TASKS
    listed = json.loads(gongkai("list", "--unit", "县财政局", "-f", "json").stdout)
    assert [t["number"] for t in listed] == FINANCE_TASKS
    forty = row_of(sheet, 40)
    assert [sheet.cell(forty, c).value for c in range(3, 7)] == [
        "落实",
        "6月底前",
        "未开始（逾期）",
        None,
    ]
    assert sheet.cell(row_of(sheet, 6), 3).value == "牵头"

    # Protected without a password; only the fill-in cells (and 填报人, 联系电话 E3:F3) are open.
    assert sheet.protection.sheet and not sheet.protection.password
    assert workbook.security.lockStructure
    open_cells = {c.coordinate for row in sheet.iter_rows() for c in row if not c.protection.locked}
    last = sheet.max_row
    assert open_cells == {"B3", "E3", "F3"} | {
        f"{col}{r}" for col in "GHI" for r in range(7, last + 1)
    }

    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert validations[f"G7:G{last}"].type == "list"
    assert validations[f"G7:G{last}"].formula1 == '"未开始,进行中,进展缓慢,已完成,不涉及"'
    assert validations[f"I7:I{last}"].type == "date"
    assert validations[f"H7:H{last}"].type == "textLength"

    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.print_title_rows == "$6:$6"
    assert sheet.freeze_panes == "A7"

    properties = {p.name: p.value for p in workbook.custom_doc_props}
    identity = {row[0]: row[1] for row in hidden.iter_rows(min_row=2, values_only=True)}
    digest = properties["gongkai-digest"]
    assert len(digest) == 16
    assert properties == {
        "gongkai-form": "gongkai-进展填报表-1",
        "gongkai-plan": "濉溪县2021年政务公开重点工作任务分工（征求意见稿）",
        "gongkai-year": "2021",
        "gongkai-unit": "县财政局",
        "gongkai-as-of": ROUND,
        "gongkai-due": "2021-11-10",
        "gongkai-digest": digest,
    }
    assert identity == {
        "表格": "gongkai-进展填报表-1",
        "计划": "濉溪县2021年政务公开重点工作任务分工（征求意见稿）",
        "年份": "2021",
        "单位": "县财政局",
        "截至日期": ROUND,
        "填报截止": "2021-11-10",
        "任务摘要": digest,
    }


def test_forms_shows_progress_as_of_the_round_and_is_reproducible(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    gongkai(
        "update", "7", "-u", "县财政局", "-s", "进行中", "-n", "=已起草", "--date", "2021-09-01"
    )
    gongkai("update", "7", "-u", "县财政局", "-s", "已完成", "--date", "2021-11-02")
    gongkai("forms", "-u", "县财政局", "--as-of", ROUND, "--out", "a")
    gongkai("forms", "-u", "县财政局", "--as-of", ROUND, "--out", "b")

    first = (ledger / "a" / FORM).read_bytes()
    assert first == (ledger / "b" / FORM).read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(first))["填报"]
    row = row_of(sheet, 7)
    assert sheet.cell(row, 5).value == "进行中"  # the update of 2021-11-02 is after the round
    assert sheet.cell(row, 6).value == "2021-09-01：=已起草"
    assert sheet.cell(row, 6).data_type == "s"  # text, never a formula


def test_forms_for_a_group_and_default_folder_and_due(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = gongkai("forms", "--unit", "各镇", "--as-of", ROUND)

    assert result.exit_code == 0, result.stderr
    folder = ledger / "reports" / f"进展填报-{ROUND}"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{town}-进展填报-{ROUND}.xlsx" for town in TOWNS
    )
    assert "填报截止2021年11月7日" in result.stdout


def test_forms_asks_for_a_unit_or_all_units(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = gongkai("forms")
    assert result.exit_code == 2
    assert "请用 --unit 指定单位，或使用 --all-units（二者选一）。" in result.stderr
    result = gongkai("forms", "--unit", "县财正局")
    assert result.exit_code == 1
    assert result.stderr == "错误：单位名录中没有“县财正局”，是否是指“县财政局”？\n"
    result = gongkai("forms", "-u", "县财政局", "--as-of", ROUND, "--due", "2021-10-01")
    assert result.stderr == ("错误：--due 2021-10-01 早于截至日期 2021-10-31；请给出之后的日期。\n")


def test_forms_never_overwrites_a_returned_form(gongkai, sent):
    fill(sent, {7: {"状态": "已完成"}})
    filled = sent.read_bytes()

    result = gongkai("forms", "--unit", "县财政局", "--as-of", ROUND, "--out", "forms")

    assert result.exit_code == 1
    assert result.stderr == (
        f"错误：forms/{FORM} 已存在且内容不同（可能是已发回的表格）；未生成任何填报表。"
        "请换一个 --out 目录，或用 --force 覆盖。\n"
    )
    assert sent.read_bytes() == filled
    assert (
        gongkai("forms", "-u", "县财政局", "--as-of", ROUND, "--out", "forms", "--force").exit_code
        == 0
    )
    assert sent.read_bytes() != filled


def test_form_file_names_are_sanitised(gongkai, tmp_path, monkeypatch):
    # A name with "/" or ".." is a validate error; what Windows forbids in a name is not.
    units = 'groups: []\nunits:\n- name: "县财政局*?"\n  kind: 政府工作部门\n'
    tasks = """\
        title: 测试县2021年计划
        year: 2021
        tasks:
        - number: 1
          section: 一、公开
          subsection: （一）财政。
          requirement: 公开预算。
          responsibility: 县财政局*?负责落实
          deadline: 年底前
        """
    data = write_ledger(tmp_path / "odd", tasks=tasks, units=units)
    monkeypatch.chdir(tmp_path / "odd")

    result = gongkai("forms", "--all-units", "--as-of", ROUND, "--out", "out", "--data", data)

    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (tmp_path / "odd" / "out").iterdir()] == [
        f"县财政局__-进展填报-{ROUND}.xlsx"
    ]


# ----- collecting ------------------------------------------------------------


def test_collect_records_only_the_rows_that_changed(gongkai, sent):
    repo = sent.parent.parent
    fill(
        sent,
        {
            7: {
                "状态": "已完成",
                "进展说明": "已在专栏公开",
                "完成日期": dt.datetime(2021, 10, 20),
            },
            8: {"状态": "进行中"},
            9: {"进展说明": "每日发布"},
            10: {"状态": "未开始"},  # what the form already showed: no news
        },
        by="张三",
        phone="0561-1234567",
    )

    result = gongkai("collect", f"forms/{FORM}", "--date", "2021-11-05")

    assert result.exit_code == 0, result.stderr
    sha = git(repo, "rev-parse", "HEAD").strip()
    assert result.stdout == (
        f"{FORM}：县财政局，截至 2021-10-31；记录 3 条，未变 29 条。\n"
        "  任务 7 → 已完成（2021-10-20）：已在专栏公开\n"
        "  任务 8 → 进行中（2021-11-05）\n"
        "  任务 9 → 未开始（2021-11-05）：每日发布\n"
        f"  已提交 git：{sha[:7]}\n"
    )
    assert result.stderr == ""
    assert log_lines(repo) == [
        "- {date: 2021-10-20, task: 7, unit: 县财政局, status: 已完成, note: 已在专栏公开, by: 张三}",
        "- {date: 2021-11-05, task: 8, unit: 县财政局, status: 进行中, by: 张三}",
        "- {date: 2021-11-05, task: 9, unit: 县财政局, status: 未开始, note: 每日发布, by: 张三}",
    ]
    digest = hashlib.sha256(sent.read_bytes()).hexdigest()
    assert git(repo, "log", "-1", "--format=%B") == (
        "进展: 县财政局 填报表（2021-10-31）记录 3 条\n\n"
        "任务 7 → 已完成（2021-10-20）\n任务 8 → 进行中（2021-11-05）\n任务 9 → 未开始（2021-11-05）\n\n"
        f"Form: {FORM}\nForm-SHA256: {digest}\nRound: 2021-10-31\nUnit: 县财政局\n"
        "Task: 7\nTask: 8\nTask: 9\nDate: 2021-11-05\nBy: 张三\nPhone: 0561-1234567\n\n"
    )
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["data/progress.yaml"]
    shown = json.loads(gongkai("show", "7", "--as-of", "2021-10-25", "-f", "json").stdout)
    assert shown["status"]["县财政局"]["status"] == "已完成"

    # Collected again: nothing is recorded and nothing is committed.
    before = snapshot(repo)
    again = gongkai("collect", f"forms/{FORM}", "--date", "2021-11-06")
    assert again.exit_code == 0, again.stderr
    assert again.stdout == (
        f"{FORM}：县财政局，截至 2021-10-31；记录 0 条，未变 30 条，此前已记录 2 条。\n"
        f"  这份表格已在提交 {sha[:7]} 中收取过，没有新内容。\n"
    )
    assert snapshot(repo) == before


def test_collect_dry_run_shows_what_would_be_recorded_and_writes_nothing(gongkai, sent):
    repo = sent.parent.parent
    fill(sent, {12: {"状态": "doing", "进展说明": "起草中"}})
    before = snapshot(repo)

    result = gongkai("collect", f"forms/{FORM}", "--date", "2021-11-05", "--dry-run")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"{FORM}：县财政局，截至 2021-10-31；将记录 1 条，未变 31 条。\n"
        "  任务 12 → 进行中（2021-11-05）：起草中\n"
        "（试运行：未写入任何内容。）\n"
    )
    assert snapshot(repo) == before


def test_an_untouched_form_is_a_reply_with_no_news(gongkai, sent):
    repo = sent.parent.parent
    result = gongkai("collect", f"forms/{FORM}", "--date", "2021-11-05")

    assert result.exit_code == 0, result.stderr
    assert log_lines(repo) == []
    assert (
        git(repo, "log", "-1", "--format=%s").strip()
        == "回收: 县财政局 填报表（2021-10-31）无新进展"
    )
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == []
    assert git(repo, "status", "--porcelain") == "?? forms/\n"


def test_collect_keeps_what_is_staged_out_of_its_commit(gongkai, sent):
    repo = sent.parent.parent
    (repo / "draft.txt").write_text("草稿\n", encoding="utf-8")
    git(repo, "add", "draft.txt")
    fill(sent, {7: {"状态": "进行中"}})

    assert gongkai("collect", f"forms/{FORM}", "--date", "2021-11-05").exit_code == 0

    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["data/progress.yaml"]
    assert "A  draft.txt" in git(repo, "status", "--porcelain")


def test_a_form_without_news_commits_nothing_staged_and_runs_the_hooks(gongkai, sent):
    """The empty commit names no path: `--only` alone commits HEAD's tree, and the hooks
    run on an index made from HEAD, as when it named the log."""
    repo = sent.parent.parent
    (repo / "draft.txt").write_text("草稿\n", encoding="utf-8")
    git(repo, "add", "draft.txt")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\ngit ls-files > .git/hook-saw\n", encoding="utf-8")
    hook.chmod(0o755)
    before = git(repo, "rev-parse", "HEAD^{tree}")

    assert gongkai("collect", f"forms/{FORM}", "--date", "2021-11-05").exit_code == 0

    assert git(repo, "rev-parse", "HEAD^{tree}", "HEAD~1^{tree}").split() == [before.strip()] * 2
    assert "A  draft.txt" in git(repo, "status", "--porcelain")
    saw = (repo / ".git" / "hook-saw").read_text(encoding="utf-8").split()
    assert "draft.txt" not in saw and "data/progress.yaml" in saw


@pytest.mark.parametrize(
    "typed", ["10月20日", "10-20", "１０月２０日", "2021年10月20日", "2021/10/20"]
)
def test_a_completion_date_typed_as_text_is_read_as_clerks_write_it(gongkai, sent, typed):
    """A cell that Excel kept as text: 10月20日 is in the plan's year."""
    fill(sent, {7: {"状态": "已完成", "完成日期": typed}})

    result = gongkai("collect", f"forms/{FORM}", "--date", "2021-11-05", "--dry-run")

    assert result.exit_code == 0, result.stderr
    assert "  任务 7 → 已完成（2021-10-20）\n" in result.stdout


def test_collect_never_goes_silently_backwards(gongkai, sent):
    repo = sent.parent.parent
    gongkai("update", "7", "-u", "县财政局", "-s", "进行中", "--date", "2021-10-25")
    gongkai("update", "8", "-u", "县财政局", "-s", "已完成", "--date", "2021-11-02")
    fill(
        sent,
        {
            # Done on 10-20, but the ledger holds 进行中 of 10-25: recording it would be overruled.
            7: {"状态": "已完成", "完成日期": dt.datetime(2021, 10, 20)},
            8: {},  # left as the form showed it (未开始), while the ledger moved on: no news
        },
    )

    result = gongkai("collect", f"forms/{FORM}", "--date", "2021-11-05")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        f"{FORM}：县财政局，截至 2021-10-31；记录 0 条，未变 31 条，跳过 1 条。",
        "  跳过任务 7：台账中已有 2021-10-25 的记录（进行中），晚于本行的日期 2021-10-20；未记录，请核实。",
    ]
    assert len(log_lines(repo)) == 2
    shown = json.loads(gongkai("show", "8", "-f", "json").stdout)
    assert shown["status"]["县财政局"]["status"] == "已完成"


def test_a_bad_form_is_rejected_whole_with_cell_references(gongkai, sent):
    repo = sent.parent.parent
    good = sent.parent / f"县教育局-进展填报-{ROUND}.xlsx"
    gongkai("forms", "--unit", "县教育局", "--as-of", ROUND, "--out", "forms")
    fill(good, {7: {"状态": "进行中"}})
    workbook = openpyxl.load_workbook(sent)
    sheet = workbook["填报"]
    sheet[f"G{row_of(sheet, 5)}"] = "已完成"  # a good row: it does not go in either
    sheet[f"G{row_of(sheet, 7)}"] = "完成了"
    sheet[f"B{row_of(sheet, 9)}"] = "改写了的具体要求"
    sheet[f"G{row_of(sheet, 11)}"] = "逾期"
    sheet[f"I{row_of(sheet, 12)}"] = "2099-01-01"
    sheet[f"G{row_of(sheet, 12)}"] = "已完成"
    sheet[f"A{row_of(sheet, 13)}"] = 2  # task 2 is 县政府办公室's alone
    sheet[f"I{row_of(sheet, 14)}"] = "十月"
    sheet[f"I{row_of(sheet, 15)}"] = dt.datetime(2021, 10, 1)  # a date, but the status is 未开始
    workbook.save(sent)
    rows = {n: row_of(sheet, n) for n in (7, 9, 11, 12, 14, 15)}

    result = gongkai("collect", f"forms/{FORM}", f"forms/{good.name}", "--date", "2021-11-05")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{FORM}:填报!G{rows[7]}: 状态“完成了”无效，可填：{STATUS_WORDS}；是否是指“已完成”？",
        f"{FORM}:填报!B{rows[9]}: 提醒：任务 9 的具体要求与计划不一致；表中的修改不会改动计划。",
        f"{FORM}:填报!G{rows[11]}: “逾期”由台账按日期推算，不能填写；可填：{STATUS_WORDS}",
        f"{FORM}:填报!I{rows[12]}: 完成日期 2099-01-01 晚于今天，只能填写已经发生的日期。",
        f"{FORM}:填报!A{rows[12] + 1}: 任务 2 不是县财政局的任务（责任单位：县政府办公室负责落实）。",
        f"{FORM}:填报!I{rows[14]}: 完成日期“十月”不是有效日期；请写成 2021-10-31 或 10月31日 这样的日期。",
        f"{FORM}:填报!I{rows[15]}: 填写了完成日期，但状态是“未开始”；完成日期只用于“已完成”或“不涉及”。",
        f"错误：{FORM} 有 6 处错误，整份未收取。",
    ]
    # The good form of the same run still goes in.
    assert log_lines(repo) == ["- {date: 2021-11-05, task: 7, unit: 县教育局, status: 进行中}"]
    assert result.stdout.endswith("共 2 份：收取 1 份，拒收 1 份。\n")


def test_all_or_nothing_stops_the_whole_run(gongkai, sent):
    repo = sent.parent.parent
    gongkai("forms", "--unit", "县教育局", "--as-of", ROUND, "--out", "forms")
    good = fill(sent.parent / f"县教育局-进展填报-{ROUND}.xlsx", {7: {"状态": "进行中"}})
    fill(sent, {7: {"状态": "完成了"}})
    before = snapshot(repo)

    result = gongkai("collect", f"forms/{good.name}", f"forms/{FORM}", "--all-or-nothing")

    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[-1]
        == "错误：1 份表格有误；按 --all-or-nothing，2 份全部未收取。"
    )
    assert result.stdout == ""
    assert snapshot(repo) == before


def test_unreadable_files_get_one_sentence_each(gongkai, sent, tmp_path):
    repo = sent.parent.parent
    (repo / "notes.txt").write_text("进展\n", encoding="utf-8")
    (repo / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (repo / "cut.xlsx").write_bytes(sent.read_bytes()[:2000])
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    (repo / "letter.xlsx").write_bytes(docx.getvalue())
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not xml")
    (repo / "broken.xlsx").write_bytes(broken.getvalue())
    plain = openpyxl.Workbook()
    plain.active["A1"] = "别的表格"
    plain.save(repo / "other.xlsx")
    before = snapshot(repo)

    result = gongkai(
        "collect", "notes.txt", "old.xls", "cut.xlsx", "letter.xlsx", "broken.xlsx",
        "other.xlsx", "missing.xlsx", "forms",
    )  # fmt: skip

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "错误：notes.txt 不是 Excel 表格（.xlsx）文件，无法收取。",
        "错误：old.xls 是旧版 Excel（.xls）文件或加了密码的表格；请在 Excel 或 WPS 中另存为不加密的 .xlsx 后再收取。",
        "错误：cut.xlsx 已损坏（不是完整的 .xlsx 文件），无法收取。",
        "错误：letter.xlsx 是 Word 文档，不是 Excel 表格（.xlsx）文件，无法收取。",
        "错误：broken.xlsx 已损坏，无法作为 .xlsx 读取。",
        "错误：other.xlsx 不是 gongkai 生成的进展填报表（找不到“编号、具体要求、状态、进展说明、完成日期”表头），无法收取。",
        "错误：找不到文件 missing.xlsx。",
        "错误：forms 是目录，不是填报表文件。",
    ]
    assert result.stdout == "共 8 份：收取 0 份，拒收 8 份。\n"
    assert snapshot(repo) == before


def test_a_form_of_another_plan_or_year_is_refused(gongkai, sent, tmp_path):
    repo = sent.parent.parent
    other = write_ledger(tmp_path / "other")
    gongkai("forms", "-u", "县财政局", "--as-of", ROUND, "--out", tmp_path / "o", "--data", other)
    plan = repo / "data" / "tasks.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("year: 2021", "year: 2022"), encoding="utf-8"
    )
    next_year = tmp_path / "next"
    gongkai("forms", "-u", "县财政局", "--as-of", ROUND, "--out", next_year)
    git(repo, "checkout", "data/tasks.yaml")

    result = gongkai("collect", tmp_path / "o" / FORM, next_year / FORM)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{FORM}: 这是“测试县2021年政务公开重点工作任务分工”（2021年）的填报表，"
        "不是本台账“濉溪县2021年政务公开重点工作任务分工（征求意见稿）”的；整份未收取。",
        f"错误：{FORM} 有 1 处错误，整份未收取。",
        f"{FORM}: 这是“濉溪县2021年政务公开重点工作任务分工（征求意见稿）”（2022年）的填报表，"
        "不是本台账“濉溪县2021年政务公开重点工作任务分工（征求意见稿）”的；整份未收取。",
        f"错误：{FORM} 有 1 处错误，整份未收取。",
    ]


def test_a_form_of_an_unknown_unit_is_refused(gongkai, sent):
    workbook = openpyxl.load_workbook(sent)
    for prop in list(workbook.custom_doc_props):
        if prop.name == "gongkai-unit":
            prop.value = "县财务局"
    workbook["标识"]["B5"] = "县财务局"
    workbook["填报"]["B2"] = "县财务局"
    workbook.save(sent)

    result = gongkai("collect", f"forms/{FORM}")

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{FORM}:填报!B2: 单位名录中没有“县财务局”，是否是指“县财政局”？整份未收取。"
    )


def strip_identity(path: Path) -> None:
    """What a spreadsheet program may do on saving: drop the custom properties and the hidden sheet."""
    workbook = openpyxl.load_workbook(path)
    del workbook["标识"]
    for name in [p.name for p in workbook.custom_doc_props]:
        del workbook.custom_doc_props[name]
    workbook.security = None
    workbook.save(path)


def test_a_form_resaved_without_its_identity_still_collects(gongkai, sent):
    repo = sent.parent.parent
    fill(sent, {7: {"状态": "进行中", "进展说明": "起草中"}})
    strip_identity(sent)
    workbook = openpyxl.load_workbook(sent)
    assert workbook.sheetnames == ["填报"] and not list(workbook.custom_doc_props)

    result = gongkai("collect", f"forms/{FORM}", "--date", "2021-11-05")

    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"{FORM}: 提醒：表格的标识（文档属性和隐藏工作表）已不在，可能经 WPS 或 LibreOffice 另存；"
        "已按表头的填报单位、截至日期和各行内容识别。\n"
    )
    assert log_lines(repo) == [
        "- {date: 2021-11-05, task: 7, unit: 县财政局, status: 进行中, note: 起草中}"
    ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")
def test_a_form_resaved_by_libreoffice_collects(gongkai, sent, tmp_path):
    repo = sent.parent.parent
    fill(
        sent,
        {7: {"状态": "已完成", "完成日期": dt.datetime(2021, 10, 20)}, 8: {"进展说明": "起草中"}},
        by="李四",
    )
    strip_identity(sent)
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "lo"),
            str(sent),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    resaved = tmp_path / "lo" / FORM
    assert resaved.read_bytes() != sent.read_bytes()

    result = gongkai("collect", resaved, "--date", "2021-11-05")

    assert result.exit_code == 0, result.stderr
    assert log_lines(repo) == [
        "- {date: 2021-10-20, task: 7, unit: 县财政局, status: 已完成, by: 李四}",
        "- {date: 2021-11-05, task: 8, unit: 县财政局, status: 未开始, note: 起草中, by: 李四}",
    ]


def test_collect_refuses_a_date_in_the_future(gongkai, sent):
    result = gongkai("collect", f"forms/{FORM}", "--date", "2099-01-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "错误：--date 2099-01-01 晚于今天，进展只能记录已发生的情况；未收取。\n"
    )


# ----- the round ------------------------------------------------------------


def test_forms_status_lists_the_units_still_to_reply(gongkai, sent):
    repo = sent.parent.parent
    gongkai("forms", "-u", "县教育局", "--as-of", ROUND, "--out", "forms")
    fill(sent, {7: {"状态": "进行中"}, 8: {"状态": "进行中"}})
    gongkai(
        "collect", f"forms/{FORM}", f"forms/县教育局-进展填报-{ROUND}.xlsx", "--date", "2021-11-05"
    )
    finance = git(repo, "log", "-1", "--skip=1", "--format=%H").strip()
    education = git(repo, "log", "-1", "--format=%H").strip()

    result = gongkai("forms", "status", "--format", "json")

    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["round"] == ROUND
    assert payload["returned"] == [
        {"unit": "县教育局", "date": "2021-11-05", "commit": education,
         "files": [f"县教育局-进展填报-{ROUND}.xlsx"], "updates": 0},
        {"unit": "县财政局", "date": "2021-11-05", "commit": finance,
         "files": [FORM], "updates": 2},
    ]  # fmt: skip
    assert len(payload["missing"]) == 49 and "县教育局" not in payload["missing"]
    assert payload["missing"][:2] == ["濉溪镇", "韩村镇"]

    text = gongkai("forms", "status", "--round", ROUND, "--format", "md").stdout
    assert "| 单位 | 情况 | 记录日期 | 记录条数 | 表格 | 提交 |" in text
    assert "| 县财政局 | 已交 | 2021-11-05 | 2 | 县财政局-进展填报-2021-10-31.xlsx |" in text
    assert "应交 51 个单位：已交 2 个，未交 49 个。" in text
    assert "催报名单：濉溪镇、韩村镇、" in text

    other = json.loads(gongkai("forms", "status", "--round", "2021-09-30", "-f", "json").stdout)
    assert other["returned"] == [] and len(other["missing"]) == 51


def test_an_undone_collect_no_longer_counts_as_a_reply(gongkai, sent):
    fill(sent, {7: {"状态": "进行中"}})
    gongkai("collect", f"forms/{FORM}", "--date", "2021-11-05")
    assert gongkai("undo").exit_code == 0

    payload = json.loads(gongkai("forms", "status", "--round", ROUND, "-f", "json").stdout)

    assert payload["returned"] == []
    (_, retraction) = log_lines(sent.parent.parent)  # retracted, not deleted
    assert "retracts: " in retraction
    again = gongkai("collect", f"forms/{FORM}", "--date", "2021-11-05")
    assert "记录 1 条" in again.stdout


def test_forms_status_before_any_form_was_collected(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = gongkai("forms", "status")
    assert result.exit_code == 1
    assert result.stderr == (
        "错误：还没有收取过任何填报表（gongkai collect）；请用 --round 指定轮次。\n"
    )


def test_a_whole_round_on_the_bundled_plan(gongkai, ledger, monkeypatch):
    """forms --all-units, every unit replies (a third with news), collect all 51 at once."""
    monkeypatch.chdir(ledger)
    result = gongkai("forms", "--all-units", "--as-of", ROUND, "--out", "round")
    assert result.exit_code == 0, result.stderr
    forms = sorted((ledger / "round").iterdir())
    assert len(forms) == 51
    for i, form in enumerate(forms):
        if i % 3 == 0:
            sheet = openpyxl.load_workbook(form)["填报"]
            first = sheet.cell(7, 1).value
            fill(form, {first: {"状态": "进行中", "进展说明": f"第{i}份"}})

    result = gongkai("collect", *forms, "--date", "2021-11-05")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("共 51 份：收取 51 份，拒收 0 份。\n")
    assert len(log_lines(ledger)) == 17
    assert git(ledger, "rev-list", "--count", "HEAD").strip() == "52"
    status = json.loads(gongkai("forms", "status", "-f", "json").stdout)
    assert status["missing"] == [] and len(status["returned"]) == 51
    entries = yaml.safe_load((ledger / "data" / "progress.yaml").read_text(encoding="utf-8"))
    assert {e["status"] for e in entries} == {"进行中"}


def test_forms_refuses_to_write_through_a_symlink(gongkai, ledger, monkeypatch, tmp_path):
    monkeypatch.chdir(ledger)
    (ledger / "forms").mkdir()
    target = tmp_path / "elsewhere.txt"
    target.write_text("别人的文件\n", encoding="utf-8")
    (ledger / "forms" / FORM).symlink_to(target)

    result = gongkai("forms", "-u", "县财政局", "--as-of", ROUND, "--out", "forms", "--force")

    assert result.exit_code == 1
    assert result.stderr == f"错误：forms/{FORM} 是符号链接，不能作为输出文件。\n"
    assert target.read_text(encoding="utf-8") == "别人的文件\n"


def test_a_changed_task_number_or_a_long_note_is_an_error(gongkai, sent):
    workbook = openpyxl.load_workbook(sent)
    sheet = workbook["填报"]
    rows = {n: row_of(sheet, n) for n in (7, 8, 9)}
    sheet[f"A{rows[7]}"] = 8  # 8 is theirs too, but the row asks about task 7
    sheet[f"A{rows[9]}"] = "8"  # and now task 8 appears twice
    sheet[f"B{rows[9]}"] = sheet[f"B{rows[8]}"].value
    sheet[f"H{rows[8]}"] = "很长" * 1001
    sheet[f"A{rows[8] + 100}"] = "第二项"
    sheet["B3"] = "张" * 101
    workbook.save(sent)

    result = gongkai("collect", f"forms/{FORM}")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{FORM}:填报!B3: 填报人过长（101 字），请控制在 100 字以内。",
        f"{FORM}:填报!A{rows[7]}: 编号 8 与本行的具体要求（任务 7）不符；请勿修改编号。",
        f"{FORM}:填报!H{rows[8]}: 进展说明过长（2002 字），请控制在 2000 字以内。",
        f"{FORM}:填报!A{rows[9]}: 任务 8 在 填报!A{rows[8]} 已填报过一次。",
        f"{FORM}:填报!A{rows[8] + 100}: 编号“第二项”不是任务编号。",
        f"错误：{FORM} 有 5 处错误，整份未收取。",
    ]


def test_a_second_copy_with_nothing_new_adds_no_commit(gongkai, sent):
    repo = sent.parent.parent
    fill(sent, {7: {"状态": "进行中"}})
    gongkai("collect", f"forms/{FORM}", "--date", "2021-11-05")
    sha = git(repo, "rev-parse", "HEAD").strip()
    copy = fill(sent, {}, save_as=repo / "copy.xlsx", phone="13900000000")
    assert copy.read_bytes() != sent.read_bytes()
    before = snapshot(repo)

    result = gongkai("collect", "copy.xlsx", "--date", "2021-11-06")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == (
        f"  本轮已在提交 {sha[:7]} 中收取过该单位的表格，这份没有新内容。"
    )
    assert snapshot(repo)[:2] == before[:2]


def test_collect_shows_no_control_characters_from_a_form(gongkai, sent):
    # XML lets a cell hold C1 controls such as CSI (U+009B), which some terminals obey.
    fill(
        sent, {7: {"状态": "进行中", "进展说明": "已起草\x9b31m\n第二行"}, 8: {"状态": "\x9b2J好"}}
    )

    result = gongkai("collect", f"forms/{FORM}", "--dry-run")

    assert "\x9b" not in result.stdout + result.stderr
    # The note is refused by the one rule for typed text; the status word is not a status.
    assert result.stderr.splitlines()[:2] == [
        f"{FORM}:填报!H10: 进展说明中含有不允许的字符 U+009B（Excel、Word 和终端都无法正确显示）。",
        f"{FORM}:填报!G11: 状态“2J好”无效，可填：{STATUS_WORDS}",
    ]

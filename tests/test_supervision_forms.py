"""A round of forms in a ledger that runs the supervision cycle: claims with evidence links,
problems and next steps, and extension requests come back on the forms; the office returns a
claim in bulk review, and the unit's next form shows why."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import git

ROUND = "2021-10-31"
FORM = f"县财政局-进展填报-{ROUND}.xlsx"


@pytest.fixture
def reviewed(ledger, monkeypatch) -> Path:
    """The 2021 plan with review on, on 2021-11-20."""
    monkeypatch.chdir(ledger)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-11-20")
    tasks = ledger / "data" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(
        text.replace("\nyear: 2021\n", "\nyear: 2021\nreview: true\n", 1), encoding="utf-8"
    )
    git(ledger, "commit", "-qam", "review on")
    return ledger


def ok(gongkai, *args):
    result = gongkai(*args)
    assert result.exit_code == 0, result.stderr
    return result


def sheet_rows(path: Path):
    sheet = openpyxl.load_workbook(path)["填报"]
    headers = [sheet.cell(6, c).value for c in range(1, sheet.max_column + 1)]
    rows = {
        sheet.cell(r, 1).value: dict(zip(headers, (c.value for c in sheet[r]), strict=False))
        for r in range(7, sheet.max_row + 1)
    }
    return sheet, headers, rows


def fill(path: Path, rows: dict[int, dict[str, object]]) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["填报"]
    headers = {sheet.cell(6, c).value: c for c in range(1, sheet.max_column + 1)}
    for task, cells in rows.items():
        row = next(r for r in range(7, sheet.max_row + 1) if sheet.cell(r, 1).value == task)
        for header, value in cells.items():
            sheet.cell(row, headers[header]).value = value
    sheet["B3"] = "李四"
    workbook.save(path)


def test_a_full_round_of_claims_evidence_and_extensions_on_forms(gongkai, reviewed):
    ok(gongkai, "forms", "--unit", "县财政局", "--as-of", ROUND, "--out", "forms")
    form = reviewed / "forms" / FORM
    _, headers, _ = sheet_rows(form)
    assert headers[-4:] == ["存在问题", "下步措施", "佐证链接", "申请延期至"]
    fill(
        form,
        {
            7: {"状态": "已完成", "完成日期": "2021-10-20", "佐证链接": "https://example.org/7"},
            6: {"状态": "进行中", "存在问题": "数据未齐", "下步措施": "11月底前公开"},
            8: {"进展说明": "等待省级平台上线", "申请延期至": "2022-01-31"},
        },
    )
    result = ok(gongkai, "collect", form)
    assert "  任务 8 申请延期至 2022-01-31（待审批）\n" in result.stdout
    assert git(reviewed, "show", "--name-only", "--format=", "HEAD").split() == [
        "data/progress.yaml"
    ]
    claims = json.loads(ok(gongkai, "review", "-f", "json").stdout)
    assert [(c["task"], c["evidence"]) for c in claims] == [(7, ["https://example.org/7"])]
    requests = json.loads(ok(gongkai, "extend", "--list", "-f", "json").stdout)
    assert [(r["task"], r["extend_to"], r["note"], r["state"]) for r in requests] == [
        (8, "2022-01-31", "等待省级平台上线", "待审批")
    ]
    six = json.loads(ok(gongkai, "show", "6", "-f", "json").stdout)["status"]["县财政局"]
    assert (six["problems"], six["next"]) == ("数据未齐", "11月底前公开")

    ok(gongkai, "review", "退回", "--unit", "县财政局", "--note", "链接打不开")
    ok(gongkai, "forms", "--unit", "县财政局", "--as-of", "2021-11-20", "--out", "forms")
    _, _, rows = sheet_rows(reviewed / "forms" / "县财政局-进展填报-2021-11-20.xlsx")
    assert rows[7]["当前状态"] == "已退回"
    assert rows[7]["上次说明"] == "（已退回：链接打不开）"

    bulletin = ok(
        gongkai, "report", "overdue", "--as-of", "2022-01-01", "--format", "json", "--out", "-"
    )
    late = {t["number"]: t["units"] for t in json.loads(bulletin.stdout)["tasks"]}
    assert "县财政局" in late[7]  # returned, and the deadline has passed
    assert "县财政局" in late[8]  # asked, never approved


def test_collecting_the_same_form_twice_asks_for_the_extension_once(gongkai, reviewed):
    ok(gongkai, "forms", "--unit", "县财政局", "--as-of", ROUND, "--out", "forms")
    form = reviewed / "forms" / FORM
    fill(form, {8: {"申请延期至": "2022-01-31"}})
    ok(gongkai, "collect", form)
    copy = reviewed / "forms" / "副本.xlsx"
    copy.write_bytes(form.read_bytes() + b"")
    fill(copy, {8: {"申请延期至": "2022-01-31"}})  # re-saved: other bytes, the same request
    ok(gongkai, "collect", copy)
    requests = json.loads(ok(gongkai, "extend", "--list", "-f", "json").stdout)
    assert [(r["task"], r["note"]) for r in requests] == [(8, f"见{FORM}")]


def test_a_bad_link_or_date_on_a_form_is_an_error_naming_its_cell(gongkai, reviewed):
    ok(gongkai, "forms", "--unit", "县财政局", "--as-of", ROUND, "--out", "forms")
    form = reviewed / "forms" / FORM
    fill(form, {7: {"佐证链接": "example.org/7"}, 8: {"申请延期至": "2021-06-01"}})
    result = gongkai("collect", form)
    assert result.exit_code == 1
    sheet, headers, _ = sheet_rows(form)
    column = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(headers, start=1)}
    row7 = next(r for r in range(7, sheet.max_row + 1) if sheet.cell(r, 1).value == 7)
    row8 = next(r for r in range(7, sheet.max_row + 1) if sheet.cell(r, 1).value == 8)
    assert (
        f"{FORM}:填报!{column['佐证链接']}{row7}: 佐证链接“example.org/7”不是以 http:// 或 https:// 开头的网址。"
        in result.stdout + result.stderr
    )
    assert (
        f"{FORM}:填报!{column['申请延期至']}{row8}: 申请延期至 2021-06-01 不晚于原时限 2021-12-31。"
        in result.stdout + result.stderr
    )


def test_a_link_longer_than_the_log_keeps_is_an_error_naming_its_cell(gongkai, reviewed):
    """What the log's schema refuses is refused by the form's check, with the cell: a link
    the cell holds but the log does not (2,000 characters) was a traceback after the check."""
    ok(gongkai, "forms", "--unit", "县财政局", "--as-of", ROUND, "--out", "forms")
    form = reviewed / "forms" / FORM
    long_link = "https://example.org/" + "a" * 1981
    fill(form, {7: {"状态": "已完成", "完成日期": "2021-10-20", "佐证链接": long_link}})
    sheet, headers, _ = sheet_rows(form)
    column = openpyxl.utils.get_column_letter(headers.index("佐证链接") + 1)
    row7 = next(r for r in range(7, sheet.max_row + 1) if sheet.cell(r, 1).value == 7)
    log = reviewed / "data" / "progress.yaml"
    before = (log.read_bytes(), git(reviewed, "rev-parse", "HEAD"))

    result = gongkai("collect", form)

    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        [
            f"{FORM}:填报!{column}{row7}: 佐证链接过长（2001 字），请控制在 2000 字以内。",
            f"错误：{FORM} 有 1 处错误，整份未收取。",
        ],
    )
    assert (log.read_bytes(), git(reviewed, "rev-parse", "HEAD")) == before

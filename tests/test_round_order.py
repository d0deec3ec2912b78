"""A round of forms has an order in time: a form collected again records nothing, a late
form never undoes newer progress, a form from the future or of another unit is refused."""

from __future__ import annotations

import json
import shutil

import openpyxl

from tests.test_forms import FORM, fill, log_lines, sent  # noqa: F401  (sent is a fixture)

HELD = f"{FORM}：县财政局，截至 2021-10-31；"


def _note(gongkai, task: int) -> tuple[str, str]:
    shown = json.loads(gongkai("show", str(task), "-f", "json").stdout)["status"]["县财政局"]
    return shown["status"], shown["note"]


def test_a_byte_identical_form_collected_again_records_nothing(gongkai, sent, monkeypatch):  # noqa: F811
    monkeypatch.setenv("GONGKAI_TODAY", "2021-11-05")
    repo = sent.parent.parent
    first = fill(
        sent, {7: {"状态": "进行中", "进展说明": "起草中"}}, save_as=sent.with_name("A.xlsx")
    )
    second = fill(
        sent, {7: {"状态": "进行中", "进展说明": "初稿已印发"}}, save_as=sent.with_name("B.xlsx")
    )
    assert gongkai("collect", first).exit_code == 0
    assert gongkai("collect", second).exit_code == 0
    assert _note(gongkai, 7) == ("进行中", "初稿已印发")
    lines, head = log_lines(repo), (repo / "data" / "progress.yaml").read_bytes()
    again = shutil.copy(first, sent.with_name("A-copy.xlsx"))  # the same bytes, another name

    result = gongkai("collect", again)

    assert result.exit_code == 0, result.stderr
    out = result.stdout.splitlines()
    assert (
        out[0] == "A-copy.xlsx：县财政局，截至 2021-10-31；记录 0 条，未变 31 条，此前已记录 1 条。"
    )
    assert out[1].startswith("  这份表格已在提交 ") and out[1].endswith(" 中收取过，没有新内容。")
    assert (repo / "data" / "progress.yaml").read_bytes() == head
    assert log_lines(repo) == lines
    assert _note(gongkai, 7) == ("进行中", "初稿已印发")
    # Re-saved (other bytes, the same rows), it is still not news after the correction.
    resaved = sent.with_name("A-resaved.xlsx")
    workbook = openpyxl.load_workbook(first)
    workbook.properties.lastModifiedBy = "WPS 表格"  # what another program changes on saving
    workbook.save(resaved)
    assert resaved.read_bytes() != first.read_bytes()
    result = gongkai("collect", resaved)
    assert result.exit_code == 0, result.stderr
    assert "记录 0 条" in result.stdout.splitlines()[0]
    assert log_lines(repo) == lines
    assert _note(gongkai, 7) == ("进行中", "初稿已印发")


def test_a_late_form_does_not_undo_newer_progress(gongkai, ledger, monkeypatch):
    from tests.test_forms import fill as fill_form

    monkeypatch.chdir(ledger)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-09-30")
    assert gongkai("forms", "-u", "县财政局", "--as-of", "2021-09-30", "-o", "forms").exit_code == 0
    form = ledger / "forms" / "县财政局-进展填报-2021-09-30.xlsx"
    fill_form(form, {7: {"状态": "进行中", "进展说明": "正在起草"}})
    monkeypatch.setenv("GONGKAI_TODAY", "2021-10-15")
    assert gongkai("update", "7", "-u", "县财政局", "-s", "已完成").exit_code == 0
    monkeypatch.setenv("GONGKAI_TODAY", "2021-11-03")
    lines = log_lines(ledger)
    for date in ((), ("--date", "2021-11-03")):  # the clerk's date does not make it newer
        result = gongkai("collect", form, *date)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[:2] == [
            "县财政局-进展填报-2021-09-30.xlsx：县财政局，截至 2021-09-30；记录 0 条，未变 31 条，跳过 1 条。",
            "  跳过任务 7：台账中已有 2021-10-15 的记录（已完成），晚于本行的日期 2021-09-30；未记录，请核实。",
        ]
        assert log_lines(ledger) == lines
        assert _note(gongkai, 7)[0] == "已完成"


def test_a_form_for_a_round_after_today_is_refused(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    monkeypatch.setenv("GONGKAI_TODAY", "2099-01-01")
    assert gongkai("forms", "-u", "县财政局", "--as-of", "2099-01-01", "-o", "forms").exit_code == 0
    form = ledger / "forms" / "县财政局-进展填报-2099-01-01.xlsx"
    fill(form, {7: {"状态": "进行中"}})
    monkeypatch.setenv("GONGKAI_TODAY", "2021-11-05")
    head = (ledger / "data" / "progress.yaml").read_bytes()

    result = gongkai("collect", form)

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "县财政局-进展填报-2099-01-01.xlsx: 表格的截至日期 2099-01-01 还没有到（今天是 2021-11-05），"
        "进展只能填报已经发生的情况；整份未收取。"
    )
    assert (ledger / "data" / "progress.yaml").read_bytes() == head
    assert gongkai("forms", "status").stderr == (
        "错误：还没有收取过任何填报表（gongkai collect）；请用 --round 指定轮次。\n"
    )


def _relabel(path, unit: str, *, hidden_sheet: bool) -> None:
    workbook = openpyxl.load_workbook(path)
    for prop in workbook.custom_doc_props:
        if prop.name == "gongkai-unit":
            prop.value = unit
    workbook["填报"]["B2"] = unit
    if hidden_sheet:
        workbook["标识"]["B5"] = unit
    workbook.save(path)


def test_a_form_relabelled_as_another_unit_is_refused_with_the_reason(gongkai, sent, monkeypatch):  # noqa: F811
    monkeypatch.setenv("GONGKAI_TODAY", "2021-11-05")
    head = (sent.parent.parent / "data" / "progress.yaml").read_bytes()
    fill(sent, {7: {"状态": "已完成", "完成日期": "2021-10-20"}})
    _relabel(sent, "县教育局", hidden_sheet=False)

    result = gongkai("collect", sent)

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{FORM}: 表格标识不一致：文档属性中的单位是“县教育局”，隐藏工作表“标识”中是“县财政局”；"
        "表格可能被改成了另一个单位的，整份未收取。"
    )
    _relabel(sent, "县教育局", hidden_sheet=True)

    result = gongkai("collect", sent)

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{FORM}:填报!B2: 这份表格的任务行是发给县财政局的，不是县教育局的（填报单位或表格标识被改过）；"
        "整份未收取。"
    )
    assert (sent.parent.parent / "data" / "progress.yaml").read_bytes() == head


def _repacked(form, part: str, change) -> object:
    import zipfile

    big = form.with_name("big.xlsx")
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item)
            out.writestr(item, change(content) if item.filename == part else content)
        if part not in source.namelist():  # a part that Excel adds on saving
            out.writestr(part, change(b""))
    return big


def test_a_form_with_too_many_styles_or_strings_is_refused_before_it_is_read(gongkai, sent):  # noqa: F811
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 40_000
    big = _repacked(
        sent, "xl/styles.xml", lambda xml: xml.replace(b"</cellXfs>", xf + b"</cellXfs>")
    )
    result = gongkai("collect", big, "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "错误：big.xlsx 中的 xl/styles.xml 解压后过大，不是 gongkai 生成的填报表，无法收取。"
    )
    strings = b"<si><t>x</t></si>" * 100_001
    big = _repacked(sent, "xl/sharedStrings.xml", lambda _: b"<sst>" + strings + b"</sst>")
    result = gongkai("collect", big, "--dry-run")
    assert result.exit_code == 1
    assert "的工作表有超过 100000 个单元格" in result.stderr.splitlines()[0]


def test_a_form_with_too_many_cells_is_refused_before_its_sheet_is_built(gongkai, sent):  # noqa: F811
    import zipfile

    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{col}{r}"><v>1</v></c>' for col in "ABCDEFGHIJ")
        + "</row>"
        for r in range(100, 10_200)
    )  # 101 000 cells, 3 MB of XML, packed into a few hundred kilobytes
    big = sent.with_name("big.xlsx")
    with zipfile.ZipFile(sent) as source, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            out.writestr(item, content)

    result = gongkai("collect", big, "--dry-run")

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "错误：big.xlsx 的工作表有超过 100000 个单元格，不是 gongkai 生成的填报表，无法收取。"
    )

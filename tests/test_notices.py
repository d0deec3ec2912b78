"""督办通知单: one numbered page per late unit, its late tasks and periods, and a reply slip."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from tests.conftest import write_ledger
from tests.plan_documents import soffice_convert

LONG = (
    "围绕优化营商环境、稳就业保就业、惠企利民政策落实等重点领域，"
    "全面梳理政策文件，逐项开展政策解读，及时回应社会关切并公开办理结果"
)


def _task(number: int, requirement: str, responsibility: str, deadline: str) -> str:
    return f"""\
- number: {number}
  section: 一、强化信息公开
  subsection: （一）重点领域。
  requirement: {requirement}
  responsibility: {responsibility}
  deadline: {deadline}
"""


# 县财政局 answers for five dated tasks with long requirements, all late on 15 November;
# 甲镇 and 乙镇 for a monthly report, each month's sent on the 5th of the next, but
# 甲镇 has not sent October's.
TASKS = (
    "title: 测试县2021年政务公开重点工作任务分工\nyear: 2021\ntasks:\n"
    + "".join(
        _task(n, f"{LONG}（第{n}项）。", "县财政局负责落实", f"{month}月底前")
        for n, month in zip(range(1, 6), (3, 6, 9, 10, 10), strict=True)
    )
    + _task(6, "报送政务公开工作月报。", "各镇负责落实", "每月10日前报送")
)
PROGRESS = "".join(
    f"- {{id: a{month:02d}{town:05d}, date: 2021-{month + 1:02d}-05, task: 6, unit: {name}, "
    f"status: 已完成, period: 2021-{month:02d}}}\n"
    for month in range(1, 11)
    for town, name in enumerate(("甲镇", "乙镇"))
    if (month, name) != (10, "甲镇")
)


@pytest.fixture
def ledger(tmp_path):
    return write_ledger(tmp_path, TASKS, progress=PROGRESS)


def test_notices_name_each_late_unit_its_tasks_and_the_reply_date(ledger):
    from gongkai_cli.actions.notice import notices

    found = notices(ledger, dt.date(2021, 11, 15), issuer="县政务公开办")
    assert [(n.number, n.unit, len(n.tasks)) for n in found.notices] == [
        ("督办〔2021〕1号", "甲镇", 1),
        ("督办〔2021〕2号", "县财政局", 5),
    ]
    jia = found.notices[0]
    assert jia.reply_by == dt.date(2021, 11, 22)
    assert jia.tasks[0][2:] == ("每月10日前报送", dt.date(2021, 11, 10), ("2021-10",), 5)
    assert [(t.number, t.due, t.days) for t in found.notices[1].tasks] == [
        (1, dt.date(2021, 3, 31), 229),
        (2, dt.date(2021, 6, 30), 138),
        (3, dt.date(2021, 9, 30), 46),
        (4, dt.date(2021, 10, 31), 15),
        (5, dt.date(2021, 10, 31), 15),
    ]


def test_one_unit_with_its_own_numbering(ledger):
    from gongkai_cli.actions.notice import notices

    found = notices(
        ledger,
        dt.date(2021, 11, 15),
        units=["县财政局"],
        prefix="县政务公开督〔2021〕",
        first_number=7,
        reply_by=dt.date(2021, 11, 30),
    )
    assert [(n.number, n.unit, n.reply_by) for n in found.notices] == [
        ("县政务公开督〔2021〕7号", "县财政局", dt.date(2021, 11, 30))
    ]


def test_a_unit_with_nothing_late_gets_no_notice(gongkai, ledger):
    result = gongkai(
        "notice", "--data", "data", "--unit", "乙镇", "--as-of", "2021-11-15", "--out", "n.docx"
    )
    assert result.exit_code == 1
    assert result.stderr == "错误：截至 2021-11-15，乙镇没有逾期的任务，无需督办。\n"
    assert not (ledger.parent / "n.docx").exists()


def test_the_notices_print_one_page_per_unit_with_the_reply_slip(gongkai, ledger, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    result = gongkai(
        "notice",
        "--data",
        "data",
        "--all-late",
        "--as-of",
        "2021-11-15",
        "--issuer",
        "县政务公开办",
        "--out",
        "督办.docx",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "已生成：督办.docx（2 份，督办〔2021〕1号—督办〔2021〕2号：甲镇、县财政局）\n"
    )
    pdf = soffice_convert(tmp_path / "督办.docx", "pdf", tmp_path)
    pages = []
    for page in (1, 2, 3):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
        ).stdout
        pages.append("".join(text.split()))  # pdftotext spaces digits from Chinese
    first, second, third = pages
    assert third == ""  # two units, two pages: five late tasks and the slip fit on one
    assert "督办〔2021〕1号" in first and "甲镇：" in first
    # The period, its due date and the days late (the PDF's text runs cells together).
    assert all(
        part in first for part in ("2021-10期", "2021年11月10日", "5天", "报送政务公开工作月报")
    )
    assert "督办〔2021〕2号" in second and "县财政局：" in second
    assert "你单位有以下5项政务公开重点工作任务逾期未完成" in second
    assert "并于2021年11月22日前将办理情况填写回执报送县政务公开办" in second
    for page in (first, second):
        assert "（沿此线剪下）" in page and "回执" in page and "联系电话" in page
        assert "县政务公开办2021年11月15日" in page
    assert "229天" in second and "（第5项）" not in second  # long requirements are cut

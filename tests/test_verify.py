"""A document anyone can check: every Word and Excel report records the ledger's commit, the
as-of date and the command that made it, and `gongkai verify` rebuilds it from that commit —
on 青山县's 2024 plan and on Suixi's 2021 plan."""

from __future__ import annotations

import docx
import openpyxl
import pytest

from tests.conftest import git
from tests.qingshan import write_qingshan


@pytest.fixture
def qingshan(tmp_path, monkeypatch):
    repo = write_qingshan(tmp_path / "qingshan")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GONGKAI_TODAY", "2024-11-05")
    return repo


def make(gongkai, *args: str, out: str) -> None:
    result = gongkai(*args, "--as-of", "2024-10-31", "--out", out)
    assert result.exit_code == 0, result.stderr


def test_a_word_report_names_its_commit_date_and_command(gongkai, qingshan):
    make(gongkai, "report", "progress", "-f", "docx", "--issuer", "青山县政务公开办", out="p.docx")

    head = git(qingshan, "rev-parse", "HEAD").strip()
    core = docx.Document(qingshan / "p.docx").core_properties
    assert core.comments == (
        f"由 gongkai 生成：台账提交 {head[:12]}，截至 2024-10-31；"
        "gongkai report progress --as-of 2024-10-31 --format docx --issuer 青山县政务公开办"
    )


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
@pytest.mark.parametrize(
    "report",
    [["report", "progress"], ["report", "overdue"], ["report", "unit", "县财政局"], ["stats"]],
)
def test_an_untouched_report_verifies(gongkai, qingshan, report, fmt):
    make(gongkai, *report, "-f", fmt, out=f"r.{fmt}")
    head = git(qingshan, "rev-parse", "HEAD").strip()

    result = gongkai("verify", f"r.{fmt}")

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"一致：r.{fmt} 与按台账提交 {head[:12]}（截至 2024-10-31）重新生成的报表相同。\n"
    )


def test_a_report_verifies_against_its_own_commit_after_the_ledger_moved_on(gongkai, qingshan):
    make(gongkai, "report", "overdue", "-f", "xlsx", out="o.xlsx")
    made_at = git(qingshan, "rev-parse", "HEAD").strip()
    assert (
        gongkai("update", "3", "-u", "县财政局", "-s", "已完成", "--date", "2024-06-20").exit_code
        == 0
    )

    result = gongkai("verify", "o.xlsx")

    assert result.exit_code == 0, result.stdout
    assert f"台账提交 {made_at[:12]}" in result.stdout


def test_an_edited_cell_is_named(gongkai, qingshan):
    make(gongkai, "report", "progress", "-f", "xlsx", out="p.xlsx")
    workbook = openpyxl.load_workbook(qingshan / "p.xlsx")
    was = workbook["进展情况"]["E5"].value.replace("\ufeff", "")
    workbook["进展情况"]["E5"] = "已全部完成。"
    workbook.save(qingshan / "p.xlsx")

    result = gongkai("verify", "p.xlsx")

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("不一致：p.xlsx 与按台账提交 ")
    assert lines[0].endswith("重新生成的报表有 1 处不同：")
    assert lines[1] == f"  进展情况!E5：原为“{was[:39]}…”，现为“已全部完成。”"


def test_an_edited_paragraph_of_a_suixi_bulletin_is_named(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = gongkai("report", "overdue", "--as-of", "2021-10-31", "-f", "docx", "--out", "o.docx")
    assert result.exit_code == 0, result.stderr
    document = docx.Document(ledger / "o.docx")
    document.paragraphs[0].runs[0].text = "濉溪县2021年政务公开重点工作任务完成情况通报"
    document.save(ledger / "o.docx")

    result = gongkai("verify", "o.docx")

    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        "  第 1 段：原为“濉溪县2021年政务公开重点工作任务逾期情况通报”，"
        "现为“濉溪县2021年政务公开重点工作任务完成情况通报”"
    )


def test_a_file_without_a_record_is_one_sentence(gongkai, qingshan):
    document = docx.Document()
    document.add_paragraph("别处的文件")
    document.save(qingshan / "x.docx")

    result = gongkai("verify", "x.docx")

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "错误：x.docx 中没有 gongkai 的来源记录（不是 gongkai 生成的，或已另存丢失）。\n"
    )


def test_a_report_made_from_uncommitted_data_cannot_be_rebuilt(gongkai, qingshan):
    gongkai("update", "3", "-u", "县财政局", "-s", "进行中", "--no-commit")
    make(gongkai, "report", "progress", "-f", "docx", out="p.docx")

    result = gongkai("verify", "p.docx")

    assert result.exit_code == 1
    assert "生成时台账有未提交的改动" in result.stderr


def test_the_site_footer_names_the_commit_and_the_command(gongkai, qingshan):
    result = gongkai("site", "--as-of", "2024-10-31", "--out", "site")
    assert result.exit_code == 0, result.stderr
    head = git(qingshan, "rev-parse", "HEAD").strip()
    page = (qingshan / "site" / "index.html").read_text(encoding="utf-8")
    assert (
        f"<br>数据来源：台账提交 {head[:12]}，截至 2024-10-31；"
        "生成命令：gongkai site --as-of 2024-10-31</footer>"
    ) in page


def test_the_commit_recorded_is_head_and_any_change_to_the_data_folder_marks_it(tmp_path):
    """What `ledger_commit` reads off one `git status`: HEAD's commit, and whether anything
    in the data folder (changed, staged, untracked) differs from it; nothing outside it."""
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.record.git import ledger_commit
    from tests.conftest import init_repo, write_ledger

    data = write_ledger(tmp_path / "repo")
    found = DataDir(data, "option")
    assert ledger_commit(found) == ("", False)  # not a repository
    git(tmp_path / "repo", "init", "-q", "-b", "main")
    assert ledger_commit(found) == ("", False)  # nothing committed yet
    init_repo(tmp_path / "repo")
    head = git(tmp_path / "repo", "rev-parse", "HEAD").strip()
    assert ledger_commit(found) == (head, False)
    (tmp_path / "repo" / "notes.txt").write_text("台账之外", encoding="utf-8")
    assert ledger_commit(found) == (head, False)  # outside the data folder
    (data / "scratch.txt").write_text("未跟踪", encoding="utf-8")
    assert ledger_commit(found) == (head, True)  # untracked
    (data / "scratch.txt").unlink()
    with (data / "progress.yaml").open("a", encoding="utf-8") as log:
        log.write("- {date: 2021-06-01, task: 1, unit: 县财政局, status: 进行中}\n")
    git(tmp_path / "repo", "add", "data/progress.yaml")
    assert ledger_commit(found) == (head, True)  # staged

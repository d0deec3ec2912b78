"""What a reader of the printed reports sees, on Suixi's 2021 plan and on 青山县's 2024 plan:
every Word and Excel report is rendered to PDF by LibreOffice and read back with poppler.
No unit name is broken across lines, no line starts with 、, no row is split over a page, no
page stands empty or holds the issuer alone, titles carry the place and the year, and a
spreadsheet prints fitted to the page's width with its text at 9 points or more."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn

from gongkai_cli.output.word import WHOLE_ROW_LINES
from tests.conftest import REAL_DATA
from tests.qingshan import write_qingshan

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice 或 poppler-utils 未安装",
)

REPORTS = {
    "progress": ["report", "progress"],
    "overdue": ["report", "overdue"],
    "stats": ["stats"],
    "unit": ["report", "unit", "县财政局"],
}
PLANS = {
    # plan: (as of, title's place and year, issuer)
    "suixi": ("2021-10-31", "濉溪县2021年", "濉溪县政务公开办"),
    "qingshan": ("2024-10-31", "青山县2024年", "青山县政务公开办"),
}


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's text as poppler reads it, without the no-break joins."""
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page.replace("\ufeff", "") for page in text.split("\f")[:-1]]


def fonts_points(pdf: Path, words: set[str]) -> list[float]:
    """The size of the Chinese text of `words` (a table's headers), from the width of their
    boxes: charts beside a table have their own, smaller type."""
    box = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    sizes = []
    for x0, x1, word in re.findall(r'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]+)<', box):
        if word in words:  # Chinese words: square glyphs, as wide as the type is high
            sizes.append((float(x1) - float(x0)) / len(word))
    return sizes


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[tuple[str, str, str], Path]:
    """(plan, report, format) → its PDF, every one rendered in one LibreOffice run."""
    from typer.testing import CliRunner

    from gongkai_cli.cli.app import app

    root = tmp_path_factory.mktemp("printed")
    suixi = root / "suixi"
    shutil.copytree(REAL_DATA, suixi / "data")
    ledgers = {"suixi": suixi, "qingshan": write_qingshan(root / "qingshan")}
    made = {}
    runner = CliRunner()
    for plan, repo in ledgers.items():
        as_of, _, issuer = PLANS[plan]
        for name, args in REPORTS.items():
            for fmt in ("docx", "xlsx"):
                out = root / "files" / f"{plan}-{name}.{fmt}"
                result = runner.invoke(
                    app,
                    [*args, "--as-of", as_of, "-f", fmt, "--out", str(out), "--data",
                     str(repo / "data"), *(["--issuer", issuer] if fmt == "docx" and
                                           name != "stats" else [])],
                )  # fmt: skip
                assert result.exit_code == 0, result.output
                made[(plan, name, fmt)] = out
    for fmt in ("docx", "xlsx"):
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{root}/lo", "--headless",
             "--convert-to", "pdf", "--outdir", str(root / fmt),
             *(str(p) for (_, _, f), p in made.items() if f == fmt)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    return {key: root / key[2] / f"{path.stem}.pdf" for key, path in made.items()}


def unit_names(plan: str) -> list[str]:
    source = REAL_DATA if plan == "suixi" else None
    if source is None:
        from tests.qingshan import UNITS

        units = yaml.safe_load(UNITS)["units"]
    else:
        units = yaml.safe_load((source / "units.yaml").read_text(encoding="utf-8"))["units"]
    return [u["name"] for u in units]


CASES = [(plan, name, fmt) for plan in PLANS for name in REPORTS for fmt in ("docx", "xlsx")]


@pytest.mark.parametrize(("plan", "name", "fmt"), CASES)
def test_no_unit_name_is_broken_and_no_line_starts_with_a_pause_mark(printed, plan, name, fmt):
    names = unit_names(plan)
    for page in pdf_pages(printed[(plan, name, fmt)]):
        lines = [line.strip() for line in page.splitlines()]
        assert not [line for line in lines if line.startswith(("、", "，", "。", "；", "）"))]
        for above, below in itertools.pairwise(lines):
            for unit in names:
                broken = [
                    k for k in range(1, len(unit)) if above.endswith(unit[:k])
                    and below.startswith(unit[k:])
                    # a name longer than its column's line cannot help breaking: it then
                    # starts a line of its own and fills it
                    and above != unit[:k]
                ]  # fmt: skip
                assert not broken, (unit, above, below)


@pytest.mark.parametrize(("plan", "name", "fmt"), CASES)
def test_titles_carry_the_place_and_year_and_no_page_is_empty(printed, plan, name, fmt):
    _, place, issuer = PLANS[plan]
    pages = pdf_pages(printed[(plan, name, fmt)])
    first = "".join(pages[0].split())
    assert first.startswith(place if name != "unit" else f"县财政局{place[3:]}"), first[:40]
    for number, page in enumerate(pages, start=1):
        words = [w for w in page.split() if not re.fullmatch(r"[—\-\s\d第页共，,]+", w)]
        assert words, f"第 {number} 页是空白页"
        if issuer in page and fmt == "docx":  # never the issuer and date alone on a page
            assert len("".join(words)) > len(issuer) + 20, f"第 {number} 页只有落款"


@pytest.mark.parametrize("plan", PLANS)
def test_every_task_row_is_printed_and_none_of_a_few_lines_is_split(printed, plan):
    pages = ["".join(p.split()) for p in pdf_pages(printed[(plan, "progress", "docx")])]
    if plan == "suixi":
        tasks = yaml.safe_load((REAL_DATA / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    else:
        from tests.qingshan import tasks_yaml

        tasks = yaml.safe_load(tasks_yaml())["tasks"]
    for task in tasks:
        text = f"{task['number']}．{''.join(task['requirement'].split())}"
        assert text[:12] in "".join(pages), f"任务 {task['number']} 的行不见了"
        if len(text) <= 120:  # up to 8 lines of its column: kept on one page
            assert any(text in page for page in pages), f"任务 {task['number']} 跨页"


@pytest.mark.parametrize("plan", PLANS)
def test_excel_reports_print_fitted_to_the_width_at_nine_points_or_more(printed, plan):
    headers = {"具体要求", "责任单位", "进展情况", "逾期单位", "逾期任务数", "项次", "完成率"}
    for name in REPORTS:
        sizes = fonts_points(printed[(plan, name, "xlsx")], headers)
        assert sizes and min(sizes) >= 9 * 0.97, (name, min(sizes))  # 3 % for rounding


@pytest.mark.parametrize("plan", PLANS)
def test_word_progress_tables_share_their_column_widths(printed, plan):
    document = docx.Document(printed[(plan, "progress", "docx")].parent.parent / "files"
                             / f"{plan}-progress.docx")  # fmt: skip
    grids = [
        [col.get(qn("w:w"))
         for col in table._tbl.tblGrid]
        for table in document.tables if table.rows[0].cells[0].text == "工作任务"
    ]  # fmt: skip
    assert len(grids) > 1 and all(grid == grids[0] for grid in grids)
    # Every row is kept whole on a page, but for a row taller than WHOLE_ROW_LINES and the
    # last ones, which go with the issuer instead.
    for table in document.tables:
        for row in table.rows:
            properties = row._tr.trPr
            whole = properties is not None and properties.find(qn("w:cantSplit")) is not None
            tall = max(cell.text.count("\n") + 1 for cell in row.cells) > WHOLE_ROW_LINES
            kept = "w:keepNext" in row._tr.xml
            assert whole or tall or kept


def test_the_site_keeps_unit_names_whole_by_the_same_rule(gongkai, tmp_path, monkeypatch):
    repo = write_qingshan(tmp_path / "qingshan")
    monkeypatch.chdir(repo)
    result = gongkai("site", "--as-of", "2024-10-31", "--out", "site")
    assert result.exit_code == 0, result.stderr
    site = repo / "site"
    task = (site / "tasks" / "4.html").read_text(encoding="utf-8")
    assert (
        '<dd class="user"><span class="keep">县发展和改革委员会</span>、'
        '<span class="keep">县市场监督管理局</span>牵头，<span class="keep">县直相关单位</span>'
        "负责落实</dd>"
    ) in task
    bulletin = (site / "bulletin.html").read_text(encoding="utf-8")
    assert '<span class="keep">县人力资源和社会保障局</span>' in bulletin
    css = (site / "static" / "site.css").read_text(encoding="utf-8")
    assert "html { line-break: strict; }" in css and ".keep { white-space: nowrap; }" in css

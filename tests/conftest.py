"""Shared fixtures: the CLI run in-process, the real plan, and small ledgers built per test."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai_cli.cli.app import app
from gongkai_cli.model.dates import TODAY_VARIABLE

REPO = Path(__file__).resolve().parent.parent
REAL_DATA = REPO / "data"
# The published export of the 2021 plan, kept in the repository as the ground truth of tasks.yaml.
SOURCE = REPO / "sources" / "suixi-2021-plan-draft.txt"


def runs_on(day: dt.date):
    """An autouse fixture for a test module: every command in it answers for `day`, given as
    GONGKAI_TODAY (subprocesses that copy os.environ inherit it), so no verdict depends on
    the day the suite runs. Bind it to a name in the module: `_today = runs_on(TODAY)`."""

    @pytest.fixture(autouse=True)
    def today(monkeypatch):
        monkeypatch.setenv(TODAY_VARIABLE, day.isoformat())

    return today


class Run:
    def __init__(self, result):
        self.exit_code = result.exit_code
        self.stdout = result.stdout
        self.stderr = result.stderr
        self.exception = result.exception


def _fast_read():
    from gongkai_cli.forms.xlsx import read

    return read


_FAST_READ = _fast_read()  # as it is, before a test wraps it


def readings_differ(data: bytes) -> str | None:
    """Where the fast reader of forms (forms/xlsx.py) and openpyxl read `data` differently:
    a sheet's title or state, a cell's value or its type, a custom property; None where
    they agree. A file openpyxl cannot load is a difference too: the fast reader must not
    accept what openpyxl refuses. Raises xlsx.Unsure where the fast reader hands over."""
    import io
    import warnings
    import zipfile

    import openpyxl

    from gongkai_cli.forms import xlsx

    fast = _FAST_READ(zipfile.ZipFile(io.BytesIO(data)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            slow = xlsx.from_openpyxl(openpyxl.load_workbook(io.BytesIO(data), data_only=True))
    except Exception as exc:
        return f"openpyxl refuses what the fast reader read: {exc!r}"

    def typed(values: dict) -> dict:
        return {key: (type(value), value) for key, value in values.items()}

    def shape(book) -> list:
        return [(s.title, s.sheet_state, typed(s.values)) for s in book.sheets]

    if shape(fast) != shape(slow):
        for mine, theirs in zip(shape(fast), shape(slow), strict=False):
            if mine != theirs:
                keys = sorted(set(mine[2]) | set(theirs[2]))
                cell = next((k for k in keys if mine[2].get(k) != theirs[2].get(k)), None)
                return f"sheet {mine[:2]} / {theirs[:2]}: {cell}: {mine[2].get(cell)!r} / {theirs[2].get(cell)!r}"
        return f"sheets {[s[:2] for s in shape(fast)]} / {[s[:2] for s in shape(slow)]}"
    if typed(fast.properties) != typed(slow.properties):
        return f"properties {fast.properties!r} / {slow.properties!r}"
    return None


@pytest.fixture(autouse=True)
def _forms_read_fast_as_openpyxl_reads_them(monkeypatch, request):
    """Every form any test reads through the fast reader is read by openpyxl too, and the
    two must agree cell by cell and property by property (the hostile forms of the collect
    tests among them). Tests marked `unread_part_damaged` read forms openpyxl refuses."""
    from gongkai_cli.forms import xlsx

    if request.node.get_closest_marker("unread_part_damaged"):
        yield
        return

    read, differences = xlsx.read, []

    def both(archive):
        book = read(archive)
        found = readings_differ(archive.fp.getvalue())
        if found is not None:
            differences.append(found)
        return book

    monkeypatch.setattr(xlsx, "read", both)
    yield
    assert differences == []


@pytest.fixture
def gongkai(monkeypatch, tmp_path):
    """Run `gongkai ARGS…` in-process, from an empty working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GONGKAI_DATA", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    runner = CliRunner()

    def run(*args: str) -> Run:
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=True)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result)

    return run


@pytest.fixture
def real_data(tmp_path) -> Path:
    """A writable copy of the repository's data directory."""
    target = tmp_path / "ledger" / "data"
    shutil.copytree(REAL_DATA, target)
    return target


MINI_UNITS = """\
groups:
- name: 各镇
  kinds: [镇]
- name: 县政府各部门
  kinds: [政府工作部门]
- name: 县直各单位
  kinds: [政府工作部门, 事业单位]
- name: 县政府有关部门
  open: true
  within: 县政府各部门
units:
- name: 甲镇
  kind: 镇
- name: 乙镇
  kind: 镇
- name: 县政府办公室
  aliases: [县政府办]
  kind: 政府工作部门
- name: 县财政局
  kind: 政府工作部门
- name: 县教育局
  kind: 政府工作部门
- name: 县档案馆
  kind: 事业单位
  inferred: true
  note: 推断
"""

MINI_TASKS = """\
title: 测试县2021年政务公开重点工作任务分工
year: 2021
tasks:
- number: 1
  section: 一、强化信息公开
  subsection: （一）财政信息。
  requirement: 公开预算决算。
  responsibility: 县财政局牵头，各镇、县直各单位负责落实
  deadline: 6月底前
- number: 2
  section: 一、强化信息公开
  subsection: （一）财政信息。
  requirement: 做好政策解读。
  responsibility: 县政府办公室负责落实
  deadline: 10月底前
- number: 3
  section: 二、强化监督
  subsection: （一）加强指导。
  requirement: 开展培训。
  responsibility: 县政府办公室牵头，县政府有关部门负责落实
  deadline: 持续推进
- number: 4
  section: 二、强化监督
  subsection: （一）加强指导。
  requirement: 编制目录。
  responsibility: 县政府有关部门负责落实
  deadline: 年底前
"""


def write_ledger(
    root: Path, tasks: str = MINI_TASKS, units: str = MINI_UNITS, progress: str = ""
) -> Path:
    """A data directory with the given file contents (dedented), returned as its path."""
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "tasks.yaml").write_text(textwrap.dedent(tasks), encoding="utf-8")
    (data / "units.yaml").write_text(textwrap.dedent(units), encoding="utf-8")
    (data / "progress.yaml").write_text(textwrap.dedent(progress), encoding="utf-8")
    return data


@pytest.fixture
def mini(tmp_path) -> Path:
    return write_ledger(tmp_path / "mini")


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Each test caches loaded ledgers in its own folder, never in the user's."""
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


GIT_ENV = {
    "GIT_AUTHOR_NAME": "测试员",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "测试员",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


TOWNS = [
    "濉溪镇",
    "韩村镇",
    "刘桥镇",
    "五沟镇",
    "临涣镇",
    "双堆集镇",
    "铁佛镇",
    "南坪镇",
    "百善镇",
    "孙疃镇",
    "四铺镇",
]
# Twenty units that answer for task 7 of the 2021 plan: one parallel update each.
TWENTY_UNITS = [
    *TOWNS,
    "县财政局",
    "县教育局",
    "县民政局",
    "县司法局",
    "县商务局",
    "县审计局",
    "县统计局",
    "县水利局",
    "县档案馆",
]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def ledger(tmp_path, monkeypatch) -> Path:
    """A git repository holding a copy of the 2021 plan; the tests run inside it."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    repo = tmp_path / "ledger"
    shutil.copytree(REAL_DATA, repo / "data")
    return init_repo(repo)


def init_repo(repo: Path) -> Path:
    """`repo` made a git repository with what it holds as its first commit."""
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "测试员")
    git(repo, "config", "user.email", "t@example.org")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "init")
    return repo


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path inside it, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def site_files(folder: Path) -> dict[str, bytes]:
    """A site's files, as `files_of`, but for the lines of its manifest that say where each
    page lies on disk (its stat): two builds of one site differ in those alone."""
    files = files_of(folder)
    manifest = files[".gongkai-site"].splitlines(keepends=True)
    return files | {
        ".gongkai-site": b"".join(line for line in manifest if not line.startswith(b"# stat"))
    }


def saved_while_loading(monkeypatch, module, path: Path, saved: bytes) -> None:
    """An editor saves `saved` over `path` just as `module` loads the ledger (after a
    writer has read its log, before it appends)."""
    real_load = module.load_checked

    def load_while_an_editor_saves(*args, **kwargs):
        path.write_bytes(saved)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(module, "load_checked", load_while_an_editor_saves)


def snapshot(repo: Path) -> tuple[bytes, str, str]:
    return (
        (repo / "data" / "progress.yaml").read_bytes(),
        git(repo, "rev-parse", "HEAD"),
        git(repo, "status", "--porcelain"),
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Member ledgers served by git daemon on loopback (tests.served): the URL prefix, the
    folder served and each good member's commit."""
    from tests.served import build_members, git_daemon

    base = tmp_path_factory.mktemp("served")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_CACHE_DIR", str(tmp_path_factory.mktemp("build-cache")))
        commits = build_members(base)
    with git_daemon(base) as url:
        yield url, base, commits


@pytest.fixture
def city(tmp_path, monkeypatch) -> Path:
    """A city's own ledger (the 2021 plan, in git) that rolls up members; tests run in it."""
    from tests.served import commit_all, copy_real_ledger

    root = tmp_path / "city"
    copy_real_ledger(root)
    commit_all(root, "建立台账")
    monkeypatch.chdir(root)
    return root / "data"


# The slow tests, each for its reason: `pytest` (the README's command) leaves them out,
# `pytest -m slow` runs just them, and .ci/run runs both. A test that takes seconds of its
# own (not of the machine's load) belongs here, whole or one parametrised case of it;
# test_layout checks that each one exists.
SLOW = {
    # wall-clock ratios and kill loops: many runs of the program, by design
    "test_safe_text.py::test_one_odd_line_costs_at_most_twice_an_all_canonical_log",
    "test_safe_commits.py::test_kills_at_random_points_never_lose_a_commit_nor_leak_a_line",
    "test_faults.py::test_readers_during_parallel_writes_never_see_a_half_written_log",
    "test_faults.py::test_a_kill_mid_update_leaves_the_log_as_before_or_with_the_whole_line",
    "test_updates.py::test_twenty_parallel_updates_all_land",
    # generated examples by the hundred against the Pydantic schemas
    "test_fastschema.py::test_the_generated_data_reaches_both_verdicts",
    "test_fastschema.py::test_a_registry_is_judged_as_the_schema_judges_it",
    "test_fastschema.py::test_a_plan_is_judged_as_the_schema_judges_it",
    "test_fastschema.py::test_a_group_is_judged_as_the_schema_judges_it",
    "test_fastschema.py::test_a_task_is_judged_as_the_schema_judges_it",
    "test_fastschema.py::test_a_unit_is_judged_as_the_schema_judges_it",
    # LibreOffice and Chromium, started for real
    "test_forms.py::test_a_form_resaved_by_libreoffice_collects",
    "test_import_documents.py::test_the_suixi_plan_in_each_format_imports_to_the_committed_tasks",
    "test_import_documents.py::test_unreadable_and_old_formats_get_one_sentence",
    "test_import_documents.py::test_a_wps_file_is_read_by_what_is_inside",
    "test_import_documents.py::test_a_pdf_with_one_table_per_section_keeps_each_heading",
    "test_import_documents.py::test_a_password_protected_pdf_gets_one_sentence",
    "test_documents.py::test_word_reports_print_as_expected_in_libreoffice",
    "test_site_browser.py",
    # whole products made twice or served: every form of a round, every page of the site
    "test_forms.py::test_a_whole_round_on_the_bundled_plan",
    "test_documents.py::test_docx_and_xlsx_are_byte_reproducible",
    "test_site.py::test_serve_answers_on_loopback_rebuilds_on_change_and_stops_on_ctrl_c",
    "test_site.py::test_the_same_data_and_date_give_the_same_bytes",
    "test_inputs.py::test_the_site_reads_a_date_without_a_year_in_the_plans_year",
    "test_setup.py::test_readme_tour_runs",
    "test_rollup.py::test_the_site_of_a_ledger_with_members_has_a_rollup_page_linking_their_sites",
    # members served by git daemon, rolled up and checked against their own stats on other days
    "test_rollup.py::test_every_figure_equals_the_members_own_stats[2021-07-31]",
    "test_rollup.py::test_every_figure_equals_the_members_own_stats[2022-01-15]",
    # the largest plans of the corpus, imported and drafted into a ledger
    "test_plan_corpus.py::test_every_task_imports_verbatim_with_its_roles_and_deadline[nanchang-2024]",
    "test_plan_corpus.py::test_the_drafted_ledger_validates_and_answers_queries[nanchang-2024]",
    "test_plan_corpus.py::test_every_task_imports_verbatim_with_its_roles_and_deadline[county-bureau]",
    "test_plan_corpus.py::test_the_drafted_ledger_validates_and_answers_queries[county-bureau]",
}


def pytest_itemcollected(item):
    module = item.path.name
    if {module, f"{module}::{item.originalname}", f"{module}::{item.name}"} & SLOW:
        item.add_marker(pytest.mark.slow)

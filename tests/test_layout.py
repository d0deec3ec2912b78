"""The package's shape: no import cycles, a core without Typer or Rich, a small top level."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.import_graph import PACKAGE, broken_rules, module_graph, module_name, rules


def _graph() -> dict[str, set[str]]:
    graph = module_graph()
    modules = set(graph)
    # Importing a.b.c runs a/__init__ and a/b/__init__ first.
    for edges in graph.values():
        for target in list(edges):
            parts = target.split(".")
            edges |= {".".join(parts[:i]) for i in range(2, len(parts))} & modules
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_the_cli_imports_typer_and_only_renderers_import_rich():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        roots = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        }
        if "typer" in roots and not name.startswith("gongkai_cli.cli"):
            offenders.append(f"{name} imports typer")
        if "rich" in roots and not name.startswith(("gongkai_cli.cli", "gongkai_cli.output")):
            offenders.append(f"{name} imports rich")
    assert offenders == []


def test_at_most_five_modules_sit_at_the_top_of_the_package():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 5, top


def test_every_part_of_the_package_states_its_rule_and_keeps_it():
    assert broken_rules() == []
    stated = rules()
    assert stated["gongkai_cli.ledger"].allowed == {
        "gongkai_cli.errors",
        "gongkai_cli.version",
        "gongkai_cli.model",
    }
    assert stated["gongkai_cli.errors"].allowed == set()
    assert stated["gongkai_cli.output.site"].allowed == {
        "gongkai_cli.errors",
        "gongkai_cli.model",
        "gongkai_cli.output",
    }


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "gongkai_cli"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return copy


def _planted(tmp_path: Path, module: str, text: str) -> list[str]:
    copy = _copy(tmp_path)
    target = copy.joinpath(*module.split(".")[1:]).with_suffix(".py")
    target.write_text(target.read_text(encoding="utf-8") + text, encoding="utf-8")
    return broken_rules(copy)


def test_an_import_inside_a_function_that_breaks_a_rule_is_found(tmp_path):
    planted = "\n\ndef _planted():\n    from gongkai_cli.record.git import find_repo\n\n    return find_repo\n"
    assert _planted(tmp_path, "gongkai_cli.ledger.plans", planted) == [
        "gongkai_cli.ledger.plans imports gongkai_cli.record.git"
    ]


def test_the_cli_writing_past_the_actions_is_found(tmp_path):
    planted = "\nimport gongkai_cli.record.recording\n"
    assert _planted(tmp_path, "gongkai_cli.cli.updates", planted) == [
        "gongkai_cli.cli.updates imports gongkai_cli.record.recording"
    ]


def test_a_part_without_a_rule_is_found(tmp_path):
    copy = _copy(tmp_path)
    (copy / "actions" / "__init__.py").write_text('"""Use cases."""\n', encoding="utf-8")
    broken = broken_rules(copy)
    assert broken[0] == "gongkai_cli.actions states no rule (a sentence 'May import: ...')"
    assert "gongkai_cli.actions.build_site imports gongkai_cli.ledger.datadir" in broken


def test_imports_under_type_checking_do_not_count():
    from tools.import_graph import imports_of

    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from gongkai_cli.cli import app\n"
        "def f():\n    import gongkai_cli.record.git\n"
    )
    modules = {"gongkai_cli.cli", "gongkai_cli.cli.app", "gongkai_cli.record.git"}
    assert imports_of(source, modules) == {"gongkai_cli.record.git"}


def test_the_library_api_works_without_typer_or_rich(tmp_path):
    script = """
import sys
import gongkai_cli
book = gongkai_cli.open_ledger()
rows = gongkai_cli.list_tasks(book, gongkai_cli.Filters(unit=book.unit("县财政局")),
                              gongkai_cli.parse_date("2021-10-31"))
problems = gongkai_cli.validate()
print(len(rows), len([p for p in problems if p.is_error]))
print(sorted(m for m in ("typer", "rich", "click") if m in sys.modules))
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"GONGKAI_NO_CACHE": "1", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    count, errors = result.stdout.splitlines()[0].split()
    assert int(count) > 0 and errors == "0"
    assert result.stdout.splitlines()[1] == "[]"


def _readme_program() -> str:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    return next(block for block in blocks if "gk.start_ledger" in block)


def test_the_readmes_library_program_runs_a_round_without_typer_or_rich(tmp_path):
    import docx

    shutil.copytree(PACKAGE.parent / "sources", tmp_path / "sources")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "GONGKAI_NO_CACHE": "1",
        "GONGKAI_TODAY": "2021-11-01",
        **{
            f"GIT_{who}_{what}": value
            for who in ("AUTHOR", "COMMITTER")
            for what, value in (("NAME", "测试员"), ("EMAIL", "t@example.org"))
        },
    }
    result = subprocess.run(
        [sys.executable, "-c", _readme_program()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "计划共 43 项任务",
        "县财政局 [(7, '已完成')]",
        "濉溪台账/reports/进展情况-2021-10-31.docx",
        "[]",
    ]
    ledger = tmp_path / "濉溪台账"
    progress = (ledger / "data" / "progress.yaml").read_text(encoding="utf-8")
    assert "task: 7, unit: 县财政局, status: 已完成, note: 已在政府网站公开, by: 张三" in progress
    commits = subprocess.run(
        ["git", "log", "--format=%s"], cwd=ledger, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(commits) == 2 and commits[1].startswith("建立台账：")
    report = docx.Document(ledger / "reports" / "进展情况-2021-10-31.docx")
    text = "\n".join(p.text for p in report.paragraphs) + "".join(
        cell.text for table in report.tables for row in table.rows for cell in row.cells
    )
    text = text.replace("\n", "").replace("\ufeff", "")  # cells are broken into lines
    assert "已在政府网站公开" in text and "县政务公开办" in text


def test_the_api_exports_what_it_lists():
    import gongkai_cli

    assert sorted(gongkai_cli.__all__) == sorted(["__version__", *gongkai_cli._EXPORTS])
    for name in gongkai_cli.__all__:
        assert getattr(gongkai_cli, name) is not None, name


def test_the_api_records_and_undoes_with_typed_errors(tmp_path, monkeypatch):
    import gongkai_cli as gk
    from gongkai_cli.errors import NotResponsible, ReadOnlyLedger, UnknownTask

    data = tmp_path / "ledger" / "data"
    shutil.copytree(PACKAGE.parent / "data", data)
    recorded = gk.record_update(data, 7, ["县财政局"], "done", note="已公开", commit=False)
    assert [(u.task, u.unit, u.status, u.note) for u in recorded.updates] == [
        (7, "县财政局", "已完成", "已公开")
    ]
    book = gk.open_ledger(data)
    assert book.assignment(7, "县财政局", recorded.updates[0].date).status == "已完成"
    with pytest.raises(UnknownTask) as unknown:
        gk.record_update(data, 99, ["县财政局"], "已完成", commit=False)
    assert unknown.value.number == 99
    with pytest.raises(NotResponsible) as outside:
        gk.record_update(data, 2, ["县财政局"], "已完成", commit=False)
    assert outside.value.units == ["县财政局"]
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # no data/ here or above: the bundled plan only
    monkeypatch.delenv("GONGKAI_DATA", raising=False)
    with pytest.raises(ReadOnlyLedger):
        gk.record_update(None, 7, ["县财政局"], "已完成", commit=False)


def test_running_from_a_checkout_without_the_dependencies_says_what_to_install():
    script = (
        "import sys\n"
        "class Missing:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'typer':\n"
        "            raise ModuleNotFoundError(\"No module named 'typer'\", name='typer')\n"
        "sys.meta_path.insert(0, Missing())\n"
        "from gongkai_cli.__main__ import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == (
        "错误：缺少 gongkai 所需的软件包 typer；请先在本目录运行 python3 -m venv .venv && "
        ".venv/bin/pip install . 安装，再用 .venv/bin/gongkai。\n"
    )


def test_render_writes_what_the_command_writes_and_leaves_the_report_as_it_was(gongkai, real_data):
    import gongkai_cli as gk

    book = gk.open_ledger(real_data)
    day = gk.parse_date("2021-10-31")
    report = gk.progress_report(book, day)
    shown = gongkai(
        "report",
        "progress",
        "--as-of",
        "2021-10-31",
        "--format",
        "md",
        "--out",
        "-",
        "--issuer",
        "县政务公开办",
        "--data",
        str(real_data),
    ).stdout
    assert gk.render(report, "md", issuer="县政务公开办") == shown
    assert report.issuer == ""  # signed on a copy: the same report renders unsigned again
    assert (
        gk.render(report, "md") != shown and gk.render(report, "md", issuer="县政务公开办") == shown
    )
    assert gk.render(report, "docx")[:2] == b"PK"
    with pytest.raises(gk.GongkaiError, match="没有“pdf”格式"):
        gk.render(report, "pdf")


def test_every_test_named_slow_exists():
    from tests.conftest import SLOW

    tests = PACKAGE.parent / "tests"

    def exists(entry: str) -> bool:
        module, _, name = entry.partition("::")
        name = name.partition("[")[0]  # one case of a parametrised test
        path = tests / module
        return path.is_file() and (not name or f"\ndef {name}(" in path.read_text(encoding="utf-8"))

    assert [entry for entry in sorted(SLOW) if not exists(entry)] == []


def test_the_readme_shows_the_import_graph_the_tool_prints(capsys):
    from tools.import_graph import main

    assert main([]) == 0
    printed = capsys.readouterr().out
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    assert f"```\n{printed}```\n" in readme

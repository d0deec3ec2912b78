"""The package's shape: no import cycles, a core without Typer or Rich, a small top level."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gongkai_cli"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that `path` imports anywhere (lazy imports inside functions
    count too), except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and "TYPE_CHECKING" in ast.unparse(branch.test)
        for stmt in branch.body
        for node in ast.walk(stmt)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in modules}
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    graph = {name: _imports(path, modules) - {name} for name, path in files.items()}
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
        name = _module_name(path)
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


def test_every_subpackage_says_what_it_holds_and_may_import():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "import" in doc, f"{init.parent.name}/__init__.py"


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


def test_the_api_exports_what_it_lists():
    import gongkai_cli

    assert sorted(gongkai_cli.__all__) == sorted(["__version__", *gongkai_cli._EXPORTS])
    for name in gongkai_cli.__all__:
        assert getattr(gongkai_cli, name) is not None, name


def test_the_api_records_and_undoes_with_typed_errors(tmp_path, monkeypatch):
    import shutil

    import pytest

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

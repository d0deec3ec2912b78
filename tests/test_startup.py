"""Start-up: the lazy app is the eager app, a warm read imports only what it needs, and the
pinned Typer parses options without Pydantic."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from gongkai_cli.cli import app as app_module
from tests.conftest import REAL_DATA, write_ledger

PROGRESS = "- {date: 2021-05-01, task: 1, unit: 县财政局, status: 已完成}\n"


def eager_app() -> typer.Typer:
    """The app as it was built before loading was lazy: every module's commands added."""
    eager = app_module.new_app(TyperGroup)
    for module in dict.fromkeys(app_module.COMMANDS.values()):
        eager.add_typer(__import__(module, fromlist=["app"]).app)
    return eager


ARGUMENTS = [
    [],
    ["--help"],
    ["-h"],
    ["lsit"],
    ["reprot", "progress"],
    ["upate"],
    ["report", "--help"],
    ["report", "progres"],
    ["forms", "--help"],
    ["forms", "statsu"],
    ["collect", "--help"],
    ["list", "--help"],
    ["list", "--bogus"],
    ["--version"],
]


@pytest.mark.parametrize("args", ARGUMENTS, ids=" ".join)
def test_the_lazy_app_answers_as_the_eager_app(args, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    runner = CliRunner()
    lazy = runner.invoke(app_module.app, args, prog_name="gongkai")
    eager = runner.invoke(eager_app(), args, prog_name="gongkai")
    assert (lazy.exit_code, lazy.stdout, lazy.stderr) == (
        eager.exit_code,
        eager.stdout,
        eager.stderr,
    )


def test_a_mistyped_command_is_suggested():
    result = CliRunner().invoke(app_module.app, ["overdeu"], prog_name="gongkai")
    assert result.exit_code == 2
    assert result.stderr.endswith("错误：没有命令“overdeu”。是否是指 overdue、coverage？\n")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("line", ["gongkai ", "gongkai re", "gongkai report ", "gongkai list --u"])
def test_completion_is_the_eager_apps(shell, line):
    words = line.split(" ")
    env = {
        "_GONGKAI_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
        "_TYPER_COMPLETE_ARGS": line,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }
    runner = CliRunner()
    lazy = runner.invoke(app_module.app, [], prog_name="gongkai", env=env)
    eager = runner.invoke(eager_app(), [], prog_name="gongkai", env=env)
    assert lazy.stdout == eager.stdout
    assert lazy.stdout.strip()  # completion did answer


def test_every_command_of_every_module_is_in_the_table():
    names = []
    for module in dict.fromkeys(app_module.COMMANDS.values()):
        defined = __import__(module, fromlist=["app"]).app
        names += [
            (info.name or typer.main.get_command_name(info.callback.__name__), module)
            for info in defined.registered_commands
        ]
        names += [(info.name, module) for info in defined.registered_groups]
    assert names == list(app_module.COMMANDS.items())


WARM_LIST = textwrap.dedent(
    """
    import json, sys
    from gongkai_cli.__main__ import main
    sys.argv = ["gongkai", *sys.argv[1:]]
    try:
        main()
    except SystemExit:
        pass
    print(json.dumps(sorted(sys.modules)), file=sys.stderr)
    """
)

# What a warm `list` may import of gongkai: its own command module and the read path.
# A new command, report format or dependency must not add to this list.
WARM_LIST_MODULES = [
    "gongkai_cli",
    "gongkai_cli.__main__",
    "gongkai_cli.cli",
    "gongkai_cli.cli.app",
    "gongkai_cli.cli.completion",
    "gongkai_cli.cli.options",
    "gongkai_cli.cli.queries",
    "gongkai_cli.cli.zh",
    "gongkai_cli.errors",
    "gongkai_cli.ledger",
    "gongkai_cli.ledger.cache",
    "gongkai_cli.ledger.checked",
    "gongkai_cli.ledger.datadir",
    "gongkai_cli.ledger.files",  # data files checked as regular, inside the ledger, bounded
    "gongkai_cli.ledger.seen",
    "gongkai_cli.model",
    "gongkai_cli.model.book",
    "gongkai_cli.model.dates",
    "gongkai_cli.model.fold",
    "gongkai_cli.model.registry",
    "gongkai_cli.model.statuses",
    "gongkai_cli.model.supervision",  # reviews and extensions, folded as the history is
    "gongkai_cli.model.typed",  # the bidi controls a Markdown cell shows rather than obeys
    "gongkai_cli.model.values",
    "gongkai_cli.output",
    "gongkai_cli.output.environment",  # where output goes, read once by the command line
    "gongkai_cli.output.formats",
    "gongkai_cli.output.markdown",
    "gongkai_cli.output.text",
    "gongkai_cli.output.view",
    "gongkai_cli.output.views",
    "gongkai_cli.version",  # the cache is keyed on it
]
# Packages a warm read must never import: the validators, and the writers of other commands.
HEAVY = {"pydantic", "pydantic_core", "yaml", "dateutil", "rich", "openpyxl", "docx", "jinja2"}


def warm_modules(args: list[str], cwd, env) -> list[str]:
    command = [sys.executable, "-c", WARM_LIST, *args]
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)  # fills the cache
    done = subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stderr.splitlines()[-1])


@pytest.fixture
def env(tmp_path, monkeypatch):
    import os

    return {**os.environ, "GONGKAI_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "100"}


def test_a_warm_list_imports_only_the_read_path(tmp_path, env):
    write_ledger(tmp_path, progress=PROGRESS)
    modules = warm_modules(["list", "--unit", "县财政局", "--data", "data"], tmp_path, env)
    assert [m for m in modules if m.startswith("gongkai_cli")] == WARM_LIST_MODULES
    assert not HEAVY & {m.split(".")[0] for m in modules}


@pytest.mark.parametrize(
    "args",
    [
        ["overdue", "--as-of", "2021-10-31", "-f", "json"],
        ["show", "7", "--as-of", "2021-10-31", "-f", "md"],
        ["list", "-f", "csv"],
    ],
    ids=" ".join,
)
def test_no_warm_read_imports_pydantic_yaml_or_dateutil(args, tmp_path, env):
    modules = warm_modules([*args, "--data", str(REAL_DATA)], tmp_path, env)
    assert {"pydantic", "yaml", "dateutil"} & {m.split(".")[0] for m in modules} == set()


# A ledger that uses the supervision cycle and recurring tasks: reviews, an extension granted,
# evidence required, a monthly task with periods.
SUPERVISED = (
    "- {id: a0000001, date: 2021-01-20, task: 2, unit: 乙镇, status: 不涉及, period: 2021-01}\n"
    "- {id: a0000002, date: 2021-02-05, task: 2, unit: 甲镇, status: 已完成, period: 2021-01}\n"
    "- {id: a0000005, date: 2021-05-10, task: 2, unit: 甲镇, status: 已完成}\n"
    "- {id: r0000001, date: 2021-05-12, reviews: a0000005, verdict: 退回, note: 数据不全}\n"
    "- {id: e0000001, date: 2021-05-20, task: 1, unit: 县财政局, extend_to: 2021-11-30,"
    " note: 等待上级文件, by: 张三}\n"
    "- {id: d0000001, date: 2021-05-21, decides: e0000001, verdict: 批准}\n"
)
SUPERVISED_TASKS = """\
title: 测试县2021年政务公开工作要点
year: 2021
review: true
evidence: required
tasks:
- {number: 1, section: 一、公开, requirement: 公开部门预算。, responsibility: 县财政局负责落实,
   deadline: 6月底前}
- {number: 2, section: 二、监督, requirement: 报送政务公开工作月报。, responsibility: 各镇负责落实,
   deadline: 每月10日前报送}
"""


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--unit", "甲镇"],
        ["overdue", "-f", "json"],
        ["show", "2", "-f", "json"],
        ["due"],
    ],
    ids=" ".join,
)
def test_supervision_and_period_data_stay_off_the_warm_path(args, tmp_path, env):
    """Reviews, extensions and periods are folded from the cached history: a warm read of a
    ledger that uses them adds only the command's own module and the (plain Python) schedules to
    what a warm `list` imports."""
    write_ledger(tmp_path, SUPERVISED_TASKS, progress=SUPERVISED)
    env = {**env, "GONGKAI_TODAY": "2021-06-01"}
    modules = warm_modules([*args, "--data", "data"], tmp_path, env)
    extra = {m for m in modules if m.startswith("gongkai_cli")} - set(WARM_LIST_MODULES)
    assert extra - {app_module.COMMANDS[args[0]]} <= {
        "gongkai_cli.model.periods",
        "gongkai_cli.model.schedules",
        "gongkai_cli.output.json_text",
    }
    assert "gongkai_cli.ledger.load" not in modules  # warm: the cache, not the files
    assert not HEAVY & {m.split(".")[0] for m in modules}


def test_a_cold_read_of_a_plan_without_mistakes_imports_no_pydantic(tmp_path, env):
    """The plan and registry are checked in plain Python (model.fastschema); the schemas,
    some 70 ms to build, are for files with mistakes, and for odd log lines."""
    write_ledger(tmp_path, progress=PROGRESS)
    command = [sys.executable, "-c", WARM_LIST, "list", "--unit", "县财政局", "--data", "data"]
    done = subprocess.run(
        command, cwd=tmp_path, env=env, check=True, capture_output=True, text=True
    )
    modules = json.loads(done.stderr.splitlines()[-1])
    assert "gongkai_cli.ledger.load" in modules  # cold: the data was read, not the cache
    assert {"pydantic", "pydantic_core"} & {m.split(".")[0] for m in modules} == set()

    (tmp_path / "data" / "units.yaml").write_text(
        (tmp_path / "data" / "units.yaml").read_text(encoding="utf-8") + "extra: 1\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        command, cwd=tmp_path, env=env, check=True, capture_output=True, text=True
    )
    # The schema's located message for the mistake (the wrapper prints the modules after it).
    assert "data/units.yaml:" in done.stderr and "extra" in done.stderr
    assert "pydantic" in json.loads(done.stderr.splitlines()[-1])


def test_an_update_builds_no_pydantic_model(tmp_path, env):
    """Recording an update checks what the schema's `Update` would before writing, and
    writes its line from plain values: the schemas (some 80 ms) are off its path, and with
    the ledger cached, YAML too."""
    write_ledger(tmp_path, progress=PROGRESS)
    warm_modules(["list", "--data", "data"], tmp_path, env)
    args = ["update", "1", "-u", "县财政局", "-s", "done", "--date", "2021-06-01", "-n", "已公开"]
    command = [sys.executable, "-c", WARM_LIST, *args, "--by", "张三", "--data", "data"]
    done = subprocess.run(
        command, cwd=tmp_path, env=env, check=True, capture_output=True, text=True
    )
    assert done.stdout == (
        "已记录：任务 1 县财政局 → 已完成（2021-06-01）。\n未提交 git：数据目录不在 git 仓库中。\n"
    )
    assert (
        (tmp_path / "data" / "progress.yaml")
        .read_text(encoding="utf-8")
        .endswith("task: 1, unit: 县财政局, status: 已完成, note: 已公开, by: 张三}\n")
    )
    modules = json.loads(done.stderr.splitlines()[-1])
    assert {"pydantic", "pydantic_core", "yaml"} & {m.split(".")[0] for m in modules} == set()


def test_a_round_of_forms_builds_no_pydantic_model(tmp_path, env, monkeypatch):
    """collect writes each row's line from plain values, as update does: the form's check
    has checked what the schema's `Update` would. A library caller still gets the models
    (`Decision.update`, `Collected.updates()`), built when asked."""
    import openpyxl

    import gongkai_cli as gk
    from gongkai_cli.model.schema import Update

    write_ledger(tmp_path)
    run = [sys.executable, "-m", "gongkai_cli"]
    args = ["forms", "-u", "县财政局", "--as-of", "2021-10-31", "--out", "forms", "--data", "data"]
    subprocess.run([*run, *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    form = tmp_path / "forms" / "县财政局-进展填报-2021-10-31.xlsx"
    workbook = openpyxl.load_workbook(form)
    workbook["填报"]["G7"], workbook["填报"]["H7"], workbook["填报"]["B3"] = (
        "进行中",
        "已起草",
        "张三",
    )
    workbook.save(form)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-11-20")
    monkeypatch.setenv("GONGKAI_CACHE_DIR", env["GONGKAI_CACHE_DIR"])
    collected = gk.collect_forms(tmp_path / "data", [form], dry_run=True)
    ((_, entered),) = collected.entered
    expected = Update(
        date=dt.date(2021, 10, 31),
        task=1,
        unit="县财政局",
        status="进行中",
        note="已起草",
        by="张三",
    )
    assert [d.update for d in entered.decisions if d.update] == entered.updates() == [expected]

    collect = ["collect", str(form), "--data", "data"]
    done = subprocess.run(
        [sys.executable, "-c", WARM_LIST, *collect],
        cwd=tmp_path,
        env={**env, "GONGKAI_TODAY": "2021-11-20"},
        check=True,
        capture_output=True,
        text=True,
    )
    assert done.stdout.splitlines()[1:] == [
        "  任务 1 → 进行中（2021-10-31）：已起草",
        "  未提交 git：数据目录不在 git 仓库中。",
    ]
    modules = json.loads(done.stderr.splitlines()[-1])
    assert {"pydantic", "pydantic_core"} & {m.split(".")[0] for m in modules} == set()


def test_the_pinned_typer_parses_options_without_pydantic():
    """Typer 0.29 validates every parameter through Pydantic, 50 ms on each run; pyproject
    pins the releases before it. This fails on a Typer that brings the cost back."""
    program = textwrap.dedent(
        """
        import enum, sys
        import typer

        class Colour(enum.StrEnum):
            red = "red"

        app = typer.Typer()

        @app.command()
        def one(flag: bool = False, colour: Colour = Colour.red, count: int = 1) -> None:
            print(flag, colour.value, count)

        @app.command()
        def two() -> None: ...

        app(["one", "--flag", "--colour", "red", "--count", "2"], standalone_mode=False)
        print(sorted(m for m in sys.modules if m.startswith("pydantic")))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program], check=True, capture_output=True, text=True
    )
    assert done.stdout == "True red 2\n[]\n", f"typer {typer.__version__}"

"""init, the README's tour, and the package's own metadata."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai_cli import __version__
from tests.conftest import GIT_ENV, REPO, SOURCE, git


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(REPO), "COLUMNS": "100"}
    env.pop("GONGKAI_DATA", None)
    return subprocess.run(
        [sys.executable, "-m", "gongkai_cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_init_then_update_makes_two_commits(tmp_path):
    assert run_cli(["init", "x"], tmp_path).returncode == 0
    ledger = tmp_path / "x"
    result = run_cli(["update", "7", "--unit", "县财政局", "--status", "已完成"], ledger)
    assert result.returncode == 0, result.stderr
    subjects = git(ledger, "log", "--format=%s").splitlines()
    assert subjects == [
        "进展: 任务7 县财政局 → 已完成",
        "建立台账：濉溪县2021年政务公开重点工作任务分工（征求意见稿）",
    ]
    assert sorted(git(ledger, "ls-files").split()) == [
        ".gitattributes",
        ".github/workflows/gongkai.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        "README.md",
        "data/progress.yaml",
        "data/scoring.yaml",
        "data/tasks.yaml",
        "data/units.yaml",
    ]
    assert (ledger / ".gitattributes").read_text() == "data/progress.yaml merge=union\n"


def test_init_refuses_an_existing_ledger_and_a_non_empty_folder(tmp_path):
    run_cli(["init", "x"], tmp_path)
    again = run_cli(["init", "x"], tmp_path)
    assert (again.returncode, again.stderr) == (
        1,
        "错误：x 中已有台账（data/tasks.yaml），不会覆盖。\n",
    )
    (tmp_path / "y").mkdir()
    (tmp_path / "y" / "notes.txt").write_text("mine")
    other = run_cli(["init", "y"], tmp_path)
    assert other.returncode == 1
    assert (tmp_path / "y" / "notes.txt").read_text() == "mine"


def test_init_from_a_published_table(tmp_path):
    result = run_cli(["init", "x", "--plan", str(SOURCE)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x" / "data" / "tasks.yaml").read_text(encoding="utf-8") == (
        (REPO / "data" / "tasks.yaml").read_text(encoding="utf-8")
    )


def test_init_with_a_broken_plan_creates_nothing(tmp_path):
    bad = tmp_path / "plan.yaml"
    bad.write_text("title: x\nyear: 2021\ntasks: 5\n", encoding="utf-8")
    result = run_cli(["init", "x", "--plan", str(bad)], tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr.splitlines()[0]
        == "x/data/tasks.yaml:3:8: error: 字段 tasks 应为列表，实际是5。"
    )
    assert not (tmp_path / "x").exists()


def test_init_with_a_plan_that_is_not_yaml_at_all_creates_nothing(tmp_path):
    bad = tmp_path / "plan.yaml"
    bad.write_text(
        "title: !!python/object/apply:os.system ['true']\nyear: [2021\n", encoding="utf-8"
    )
    result = run_cli(["init", "x", "--plan", str(bad)], tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("x/data/tasks.yaml:")
    assert not (tmp_path / "x").exists()


def test_an_unreadable_deadline_is_an_annotation_a_warning_and_an_error_under_strict(tmp_path):
    run_cli(["init", "x"], tmp_path)
    tasks = tmp_path / "x" / "data" / "tasks.yaml"
    tasks.write_text(
        tasks.read_text(encoding="utf-8").replace("deadline: 6月底前", "deadline: 六月份以前"),
        encoding="utf-8",
    )
    message = (
        "file=data/tasks.yaml,line=247,col=13,title=deadline-pending::任务 40：无法识别时限“六月份以前”；"
        "可用的写法如：年底前、10月底前、上半年、一季度末、第三季度、11月15日前、持续推进。此项记为待定，不会逾期。"
    )
    # A deadline no rule reads is kept as written and counted as to be confirmed: a warning
    # (a plan may say 根据工作安排), which --strict, as CI may run it, turns into an error.
    result = run_cli(["validate", "--format", "github"], tmp_path / "x")
    assert result.returncode == 0
    assert f"::warning {message}" in result.stdout.splitlines()
    strict = run_cli(["validate", "--strict", "--format", "github"], tmp_path / "x")
    assert strict.returncode == 1
    assert f"::error {message}" in strict.stdout.splitlines()


def test_readme_tour_runs(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(
        r"<!-- tour:start -->\n```sh\n(.*?)```\n<!-- tour:end -->", readme, re.S
    ).group(1)
    cwd = tmp_path
    outputs = {}
    for line in block.strip().splitlines():
        words = shlex.split(line)
        if words == [".", ".venv/bin/activate"]:  # the tests run the package itself
            continue
        if words[0] == "cd":
            cwd = cwd / words[1]
            continue
        assert words[0] == "gongkai"
        result = run_cli(words[1:], cwd)
        assert result.returncode == 0, (line, result.stderr)
        outputs[line] = result.stdout
    assert (
        "| 县政府办公室 | 2 | 32（31天）、40（123天） |"
        in outputs["gongkai overdue --as-of 2021-10-31 --by unit --format md"]
    )


def test_readme_opens_with_the_two_set_up_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1).splitlines()
    assert first_block == [
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/gongkai list --unit 县财政局",
        'python3 -m venv .venv && .venv/bin/pip install ".[test]" && .venv/bin/python -m pytest',
    ]


def test_version(gongkai):
    assert gongkai("--version").stdout == f"gongkai {__version__}\n"


def test_the_readme_documents_every_command():
    import typer

    from gongkai_cli.cli.app import app

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    names = []
    for name, command in root.commands.items():
        if hasattr(command, "commands"):  # a group such as `report`
            names += [f"{name} {sub}" for sub in command.commands]
        else:
            names.append(name)
    assert "report progress" in names
    for name in names:
        assert f"`gongkai {name}" in readme, name


def test_init_ignores_reports_and_sets_a_pull_strategy(tmp_path):
    assert run_cli(["init", "x"], tmp_path).returncode == 0
    ledger = tmp_path / "x"
    assert (ledger / ".gitignore").read_text(
        encoding="utf-8"
    ) == "reports/\nsite/\n.gongkai-cache/\n.gongkai/\n"
    assert git(ledger, "config", "pull.rebase").strip() == "false"
    assert git(ledger, "status", "--porcelain") == ""


def test_a_plain_pull_merges_two_clerks_updates(tmp_path):
    run_cli(["init", "x"], tmp_path)
    origin = tmp_path / "x"
    git(tmp_path, "clone", "-q", str(origin), "y")
    clone = tmp_path / "y"
    git(clone, "config", "pull.rebase", "false")  # as README 多人协作 tells a second clerk
    env = {**os.environ, **GIT_ENV}
    for folder, unit in ((origin, "县财政局"), (clone, "县教育局")):
        assert run_cli(["update", "7", "-u", unit, "-s", "进行中"], folder).returncode == 0
    pulled = subprocess.run(
        ["git", "pull", "-q"], cwd=clone, env=env, capture_output=True, text=True
    )
    assert pulled.returncode == 0, pulled.stderr
    log = (clone / "data" / "progress.yaml").read_text(encoding="utf-8")
    assert "县财政局" in log and "县教育局" in log


def init_without_identity(tmp_path) -> subprocess.CompletedProcess:
    """`gongkai init x` in tmp_path with no git identity anywhere (skips where git makes one
    up from the machine's name)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "EMAIL"}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env |= {"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "PYTHONPATH": str(REPO)}
    ident = subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], env=env, capture_output=True)
    if ident.returncode == 0:
        pytest.skip("git finds an identity on this machine without any configuration")
    return subprocess.run(
        [sys.executable, "-m", "gongkai_cli", "init", "x"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )


def test_init_without_a_git_identity_shows_the_commands_and_makes_nothing(tmp_path):
    result = init_without_identity(tmp_path)
    assert (result.returncode, result.stdout) == (4, "")  # git cannot sign: ExitStatus.GIT_FAILED
    assert result.stderr == (
        "错误：git 还不知道提交人是谁（没有设置姓名和邮箱），台账未建立。请先运行：\n"
        '  git config --global user.name "你的姓名"\n'
        '  git config --global user.email "you@example.com"\n'
        "然后再运行一次 gongkai init。\n"
    )
    assert not (tmp_path / "x").exists()
    # Once the identity is set, the same command works: nothing half-made is in its way.
    assert run_cli(["init", "x"], tmp_path).returncode == 0


def test_init_in_an_empty_folder_without_identity_leaves_it_empty(tmp_path):
    (tmp_path / "x").mkdir()
    assert init_without_identity(tmp_path).returncode == 4  # ExitStatus.GIT_FAILED
    assert list((tmp_path / "x").iterdir()) == []


def test_init_inside_another_repository_warns(tmp_path):
    git(tmp_path, "init", "-q")
    result = run_cli(["init", "ledger"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"注意：ledger 位于另一个 git 仓库（{tmp_path.resolve()}）之中；台账将是其中独立的仓库，"
        "外层仓库的提交不会包含它。\n"
    )
    assert (tmp_path / "ledger" / ".git").is_dir()

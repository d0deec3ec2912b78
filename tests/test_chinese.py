"""Help screens and usage errors in Chinese: the catalog, the hooks into Typer, every command."""

from __future__ import annotations

import gettext
import inspect
import re
from pathlib import Path
from typing import Annotated

import pytest
import typer
import typer.core
from typer._click import core as click_core
from typer._click import exceptions as click_exceptions
from typer._click import formatting as click_formatting
from typer.testing import CliRunner

from gongkai_cli.cli import zh
from gongkai_cli.cli.app import app
from tests.conftest import REPO, write_ledger
from tools.compile_catalog import CATALOG, mo_bytes, parse_po

# Words of Typer's and Click's English interface; none may remain on a help screen.
ENGLISH = re.compile(
    r"Usage|Options|Commands|Arguments|Show this message|Error|Invalid value|Missing "
    r"(option|argument|parameter)|No such|Try '|default:|required|\[OPTIONS\]|COMMAND|ARGS"
    r"|<[a-zA-Z][\w\[\] ]*>|list\[|TEXT|INTEGER|Install completion|Show completion"
)


def command_paths(command=None, path=()):
    """Every command and subcommand of the app, found by walking Click's tree."""
    command = command or typer.main.get_command(app)
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*path, name))


def commands(command=None):
    command = command or typer.main.get_command(app)
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from commands(sub)


def test_no_command_draws_rich_help_panels():
    # Rich panels lay out help and errors themselves, past the Chinese formatter: gongkai
    # draws plain help everywhere, as its root app asks.
    assert {getattr(c, "rich_markup_mode", None) for c in commands()} == {None}


def test_the_walk_finds_nested_commands():
    paths = set(command_paths())
    assert {(), ("list",), ("report",), ("report", "progress"), ("init",)} <= paths


@pytest.mark.parametrize("path", list(command_paths()), ids=lambda p: " ".join(p) or "gongkai")
def test_every_help_screen_is_chinese(gongkai, path):
    result = gongkai(*path, "--help")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"用法：gongkai {' '.join(path)}".rstrip())
    assert "选项：" in result.stdout
    assert ENGLISH.search(result.stdout) is None, ENGLISH.search(result.stdout)


# gongkai's own values all have Chinese names: no Typer fallback (<路径>), no Click range
# (0<=x<=9), no argument named in English ({files}…, [old]).
UNNAMED = re.compile(r"<[^>]+>|\d<=x|\bx[<>]=|[\[{][a-z_]+[\]}]|\b[a-z_]+\.\.\.")


@pytest.mark.parametrize("path", list(command_paths()), ids=lambda p: " ".join(p) or "gongkai")
def test_every_value_on_a_help_screen_has_a_chinese_name(gongkai, path):
    result = gongkai(*path, "--help")
    assert UNNAMED.search(result.stdout) is None, UNNAMED.search(result.stdout)


def test_click_ranges_read_as_chinese_ranges():
    assert (
        zh.translate("70000 is not in the range 0<=x<=65535.")
        == "70000 不在允许的范围 0–65535 内。"
    )
    assert zh.translate("与 --serve 合用的端口。  [x>=1]") == "与 --serve 合用的端口。  [≥1]"


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_help_lines_fit_the_terminal(gongkai, monkeypatch, columns):
    from gongkai_cli.output.cjk import NO_END, NO_START, width

    monkeypatch.setenv("COLUMNS", str(columns))
    for path in command_paths():
        lines = gongkai(*path, "--help").stdout.splitlines()
        for line in lines:
            assert width(line) <= max(columns, 80), line
            text = line.strip()
            if text and not text.startswith("-"):
                assert text[0] not in NO_START, line
                assert text[-1] not in NO_END, line


@pytest.mark.parametrize(
    ("args", "usage", "message"),
    [
        (["show"], "gongkai show [选项] 编号", "缺少参数“编号”。"),
        (["list", "--bogus"], "gongkai list [选项]", "没有选项 --bogus。"),
        (["list", "--unit"], None, "选项“--unit”需要一个值。"),
        (["lst"], "gongkai [选项] 命令 [参数]...", "没有命令“lst”。是否是指 list？"),
        (["show", "7", "8"], "gongkai show [选项] 编号", "多余的参数：8。"),
        (
            ["overdue", "--by", "部门"],
            "gongkai overdue [选项]",
            "--by 的值无效：“部门”不是可用的分组方式；可写 任务、单位、task、unit。",
        ),
        (
            ["show", "七"],
            "gongkai show [选项] 编号",
            "参数“编号”的值无效：“七”不是任务编号；请写数字，如 7。",
        ),
        (
            ["list", "—unit", "县财政局"],
            "gongkai [选项] 命令 [参数]...",
            "无法识别“—unit”：选项名应使用半角字符，是否是指 --unit？",
        ),
        (
            ["list", "－－ｕｎｉｔ", "县财政局"],
            "gongkai [选项] 命令 [参数]...",
            "无法识别“－－ｕｎｉｔ”：选项名应使用半角字符，是否是指 --unit？",
        ),
    ],
)
def test_usage_errors_are_one_chinese_sentence_and_exit_2(gongkai, args, usage, message):
    result = gongkai(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith(f"错误：{message}\n")
    if usage:  # Typer 0.29 writes a required argument as {编号}
        assert re.sub(r"[{}]", "", result.stderr).startswith(f"用法：{usage}\n")
    assert ENGLISH.search(result.stderr) is None


def test_the_compiled_catalog_is_the_po_source():
    po = parse_po((CATALOG / "gongkai.po").read_text(encoding="utf-8"))
    assert (CATALOG / "gongkai.mo").read_bytes() == mo_bytes(po)
    assert gettext.translation("gongkai", zh.LOCALE_DIR, ["zh_CN"]).gettext("Usage:") == "用法："


def test_the_catalog_translates_finished_sentences_with_values():
    assert zh.translate("No such command 'lst'.") == "没有命令“lst”。"
    assert zh.translate("Option '--unit' requires an argument.") == "选项“--unit”需要一个值。"
    assert zh.translate("Directory 'x' is a file.") == "目录“x”是一个文件，不是目录。"
    assert zh.translate("something else") == "something else"


def test_the_hooks_into_typer_are_where_zh_expects_them():
    # An upgrade of Typer that moves any of these breaks Chinese help; this says where.
    assert typer.core._ in (gettext.gettext, zh.gettext)
    assert issubclass(click_core.Context.formatter_class, click_formatting.HelpFormatter)
    assert "prefix" in inspect.signature(click_formatting.HelpFormatter.write_usage).parameters
    for method in ("write_heading", "write_dl", "write_text", "write"):
        assert callable(getattr(click_formatting.HelpFormatter, method))
    for name in ("ClickException", "UsageError", "BadParameter", "MissingParameter"):
        assert callable(getattr(click_exceptions, name).show)
    assert click_exceptions.NoSuchOption("--x", possibilities=["--y"]).possibilities == ["--y"]
    source = inspect.getsource(typer.core)
    for msgid in ("Options", "Arguments", "Commands", "default: {default}", "required"):
        assert f'_("{msgid}")' in source
        assert zh.gettext(msgid) != msgid
    decorators = inspect.getsource(click_core.Command.get_help_option) + inspect.getsource(
        __import__("typer._click.decorators", fromlist=["x"])
    )
    assert "Show this message and exit." in decorators


def test_install_is_idempotent():
    zh.install()
    first = click_core.Context.formatter_class
    zh.install()
    assert click_core.Context.formatter_class is first


def test_the_catalog_ships_in_the_package():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'packages = ["gongkai_cli"]' in text
    assert (REPO / "gongkai_cli/cli/locale/zh_CN/LC_MESSAGES/gongkai.mo").is_file()
    assert "*.mo" not in (REPO / ".gitignore").read_text(encoding="utf-8")


def test_a_ledger_root_works_as_data(gongkai, tmp_path):
    write_ledger(tmp_path)
    result = gongkai("list", "-f", "json", "--data", str(tmp_path))
    assert result.exit_code == 0, result.stderr


def test_a_dash_in_a_note_is_not_taken_for_an_option(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = gongkai(
        "update", "7", "-u", "县财政局", "-s", "进行中", "--note", "—see", "--no-commit"
    )
    assert result.exit_code == 0, result.stderr


def test_full_width_letters_in_an_option_get_the_hint(gongkai):
    result = gongkai("list", "--ｕｎｉｔ", "县财政局")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "错误：无法识别“--ｕｎｉｔ”：选项名应使用半角字符，是否是指 --unit？\n"
    )


def test_the_completion_installer_speaks_chinese(gongkai, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = gongkai("--install-completion", "bash")
    assert (result.exit_code, result.stdout) == (
        0,
        f"已为 bash 安装命令补全：{tmp_path}/.bash_completions/gongkai.sh\n重新打开终端后补全生效。\n",
    )
    assert (tmp_path / ".bash_completions" / "gongkai.sh").is_file()
    wrong = gongkai("--install-completion", "xsh")
    assert wrong.exit_code == 2
    assert wrong.stderr.endswith(
        "错误：--install-completion 的值无效：“xsh”不是可选值 bash、zsh、fish、powershell、pwsh 之一。\n"
    )


def test_a_command_written_without_chinese_metavars_still_gets_chinese_help():
    # How a command added later (forms, collect, site …) looks before anyone names its values.
    other = typer.Typer(cls=zh.group_class(), rich_markup_mode=None)

    @other.command("forms")
    def forms(
        when: Annotated[str, typer.Option(help="日期。")],
        out: Annotated[Path, typer.Option(help="目录。")] = Path("forms"),
        count: Annotated[int, typer.Option()] = 3,
        files: Annotated[list[Path] | None, typer.Option()] = None,
    ) -> None:
        """表格。"""

    @other.command("site")
    def site(target: Path) -> None:
        """网站。"""

    result = CliRunner().invoke(other, ["forms", "--help"])
    assert result.exit_code == 0
    assert ENGLISH.search(result.stdout) is None, result.stdout
    # A repeatable option ends in … where Typer marks it (0.29: list[path]); 0.28 does not.
    assert "--out <路径>" in result.stdout and re.search(r"--files <路径>…?\n", result.stdout)
    assert "[默认：3]" in result.stdout and "[必填]" in result.stdout
    missing = CliRunner().invoke(other, ["forms"])
    assert (missing.exit_code, missing.stderr.splitlines()[-1]) == (2, "错误：缺少选项 --when。")
    bad = CliRunner().invoke(other, ["forms", "--when", "x", "--count", "三"])
    assert bad.exit_code == 2
    assert bad.stderr.splitlines()[-1] == "错误：--count 的值无效：应为整数。"

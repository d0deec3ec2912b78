"""One rule for every text a person types (--by, --note, --unit, a form's 填报人 and notes):
line breaks where one line is meant, controls and bidi overrides are refused before anything
is written or printed, so no trailer can be forged and no text reorders what a reader sees."""

from __future__ import annotations

import pytest

from tests.conftest import git, snapshot
from tests.test_forms import FORM, fill, sent  # noqa: F401  (sent is a fixture)

FORGED = "张三\n\nForm: 韩村镇-进展填报-2021-10-31.xlsx\nForm-SHA256: " + "0" * 64
FORGED += "\nRound: 2021-10-31\nUnit: 韩村镇\nDate: 2021-10-31"


def test_a_by_with_line_breaks_cannot_forge_trailers(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    before = snapshot(ledger)

    result = gongkai("update", "7", "-u", "县财政局", "-s", "done", "--by", FORGED)

    assert (result.exit_code, result.stderr) == (
        1,
        "错误：填报人中含有换行（只能写一行）；未写入。\n",
    )
    assert snapshot(ledger) == before
    status = gongkai("forms", "status")
    assert (
        status.stderr
        == "错误：还没有收取过任何填报表（gongkai collect）；请用 --round 指定轮次。\n"
    )
    assert "Unit: 韩村镇" not in git(ledger, "log", "--format=%B")


@pytest.mark.parametrize(
    ("option", "text", "label", "what"),
    [
        ("--note", "已完成\u202e成完未", "说明", "双向文字控制符 U+202E"),
        ("--by", "张\u2066三", "填报人", "双向文字控制符 U+2066"),
        ("--unit", "县财\u202e政局", "单位", "双向文字控制符 U+202E"),
        ("--by", "张三\t李四", "填报人", "制表符（只能写一行）"),
        ("--note", "颜色\x1b[31m红", "说明", "不允许的字符 U+001B"),
        ("--note", "C1\x9b2J", "说明", "不允许的字符 U+009B"),
        ("--note", "已完成\r未开始", "说明", "不允许的换行符 U+000D"),
    ],
)
def test_every_typed_field_follows_one_rule(
    gongkai, ledger, monkeypatch, option, text, label, what
):
    monkeypatch.chdir(ledger)
    before = snapshot(ledger)
    args = ["update", "7", "-s", "done", option, text]
    if option != "--unit":
        args += ["-u", "县财政局"]

    result = gongkai(*args)

    assert result.exit_code == 1
    assert result.stderr.startswith(f"错误：{label}中含有{what}")
    assert result.stderr.endswith("；未写入。\n")
    assert text not in result.stderr and "\x1b" not in result.stderr
    assert snapshot(ledger) == before


def test_a_note_may_run_over_several_lines(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = gongkai("update", "7", "-u", "县财政局", "-s", "doing", "--note", "第一行\n第二行")
    assert result.exit_code == 0, result.stderr


def test_a_forms_reporter_with_line_breaks_or_bidi_is_refused(gongkai, sent):  # noqa: F811
    before = snapshot(sent.parent.parent)
    fill(sent, {7: {"状态": "进行中"}}, by=FORGED)

    result = gongkai("collect", f"forms/{FORM}")

    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{FORM}:填报!B3: 填报人中含有换行（只能写一行）。"
    fill(sent, {7: {"进展说明": "按期\u202e完成"}}, by="张三")
    result = gongkai("collect", f"forms/{FORM}")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{FORM}:填报!H10: 进展说明中含有双向文字控制符 U+202E（会打乱文字的显示顺序，看到的与写下的不同）。"
    )
    assert snapshot(sent.parent.parent) == before


def test_log_shows_a_bidi_control_already_in_the_file_instead_of_obeying_it(gongkai, tmp_path):
    from tests.conftest import write_ledger

    line = (
        '- {date: 2021-05-01, task: 1, unit: 县财政局, status: 已完成, note: "按期\\u202e完成"}\n'
    )
    data = write_ledger(tmp_path, progress=line)
    result = gongkai("log", "--data", data, "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert "\u202e" not in result.stdout
    assert "按期\\\\u202e完成" in result.stdout  # a backslash, escaped for Markdown


def _raise_interrupt(*args, **kwargs):
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    "where",
    [
        "gongkai_cli.cli.app.LazyCommands.__getitem__",  # a command's module being imported
        "typer._click.core.Command.parse_args",  # options being parsed
    ],
)
def test_ctrl_c_before_a_command_runs_is_one_line_and_130(monkeypatch, capsys, where):
    from gongkai_cli.cli.app import run

    monkeypatch.setattr(where, _raise_interrupt)
    monkeypatch.setattr("sys.argv", ["gongkai", "list", "--unit", "县财政局"])
    with pytest.raises(SystemExit) as stopped:
        run()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == "已中断。\n"


def test_ctrl_c_while_the_program_loads_is_one_line_and_130(monkeypatch, capsys):
    import builtins

    from gongkai_cli.__main__ import main

    real_import = builtins.__import__

    def importing(name, *args, **kwargs):
        if name == "gongkai_cli.cli.app":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", importing)
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == "已中断。\n"


def test_collect_shows_a_bidi_control_in_a_file_name_instead_of_obeying_it(gongkai, sent):  # noqa: F811
    import shutil

    renamed = shutil.copy(sent, sent.with_name("财政\u202excsl.xlsx"))
    result = gongkai("collect", renamed, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "\u202e" not in result.stdout
    assert result.stdout.startswith("财政\\u202excsl.xlsx：县财政局，截至 2021-10-31；")

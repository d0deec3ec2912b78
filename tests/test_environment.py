"""The environment seam: the command line reads the terminal once and passes it in; the core
renders for the Environment it is given, so a test (or a program) chooses it."""

from __future__ import annotations

import io

from gongkai_cli.cli.options import environment
from gongkai_cli.output.cjk import width
from gongkai_cli.output.environment import Environment
from gongkai_cli.output.view import Column, View, render, resolve_format

VIEW = View(
    "任务",
    [Column("编号", no_wrap=True), Column("具体要求", long=True)],
    [
        [
            "7",
            "主动公开国民经济和社会发展第十四个五年规划纲要、国土空间规划、专项规划和区域规划等。"
            * 2,
        ]
    ],
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_format_follows_the_terminal_and_a_program_gets_markdown():
    assert resolve_format(None, Environment(terminal=True)) == "table"
    assert resolve_format(None, Environment(terminal=False)) == "md"
    assert resolve_format(None) == "md"  # a program's output goes to a file or a pipe
    assert resolve_format("json", Environment(terminal=True)) == "json"


def test_a_table_is_laid_out_for_the_width_it_is_given():
    for columns in (40, 60, 100):
        text = render("table", lambda: VIEW, lambda: None, env=Environment(False, columns))
        assert max(width(line) for line in text.splitlines()) <= columns
    narrow = render("table", lambda: VIEW, lambda: None, env=Environment(False, 40))
    broad = render("table", lambda: VIEW, lambda: None, env=Environment(False, 100))
    assert "国土空间…" in narrow  # cut to two lines of a narrow column
    assert "区域规划等。" in broad  # whole in a broad one


def test_colour_only_where_the_environment_allows_it():
    view = View("完成率", [Column("完成率", bar=True)], [["50.0%"]])
    coloured = render("table", lambda: view, lambda: None, env=Environment(True, 80, True))
    plain = render("table", lambda: view, lambda: None, env=Environment(True, 80, False))
    yellow = "\x1b[33m"  # the bar of a share between 50% and 80%
    assert yellow in coloured and yellow not in plain


def test_the_command_line_reads_the_terminal_columns_and_no_color(monkeypatch):
    monkeypatch.setattr("sys.stdout", Terminal())
    monkeypatch.setenv("COLUMNS", "72")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert environment() == Environment(terminal=True, width=72, colour=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert environment() == Environment(terminal=True, width=72, colour=False)
    monkeypatch.setattr("sys.stdout", io.StringIO())
    monkeypatch.delenv("COLUMNS")
    assert environment() == Environment(terminal=False, width=None, colour=False)


def test_today_is_the_injected_day(monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2030-02-28")
    assert Environment().today.isoformat() == "2030-02-28"

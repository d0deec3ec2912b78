"""Terminal tables at 80, 120 and 200 columns: full width, Chinese line-breaking rules,
unit lists broken between names."""

from __future__ import annotations

import re

import pytest

from gongkai_cli.output.cjk import NO_END, NO_START, clip, wrap
from gongkai_cli.output.cjk import width as display_width

COMMANDS = [
    ["show", "40"],
    ["show", "7", "--wide"],
    ["list"],
    ["list", "--wide"],
    ["list", "--unit", "各镇"],
    ["list", "--unit", "县财政局"],
    ["overdue"],
    ["overdue", "--by", "unit"],
    ["due", "--within", "90d"],
    ["report", "progress"],
    ["stats"],
    ["units"],
]
CELL_EDGES = re.compile(r"[│┃╭╮╰╯─━┏┓┗┛┡┩┠┨├┤┼╇╋┳┻]")


def render(gongkai, monkeypatch, columns, args, data):
    monkeypatch.setenv("COLUMNS", str(columns))
    as_of = [] if args[0] == "units" else ["--as-of", "2021-10-31"]
    result = gongkai(*args, *as_of, "-f", "table", "--data", data)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("columns", [80, 120, 200])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_tables_fit_and_follow_the_line_breaking_rules(
    gongkai, monkeypatch, real_data, columns, args
):
    for line in render(gongkai, monkeypatch, columns, args, real_data):
        assert display_width(line) <= columns, line
        for cell in CELL_EDGES.split(line):
            text = cell.strip()
            if not text or text in ("—", "…"):
                continue
            assert text[0] not in NO_START, line
            assert text[-1] not in NO_END, line


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_unit_lists_break_between_names(gongkai, monkeypatch, real_data, columns):
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.ledger.datadir import DataDir

    book = open_book(DataDir(real_data, "option"))
    resolution = book.resolution(40)
    names = [*resolution.lead, *resolution.implementers]
    assert len(names) == 49
    lines = render(gongkai, monkeypatch, columns, ["show", "40"], real_data)
    for name in names:
        assert any(name in line for line in lines), name


@pytest.mark.parametrize("args", [["overdue", "--by", "unit"], ["units"], ["stats"]])
def test_nothing_that_would_fit_is_cut_at_200_columns(gongkai, monkeypatch, real_data, args):
    lines = render(gongkai, monkeypatch, 200, args, real_data)
    assert not any("…" in line for line in lines)


def test_a_short_requirement_is_whole_at_200_columns(gongkai, monkeypatch, real_data):
    lines = render(gongkai, monkeypatch, 200, ["overdue"], real_data)
    assert any("│ 完成县级基层政务公开示范区和示范点创建工作。" in line for line in lines)


def test_a_table_uses_the_full_width_when_its_text_is_long(gongkai, monkeypatch, real_data):
    for columns in (80, 120, 200):
        lines = render(gongkai, monkeypatch, columns, ["list"], real_data)
        assert max(display_width(line) for line in lines) >= columns - 2


@pytest.mark.parametrize("columns", range(8, 41))
def test_wrap_keeps_every_rule_at_any_width(columns):
    text = (
        "主动公开国民经济和社会发展第十四个五年规划纲要、国土空间规划（含“三区三线”），"
        "做好历史规划的归集整理；open data 与 API。县财政局、县发展和改革委员会、各镇。"
    )
    lines = wrap(text, columns, ("县财政局", "县发展和改革委员会"))
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert display_width(line) <= columns
        assert line[0] not in NO_START and line[-1] not in NO_END, lines
    if columns >= 20:  # the name with the 、 that may not start a line
        assert any("县发展和改革委员会" in line for line in lines)


def test_clip_cuts_by_display_width():
    assert clip("县财政局", 8) == "县财政局"
    assert clip("县财政局牵头", 8) == "县财政…"

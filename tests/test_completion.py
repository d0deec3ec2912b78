"""Shell completion that knows the ledger, asked the way a shell asks."""

from __future__ import annotations

import pytest
import typer

from gongkai_cli.cli.app import app


@pytest.fixture
def complete(monkeypatch, capsys):
    """The (value, help) pairs zsh would be offered for a command line, asked in-process the
    way the installed script asks (Typer's zsh protocol)."""

    def ask(line: str, cwd) -> list[tuple[str, str]]:
        monkeypatch.chdir(cwd)
        monkeypatch.delenv("GONGKAI_DATA", raising=False)
        monkeypatch.setenv("_GONGKAI_COMPLETE", "complete_zsh")
        monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line)
        with pytest.raises(SystemExit) as done:
            typer.main.get_command(app).main(args=[], prog_name="gongkai")
        out, err = capsys.readouterr()
        assert (done.value.code, err) == (0, "")
        pairs = []
        for item in out.split("\n"):
            item = item.strip().removeprefix("_arguments '*: :((")
            if item.startswith('"'):
                value, _, help_text = item.removesuffix("))'").partition('":"')
                pairs.append((value.strip('"'), help_text.rstrip('"')))
        return pairs

    return ask


@pytest.fixture
def here(real_data):
    return real_data.parent


def test_units_aliases_and_groups(complete, here):
    offered = complete("gongkai list --unit 县财", here)
    assert ("县财政局", "单位") in offered
    assert ("各镇", "集合，11个单位") in complete("gongkai list --unit 各", here)
    assert ("县发展和改革委员会", "即 县发改委") in complete("gongkai update 7 --unit 县发", here)
    assert "县财政局" in [value for value, _ in complete("gongkai report unit 县财", here)]


def test_status_words(complete, here):
    assert [v for v, _ in complete("gongkai update 7 --status ", here)] == [
        "未开始",
        "进行中",
        "进展缓慢",
        "已完成",
        "不涉及",
    ]
    assert ("逾期", "按日期推算") in complete("gongkai list --status ", here)


def test_task_numbers_with_a_short_requirement(complete, here):
    offered = complete("gongkai show 4", here)
    assert [v for v, _ in offered] == ["4", "40", "41", "42", "43"]
    assert offered[0][1] == "依托政府网站、政务新媒体开设专题，及时…"


def test_section_numerals(complete, here):
    assert complete("gongkai list --section ", here)[0] == ("一", "进一步强化重点领域信息公开")


def test_completion_follows_data(complete, real_data, tmp_path):
    offered = complete(f"gongkai list --data {real_data} --unit 县财", tmp_path)
    assert ("县财政局", "单位") in offered

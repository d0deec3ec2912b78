"""Today is injected: GONGKAI_TODAY fixes the day every command answers for, so a day can be
replayed and no test's verdict depends on the day it runs."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai_cli.errors import InvalidValue
from gongkai_cli.model.dates import current_date, parse_as_of, parse_date


def test_gongkai_today_is_the_day_commands_answer_for(monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2031-10-31")
    assert current_date() == dt.date(2031, 10, 31)
    assert parse_as_of(None) == dt.date(2031, 10, 31)
    assert parse_date("昨天") == dt.date(2031, 10, 30)


def test_without_gongkai_today_the_clock_gives_today(monkeypatch):
    monkeypatch.delenv("GONGKAI_TODAY", raising=False)
    before = dt.date.today()
    assert current_date() in (before, dt.date.today())


def test_a_gongkai_today_that_is_not_a_date_is_one_sentence_naming_it(monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "明天")
    with pytest.raises(InvalidValue) as caught:
        current_date()
    assert str(caught.value) == (
        "环境变量 GONGKAI_TODAY“明天”不是有效日期；请写成“年-月-日”的形式，或不设置。"
    )


def test_a_query_without_as_of_answers_for_gongkai_today(gongkai, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2021-10-31")
    on_the_day = gongkai("overdue", "--format", "json").stdout
    assert on_the_day == gongkai("overdue", "--as-of", "2021-10-31", "--format", "json").stdout
    monkeypatch.setenv("GONGKAI_TODAY", "bad")
    result = gongkai("overdue")
    assert result.exit_code == 1
    assert "环境变量 GONGKAI_TODAY“bad”不是有效日期" in result.stderr

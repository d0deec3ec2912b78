"""Dates as clerks type them (2024-10-31, 2024年10月31号, 10月31日, 10.31, 今天, full-width
digits) and as reports print them (2024年10月31日); the example day that help and errors show."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable

from gongkai_cli.errors import GongkaiError, InvalidValue

# 日, or 号 as people say it: 2024年10月31号
_FULL = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})[日号]")
# 10/31 stays refused: abroad it is as often 31/10, and a slip there moves a deadline.
_MONTH_DAY = re.compile(r"(\d{1,2})([-.])(\d{1,2})|(\d{1,2})月(\d{1,2})[日号]")
_RELATIVE = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1}


TODAY_VARIABLE = "GONGKAI_TODAY"


def current_date() -> dt.date:
    """The day a command answers for when no date is given: the environment's
    GONGKAI_TODAY (an ISO date) where set, so that a day can be replayed and tests hold on
    any day, else the clock. Every use of today in gongkai goes through here."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidValue(
            f"环境变量 {TODAY_VARIABLE}“{value}”不是有效日期；请写成“年-月-日”的形式，或不设置。",
            value,
        ) from None


def example_day(year: int) -> dt.date:
    """The one date every example in help and errors shows, in the ledger's own year: a
    2024 ledger's clerk reads 2024-10-31, not another county's 2021."""
    return dt.date(year, 10, 31)


def accepted(year: int) -> str:
    """The ways a date may be typed, shown with the example day of `year`."""
    day = example_day(year)
    y, m, d = day.year, day.month, day.day
    return (
        f"{day.isoformat()}、{y}/{m}/{d}、{y}.{m}.{d}、{chinese_date(day)}、"
        f"{m}月{d}日、{m}-{d}、{m}.{d}、今天 或 昨天"
    )


def normalize(text: str) -> str:
    """Full-width digits, letters and punctuation as their ASCII forms, spaces trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def chinese_date(day: dt.date) -> str:
    """A date as report text writes it: 2021年10月31日, 2021年6月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def parse_date(
    text: str,
    option: str = "日期",
    *,
    year: Callable[[], int] | None = None,
    today: dt.date | None = None,
) -> dt.date:
    """A typed date; `year` gives the plan's year for 10月31日 and 10-31 (asked only then)."""
    value = normalize(text).replace(" ", "")
    today = today or current_date()
    if value in _RELATIVE:
        return today - dt.timedelta(days=_RELATIVE[value])
    parts: tuple[str | None, ...] = ()
    if match := _FULL.fullmatch(value):
        y, _, m, d, cy, cm, cd = match.groups()
        parts = (y or cy, m or cm, d or cd)
    elif (match := _MONTH_DAY.fullmatch(value)) and year is not None:
        m, _, d, cm, cd = match.groups()
        parts = (str(year()), m or cm, d or cd)
    if parts:
        try:
            return dt.date(*(int(p) for p in parts if p is not None))
        except ValueError:
            pass
    shown = _example_year(year, today)
    raise InvalidValue(f"{option}“{text}”不是有效日期；请写成 {accepted(shown)}。", text)


def _example_year(year: Callable[[], int] | None, today: dt.date) -> int:
    """The plan's year for an example, or this year where no ledger is at hand (or it
    cannot be read: the date error is the one to report)."""
    try:
        return year() if year is not None else today.year
    except GongkaiError:
        return today.year


def parse_as_of(
    text: str | None,
    option: str = "--as-of",
    *,
    year: Callable[[], int] | None = None,
    today: dt.date | None = None,
) -> dt.date:
    today = today or current_date()
    return today if text is None else parse_date(text, option, year=year, today=today)


def parse_days(text: str, option: str = "期限") -> int:
    """A span such as 30d, 30, 2w or 30天, as a number of days."""
    match = re.fullmatch(r"\s*(\d+)\s*(d|天|日|w|周)?\s*", normalize(text).lower())
    if not match:
        raise InvalidValue(f"{option}“{text}”无法识别；请写成 30d、2w 或 30天。", text)
    days = int(match.group(1))
    return days * 7 if match.group(2) in ("w", "周") else days


def outside_plan_year(day: dt.date, plan_year: int, *, slack_days: int = 0) -> bool:
    """Whether a date lies outside the plan's year by more than `slack_days`."""
    start = dt.date(plan_year, 1, 1) - dt.timedelta(days=slack_days)
    end = dt.date(plan_year, 12, 31) + dt.timedelta(days=slack_days)
    return not start <= day <= end


def plan_year_remark(day: dt.date, plan_year: int) -> str | None:
    """The remark a date recorded outside the plan's year gets (update, collect, undo):
    recorded as asked, since late reports happen, but a typo such as 2012 is caught."""
    if not outside_plan_year(day, plan_year):
        return None
    return f"{chinese_date(day)} 不在计划年度（{plan_year}年）内；已照常记录，请确认日期无误。"

"""Dates typed on the command line: 2021-10-31, 2021/10/31 or 2021年10月31日."""

from __future__ import annotations

import datetime as dt
import re

from gongkai_cli.errors import InvalidValue

_DATE = re.compile(r"^(\d{4})(?:-|/|年)(\d{1,2})(?:-|/|月)(\d{1,2})日?$")


def parse_date(text: str, option: str = "日期") -> dt.date:
    value = text.strip()
    match = _DATE.match(value)
    if match and ("年" in value) == value.endswith("日") and ("年" in value) == ("月" in value):
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise InvalidValue(
        f"{option}“{text}”不是有效日期；请写成 2021-10-31、2021/10/31 或 2021年10月31日。",
        text,
    )


def parse_as_of(text: str | None, option: str = "日期") -> dt.date:
    return dt.date.today() if text is None else parse_date(text, option)


def parse_days(text: str, option: str = "期限") -> int:
    """A span such as 30d, 30, 2w or 30天, as a number of days."""
    match = re.fullmatch(r"\s*(\d+)\s*(d|天|日|w|周)?\s*", text)
    if not match:
        raise InvalidValue(f"{option}“{text}”无法识别；请写成 30d、2w 或 30天。", text)
    days = int(match.group(1))
    return days * 7 if match.group(2) in ("w", "周") else days


def chinese_date(day: dt.date) -> str:
    """2021-10-31 as 2021年10月31日, the way official documents write a date."""
    return f"{day.year}年{day.month}月{day.day}日"

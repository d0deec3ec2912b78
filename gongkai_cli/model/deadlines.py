"""Deadline phrase → Deadline: a date in the plan's year, ongoing, or pending (待定)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from gongkai_cli.errors import GongkaiError
from gongkai_cli.model.schedules import RECURRING
from gongkai_cli.model.values import Deadline

_DIGITS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_NUM = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
# Ongoing work, and recurring reports (每月10日前报送, 按季度报送): never overdue as a
# whole; a recurring one is late period by period, by its schedule (model.schedules).
_ONGOING = re.compile(r"^(持续推进|长期坚持|长期|持续|常态化|常年)(推进|开展|报送)?$")
_YEAR_END = re.compile(r"^(年底|年末|年内|全年)前?$")
_MONTH_END = re.compile(rf"^{_NUM}月(底|末|份)?前?$")
_DAY = re.compile(rf"^{_NUM}月(\d{{1,2}})日(前|之前)?$")
_TEN_DAYS = re.compile(rf"^{_NUM}月(上|中|下)旬末?前?$")  # by the 10th, the 20th, month end
_HALF = re.compile(r"^(?:(上|下)半年(底|末)?|年中)前?$")
# 6月底前完成, 年底前全面完成: the verb adds nothing to the date.
# what is to be done by then: 6月底前完成, 5月底前动工, 9月投入使用 (a 民生实事 table's way)
_DONE = re.compile(
    r"(?<=.)(全面|基本)?(完成|办结|完毕|到位|动工|开工|建成|竣工|投入使用|投用|上线|出台|印发)$"
)
_QUARTER = re.compile(r"^(?:第?([一二三四1-4])季度)(末|底)?前?$")

_DOTTED = re.compile(r"^((?:19|20|21)\d\d)[./](\d{1,2})[./](\d{1,2})(?:前|之前)?$")

# Phrases the parser understands, for the error message.
EXAMPLES = "年底前、10月底前、上半年、一季度末、第三季度、11月15日前、持续推进"


class DeadlineError(GongkaiError):
    def __init__(self, message: str, *, unknown: bool = False):
        super().__init__(message)
        self.unknown = unknown  # a phrase no rule reads (根据工作安排), not an impossible date


# A deadline the plan leaves open: kept as written, never overdue, listed until settled.
_PENDING = re.compile(r"^(待定|待确定|另行通知|另定|视情况而定)$")


def pending(text: str) -> Deadline:
    return Deadline(text, "pending", None)


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 2:  # 十一, 十二
        return 10 + _DIGITS[text[1]]
    return _DIGITS[text]


def _month_end(year: int, month: int) -> dt.date:
    # The day before the first of the next month: dateutil would cost more to import, on
    # every cold load, than this whole module takes to run.
    dt.date(year, month, 1)  # ValueError for a month such as 13
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def parse_deadline(text: str, year: int) -> Deadline:
    """Read a deadline phrase of a plan for `year`; raise DeadlineError if it is unknown."""
    phrase = "".join(text.split())
    with contextlib.suppress(ValueError):  # an ISO date written as the deadline
        return Deadline(text, "date", dt.date.fromisoformat(phrase))
    if m := _DOTTED.match(phrase):  # 2023.6.30, 2023/6/30 as Excel users type them
        try:
            return Deadline(text, "date", dt.date(*map(int, m.groups())))
        except ValueError:
            raise DeadlineError(f"时限“{text}”不是有效的日期。") from None
    explicit = re.match(r"^((?:19|20|21)\d\d)年(.+)$", phrase)
    if explicit:
        year, phrase = int(explicit.group(1)), explicit.group(2)
        if phrase[0] in "底末":  # 2022年底前
            phrase = "年" + phrase
    phrase = _DONE.sub("", phrase)

    if _ONGOING.match(phrase) or RECURRING.match(phrase):
        return Deadline(text, "ongoing", None)
    if _PENDING.match(phrase):
        return pending(text)
    try:
        if _YEAR_END.match(phrase):
            return Deadline(text, "date", dt.date(year, 12, 31))
        if m := _MONTH_END.match(phrase):
            return Deadline(text, "date", _month_end(year, _number(m.group(1))))
        if m := _DAY.match(phrase):
            return Deadline(text, "date", dt.date(year, _number(m.group(1)), int(m.group(2))))
        if m := _TEN_DAYS.match(phrase):
            month = _number(m.group(1))
            day = {"上": 10, "中": 20}.get(m.group(2)) or _month_end(year, month).day
            return Deadline(text, "date", dt.date(year, month, day))
        if m := _HALF.match(phrase):
            return Deadline(text, "date", _month_end(year, 12 if m.group(1) == "下" else 6))
        if m := _QUARTER.match(phrase):
            return Deadline(text, "date", _month_end(year, 3 * _number(m.group(1))))
    except ValueError:  # 13月底前, 2月30日前
        raise DeadlineError(f"时限“{text}”不是有效的日期。") from None
    raise DeadlineError(f"无法识别时限“{text}”；可用的写法如：{EXAMPLES}。", unknown=True)

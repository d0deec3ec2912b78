"""Recurring deadline phrase → Schedule: the periods of the plan's year and when each is due.

每月10日前报送 asks each month for a report on the month before: March's is due on 10 April.
A schedule is derived from the phrase as printed, never stored; `gongkai validate` shows
each one so that a clerk can check the reading. A phrase that says it recurs but cannot be
read as one of these stays ongoing (never overdue), with a warning.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NamedTuple

MONTHLY, QUARTERLY, WEEKLY, HALF_YEARLY, YEARLY = (
    "monthly",
    "quarterly",
    "weekly",
    "half-yearly",
    "yearly",
)
KIND_WORDS = {MONTHLY: "月", QUARTERLY: "季度", WEEKLY: "周", HALF_YEARLY: "半年", YEARLY: "年"}
_WEEKDAYS = "一二三四五六日"

# The marks of a recurring phrase: 每月, 按季度, 逐月, 每半年…
RECURRING = re.compile(
    r"^(?:(按|每|逐)(月|季度?|半年|年度?|周|日|天)|(季度|月度?|半年)(结束|终了)后)"
)
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_WITHIN = rf"(?:结束|终了)?后(?P<lag>{_NUM})(?:日|天)(?:内|以内)?"  # 季度结束后10日内
# Each kind's phrase, read from the start; what follows it says what to do (报送, 公开行政处罚
# 决定, 开展自查…), unless it says more about when (see _MORE_WHEN).
_MONTHLY = re.compile(
    rf"(?:每|按|逐)月(?:份|度)?(?:月?(?:底|末)前?|(?P<day>{_NUM})(?:日|号)(?:前|之前)?)?"
)
_QUARTERLY = re.compile(
    rf"(?:每|按|逐)?季度?(?:末|底)?(?:{_WITHIN}|(?:首月|第一个月)(?P<day>{_NUM})(?:日|号)(?:前|之前)?)?"
)
_WEEKLY = re.compile(r"(?:每|按|逐)周(?:周|星期)?(?P<day>[一二三四五六日])?(?:前|之前)?")
_HALF = re.compile(rf"(?:每|按)?半年(?:{_WITHIN})?")
_YEARLY = re.compile(r"(?:每|按)年度?(?:底|末)?前?")
# A phrase going on like this says more about when than gongkai reads (每月初, 每月上旬,
# 每月第一周, 每年12月底前, 每季度首月): it stays ongoing, with a warning.
_MORE_WHEN = re.compile(r"初|[上中下]{1,2}旬|第|首|两|个|\d|[一二三四五六七八九十]")


class Period(NamedTuple):
    """One period of a schedule: `label` as the log writes it (2021-03, 2021-Q2, 2021-W14,
    2021-H1, 2021-Y), the days it covers and the day its report is due."""

    label: str
    start: dt.date
    end: dt.date
    due: dt.date


class Schedule(NamedTuple):
    kind: str  # MONTHLY, QUARTERLY, WEEKLY, HALF_YEARLY, YEARLY
    day: int | None = None  # monthly: by this day of the next month; weekly: by this weekday
    lag: int = 0  # days after the period's end that its report may take

    def describe(self) -> str:
        """The reading in a clerk's words: 每月一期，次月10日前报送."""
        word = KIND_WORDS[self.kind]
        if self.kind == MONTHLY and self.day:
            when = f"次月{self.day}日前"
        elif self.kind == WEEKLY:
            when = f"周{_WEEKDAYS[(self.day or 7) - 1]}前"
        elif self.lag:
            when = f"{word}结束后{self.lag}日内"
        else:
            when = {MONTHLY: "月底前", YEARLY: "年底前"}.get(self.kind, f"{word}末前")
        return f"每{word}一期，{when}报送"

    def periods(self, year: int) -> tuple[Period, ...]:
        """Every period of the plan's year, in order."""
        return _periods(self, year)

    def due_after(self, end: dt.date) -> dt.date:
        """When the report on a period ending on `end` is due."""
        if self.kind == MONTHLY and self.day:
            following = end + dt.timedelta(days=1)
            last = _month_end(following.year, following.month).day
            return following.replace(day=min(self.day, last))
        if self.kind == WEEKLY and self.day:
            return end - dt.timedelta(days=7 - self.day)
        return end + dt.timedelta(days=self.lag)

    def reported(self, day: dt.date, year: int) -> str | None:
        """The period an update of `day` that names none reports on: of the periods begun
        by then, the one whose report falls due first on or after it (on 5 April, March's
        under 每月10日前, April's under 按月); a late report must name its period."""
        begun = [p for p in self.periods(year) if p.start <= day]
        waiting = [p for p in begun if p.due >= day]
        chosen = waiting[0] if waiting else begun[-1] if begun else None
        return chosen.label if chosen else None


@functools.cache
def _periods(schedule: Schedule, year: int) -> tuple[Period, ...]:
    """A schedule's periods, computed once: every query over a recurring task asks."""
    if schedule.kind == MONTHLY:
        spans = [
            (f"{year}-{m:02d}", dt.date(year, m, 1), _month_end(year, m)) for m in range(1, 13)
        ]
    elif schedule.kind == QUARTERLY:
        spans = [
            (f"{year}-Q{q}", dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
            for q in range(1, 5)
        ]
    elif schedule.kind == HALF_YEARLY:
        spans = [
            (f"{year}-H1", dt.date(year, 1, 1), dt.date(year, 6, 30)),
            (f"{year}-H2", dt.date(year, 7, 1), dt.date(year, 12, 31)),
        ]
    elif schedule.kind == YEARLY:
        spans = [(f"{year}-Y", dt.date(year, 1, 1), dt.date(year, 12, 31))]
    else:
        weeks = dt.date(year, 12, 28).isocalendar().week  # 28 December is in the last
        spans = [
            (
                f"{year}-W{w:02d}",
                dt.date.fromisocalendar(year, w, 1),
                dt.date.fromisocalendar(year, w, 7),
            )
            for w in range(1, weeks + 1)
        ]
    return tuple(Period(label, start, end, schedule.due_after(end)) for label, start, end in spans)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    digits = "一二三四五六七八九"
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + digits.index(text[1]) + 1
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.index(tens) + 1) * 10 + (digits.index(ones) + 1 if ones else 0)
    return digits.index(text) + 1


def is_recurring(text: str) -> bool:
    """Whether a deadline phrase says it recurs (每月…, 按季度…), readable or not."""
    return RECURRING.match("".join(text.split())) is not None


def parse_schedule(text: str) -> Schedule | None:
    """The schedule a recurring deadline phrase gives, or None where it cannot be read."""
    if not is_recurring(text):
        return None
    phrase = "".join(text.split())
    for kind, pattern in _PATTERNS:
        m = pattern.match(phrase)
        if m is None:
            continue
        rest = phrase[m.end() :]
        if _MORE_WHEN.match(rest):
            return None
        found = m.groupdict()
        day = _number(found["day"]) if found.get("day") else None
        lag = _number(found["lag"]) if found.get("lag") else 0
        if kind == WEEKLY:
            return Schedule(WEEKLY, _WEEKDAYS.index(found["day"]) + 1 if found["day"] else None)
        if kind == QUARTERLY and day is not None:  # 首月10日前: 10 days after the quarter
            return Schedule(QUARTERLY, lag=day)
        if kind == MONTHLY and day is not None and not 1 <= day <= 31:
            return None
        return Schedule(kind, day, lag)
    return None


_PATTERNS = (
    (MONTHLY, _MONTHLY),
    (QUARTERLY, _QUARTERLY),
    (WEEKLY, _WEEKLY),
    (HALF_YEARLY, _HALF),
    (YEARLY, _YEARLY),
)


def task_schedule(phrase: str, deadline) -> Schedule | None:
    """The schedule of a task from its deadline phrase and how that phrase was read (a
    `Deadline`): only an ongoing deadline can recur."""
    return parse_schedule(phrase) if deadline.kind == "ongoing" else None


# ----- period labels as clerks type them -----

_LABEL = re.compile(r"^(\d{4})-(?:(\d\d)|Q[1-4]|W(\d\d)|H[12]|Y)$")
_TYPED_MONTH = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})月?$")
_TYPED_QUARTER = re.compile(r"^(\d{4})[-年]?(?:Q|第)([1-4一二三四])(?:季度?)?$")
_TYPED_WEEK = re.compile(r"^(\d{4})[-年]?(?:W|第)(\d{1,2})周?$")
_TYPED_HALF = re.compile(r"^(\d{4})[-年]?(?:H([12])|(上|下)半年)$")
_TYPED_YEAR = re.compile(r"^(\d{4})(?:-Y|年度?)?$")


def period_kind(label: str) -> str | None:
    """The kind of schedule a canonical label belongs to, or None if it is not one."""
    m = _LABEL.match(label)
    if m is None:
        return None
    if m.group(2):
        return MONTHLY if 1 <= int(m.group(2)) <= 12 else None
    if m.group(3):
        return WEEKLY if 1 <= int(m.group(3)) <= 53 else None
    return {"Q": QUARTERLY, "H": HALF_YEARLY, "Y": YEARLY}[label[5]]


def normalize_period(text: str) -> str | None:
    """A period as typed (2021-03, 2021年3月, 2021Q2, 2021年第二季度, 2021-W14, 2021上半年,
    2021) as its canonical label, or None if it is not one."""
    value = "".join(text.split()).upper().replace("－", "-")
    label = None
    if period_kind(value):
        label = value
    elif m := _TYPED_MONTH.match(value):
        label = f"{m.group(1)}-{int(m.group(2)):02d}"
    elif m := _TYPED_QUARTER.match(value):
        label = f"{m.group(1)}-Q{'1234一二三四'.index(m.group(2)) % 4 + 1}"
    elif m := _TYPED_WEEK.match(value):
        label = f"{m.group(1)}-W{int(m.group(2)):02d}"
    elif m := _TYPED_HALF.match(value):
        label = f"{m.group(1)}-H{m.group(2) or ('1' if m.group(3) == '上' else '2')}"
    elif m := _TYPED_YEAR.match(value):
        label = f"{m.group(1)}-Y"
    return label if label and period_kind(label) else None


def parse_period(text: str, option: str = "期次") -> str:
    """A period as typed, as its canonical label; a clear error otherwise."""
    from gongkai_cli.errors import InvalidValue

    label = normalize_period(text)
    if label is None:
        raise InvalidValue(
            f"{option}“{text}”不是期次；请写成 2021-03（月）、2021-Q2（季度）、"
            "2021-W14（周）、2021-H1（半年）或 2021（年）。",
            text,
        )
    return label

"""The one vocabulary of states: what a unit reports for its share of a task (assignment
states), what dates make of it (逾期, 逾期完成, 临期), and what a whole task is (task states);
with the words users may type for each; and the other words every output shares: the
role words (牵头, 落实) and “X等N个单位”."""

from __future__ import annotations

from collections.abc import Iterable

from gongkai_cli.errors import InvalidValue

# Assignment states: typed by units, stored in progress.yaml.
NOT_STARTED, IN_PROGRESS, LAGGING, DONE, NOT_APPLICABLE = (
    "未开始",
    "进行中",
    "进展缓慢",
    "已完成",
    "不涉及",
)
STATUSES = (NOT_STARTED, IN_PROGRESS, LAGGING, DONE, NOT_APPLICABLE)
DONE_STATUSES = frozenset({DONE, NOT_APPLICABLE})
STATUS_ALIASES = {
    "todo": NOT_STARTED,
    "doing": IN_PROGRESS,
    "lagging": LAGGING,
    "done": DONE,
    "n/a": NOT_APPLICABLE,
    "na": NOT_APPLICABLE,
    # Words that real county ledgers use for the same states.
    "未启动": NOT_STARTED,
    "序时推进": IN_PROGRESS,
    "本单位不涉及": NOT_APPLICABLE,
}

# The office's review of a unit's 已完成 (where the ledger turns review on): a claim waits
# (待审核) until a verdict passes it (通过) or returns it (退回 → 已退回, not done).
PENDING, PASSED, RETURNED = "待审核", "通过", "已退回"
PASS, RETURN = "通过", "退回"
REVIEW_VERDICTS = (PASS, RETURN)
# The office's decision on a request to extend a deadline.
APPROVE, REFUSE = "批准", "驳回"
EXTENSION_VERDICTS = (APPROVE, REFUSE)

# Derived from dates, never typed in: the warning lights.
OVERDUE, LATE_DONE, DUE_SOON = "逾期", "逾期完成", "临期"
DERIVED = (OVERDUE, DUE_SOON, LATE_DONE)
DERIVED_ALIASES = {"overdue": OVERDUE, "late": LATE_DONE, "due": DUE_SOON, "due-soon": DUE_SOON}

# Task states: a task is closed (已办结, 办结销号) when every responsible unit is done.
TASK_CLOSED = "已办结"
TASK_STATES = (NOT_STARTED, IN_PROGRESS, TASK_CLOSED)


def task_state(statuses: Iterable[str], lights: Iterable[str | None] = ()) -> str:
    """A task's state from its units' statuses, with its light: 进行中（逾期）,
    已办结（逾期完成）, 已办结, 未开始, …"""
    statuses, lights = list(statuses), set(lights)
    if statuses and all(s in DONE_STATUSES for s in statuses):
        return TASK_CLOSED + (f"（{LATE_DONE}）" if LATE_DONE in lights else "")
    state = IN_PROGRESS if any(s != NOT_STARTED for s in statuses) else NOT_STARTED
    return state + (f"（{OVERDUE}）" if OVERDUE in lights else "")


def units_done(done: int, total: int) -> str:
    """How many of a task's units are done, in the words every output uses."""
    return f"{done}/{total} 个单位已完成"


# Roles: how a unit shares a task.
LEAD, IMPLEMENTER = "牵头", "落实"
ROLE_WORDS = {"lead": LEAD, "implementer": IMPLEMENTER}


def units_phrase(units: list[str], shown: int = 1) -> str:
    """The first `shown` units, and “等N个单位” when there are more: 县财政局等3个单位."""
    more = f"等{len(units)}个单位" if len(units) > shown else ""
    return "、".join(units[:shown]) + more


def _word(text: str) -> str:
    from gongkai_cli.model.dates import normalize

    return normalize(text)


def parse_status(text: str) -> str:
    """A status to record: one of STATUSES, typed as the word or an alias."""
    word = _word(text)
    if word in STATUSES:
        return word
    if word.lower() in STATUS_ALIASES:
        return STATUS_ALIASES[word.lower()]
    if word in DERIVED:
        raise InvalidValue(
            f"“{word}”由日期推算得出，不能手工填写；请填写 {'、'.join(STATUSES)} 之一。", text
        )
    near = nearest_status(word)
    raise InvalidValue(
        f"状态“{text}”无效；请填写 {'、'.join(STATUSES)} 之一（或 todo、doing、lagging、done、n/a）。"
        + (f"是否是指“{near}”？" if near else ""),
        text,
    )


# Words that mean a status but share too few characters with it for a spelling match.
_MEANS = {
    "办结": DONE,
    "已办结": DONE,
    "已落实": DONE,
    "落实完毕": DONE,
    "滞后": LAGGING,
    "进度滞后": LAGGING,
    "不适用": NOT_APPLICABLE,
    "无此项": NOT_APPLICABLE,
}


def nearest_status(word: str) -> str | None:
    """The status a mistyped word most likely means (完成了 → 已完成, 已办结 → 已完成), or
    None: a hint for the error message, never taken without asking."""
    import difflib

    if word in _MEANS:
        return _MEANS[word]
    candidates = [*STATUSES, *(alias for alias in STATUS_ALIASES if not alias.isascii())]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.5)
    return STATUS_ALIASES.get(close[0], close[0]) if close else None


def parse_status_filter(text: str) -> str:
    """A status to filter by: a recorded status, a derived one (逾期, 临期, 逾期完成), or a
    task state (已办结)."""
    word = _word(text)
    if word in DERIVED or word in (TASK_CLOSED, PENDING, RETURNED):
        return word
    if word.lower() in DERIVED_ALIASES:
        return DERIVED_ALIASES[word.lower()]
    try:
        return parse_status(text)
    except InvalidValue:
        raise InvalidValue(
            f"状态“{text}”无效；请填写 {'、'.join(STATUSES)}、{'、'.join(DERIVED)} 或 {TASK_CLOSED} 之一"
            "（或 todo、doing、lagging、done、n/a）。",
            text,
        ) from None

"""考评: each unit's score as of a date under the office's rules (data/scoring.yaml), with
every point traced to its rule, task, period and the log event behind it.

What is scored, and in which window (`since` … `as_of`):
- 逾期未完成 (overdue) and 到期未报 (missed-period): an assignment, or a period of a
  recurring task, still not done on `as_of` after its due date (extensions honoured);
- 逾期天数 (days-late): the days late that fall inside the window, up to `as_of` for work
  still not done and up to the day it was done for work done late;
- 逾期完成 (late-done) and 按期完成 (on-time): work done inside the window;
- 审核退回 (returned): each 退回 review dated inside the window;
- 无佐证 (no-evidence): a 已完成 reported inside the window with no evidence attached;
- 未交填报表 (missing-form): a round of forms inside the window (known from the forms
  collected for it) for which the unit, sent a form, returned none by `as_of`.
Everything is folded as of `as_of`, so a score is the same whenever it is asked for.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from gongkai_cli.ledger.datadir import as_data_dir
from gongkai_cli.model.scoring import tidy_points

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.ledger.logline import Entry
    from gongkai_cli.model.book import Book
    from gongkai_cli.model.scoring import Rule, Rules


class Fact(NamedTuple):
    """Something a rule may score: one unit's share of one task (or period), or one review."""

    unit: str
    kind: str  # one of model.scoring.KINDS but days-late
    task: int | None  # None: a round of forms
    period: str | None
    days: int  # days late inside the window (0 where it does not apply)
    event: str | None  # the id of the log event behind it; None where nothing was reported
    reason: str  # in a clerk's words: 2021-03期到期未报，逾期 21 天


class Deduction(NamedTuple):
    rule: str
    points: float  # negative for a deduction, positive for a bonus; 0 once the cap is reached
    task: int | None
    period: str | None
    event: str | None
    reason: str


class UnitScore(NamedTuple):
    unit: str
    kind: str  # the unit's kind in the registry (镇, 政府工作部门…)
    score: float
    deductions: tuple[Deduction, ...]

    @property
    def lost(self) -> float:
        return -sum(d.points for d in self.deductions if d.points < 0)

    @property
    def gained(self) -> float:
        return sum(d.points for d in self.deductions if d.points > 0)


class Scores(NamedTuple):
    as_of: dt.date
    since: dt.date | None
    rules: Rules
    units: tuple[UnitScore, ...]  # highest score first; ties in the registry's order
    plan: str = ""  # the plan's title, which the report's title begins with


def score(
    data: DataDir | str | Path | None = None,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
) -> Scores:
    """Every unit's score as of `as_of` (default today), counting what happened from
    `since` on (default: the whole plan year)."""
    from gongkai_cli.ledger.load import load_sound
    from gongkai_cli.ledger.scoring_file import read_rules
    from gongkai_cli.model.book import Book
    from gongkai_cli.model.dates import current_date

    data_dir = as_data_dir(data)
    rules = read_rules(data_dir)
    loaded = load_sound(data_dir)  # the whole log: deductions name the events behind them
    day = as_of or current_date()
    book = Book(loaded.ledger)
    events = Events(book, loaded.counting())
    facts = [
        *assignment_facts(book, events, day, since),
        *returned_facts(book, loaded, day, since),
        *form_facts(book, data_dir, day, since),
    ]
    return scores_of(book, rules, facts, day, since)


def scores_of(
    book: Book, rules: Rules, facts: list[Fact], as_of: dt.date, since: dt.date | None
) -> Scores:
    """Apply the rules to the facts, unit by unit, caps included."""
    index = book.ledger.index
    answering = {
        u for r in book.ledger.resolutions.values() for u in (*r.lead, *r.implementers)
    } | {f.unit for f in facts}
    units = [u for u in index.units.values() if u.name in answering]
    by_unit: dict[str, list[Fact]] = {}
    for fact in facts:
        by_unit.setdefault(fact.unit, []).append(fact)
    results = []
    for unit in units:
        mine = by_unit.get(unit.name, [])
        ranks = {rule.name: i for i, rule in enumerate(rules.rules)}
        deductions = sorted(
            (d for rule in rules.rules for d in _apply(rule, mine)),
            key=lambda d: (d.task is None, d.task or 0, d.period or "", ranks[d.rule]),
        )
        total = max(rules.floor, rules.base + sum(d.points for d in deductions))
        results.append(UnitScore(unit.name, unit.kind, tidy_points(total), tuple(deductions)))
    order = {u.name: i for i, u in enumerate(units)}
    results.sort(key=lambda s: (-s.score, order[s.unit]))
    return Scores(as_of, since, rules, tuple(results), book.ledger.title)


_SCORED = {
    "overdue": ("overdue",),
    "missed-period": ("missed-period",),
    "late-done": ("late-done",),
    "on-time": ("on-time",),
    "returned": ("returned",),
    "no-evidence": ("no-evidence",),
    "missing-form": ("missing-form",),
    "days-late": ("overdue", "missed-period", "late-done"),
}


def _apply(rule: Rule, facts: list[Fact]) -> Iterator[Deduction]:
    """The points one rule gives a unit for its facts, in the plan's order, up to the cap."""
    left = math.inf if rule.cap is None else rule.cap
    for fact in facts:
        if fact.kind not in _SCORED[rule.kind]:
            continue
        reason = fact.reason
        if rule.kind == "days-late":
            if fact.days <= 0:
                continue
            count = fact.days if rule.per == "day" else math.ceil(fact.days / 7)
            reason += f"；计 {fact.days} 天" + (
                f"，按周计 {count} 周" if rule.per == "week" else ""
            )
        else:
            count = 1
        points = min(abs(rule.points) * count, left)
        left -= points
        if points < abs(rule.points) * count:
            reason += "（已达该项上限）"
        signed = tidy_points(points if rule.points > 0 else -points)
        yield Deduction(rule.name, signed, fact.task, fact.period, fact.event, reason)


class Events:
    """The log's updates by assignment, to name the event behind each fact."""

    def __init__(self, book: Book, updates: list[Entry]):
        self._book = book
        self._runs: dict[tuple[int, str], list[Entry]] = {}
        canonical = book.ledger.index.canonical
        for update in sorted(updates, key=lambda u: (u.date, u.line)):
            unit = canonical(update.unit) or update.unit
            self._runs.setdefault((update.task, unit), []).append(update)

    def _run(self, task: int, unit: str, period: str | None) -> list[Entry]:
        run = self._runs.get((task, unit), [])
        return run if period is None else [u for u in run if period_of(self._book, u) == period]

    def latest(self, task: int, unit: str, period: str | None, as_of: dt.date) -> str | None:
        """The id of the latest update by `as_of`: what the unit had said of it then."""
        known = [u for u in self._run(task, unit, period) if u.date <= as_of]
        return known[-1].id if known else None

    def done_on(self, task: int, unit: str, period: str | None, day: dt.date) -> str | None:
        """The id of the update that reported it done on `day`."""
        from gongkai_cli.model.statuses import DONE_STATUSES

        found = [
            u for u in self._run(task, unit, period) if u.date == day and u.status in DONE_STATUSES
        ]
        return found[0].id if found else None


def period_of(book: Book, update: Entry) -> str | None:
    """The period an update of a recurring task reports on: the one it names, else the one
    of its date (see `Schedule.reported`); None for any other task."""
    schedule = book.schedule(update.task)
    if schedule is None:
        return None
    return update.period or schedule.reported(update.date, book.ledger.year)


def assignment_facts(
    book: Book, events: Events, as_of: dt.date, since: dt.date | None
) -> Iterator[Fact]:
    """Late, late-done and on-time work of every unit, task by task, period by period."""
    from gongkai_cli.model.book import dated_shares
    from gongkai_cli.model.statuses import DONE, LATE_DONE, OVERDUE

    for number in book.ledger.tasks:
        for period, deadline, assignments in dated_shares(book, number, as_of):
            for a in assignments:
                due = a.due(deadline)  # a period's, or the date an extension gave
                if not a.designated or due is None:
                    continue
                light = a.light(deadline, as_of)
                # Late days are those after `due`; inside the window, from `since` on.
                start = max(due, since - dt.timedelta(days=1)) if since else due
                what = f"{period}期" if period else ""
                if light == OVERDUE:
                    kind = "missed-period" if period else "overdue"
                    days = (as_of - due).days
                    yield Fact(
                        a.unit,
                        kind,
                        number,
                        period,
                        max(0, (as_of - start).days),
                        events.latest(number, a.unit, period, as_of),
                        f"{what}{'到期未报' if period else '逾期未完成'}，截止 {due.isoformat()}，"
                        f"逾期 {days} 天",
                    )
                elif a.done_on is None or (since and a.done_on < since):
                    continue
                elif a.status == DONE and a.done:  # 逾期完成 needs 已完成 too
                    yield from _evidence_fact(a, number, period, events)
                    late = light == LATE_DONE
                    reason = f"{what}{'逾期' if late else '按期'}完成，截止 {due.isoformat()}，"
                    reason += f"{a.done_on.isoformat()} 完成"
                    yield Fact(
                        a.unit,
                        "late-done" if late else "on-time",
                        number,
                        period,
                        max(0, (a.done_on - start).days) if late else 0,
                        events.done_on(number, a.unit, period, a.done_on),
                        reason + (f"，逾期 {(a.done_on - due).days} 天" if late else ""),
                    )


def _evidence_fact(a, number: int, period: str | None, events: Events) -> Iterator[Fact]:
    """A 已完成 with no evidence attached to the update that says so (a period's share
    keeps no details: only whole tasks are judged)."""
    if period is None and not a.detail.evidence:
        yield Fact(
            a.unit,
            "no-evidence",
            number,
            None,
            0,
            events.done_on(number, a.unit, None, a.done_on),
            f"{a.done_on.isoformat()} 报已完成，未附佐证材料",
        )


def returned_facts(book: Book, loaded, as_of: dt.date, since: dt.date | None) -> Iterator[Fact]:
    """Each 退回 of a unit's claim dated inside the window."""
    from gongkai_cli.ledger.logline import Review
    from gongkai_cli.model.statuses import RETURN

    claims = {u.id: u for u in loaded.counting()}
    canonical = book.ledger.index.canonical
    for event in loaded.counting_supervision():
        if not isinstance(event, Review) or event.verdict != RETURN:
            continue
        if event.date > as_of or (since and event.date < since):
            continue
        claim = claims.get(event.reviews)
        if claim is None:
            continue
        period = period_of(book, claim)
        what = f"{period}期" if period else ""
        yield Fact(
            canonical(claim.unit) or claim.unit,
            "returned",
            claim.task,
            period,
            0,
            event.id,
            f"{what}完成报告（{claim.date.isoformat()}）于 {event.date.isoformat()} 被退回"
            + (f"：{event.note}" if event.note else ""),
        )


def form_facts(
    book: Book, data_dir: DataDir, as_of: dt.date, since: dt.date | None
) -> Iterator[Fact]:
    """Each round of forms inside the window whose form a unit did not return by `as_of`.
    Rounds are known from the forms `collect` recorded (git commits); no repository, no rounds."""
    from gongkai_cli.forms.out import form_rows
    from gongkai_cli.forms.rounds import find_collected
    from gongkai_cli.record.git import GitMissing, find_repo

    try:
        repo = find_repo(data_dir.path)
    except GitMissing:
        return
    if repo is None:
        return
    canonical = book.ledger.index.canonical
    known = [c for c in find_collected(repo) if c.date <= as_of]
    returned = {(c.round, canonical(c.unit) or c.unit) for c in known}
    for round_ in sorted({c.round for c in known if since is None or c.round >= since}):
        for unit in book.ledger.index.units:
            if (round_, unit) not in returned and form_rows(book, unit, round_):
                yield Fact(
                    unit,
                    "missing-form",
                    None,
                    None,
                    0,
                    None,
                    f"{round_.isoformat()} 一轮的填报表未交回",
                )

"""The supervision cycle folded: the office's reviews of claims, extensions of deadlines, and
what updates say beyond their notes, as of any date.

The log keeps every step as an event (see DESIGN, "The supervision cycle as events"); this
is what the queries keep of them once retractions are applied: small (a ledger has far fewer
reviews and extensions than updates) and plain, so that the cache stores it as JSON.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from gongkai_cli.model.statuses import APPROVE, DONE, PASS, PASSED, PENDING, RETURNED
from gongkai_cli.model.values import Decision, Detail, Extension, Review


class Verdict(NamedTuple):
    """One review of a claim, as the fold needs it."""

    date: dt.date
    line: int
    verdict: str  # 通过 | 退回
    note: str | None


class Granted(NamedTuple):
    """One decision on an extension request of an assignment, with what it grants."""

    date: dt.date  # of the decision
    line: int
    approved: bool
    extend_to: dt.date  # the date granted (the decision's, else the one asked)
    asked_on: dt.date  # the request's date: a decision counts only once both are known


class Supervision:
    """The ledger's settings and its supervision events, indexed for the fold."""

    __slots__ = ("asked", "decisions", "details", "evidence_required", "review", "reviews")

    def __init__(
        self,
        review: bool = False,
        evidence_required: bool = False,
        details: dict[int, Detail] | None = None,
        reviews: dict[int, list[Verdict]] | None = None,
        decisions: dict[tuple[int, str], list[Granted]] | None = None,
        asked: set[tuple[int, str, dt.date]] | None = None,
    ):
        self.review = review
        self.evidence_required = evidence_required
        self.details = details or {}  # an update's line → what it says beyond its note
        self.reviews = reviews or {}  # a reviewed update's line → its reviews, in file order
        self.decisions = decisions or {}  # (task, canonical unit) → decisions on its requests
        self.asked = asked or set()  # (task, canonical unit, date asked for) of every request

    @property
    def used(self) -> bool:
        """Whether the ledger uses any of it: only then do outputs carry its fields, so a
        ledger that does not reads exactly as before."""
        return bool(
            self.review
            or self.evidence_required
            or self.details
            or self.reviews
            or self.decisions
            or self.asked
        )

    def review_of(
        self, line: int | None, status: str, as_of: dt.date
    ) -> tuple[str | None, str | None]:
        """(待审核 / 通过 / 已退回 or None, the reason given) for the claim on `line`: the
        latest verdict on it given by `as_of`; a 已完成 with none waits."""
        if not self.review or status != DONE or line is None:
            return None, None
        given = [v for v in self.reviews.get(line, ()) if v.date <= as_of]
        if not given:
            return PENDING, None
        last = max(given, key=lambda v: (v.date, v.line))
        return (PASSED if last.verdict == PASS else RETURNED), last.note

    def extended_to(self, task: int, unit: str, as_of: dt.date) -> dt.date | None:
        """The deadline the latest approval known by `as_of` gave the assignment, or None.
        A refusal leaves an earlier approval standing; a later approval replaces it."""
        known = [g for g in self.decisions.get((task, unit), ()) if g.date <= as_of]
        approved = [g for g in known if g.approved and g.asked_on <= as_of]
        if not approved:
            return None
        return max(approved, key=lambda g: (g.date, g.line)).extend_to

    def detail(self, line: int | None) -> Detail:
        return self.details.get(line, _NO_DETAIL) if line is not None else _NO_DETAIL

    # ----- as plain data, for the cache -----

    def to_json(self) -> dict[str, Any]:
        return {
            "review": self.review,
            "evidence_required": self.evidence_required,
            "details": [[line, *d[:2], list(d.evidence)] for line, d in self.details.items()],
            "reviews": [
                [line, [[v.date.isoformat(), *v[1:]] for v in verdicts]]
                for line, verdicts in self.reviews.items()
            ],
            "decisions": [
                [
                    task,
                    unit,
                    [
                        [
                            g.date.isoformat(),
                            g.line,
                            g.approved,
                            g.extend_to.isoformat(),
                            g.asked_on.isoformat(),
                        ]
                        for g in granted
                    ],
                ]
                for (task, unit), granted in self.decisions.items()
            ],
            "asked": [[task, unit, day.isoformat()] for task, unit, day in sorted(self.asked)],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Supervision:
        day = dt.date.fromisoformat
        return cls(
            data["review"],
            data["evidence_required"],
            {line: Detail(p, n, tuple(e)) for line, p, n, e in data["details"]},
            {
                line: [Verdict(day(d), ln, v, note) for d, ln, v, note in verdicts]
                for line, verdicts in data["reviews"]
            },
            {
                (task, unit): [
                    Granted(day(d), ln, approved, day(to), day(asked))
                    for d, ln, approved, to, asked in granted
                ]
                for task, unit, granted in data["decisions"]
            },
            {(task, unit, day(to)) for task, unit, to in data["asked"]},
        )


_NO_DETAIL = Detail()

# A kept evidence file: evidence/<64 hex digits of its SHA-256>, with the suffix it had.
FILE_REF = re.compile(r"evidence/([0-9a-f]{64})((?:\.[0-9A-Za-z]{1,10})?)")


def event_subject(event) -> str:
    """How a review, an extension request or a decision is named in a commit subject."""
    if hasattr(event, "reviews"):
        return f"审核 {event.reviews} → {event.verdict}"
    if hasattr(event, "decides"):
        return f"延期{event.verdict} {event.decides}"
    return f"延期申请: 任务{event.task} {event.unit} → {event.extend_to.isoformat()}"


def fold_supervision(plan, updates, events, details, canonical) -> Supervision:
    """The supervision of a ledger: `updates` and `events` (reviews, requests, decisions)
    are those that count (retracted ones left out), `details` each update's by line (a
    retracted update's are never reached: the history never gives its line)."""
    line_of = {u.id: u.line for u in updates} if events else {}
    reviews: dict[int, list[Verdict]] = {}
    requests: dict[str, Extension] = {e.id: e for e in events if isinstance(e, Extension)}
    decisions: dict[tuple[int, str], list[Granted]] = {}
    for event in events:
        if isinstance(event, Review) and (line := line_of.get(event.reviews)) is not None:
            reviews.setdefault(line, []).append(
                Verdict(event.date, event.line, event.verdict, event.note)
            )
        elif isinstance(event, Decision) and (asked := requests.get(event.decides)) is not None:
            unit = canonical(asked.unit) or asked.unit
            decisions.setdefault((asked.task, unit), []).append(
                Granted(
                    event.date,
                    event.line,
                    event.verdict == APPROVE,
                    event.extend_to or asked.extend_to,
                    asked.date,
                )
            )
    asked = {(e.task, canonical(e.unit) or e.unit, e.extend_to) for e in requests.values()}
    return Supervision(
        bool(plan and plan.review),
        bool(plan and plan.evidence == "required"),
        dict(details),
        reviews,
        decisions,
        asked,
    )

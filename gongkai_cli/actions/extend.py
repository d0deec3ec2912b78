"""Extensions: a unit asks for a later deadline with its reason (延期申请); the office
approves a date (批准) or refuses (驳回). An approval moves that assignment's due date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gongkai_cli.errors import GongkaiError, InvalidValue
from gongkai_cli.ledger.datadir import DataDir, as_data_dir, writable
from gongkai_cli.model.dates import current_date
from gongkai_cli.model.statuses import APPROVE, EXTENSION_VERDICTS, REFUSE
from gongkai_cli.record.recording import Appended, append_events, check_long_text

WAITING, APPROVED, REFUSED = "待审批", "已批准", "已驳回"


@dataclass(frozen=True, slots=True)
class Request:
    """An extension request with its state as of a date."""

    id: str
    task: int
    unit: str  # canonical
    date: dt.date
    extend_to: dt.date  # the date asked for
    note: str | None
    by: str | None
    deadline: dt.date  # the plan's
    late: bool  # asked after the deadline had passed
    state: str  # 待审批 | 已批准 | 已驳回
    decided_on: dt.date | None = None
    granted_to: dt.date | None = None
    decision_note: str | None = None
    decision_id: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The contract of `extend --list --format json`."""
        iso = lambda day: day.isoformat() if day else None  # noqa: E731
        return {
            "id": self.id,
            "task": self.task,
            "unit": self.unit,
            "date": self.date.isoformat(),
            "extend_to": self.extend_to.isoformat(),
            "note": self.note,
            "by": self.by,
            "deadline": self.deadline.isoformat(),
            "late": self.late,
            "state": self.state,
            "decided_on": iso(self.decided_on),
            "granted_to": iso(self.granted_to),
            "decision_note": self.decision_note,
        }


@dataclass(frozen=True, slots=True)
class Recorded:
    request: Request
    appended: Appended


VERDICT_WORDS = {"approve": APPROVE, "批准": APPROVE, "refuse": REFUSE, "驳回": REFUSE}


def is_verdict(text: str) -> bool:
    """Whether `extend`'s first word decides a request (批准, 驳回) rather than names a task."""
    return text.strip().lower() in VERDICT_WORDS


def parse_verdict(text: str) -> str:
    word = text.strip().lower()
    if word not in VERDICT_WORDS:
        raise InvalidValue(f"审批结论“{text}”无效；请写 {' 或 '.join(EXTENSION_VERDICTS)}。", text)
    return VERDICT_WORDS[word]


def extension_requests(
    data: DataDir | str | Path | None = None,
    *,
    task: int | None = None,
    unit: str | None = None,
    as_of: dt.date | None = None,
) -> list[Request]:
    """Every extension request (of a task, of a unit) with its state as of a date, oldest first."""
    from gongkai_cli.ledger.load import load_sound

    return _requests(load_sound(as_data_dir(data)), as_of or current_date(), task, unit)


def _requests(loaded, as_of: dt.date, task: int | None = None, unit: str | None = None):
    from gongkai_cli.ledger.logline import Decision, Extension
    from gongkai_cli.model.book import Book

    book = Book(loaded.ledger)
    wanted = book.unit(unit) if unit else None
    events = loaded.counting_supervision()
    decisions: dict[str, list[Decision]] = {}
    for event in events:
        if isinstance(event, Decision) and event.date <= as_of:
            decisions.setdefault(event.decides, []).append(event)
    found = []
    for event in events:
        if not isinstance(event, Extension) or event.date > as_of:
            continue
        name = book.ledger.index.canonical(event.unit) or event.unit
        if (task is not None and event.task != task) or (wanted and name != wanted):
            continue
        deadline = book.deadline(event.task).date
        request = Request(
            event.id,
            event.task,
            name,
            event.date,
            event.extend_to,
            event.note,
            event.by,
            deadline,
            deadline is not None and event.date > deadline,
            WAITING,
        )
        if event.id in decisions:
            last = max(decisions[event.id], key=lambda d: (d.date, d.line))
            approved = last.verdict == APPROVE
            request = _with_decision(request, last, approved)
        found.append(request)
    return sorted(found, key=lambda r: (r.date, r.task, r.id))


def _with_decision(request: Request, decision, approved: bool) -> Request:
    from dataclasses import replace

    return replace(
        request,
        state=APPROVED if approved else REFUSED,
        decided_on=decision.date,
        granted_to=(decision.extend_to or request.extend_to) if approved else None,
        decision_note=decision.note,
        decision_id=decision.id,
    )


def _check_day(day: dt.date, what: str) -> None:
    if day > current_date():
        raise InvalidValue(
            f"--date {day.isoformat()} 晚于今天，只能记录已经提出的{what}；未写入。",
            day.isoformat(),
        )


def request_extension(
    data: DataDir | str | Path | None,
    task: int,
    unit: str,
    extend_to: dt.date,
    *,
    note: str | None,
    date: dt.date | None = None,
    by: str | None = None,
    commit: bool = True,
) -> Recorded:
    """Record a unit's request to move its deadline for `task` to `extend_to`, with the
    reason (`note`). A request made after the deadline is recorded, and flagged as late."""
    from gongkai_cli.ledger.logline import event_line

    day = date or current_date()
    if not (note and note.strip()):
        raise InvalidValue("延期申请须写明理由（--note）；未写入。", "")
    check_long_text("延期理由", note)
    _check_day(day, "延期申请")

    def build(loaded, who, fresh):
        from gongkai_cli.model.book import Book
        from gongkai_cli.record.recording import expand_units

        book = Book(loaded.ledger)
        book.task(task)
        deadline = book.deadline(task)
        if deadline.date is None:
            raise GongkaiError(
                f"任务 {task} 的时限是“{deadline.text}”，没有确定的日期，无需延期；未写入。"
            )
        (name,), _ = expand_units(book, task, (unit,))
        if extend_to <= deadline.date:
            raise InvalidValue(
                f"申请延期至 {extend_to.isoformat()} 不晚于原时限 {deadline.date.isoformat()}；未写入。",
                extend_to.isoformat(),
            )
        uid = fresh()
        line = event_line(
            uid,
            day,
            ("task", task),
            ("unit", name),
            ("extend_to", extend_to),
            ("note", note),
            ("by", who),
        )
        late = day > deadline.date
        request = Request(uid, task, name, day, extend_to, note, who, deadline.date, late, WAITING)
        trailers = [
            f"Task: {task}",
            f"Unit: {name}",
            f"Extend-To: {extend_to.isoformat()}",
            f"Date: {day.isoformat()}",
            *([f"By: {who}"] if who else []),
        ]
        subject = f"延期申请: 任务{task} {name} → {extend_to.isoformat()}" + (
            "（逾期后申请）" if late else ""
        )
        return [line], f"{subject}\n\n{note}\n\n" + "\n".join(trailers) + "\n", request

    appended, request = append_events(writable(as_data_dir(data)), build, by=by, commit=commit)
    return Recorded(request, appended)


def decide_extension(
    data: DataDir | str | Path | None,
    verdict: str,
    request_id: str,
    *,
    extend_to: dt.date | None = None,
    note: str | None = None,
    date: dt.date | None = None,
    by: str | None = None,
    commit: bool = True,
) -> Recorded:
    """Approve a request (with the date asked, or `extend_to`) or refuse it."""
    from gongkai_cli.ledger.logline import event_line

    verdict = parse_verdict(verdict)
    day = date or current_date()
    check_long_text("审批意见", note)
    _check_day(day, "审批")
    if verdict == REFUSE and extend_to is not None:
        raise InvalidValue("驳回的申请不延期，不能同时给出 --to；未写入。", extend_to.isoformat())

    def build(loaded, who, fresh):
        known = {r.id: r for r in _requests(loaded, dt.date.max)}
        request = known.get(request_id)
        if request is None:
            raise InvalidValue(
                f"没有编号为 {request_id} 的延期申请（见 gongkai extend --list）；未写入。",
                request_id,
            )
        if request.date > day:
            raise InvalidValue(
                f"申请 {request_id} 提出于 {request.date.isoformat()}，晚于审批日期 {day.isoformat()}；未写入。",
                request_id,
            )
        if extend_to is not None and extend_to <= request.deadline:
            raise InvalidValue(
                f"延期至 {extend_to.isoformat()} 不晚于原时限 {request.deadline.isoformat()}；未写入。",
                extend_to.isoformat(),
            )
        uid = fresh()
        line = event_line(
            uid,
            day,
            ("decides", request_id),
            ("verdict", verdict),
            ("extend_to", extend_to),
            ("note", note),
            ("by", who),
        )
        granted = extend_to or request.extend_to
        decided = _with_decision(
            request,
            _Decision(uid, day, extend_to, note),
            verdict == APPROVE,
        )
        to = f" → {granted.isoformat()}" if verdict == APPROVE else ""
        subject = f"延期{verdict}: 任务{request.task} {request.unit}{to}"
        trailers = [
            f"Decides: {request_id}",
            f"Verdict: {verdict}",
            *([f"Extend-To: {granted.isoformat()}"] if verdict == APPROVE else []),
            f"Date: {day.isoformat()}",
            *([f"By: {who}"] if who else []),
        ]
        body = f"{note}\n\n" if note else ""
        return [line], f"{subject}\n\n{body}" + "\n".join(trailers) + "\n", decided

    appended, request = append_events(writable(as_data_dir(data)), build, by=by, commit=commit)
    return Recorded(request, appended)


@dataclass(frozen=True, slots=True)
class _Decision:
    id: str
    date: dt.date
    extend_to: dt.date | None
    note: str | None

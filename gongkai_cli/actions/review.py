"""Review: the office checks the units' 已完成 claims and passes them (通过) or returns them
(退回) with a reason. Each decision is one event per claim, all of one command in one commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gongkai_cli.errors import GongkaiError, InvalidValue
from gongkai_cli.ledger.datadir import DataDir, as_data_dir, writable
from gongkai_cli.model.dates import current_date
from gongkai_cli.model.statuses import DONE, PASS, PENDING, RETURN, REVIEW_VERDICTS, units_phrase
from gongkai_cli.model.values import Detail
from gongkai_cli.record.recording import Appended, append_events, check_long_text


@dataclass(frozen=True, slots=True)
class Claim:
    """A unit's 已完成, as the office reviews it."""

    id: str
    task: int
    unit: str  # canonical
    date: dt.date
    status: str
    note: str | None
    evidence: tuple[str, ...]
    problems: str | None
    next: str | None
    by: str | None

    def as_dict(self) -> dict[str, object]:
        """The contract of `review --format json`."""
        return {
            "id": self.id,
            "task": self.task,
            "unit": self.unit,
            "date": self.date.isoformat(),
            "status": self.status,
            "note": self.note,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class Reviewed:
    verdict: str
    claims: list[Claim]
    appended: Appended


def parse_verdict(text: str) -> str:
    word = text.strip().lower()
    aliases = {"pass": PASS, "通过": PASS, "return": RETURN, "退回": RETURN}
    if word not in aliases:
        raise InvalidValue(f"审核结论“{text}”无效；请写 {' 或 '.join(REVIEW_VERDICTS)}。", text)
    return aliases[word]


def _loaded(data_dir: DataDir):
    from gongkai_cli.ledger.load import load_sound

    loaded = load_sound(data_dir)
    supervision = loaded.ledger.supervision
    if supervision is None or not supervision.review:
        raise GongkaiError(
            "本台账没有开启审核：如需审核各单位的“已完成”，请在 tasks.yaml 开头（title、year 旁）加上 review: true。"
        )
    return loaded


def _claims(loaded, as_of: dt.date, task: int | None, unit: str | None) -> list[Claim]:
    """The claims waiting for review on `as_of`, oldest first."""
    from gongkai_cli.model.book import Book

    book = Book(loaded.ledger)
    if task is not None:
        book.task(task)
    wanted = book.unit(unit) if unit else None
    by_line = {u.line: u for u in loaded.counting()}
    details = loaded.details
    claims = []
    for number in book.ledger.tasks if task is None else (task,):
        for a in book.assignments(number, as_of):
            if wanted and a.unit != wanted:
                continue
            for line in _waiting_lines(book, number, a, as_of):
                claims.append(_claim(by_line[line], a.unit, details))
    return sorted(claims, key=lambda c: (c.date, c.task, c.id))


def _waiting_lines(book, number: int, assignment, as_of: dt.date) -> list[int]:
    """The lines of the unit's claims on the task still waiting for a verdict: its latest
    update's, or for a recurring task the claim that gives each period its status, since
    March's report stays to be reviewed when April's has come in."""
    schedule = book.schedule(number)
    if schedule is None:
        if assignment.review != PENDING:
            return []
        return [book.history.latest_line(number, assignment.unit, as_of)]
    year, supervision = book.ledger.year, book.ledger.supervision
    states = book.history.period_states(
        number, assignment.unit, as_of, lambda day: schedule.reported(day, year)
    )
    return [
        line
        for status, *_, line in states.values()
        if supervision.review_of(line, status, as_of)[0] == PENDING
    ]


def claims_to_review(
    data: DataDir | str | Path | None = None,
    *,
    task: int | None = None,
    unit: str | None = None,
    as_of: dt.date | None = None,
) -> list[Claim]:
    """The claims waiting for the office's review, oldest first (of a task or a unit)."""
    return _claims(_loaded(as_data_dir(data)), as_of or current_date(), task, unit)


def review(
    data: DataDir | str | Path | None,
    verdict: str,
    ids: tuple[str, ...] = (),
    *,
    task: int | None = None,
    unit: str | None = None,
    note: str | None = None,
    date: dt.date | None = None,
    by: str | None = None,
    commit: bool = True,
) -> Reviewed:
    """Pass or return claims: those named by id, else every claim waiting of `task` and/or
    `unit`. A return needs its reason (`note`)."""
    verdict = parse_verdict(verdict)
    day = date or current_date()
    if verdict == RETURN and not (note and note.strip()):
        raise InvalidValue("退回须写明理由（--note），单位据此补办；未写入。", "")
    check_long_text("审核意见", note)
    if day > current_date():
        raise InvalidValue(
            f"--date {day.isoformat()} 晚于今天，只能记录已经作出的审核；未写入。", day.isoformat()
        )
    if not ids and task is None and unit is None:
        raise InvalidValue(
            "请给出要审核的进展编号（见 gongkai review），或用 --unit、--task 选定一批；未写入。",
            "",
        )

    def build(loaded, who, fresh):
        claims = _named(loaded, ids, day) if ids else _claims(loaded, day, task, unit)
        if not claims:
            raise GongkaiError("所选范围内没有待审核的进展；未写入。")
        for claim in claims:
            if claim.date > day:
                raise InvalidValue(
                    f"编号 {claim.id} 的进展记于 {claim.date.isoformat()}，晚于审核日期 {day.isoformat()}；未写入。",
                    claim.id,
                )
        from gongkai_cli.ledger.logline import event_line

        lines = [
            event_line(
                fresh(), day, ("reviews", c.id), ("verdict", verdict), ("note", note), ("by", who)
            )
            for c in claims
        ]
        units = list(dict.fromkeys(c.unit for c in claims))
        tasks = "、".join(dict.fromkeys(str(c.task) for c in claims))
        body = f"{note}\n\n" if note else ""
        trailers = [
            *(f"Reviews: {c.id}" for c in claims),
            f"Verdict: {verdict}",
            f"Date: {day.isoformat()}",
            *([f"By: {who}"] if who else []),
        ]
        subject = f"审核: 任务{tasks} {units_phrase(units)} → {verdict}"
        return lines, f"{subject}\n\n{body}" + "\n".join(trailers) + "\n", claims

    appended, claims = append_events(writable(as_data_dir(data)), build, by=by, commit=commit)
    return Reviewed(verdict, claims, appended)


def _named(loaded, ids: tuple[str, ...], day: dt.date) -> list[Claim]:
    """The claims named by id: each a 已完成 of the log that still counts."""
    retracted = loaded.retracted()
    by_id = {u.id: u for u in loaded.updates}
    canonical = loaded.ledger.index.canonical
    claims = []
    for uid in dict.fromkeys(ids):
        update = by_id.get(uid)
        if update is None:
            raise InvalidValue(
                f"没有编号为 {uid} 的进展记录（待审核的见 gongkai review）；未写入。", uid
            )
        if uid in retracted:
            raise InvalidValue(f"编号 {uid} 的进展已撤销，无需审核；未写入。", uid)
        if update.status != DONE:
            raise InvalidValue(
                f"编号 {uid} 的进展状态是{update.status}，只有{DONE}需要审核；未写入。", uid
            )
        claims.append(_claim(update, canonical(update.unit) or update.unit, loaded.details))
    return claims


def _claim(update, unit: str, details) -> Claim:
    detail = details.get(update.line) or Detail()
    return Claim(
        update.id,
        update.task,
        unit,
        update.date,
        update.status,
        update.note,
        detail.evidence,
        detail.problems,
        detail.next,
        update.by,
    )

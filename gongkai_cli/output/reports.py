"""The published reports as plain models: the 进展情况 table, the overdue bulletin,
a unit's checklist and the statistics. Each is built once and rendered by every format."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gongkai_cli.model.book import Book, Late, Row, by_unit, dated_shares, overdue, unassigned
from gongkai_cli.model.dates import chinese_date
from gongkai_cli.model.fold import Assignment
from gongkai_cli.model.statuses import (
    LATE_DONE,
    OVERDUE,
    PENDING,
    RETURNED,
    ROLE_WORDS,
    task_state,
    units_done,
    units_phrase,
)
from gongkai_cli.model.values import Deadline
from gongkai_cli.output.supervised import (
    DEADLINE_COLUMN,
    DETAIL_COLUMNS,
    deadline_cell,
    detail_cells,
    detail_json,
    review_parts,
)
from gongkai_cli.output.view import Cell, Column, text_rows
from gongkai_cli.output.views import (
    DATE,
    NOTE,
    ROLE,
    STATUS,
    UNIT,
    deadline_text,
    late_json,
    late_numbers,
    supervision_json,
    unspecified_text,
)

# ----- a document: headings, paragraphs and tables, the shape every renderer knows -----


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A bar chart drawn from a table: one bar per row, labelled by one column."""

    title: str
    label: int  # the column that names each bar
    value: int  # the column that gives its length
    skip_last: bool = False  # a 合计 row is no bar


@dataclass(frozen=True, slots=True)
class Table:
    columns: list[Column]
    rows: list[list[Cell]]
    name: str = ""  # the sheet name in a workbook; tables with one name share a sheet
    # The heading this table sits under. Flat formats (a sheet, CSV) cannot show headings,
    # so they carry it in the first column of each row instead.
    group: str = ""
    merge: bool = False  # the first column spans its runs of equal cells, as in the plan
    landscape: bool = False  # too wide for a portrait page
    chart: Chart | None = None

    def text_rows(self) -> list[list[str]]:
        return text_rows(self.columns, self.rows)


@dataclass
class Document:
    title: str  # without the date, which every format writes its own way
    as_of: dt.date
    blocks: list[Heading | Paragraph | Table] = field(default_factory=list)
    payload: object = None  # the JSON form
    flat: Table | None = None  # the one table of a CSV file; the first table if None
    issuer: str = ""  # who signs the document (docx, md): 县政务公开办
    # Names no line may break inside (units, aliases, groups): see cjk.unbreakable.
    keep: tuple[str, ...] = ()
    # Where a title too long for one line breaks: after the plan's name (濉溪县2021年政务
    # 公开重点工作任务 / 完成情况统计（按单位）), never inside a word.
    title_break: int = 0
    provenance: object = None  # output.provenance.Provenance: written into Word and Excel files

    @property
    def full_title(self) -> str:
        return f"{self.title}（截至 {chinese_date(self.as_of)}）"

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def flat_table(self) -> Table | None:
        return self.flat or next(iter(self.tables()), None)


def new_document(book: Book, kind: str, as_of: dt.date, subject: str | None = None) -> Document:
    """A report of this ledger titled `subject` (the plan's name by default) then `kind`,
    knowing its unit names so that no renderer breaks one."""
    subject = report_title(book.ledger.title) if subject is None else subject
    return Document(f"{subject}{kind}", as_of, keep=names_of(book), title_break=len(subject))


def names_of(book: Book) -> tuple[str, ...]:
    """Every name of a unit (and its aliases) and of a group: no line breaks inside one."""
    index = book.ledger.index
    aliases = (a for unit in index.units.values() for a in unit.aliases)
    return (*index.units, *aliases, *index.groups)


_NUMERALS = "一二三四五六七八九十"


def numbered(texts: list[str]) -> list[Heading]:
    """Headings numbered as official documents number them: 一、二、三、…"""
    return [Heading(f"{_NUMERALS[i]}、{text}") for i, text in enumerate(texts)]


def unspecified_line(tasks: dict[int, list[str]]) -> Paragraph | None:
    """Groups nobody was designated for are no units: they are named on a line of their own,
    never ranked or counted."""
    text = unspecified_text(tasks)
    return Paragraph(text) if text else None


# ----- 进展情况: the monthly five-column table -----

PROGRESS_COLUMNS = [
    Column("工作任务"),
    Column("具体要求", long=True),
    Column("责任单位", long=True),
    Column("时限要求", no_wrap=True),
    Column("进展情况", long=True),
]
APPENDIX_COLUMNS = [
    Column("编号", no_wrap=True, kind="number"),
    UNIT,
    ROLE,
    STATUS,
    DATE,
    Column("进展情况", long=True),
]
# Characters of notes one 进展情况 cell holds; past it the cell names how many units'
# notes it leaves to the appendix, which holds them all.
NOTES_LIMIT = 240


def unit_notes(row: Row) -> list[tuple[list[str], str]]:
    """Every unit's latest note, lead units first; units that sent the same note share it."""
    same: dict[str, list[str]] = {}
    for a in sorted(row.assignments, key=lambda a: a.role != "lead"):
        if a.note and a.note.strip():
            same.setdefault(a.note.strip(), []).append(a.unit)
    return [(units, note) for note, units in same.items()]


def notes_text(notes: list[tuple[list[str], str]], limit: int | None) -> tuple[str, bool]:
    """“县财政局：…；濉溪镇：…”, and whether some units' notes were left out for the limit.
    A note is never cut in the middle: it is shown whole or left to the appendix."""
    parts: list[str] = []
    used = 0
    for i, (units, note) in enumerate(notes):
        part = f"{'、'.join(units)}：{note.rstrip('。；;')}"
        if parts and limit is not None and used + len(part) > limit:
            rest = [u for units_left, _ in notes[i:] for u in units_left]
            parts.append(f"{units_phrase(rest)}（详见附表）")
            return "；".join(parts), True
        parts.append(part)
        used += len(part)
    return "；".join(parts), False


def progress_text(row: Row, as_of: dt.date, limit: int | None = None) -> tuple[str, bool]:
    """One task's progress: done out of how many, who is late, then every unit's latest note.
    Returns the text and whether notes were left to the appendix."""
    total, done = len(row.assignments), sum(a.done for a in row.assignments)
    lights = [a.light(row.deadline, as_of) for a in row.assignments]
    parts = []
    if row.schedule is not None and row.periods:
        # A recurring task: its latest period's count, and every unit late in any period.
        latest = row.periods[-1].assignments
        parts.append(
            f"{row.periods[-1].period.label}期 "
            + units_done(sum(a.done for a in latest), len(latest))
        )
        late = [a.unit for a in row.assignments if _late_in_a_period(row, a.unit, as_of)]
        if late:
            parts.append(f"逾期未完成：{units_phrase(late, shown=6)}")
    elif row.done:
        parts.append(task_state((a.state for a in row.assignments), lights))
    else:
        parts.append(units_done(done, total))
        late = [
            a.unit + ("（未指定）" if not a.designated else "")
            for a, light in zip(row.assignments, lights, strict=True)
            if light == OVERDUE
        ]
        if late:
            parts.append(f"逾期未完成：{units_phrase(late, shown=6)}")
    if done == 0 and not any(a.updated for a in row.assignments):
        parts[0] = "尚无进展记录"
    parts += review_parts(row)
    notes, cut = notes_text(unit_notes(row), limit)
    if notes:
        parts.append(notes)
    return "；".join(parts) + "。", cut


# A progress report is about the plan, not about its draft: 征求意见稿 and the like belong to
# the document, and 分工 (the division of tasks) to the plan itself.
_DRAFT = re.compile(
    r"[（(](征求意见稿|送审稿|讨论稿|草案|试行)[）)]\s*$|(征求意见稿|送审稿|讨论稿|草案)\s*$"
)


def report_title(plan_title: str) -> str:
    """The plan's title as a report names it: 濉溪县2021年政务公开重点工作任务分工（征求意见稿）
    → 濉溪县2021年政务公开重点工作任务."""
    title = _DRAFT.sub("", plan_title.strip()).strip()
    return title.removesuffix("分工").removesuffix("安排")


def progress_report(book: Book, as_of: dt.date) -> Document:
    ledger = book.ledger
    doc = new_document(book, "进展情况", as_of)
    payload, flat, appendix = [], [], []
    section = None
    table: Table | None = None
    # Where the office keeps problems, next steps and evidence, the table carries them as
    # published progress reports do, beside 进展情况.
    supervised = book.supervised
    columns = (
        [*PROGRESS_COLUMNS[:3], DEADLINE_COLUMN, PROGRESS_COLUMNS[4], *DETAIL_COLUMNS]
        if supervised
        else PROGRESS_COLUMNS
    )
    for number, task in ledger.tasks.items():
        if task.section != section:
            section = task.section
            table = Table(columns, [], name="进展情况", group=section, merge=True, landscape=True)
            doc.blocks += [Heading(section), table]
        row = Row(book, number, as_of)
        text, cut = progress_text(row, as_of, NOTES_LIMIT)
        full, _ = progress_text(row, as_of)
        # a plan without 小项 repeats the 大项 as its subsection; the heading already says it
        subsection = "" if task.subsection == task.section else task.subsection
        cells = [subsection, f"{number}．{task.requirement}", task.phrase]
        deadline = deadline_cell(row) if supervised else task.deadline
        details = detail_cells(row) if supervised else []
        table.rows.append([*cells, deadline, text, *details])
        work = f"{section}\n{subsection}" if subsection else section  # no 大项 said twice
        flat.append([work, *cells[1:], deadline, full, *details])
        if cut:
            appendix += [
                [
                    number,
                    a.unit,
                    ROLE_WORDS[a.role],
                    a.state,
                    a.updated.isoformat() if a.updated else "",
                    a.note.strip(),
                ]
                for a in sorted(row.assignments, key=lambda a: a.role != "lead")
                if a.note and a.note.strip()
            ]
        payload.append(
            {
                "number": number,
                "section": task.section,
                "subsection": task.subsection,
                "done": row.done,
                "progress": full,
                **(detail_json(row) if supervised else {}),
            }
        )
    if appendix:
        doc.blocks += [
            Heading("附表：各单位进展情况"),
            Table(APPENDIX_COLUMNS, appendix, name="附表", landscape=True),
        ]
    doc.flat = Table(columns, flat, name="进展情况")
    doc.payload = {"title": doc.full_title, "as_of": as_of.isoformat(), "tasks": payload}
    return doc


# ----- 逾期通报 -----

LATE_COLUMNS = [
    Column("编号", no_wrap=True, kind="number"),
    Column("具体要求", long=True),
    Column("时限要求", no_wrap=True),
    Column("逾期天数", no_wrap=True, kind="number"),
    Column("逾期单位", long=True),
]
RANKING_COLUMNS = [
    Column("排名", no_wrap=True, kind="number"),
    UNIT,
    Column("逾期任务数", no_wrap=True, kind="number"),
    Column("任务编号（逾期天数）", long=True),
]


def overdue_bulletin(book: Book, as_of: dt.date) -> Document:
    items = overdue(book, as_of)
    ranking = by_unit(items)
    doc = new_document(book, "逾期情况通报", as_of)
    if not items:
        doc.blocks.append(Paragraph(f"截至 {chinese_date(as_of)}，没有逾期未完成的任务。"))
    else:
        tasks = len({i.number for i in items})  # a recurring task may be late in several periods
        periods = sum(i.period is not None for i in items)
        of_periods = f"（其中定期任务逾期 {periods} 期次）" if periods else ""
        doc.blocks.append(
            Paragraph(
                f"截至 {chinese_date(as_of)}，共有 {tasks} 项任务逾期未完成{of_periods}，"
                f"涉及 {len(ranking)} 个单位。"
            )
        )
        unspecified = unspecified_line(unassigned(items))
        if unspecified:
            doc.blocks.append(unspecified)
        rows = [
            [i.number, book.task(i.number).requirement, deadline_text(i), i.days, _late_units(i)]
            for i in items
        ]
        headings = numbered(["逾期任务", "各单位逾期情况"])
        doc.blocks += [headings[0], Table(LATE_COLUMNS, rows, name="逾期任务")]
        if ranking:
            doc.blocks += [
                headings[1],
                Table(
                    RANKING_COLUMNS,
                    [
                        [
                            rank,
                            unit,
                            len(tasks),
                            late_numbers(tasks),
                        ]
                        for rank, (unit, tasks) in _ranked(ranking)
                    ],
                    name="各单位",
                    chart=Chart("各单位逾期任务数", label=1, value=2),
                ),
            ]
    doc.payload = {
        "as_of": as_of.isoformat(),
        "tasks": late_json(items, "days_overdue"),
        "units": [
            {"unit": u, "overdue": len(t), "tasks": [x.number for x in t]}
            for u, t in ranking.items()
        ],
    }
    return doc


def _late_units(item: Late) -> str:
    return "、".join([*item.units, *(f"{g}（未指定）" for g in item.unresolved)])


def _ranked(ranking: dict[str, list[Late]]):
    """Competition ranking (1, 2, 2, 4): units with as many overdue tasks share a place."""
    rank, previous = 0, None
    for position, (unit, tasks) in enumerate(ranking.items(), start=1):
        if len(tasks) != previous:
            rank, previous = position, len(tasks)
        yield rank, (unit, tasks)


# ----- 单位责任清单 -----

CHECKLIST_COLUMNS = [
    Column("编号", no_wrap=True, kind="number"),
    Column("具体要求", long=True),
    Column("时限要求", no_wrap=True),
    Column("截止日期", no_wrap=True),
    Column("本单位状态", no_wrap=True),
    NOTE,
]


ROLE_HEADINGS = {"lead": "牵头任务", "implementer": "落实任务"}


def _due(day: dt.date | None, *, iso: bool = False) -> str:
    if day is None:
        return "持续推进"
    return day.isoformat() if iso else chinese_date(day)


def unit_checklist(book: Book, unit: str, as_of: dt.date) -> Document:
    subject = f"{unit}{book.ledger.year}年"
    doc = new_document(book, "政务公开重点工作任务责任清单", as_of, subject)
    mine: dict[str, list[tuple[Row, Assignment]]] = {"lead": [], "implementer": []}
    for number in book.ledger.tasks:
        row = Row(book, number, as_of)
        for a in row.assignments:
            if a.unit == unit and a.designated:
                mine[a.role].append((row, a))
    counts = {role: len(items) for role, items in mine.items()}
    everything = [pair for items in mine.values() for pair in items]
    # A recurring task is the unit's by its periods: late while any is, done by the latest.
    periods = {r.task.number: _periods_of(r, unit, as_of) for r, _ in everything}
    done = sum(
        periods[r.task.number].share.done if periods[r.task.number] else a.done
        for r, a in everything
    )
    late = sum(
        bool(periods[r.task.number].late)
        if periods[r.task.number]
        else a.light(r.deadline, as_of) == OVERDUE
        for r, a in everything
    )
    doc.blocks.append(
        Paragraph(
            f"共 {len(everything)} 项：牵头 {counts['lead']} 项，落实 {counts['implementer']} 项；"
            f"已完成 {done} 项，逾期未完成 {late} 项。"
        )
    )
    payload, flat = [], []
    roles = [role for role in ROLE_HEADINGS if mine[role]]
    for role, heading in zip(roles, numbered([ROLE_HEADINGS[r] for r in roles]), strict=True):
        rows = []
        for row, a in mine[role]:
            light = a.light(row.deadline, as_of)
            status = a.state + (f"（{light}）" if light else "")
            # Report text writes 2024年6月30日; the flat table (CSV) keeps ISO dates.
            due, flat_due = _due(row.deadline.date), _due(row.deadline.date, iso=True)
            if a.extended_to is not None:  # 原时限 and 延期至 both shown
                due = f"{_due(a.extended_to)}（延期，原 {due}）"
                flat_due = f"{_due(a.extended_to, iso=True)}（延期，原 {flat_due}）"
            elif a.review == RETURNED and a.review_note:
                status += f"：{a.review_note}"
            recurring = periods[row.task.number]
            if recurring is not None:  # 未开始（逾期 5 期）, due with the latest period
                status = recurring.text()
                due = _due(recurring.latest.period.due)
                flat_due = _due(recurring.latest.period.due, iso=True)
            cells = [row.task.number, row.task.requirement, row.task.deadline]
            rows.append([*cells, due, status, a.note or ""])
            flat.append([*cells[:1], ROLE_WORDS[role], *cells[1:], flat_due, status, a.note or ""])
            payload.append(
                {
                    "number": row.task.number,
                    "role": role,
                    "deadline": row.deadline.as_dict(),
                    "status": a.status,
                    "light": light,
                    "date": a.updated.isoformat() if a.updated else None,
                    "note": a.note,
                    **(supervision_json(a, row.deadline) if book.supervised else {}),
                }
            )
        # Landscape: two columns of long text beside four short ones.
        table = Table(CHECKLIST_COLUMNS, rows, name=ROLE_HEADINGS[role], landscape=True)
        doc.blocks += [heading, table]
    # One table for a flat file or a unit's sheet in a workbook: the role is a column.
    doc.flat = Table([CHECKLIST_COLUMNS[0], ROLE, *CHECKLIST_COLUMNS[1:]], flat, name=unit)
    doc.payload = {"unit": unit, "as_of": as_of.isoformat(), "tasks": payload}
    return doc


def _periods_of(row: Row, unit: str, as_of: dt.date):
    """The unit's share of a recurring task's periods, None for any other task."""
    if row.schedule is None:
        return None
    from gongkai_cli.model.periods import unit_periods

    return unit_periods(row.periods, unit, as_of)


def _late_in_a_period(row: Row, unit: str, as_of: dt.date) -> bool:
    periods = _periods_of(row, unit, as_of)
    return periods is not None and bool(periods.late)


# ----- 统计 -----


@dataclass
class Tally:
    total: int = 0
    done: int = 0
    on_time: int = 0
    overdue: int = 0
    # Where the office reviews: claims still waiting (not yet 完成) and claims returned.
    pending: int = 0
    returned: int = 0

    def add(self, a: Assignment, deadline: Deadline, as_of: dt.date) -> None:
        light = a.light(deadline, as_of)
        self.total += 1
        self.done += a.closed
        self.on_time += a.closed and light != LATE_DONE
        self.overdue += light == OVERDUE
        self.pending += a.review == PENDING
        self.returned += a.review == RETURNED

    @property
    def completion(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def on_time_rate(self) -> float | None:
        """Of the assignments that are finished or late, the share finished by the deadline."""
        settled = self.done + self.overdue
        return self.on_time / settled if settled else None


def counted(book: Book, number: int, as_of: dt.date):
    """What `stats` counts of one task: (deadline, assignment) of each designated unit. A
    recurring task counts once per period due by then (each is done or late on its own);
    until its first period falls due, once, as an ongoing task."""
    shares = dated_shares(book, number, as_of)
    if book.schedule(number) is not None:
        due = [share for share in shares if share[1].date <= as_of]
        shares = due or [(None, book.deadline(number), book.assignments(number, as_of))]
    for _, deadline, assignments in shares:
        for a in assignments:
            if a.designated:
                yield deadline, a


def stats(book: Book, as_of: dt.date, by: str = "unit") -> Document:
    tallies: dict[str, Tally] = {}
    unspecified: dict[int, list[str]] = {}
    if by == "unit":
        for name in book.ledger.index.units:
            tallies[name] = Tally()
    for number, task in book.ledger.tasks.items():
        for a in book.assignments(number, as_of):
            if not a.designated:
                unspecified.setdefault(number, []).append(a.unit)
        for deadline, a in counted(book, number, as_of):
            key = a.unit if by == "unit" else task.section
            tallies.setdefault(key, Tally()).add(a, deadline, as_of)
    tallies = {k: t for k, t in tallies.items() if t.total}
    what = "单位" if by == "unit" else "大项"
    total = Tally(
        **{
            f: sum(getattr(t, f) for t in tallies.values())
            for f in ("total", "done", "on_time", "overdue", "pending", "returned")
        }
    )
    reviewed = book.ledger.supervision is not None and book.ledger.supervision.review
    # Short headers keep the table within 80 columns; the paragraph above the table defines them.
    columns = [
        Column(what),
        Column("项次", no_wrap=True, kind="number"),
        Column("完成", no_wrap=True, kind="number"),
        Column("按期", no_wrap=True, kind="number"),
        Column("逾期", no_wrap=True, kind="number"),
        Column("完成率", no_wrap=True, bar=True, kind="percent"),
        Column("按期率", no_wrap=True, kind="percent"),
    ]
    rows = [
        [key, t.total, t.done, t.on_time, t.overdue, t.completion, t.on_time_rate]
        + ([t.pending, t.returned] if reviewed else [])
        for key, t in [*tallies.items(), ("合计", total)]
    ]
    if reviewed:  # counted apart: a claim is 完成 only once passed
        columns += [
            Column(PENDING, no_wrap=True, kind="number"),
            Column(RETURNED, no_wrap=True, kind="number"),
        ]
    doc = new_document(book, f"完成情况统计（按{what}）", as_of)
    doc.blocks.append(
        Paragraph(
            "项次：任务单位数，即责任单位承担的任务之和（一项任务由几个单位承担，计几项次）；"
            "完成：已完成或不涉及；按期：在时限内完成；逾期：逾期未完成。"
            "完成率＝完成 ÷ 项次；按期率＝按期 ÷（完成＋逾期）。"
            + (
                f"开启审核后，已完成须经审核通过才计为完成；{PENDING}、{RETURNED}另列。"
                if reviewed
                else ""
            )
            + (
                "定期任务（每月、每季度报送等）每到期一期，每个单位计一项次。"
                if any(book.schedule(n) for n in book.ledger.tasks)
                else ""
            )
        )
    )
    line = unspecified_line(unspecified)
    if line:
        doc.blocks.append(line)
    chart = Chart(f"各{what}完成率", label=0, value=5, skip_last=True)
    doc.blocks.append(Table(columns, rows, name="统计", chart=chart))
    doc.payload = {
        "as_of": as_of.isoformat(),
        "by": by,
        "rows": [
            {
                "key": key,
                "total": t.total,
                "done": t.done,
                "on_time": t.on_time,
                "overdue": t.overdue,
                "completion_rate": round(t.completion, 4),
                "on_time_rate": None if t.on_time_rate is None else round(t.on_time_rate, 4),
                **({"pending_review": t.pending, "returned": t.returned} if reviewed else {}),
            }
            for key, t in [*tallies.items(), ("合计", total)]
        ],
        "unspecified": [{"number": n, "groups": g} for n, g in unspecified.items()],
    }
    return doc

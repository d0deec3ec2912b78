"""Check a returned form against the ledger: whose it is, and every row the unit filled in.

Each check is a function that yields problems; a form with any error is rejected whole.
Problems cite the cell (`文件名:工作表!单元格: 说明`), or the file alone where no cell is at fault.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from gongkai_cli.errors import GongkaiError, Problem, has_errors
from gongkai_cli.forms.read import Cell, ReturnedForm, ReturnedRow
from gongkai_cli.model.book import Book
from gongkai_cli.model.statuses import (
    DERIVED,
    DONE,
    DONE_STATUSES,
    STATUS_ALIASES,
    STATUSES,
    nearest_status,
)
from gongkai_cli.model.values import MAX_NAME, MAX_NOTE


@dataclass(frozen=True, slots=True)
class FormEntry:
    """One row as the unit filled it in."""

    task: int
    status: str | None  # canonical; None where left blank
    note: str | None
    done_on: dt.date | None
    where: str  # the row's 编号 cell
    # From the supervision columns, where the form has them.
    problems: str | None = None
    next: str | None = None
    links: tuple[str, ...] = ()
    extend_to: dt.date | None = None

    @property
    def details(self) -> bool:
        return self.problems is not None or self.next is not None or bool(self.links)


@dataclass
class CheckedForm:
    form: ReturnedForm
    unit: str | None = None  # canonical, once known
    entries: list[FormEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    by: str | None = None
    phone: str | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def check(book: Book, form: ReturnedForm, today: dt.date) -> CheckedForm:
    checked = CheckedForm(form)

    def problem(where: Cell | None, message: str, severity: str = "error") -> Problem:
        return Problem.in_form(form.name, where.ref if where else None, message, severity)

    plan = list(check_plan(book, form, problem)) + list(check_round(form, today, problem))
    checked.problems += plan
    if plan:  # another plan's form: nothing else in it can be read against this ledger
        return checked
    checked.problems += check_unit(book, form, checked, problem)
    if checked.unit is None:
        return checked
    checked.problems += check_reporter(form, problem)
    checked.by, checked.phone = _one_line(form.reporter.value), _one_line(form.phone.value)
    checked.problems += check_digest(book, form, checked.unit, problem)
    for found in check_rows(book, form, checked.unit, today, problem):
        (checked.entries if isinstance(found, FormEntry) else checked.problems).append(found)
    return checked


def check_plan(book: Book, form: ReturnedForm, problem) -> Iterator[Problem]:
    ident, ledger = form.identity, book.ledger
    if ident.plan != ledger.title or (ident.year is not None and ident.year != ledger.year):
        which = f"“{ident.plan}”" + (f"（{ident.year}年）" if ident.year else "")
        yield problem(None, f"这是{which}的填报表，不是本台账“{ledger.title}”的；整份未收取。")


def check_round(form: ReturnedForm, today: dt.date, problem) -> Iterator[Problem]:
    """A round is a day that has come: a form dated later reports what has not happened
    yet, and would become `forms status`'s latest round. A round of this month's end may
    come back a few days early (its rows are then dated today); a later one is refused."""
    as_of = form.identity.as_of
    if as_of > _month_end(today):
        yield problem(
            None,
            f"表格的截至日期 {as_of.isoformat()} 还没有到（今天是 {today.isoformat()}），"
            "进展只能填报已经发生的情况；整份未收取。",
        )


def _month_end(day: dt.date) -> dt.date:
    first_of_next = (day.replace(day=1) + dt.timedelta(days=31)).replace(day=1)
    return first_of_next - dt.timedelta(days=1)


def check_unit(book: Book, form: ReturnedForm, checked: CheckedForm, problem) -> Iterator[Problem]:
    ident, index = form.identity, book.ledger.index
    shown = str(form.unit.value).strip() if form.unit.value is not None else ""
    if form.sheet_unit is not None and form.sheet_unit != ident.unit:
        yield problem(
            None,
            f"表格标识不一致：文档属性中的单位是“{ident.unit}”，隐藏工作表“标识”中是"
            f"“{form.sheet_unit}”；表格可能被改成了另一个单位的，整份未收取。",
        )
        return
    if form.source != "visible" and shown != ident.unit:
        yield problem(
            form.unit, f"填报单位“{shown}”与表格标识中的“{ident.unit}”不一致；整份未收取。"
        )
        return
    unit = index.canonical(ident.unit)
    if unit is None:
        hint = index.suggest(ident.unit)
        yield problem(
            form.unit,
            f"单位名录中没有“{ident.unit}”"
            + (f"，是否是指“{hint}”？" if hint else "。")
            + "整份未收取。",
        )
        return
    checked.unit = unit
    if form.source == "visible":
        yield problem(
            None,
            "表格的标识（文档属性和隐藏工作表）已不在，可能经 WPS 或 LibreOffice 另存；"
            "已按表头的填报单位、截至日期和各行内容识别。",
            "warning",
        )


def check_reporter(form: ReturnedForm, problem) -> Iterator[Problem]:
    from gongkai_cli.model.typed import typed_text_problem

    for cell, label in ((form.reporter, "填报人"), (form.phone, "联系电话")):
        text = _text(cell.value)
        wrong = typed_text_problem(text) if text is not None else None
        if wrong:
            yield problem(cell, f"{label}中含有{wrong}。")
        elif text is not None and len(text) > MAX_NAME:
            yield problem(cell, f"{label}过长（{len(text)} 字），请控制在 {MAX_NAME} 字以内。")


def check_digest(book: Book, form: ReturnedForm, unit: str, problem) -> Iterator[Problem]:
    from gongkai_cli.forms.out import form_identity

    sent, as_of = form.identity.digest, form.identity.as_of
    if sent and form_identity(book, unit, as_of, None).digest != sent:
        owner = next(
            (
                other
                for other in book.ledger.index.units
                if other != unit and form_identity(book, other, as_of, None).digest == sent
            ),
            None,
        )
        if owner is not None:
            yield problem(
                form.unit,
                f"这份表格的任务行是发给{owner}的，不是{unit}的（填报单位或表格标识被改过）；"
                "整份未收取。",
            )
            return
        yield problem(
            None,
            "发出这份表格之后，计划或本单位的任务有变动；各行已按现在的计划检查。",
            "warning",
        )


def check_rows(
    book: Book, form: ReturnedForm, unit: str, today: dt.date, problem
) -> Iterator[Problem | FormEntry]:
    """Each row's problems, or, for a row without errors, its entry."""
    from gongkai_cli.forms.out import form_rows
    from gongkai_cli.ledger.checks import is_answerable

    ledger = book.ledger
    sent = {r.number: r for r in form_rows(book, unit, form.identity.as_of)}
    seen: dict[int, str] = {}
    requirements = {_squeeze(t.requirement): n for n, t in ledger.tasks.items()}
    for row in form.rows:
        number, message = _number(row.number.value)
        if number is None:
            yield problem(row.number, message)
            continue
        task = ledger.tasks.get(number)
        if task is None:
            yield problem(row.number, f"计划中没有任务 {number}。")
            continue
        if not is_answerable(ledger, number, unit):
            yield problem(
                row.number,
                f"任务 {number} 不是{unit}的任务（责任单位：{task.responsibility}）。",
            )
            continue
        if number in seen:
            yield problem(row.number, f"任务 {number} 在 {seen[number]} 已填报过一次。")
            continue
        text = _squeeze(_text(row.requirement.value) or "")
        if text != _squeeze(task.requirement):
            other = requirements.get(text)
            if other is not None:
                yield problem(
                    row.number,
                    f"编号 {number} 与本行的具体要求（任务 {other}）不符；请勿修改编号。",
                )
                continue
            yield problem(
                row.requirement,
                f"任务 {number} 的具体要求与计划不一致；表中的修改不会改动计划。",
                "warning",
            )
        seen[number] = row.number.ref
        yield from check_read_only(row, sent.get(number), problem)
        found = list(_row_entry(book, form, row, number, unit, today, problem))
        errors = [p for p in found if isinstance(p, Problem)]
        yield from errors or found


def check_read_only(row: ReturnedRow, sent, problem) -> Iterator[Problem]:
    """A read-only cell that no longer says what the form said: the unit typed its news in
    the wrong column. That text is not recorded, so the warning says where it belongs."""
    from gongkai_cli.forms import layout

    if sent is None:  # a task added to the plan after the form went out
        return
    shown = {"当前状态": sent.shown_status(), "上次说明": sent.shown_note()}
    belongs = {"状态": row.status, "进展说明": row.note}
    for name, cell in row.read_only.items():
        if _squeeze(_text(cell.value) or "") == _squeeze(shown[name]):
            continue
        column = layout.READ_ONLY_FOR[name]
        yield problem(
            cell,
            f"“{name}”一栏只读，其中的改动不会记录；"
            f"请填在“{column}”一栏（{belongs[column].ref}）。",
            "warning",
        )


def _row_entry(book, form, row: ReturnedRow, number, unit, today, problem):
    """The row's problems, then its entry (which counts only if there were none)."""
    status = None
    word = _text(row.status.value)
    if word is not None:
        status, message = parse_form_status(word)
        if status is None:
            yield problem(row.status, message)
    note = _text(row.note.value)
    if note is not None:
        note = note.replace("\r\n", "\n")
        yield from _long_text(row.note, "进展说明", note, problem)
    done_on = None
    if _text(row.done.value) is not None:
        done_on, message = _done_date(row.done.value, book.ledger.year)
        if done_on is None:
            yield problem(row.done, message)
        elif done_on > today:
            yield problem(
                row.done, f"完成日期 {done_on.isoformat()} 晚于今天，只能填写已经发生的日期。"
            )
        elif word is not None and status is None:
            pass  # the status is wrong already; what it should be decides if a date belongs
        else:
            current = book.history.state(number, unit, form.identity.as_of)[0]
            effective = status or current
            if effective not in DONE_STATUSES:
                yield problem(
                    row.done,
                    f"填写了完成日期，但状态是“{effective}”；完成日期只用于“已完成”或“不涉及”。",
                )
    extra = yield from _supervision_cells(book, row, number, status, problem)
    yield FormEntry(number, status, note, done_on, row.number.ref, *extra)


def _long_text(cell: Cell, label: str, text: str, problem) -> Iterator[Problem]:
    """A note-like cell: the one rule for typed text (model.typed; it may run over lines),
    then the length of a note."""
    from gongkai_cli.model.typed import typed_text_problem

    wrong = typed_text_problem(text, lines=True)
    if wrong:
        yield problem(cell, f"{label}中含有{wrong}。")
    elif len(text) > MAX_NOTE:
        yield problem(cell, f"{label}过长（{len(text)} 字），请控制在 {MAX_NOTE} 字以内。")


def _supervision_cells(book, row: ReturnedRow, number: int, status: str | None, problem):
    """存在问题, 下步措施, 佐证链接 and 申请延期至 as the unit filled them: their problems
    (yielded), and (problems, next, links, extend_to) returned."""
    from gongkai_cli.forms import layout
    from gongkai_cli.ledger.evidence import link_problem

    cells = row.supervision
    texts = {}
    for name in (layout.PROBLEMS, layout.NEXT):
        cell = cells.get(name)
        text = _text(cell.value) if cell else None
        if text is not None:
            yield from _long_text(cell, name, text, problem)
        texts[name] = text.replace("\r\n", "\n") if text else None
    links: tuple[str, ...] = ()
    cell = cells.get(layout.LINKS)
    if cell is not None and _text(cell.value) is not None:
        links = tuple(_text(cell.value).replace("；", " ").replace("，", " ").split())
        for link in links:
            if (message := link_problem(link)) is not None:
                yield problem(cell, message)
    extend_to = None
    cell = cells.get(layout.EXTEND_TO)
    if cell is not None and _text(cell.value) is not None:
        extend_to, message = _done_date(cell.value, book.ledger.year)
        deadline = book.deadline(number).date
        if extend_to is None:
            yield problem(cell, message.replace("完成日期", layout.EXTEND_TO))
        elif deadline is None:
            yield problem(cell, f"任务 {number} 没有确定的时限，无需申请延期。")
        elif extend_to <= deadline:
            yield problem(
                cell,
                f"申请延期至 {extend_to.isoformat()} 不晚于原时限 {deadline.isoformat()}。",
            )
    supervision = book.ledger.supervision
    if status == DONE and not links and supervision and supervision.evidence_required:
        yield problem(
            row.status, f"本台账要求{DONE}须附佐证材料：请在“{layout.LINKS}”一栏填写公开的网址。"
        )
    return texts[layout.PROBLEMS], texts[layout.NEXT], links, extend_to


def parse_form_status(text: str) -> tuple[str | None, str]:
    """(canonical status, "") or (None, why not, with the nearest word where one is close)."""
    word = text.strip()
    if word in STATUSES:
        return word, ""
    if word.lower() in STATUS_ALIASES:
        return STATUS_ALIASES[word.lower()], ""
    if word in DERIVED:
        return None, f"“{word}”由台账按日期推算，不能填写；可填：{'、'.join(STATUSES)}"
    near = nearest_status(word)
    hint = f"；是否是指“{near}”？" if near else ""
    return None, f"状态“{word}”无效，可填：{'、'.join(STATUSES)}{hint}"


def _number(value: object) -> tuple[int | None, str]:
    if isinstance(value, bool):
        pass
    elif isinstance(value, int):
        return value, ""
    elif isinstance(value, float) and value.is_integer():
        return int(value), ""
    elif isinstance(value, str) and value.strip().isdigit():
        return int(value.strip()), ""
    shown = "" if value is None else str(value).strip()
    if not shown:
        return None, "这一行填写了内容，但没有任务编号；请勿增加行。"
    return None, f"编号“{shown}”不是任务编号。"


def _done_date(value: object, year: int) -> tuple[dt.date | None, str]:
    """A completion date cell: a date, Excel's serial number of one, or text as clerks type
    it (10月20日 is in the plan's `year`)."""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        # a date cell whose format was lost shows Excel's serial day number
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date(), ""
    text = str(value).strip()
    from gongkai_cli.model.dates import example_day, parse_date

    try:
        return parse_date(text, year=lambda: year), ""
    except GongkaiError:
        day = example_day(year)
        return None, (
            f"完成日期“{text}”不是有效日期；请写成 {day.isoformat()} 或 {day.month}月{day.day}日 这样的日期。"
        )


def _text(value: object) -> str | None:
    """A cell as text, None where empty; numbers and dates as people would write them."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = text.strip()
    return text or None


def _one_line(value: object) -> str | None:
    text = _text(value)
    return " ".join(text.split()) if text is not None else None


def _squeeze(text: str) -> str:
    """Text without whitespace: spreadsheets re-wrap long cells and that is not an edit."""
    return "".join(text.split())

"""Plan tables → tasks: each column read as what its header says (headers.py) or its body
shows, structure rows and headings above the table name the sections."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise, takewhile
from typing import Any, NoReturn

from gongkai_cli.errors import PlanDocumentError
from gongkai_cli.importers.grid import Grid
from gongkai_cli.importers.headers import Columns, header_meaning, plan_tables, squeeze
from gongkai_cli.importers.titles import choose_title, plan_year
from gongkai_cli.model.values import IMPLEMENT_WORDS

SECTION = re.compile(r"^[一二三四五六七八九十百]+[、．.]")
SUBSECTION = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
_NUMBER = re.compile(r"^[（(]?(\d{1,4})[）)]?[.、．]?$")

_UNIT_LIST = re.compile(r"\s*[、，,；;]\s*")
_ROLE_LABEL = re.compile(r"(牵头单位|牵头部门|责任单位|配合单位|协办单位)\s*[:：]")
_SAYS_ROLES = re.compile(f"牵头|{IMPLEMENT_WORDS}")  # a cell that names roles itself
_GLUED_NUMBER = re.compile(r"^(?:[（(](\d{1,3})[）)]|(\d{1,3})[.、．](?!\d))")
UNDATED = "待定"  # the deadline of a task whose plan gives none: never overdue


@dataclass
class Imported:
    """A plan read from a document: the tasks.yaml mapping and what the reader had to guess."""

    plan: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(
        default_factory=list
    )  # how the document was read: which column is what


def _numeric(cells: list[str]) -> bool:
    """A column of 1…n, whatever its header says."""
    numeric = sum(1 for t in cells if _NUMBER.match(squeeze(t)))
    return bool(cells) and numeric * 2 > len(cells)


def _title_columns(grid: Grid, columns: Columns) -> tuple[list[int], list[int]]:
    """Split the 工作任务, unheaded and unknown columns into number columns and title
    columns by content."""
    numbers, titles = list(columns.get("number")), []
    data = grid.rows[columns.first_data_row :]
    for c in columns.get("other"):
        # a row across the table (一、…) fills every column: it says nothing of this one
        cells = [row[c] for row in data if row[c] and len(set(filter(None, row))) > 1]
        if not numbers and _numeric(cells):
            numbers.append(c)
        # 类别, 大项…: a column of 一、/（一） merged down holds the sections, whatever its header
        elif cells and all(SECTION.match(t) or SUBSECTION.match(t) for t in cells):
            titles.append(c)
    for c in columns.get("task"):
        cells = [row[c] for row in data if row[c].strip()]
        if not cells:
            continue  # an empty column the sheet's used range reaches
        if not numbers and _numeric(cells):
            numbers.append(c)
        else:
            titles.append(c)
    return sorted(numbers), sorted(titles)


def _text_column(grid: Grid, columns: Columns, titles: list[int]) -> list[int]:
    """A table without a requirement column (序号|重点工作|责任单位): its longest task column
    holds the requirement."""
    data = grid.rows[columns.first_data_row :]

    def length(c: int) -> float:
        cells = [row[c] for row in data if row[c] and not SECTION.match(row[c])]
        return sum(map(len, cells)) / max(1, len(cells))

    tasks = [c for c in titles if c in columns.get("task")]
    return [max(tasks, key=length)] if tasks else []


def _deadline_column(grid: Grid, columns: Columns) -> list[int]:
    """An unknown column whose cells are deadline phrases is the deadline column."""
    from gongkai_cli.model.deadlines import DeadlineError, parse_deadline

    data = grid.rows[columns.first_data_row :]
    for c in columns.get("other"):
        cells = [row[c] for row in data if row[c]]
        read = 0
        for text in cells:
            try:
                parse_deadline(text, 2000)
                read += 1
            except DeadlineError:
                pass
        if cells and read * 2 > len(cells):
            return [c]
    return []


def _joined(row: list[str], cols: list[int]) -> str:
    """A field's text; a header spanning several columns joins their distinct texts."""
    return "".join(dict.fromkeys(row[c] for c in cols if row[c]))


@dataclass(frozen=True)
class _Roles:
    """Which grid columns hold each field of a task, in one plan table."""

    numbers: list[int]
    titles: list[int]  # 一、/（一） structure or short task titles
    requirement: list[int]
    lead: list[int]  # non-empty only where lead and implementers are split
    implementers: list[int]
    deadline: list[int]
    first_leads: bool  # one 责任单位 column whose first unit leads, as the plan says

    @classmethod
    def of(cls, grid: Grid, columns: Columns) -> _Roles:
        numbers, titles = _title_columns(grid, columns)
        requirement = columns.get("requirement") or _text_column(grid, columns, titles)
        titles = [c for c in titles if c not in requirement]
        lead, partners = columns.get("lead"), columns.get("partners")
        responsibility = columns.get("responsibility")
        implementers = (partners or responsibility) if lead else responsibility + partners
        return cls(
            numbers,
            titles,
            requirement,
            lead,
            implementers,
            columns.get("deadline") or _deadline_column(grid, columns),
            columns.first_leads and not lead,
        )

    def describe(self, labels: list[str]) -> str:
        """Which column was read as what, for the clerk to check at a glance."""
        roles = {
            **{c: "序号" for c in self.numbers},
            **{c: "大项/小项" for c in self.titles},
            **{c: "具体要求" for c in self.requirement},
            **{c: "牵头单位" for c in self.lead},
            **{c: "落实单位" if self.lead else "责任单位" for c in self.implementers},
            **{c: "时限" for c in self.deadline},
        }
        return "；".join(
            f"第{c + 1}列"
            + (f"“{squeeze(labels[c])}”" if labels[c] else "（无表头）")
            + f"为{role}"
            for c, role in sorted(roles.items())
        )


class _Reader:
    def __init__(self, filename: str):
        self.filename = filename
        self.section: str | None = None
        self.subsection: str | None = None
        self.tasks: list[dict[str, Any]] = []
        self.numbers: list[int | None] = []
        self.warnings: list[str] = []
        self.notes: list[str] = []  # which column was read as what
        self.undated: list[str] = []  # where a task has no deadline: 待定

    def structure(self, text: str) -> bool:
        if SECTION.match(text):
            if text != self.section:
                self.section, self.subsection = text, None
            return True
        if SUBSECTION.match(text):
            self.subsection = text
            return True
        return False

    def read(self, grid: Grid, columns: Columns) -> None:
        roles = _Roles.of(grid, columns)
        # 一、…/（一）… set above a table (one table a section) head its tasks
        headings = list(takewhile(lambda t: SECTION.match(t) or SUBSECTION.match(t), grid.above))
        for heading in reversed(headings):
            self.structure(heading)
        note = f"{grid.where}各列读作：{roles.describe(columns.labels)}。"
        if not any(n.endswith(note[len(grid.where) :]) for n in self.notes):
            self.notes.append(note)
        if roles.first_leads:
            self.warnings.append(
                "计划注明责任单位排在首位的为牵头单位：每项任务的第一个单位记为牵头单位（lead），"
                "其余记为落实单位（implementers）。"
            )
        for r in range(columns.first_data_row, len(grid.rows)):
            row = grid.rows[r]
            texts = list(dict.fromkeys(t for t in row if t))
            if not texts or tuple(squeeze(c) for c in row) in columns.header_rows:
                continue
            if any(header_meaning(row[c]) == "requirement" for c in roles.requirement):
                continue  # the header again, after a page break
            if len(texts) == 1 and not _NUMBER.match(squeeze(texts[0])):
                if not self.structure(texts[0]):  # a row across the table: 一、, （一）, or a note
                    self.warnings.append(
                        f"{grid.ref(r, 0)}：跳过了不是任务的一行“{texts[0][:20]}”。"
                    )
                continue
            for c in roles.titles:
                if row[c] and not self.structure(row[c]):
                    self.subsection = row[c]  # a short task title stands for the subsection
            self._task(grid, r, roles)

    def _task(self, grid: Grid, r: int, roles: _Roles) -> None:
        row = grid.rows[r]
        requirement = _joined(row, roles.requirement)
        if not requirement:
            if any(row[c] for c in (*roles.lead, *roles.implementers, *roles.deadline)):
                raise PlanDocumentError(
                    f"{self.filename}：{grid.ref(r, roles.requirement[0])}：这一行有责任单位或时限，却没有具体要求。"
                )
            return
        task: dict[str, Any] = {
            "number": 0,
            "section": self.section,
            "subsection": self.subsection,
            "requirement": requirement,
        }
        lead, implementers = _joined(row, roles.lead), _joined(row, roles.implementers)
        if not (lead or implementers):
            self._missing(grid, r, (roles.lead or roles.implementers)[0], "责任单位")
        labelled = {}
        if not roles.lead and _ROLE_LABEL.search(implementers):
            # one cell that names the roles itself: 牵头单位：市发改委；配合单位：市财政局
            from gongkai_cli.importers.roles import labelled_roles

            labelled = labelled_roles(implementers)
            lead = labelled.get("lead", "")
            implementers = labelled.get("implementers", "") if lead else implementers
        elif roles.first_leads and not _SAYS_ROLES.search(implementers):
            cell = implementers.strip()
            if after_first := _UNIT_LIST.search(cell):  # the rest keep the cell's own words
                lead, implementers = cell[: after_first.start()], cell[after_first.end() :]
        if roles.lead or lead:
            task |= {"lead": lead} if lead else {}
            task |= {"implementers": implementers} if implementers else {}
        else:
            task["responsibility"] = implementers
        task["deadline"] = (
            _joined(row, roles.deadline)
            or labelled.get("deadline")
            or self._undated(grid, r, roles)
        )
        number = _NUMBER.match(squeeze(_joined(row, roles.numbers)))
        self.numbers.append(int(number.group(1)) if number else None)
        if not roles.numbers and (glued := _GLUED_NUMBER.match(requirement)):
            # 1.积极推进…: a plan without a number column numbers the requirement itself
            self.numbers[-1] = int(glued.group(1) or glued.group(2))
            task["requirement"] = requirement[glued.end() :].strip()
        self.tasks.append(task)

    def _undated(self, grid: Grid, r: int, roles: _Roles) -> str:
        """A task with no deadline is kept, dated 待定: never overdue, listed for the office."""
        if roles.deadline:
            self.undated.append(grid.ref(r, roles.deadline[0]))
        else:
            self.undated.append("")
        return UNDATED

    def _missing(self, grid: Grid, r: int, c: int, label: str) -> NoReturn:
        raise PlanDocumentError(f"{self.filename}：{grid.ref(r, c)}：这项任务的“{label}”是空的。")

    def finish(self, title: str) -> list[dict[str, Any]]:
        numbers = self.numbers
        ordered = all(numbers) and all(a < b for a, b in pairwise(numbers))  # type: ignore[operator]
        if not ordered:
            if any(numbers):
                self.warnings.append("原文序号不全或不是递增的，已按表中顺序重新编号。")
            else:
                self.warnings.append(f"原文没有序号，已按表中顺序编号 1–{len(numbers)}。")
            numbers = list(range(1, len(numbers) + 1))
        if any(t["section"] is None for t in self.tasks):
            self.warnings.append("表中没有“一、”式大项，没有大项的任务以计划标题为大项。")
        if self.undated:
            where = "、".join(w for w in self.undated if w)
            self.warnings.append(
                f"{len(self.undated)} 项任务没有时限{'（' + where + '）' if where else '（表中没有时限列）'}，"
                f"已记为“{UNDATED}”：不会逾期，请确认后在 tasks.yaml 中填写。"
            )
        for task, number in zip(self.tasks, numbers, strict=True):
            task["number"] = number
            task["section"] = task["section"] or title
            task["subsection"] = task["subsection"] or task["section"]
        return self.tasks


def read_plan_tables(
    grids: list[Grid],
    filename: str,
    *,
    titles: Sequence[str] = (),
    title: str | None = None,
    year: int | None = None,
) -> Imported:
    """Turn a document's tables into the plan; `titles` are the document's own title
    candidates (page <h1>, <title>), after the texts just above the first plan table."""
    tables = plan_tables(grids, filename)
    reader = _Reader(filename)
    for grid, columns in tables:
        reader.read(grid, columns)
    if not reader.tasks:
        raise PlanDocumentError(f"{filename}：{tables[0][0].where}有表头，但下面没有任何任务行。")
    first, columns = tables[0]
    start = columns.first_data_row - len(columns.header_rows)
    # A title cell merged across the top of the table (common in Excel) is nearest of all.
    above = [t for row in reversed(first.rows[:start]) for t in dict.fromkeys(c for c in row if c)]
    title = title or choose_title([*above, *first.above, *titles])
    if not title:
        raise PlanDocumentError(f"{filename}：表格上方没有找到计划标题；请用 --title 指定。")
    tasks = reader.finish(title)
    year = year or plan_year(title, tasks, reader.warnings)
    if year is None:
        raise PlanDocumentError(
            f"{filename}：标题“{title[:40]}”中没有年份；请用 --year 指定计划年度。"
        )
    return Imported(
        {"title": title, "year": year, "source": filename, "tasks": tasks},
        reader.warnings,
        reader.notes,
    )

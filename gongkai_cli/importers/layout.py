"""Plan tables → tasks: header cells name the columns, structure rows name sections."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, NoReturn

from gongkai_cli.errors import PlanDocumentError
from gongkai_cli.importers.grid import Grid
from gongkai_cli.model.values import IMPLEMENT_WORDS

SECTION = re.compile(r"^[一二三四五六七八九十百]+[、．.]")
SUBSECTION = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
_NUMBER = re.compile(r"^[（(]?(\d{1,4})[）)]?[.、．]?$")
YEAR = re.compile(r"((?:19|20|21)\d\d)\s*年")

# Header cells by meaning; interior spaces never matter (具 体 要 求 is 具体要求), nor does a
# note in brackets (完成时限（2022年）).
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号"),
    "task": ("工作任务", "重点任务", "任务", "工作事项", "主要任务"),
    "requirement": (
        "具体要求",
        "工作要求",
        "工作内容",
        "主要内容",
        "任务内容",
        "具体内容",
        "任务要求",
        "工作措施",
        "具体措施",
    ),
    "responsibility": ("责任单位", "责任科室", "责任部门", "责任主体", "承办单位"),
    "lead": ("牵头单位", "牵头部门", "牵头科室", "主办单位", "主责单位"),
    "partners": (
        "配合单位",
        "参与单位",
        "配合部门",
        "参与部门",
        "配合科室",
        "参与科室",
        "协办单位",
        "落实单位",
    ),
    "deadline": (
        "时限要求",
        "完成时限",
        "完成时间",
        "时间要求",
        "完成期限",
        "时间节点",
        "时间安排",
        "办结时限",
        "时限",
    ),
}
_UNIT_LIST = re.compile(r"\s*[、，,；;]\s*")
_SAYS_ROLES = re.compile(f"牵头|{IMPLEMENT_WORDS}")  # a cell that names roles itself
_NOTE = re.compile(r"[（(][^（()）]*[）)]")
# 责任单位（排在首位的为牵头单位）: the plan's own rule that a cell's first unit leads.
_FIRST_LEADS = re.compile(r"(首位|第一|排头|第1|前面).*牵头|牵头.*(首位|第一|排头|第1)")
_BY_NAME = {name: meaning for meaning, names in HEADERS.items() for name in names}
_RESPONSIBLE = {"responsibility", "lead", "partners"}
# The column a plan table cannot do without, in the order a missing one is named.
_REQUIRED = (("requirement", "具体要求"), ("responsibility", "责任单位"), ("deadline", "时限要求"))


def squeeze(text: str) -> str:
    return "".join(text.split())


def header_meaning(text: str) -> str | None:
    key = _NOTE.sub("", squeeze(text))
    if "牵头" in key and "落实" in key:  # 牵头单位/负责落实单位: the one-phrase column
        return "responsibility"
    return _BY_NAME.get(key)


def first_leads(text: str) -> bool:
    """Whether a 责任单位 header says that the first unit of each cell leads."""
    return header_meaning(text) == "responsibility" and bool(_FIRST_LEADS.search(squeeze(text)))


def _says_first_leads(text: str) -> bool:
    """Whether a note above the table (注：排在第一位的为牵头单位) says the same."""
    key = squeeze(text)
    return len(key) <= 60 and "单位" in key and bool(_FIRST_LEADS.search(key))


@dataclass
class Imported:
    """A plan read from a document: the tasks.yaml mapping and what the reader had to guess."""

    plan: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Columns:
    header_rows: list[tuple[str, ...]]  # squeezed texts of the header row(s), to skip repeats
    first_data_row: int
    by_meaning: dict[str, list[int]]
    first_leads: bool = False  # the 责任单位 header, or a note above, says the first unit leads

    def get(self, meaning: str) -> list[int]:
        return self.by_meaning.get(meaning, [])


def _find_header(grid: Grid) -> _Columns | set[str]:
    """The table's columns, or the meanings its best header row had (to say what is missing)."""
    best: set[str] = set()
    for r, row in enumerate(grid.rows[:30]):
        meanings = [header_meaning(c) for c in row]
        found = {m for m in meanings if m}
        if len(found) > len(best):
            best = found
        if not ("requirement" in found and found & _RESPONSIBLE and "deadline" in found):
            continue
        header_rows = [tuple(squeeze(c) for c in row)]
        below = grid.rows[r + 1] if r + 1 < len(grid.rows) else []
        under = [header_meaning(c) if c.strip() else None for c in below]
        # 责任单位 over 牵头单位 | 配合单位: a second header row refines the first.
        if any(m in ("lead", "partners") for m in under) and all(
            m or not c.strip() for m, c in zip(under, below, strict=True)
        ):
            meanings = [u or m for u, m in zip(under, meanings, strict=True)]
            header_rows.append(tuple(squeeze(c) for c in below))
        by_meaning: dict[str, list[int]] = {}
        for c, meaning in enumerate(meanings):
            if meaning is None and not row[c].strip():
                meaning = "task"  # an unheaded column beside the table: structure or numbers
            by_meaning.setdefault(meaning or "other", []).append(c)
        notes = [*grid.above, *(c for above in grid.rows[:r] for c in above)]
        leads = any(first_leads(c) for c in row) or any(_says_first_leads(t) for t in notes)
        return _Columns(header_rows, r + len(header_rows), by_meaning, leads)
    return best


def plan_tables(grids: list[Grid], filename: str) -> list[tuple[Grid, _Columns]]:
    """The tables that are plan tables, in document order; a clear error when there are none."""
    found, best = [], set()
    for grid in grids:
        columns = _find_header(grid)
        if isinstance(columns, _Columns):
            found.append((grid, columns))
        elif len(columns) > len(best):
            best = columns
    if found:
        return found
    if not grids:
        raise PlanDocumentError(
            f"{filename}：没有找到任何表格；计划应是含“具体要求”“责任单位”等列的表格。"
        )
    missing = next(
        label
        for meaning, label in _REQUIRED
        if meaning not in best and not (meaning == "responsibility" and best & _RESPONSIBLE)
    )
    every = "都" if len(grids) > 1 else ""
    raise PlanDocumentError(f"{filename}：找到 {len(grids)} 个表格，{every}没有“{missing}”列。")


def _title_columns(grid: Grid, columns: _Columns) -> tuple[list[int], list[int]]:
    """Split the 工作任务 (or unheaded) columns into number columns and title columns by content."""
    numbers, titles = list(columns.get("number")), []
    data = grid.rows[columns.first_data_row :]
    for c in columns.get("other"):
        # 类别, 大项…: a column of 一、/（一） merged down holds the sections, whatever its header
        cells = [row[c] for row in data if row[c]]
        if cells and all(SECTION.match(t) or SUBSECTION.match(t) for t in cells):
            titles.append(c)
    for c in columns.get("task"):
        cells = [row[c] for row in data if row[c].strip()]
        numeric = sum(1 for t in cells if _NUMBER.match(squeeze(t)))
        if not numbers and cells and numeric * 2 > len(cells):
            numbers.append(c)
        else:
            titles.append(c)
    return numbers, sorted(titles)


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
    def of(cls, grid: Grid, columns: _Columns) -> _Roles:
        numbers, titles = _title_columns(grid, columns)
        lead, partners = columns.get("lead"), columns.get("partners")
        responsibility = columns.get("responsibility")
        implementers = (partners or responsibility) if lead else responsibility + partners
        return cls(
            numbers,
            titles,
            columns.get("requirement"),
            lead,
            implementers,
            columns.get("deadline"),
            columns.first_leads and not lead,
        )


class _Reader:
    def __init__(self, filename: str):
        self.filename = filename
        self.section: str | None = None
        self.subsection: str | None = None
        self.tasks: list[dict[str, Any]] = []
        self.numbers: list[int | None] = []
        self.warnings: list[str] = []

    def structure(self, text: str) -> bool:
        if SECTION.match(text):
            if text != self.section:
                self.section, self.subsection = text, None
            return True
        if SUBSECTION.match(text):
            self.subsection = text
            return True
        return False

    def read(self, grid: Grid, columns: _Columns) -> None:
        roles = _Roles.of(grid, columns)
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
        if roles.first_leads and not _SAYS_ROLES.search(implementers):
            cell = implementers.strip()
            if after_first := _UNIT_LIST.search(cell):  # the rest keep the cell's own words
                lead, implementers = cell[: after_first.start()], cell[after_first.end() :]
        if roles.lead or lead:
            task |= {"lead": lead} if lead else {}
            task |= {"implementers": implementers} if implementers else {}
        else:
            task["responsibility"] = implementers
        task["deadline"] = _joined(row, roles.deadline) or self._missing(
            grid, r, roles.deadline[0], "时限要求"
        )
        number = _NUMBER.match(squeeze(_joined(row, roles.numbers)))
        self.numbers.append(int(number.group(1)) if number else None)
        self.tasks.append(task)

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
        for task, number in zip(self.tasks, numbers, strict=True):
            task["number"] = number
            task["section"] = task["section"] or title
            task["subsection"] = task["subsection"] or task["section"]
        return self.tasks


def choose_title(candidates: list[str]) -> str | None:
    """The plan's title: the nearest candidate that names a year, else the nearest at all."""
    candidates = [c for c in candidates if c and len(c) <= 200]
    return next((c for c in candidates if YEAR.search(c)), candidates[0] if candidates else None)


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
    if year is None:
        found = YEAR.search(title)
        if not found:
            raise PlanDocumentError(
                f"{filename}：标题“{title[:40]}”中没有年份；请用 --year 指定计划年度。"
            )
        year = int(found.group(1))
    tasks = reader.finish(title)
    return Imported(
        {"title": title, "year": year, "source": filename, "tasks": tasks}, reader.warnings
    )

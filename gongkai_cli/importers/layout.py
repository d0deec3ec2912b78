"""Plan tables → tasks: header cells name the columns, structure rows name sections."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise, takewhile
from typing import Any, NoReturn

from gongkai_cli.errors import PlanDocumentError
from gongkai_cli.importers.grid import Grid
from gongkai_cli.model.values import IMPLEMENT_WORDS

SECTION = re.compile(r"^[一二三四五六七八九十百]+[、．.]")
SUBSECTION = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
_NUMBER = re.compile(r"^[（(]?(\d{1,4})[）)]?[.、．]?$")
YEAR = re.compile(r"((?:19|20|21)\d\d)\s*年")

# Header cells by what they say, not by a list of known headers: real plans word them
# endlessly (具体工作要求, 任务措施, 责任主体, 完成时间节点…). A cell is read by the words it
# contains, in this order: people are not units (牵头领导), then the roles, the deadline, the
# number, the requirement, the task. Interior spaces never matter (具 体 要 求 is 具体要求),
# nor does a note in brackets (完成时限（2022年）).
_PERSON = re.compile(r"领导|责任人|联系人|负责人|分管|包保")
_OTHER = re.compile(r"备注|说明|完成情况|进展|依据|形式|方式|载体|渠道|对象")
_LEAD = re.compile(r"牵头|主办|主责")
_PARTNERS = re.compile(r"配合|协办|参与|协助|协同")
_UNITS = re.compile(r"单位|部门|科室|股室|处室|站所|主体|承办")
_DUTY = re.compile(r"落实|负责|责任|分工")  # 责任分工 names units, 落实措施 does not
_DEADLINE = re.compile(r"时限|时间|期限|节点|进度|日期|时序|时段")
_NUMBER_WORDS = re.compile(r"^(序号?|编号|顺序|No\.?)$", re.IGNORECASE)
_REQUIREMENT = re.compile(r"要求|内容|措施|举措|目标|标准|具体|做法|要点|细化")
_TASK = re.compile(r"任务|工作|事项|项目|类别|大项|领域|重点")
_HEADER_LENGTH = 14  # a header names a column in a few words; a longer cell is a task's text
_UNIT_LIST = re.compile(r"\s*[、，,；;]\s*")
_ROLE_LABEL = re.compile(r"(牵头单位|牵头部门|责任单位|配合单位|协办单位)\s*[:：]")
_SAYS_ROLES = re.compile(f"牵头|{IMPLEMENT_WORDS}")  # a cell that names roles itself
_GLUED_NUMBER = re.compile(r"^(?:[（(](\d{1,3})[）)]|(\d{1,3})[.、．](?!\d))")
UNDATED = "待定"  # the deadline of a task whose plan gives none: never overdue
_NOTE = re.compile(r"[（(][^（()）]*[）)]")
# 责任单位（排在首位的为牵头单位）: the plan's own rule that a cell's first unit leads.
_FIRST_LEADS = re.compile(r"(首位|第一|排头|第1|前面).*牵头|牵头.*(首位|第一|排头|第1)")
_RESPONSIBLE = {"responsibility", "lead", "partners"}
# The column a plan table cannot do without, in the order a missing one is named.
_REQUIRED = (("requirement", "具体要求"), ("responsibility", "责任单位"), ("deadline", "时限要求"))


def squeeze(text: str) -> str:
    return "".join(text.split())


def header_meaning(text: str) -> str | None:
    """What a header cell says its column holds, or None if it names nothing of a plan."""
    key = _NOTE.sub("", squeeze(text))
    if not key or len(key) > _HEADER_LENGTH or re.search(r"[。；;，,]", key):
        return None
    if _NUMBER_WORDS.match(key):
        return "number"
    if _PERSON.search(key) or _OTHER.search(key):
        return None
    if _LEAD.search(key):
        # 牵头单位/负责落实单位 is the one-phrase column; 牵头单位 alone is the lead
        return "responsibility" if "落实" in key or "责任" in key else "lead"
    if _PARTNERS.search(key):
        return "partners"
    if _UNITS.search(key) or (_DUTY.search(key) and not _REQUIREMENT.search(key)):
        return "responsibility"
    if _DEADLINE.search(key):
        return "deadline"
    if _REQUIREMENT.search(key):
        return "requirement"
    if _TASK.search(key):
        return "task"
    return None


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
    notes: list[str] = field(
        default_factory=list
    )  # how the document was read: which column is what


@dataclass
class _Columns:
    header_rows: list[tuple[str, ...]]  # squeezed texts of the header row(s), to skip repeats
    first_data_row: int
    by_meaning: dict[str, list[int]]
    first_leads: bool = False  # the 责任单位 header, or a note above, says the first unit leads
    labels: list[str] = field(default_factory=list)  # each column's header text, "" if none

    def get(self, meaning: str) -> list[int]:
        return self.by_meaning.get(meaning, [])


def _score(found: set[str]) -> int:
    """How well a row's meanings make a plan header: a text column and a unit column are
    needed; a deadline and a number column make it more certainly the header."""
    text = bool(found & {"requirement", "task"})
    units = bool(found & _RESPONSIBLE)
    if not (text and units):
        return 0
    return 2 + ("deadline" in found) + ("number" in found) + ("requirement" in found)


def _find_header(grid: Grid) -> _Columns | set[str]:
    """The table's columns, or the meanings its best header row had (to say what is missing).
    The header is the row among the first 30 whose cells best name plan columns."""
    best: set[str] = set()
    chosen, top = -1, 0
    for r, row in enumerate(grid.rows[:30]):
        found = {m for m in (header_meaning(c) for c in row) if m}
        if len(found) > len(best):
            best = found
        if _score(found) > top:
            chosen, top = r, _score(found)
    if chosen < 0:
        return best
    r, row = chosen, grid.rows[chosen]
    meanings = [header_meaning(c) for c in row]
    header_rows = [tuple(squeeze(c) for c in row)]
    below = grid.rows[r + 1] if r + 1 < len(grid.rows) else []
    under = [header_meaning(c) if c.strip() else None for c in below]
    # 责任单位 over 牵头单位 | 配合单位: a second header row refines the first.
    if any(m in ("lead", "partners") for m in under) and all(
        m or not c.strip() for m, c in zip(under, below, strict=True)
    ):
        meanings = [u or m for u, m in zip(under, meanings, strict=True)]
        header_rows.append(tuple(squeeze(c) for c in below))
    first_data = r + len(header_rows)
    labels = list(row)
    meanings, labels = _realigned(meanings, labels, grid.rows[first_data:])
    by_meaning: dict[str, list[int]] = {}
    for c, meaning in enumerate(meanings):
        if meaning is None and not labels[c].strip():
            meaning = "task"  # an unheaded column beside the table: structure or numbers
        by_meaning.setdefault(meaning or "other", []).append(c)
    notes = [*grid.above, *(c for above in grid.rows[:r] for c in above)]
    leads = any(first_leads(c) for c in row) or any(_says_first_leads(t) for t in notes)
    return _Columns(header_rows, first_data, by_meaning, leads, labels)


def _realigned(
    meanings: list[str | None], labels: list[str], body: list[list[str]]
) -> tuple[list[str | None], list[str]]:
    """Four header labels over five columns: when the header row ends in empty cells while
    the body fills them, the labels belong to the rightmost columns (the unheaded one at the
    left holds numbers or titles). Web pages publish the 序号 column this way."""
    width = len(meanings)
    named = [c for c in range(width) if labels[c]]
    if not named:
        return meanings, labels
    trailing = width - 1 - named[-1]
    filled = trailing and all(any(row[c] for row in body) for c in range(width - trailing, width))
    if not filled:
        return meanings, labels
    return [None] * trailing + meanings[:-trailing], [""] * trailing + labels[:-trailing]


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


def _numeric(cells: list[str]) -> bool:
    """A column of 1…n, whatever its header says."""
    numeric = sum(1 for t in cells if _NUMBER.match(squeeze(t)))
    return bool(cells) and numeric * 2 > len(cells)


def _title_columns(grid: Grid, columns: _Columns) -> tuple[list[int], list[int]]:
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


def _text_column(grid: Grid, columns: _Columns, titles: list[int]) -> list[int]:
    """A table without a requirement column (序号|重点工作|责任单位): its longest task column
    holds the requirement."""
    data = grid.rows[columns.first_data_row :]

    def length(c: int) -> float:
        cells = [row[c] for row in data if row[c] and not SECTION.match(row[c])]
        return sum(map(len, cells)) / max(1, len(cells))

    tasks = [c for c in titles if c in columns.get("task")]
    return [max(tasks, key=length)] if tasks else []


def _deadline_column(grid: Grid, columns: _Columns) -> list[int]:
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
    def of(cls, grid: Grid, columns: _Columns) -> _Roles:
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

    def read(self, grid: Grid, columns: _Columns) -> None:
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


# Lines of a page around a plan that are never its title.
_PAGE_CHROME = re.compile(
    r"来源|浏览|点击|访问量|阅读|字体|字号|发布时间|发布日期|发文日期|成文日期|索引号|"
    r"发布机构|分享|打印|关闭|当前位置|首页|文号|主题分类|信息来源|作者|编辑"
)
_NAMES_PLAN = re.compile(r"计划|方案|要点|分工|清单|任务|分解|安排|台账|一览表|意见|措施|行动")
_DOC_NUMBER = re.compile(r"\s*[（(][^（）()]*〔\d{4}〕\d+号[）)]$")  # (池政〔2017〕101号)
_SENTENCE = re.compile(r"[。；]")


def choose_title(candidates: list[str]) -> str | None:
    """The plan's title: the nearest line that names a plan (年/计划/方案/要点/分工/清单) and a
    year, else one that names a plan, else one with a year; never a page's 来源/浏览次数/字体
    line, nor a sentence of the text."""
    candidates = [
        c
        for c in candidates
        if c and len(c) <= 120 and not _PAGE_CHROME.search(c) and not _SENTENCE.search(c)
    ]
    for wanted in (
        lambda c: _NAMES_PLAN.search(c) and YEAR.search(c),
        lambda c: _NAMES_PLAN.search(c),
        lambda c: YEAR.search(c),
    ):
        if found := next((c for c in candidates if wanted(c)), None):
            return _unwrapped(found)
    return None


def _unwrapped(title: str) -> str:
    """关于印发《2021年某县政务公开工作要点》的通知 → the plan's own title; a document
    number after it is not part of it."""
    inner = re.search(r"关于印发[《〈](.+)[》〉]的通知", title)
    return _DOC_NUMBER.sub("", inner.group(1) if inner else title)


def plan_year(
    title: str, tasks: list[dict[str, Any]], warnings: list[str], texts: Sequence[str] = ()
) -> int | None:
    """The plan's year: from its title, else from the years its deadlines name (2022年底前),
    else from the document around it (池政〔2017〕101号, its date), saying where it came from."""
    if found := YEAR.search(title):
        return int(found.group(1))
    years = Counter(int(m.group(1)) for t in tasks for m in YEAR.finditer(t.get("deadline", "")))
    where = "时限中写明的年份"
    if not years:
        years = Counter(int(m.group(1) or m.group(2)) for t in texts for m in _DATED.finditer(t))
        where = "文中的文号或日期"
    if not years:
        return None
    year = years.most_common(1)[0][0]
    warnings.append(f"标题中没有年份，按{where}定为 {year} 年；如不对，请用 --year 指定。")
    return year


_DATED = re.compile(r"〔((?:19|20|21)\d\d)〕|((?:19|20|21)\d\d)年\d{1,2}月\d{1,2}日")


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

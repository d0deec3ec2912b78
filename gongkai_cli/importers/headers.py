"""Which table is the plan and what each column holds, read from its header cells."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai_cli.errors import PlanDocumentError
from gongkai_cli.importers.grid import Grid

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
_TEXT_LENGTH = 8  # a task's text averages more than a few words (units and dates do not)
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
class Columns:
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


def find_header(grid: Grid) -> Columns | set[str]:
    """The table's columns, or the meanings its best header row had (to say what is missing).
    The header is the row among the first 30 whose cells best name plan columns."""
    best: set[str] = set()
    chosen, top = -1, 0
    for r in range(min(len(grid.rows), 30)):
        found = {m for m in _row_meanings(grid, r) if m}
        if len(found) > len(best):
            best = found
        if _score(found) > top:
            chosen, top = r, _score(found)
    if chosen < 0:
        return best
    r, row = chosen, grid.rows[chosen]
    meanings = _row_meanings(grid, r)
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
    return Columns(header_rows, first_data, by_meaning, leads, labels)


def _row_meanings(grid: Grid, r: int) -> list[str | None]:
    """What each cell of row r says its column holds. A header that names the task by its
    kind (民生实事, 改革事项名称…) says nothing by its words; when the row names the units and
    the deadline or number, the headed column below it with the longest texts is the text."""
    meanings = [header_meaning(c) for c in grid.rows[r]]
    found = set(meanings)
    if found & {"requirement", "task"} or not (found & _RESPONSIBLE):
        return meanings
    if not found & {"deadline", "number"}:
        return meanings
    body = grid.rows[r + 1 : r + 11]
    unnamed = [
        c
        for c, (m, label) in enumerate(zip(meanings, grid.rows[r], strict=True))
        if m is None and 0 < len(squeeze(label)) <= _HEADER_LENGTH
    ]
    length = {c: sum(len(squeeze(row[c])) for row in body) / max(len(body), 1) for c in unnamed}
    text = max(length, key=length.__getitem__, default=None)
    if text is not None and length[text] >= _TEXT_LENGTH:
        meanings[text] = "requirement"
    return meanings


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


def _records_as_rows(grid: Grid) -> Grid:
    """重点工作：| … ⏎ 牵头单位：| … ⏎ 完成时限：| …: one task per block of rows, the field
    names down the first column (a 督办单, a page per task). Read as a header row of those
    names and one row per block, a block starting wherever its first name comes again."""
    if not grid.rows or len(grid.rows[0]) != 2:
        return grid
    names = [squeeze(row[0]).rstrip(":：") for row in grid.rows]
    if _score({m for m in map(header_meaning, names) if m}) == 0:
        return grid
    blocks: list[dict[str, str]] = []
    for name, (_, value) in zip(names, grid.rows, strict=True):
        if not blocks or name == names[0]:
            blocks.append({})
        blocks[-1][name] = value
    header = list(blocks[0])
    rows = [[block.get(name, "") for name in header] for block in blocks]
    return Grid(grid.where, [header, *rows], grid.above)


def plan_tables(grids: list[Grid], filename: str) -> list[tuple[Grid, Columns]]:
    """The tables that are plan tables, in document order; a clear error when there are none."""
    found, best = [], set()
    for grid in map(_records_as_rows, grids):
        columns = find_header(grid)
        if isinstance(columns, Columns):
            found.append((grid, columns))
        elif len(columns) > len(best):
            best = columns
    if found:
        return found
    if not grids:
        raise PlanDocumentError(
            f"{filename}：没有找到任何表格，段落中也没有写明责任单位；计划应是含“具体要求”"
            "“责任单位”等列的表格，或段末写明“（牵头单位：…）”的分工方案。"
        )
    missing = next(
        label
        for meaning, label in _REQUIRED
        if meaning not in best and not (meaning == "responsibility" and best & _RESPONSIBLE)
    )
    every = "都" if len(grids) > 1 else ""
    raise PlanDocumentError(f"{filename}：找到 {len(grids)} 个表格，{every}没有“{missing}”列。")

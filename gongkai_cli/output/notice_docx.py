"""督办通知单 as one Word document, a page per unit, in the official layout of the reports.

Each page: the title, the notice's number, the unit addressed, a paragraph saying what is
late and by when to answer, a table of the late tasks (a long requirement is shortened:
five of them and the reply slip must fit on the page), the issuer and date, and below a
cutting line the reply slip (回执) the unit fills in and sends back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gongkai_cli.model.dates import chinese_date
from gongkai_cli.output.view import Column
from gongkai_cli.output.word import (
    ERHAO,
    SANHAO,
    SIHAO,
    TITLE_FONT,
    _cell,
    _new,
    _paragraph,
    _save,
    _usable,
)

if TYPE_CHECKING:
    from gongkai_cli.actions.notice import Notice, Notices

# A requirement longer than this is cut (with …): a notice names the task; the unit has
# the plan for its whole wording.
REQUIREMENT_CHARS = 34
TASK_COLUMNS = [
    Column("序号", no_wrap=True),
    Column("任务", no_wrap=True),
    Column("具体要求", long=True),
    Column("时限", no_wrap=True),
    Column("逾期天数", no_wrap=True),
]
# Column widths in millimetres (of 156 usable): 时限 holds “2021年10月31日” on one line,
# the requirement takes what is left (two lines of 五号 for REQUIREMENT_CHARS).
WIDTHS = (12, 12, None, 38, 20)


def _short(text: str, limit: int = REQUIREMENT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _deadline(task) -> str:
    """The deadline as printed and its date; for a recurring task the late period and its
    date, or the first of several and the date they fell due from."""
    if len(task.periods) > 1:
        return f"{task.periods[0]}起{len(task.periods)}期\n{chinese_date(task.due)}起"
    if task.periods:
        return f"{task.periods[0]}期\n{chinese_date(task.due)}"
    return f"{task.deadline}\n{chinese_date(task.due)}"


def _periods(periods: tuple[str, ...]) -> str:
    """A recurring task's late periods on the reply slip: 2021-03期, or 2021-03至2021-08期共5期."""
    if len(periods) == 1:
        return f"{periods[0]}期"
    return f"{periods[0]}至{periods[-1]}期中{len(periods)}期"


def render_notices(notices: Notices) -> bytes:
    document, section = _new(notices.title, notices.as_of, _author(notices), landscape=False)
    usable = _usable(section)
    for i, notice in enumerate(notices.notices):
        _notice(document, notice, usable, new_page=i > 0)
    return _save(document, notices.as_of)


def _author(notices: Notices) -> str:
    return next((n.issuer for n in notices.notices if n.issuer), "") or "gongkai"


def _notice(document, notice: Notice, usable: float, *, new_page: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    title = _paragraph(
        document, "政务公开重点工作督办通知单", font=TITLE_FONT, size=ERHAO, align=center
    )
    title.paragraph_format.page_break_before = new_page
    _paragraph(document, notice.number, align=center).paragraph_format.space_after = Pt(6)
    _paragraph(document, f"{notice.unit}：")
    count = len(notice.tasks)
    reply_to = f"报送{notice.issuer}" if notice.issuer else "报送"
    _paragraph(
        document,
        f"截至{chinese_date(notice.as_of)}，你单位有以下 {count} 项政务公开重点工作任务"
        f"逾期未完成。请抓紧办理，并于{chinese_date(notice.reply_by)}前将办理情况"
        f"填写回执{reply_to}。",
        indent=True,
    )
    rows = [
        [
            str(i),
            str(task.number),
            _short(task.requirement),
            _deadline(task),
            f"{task.days} 天",
        ]
        for i, task in enumerate(notice.tasks, start=1)
    ]
    _grid(document, TASK_COLUMNS, rows, usable)
    if notice.issuer:
        _paragraph(document, notice.issuer, align=right, right_indent=SANHAO * 2)
    _paragraph(document, chinese_date(notice.as_of), align=right, right_indent=SANHAO * 2)
    _reply_slip(document, notice, usable)


def _grid(document, columns: list[Column], rows: list[list[str]], usable: float) -> None:
    from docx.shared import Mm

    grid = document.add_table(rows=1 + len(rows), cols=len(columns))
    grid.style = "Table Grid"
    grid.autofit = False
    fixed = sum(w for w in WIDTHS if w is not None)
    widths = [w if w is not None else usable - fixed for w in WIDTHS]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Mm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    for cell, column in zip(grid.rows[0].cells, columns, strict=True):
        _cell(cell, column.header, bold=True, center=True)
    for r, values in enumerate(rows, start=1):
        for cell, column, value in zip(grid.rows[r].cells, columns, values, strict=True):
            _cell(cell, value, center=column.no_wrap)


def _reply_slip(document, notice: Notice, usable: float) -> None:
    """The cutting line and the slip: unit, tasks, what was done, who answers and when."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    cut = _paragraph(
        document,
        "✂" + "－" * 17 + "（沿此线剪下）" + "－" * 17,
        size=10.5,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    cut.paragraph_format.space_before = Pt(6)
    _paragraph(document, "回　执", font=TITLE_FONT, size=SIHAO, align=WD_ALIGN_PARAGRAPH.CENTER)
    numbers = "、".join(
        f"{t.number}" + (f"（{_periods(t.periods)}）" if t.periods else "") for t in notice.tasks
    )
    rows = [
        ("通知编号", notice.number, "单位", notice.unit),
        ("任务编号", numbers, "报送期限", chinese_date(notice.reply_by) + "前"),
        ("办理情况", "", "", ""),
        ("联系人", "", "联系电话", ""),
    ]
    grid = document.add_table(rows=len(rows), cols=4)
    grid.style = "Table Grid"
    grid.autofit = False
    widths = (24, usable / 2 - 24, 24, usable / 2 - 24)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Mm(width)
    for r, values in enumerate(rows):
        cells = grid.rows[r].cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = Mm(width)
        if values[0] == "办理情况":  # one wide box to write in
            cells[1].merge(cells[3])
            grid.rows[r].height = Mm(18)
        for c, value in enumerate(values):
            if value or c in (0, 2):
                _cell(cells[c], value, bold=c in (0, 2), center=c in (0, 2))

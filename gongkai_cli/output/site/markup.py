"""The site's most repeated markup, written in Python: a task's timeline, the rows of its
table of units and of a unit's checklist, an assignment's status cells, a unit's link and a
light. A template would call a macro for each row and each update, and those calls were
most of a build; these write exactly what the macros wrote. Every value passes `shown` and
is escaped, as in a template (`_safe`); the markup of a value or a piece (a day, a light, a
unit's link) is made once and kept, in bounded caches, for the next row that shows it."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from gongkai_cli.model.dates import chinese_date
from gongkai_cli.model.statuses import ROLE_WORDS
from gongkai_cli.model.typed import BIDI
from gongkai_cli.output.site.pages import STATES
from gongkai_cli.output.text import plain

if TYPE_CHECKING:
    from gongkai_cli.model.fold import Said
    from gongkai_cli.output.site.build import Links
    from gongkai_cli.output.site.pages import Light, UnitRow


def shown(value):
    """Every value a template prints passes here before it is escaped: control characters
    are dropped and bidi controls are made visible, so untrusted text reads as what it is."""
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return BIDI.sub(_bidi_code, plain(value))
    return value


def _bidi_code(found: re.Match) -> str:
    return f"[U+{ord(found.group()):04X}]"


def text(value) -> Markup:
    """A value as a template prints it: shown, then escaped (Jinja's finalize)."""
    if type(value) is str:
        return _safe(value)
    return escape(shown(value))


@lru_cache(maxsize=8192, typed=True)
def _safe(value) -> Markup:
    """`text` of a plain value (a string, a number, a date; never markup). Pages repeat the
    same few thousand values (statuses, dates, names, notes) tens of thousands of times:
    each is made safe once."""
    return escape(shown(value))


def cn_date(day) -> str:
    """The template filter cn_date."""
    return chinese_date(day) if day else ""


def light(state: Light) -> Markup:
    """The light macro: a coloured dot, the state and its detail (逾期 12 天)."""
    return Markup(_light(state))


@lru_cache(maxsize=1024)
def _light(state: Light) -> str:
    detail = f'<span class="detail">{_safe(state.detail)}</span>' if state.detail else ""
    return (
        f'<span class="light {_safe(state.colour)}" aria-hidden="true"></span>'
        f"{_safe(state.state)}{detail}"
    )


def unit_link(links: Links, name: str, designated: bool = True) -> Markup:
    """The unit_link macro: a unit's name linking to its page, where it has one."""
    return Markup(_unit_link(links, name, designated))


def _unit_link(links: Links, name: str, designated: bool = True) -> str:
    href = links.unit(name) if designated else None
    if href:
        return f'<a href="{_safe(href)}" class="user keep">{_safe(name)}</a>'
    aside = "" if designated else "（未指定）"
    return f'<span class="user keep">{_safe(name)}</span>{aside}'


def _status_cells(row: UnitRow, links: Links) -> str:
    """The status_cells macro: an assignment's light and status, its date, its note."""
    return (
        f"{_state_cell(row.light, row.status)}\n"
        f'<td class="nowrap">{_safe(row.updated.isoformat() if row.updated else "")}</td>\n'
        f'<td class="user note">{_safe(row.note)}{_supervision(row, links)}</td>'
    )


@lru_cache(maxsize=1024)
def _state_cell(state: Light, status: str) -> str:
    """The cell of an assignment's light, and its status where the light says otherwise."""
    aside = f'<span class="detail">{_safe(status)}</span>' if status != state.state else ""
    return (
        f'<td class="nowrap" data-sort="{_safe(STATES.index(state.state))}">'
        f"{_light(state)}{aside}</td>"
    )


def _supervision(row: UnitRow, links: Links) -> str:
    """The supervision macro: why a claim was returned, the date an extension gave, and
    what the latest update says beyond its note, its evidence linked."""
    if not (row.review_note or row.extended_to or row.problems or row.next or row.evidence):
        return ""
    parts = []
    if row.review_note:
        note = _safe(row.review_note)
        parts.append(f'<span class="detail">（退回理由：<span class="user">{note}</span>）</span>')
    if row.extended_to:
        parts.append(f'<span class="detail">（延期至 {_safe(cn_date(row.extended_to))}）</span>')
    if row.problems:
        parts.append(f'<br>存在问题：<span class="user">{_safe(row.problems)}</span>')
    if row.next:
        parts.append(f'<br>下步措施：<span class="user">{_safe(row.next)}</span>')
    if row.evidence:
        items = []
        for number, item in enumerate(row.evidence, start=1):
            href = links.evidence(item)
            label = _safe(item if not item.startswith("evidence/") else f"附件{number}")
            if href:
                label = (
                    f'<a href="{_safe(href)}" class="user" rel="noopener noreferrer">{label}</a>'
                )
            items.append(label)
        parts.append("<br>佐证材料：" + "、".join(items))
    return "".join(parts)


def assignment_rows(rows: list[UnitRow], links: Links) -> Markup:
    """The rows of a task page's table of units: each unit, its role and its status cells."""
    return Markup(
        "".join(
            f"<tr>\n<td>{_unit_link(links, row.unit, row.designated)}</td>\n"
            f'<td class="nowrap">{_safe(ROLE_WORDS[row.role])}</td>\n'
            f"{_status_cells(row, links)}\n</tr>\n"
            for row in rows
        )
    )


def checklist_rows(rows: list[UnitRow], links: Links) -> Markup:
    """The rows of a unit page's checklist: each task, its role, requirement and deadline,
    and the unit's status cells."""
    return Markup(
        "".join(
            f'<tr>\n<td class="num"><a href="{_safe(links.task(row.task))}">{_safe(row.task)}</a>'
            f'</td>\n<td class="nowrap">{_safe(ROLE_WORDS[row.role])}</td>\n'
            f'<td class="user">{_safe(row.requirement)}</td>\n'
            f'<td class="nowrap" data-sort="{_safe(_sort_day(row.due_date))}">'
            f'<span class="user">{_safe(row.deadline)}</span></td>\n'
            f"{_status_cells(row, links)}\n</tr>\n"
            for row in rows
        )
    )


def _sort_day(day) -> str:
    """What a table sorts a deadline by: its date, or after every date where it has none."""
    return day.isoformat() if day else "9999"


def timeline(entries: list[Said], links: Links) -> Markup:
    """A task's log as the items of its page's list, one line each: what a template loop
    calling the unit_link macro for each entry would write. Each date, unit, status, note
    and clerk's markup is made once, however many updates show it."""
    units = _Made(lambda name: _unit_link(links, name))
    return Markup(
        "".join(
            f"<li>{_day(day)}{units[unit]}：{_safe(status)}{_note(note)}{_clerk(by)}</li>\n"
            for day, unit, status, note, by in entries
        )
    )


@lru_cache(maxsize=4096)
def _day(day) -> str:
    return f'<time datetime="{_safe(day.isoformat())}">{_safe(cn_date(day))}</time>'


@lru_cache(maxsize=4096)
def _note(note) -> str:
    return f'。<span class="user">{_safe(note)}</span>' if note else ""


@lru_cache(maxsize=4096)
def _clerk(by) -> str:
    if not by:
        return ""
    return f'<span class="detail">（填报人：<span class="user">{_safe(by)}</span>）</span>'


class _Made(dict):
    """Markup by the value it shows, made the first time a value is asked for."""

    def __init__(self, make):
        super().__init__()
        self._make = make

    def __missing__(self, value):
        made = self[value] = self._make(value)
        return made

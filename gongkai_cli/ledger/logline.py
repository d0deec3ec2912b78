"""Read progress.yaml fast: the one-line form that `gongkai update` writes, parsed by pattern.

The log grows by hundreds of lines a week and every command reads it, so building a
YAML node tree per line (with positions) is too slow at county scale. Lines in the
canonical form are read here directly into Entry tuples; if any line is not in that
form (a hand-edited file, say), the caller parses the whole file as YAML instead, so
the result never differs from what YAML would give.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import NamedTuple

from gongkai_cli.model.values import MAX_NAME, MAX_NOTE


class Entry(NamedTuple):
    """One update of the log, as the queries use it."""

    date: dt.date
    task: int
    unit: str
    status: str
    note: str | None
    by: str | None
    line: int  # 1-based line in progress.yaml


# A plain scalar of Chinese characters, or a double-quoted one holding only characters
# YAML reads as themselves (no raw line separators, NEL, C0/C1 controls or BOM).
_SCALAR = (
    r"(?:[\u3400-\u4dbf\u4e00-\u9fff（）·]+"
    r'|"(?:[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]|\\[^\x00-\x1f])*")'
)
# One line of the log: an entry in the canonical form, or a blank or comment line.
_LINE = re.compile(
    r"(?:- \{date: (\d{4}-\d\d-\d\d), task: ([1-9]\d{0,8}), unit: (" + _SCALAR + r"), "
    r"status: (未开始|进行中|进展缓慢|已完成|不涉及)"
    r"(?:, note: (" + _SCALAR + r"))?(?:, by: (" + _SCALAR + r"))?\}"
    r"|[ \t]*(?:#[^\r\n]*)?)[ \t]*\r?\n?"
)
_JSON_ESCAPES = re.compile(r'\\[^"\\/bfnrtu]')  # YAML-only escapes (\x, \U, …): leave to YAML


def parse_canonical(lines: Iterable[str]) -> list[Entry] | None:
    """Entries of a log (its lines, as from a file or io.StringIO) whose every line is
    canonical, blank or a comment; None as soon as one is not. Lines are read one at a
    time, so a large log is never held in memory as one string."""
    entries: list[Entry] = []
    append = entries.append
    # Names, notes and numbers repeat: keep one copy of each, keyed by the token as written.
    strings: dict[str | None, str | None] = {None: None}
    dates: dict[str, dt.date] = {}
    numbers: dict[str, int] = {}
    match = _LINE.fullmatch
    try:
        for number, line in enumerate(lines, start=1):
            found = match(line)
            if found is None:
                return None  # a line that is neither canonical nor blank
            day, task, unit, status, note, by = found.groups()
            if day is None:
                continue
            date = dates.get(day)
            if date is None:
                date = dates[day] = dt.date.fromisoformat(day)
            task_number = numbers.get(task)
            if task_number is None:
                task_number = numbers[task] = int(task)
            values = []
            for token in (unit, note, by):
                value = strings.get(token, strings)
                if value is strings:
                    value = strings[token] = _unquote(token)
                values.append(value)
            note_, by_ = values[1], values[2]
            if (note_ and len(note_) > MAX_NOTE) or (by_ and len(by_) > MAX_NAME):
                return None  # too long: the schema says so, and where
            append(Entry(date, task_number, values[0], status, note_, by_, number))
    except ValueError:  # a date or an escape only YAML can judge
        return None
    return entries


def _unquote(token: str) -> str:
    if token[0] != '"':
        return token
    if _JSON_ESCAPES.search(token):
        raise ValueError(token)
    return json.loads(token)

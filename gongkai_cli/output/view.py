"""One view model for tabular output, rendered as a Rich table, Markdown, JSON or CSV.

Commands build a View (and, for JSON, the payload of the public contract); the
renderers know nothing of the domain. Rich is imported only when a table is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gongkai_cli.output.environment import Environment

PLAIN = Environment()  # output to a file or a pipe, as a program's output is


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    long: bool = False  # long free text: shortened in a narrow table unless --wide
    no_wrap: bool = False
    bar: bool = False  # a percentage, drawn with a bar on the terminal
    # What the cells hold: text, a whole number (int) or a share (float, None for none):
    # spreadsheets store numbers as numbers, text formats write them as below.
    kind: str = "text"


Cell = str | int | float | None


def cell_text(column: Column, value: Cell) -> str:
    if column.kind == "percent":
        return "—" if value is None else f"{value * 100:.1f}%"
    return "" if value is None else str(value)


def text_rows(columns: list[Column], rows: list[list[Cell]]) -> list[list[str]]:
    return [[cell_text(c, v) for c, v in zip(columns, row, strict=True)] for row in rows]


@dataclass
class View:
    title: str
    columns: list[Column]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)  # lines after the table
    empty: str = "（无）"


def resolve_format(fmt: object, env: Environment = PLAIN) -> str:
    """The chosen format's name; by default a Rich table on a terminal and Markdown when
    the output goes to a file or a pipe, where box drawing helps nobody."""
    if fmt is not None:
        return getattr(fmt, "value", fmt)
    return "table" if env.terminal else "md"


def render(
    fmt: object,
    view: Callable[[], View],
    payload: Callable[[], Any],
    *,
    wide: bool = False,
    env: Environment = PLAIN,
) -> str:
    """A result in the chosen format, for the command to write. The view (table, md, csv)
    and the JSON payload are passed as builders: only the one the format needs is built."""
    from gongkai_cli.output.formats import FORMATS

    renderer = FORMATS[resolve_format(fmt, env)].renderer
    return renderer.render_view(view, payload, wide=wide, env=env)

"""Terminal output with Rich; every cell is a Text, so markup in user text is printed as is."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gongkai_cli.render.text import plain, shorten

# Chinese characters take two columns: 24 of them fill half an 80-column terminal.
SHORT_TEXT = 24


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def print_view(view, *, wide: bool = False) -> None:
    out = console()
    table = Table(title=Text(view.title, style="bold"), show_lines=False, expand=False)
    for column in view.columns:
        table.add_column(
            Text(column.header),
            no_wrap=column.no_wrap,
            overflow="fold",
            ratio=3 if column.long else None,
        )
    for row in view.rows:
        cells = []
        for column, cell in zip(view.columns, row, strict=True):
            text = cell if (wide or not column.long) else shorten(cell, SHORT_TEXT)
            cells.append(Text(plain(text)))
        table.add_row(*cells)
    if view.rows:
        out.print(table)
    else:
        out.print(Text(f"{view.title}：{view.empty}"))
    for note in view.notes:
        out.print(Text(plain(note)))

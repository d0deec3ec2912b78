"""Terminal output with Rich; every cell is a Text, so markup in user text is printed as is."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gongkai_cli.output.text import plain, shorten

# Chinese characters take two columns: 24 of them fill half an 80-column terminal.
SHORT_TEXT = 24


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


BAR_WIDTH = 8


def bar(cell: str) -> Text:
    """'62.5%' → a bar of BAR_WIDTH blocks followed by the figure."""
    try:
        share = float(cell.rstrip("%")) / 100
    except ValueError:
        return Text(cell)
    filled = round(share * BAR_WIDTH)
    style = "green" if share >= 0.8 else "yellow" if share >= 0.5 else "red"
    return Text("█" * filled, style=style) + Text("░" * (BAR_WIDTH - filled)) + Text(f" {cell}")


def rich_table(columns, rows, *, wide: bool = False, title: str | None = None) -> Table:
    table = Table(
        title=Text(plain(title), style="bold") if title else None, show_lines=False, expand=False
    )
    for column in columns:
        table.add_column(
            Text(column.header),
            no_wrap=column.no_wrap,
            overflow="fold",
            ratio=3 if column.long else None,
        )
    for row in rows:
        cells = []
        for column, cell in zip(columns, row, strict=True):
            if column.bar:
                cells.append(bar(cell))
                continue
            text = cell if (wide or not column.long) else shorten(cell, SHORT_TEXT)
            cells.append(Text(plain(text)))
        table.add_row(*cells)
    return table


def print_view(view, *, wide: bool = False) -> None:
    out = console()
    table = rich_table(view.columns, view.rows, wide=wide, title=view.title)
    if view.rows:
        out.print(table)
    else:
        out.print(Text(plain(f"{view.title}：{view.empty}")))
    for note in view.notes:
        out.print(Text(plain(note)))

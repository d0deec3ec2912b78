"""Terminal output with Rich; every cell is a Text, so markup in user text is printed as is.

Rendered into a string with the console's own idea of the terminal (width, colour), which
the command then writes: the renderer never writes to the terminal itself.
"""

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
        title=Text(title, style="bold") if title else None, show_lines=False, expand=False
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


def _captured(draw) -> str:
    out = console()
    with out.capture() as captured:
        draw(out)
    return captured.get()


def render_view(view, payload=None, *, wide: bool = False) -> str:
    view = view()

    def draw(out: Console) -> None:
        if view.rows:
            out.print(rich_table(view.columns, view.rows, wide=wide, title=view.title))
        else:
            out.print(Text(f"{view.title}：{view.empty}"))
        for note in view.notes:
            out.print(Text(plain(note)))

    return _captured(draw)


def render_document(doc, options) -> str:
    from gongkai_cli.output.reports import Heading, Paragraph

    def draw(out: Console) -> None:
        out.print(Text(plain(doc.full_title), style="bold"))
        for block in doc.blocks:
            if isinstance(block, Heading):
                out.print()
                out.print(Text(plain(block.text), style="bold"))
            elif isinstance(block, Paragraph):
                out.print(Text(plain(block.text)))
            else:
                out.print(rich_table(block.columns, block.text_rows(), wide=options.wide))

    return _captured(draw)


def render_sheet(title: str, fields: list[tuple[str, str]], view, *, wide: bool = False) -> str:
    """A record as labelled fields in a panel, followed by its table (`gongkai show`)."""
    from rich.panel import Panel

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in fields:
        grid.add_row(Text(label), Text(plain(value)))
    panel = _captured(
        lambda out: out.print(Panel(grid, title=Text(title, style="bold"), title_align="left"))
    )
    return panel + render_view(lambda: view, wide=wide)

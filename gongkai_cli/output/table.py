"""Terminal output with Rich; every cell is a Text, so markup in user text is printed as is.

Rendered into a string with the console's own idea of the terminal (width, colour), which
the command then writes: the renderer never writes to the terminal itself.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gongkai_cli.output.cjk import clip, names_in, width, wrap
from gongkai_cli.output.environment import Environment
from gongkai_cli.output.text import on_screen, one_line


def console(env: Environment | None = None) -> Console:
    """A console laid out for `env`; without one, as Rich finds the terminal (a library
    call that asks for a table)."""
    if env is None:
        return Console(highlight=False, soft_wrap=False)
    return Console(
        highlight=False,
        soft_wrap=False,
        width=env.width,
        force_terminal=env.terminal,
        no_color=not env.colour,
    )


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


# Long text (requirements, notes) takes at most two lines of its column unless --wide.
SHORT_LINES = 2
# Rich's default box: one space of padding each side of a cell, one rule between cells.
_CELL_FRAME, _MIN_WIDTH = 3, 8


def column_widths(columns, rows, total: int) -> list[int]:
    """Widths that use the terminal's full width. Every column gets its natural width if all
    fit; otherwise short columns (numbers, dates, states) stay whole, other columns up to a
    fair share, and long text takes what is left, in proportion to its length."""
    natural = [
        max([width(c.header)] + [max(map(width, row[i].split("\n"))) for row in rows])
        + (BAR_WIDTH + 1 if c.bar else 0)
        for i, c in enumerate(columns)
    ]
    room = total - _CELL_FRAME * len(columns) - 1
    if sum(natural) <= room:
        return natural
    widths = list(natural)
    fixed = [i for i, c in enumerate(columns) if c.no_wrap or c.bar]
    middle = [i for i, c in enumerate(columns) if i not in fixed and not c.long]
    long = [i for i, c in enumerate(columns) if c.long and i not in fixed]
    left = room - sum(natural[i] for i in fixed)
    fair = max(left // max(len(middle) + len(long), 1), _MIN_WIDTH)
    for i in middle:
        widths[i] = min(natural[i], fair)
    left -= sum(widths[i] for i in middle)
    # Long columns that need less than an equal share get what they need; the rest share.
    long = sorted(long, key=natural.__getitem__)
    for k, i in enumerate(long):
        share = left // (len(long) - k)
        widths[i] = max(min(natural[i], share), _MIN_WIDTH, width(columns[i].header))
        left -= widths[i]
    # A terminal too narrow for the minimums: take the excess from the widest flexible column.
    while sum(widths) > room:
        flexible = [i for i in (*middle, *long) if widths[i] > _MIN_WIDTH]
        if not flexible:
            break
        widest = max(flexible, key=widths.__getitem__)
        widths[widest] -= min(sum(widths) - room, widths[widest] - _MIN_WIDTH)
    return widths


def rich_table(
    columns, rows, *, wide: bool = False, title: str | None = None, total: int | None = None
) -> Table:
    total = total or console().width
    rows = [[on_screen(cell) for cell in row] for row in rows]
    if not wide:  # long text on one line: cut only what does not fit
        rows = [
            [one_line(cell) if c.long else cell for c, cell in zip(columns, row, strict=True)]
            for row in rows
        ]
    widths = column_widths(columns, rows, total)
    table = Table(
        title=Text(on_screen(title), style="bold") if title else None,
        show_lines=False,
        expand=False,
    )
    for column, size in zip(columns, widths, strict=True):
        table.add_column(Text(column.header), width=size, no_wrap=True, overflow="ellipsis")
    for row in rows:
        cells = []
        for column, cell, size in zip(columns, row, widths, strict=True):
            if column.bar:
                cells.append(bar(cell))
            else:
                lines = [
                    line for part in cell.split("\n") for line in wrap(part, size, names_in(part))
                ]
                if column.long and not wide and len(lines) > SHORT_LINES:
                    lines = [
                        *lines[: SHORT_LINES - 1],
                        clip("".join(lines[SHORT_LINES - 1 :]), size),
                    ]
                cells.append(Text("\n".join(lines)))
        table.add_row(*cells)
    return table


def wrapped(text: str, columns: int) -> Text:
    """Text broken into lines of `columns` by Chinese rules, lists between their items."""
    lines = [
        line for part in on_screen(text).split("\n") for line in wrap(part, columns, names_in(part))
    ]
    return Text("\n".join(lines))


def _captured(draw, env: Environment | None) -> str:
    out = console(env)
    with out.capture() as captured:
        draw(out)
    return captured.get()


def render_view(view, payload=None, *, wide: bool = False, env: Environment | None = None) -> str:
    view = view()

    def draw(out: Console) -> None:
        if view.rows:
            out.print(
                rich_table(view.columns, view.rows, wide=wide, title=view.title, total=out.width)
            )
        else:
            out.print(wrapped(f"{view.title}：{view.empty}", out.width))
        for note in view.notes:
            out.print(wrapped(note, out.width))

    return _captured(draw, env)


def render_document(doc, options) -> str:
    from gongkai_cli.output.reports import Heading, Paragraph

    def draw(out: Console) -> None:
        out.print(wrapped(doc.full_title, out.width), style="bold")
        for block in doc.blocks:
            if isinstance(block, Heading):
                out.print()
                out.print(wrapped(block.text, out.width), style="bold")
            elif isinstance(block, Paragraph):
                out.print(wrapped(block.text, out.width))
            else:
                out.print(
                    rich_table(block.columns, block.text_rows(), wide=options.wide, total=out.width)
                )

    return _captured(draw, options.env)


def render_sheet(
    title: str,
    fields: list[tuple[str, str]],
    view,
    *,
    wide: bool = False,
    env: Environment | None = None,
) -> str:
    """A record as labelled fields in a panel, followed by its table (`gongkai show`)."""
    from rich.panel import Panel

    out = console(env)
    label_width = max((width(label) for label, _ in fields), default=0)
    # The panel's two borders and paddings take 4 columns, the gap between label and value 1.
    value_width = out.width - 4 - label_width - 1
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=True)
    for label, value in fields:
        grid.add_row(Text(label), wrapped(value, value_width))
    panel = _captured(
        lambda out: out.print(
            Panel(grid, title=Text(on_screen(title), style="bold"), title_align="left")
        ),
        env,
    )
    return panel + render_view(lambda: view, wide=wide, env=env)

"""A record shown as labelled fields followed by a table (`gongkai show`)."""

from __future__ import annotations

import sys

from gongkai_cli.output.markdown import md_cell, view_to_markdown


def emit_sheet(
    title: str, fields: list[tuple[str, str]], view, fmt: str, *, wide: bool = False
) -> None:
    if fmt == "md":
        lines = [f"# {md_cell(title)}\n"]
        lines += [f"- **{md_cell(label)}**：{md_cell(value)}" for label, value in fields]
        sys.stdout.write("\n".join(lines) + "\n\n" + view_to_markdown(view))
        return
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from gongkai_cli.output.cjk import width
    from gongkai_cli.output.table import console, print_view, wrapped

    out = console()
    label_width = max((width(label) for label, _ in fields), default=0)
    # The panel's two borders and paddings take 4 columns, the gap between label and value 1.
    value_width = out.width - 4 - label_width - 1
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=True)
    for label, value in fields:
        grid.add_row(Text(label), wrapped(value, value_width))
    out.print(Panel(grid, title=Text(title, style="bold"), title_align="left"))
    print_view(view, wide=wide)

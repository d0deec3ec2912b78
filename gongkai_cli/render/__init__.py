"""One view model for tabular output, rendered as a Rich table, Markdown, JSON or CSV.

Commands build a View (and, for JSON, the payload of the public contract); the
renderers know nothing of the domain. Rich is imported only when a table is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMATS = ("table", "md", "json", "csv")


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    long: bool = False  # long free text: shortened in a narrow table unless --wide
    no_wrap: bool = False
    bar: bool = False  # a percentage, drawn with a bar on the terminal


@dataclass
class View:
    title: str
    columns: list[Column]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)  # lines after the table
    empty: str = "（无）"


def emit(view: View, fmt: str, payload: Any = None, *, wide: bool = False) -> None:
    """Write the view to standard output in the chosen format."""
    if fmt == "json":
        from gongkai_cli.render.data import write_json

        write_json(payload)
    elif fmt == "csv":
        from gongkai_cli.render.data import write_csv

        write_csv(view)
    elif fmt == "md":
        import sys

        from gongkai_cli.render.markdown import view_to_markdown

        sys.stdout.write(view_to_markdown(view))
    else:
        from gongkai_cli.render.table import print_view

        print_view(view, wide=wide)

"""One view model for tabular output, rendered as a Rich table, Markdown, JSON or CSV.

Commands build a View (and, for JSON, the payload of the public contract); the
renderers know nothing of the domain. Rich is imported only when a table is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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


def resolve_format(fmt: object) -> str:
    """The chosen format's name; by default a Rich table on a terminal and Markdown when
    the output goes to a file or a pipe, where box drawing helps nobody."""
    if fmt is not None:
        return getattr(fmt, "value", fmt)
    import sys

    return "table" if sys.stdout.isatty() else "md"


def emit(
    fmt: object, view: Callable[[], View], payload: Callable[[], Any], *, wide: bool = False
) -> None:
    """Write a result to standard output in the chosen format. The view (table, md, csv)
    and the JSON payload are passed as builders: only the one the format needs is built."""
    fmt = resolve_format(fmt)
    if fmt == "json":
        from gongkai_cli.output.data import write_json

        write_json(payload())
    elif fmt == "csv":
        from gongkai_cli.output.data import write_csv

        write_csv(view())
    elif fmt == "md":
        import sys

        from gongkai_cli.output.markdown import view_to_markdown

        sys.stdout.write(view_to_markdown(view()))
    else:
        from gongkai_cli.output.table import print_view

        print_view(view(), wide=wide)

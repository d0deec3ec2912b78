"""Reports (headings, paragraphs, tables) as Markdown, a terminal display, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from gongkai_cli.output.markdown import md_cell, md_table
from gongkai_cli.output.text import spreadsheet_cell


def flat_rows(table) -> list[list[str]]:
    """A table's rows for a flat format, its group heading carried in the first column."""
    if not table.group:
        return table.rows
    return [[f"{table.group}\n{row[0]}", *row[1:]] for row in table.rows]


def to_markdown(doc) -> str:
    from gongkai_cli.output.reports import Heading, Paragraph

    parts = [f"# {md_cell(doc.title)}\n"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append(f"{'#' * block.level} {md_cell(block.text)}\n")
        elif isinstance(block, Paragraph):
            parts.append(md_cell(block.text) + "\n")
        else:
            parts.append(md_table([c.header for c in block.columns], block.rows))
    return "\n".join(parts)


def to_csv(doc) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i, table in enumerate(doc.tables()):
        if i and (table.name != doc.tables()[i - 1].name):
            out.write("\n")
        if i == 0 or table.name != doc.tables()[i - 1].name:
            writer.writerow([c.header for c in table.columns])
        for row in flat_rows(table):
            writer.writerow([spreadsheet_cell(cell) for cell in row])
    return out.getvalue()


def to_json(doc) -> str:
    return json.dumps(doc.payload, ensure_ascii=False, indent=2) + "\n"


def print_document(doc, *, wide: bool = False) -> None:

    from gongkai_cli.output.reports import Heading, Paragraph
    from gongkai_cli.output.table import console, rich_table, wrapped

    out = console()
    out.print(wrapped(doc.title, out.width), style="bold")
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.print()
            out.print(wrapped(block.text, out.width), style="bold")
        elif isinstance(block, Paragraph):
            out.print(wrapped(block.text, out.width))
        else:
            out.print(rich_table(block.columns, block.rows, wide=wide))

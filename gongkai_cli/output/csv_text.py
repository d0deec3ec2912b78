"""CSV output: one table per file, formula-looking cells neutralised.

A report file is UTF-8 with a byte-order mark by default, which Chinese Excel needs to
read it as UTF-8 rather than GBK; `--encoding` chooses plain UTF-8 or GB18030 instead.
"""

from __future__ import annotations

import csv
import io

from gongkai_cli.output.text import spreadsheet_cell


def _csv(headers: list[str], rows: list[list[str]], numbers: frozenset[int] = frozenset()) -> str:
    """`numbers`: the columns that hold numbers, written as they are (a deduction of -5
    is a number, not a formula to neutralise)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [cell if i in numbers else spreadsheet_cell(cell) for i, cell in enumerate(row)]
        )
    return out.getvalue()


def render_view(view, payload=None, *, wide: bool = False, env=None) -> str:
    view = view()
    return _csv([c.header for c in view.columns], view.rows)


def render_document(doc, options) -> bytes:
    from gongkai_cli.errors import GongkaiError

    table = doc.flat_table()
    numbers = (
        frozenset(i for i, c in enumerate(table.columns) if c.kind == "number")
        if table
        else frozenset()
    )
    text = (
        "" if table is None else _csv([c.header for c in table.columns], table.text_rows(), numbers)
    )
    try:
        return text.encode(options.encoding)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        raise GongkaiError(
            f"报表中的字符“{bad}”无法用 {options.encoding} 编码；请改用 --encoding utf-8-sig。"
        ) from None

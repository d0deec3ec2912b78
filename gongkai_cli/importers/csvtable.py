"""CSV plans: one table, in UTF-8 (with or without BOM) or GB18030 as Chinese Excel saves it."""

from __future__ import annotations

import csv
import io

from gongkai_cli.importers.grid import MAX_COLUMNS, Grid, RowCounter, cell_text, square


def delimiter_of(text: str) -> str | None:
    """The delimiter of a CSV whose header row names plan columns, else None (not a CSV)."""
    from gongkai_cli.importers.headers import header_meaning

    for line in text.splitlines()[:30]:
        for delimiter in (",", "\t", ";"):
            cells = next(csv.reader([line], delimiter=delimiter), [])
            if len(cells) >= 3 and sum(1 for c in cells if header_meaning(c)) >= 2:
                return delimiter
    return None


def read_csv(text: str, delimiter: str, filename: str) -> list[Grid]:
    counter = RowCounter(filename)
    rows = []
    for values in csv.reader(io.StringIO(text), delimiter=delimiter):
        counter.add()
        rows.append([cell_text(v) for v in values[:MAX_COLUMNS]])
    return [Grid("", square(rows), cell_ref=lambda r, c: f"第{r + 1}行第{c + 1}列")]

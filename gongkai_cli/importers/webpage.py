"""Web-page plans: the tables of a saved page, rowspan and colspan expanded, layout ignored.

The standard library's html.parser is enough here and adds no dependency: a plan page
needs only tables, cells, line breaks and the headings above them, and the parser
tolerates the unclosed <td>, <tr> and <p> that government sites still publish. Which
table is the plan is decided by its header cells, so navigation and footer tables (and
tables nested in them) simply never qualify.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from gongkai_cli.importers.grid import MAX_COLUMNS, MAX_ROWS, Grid, RowCounter, cell_text, square

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w]+)""", re.IGNORECASE)
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "center", "section"}
_SKIP = {"script", "style", "noscript", "template"}


def decode_html(data: bytes) -> str:
    """The page's text: a BOM or <meta charset> decides, else UTF-8, else GB18030, else
    what charset-normalizer detects from the bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        if name in ("gb2312", "gbk", "gb18030"):
            name = "gb18030"  # the superset: pages labelled gb2312 use GBK characters
        try:
            return data.decode(name, errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # what an undeclared Chinese page almost always is
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes  # only for a page no rule decodes

        best = from_bytes(data[:200_000]).best()
        return str(best) if best is not None else data.decode("gb18030", errors="replace")


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.row: list[tuple[str, int, int]] | None = None  # (text, rowspan, colspan)
        self.cell: list[str] | None = None
        self.span = (1, 1)

    def close_cell(self) -> None:
        if self.cell is not None and self.row is not None:
            self.row.append((cell_text("".join(self.cell)), *self.span))
        self.cell = None

    def close_row(self, pending: dict[int, tuple[str, int]], counter: RowCounter) -> None:
        self.close_cell()
        if self.row is None:
            return
        counter.add()
        out: list[str] = []
        cells = iter(self.row)
        while True:
            column = len(out)
            if column in pending:  # a cell from a row above reaches down into this one
                text, left = pending.pop(column)
                out.append(text)
                if left > 1:
                    pending[column] = (text, left - 1)
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text, rowspan, colspan = cell
            for _ in range(colspan):
                if rowspan > 1:
                    pending[len(out)] = (text, rowspan - 1)
                out.append(text)
            if len(out) >= MAX_COLUMNS:
                break
        while pending and max(pending) >= len(out) and len(out) < MAX_COLUMNS:
            column = len(out)
            if column in pending:
                text, left = pending.pop(column)
                out.append(text)
                if left > 1:
                    pending[column] = (text, left - 1)
            else:
                out.append("")
        self.rows.append(out[:MAX_COLUMNS])
        self.row = None


class _PageParser(HTMLParser):
    def __init__(self, counter: RowCounter) -> None:
        super().__init__(convert_charrefs=True)
        self.counter = counter
        self.stack: list[tuple[_Table, dict[int, tuple[str, int]], list[str]]] = []
        self.grids: list[Grid] = []
        self.texts: list[str] = []  # block texts, in page order
        self.block: list[str] = []
        self.headings: dict[str, str] = {}
        self.capture: str | None = None  # "h1" or "title" while inside one
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skipping += 1
            return
        table = self.stack[-1][0] if self.stack else None
        if tag == "table":
            self._flush()
            self.stack.append((_Table(), {}, self.texts[::-1][:5]))
        elif table is not None and tag == "tr":
            table.close_row(self.stack[-1][1], self.counter)
            table.row = []
        elif table is not None and tag in ("td", "th"):
            self._flush()
            table.close_cell()
            if table.row is None:
                table.row = []
            values = dict(attrs)
            table.span = (
                _span(values.get("rowspan"), MAX_ROWS),
                _span(values.get("colspan"), MAX_COLUMNS),
            )
            table.cell = []
        elif tag == "br" or tag in _BLOCKS:
            self._text("\n")
            if tag == "h1":
                self.capture = tag
        elif tag == "title":
            self.capture = "title"

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "table" and self.stack:
            table, pending, above = self.stack.pop()
            table.close_row(pending, self.counter)
            self.grids.append(Grid(f"第{len(self.grids) + 1}个表格", square(table.rows), above))
        elif self.stack and tag in ("td", "th"):
            self._flush()
            self.stack[-1][0].close_cell()
        elif self.stack and tag == "tr":
            self.stack[-1][0].close_row(self.stack[-1][1], self.counter)
        elif tag in _BLOCKS or tag == "title":
            self._text("\n")
            if tag == self.capture:
                self.capture = None

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._text(data)

    def _text(self, data: str) -> None:
        # Page text is kept in order wherever it stands, since whole pages are often laid
        # out inside a table: the plan's heading may sit in a layout cell above it.
        cell = self.stack[-1][0].cell if self.stack else None
        if cell is not None:
            cell.append(data)
        if data == "\n":
            self._flush()
        else:
            self.block.append(data)
            if self.capture:
                self.headings[self.capture] = self.headings.get(self.capture, "") + data

    def _flush(self) -> None:
        if text := cell_text(" ".join("".join(self.block).split())):
            self.texts.append(text)
        self.block = []


def _span(value: str | None, most: int) -> int:
    try:
        return max(1, min(int(value or 1), most))
    except ValueError:
        return 1


def read_html(data: bytes, filename: str) -> tuple[list[Grid], list[str], list[str]]:
    """The page's tables (nested ones too, each on its own), its <h1> and <title>, and its
    text blocks in order (for a plan written as prose)."""
    parser = _PageParser(RowCounter(filename))
    parser.feed(decode_html(data))
    parser.close()
    while parser.stack:  # a page cut off inside a table still yields what it had
        parser.handle_endtag("table")
    headings = [cell_text(parser.headings.get(tag, "")) for tag in ("h1", "title")]
    return parser.grids, [h for h in headings if h], parser.texts

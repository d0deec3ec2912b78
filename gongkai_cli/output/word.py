"""Reports as Word documents in the official layout (公文格式), after GB/T 9704.

A4 with the standard margins; the title in 方正小标宋简体 二号, the body in 仿宋_GB2312 三号,
tables in 仿宋 五号, each with its East Asian font set (w:eastAsia), which is what Word uses
for Chinese text; page numbers “— 1 —”; wide tables in a landscape section with the header
row repeated on every page. The same data and date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

from gongkai_cli.model.dates import chinese_date
from gongkai_cli.output.cjk import unbreakable
from gongkai_cli.output.package import reproducible
from gongkai_cli.output.text import plain

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "仿宋"
HEADING_FONT = "黑体"
TABLE_FONT = "仿宋"
PAGE_NUMBER_FONT = "宋体"
# 号 sizes in points
ERHAO, SANHAO, SIHAO, XIAOSI, WUHAO = 22, 16, 14, 12, 10.5
LINE = 28  # points between body lines: 22 lines on a page, as the standard asks
# Margins in millimetres (top, bottom, left, right) of a portrait page; a landscape page
# turns them with the paper, so the binding edge keeps its margin.
MARGINS = (37, 35, 28, 26)
A4 = (210, 297)


def _fonts(run_or_style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a font for every script: python-docx's font.name sets only the Latin ones."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _font_table_fallbacks(document) -> None:
    """Name a fallback for each official font in the font table (w:altName): offices without
    方正小标宋简体 or 仿宋_GB2312 installed then show 宋体 and 仿宋."""
    part = next(
        p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"
    )
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        for name, alt in ((TITLE_FONT, TITLE_FALLBACK), (BODY_FONT, BODY_FALLBACK))
    )
    # A plain part of the template: python-docx keeps its bytes and has no API for it.
    part._blob = part.blob.replace(b"</w:fonts>", entries.encode() + b"</w:fonts>")


def _page(section, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    top, bottom, left, right = MARGINS
    width, height = A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(height), Mm(width)
        section.left_margin, section.right_margin = Mm(top), Mm(bottom)
        section.top_margin, section.bottom_margin = Mm(right), Mm(left)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.footer_distance = Mm(28 - 7)  # the page number sits 7 mm below the text block


def _page_numbers(section) -> None:
    """“— 1 —” centred in the footer, 4号 宋体, a PAGE field between two dashes."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run(text: str = ""):
        r = paragraph.add_run(text)
        _fonts(r, PAGE_NUMBER_FONT, SIHAO)
        return r

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        r = run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
        else:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            r._r.append(text)
        if kind == "separate":
            run("1")
    run(" —")


def _styles(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    _fonts(normal, BODY_FONT, SANHAO)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)


def _paragraph(
    document,
    text: str,
    *,
    font=BODY_FONT,
    size=SANHAO,
    bold=None,
    align=None,
    indent: bool = False,
    right_indent: float = 0,
):
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(max(LINE, size * 1.3))
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # two characters, as Chinese paragraphs begin
    if right_indent:
        fmt.right_indent = Pt(right_indent)
    if align is not None:
        paragraph.alignment = align
    _fonts(paragraph.add_run(plain(text)), font, size, bold)
    return paragraph


def _cell(cell, text: str | list[str], *, bold: bool = False, center: bool = False) -> None:
    """A cell of text (a paragraph per line), or of paragraphs already broken into lines
    (`_lines_of`): those lines are line breaks within the paragraph, lighter than a
    paragraph each."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = text if isinstance(text, list) else plain(text).split("\n")
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            paragraph = cell.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
        fmt.first_line_indent = Pt(0)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(paragraph.add_run(line), TABLE_FONT, WUHAO, bold or None)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    # In the schema's order: Word refuses a file whose row properties are out of order.
    properties.append(OxmlElement("w:cantSplit"))
    properties.append(OxmlElement("w:tblHeader"))


# Rows of up to this many lines are never split over two pages. A taller row may split:
# LibreOffice (7.4) drops the rows after a tall unsplittable row that meets a page break.
WHOLE_ROW_LINES = 8


def _whole(row) -> None:
    """A row never split over two pages (a task read across a page break is misread)."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _keep_with_next(row) -> None:
    """The row stays on the page of what follows it: the last table carries the issuer and
    date over a page break with it, so they never stand alone on a page."""
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


MM_PER_UNIT = 1.9  # a half-width character of 五号 text, in millimetres
PADDING_MM = 6


CELL_MARGINS_MM = 3.8  # Word's default cell margins, left and right together


def _widths(tables, usable_mm: float, keep: tuple[str, ...]) -> list[float]:
    """Column widths in millimetres, one set for all `tables` (they share their columns)."""
    from gongkai_cli.output.paged import widths

    rows = [row for table in tables for row in table.text_rows()]
    units = widths(tables[0].columns, rows, usable_mm / MM_PER_UNIT, PADDING_MM / MM_PER_UNIT, keep)
    return [w * MM_PER_UNIT for w in units]


def _lines_of(text: str, width_mm: float, keep: tuple[str, ...]) -> list[str]:
    """The cell's text broken into lines by the one rule (cjk.wrap), as the terminal breaks
    it: Writer and Word do not reliably honour no-break joins, so the lines are given. Half
    a character of slack keeps a line from being wrapped once more by the word processor."""
    from gongkai_cli.output.cjk import printed_width, wrap

    room = int((width_mm - CELL_MARGINS_MM) / MM_PER_UNIT - 1)
    return ["\n".join(wrap(part, room, keep, printed_width)) for part in plain(text).split("\n")]


def _table(document, table, widths: list[float], keep: tuple[str, ...], tail: bool = False) -> None:
    """A table; a `tail` is the last rows of one, printed as a table of their own without
    the header, each row kept with what follows (see `_body`)."""
    from docx.shared import Mm

    rows = table.text_rows()
    grid = document.add_table(rows=1 + len(rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice and WPS read
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    header = grid.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, table.columns, strict=True):
        _cell(cell, column.header, bold=True, center=True)
    for r, values in enumerate(rows, start=1):
        cells = grid.rows[r].cells
        texts = [_lines_of(value, width, keep) for value, width in zip(values, widths, strict=True)]
        for c, (column, text) in enumerate(zip(table.columns, texts, strict=True)):
            if table.merge and c == 0 and r > 1 and values[0] == rows[r - 2][0]:
                continue  # drawn as one cell with the one above
            _cell(cells[c], text, center=column.kind != "text" or column.no_wrap)
        if tail:
            _keep_with_next(grid.rows[r])
        elif max(sum(p.count("\n") + 1 for p in t) for t in texts) <= WHOLE_ROW_LINES:
            _whole(grid.rows[r])
    if table.merge:
        for r in range(1, len(rows) + 1):
            above = r > 1 and rows[r - 1][0] == rows[r - 2][0]
            below = r < len(rows) and rows[r - 1][0] == rows[r][0]
            if above or below:
                _open(grid.cell(r, 0), top=above, bottom=below)
    if tail:
        grid._tbl.remove(header._tr)


def _open(cell, *, top: bool, bottom: bool) -> None:
    """A 工作任务 cell drawn as one with its neighbours of the same subsection: the text in
    the first, no rule between them. Not a merged cell: LibreOffice loses rows of a table
    whose rows may not split when a merged cell spans a page break."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    borders = OxmlElement("w:tcBorders")
    for side, opened in (("top", top), ("bottom", bottom)):
        if opened:
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "nil")
            borders.append(edge)
    properties = cell._tc.get_or_add_tcPr()
    # In the schema's order: tcBorders comes before vAlign.
    properties.insert(properties.index(properties.find(qn("w:vAlign"))), borders)


def _tail_start(table) -> int:
    """Where the last rows of a table begin that go with the issuer over a page break: the
    last row, or the last run of rows under one merged 工作任务 cell."""
    rows, start = table.rows, len(table.rows) - 1
    while table.merge and start > 0 and rows[start - 1][0] == rows[start][0]:
        start -= 1
    return start


def _hairline(document) -> None:
    """An empty paragraph one point high: without it two tables are one."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    fmt = document.add_paragraph().paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(1)


def _usable(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 36000


def _title(document, doc, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    usable_pt = _usable(document.sections[-1]) / 25.4 * 72
    if doc.title_break and len(title) * ERHAO > usable_pt:  # two lines, split where it reads
        title = f"{title[: doc.title_break]}\n{title[doc.title_break :]}"
    heading = _paragraph(
        document, title, font=TITLE_FONT, size=ERHAO, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    heading.paragraph_format.space_after = Pt(0)
    _paragraph(
        document,
        f"（截至{chinese_date(doc.as_of)}）",
        font=BODY_FONT,
        size=SANHAO,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    ).paragraph_format.space_after = Pt(LINE / 2)


def _body(document, doc, section) -> object:
    """Write one report's blocks; a table wanting the other orientation gets a new section.
    Returns the section in use at the end."""
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from gongkai_cli.output.reports import Heading, Paragraph, Table

    tables = doc.tables()

    def turn(section, table):
        """The section for `table`: a new one where it wants the other orientation."""
        landscape = bool(table.landscape)
        if (section.page_width > section.page_height) == landscape:
            return section
        section = document.add_section(WD_SECTION.NEW_PAGE)
        _page(section, landscape)
        return section

    for i, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            following = doc.blocks[i + 1] if i + 1 < len(doc.blocks) else None
            if isinstance(following, Table):  # the heading turns the page with its table
                section = turn(section, following)
            heading = _paragraph(document, block.text, font=HEADING_FONT, size=SANHAO)
            heading.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            _paragraph(document, unbreakable(block.text, doc.keep), indent=True)
        else:
            section = turn(section, block)
            alike = [t for t in tables if t.columns == block.columns]
            widths = _widths(alike, _usable(section), doc.keep)
            last = bool(doc.issuer) and block is doc.blocks[-1]
            tail = _tail_start(block) if last else 0
            if tail:
                # The issuer and date must not stand alone on a page. LibreOffice keeps the
                # last row of a table with what follows only if the table has not run over
                # a page already; so the last rows are a table of their own, kept with them.
                _table(document, replace(block, rows=block.rows[:tail]), widths, doc.keep)
                _hairline(document)
                block = replace(block, rows=block.rows[tail:])
            _table(document, block, widths, doc.keep, tail=bool(tail))
            if last and not tail:  # one row, or one run: the whole table goes with them
                for row in document.tables[-1].rows:
                    _keep_with_next(row)
    if doc.issuer:
        gap = _paragraph(document, "")
        gap.paragraph_format.keep_with_next = True
        gap.paragraph_format.line_spacing = Pt(LINE / 2)
        for text in (doc.issuer, chinese_date(doc.as_of)):
            signed = _paragraph(
                document, text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=SANHAO * 4
            )
            signed.paragraph_format.keep_with_next = text == doc.issuer
    return section


def _new(title: str, as_of: dt.date, author: str, landscape: bool):
    from docx import Document

    document = Document()
    _styles(document)
    _font_table_fallbacks(document)
    section = document.sections[0]
    _page(section, landscape)
    _page_numbers(section)
    stamp = dt.datetime.combine(as_of, dt.time())
    core = document.core_properties
    core.title, core.author, core.last_modified_by = title, author, author
    core.comments = core.subject = core.keywords = core.category = ""
    core.created = core.modified = core.last_printed = stamp
    core.revision = 1
    return document, section


def _save(document, as_of: dt.date) -> bytes:
    raw = io.BytesIO()
    document.save(raw)
    return reproducible(raw.getvalue(), as_of)


def _starts_landscape(doc) -> bool:
    tables = doc.tables()
    return bool(tables) and tables[0].landscape


def render_document(doc, options=None) -> bytes:
    document, section = _new(
        doc.full_title, doc.as_of, doc.issuer or "gongkai", _starts_landscape(doc)
    )
    if doc.provenance is not None:  # read back by `gongkai verify`
        core = document.core_properties
        core.identifier = doc.provenance.to_json()
        core.comments = doc.provenance.sentence("docx")
    _title(document, doc, doc.title)
    _body(document, doc, section)
    return _save(document, doc.as_of)


def render_documents(docs, title: str, as_of: dt.date) -> bytes:
    """Many reports (every unit's checklist) as one document, each starting on a new page."""
    from docx.enum.text import WD_BREAK

    first = docs[0] if docs else None
    document, section = _new(
        title,
        as_of,
        (first.issuer if first else "") or "gongkai",
        bool(first) and _starts_landscape(first),
    )
    for i, doc in enumerate(docs):
        if i:
            document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        _title(document, doc, doc.title)
        section = _body(document, doc, section)
    return _save(document, as_of)

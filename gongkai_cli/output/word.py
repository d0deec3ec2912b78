"""Reports as Word documents in the official layout (公文格式), after GB/T 9704.

A4 with the standard margins; the title in 方正小标宋简体 二号, the body in 仿宋_GB2312 三号,
tables in 仿宋 五号, each with its East Asian font set (w:eastAsia), which is what Word uses
for Chinese text; page numbers “— 1 —”; wide tables in a landscape section with the header
row repeated on every page. The same data and date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io

from gongkai_cli.model.dates import chinese_date
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


def _cell(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = plain(text).split("\n")
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


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


MM_PER_UNIT = 1.9  # a half-width character of 五号 text, in millimetres
PADDING_MM = 5


def _widths(columns, rows: list[list[str]], usable_mm: float) -> list[float]:
    """Column widths in millimetres: short columns as wide as their widest line, long text
    sharing what is left in proportion to how much of it there is."""
    fixed: list[float | None] = []
    weights: list[float] = []
    for i, column in enumerate(columns):
        lines = [column.header, *(line for row in rows for line in row[i].split("\n"))]
        widest = max(_display_width(line) for line in lines)
        if column.long:
            fixed.append(None)
            weights.append(max(sum(_display_width(row[i]) for row in rows), 1))
        else:
            cap = 24 if column.no_wrap else 14  # a heading such as 工作任务 may wrap
            fixed.append(min(widest, cap) * MM_PER_UNIT + PADDING_MM)
    rest = usable_mm - sum(w for w in fixed if w is not None)
    if not weights or rest <= 0:
        total = sum(w or 30 for w in fixed)
        return [(w or 30) * usable_mm / total for w in fixed]
    # Square roots, and a floor, keep a column of long notes from starving the others.
    roots = [w**0.5 for w in weights]
    floor = 0.7 * sum(roots) / len(roots)
    shares = iter([max(r, floor) for r in roots])
    total = sum(max(r, floor) for r in roots)
    widths = [w if w is not None else rest * next(shares) / total for w in fixed]
    return _headings_fit(columns, fixed, widths)


def _headings_fit(columns, fixed: list[float | None], widths: list[float]) -> list[float]:
    """Long columns at least as wide as their heading on one line (a sparse 存在问题 column
    beside a full 具体要求 would otherwise be a sliver), the width taken from the long columns
    that have more than they need."""
    least = [_display_width(c.header) * MM_PER_UNIT + PADDING_MM for c in columns]
    short = [i for i, w in enumerate(widths) if fixed[i] is None and w < least[i]]
    if not short:
        return widths
    needed = sum(least[i] - widths[i] for i in short)
    spare = {
        i: widths[i] - least[i]
        for i, w in enumerate(widths)
        if fixed[i] is None and i not in short and w > least[i]
    }
    if sum(spare.values()) <= needed:
        return widths
    scale = needed / sum(spare.values())
    return [
        least[i] if i in short else w - spare[i] * scale if i in spare else w
        for i, w in enumerate(widths)
    ]


def _table(document, table, usable_mm: float) -> None:
    from docx.shared import Mm

    rows = table.text_rows()
    grid = document.add_table(rows=1 + len(rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    widths = _widths(table.columns, rows, usable_mm)
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
        for c, (column, value) in enumerate(zip(table.columns, values, strict=True)):
            if table.merge and c == 0 and r > 1 and value == rows[r - 2][0]:
                continue  # merged below into the cell above
            _cell(cells[c], value, center=column.kind != "text" or column.no_wrap)
    if table.merge:
        start = 1
        for r in range(2, len(rows) + 2):
            if r > len(rows) or rows[r - 1][0] != rows[start - 1][0]:
                if r - 1 > start:
                    grid.cell(start, 0).merge(grid.cell(r - 1, 0))
                start = r


def _usable(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 36000


def _title(document, doc, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

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

    from gongkai_cli.output.reports import Heading, Paragraph

    for block in doc.blocks:
        if isinstance(block, Heading):
            heading = _paragraph(document, block.text, font=HEADING_FONT, size=SANHAO)
            heading.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            _paragraph(document, block.text, indent=True)
        else:
            landscape = bool(block.landscape)
            if (section.page_width > section.page_height) != landscape:
                section = document.add_section(WD_SECTION.NEW_PAGE)
                _page(section, landscape)
            _table(document, block, _usable(section))
    if doc.issuer:
        _paragraph(document, "")
        for text in (doc.issuer, chinese_date(doc.as_of)):
            _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=SANHAO * 4)
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

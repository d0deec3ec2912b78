"""Markdown output: GitHub-flavoured tables whose cells are always plain text."""

from __future__ import annotations

from gongkai_cli.output.text import md_cell


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(md_cell(h) for h in headers) + " |"]
    lines.append("|" + "|".join(" --- " for _ in headers) + "|")
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def view_to_markdown(view) -> str:
    parts = [f"## {md_cell(view.title)}\n"]
    if view.rows:
        parts.append(md_table([c.header for c in view.columns], view.rows))
    else:
        parts.append(view.empty + "\n")
    parts += [f"{md_cell(note)}\n" for note in view.notes]
    return "\n".join(parts)


def render_view(view, payload=None, *, wide: bool = False, env=None) -> str:
    return view_to_markdown(view())


def render_document(doc, options=None) -> str:
    from gongkai_cli.model.dates import chinese_date
    from gongkai_cli.output.reports import Heading, Paragraph

    parts = [f"# {md_cell(doc.full_title)}\n"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append(f"{'#' * block.level} {md_cell(block.text)}\n")
        elif isinstance(block, Paragraph):
            parts.append(md_cell(block.text) + "\n")
        else:
            parts.append(md_table([c.header for c in block.columns], block.text_rows()))
    if doc.issuer:
        parts.append(f"{md_cell(doc.issuer)}<br>{chinese_date(doc.as_of)}\n")
    return "\n".join(parts)


def render_sheet(
    title: str, fields: list[tuple[str, str]], view, *, wide: bool = False, env=None
) -> str:
    """A record as a list of labelled fields followed by its table (`gongkai show`)."""
    lines = [f"# {md_cell(title)}\n"]
    lines += [f"- **{md_cell(label)}**：{md_cell(value)}" for label, value in fields]
    return "\n".join(lines) + "\n\n" + view_to_markdown(view)

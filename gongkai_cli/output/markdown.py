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

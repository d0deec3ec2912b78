"""Make untrusted text (notes, names) safe in each output: it is shown, never interpreted."""

from __future__ import annotations

import re

_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]"
)  # C0 and C1 controls, line separators
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(text: str) -> str:
    """Drop control characters (terminal escapes among them); keep newlines and tabs."""
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


def one_line(text: str) -> str:
    return " ".join(plain(text).split())


def md_cell(text: str) -> str:
    """Text as one Markdown table cell: no markup, no HTML, no column break, no raw newline."""
    text = plain(text).replace("&", "&amp;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return "<br>".join(part.strip() for part in text.split("\n"))


def spreadsheet_cell(text: str) -> str:
    """Neutralise a cell that a spreadsheet would read as a formula (CSV injection)."""
    text = plain(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def shorten(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def display_width(text: str) -> int:
    """Columns the text takes in a monospaced grid: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

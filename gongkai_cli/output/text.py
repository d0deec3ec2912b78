"""Make untrusted text (notes, names) safe in each output: it is shown, never interpreted."""

from __future__ import annotations

import re

_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]"
)  # C0 and C1 controls, line separators
# Everything a terminal may act on or not show: controls (escape sequences begin with
# one), format characters (zero-width, bidi), separators, surrogates, noncharacters.
_INVISIBLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f"
    r"\u2028-\u202e\u2060-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb\ufffe\uffff"
    r"\U000110bd\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001-\U000e007f]"
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(text: str) -> str:
    """Drop control characters (terminal escapes among them); keep newlines and tabs."""
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


def _escape(found: re.Match) -> str:
    code = ord(found.group())
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """Text for one line of a message: every invisible or active character (an escape
    sequence, a zero-width space, a line break) written out as \\uXXXX, so what a
    terminal shows is what the data holds."""
    return _INVISIBLE.sub(_escape, text)


def on_screen(text: str) -> str:
    """A cell of a terminal table: controls dropped, and what is left that a terminal would
    act on or hide (a bidi override, a zero-width space) written out as \\uXXXX."""
    return terminal(plain(text))


def terminal(text: str) -> str:
    """Like `visible`, but line breaks and tabs stay: for messages of several lines."""
    return "\n".join(
        "\t".join(visible(part) for part in line.split("\t")) for line in text.split("\n")
    )


def one_line(text: str) -> str:
    return " ".join(plain(text).split())


def md_cell(text: str) -> str:
    """Text as one Markdown table cell: no markup, no HTML, no column break, no raw newline,
    and a bidi control shown as \\uXXXX rather than obeyed."""
    from gongkai_cli.model.typed import BIDI

    text = BIDI.sub(_escape, plain(text)).replace("&", "&amp;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return "<br>".join(part.strip() for part in text.split("\n"))


def spreadsheet_cell(text: str) -> str:
    """Neutralise a cell that a spreadsheet would read as a formula (CSV injection)."""
    text = plain(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def display_width(text: str) -> int:
    """Columns the text takes in a monospaced grid: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

"""Chinese text on a terminal: display width, and line breaking by the rules of 禁则."""

from __future__ import annotations

import unicodedata

# No line starts with closing punctuation, and none ends with opening punctuation.
NO_START = frozenset("、，。；：？！）》」』】〕〉”’…—,.;:?!)]}%")
NO_END = frozenset("（《「『【〔〈“‘([{")


def width(text: str) -> int:
    """Columns a terminal gives the text: two for wide (CJK) characters, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pieces(text: str, keep: tuple[str, ...]) -> list[str]:
    """Units that are never split: a word of Latin letters or digits, a name from `keep`, or
    one character; with the punctuation that may not start or end a line glued on."""
    pieces: list[str] = []
    opening = ""
    i = 0
    while i < len(text):
        name = next((k for k in keep if text.startswith(k, i)), None)
        j = i + len(name) if name else i + 1
        if not name and text[i].isascii() and not text[i].isspace():
            while j < len(text) and text[j].isascii() and not text[j].isspace():
                j += 1
        piece, i = text[i:j], j
        if piece in NO_END:
            opening += piece
        elif piece in NO_START and pieces and not opening:
            pieces[-1] += piece
        else:
            pieces.append(opening + piece)
            opening = ""
    if opening:
        pieces.append(opening)
    return pieces


def wrap(text: str, columns: int, keep: tuple[str, ...] = ()) -> list[str]:
    """Lines of at most `columns` columns: a line never starts with 、，。）” and never ends
    with （“, and no word or name in `keep` (unit names, say) is split unless it alone is
    wider than a line."""
    columns = max(columns, 4)
    keep = tuple(sorted((k for k in keep if k), key=len, reverse=True))
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for piece in _pieces(paragraph, keep):
            size = width(piece)
            if used + size > columns and line:
                lines.append(line.rstrip())
                line, used = "", 0
                if piece == " ":
                    continue
            while size > columns:  # too wide even alone: cut it
                cut = 1
                while width(piece[: cut + 1]) <= columns:
                    cut += 1
                while cut > 1 and (piece[cut] in NO_START or piece[cut - 1] in NO_END):
                    cut -= 1
                lines.append(piece[:cut])
                piece, size = piece[cut:], width(piece[cut:])
            line += piece
            used += size
        lines.append(line.rstrip())
    return lines


def clip(text: str, columns: int) -> str:
    """The text cut to `columns` columns, with … where something was cut."""
    if width(text) <= columns:
        return text
    cut = ""
    for char in text:
        if width(cut + char) > columns - 1:
            break
        cut += char
    return cut + "…"


def names_in(text: str, longest: int = 16) -> tuple[str, ...]:
    """The short items of a list such as 县财政局、县教育局、各镇: kept whole when wrapping, so a
    list of units breaks between names, never inside one."""
    import re

    return tuple(p for p in re.split(r"[、，；：,;\s]", text) if 1 < len(p) <= longest)

"""Chinese line breaking by the rules of 禁则, one rule for every renderer: the terminal
breaks lines itself (`wrap`); Word, Excel and browsers break them their own way, so their
text carries no-break joins where the rule forbids a break (`unbreakable`)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

# No line starts with closing punctuation, and none ends with opening punctuation.
NO_START = frozenset("、，。；：？！）》」』】〕〉”’…—,.;:?!)]}%")
NO_END = frozenset("（《「『【〔〈“‘([{")
# A zero-width no-break between two characters forbids a line break there. Unicode prefers
# U+2060 for it, but LibreOffice Calc honours only U+FEFF; Writer and browsers honour both.
NO_BREAK = "\ufeff"
SHORT_ASIDE = 8  # characters inside brackets kept on one line: （按单位）, （未指定）, （12天）


def printed_width(text: str) -> int:
    """Columns the text takes in a Chinese font on paper, where “”‘’…— are as wide as a
    character (a terminal gives these ambiguous-width marks one column)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def width(text: str) -> int:
    """Columns a terminal gives the text: two for wide (CJK) characters, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pieces(text: str, keep: tuple[str, ...]) -> list[str]:
    """Units that are never split: a word of Latin letters or digits, a name from `keep`, or
    one character; with the punctuation that may not start or end a line glued on."""
    pieces: list[str] = []
    opening = ""
    by_first: dict[str, list[str]] = {}  # a document keeps a hundred names: look up few
    for k in keep:
        by_first.setdefault(k[0], []).append(k)
    i = 0
    while i < len(text):
        name = next((k for k in by_first.get(text[i], ()) if text.startswith(k, i)), None)
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


def wrap(
    text: str, columns: int, keep: tuple[str, ...] = (), measure: Callable[[str], int] = width
) -> list[str]:
    """Lines of at most `columns` columns: a line never starts with 、，。）” and never ends
    with （“, and no word or name in `keep` (unit names, say) is split unless it alone is
    wider than a line. `measure` gives a text's width (printed_width for paper)."""
    columns = max(columns, 4)
    keep = tuple(sorted((k for k in keep if k), key=len, reverse=True))
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for piece in _pieces(paragraph, keep):
            size = measure(piece)
            if used + size > columns and line:
                lines.append(line.rstrip())
                line, used = "", 0
                if piece == " ":
                    continue
            while size > columns:  # too wide even alone: cut it
                cut = 1
                while measure(piece[: cut + 1]) <= columns:
                    cut += 1
                while cut > 1 and (piece[cut] in NO_START or piece[cut - 1] in NO_END):
                    cut -= 1
                lines.append(piece[:cut])
                piece, size = piece[cut:], measure(piece[cut:])
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


def unbreakable(text: str, keep: Iterable[str] = ()) -> str:
    """The text with no-break joins where `wrap` would not break: inside each name of
    `keep` (unit names) and each short bracketed aside, before punctuation that may not
    start a line and after punctuation that may not end one. Renderers that break lines
    themselves (Word, Excel, a browser) then break where the terminal does."""
    if not text:
        return text
    pattern = _protected(tuple(sorted(set(keep), key=len, reverse=True)))
    joined = pattern.sub(lambda m: NO_BREAK.join(m.group()), text)
    return _PUNCTUATION.sub(NO_BREAK, joined)


def kept_runs(text: str, keep: Iterable[str] = ()) -> list[tuple[str, bool]]:
    """The text as runs, each marked whether it must stay on one line (a name of `keep`, a
    short bracketed aside): for a renderer that keeps text whole by markup (a web page)."""
    pattern = _protected(tuple(sorted(set(keep), key=len, reverse=True)))
    runs, last = [], 0
    for found in pattern.finditer(text):
        if found.start() > last:
            runs.append((text[last : found.start()], False))
        runs.append((found.group(), True))
        last = found.end()
    if last < len(text):
        runs.append((text[last:], False))
    return runs


def without_joins(text: str) -> str:
    """Text as typed again: the no-break joins of a document taken out (a unit name copied
    from a report into a command)."""
    return text.replace(NO_BREAK, "").replace("\u2060", "")


@functools.lru_cache(maxsize=8)
def _protected(names: tuple[str, ...]) -> re.Pattern[str]:
    aside = rf"[（(][^（）()\n]{{1,{SHORT_ASIDE}}}[）)]"
    return re.compile("|".join([*(re.escape(n) for n in names if len(n) > 1), aside]))


_NO_START = re.escape("".join(sorted(NO_START)))
_NO_END = re.escape("".join(sorted(NO_END)))
_PUNCTUATION = re.compile(
    rf"(?<=[^\s{NO_BREAK}])(?=[{_NO_START}])|(?<=[{_NO_END}])(?=[^\s{NO_BREAK}])"
)

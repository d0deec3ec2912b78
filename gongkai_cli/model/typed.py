"""The one rule for text a person types (--by, --note, --unit, a form's 填报人 and 进展说明):
what it may hold is decided here, before anything is written or printed.

A one-line field (a name) holds no line break at all: it ends up in a commit trailer, where
a line break would start a trailer of its own (`Unit: 韩村镇` typed into --by). No field
holds a control character (a terminal obeys escape sequences), a bidi control (it reorders
the text around it: what a reader sees is not what was written), or what XML cannot hold.
"""

from __future__ import annotations

import re

# Bidi controls: they reorder the text around them, wherever it is shown.
BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\n\r\u2028\u2029\x85]")
_ODD_BREAKS = re.compile(r"\r(?!\n)|[\u2028\u2029]")
# C0 controls but tab and line breaks, DEL, C1 controls, and U+FFFE/U+FFFF: no xlsx, docx or
# terminal can hold or show them.
_UNSHOWABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def typed_text_problem(text: str, *, lines: bool = False) -> str | None:
    """What is wrong with `text` as a typed field (the words after “…中含有”), or None.
    `lines`: a note, which may run over several lines."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        return "无法识别的字符（可能是终端编码不是 UTF-8）"
    found = _UNSHOWABLE.search(text)
    if found:
        return f"不允许的字符 {_code(found.group())}（Excel、Word 和终端都无法正确显示）"
    found = BIDI.search(text)
    if found:
        return f"双向文字控制符 {_code(found.group())}（会打乱文字的显示顺序，看到的与写下的不同）"
    if not lines and _BREAKS.search(text):
        return "换行（只能写一行）"
    if lines and _ODD_BREAKS.search(text):  # a lone CR sends a terminal back over the line
        return f"不允许的换行符 {_code(_ODD_BREAKS.search(text).group()[0])}（请用普通的换行）"
    if not lines and "\t" in text:
        return "制表符（只能写一行）"
    return None

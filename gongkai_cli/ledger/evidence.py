"""佐证材料: the links and files an update offers as evidence, and what makes one sound.

A file is kept in the data directory's `evidence/` folder under the SHA-256 of its bytes
(with its suffix, so that it opens as what it is): the same document attached twice is kept
once, and `validate` can tell that a kept file is still the one that was attached.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from gongkai_cli.model.supervision import FILE_REF
from gongkai_cli.model.values import MAX_EVIDENCE

FOLDER = "evidence"

# Suffixes a browser runs rather than shows: the site publishes kept files on the office's own
# web address, where such a file's script would act as the site's own. An attached file
# with one is kept without it (its bytes then download, never run); a log naming one is wrong.
ACTIVE = frozenset(
    [
        ".html",
        ".htm",
        ".shtml",
        ".xhtml",
        ".xht",
        ".mht",
        ".mhtml",
        ".svg",
        ".svgz",
        ".xml",
        ".xsl",
        ".xslt",
        ".js",
        ".mjs",
        ".swf",
    ]
)


def kept_suffix(suffix: str) -> str:
    """The suffix an attached file is kept with: its own, lower-cased, unless it would run."""
    suffix = suffix.lower()
    return "" if suffix in ACTIVE else suffix


def is_file(item: str) -> bool:
    return item.startswith(FOLDER + "/")


def link_problem(link: str) -> str | None:
    """Why `link` is not a well-formed http(s) address, or None."""
    from gongkai_cli.model.typed import typed_text_problem

    # A link is printed, committed as a trailer and published: an escape sequence or a bidi
    # control in it would act on the terminal or reorder what a reader sees.
    if (problem := typed_text_problem(link)) is not None:
        return f"佐证链接{link!r}中含有{problem}。"
    if any(ch.isspace() for ch in link):
        return f"佐证链接“{link}”中含有空白字符。"
    try:
        parts = urlsplit(link)
    except ValueError:
        return f"佐证链接“{link}”不是有效的网址。"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"佐证链接“{link}”不是以 http:// 或 https:// 开头的网址。"
    if len(link) > MAX_EVIDENCE:  # a form's cell holds 32,767 characters, the log less
        return f"佐证链接过长（{len(link)} 字），请控制在 {MAX_EVIDENCE} 字以内。"
    return None


def file_problem(data_dir: Path, ref: str) -> str | None:
    """Why the kept evidence file `ref` is not sound (missing, altered, misnamed), or None."""
    found = FILE_REF.fullmatch(ref)
    path = data_dir / ref
    if not path.is_file() or path.is_symlink():
        return f"佐证文件 {ref} 不存在。"
    if digest(path) != found.group(1):
        return f"佐证文件 {ref} 的内容与其名称中的 SHA-256 不符（文件在记录后被改动过）。"
    return None


def digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def name_problem(item: str) -> str | None:
    """What is wrong with an evidence item as written (a link, or a kept file's name)."""
    if not is_file(item):
        return link_problem(item)
    found = FILE_REF.fullmatch(item)
    if found is None:
        return f"佐证文件“{item}”的名称应为 evidence/ 加文件内容的 SHA-256（64 位十六进制）。"
    if found.group(2).lower() in ACTIVE:
        return f"佐证文件“{item}”是网页或脚本，发布到网站上会在网站中运行，不能作为佐证保存。"
    return None


def check(data_dir, details) -> list:
    """Every kept evidence file of the log (`details`: an update's line → its Detail) that
    is missing or altered, as problems at the line's `evidence:`. Run by `validate` on
    every call, never cached: a kept file may change without the log changing. (Links and
    file names are judged with the log itself: ledger.checks.)"""
    from gongkai_cli.errors import Problem
    from gongkai_cli.ledger.datadir import PROGRESS

    found = [
        (line, message)
        for line, detail in sorted(details.items())
        for item in detail.evidence
        if FILE_REF.fullmatch(item) and (message := file_problem(data_dir.path, item))
    ]
    if not found:
        return []
    text = data_dir.file(PROGRESS).read_text(encoding="utf-8-sig").splitlines()
    name = data_dir.display(PROGRESS)
    problems = []
    for line, message in found:
        where = text[line - 1].find("evidence:") if line <= len(text) else -1
        problems.append(Problem(name, line, where + 1 if where >= 0 else 1, message, "evidence"))
    return problems

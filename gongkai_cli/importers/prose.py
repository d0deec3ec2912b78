"""Prose 分工方案 → tasks: numbered paragraphs whose units follow in brackets or on role lines.

Many plans are not tables. Each task is a paragraph (`1.…` / `（一）…`) ending in its roles,
`（牵头单位：区发改委；责任单位：各镇街）` or `（市工商质监局牵头负责）`, or followed by lines
`牵头单位：…` / `责任单位：…` / `完成时限：…`. Headings (`一、` / `（一）`) without roles name
the sections. The requirement is the paragraph as written, without its number and roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from gongkai_cli.importers.layout import SECTION, UNDATED, Imported
from gongkai_cli.importers.roles import LABEL, ROLE_WORDS, role_fields
from gongkai_cli.importers.titles import choose_title, plan_year

_ITEM = re.compile(r"^(?:(\d{1,3})[.、．](?!\d)|[（(](\d{1,3})[）)])\s*")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百]+[）)])\s*"
)
_NEXT_ITEM = re.compile(r"^[。；;\s]*[（(]\d{1,3}[）)]")
# 、/，after a role bracket: the next clause of the paragraph is a task of its own
_NEXT_CLAUSE = re.compile(r"^[、，,；;。]+\s*[^、，,；;。\s（(〔\[【]")
# （一）做好…公开。 opening a paragraph of clauses: the heading they share
_LEAD_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百]+[）)])[^。；;（(]{1,40}。"
)
_OPEN, _CLOSE = "（(〔[【", "）)〕]】"


@dataclass
class _Block:
    text: str
    roles: dict[str, str] = field(default_factory=dict)


def _brackets(text: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level bracket group, brackets of any shape nested inside."""
    groups, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    return groups


def _role_groups(text: str) -> list[tuple[int, int]]:
    return [(s, e) for s, e in _brackets(text) if ROLE_WORDS.search(text[s + 1 : e - 1])]


def _blocks(paragraphs: list[str]) -> list[_Block]:
    """Paragraphs with the role lines that follow them folded in."""
    blocks: list[_Block] = []
    bare = ""  # 牵头单位： alone on its line, its units on the next (a table copied as lines)
    for text in paragraphs:
        text = text.strip()
        if not text:
            continue
        if (label := LABEL.match(text)) and label.end() == len(text):
            bare += text
            continue
        text, bare = bare + text, ""
        if blocks and _only_roles(text):
            # （牵头单位：…）on a line of its own: the roles of the paragraph above
            blocks[-1].text += text
            continue
        if LABEL.match(text) and blocks:
            fields = role_fields(text, [])
            for key, value in fields.items():
                if key in blocks[-1].roles and key != "phrase":
                    blocks[-1].roles[key] += f"，{value}"
                else:
                    blocks[-1].roles[key] = value
            continue
        blocks.append(_Block(text))
    return blocks


class _Prose:
    def __init__(self) -> None:
        self.section: str | None = None
        self.subsection: str | None = None
        self.tasks: list[dict[str, Any]] = []
        self.numbers: list[int | None] = []
        self.notes: list[str] = []
        self.first_task: int | None = None

    def heading(self, text: str) -> None:
        if SECTION.match(text):
            self.section, self.subsection = text, None
        else:
            self.subsection = text

    def task(self, text: str, roles: dict[str, str], number: int | None) -> None:
        if not text:
            return  # roles with no task before them say nothing to track
        task: dict[str, Any] = {
            "number": 0,
            "section": self.section,
            "subsection": self.subsection,
            "requirement": text,
        }
        lead = roles.get("lead", "")
        others = "，".join(v for k in ("units", "partners") if (v := roles.get(k)))
        if lead:
            task["lead"] = lead
            if others:
                task["implementers"] = others
        else:
            task["responsibility"] = roles.get("phrase") or others
        task["deadline"] = roles.get("deadline") or UNDATED
        self.tasks.append(task)
        self.numbers.append(number)

    def read(self, blocks: list[_Block]) -> None:
        for i, block in enumerate(blocks):
            text = block.text
            groups = _ending_groups(text)
            if not groups and not block.roles:
                if _HEADING.match(text) and len(text) <= 60 and "。" not in text[:-1]:
                    self.heading(text)
                continue
            if self.first_task is None:
                self.first_task = i
            if len(groups) > 1:
                self._several(text, groups)
                continue
            roles = dict(block.roles)
            if groups:
                start, end = groups[-1]
                roles = role_fields(text[start + 1 : end - 1], self.notes) | roles
                text = (text[:start] + text[end:]).strip()
            number, text = _number(text)
            if _HEADING.match(text):
                text = _HEADING.sub("", text, count=1)
            self.task(text, roles, number)

    def _several(self, text: str, groups: list[tuple[int, int]]) -> None:
        """1.深化商事制度改革。(1)…（市工商质监局牵头负责）(2)…（…）: one task per item; or
        （一）做好…公开。紧紧围绕…（牵头单位：…）、重塑…（…）: one task per clause."""
        first_item = re.search(r"[（(]1[）)]", text[: groups[0][0]])
        lead = _LEAD_HEADING.match(text[: groups[0][0]])
        at = 0
        if first_item:
            self.subsection, at = text[: first_item.start()].strip(), first_item.start()
        elif lead:
            self.subsection, at = lead.group(0), lead.end()
        for start, end in groups:
            number, body = _number(text[at:start].lstrip("、，,；;。 ").strip())
            self.task(body, role_fields(text[start + 1 : end - 1], self.notes), number)
            at = end


def _ending_groups(text: str) -> list[tuple[int, int]]:
    """The role brackets that end a task: at the paragraph's end, before the next (2), or
    before the next clause (…（牵头单位：A）、重塑…（责任单位：B）): each closes the words
    before it, so none of their units is lost in a requirement."""
    groups = _role_groups(text)
    if not groups or text[groups[-1][1] :].strip("。；; "):
        return []
    return [
        (s, e)
        for s, e in groups
        if not text[e:].strip("。；; ")
        or _NEXT_ITEM.match(text[e:])
        or _NEXT_CLAUSE.match(text[e:])
    ]


def _only_roles(text: str) -> bool:
    groups = _role_groups(text)
    return len(groups) == 1 and groups[0] == (0, len(text.rstrip("。；; ")))


def _number(text: str) -> tuple[int | None, str]:
    if found := _ITEM.match(text):
        return int(found.group(1) or found.group(2)), text[found.end() :].strip()
    return None, text


_STARTS = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百\d]{1,3}[）)]|\d{1,3}[.、．](?!\d))"
)


def _unclosed(text: str) -> bool:
    return sum(c in _OPEN for c in text) > sum(c in _CLOSE for c in text)


def paragraphs(lines: list[str]) -> list[str]:
    """A PDF's lines joined back into paragraphs: a line that starts with a number, a heading
    mark or a role label (牵头单位：) starts one; any other line continues the one before, and
    so does every line inside an open bracket (…（牵头单位：A；⏎责任单位：B）wrapped mid-way)."""
    joined: list[str] = []
    for line in lines:
        if joined and (_unclosed(joined[-1]) or not (_STARTS.match(line) or LABEL.match(line))):
            joined[-1] += line
        else:
            joined.append(line)
    return joined


def read_prose(
    paragraphs: list[str],
    filename: str,
    *,
    titles: list[str] | tuple[str, ...] = (),
    title: str | None = None,
    year: int | None = None,
) -> Imported | None:
    """The tasks of a prose plan, or None when no paragraph carries roles."""
    from gongkai_cli.errors import PlanDocumentError

    blocks = _blocks(paragraphs)
    prose = _Prose()
    prose.read(blocks)
    if not prose.tasks:
        return None
    before = [b.text for b in blocks[: prose.first_task]]
    title = title or choose_title([*reversed(before), *titles])
    if not title:
        raise PlanDocumentError(f"{filename}：没有找到计划标题；请用 --title 指定。")
    warnings = [
        f"按分工方案的段落读出 {len(prose.tasks)} 项任务：段末括号或其后的“牵头单位：”等行为责任单位。"
    ]
    numbers = prose.numbers
    if not (all(numbers) and all(a < b for a, b in pairwise(numbers))):  # type: ignore[operator]
        warnings.append(f"原文序号不全或不连续，已按段落顺序编号 1–{len(numbers)}。")
        numbers = list(range(1, len(numbers) + 1))
    for note in dict.fromkeys(prose.notes):
        warnings.append(f"责任单位括号中的说明未并入任务：“{note}”。")
    undated = sum(1 for t in prose.tasks if t["deadline"] == UNDATED)
    if undated:
        warnings.append(
            f"{undated} 项任务没有写明时限，已记为“{UNDATED}”：不会逾期，请确认后在 tasks.yaml 中填写。"
        )
    if any(t["section"] is None for t in prose.tasks):
        warnings.append("没有“一、”式大项的任务以计划标题为大项。")
    for task, number in zip(prose.tasks, numbers, strict=True):
        task["number"] = number
        task["section"] = task["section"] or title
        task["subsection"] = task["subsection"] or task["section"]
    year = year or plan_year(title, prose.tasks, warnings, before)
    if year is None:
        raise PlanDocumentError(
            f"{filename}：标题“{title[:40]}”中没有年份；请用 --year 指定计划年度。"
        )
    plan = {"title": title, "year": year, "source": filename, "tasks": prose.tasks}
    return Imported(plan, warnings)

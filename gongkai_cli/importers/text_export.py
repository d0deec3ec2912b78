"""Read the published four-column table export (工作任务/具体要求/责任单位/时限要求) into a plan."""

from __future__ import annotations

import re
from typing import Any

from gongkai_cli.errors import PlanDocumentError

_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_SUBSECTION = re.compile(r"^（[一二三四五六七八九十]+）")
_NUMBER = re.compile(r"^\d+$")
_HEADERS = {"工作任务", "具体要求", "责任单位", "时限要求"}
_YEAR = re.compile(r"((?:19|20|21)\d\d)年")
_CELLS = ("requirement", "responsibility", "deadline")


def parse_table_export(text: str, filename: str) -> dict[str, Any]:
    """Turn the export into the plan mapping that tasks.yaml holds.

    Cells keep their printed wording; only the whitespace around a cell is dropped.
    A section or subsection line repeated where the printed table broke across
    pages simply restates the current one.
    """
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1)]
    lines = [(n, s.lstrip("\ufeff")) for n, s in lines if s.strip("\ufeff")]
    if not lines:
        raise PlanDocumentError(f"{filename}：文件是空的，没有找到计划表格。")
    title_line, title = lines[0]
    year = _YEAR.search(title)
    if not year:
        raise PlanDocumentError(
            f"{filename}:{title_line}：第一行应是含年份的标题（如“濉溪县2021年……”），实际是“{title}”。"
        )

    tasks: list[dict[str, Any]] = []
    section = subsection = None
    i = 1
    while i < len(lines):
        n, line = lines[i]
        i += 1
        if line.replace(" ", "") in _HEADERS:
            continue
        if _SECTION.match(line):
            section = line
        elif _SUBSECTION.match(line):
            subsection = line
        elif _NUMBER.match(line):
            if section is None or subsection is None:
                raise PlanDocumentError(
                    f"{filename}:{n}：任务 {line} 之前没有所属的大项或小项标题。"
                )
            cells = [s for _, s in lines[i : i + 3]]
            if len(cells) < 3 or any(_NUMBER.match(c) for c in cells):
                raise PlanDocumentError(
                    f"{filename}:{n}：任务 {line} 不完整，应在其后依次有具体要求、责任单位、时限要求三行。"
                )
            i += 3
            tasks.append(
                {"number": int(line), "section": section, "subsection": subsection}
                | dict(zip(_CELLS, cells, strict=True))
            )
        else:
            raise PlanDocumentError(
                f"{filename}:{n}：无法识别这一行（既不是大项、小项标题，也不是任务编号）：“{line[:30]}”。"
            )
    if not tasks:
        raise PlanDocumentError(f"{filename}：没有找到任何任务行。")
    return {"title": title, "year": int(year.group(1)), "source": filename, "tasks": tasks}


def dump_plan(plan: dict[str, Any]) -> str:
    """The plan as tasks.yaml text: one readable block per task, every cell on one line."""
    from gongkai_cli.ledger.yamlio import dump

    head = (
        f"# {plan['title']}\n"
        "# 由 gongkai import-plan 从公开发布的表格生成；各字段保留原文措辞。\n"
        "# 某项“有关部门/相关单位”需要指定具体单位时，在该任务下加 designated: [单位, …]。\n"
    )
    body = dump(plan)
    return head + body

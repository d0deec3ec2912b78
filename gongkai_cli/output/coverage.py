"""Coverage as a report: per lower plan, each higher task beside the tasks that break it down."""

from __future__ import annotations

import datetime as dt

from gongkai_cli.output.reports import Document, Heading, Paragraph, Table
from gongkai_cli.output.view import Column

COLUMNS = [
    Column("本级任务", no_wrap=True, kind="number"),
    Column("本级要求", long=True),
    Column("分解任务", no_wrap=True),
    Column("分解要求", long=True),
    Column("相似度", no_wrap=True),
    Column("依据", no_wrap=True),
]
UNCOVERED = "未分解"


def coverage_document(coverage, as_of: dt.date) -> Document:
    """`coverage` (actions.coverage.Coverage) as a report in every format. Matched texts
    stand side by side, so a clerk can confirm each match or write a mapping."""
    doc = Document(f"任务分解核对：{coverage.title}", as_of)
    doc.blocks.append(
        Paragraph(
            "相似度为两项任务的具体要求（及所属大项、小项）文字的相似程度（0–100，按字比较，不计标点和"
            "省市县区等层级字）；每项下级任务归入与它最相似的本级任务，相似度不足 50 的不归入。"
            "依据为“人工”的，取自对应关系文件，不再自动匹配。"
        )
    )
    if coverage.skipped:
        listed = "；".join(f"{name}（{why}）" for name, why in coverage.skipped)
        doc.blocks.append(Paragraph(f"未核对：{listed}。"))
    flat_rows = []
    for lower in coverage.lowers:
        commit = f"，提交 {lower.commit[:12]}" if lower.commit else ""
        doc.blocks.append(Heading(f"{lower.name}（{lower.title}{commit}）"))
        missing = lower.uncovered
        doc.blocks.append(
            Paragraph(
                f"未分解的本级任务：{'、'.join(str(n) for n in missing)}（共 {len(missing)} 项）。"
                if missing
                else "本级任务均已分解。"
            )
        )
        rows = _rows(lower)
        doc.blocks.append(Table(COLUMNS, rows, name="分解核对", group=lower.name, landscape=True))
        flat_rows += [[lower.name, *row] for row in rows]
    doc.flat = Table([Column("下级计划"), *COLUMNS], flat_rows, name="分解核对")
    doc.payload = {
        "title": coverage.title,
        "lower": [_json(lower) for lower in coverage.lowers],
        "skipped": [{"name": name, "reason": why} for name, why in coverage.skipped],
    }
    return doc


def _rows(lower) -> list[list]:
    rows = []
    for row in lower.rows:
        task = row.task
        if not row.links:
            rows.append([task.number, task.requirement, UNCOVERED, "", "", ""])
        for link, text in row.links:
            source = "人工" if link.manual else "自动"
            rows.append(
                [
                    task.number,
                    task.requirement,
                    str(text.number),
                    text.requirement,
                    f"{link.score:.0f}",
                    source,
                ]
            )
    return rows


def _json(lower) -> dict:
    return {
        "name": lower.name,
        "title": lower.title,
        "commit": lower.commit,
        "tasks": [
            {
                "number": row.task.number,
                "requirement": row.task.requirement,
                "lower": [
                    {
                        "number": text.number,
                        "requirement": text.requirement,
                        "score": link.score,
                        "manual": link.manual,
                    }
                    for link, text in row.links
                ],
            }
            for row in lower.rows
        ],
        "uncovered": lower.uncovered,
    }

"""The roll-up of member ledgers as a report: a row per member and a total row."""

from __future__ import annotations

from gongkai_cli.model.dates import chinese_date
from gongkai_cli.output.reports import Document, Paragraph, Table
from gongkai_cli.output.view import Column


def rollup_document(rollup) -> Document:
    """`rollup` (actions.rollup.Rollup) as a report: table, md, csv, json, xlsx, docx."""
    columns = [
        Column("成员"),
        Column("计划", long=True),
        Column("提交", no_wrap=True),
        Column("任务数", no_wrap=True, kind="number"),
        Column("项次", no_wrap=True, kind="number"),
        Column("完成", no_wrap=True, kind="number"),
        Column("逾期", no_wrap=True, kind="number"),
        Column("按期率", no_wrap=True, kind="percent"),
        Column("最近更新", no_wrap=True),
    ]
    total = rollup.total
    rows = [
        [
            m.name,
            m.title,
            m.commit[:7],  # as git abbreviates a commit; JSON has it whole
            m.tasks,
            m.assignments,
            m.done,
            m.overdue,
            m.rate,
            chinese_date(m.last_update) if m.last_update else "—",
        ]
        for m in [*rollup.members, total]
    ]
    doc = Document("成员台账完成情况汇总", rollup.as_of)
    doc.blocks.append(
        Paragraph(
            "各成员的数字即该成员台账在所列提交上、同一日期的完成情况统计（gongkai stats）的合计行："
            "项次为任务单位数；完成为已完成或不涉及；逾期为逾期未完成；按期率＝按期 ÷（完成＋逾期）。"
        )
    )
    if rollup.skipped:
        listed = "；".join(f"{name}（{why}）" for name, why in rollup.skipped)
        doc.blocks.append(Paragraph(f"未纳入汇总：{listed}。"))
    doc.blocks.append(Table(columns, rows, name="汇总", landscape=True))
    doc.payload = {
        "as_of": rollup.as_of.isoformat(),
        "members": [_json(m) for m in rollup.members],
        "total": {k: v for k, v in _json(total).items() if k not in ("name", "commit", "title")},
    }
    return doc


def _json(figures) -> dict:
    return {
        "name": figures.name,
        "commit": figures.commit,
        "title": figures.title,
        "tasks": figures.tasks,
        "assignments": figures.assignments,
        "done": figures.done,
        "overdue": figures.overdue,
        "rate": figures.rate,
    }


def by_task_document(rollup) -> Document:
    """`rollup` (actions.rollup.TaskRollup): a row per task of this plan, a column per member."""
    columns = [
        Column("任务", no_wrap=True, kind="number"),
        Column("具体要求", long=True),
        *(Column(name, no_wrap=True) for name in rollup.members),
    ]
    rows = []
    for task in rollup.tasks:
        cells = [_cell(rollup.cells[task.number, name]) for name in rollup.members]
        rows.append([task.number, task.requirement, *cells])
    doc = Document(f"成员台账分任务汇总：{rollup.title}", rollup.as_of)
    doc.blocks.append(
        Paragraph(
            "每格为该成员分解本项任务的各项任务（按 gongkai coverage 的对应关系）合计："
            "完成项次/项次，有逾期时注明；“未分解”为该成员没有对应的任务。"
        )
    )
    if rollup.skipped:
        listed = "；".join(f"{name}（{why}）" for name, why in rollup.skipped)
        doc.blocks.append(Paragraph(f"未纳入汇总：{listed}。"))
    doc.blocks.append(Table(columns, rows, name="分任务汇总", landscape=len(rollup.members) > 4))
    doc.payload = {
        "as_of": rollup.as_of.isoformat(),
        "tasks": [
            {
                "number": task.number,
                "requirement": task.requirement,
                "members": {
                    name: _cell_json(rollup.cells[task.number, name]) for name in rollup.members
                },
            }
            for task in rollup.tasks
        ],
    }
    return doc


def _cell(cell) -> str:
    if not cell.tasks:
        return "未分解"
    text = f"{cell.done}/{cell.assignments}"
    return f"{text}，逾期 {cell.overdue}" if cell.overdue else text


def _cell_json(cell) -> dict:
    return {
        "tasks": list(cell.tasks),
        "assignments": cell.assignments,
        "done": cell.done,
        "overdue": cell.overdue,
    }

"""`plan diff` as Markdown: what changed between two plans, task by task and unit by unit."""

from __future__ import annotations

from gongkai_cli.model.plandiff import FIELDS, PlanDiff
from gongkai_cli.model.statuses import ROLE_WORDS
from gongkai_cli.output.text import md_cell


def _value(value) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, list):
        return "、".join(value) or "（无）"
    return f"“{value}”"


def _tasks(entries: list[tuple[int, str]]) -> str:
    return "、".join(f"任务 {n}（{ROLE_WORDS[role]}）" for n, role in entries)


def diff_markdown(diff: PlanDiff) -> str:
    e = md_cell
    lines = [
        "# 计划对比",
        "",
        f"- 旧：{e(diff.old.title)}（{len(diff.old.tasks)} 项任务）",
        f"- 新：{e(diff.new.title)}（{len(diff.new.tasks)} 项任务）",
        "",
    ]
    if diff.same:
        lines += ["两份计划的任务完全相同。", ""]
        return "\n".join(lines)
    if diff.added:
        lines += [f"## 新增任务（{len(diff.added)} 项）", ""]
        lines += [
            f"- 任务 {t.number}：{e(t.requirement)}（责任单位：{e(t.phrase)}；时限：{e(t.deadline)}）"
            for t in diff.added
        ]
        lines.append("")
    if diff.removed:
        lines += [f"## 删除任务（{len(diff.removed)} 项）", ""]
        lines += [f"- 原任务 {t.number}：{e(t.requirement)}" for t in diff.removed]
        lines.append("")
    if diff.renumbered:
        lines += [f"## 编号变动（{len(diff.renumbered)} 项）", ""]
        lines += [f"- 原任务 {a} → 任务 {b}" for a, b in diff.renumbered]
        lines.append("")
    if diff.changed:
        lines += [f"## 内容变动（{len(diff.changed)} 项）", ""]
        for change in diff.changed:
            was = f"（原任务 {change.old_number}）" if change.old_number != change.number else ""
            lines += [f"### 任务 {change.number}{was}", ""]
            lines += [
                f"- {FIELDS[key]}：{e(_value(a))} → {e(_value(b))}"
                for key, (a, b) in change.fields.items()
            ]
            lines.append("")
    if diff.units:
        lines += ["## 各单位责任变化", ""]
        lines += ["| 单位 | 新增 | 减少 |", "| --- | --- | --- |"]
        lines += [
            f"| {e(unit)} | {_tasks(c['gained']) or '—'} | {_tasks(c['lost']) or '—'} |"
            for unit, c in diff.units.items()
        ]
        lines.append("")
    return "\n".join(lines)

"""show, resolve, units, validate, import-plan: the plan and its registry."""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli import completion
from gongkai_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    PlanTitleOpt,
    PlanYearOpt,
    QueryFormat,
    QueryFormatOpt,
    TaskArg,
    WideOpt,
    as_of_day,
    book_for,
    command_group,
    data_dir,
    emit,
    err,
    format_option,
    write_stdout,
)
from gongkai_cli.errors import ExitStatus, GongkaiError

app, command = command_group()


@command("show")
def show(
    number: TaskArg,
    as_of: AsOfOpt = None,
    fmt: QueryFormatOpt = None,
    wide: WideOpt = False,
    data: DataOpt = None,
) -> None:
    """显示一项任务的全部内容：要求、时限、牵头与落实单位（集合逐一展开）及各单位进展。"""
    from gongkai_cli.model.book import Row
    from gongkai_cli.output.formats import FORMATS
    from gongkai_cli.output.view import resolve_format
    from gongkai_cli.output.views import assignments_view, show_fields, status_view, task_json

    book = book_for(data)
    day = as_of_day(book, as_of)
    row = Row(book, number, day)
    if fmt in (QueryFormat.json, QueryFormat.csv):
        emit(fmt, lambda: assignments_view(row, day), lambda: task_json(book, row, day))
    else:
        fields, statuses = show_fields(row, day), status_view(row, day)
        renderer = FORMATS[resolve_format(fmt)].renderer
        write_stdout(renderer.render_sheet(f"任务 {number}", fields, statuses, wide=wide))


@command("resolve")
def resolve_(
    phrase: Annotated[
        str,
        typer.Argument(
            help="责任单位原文，如 “县财政局牵头，各镇、县直各单位负责落实”。", metavar="文字"
        ),
    ],
    fmt: QueryFormatOpt = None,
    data: DataOpt = None,
) -> None:
    """显示一段责任单位文字如何展开为牵头单位和落实单位。"""
    from gongkai_cli.model.resolver import resolve
    from gongkai_cli.model.statuses import IMPLEMENTER, LEAD, ROLE_WORDS
    from gongkai_cli.output.view import Column, View
    from gongkai_cli.output.views import resolution_json

    book = book_for(data)
    resolution = resolve(phrase, book.ledger.index)
    kinds = {
        "unit": "单位",
        "group": "集合",
        "open-group": "开放集合（须指定）",
        "designated": "指定",
    }
    rows = [
        [t.text, ROLE_WORDS[t.role], kinds[t.kind], str(len(t.units)), "、".join(t.units)]
        for t in resolution.terms
    ]
    notes = [f"{LEAD} {len(resolution.lead)} 个，{IMPLEMENTER} {len(resolution.implementers)} 个。"]
    if resolution.unresolved:
        notes.append(
            f"未展开：{'、'.join(resolution.unresolved)}（有关部门不等于全部部门，须在任务中用 designated: 指定）。"
        )
    payload = {
        "phrase": phrase,
        **resolution_json(resolution),
        "terms": [
            {"text": t.text, "role": t.role, "kind": t.kind, "units": list(t.units)}
            for t in resolution.terms
        ],
    }
    columns = [
        Column("文字"),
        Column("角色", no_wrap=True),
        Column("类型"),
        Column("单位数", no_wrap=True),
        Column("展开为", long=True),
    ]
    emit(fmt, lambda: View(f"“{phrase}”", columns, rows, notes), lambda: payload, wide=True)


@command("units")
def units(
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            "-g",
            help="只列出该集合的成员，如 各镇。",
            metavar="集合",
            autocompletion=completion.units,
        ),
    ] = None,
    fmt: QueryFormatOpt = None,
    data: DataOpt = None,
) -> None:
    """列出单位名录；--group 列出某个集合（各镇、县直各单位……）的成员。"""
    from gongkai_cli.model.values import as_dict
    from gongkai_cli.output.view import Column, View

    index = book_for(data).ledger.index
    if group is None:
        names = list(index.units)
        title = "单位名录"
    elif group in index.groups:
        names = list(index.members(group)) if not index.groups[group].open else []
        if index.groups[group].open:
            raise GongkaiError(
                f"“{group}”是开放集合（有关部门），没有固定成员，须在各任务中用 designated: 指定。"
            )
        title = f"{group}（{len(names)}个）"
    else:
        hint = index.suggest(group)
        raise GongkaiError(
            f"没有名为“{group}”的单位集合" + (f"，是否是指“{hint}”？" if hint else "。")
        )
    chosen = [index.units[n] for n in names]
    rows = [
        [
            u.name,
            u.full_name or "",
            u.kind,
            "、".join(u.aliases),
            "推断" if u.inferred else "已确认",
        ]
        for u in chosen
    ]
    columns = [
        Column("名称"),
        Column("全称"),
        Column("类别"),
        Column("别名"),
        Column("依据", no_wrap=True),
    ]
    payload = [as_dict(u, exclude_defaults=True) for u in chosen]
    emit(fmt, lambda: View(title, columns, rows, [f"共 {len(rows)} 个单位。"]), lambda: payload)


class CheckFormat(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"


@command("validate")
def validate(
    strict: Annotated[
        bool, typer.Option("--strict", help="把提醒（未指定的有关部门、未用到的单位）也当作错误。")
    ] = False,
    fmt: Annotated[
        CheckFormat,
        format_option(CheckFormat, "text、json，或 github（GitHub Actions 注释）。"),
    ] = CheckFormat.text,
    data: DataOpt = None,
) -> None:
    """检查数据：一次列出全部问题，格式为 文件:行:列: error: 说明；有错误时退出码为 1。"""
    from gongkai_cli.ledger.checked import load_checked
    from gongkai_cli.output.problems import render_problems

    checked = load_checked(data_dir(data))
    problems = checked.problems
    if strict:
        problems = [p if p.is_error else _as_error(p) for p in problems]
    errors = [p for p in problems if p.is_error]
    write_stdout(render_problems(problems, fmt.value))
    summary = (
        f"{checked.task_count} 项任务；{len(errors)} 个错误，{len(problems) - len(errors)} 个提醒。"
    )
    if fmt is CheckFormat.text:
        err(("检查未通过：" if errors else "检查通过：") + summary)
    if errors:
        raise typer.Exit(ExitStatus.ERROR)


def _as_error(problem):
    from dataclasses import replace

    return replace(problem, severity="error")


@command("import-plan")
def import_plan(
    source: Annotated[
        Path,
        typer.Argument(
            help="计划文件：Word（.docx）、Excel（.xlsx）、网页（.html）、CSV，或公开发布的表格导出文本。",
            dir_okay=False,
            metavar="文件",
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="写入的任务文件；用 - 输出到屏幕。", metavar="文件")
    ] = Path("data/tasks.yaml"),
    title: PlanTitleOpt = None,
    year: PlanYearOpt = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="覆盖已存在的任务文件，即使已有进展的任务被删除或改了编号。"),
    ] = False,
) -> None:
    """把计划（Word、Excel、网页、CSV 或导出文本）导入为 tasks.yaml。

    导入已有台账时先显示与原计划的差异；有进展的任务会消失或改号时拒绝（--force 除外）。
    """
    from gongkai_cli.importers.text_export import dump_plan
    from gongkai_cli.ledger.plans import read_plan
    from gongkai_cli.ledger.yamlio import read_text
    from gongkai_cli.record.atomic import atomic_write

    plan, imported, warnings = read_plan(source, title=title, year=year)
    for warning in warnings:
        err(f"提醒：{warning}")
    # A tasks.yaml is taken as it is, its comments and layout being its authors'.
    content = read_text(source) if imported is None else dump_plan(imported)
    if str(out) == "-":
        sys.stdout.write(content)
        return
    if out.is_dir():
        raise GongkaiError(f"{out} 是目录；--out 应是任务文件的路径，如 data/tasks.yaml。")
    _check_plan_out(out)
    if out.exists() and not _replace_ledger_plan(out, plan, force) and not force:
        raise GongkaiError(f"{out} 已存在；为免覆盖已有内容，未写入。确需覆盖请加 --force。")
    if not out.parent.is_dir():
        raise GongkaiError(f"目录 {out.parent} 不存在。")
    atomic_write(out, content.encode("utf-8"))
    err(f"已从 {source} 导入 {len(plan.tasks)} 项任务，写入 {out}。")


def _check_plan_out(out: Path) -> None:
    """A plan is written only as a plan: never over the registry or the log beside it (under
    any name that reaches them), never into .git, never through a link in the working tree."""
    from gongkai_cli.ledger.datadir import PROGRESS, UNITS
    from gongkai_cli.record.outputs import check_output

    others = tuple(out.parent / name for name in (UNITS, PROGRESS))
    if out.name in (UNITS, PROGRESS) or any(
        other.exists() and out.exists() and os.path.samefile(out, other) for other in others
    ):
        raise GongkaiError(
            f"{out} 是单位名录或进展记录，不是任务文件；导入的计划不会写到这里，未写入。"
        )
    check_output(out, Path.cwd(), others, "计划")


def _replace_ledger_plan(out: Path, plan, force: bool) -> bool:
    """Whether `out` is the plan of a ledger that may take the new plan. Shows the diff; refuses
    (unless forced) where a task that has progress would vanish or change its number."""
    from gongkai_cli.ledger.datadir import PROGRESS, UNITS, DataDir
    from gongkai_cli.ledger.load import load
    from gongkai_cli.model.plandiff import diff_plans
    from gongkai_cli.output.plandiff import diff_markdown

    if not ((out.parent / UNITS).exists() or (out.parent / PROGRESS).exists()):
        return False
    loaded = load(DataDir(out.parent, "option"))
    if loaded.plan is None:
        return False  # the old plan is unreadable: nothing to compare, overwrite only if forced
    index = loaded.ledger.index if loaded.ledger else None
    diff = diff_plans(loaded.plan, plan, index)
    sys.stdout.write(diff_markdown(diff))
    with_progress = {u.task for u in loaded.updates}
    gone = {t.number for t in diff.removed} | {old for old, _ in diff.renumbered}
    moved = sorted(gone & with_progress)
    if moved and not force:
        raise GongkaiError(
            f"任务 {'、'.join(map(str, moved))} 已有进展记录，新计划中删除了它们或改了编号，"
            "导入后这些记录将对不上任务；未写入。确需导入请加 --force。"
        )
    return True

"""show, resolve, units, validate, import-plan: the plan and its registry."""

from __future__ import annotations

import enum
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
    environment,
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
        env = environment()
        renderer = FORMATS[resolve_format(fmt, env)].renderer
        sheet = renderer.render_sheet(f"任务 {number}", fields, statuses, wide=wide, env=env)
        write_stdout(sheet)


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
    from gongkai_cli.actions.check_ledger import check_ledger
    from gongkai_cli.output.problems import render_problems

    checked = check_ledger(data_dir(data), strict=strict)
    problems, errors = checked.problems, checked.errors
    write_stdout(render_problems(problems, fmt.value, checked.schedules))
    summary = (
        f"{checked.task_count} 项任务；{len(errors)} 个错误，{len(problems) - len(errors)} 个提醒。"
    )
    if fmt is CheckFormat.text:
        err(("检查未通过：" if errors else "检查通过：") + summary)
    if errors:
        raise typer.Exit(ExitStatus.ERROR)


@command("import-plan")
def import_plan(
    source: Annotated[
        Path,
        typer.Argument(
            help="计划文件：Word（.docx/.doc/.wps）、Excel（.xlsx/.xls/.et）、PDF、网页（.html）、CSV、文本，或公开发布的表格导出文本；表格或分工方案段落均可。",
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
    """把计划（Word、Excel、PDF、网页、CSV 或文本；表格或分工方案段落）导入为 tasks.yaml。

    导入已有台账时先显示与原计划的差异；有进展的任务会消失或改号时拒绝（--force 除外）。
    """
    from gongkai_cli.actions.import_plan import ProgressOrphaned, read_import, write_plan
    from gongkai_cli.output.plandiff import diff_markdown

    imported = read_import(source, title=title, year=year)
    for warning in imported.warnings:
        err(f"提醒：{warning}")
    if str(out) == "-":
        sys.stdout.write(imported.content)
        return
    try:
        diff = write_plan(imported, out, force=force)
    except ProgressOrphaned as exc:
        sys.stdout.write(diff_markdown(exc.diff))
        raise
    if diff is not None:
        sys.stdout.write(diff_markdown(diff))
    err(f"已从 {source} 导入 {len(imported.plan.tasks)} 项任务，写入 {out}。")

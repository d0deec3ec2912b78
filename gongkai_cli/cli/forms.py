"""forms, collect, forms status: the reporting round by Excel form, both ends of it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.actions.forms_round import DUE_DAYS
from gongkai_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    QueryFormatOpt,
    as_of_day,
    command_group,
    data_dir,
    emit,
    err,
    guarded,
    plan_year,
    unit_option,
)
from gongkai_cli.errors import ExitStatus

app, command = command_group()

forms_app, forms_command = command_group(
    help="为各单位生成进展填报表（Excel）；forms status 查看回收情况（催报名单）。",
)
app.add_typer(forms_app, name="forms")


@forms_app.callback(invoke_without_command=True)
@guarded
def forms(
    ctx: typer.Context,
    unit: Annotated[list[str] | None, unit_option()] = None,
    all_units: Annotated[
        bool, typer.Option("--all-units", help="为每个有任务的单位各生成一份。")
    ] = False,
    as_of: AsOfOpt = None,
    due: Annotated[
        str | None,
        typer.Option("--due", help=f"填报截止日期，默认截至日期后 {DUE_DAYS} 天。", metavar="日期"),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="写入的目录；默认 reports/进展填报-日期/。",
            file_okay=False,
            metavar="目录",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖目录中内容不同的同名文件。")] = False,
    data: DataOpt = None,
) -> None:
    """生成进展填报表：每个单位一份 {单位}-进展填报-{日期}.xlsx，列出其任务，只有状态、进展说明、完成日期可填。"""
    if ctx.invoked_subcommand is not None:
        return
    from gongkai_cli.actions.forms_round import issue_forms
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.model.dates import chinese_date, parse_date

    if all_units == bool(unit):
        raise typer.BadParameter("请用 --unit 指定单位，或使用 --all-units（二者选一）。")
    found = data_dir(data)
    book = open_book(found)
    day = as_of_day(book, as_of)
    deadline = parse_date(due, "--due", year=lambda: book.ledger.year) if due else None
    units = None if all_units else unit
    issued = issue_forms(found, units, day, due=deadline, out=out, force=force, book=book)
    typer.echo(
        f"已生成 {len(issued.forms)} 份填报表，在 {issued.folder}（截至{chinese_date(day)}，"
        f"填报截止{chinese_date(issued.due)}）："
    )
    for form in issued.forms:
        typer.echo(f"  {form.path.name}（{form.tasks} 项任务）")


def _say(line: str) -> None:
    """One line of collect's report. Much in it comes from a returned file (names, notes,
    cell text): control characters are dropped, so none can drive the terminal, and a
    note's line breaks do not break the report's lines."""
    typer.echo(_one_line(line))


def _say_err(line: str) -> None:
    err(_one_line(line))


def _one_line(text: str) -> str:
    """Controls dropped, line breaks joined, and what is left that a terminal would obey or
    hide (a bidi control in a file's name, say) written out as \\uXXXX."""
    from gongkai_cli.output.text import plain, visible

    return visible(plain(text).replace("\n", " ").replace("\t", " "))


@command("collect")
def collect(
    files: Annotated[
        list[Path], typer.Argument(help="发回的填报表（.xlsx），可写多个。", metavar="文件…")
    ],
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="进展的日期（未填完成日期的行），默认表格的截至日期。",
            metavar="日期",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只检查并列出将记录的内容，不写入。")
    ] = False,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="只记录，不提交 git。")] = False,
    all_or_nothing: Annotated[
        bool, typer.Option("--all-or-nothing", help="任何一份有错，全部不收取。")
    ] = False,
    data: DataOpt = None,
) -> None:
    """收取发回的填报表：检查后把有变化的行记为进展，每份表格提交一次 git；有错的表格整份拒收。"""
    from gongkai_cli.actions.forms_round import collect_forms
    from gongkai_cli.model.dates import parse_date

    found = data_dir(data, writing=not dry_run)
    day = parse_date(date, "--date", year=plan_year(found)) if date else None
    done = collect_forms(
        found, files, date=day, dry_run=dry_run, commit=not no_commit, all_or_nothing=all_or_nothing
    )
    for each in done.checks:
        if each.error is not None:
            _say_err(f"错误：{each.error}")
            continue
        for problem in each.checked.problems:
            _say_err(problem.as_text())
        if not each.ok:
            errors = sum(p.is_error for p in each.checked.problems)
            _say_err(f"错误：{each.checked.form.name} 有 {errors} 处错误，整份未收取。")
    if done.rejected and all_or_nothing:
        _say_err(
            f"错误：{done.rejected} 份表格有误；按 --all-or-nothing，{len(files)} 份全部未收取。"
        )
        raise typer.Exit(ExitStatus.ERROR)
    for checked, entered in done.entered:
        _report(checked, entered)
    if dry_run:
        _say("（试运行：未写入任何内容。）")
    if len(files) > 1:
        _say(f"共 {len(files)} 份：收取 {done.accepted} 份，拒收 {done.rejected} 份。")
    if done.rejected:
        raise typer.Exit(ExitStatus.ERROR)


def _report(checked, done) -> None:
    from gongkai_cli.forms.collect import ALREADY, OLDER, RECORD, UNCHANGED

    ident = checked.form.identity
    count = {
        o: sum(d.outcome == o for d in done.decisions) for o in (RECORD, UNCHANGED, ALREADY, OLDER)
    }
    verb = "将记录" if done.dry_run else "记录"
    parts = [f"{verb} {count[RECORD]} 条", f"未变 {count[UNCHANGED]} 条"]
    if count[ALREADY]:
        parts.append(f"此前已记录 {count[ALREADY]} 条")
    if count[OLDER]:
        parts.append(f"跳过 {count[OLDER]} 条")
    _say(
        f"{checked.form.name}：{checked.unit}，截至 {ident.as_of.isoformat()}；{'，'.join(parts)}。"
    )
    for decision in done.decisions:
        if decision.written is not None:
            u = decision.written
            note = f"：{u.note}" if u.note else ""
            period = f"，期次 {u.period}" if u.period else ""  # as update says it
            _say(f"  任务 {u.task} → {u.status}（{u.date.isoformat()}{period}）{note}")
            if decision.remark:
                _say_err(f"注意：{checked.form.name} 任务 {u.task}：{decision.remark}")
        elif decision.outcome == OLDER:
            _say(f"  跳过{decision.reason}")
    for entry in done.requests:
        _say(f"  任务 {entry.task} 申请延期至 {entry.extend_to.isoformat()}（待审批）")
    if done.commit:
        _say(f"  已提交 git：{done.commit[:7]}")
    elif done.earlier and not done.written():
        _say(f"  这份表格已在提交 {done.earlier[:7]} 中收取过，没有新内容。")
    elif done.replied and not done.written():
        _say(f"  本轮已在提交 {done.replied[:7]} 中收取过该单位的表格，这份没有新内容。")
    elif done.why_not_committed:
        _say(f"  未提交 git：{done.why_not_committed}。")


@forms_command("status")
def status(
    round_: Annotated[
        str | None,
        typer.Option(
            "--round", help="填报轮次（表格的截至日期）；默认最近收取的一轮。", metavar="日期"
        ),
    ] = None,
    fmt: QueryFormatOpt = None,
    data: DataOpt = None,
) -> None:
    """填报表回收情况：哪些单位已交、哪些未交（催报名单），取自 collect 的提交记录。"""
    from gongkai_cli.actions.forms_round import forms_status
    from gongkai_cli.model.dates import parse_date
    from gongkai_cli.output.view import Column, View
    from gongkai_cli.output.views import UNIT

    found = data_dir(data)
    day = parse_date(round_, "--round", year=plan_year(found)) if round_ else None
    result = forms_status(found, day)
    missing = [r for r in result.replies if not r.returned]
    returned = [r for r in result.replies if r.returned]

    def view() -> View:
        rows = [[r.unit, "未交", "", "", "", ""] for r in missing]
        rows += [
            [
                r.unit,
                "已交",
                r.forms[0].date.isoformat(),
                str(sum(f.updates for f in r.forms)),
                "、".join(f.file for f in r.forms),
                r.forms[0].commit[:7],
            ]
            for r in returned
        ]
        columns = [
            UNIT,
            Column("情况", no_wrap=True),
            # The date the rows were entered as (collect --date, else the round's), not the
            # day the form came in: 收取日期 would mislead the clerk chasing late replies.
            Column("记录日期", no_wrap=True),
            Column("记录条数", no_wrap=True),
            Column("表格", long=True),
            Column("提交", no_wrap=True),
        ]
        notes = [
            f"应交 {len(result.replies)} 个单位：已交 {len(returned)} 个，未交 {len(missing)} 个。"
        ]
        if missing:
            notes.append("催报名单：" + "、".join(r.unit for r in missing) + "。")
        return View(f"进展填报回收情况（{result.round.isoformat()}）", columns, rows, notes)

    emit(fmt, view, result.as_dict)

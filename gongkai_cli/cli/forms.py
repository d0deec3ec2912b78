"""forms, collect, forms status: the reporting round by Excel form, both ends of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

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
    unit_option,
)
from gongkai_cli.errors import ExitStatus, GongkaiError, InvalidValue

app, command = command_group()

forms_app, forms_command = command_group(
    help="为各单位生成进展填报表（Excel）；forms status 查看回收情况（催报名单）。",
)
app.add_typer(forms_app, name="forms")

DUE_DAYS = 7  # the default time a unit has to reply


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
    from gongkai_cli.cli.reports import report_dir
    from gongkai_cli.forms.layout import file_name
    from gongkai_cli.forms.out import build_form, form_rows
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.model.dates import chinese_date, parse_date

    if all_units == bool(unit):
        raise typer.BadParameter("请用 --unit 指定单位，或使用 --all-units（二者选一）。")
    found = data_dir(data)
    book = open_book(found)
    day = as_of_day(book, as_of)
    deadline = day + dt.timedelta(days=DUE_DAYS)
    if due:
        deadline = parse_date(due, "--due", year=lambda: book.ledger.year)
    if deadline < day:
        raise InvalidValue(
            f"--due {deadline.isoformat()} 早于截至日期 {day.isoformat()}；请给出之后的日期。",
            due or "",
        )
    names = list(book.ledger.index.units) if all_units else _units(book, unit)
    folder = out or report_dir(found) / f"进展填报-{day.isoformat()}"
    planned = []
    for name in names:
        rows = form_rows(book, name, day)
        if not rows:
            if not all_units:
                raise GongkaiError(f"截至 {day.isoformat()}，{name} 没有需要填报的任务；未生成。")
            continue
        planned.append(
            (folder / file_name(name, day), build_form(book, name, day, deadline), len(rows))
        )
    _write_all(planned, force)
    typer.echo(
        f"已生成 {len(planned)} 份填报表，在 {folder}（截至{chinese_date(day)}，"
        f"填报截止{chinese_date(deadline)}）："
    )
    for path, _, count in planned:
        typer.echo(f"  {path.name}（{count} 项任务）")


def _units(book, names: list[str]) -> list[str]:
    index, units = book.ledger.index, []
    for name in names:
        found = index.lookup(name)
        units += index.members(found.name) if found and found.kind == "group" else [book.unit(name)]
    return list(dict.fromkeys(units))


def _write_all(planned: list[tuple[Path, bytes, int]], force: bool) -> None:
    """Write every form, or none: a file of the same name that differs may be a returned
    form saved into the same folder, and overwriting it would lose the unit's reply."""
    from gongkai_cli.record.atomic import write_output

    if not force:
        for path, content, _ in planned:
            if path.is_file() and path.read_bytes() != content:
                raise GongkaiError(
                    f"{path} 已存在且内容不同（可能是已发回的表格）；未生成任何填报表。"
                    "请换一个 --out 目录，或用 --force 覆盖。"
                )
    for path, content, _ in planned:
        write_output(path, content)


def _say(line: str) -> None:
    """One line of collect's report. Much in it comes from a returned file (names, notes,
    cell text): control characters are dropped, so none can drive the terminal, and a
    note's line breaks do not break the report's lines."""
    typer.echo(_one_line(line))


def _say_err(line: str) -> None:
    err(_one_line(line))


def _one_line(text: str) -> str:
    from gongkai_cli.output.text import plain

    return plain(text).replace("\n", " ")


@command("collect")
def collect(
    files: Annotated[
        list[Path], typer.Argument(help="发回的填报表（.xlsx），可写多个。", metavar="文件…")
    ],
    date: Annotated[
        str | None,
        typer.Option("--date", help="进展的日期（未填完成日期的行），默认今天。", metavar="日期"),
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
    from gongkai_cli.forms.check import check
    from gongkai_cli.forms.collect import collect as enter
    from gongkai_cli.forms.read import read_form
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.model.dates import current_date, parse_date

    found = data_dir(data, writing=not dry_run)
    book = open_book(found)
    today = current_date()
    day = parse_date(date, "--date", year=lambda: book.ledger.year) if date else today
    if day > today:
        raise InvalidValue(
            f"--date {day.isoformat()} 晚于今天，进展只能记录已发生的情况；未收取。", date or ""
        )
    good, rejected = [], 0
    for path in files:
        try:
            checked = check(book, read_form(path), today)
        except GongkaiError as exc:
            _say_err(f"错误：{exc}")
            rejected += 1
            continue
        for problem in checked.problems:
            _say_err(problem.as_text())
        if checked.ok:
            good.append(checked)
        else:
            errors = sum(p.is_error for p in checked.problems)
            _say_err(f"错误：{checked.form.name} 有 {errors} 处错误，整份未收取。")
            rejected += 1
    if rejected and all_or_nothing:
        _say_err(f"错误：{rejected} 份表格有误；按 --all-or-nothing，{len(files)} 份全部未收取。")
        raise typer.Exit(ExitStatus.ERROR)
    for checked in good:
        _report(checked, enter(found, checked, day, commit=not no_commit, dry_run=dry_run))
    if dry_run:
        _say("（试运行：未写入任何内容。）")
    if len(files) > 1:
        _say(f"共 {len(files)} 份：收取 {len(good)} 份，拒收 {rejected} 份。")
    if rejected:
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
        if decision.update is not None:
            u = decision.update
            note = f"：{u.note}" if u.note else ""
            _say(f"  任务 {u.task} → {u.status}（{u.date.isoformat()}）{note}")
        elif decision.outcome == OLDER:
            _say(f"  跳过{decision.reason}")
    if done.commit:
        _say(f"  已提交 git：{done.commit[:7]}")
    elif done.earlier and not done.updates():
        _say(f"  这份表格已在提交 {done.earlier[:7]} 中收取过，没有新内容。")
    elif done.replied and not done.updates():
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
    from gongkai_cli.forms.rounds import round_status
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.model.dates import parse_date
    from gongkai_cli.output.view import Column, View
    from gongkai_cli.output.views import UNIT
    from gongkai_cli.record.git import find_repo

    found = data_dir(data)
    book = open_book(found)
    day = parse_date(round_, "--round", year=lambda: book.ledger.year) if round_ else None
    result = round_status(book, find_repo(found.path), day)
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
            Column("收取日期", no_wrap=True),
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

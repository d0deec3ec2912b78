"""update, log, undo: recording progress."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli import completion
from gongkai_cli.cli.options import (
    DataOpt,
    QueryFormatOpt,
    TaskArg,
    command_group,
    data_dir,
    emit,
    err,
    parse_number,
    plan_year,
    say,
    unit_option,
)
from gongkai_cli.model.statuses import STATUSES

app, command = command_group()

# The ledger in a git repository is the official record; these lines say what happened to it.


@command("update")
def update(
    task: TaskArg,
    unit: Annotated[list[str], unit_option()],
    status: Annotated[
        str,
        typer.Option(
            "--status",
            "-s",
            help=f"{'、'.join(STATUSES)}（或 todo、doing、lagging、done、n/a）。",
            metavar="状态",
            autocompletion=completion.recorded_statuses,
        ),
    ],
    note: Annotated[
        str | None, typer.Option("--note", "-n", help="进展说明。", metavar="说明")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="进展发生的日期，默认今天。", metavar="日期")
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="填报人，默认 git 的 user.name。", metavar="姓名")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="周期性任务的期次，如 2021-03、2021-Q2、2021-W14、2021-H1；"
            "不写则按日期取当期（如 4月10日前报送的 3 月）。",
            metavar="期次",
        ),
    ] = None,
    problems: Annotated[
        str | None, typer.Option("--problems", help="存在问题。", metavar="说明")
    ] = None,
    next_steps: Annotated[
        str | None, typer.Option("--next", help="下步措施。", metavar="说明")
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", help="佐证链接（公开的网址，可重复）。", metavar="网址"),
    ] = None,
    attach: Annotated[
        list[Path] | None,
        typer.Option(
            "--attach",
            help="佐证文件（复制到台账的 evidence/ 并一同提交，可重复）。",
            metavar="文件",
        ),
    ] = None,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="只记录，不提交 git。")] = False,
    data: DataOpt = None,
) -> None:
    """记录进展：追加到 progress.yaml，并单独提交一次 git（只含该文件及所附佐证文件）。"""

    from gongkai_cli.actions.record_progress import record_update
    from gongkai_cli.model.dates import parse_date, plan_year_remark

    found = data_dir(data, writing=True)
    year = plan_year(found)
    day = parse_date(date, "--date", year=year) if date else None
    done = record_update(
        found,
        task,
        unit,
        status,
        note=note,
        date=day,
        by=by,
        commit=not no_commit,
        period=period,
        problems=problems,
        next=next_steps,
        evidence=evidence or (),
        attach=attach or (),
    )
    for note in done.notes:
        err(f"提示：{note}")
    # The plan's year as the record read it: asking the ledger again would hash the log
    # just made longer before trusting the cache.
    if day and (remark := plan_year_remark(day, done.year)):
        err(f"注意：{remark}")
    names = [u.unit for u in done.written]
    who = names[0] if len(names) == 1 else f"{'、'.join(names)}（{len(names)}个单位）"
    first = done.written[0]
    period_text = f"，期次 {first.period}" if first.period else ""
    say(f"已记录：任务 {task} {who} → {first.status}（{first.date.isoformat()}{period_text}）。")
    if done.via_open_group:
        say(
            f"注意：{'、'.join(done.via_open_group)} 是通过尚未指定的“有关部门/相关单位”报送的，已接受；"
            "请在 tasks.yaml 中为该任务补充 designated:。"
        )
    if done.commit:
        say(f"已提交 git：{done.commit[:7]}")
    else:
        say(f"未提交 git：{done.why_not_committed}。")


@command("log")
def log(
    task: Annotated[
        int | None, typer.Argument(help="只看该任务。", metavar="编号", parser=parse_number)
    ] = None,
    unit: Annotated[str | None, unit_option("只看该单位。")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="只看该日期及以后的记录。", metavar="日期")
    ] = None,
    fmt: QueryFormatOpt = None,
    data: DataOpt = None,
) -> None:
    """进展记录的历史，最新的在前，附编号和 git 提交号；已撤销的记录注明撤销的日期和人。"""
    from gongkai_cli.actions.record_progress import progress_log
    from gongkai_cli.model.dates import parse_date
    from gongkai_cli.output.view import Column, View
    from gongkai_cli.output.views import DATE, NOTE, NUMBER, STATUS, UNIT

    found = data_dir(data)
    day = parse_date(since, "--since", year=plan_year(found)) if since else None
    entries = progress_log(found, task, unit, day)
    columns = [
        NUMBER,
        DATE,
        Column("任务", no_wrap=True),
        UNIT,
        STATUS,
        NOTE,
        Column("填报人", no_wrap=True),  # a name is not text to wrap: 张三, Wang Xiaoming
        Column("提交", no_wrap=True),
        Column("撤销"),
    ]
    rows = [
        [
            e["id"],
            e["date"],
            str(e["task"]),
            e["unit"],
            e["status"] + (f"（{e['period']}期）" if e.get("period") else ""),
            e["note"] or "",
            e["by"] or "",
            (e["commit"] or "")[:7],
            _retraction_text(e["retracted"]),
        ]
        for e in entries
    ]
    retracted = sum(1 for e in entries if e["retracted"])
    summary = f"共 {len(rows)} 条" + (
        f"，其中 {retracted} 条已撤销，不计入状态。" if retracted else "。"
    )
    emit(
        fmt,
        lambda: View("进展记录", columns, rows, [summary], empty="没有进展记录。"),
        lambda: entries,
    )


def _retraction_text(retracted: dict | None) -> str:
    if not retracted:
        return ""
    who = f" {retracted['by']}" if retracted["by"] else ""
    return f"已撤销（{retracted['date']}{who}，编号 {retracted['id']}）"


@command("undo")
def undo_(
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            help="要撤销的进展编号（见 gongkai log）；不写则撤销最近一次记录。", metavar="编号"
        ),
    ] = None,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="只记录，不提交 git。")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只列出将撤销的记录，不写入。")
    ] = False,
    date: Annotated[
        str | None, typer.Option("--date", help="作出撤销的日期，默认今天。", metavar="日期")
    ] = None,
    data: DataOpt = None,
) -> None:
    """撤销进展：追加一条撤销记录（原记录保留，但不再计入状态）；不写编号则撤销你自己最近一次记录。"""
    from gongkai_cli.actions.record_progress import undo
    from gongkai_cli.model.dates import chinese_date, outside_plan_year, parse_date

    found = data_dir(data, writing=not dry_run)
    day = parse_date(date, "--date", year=plan_year(found)) if date else None
    done = undo(found, tuple(ids or ()), commit=not no_commit, dry_run=dry_run, date=day)
    for note in done.notes:
        err(f"提示：{note}")
    if not dry_run and outside_plan_year(done.date, year := plan_year(found)()):
        err(
            f"注意：撤销记录的日期是{'' if date else '今天'}（{chinese_date(done.date)}），不在计划年度（{year}年）内；"
            "撤销对任何日期的状态都生效，这个日期只作记录。"
        )
    shown = "、".join(u.id for u in done.retracted)
    what = done.subject.removeprefix("撤销: ")
    verb = "将撤销" if dry_run else "已撤销"
    say(f"{verb} {len(done.retracted)} 条进展（编号 {shown}）：{what}。")
    if dry_run:
        from gongkai_cli.model.supervision import event_subject

        for e in done.retracted:
            what = (
                f"任务 {e.task} {e.unit} → {e.status}" if hasattr(e, "status") else event_subject(e)
            )
            say(f"  {e.id}  {e.date.isoformat()} {what}（{e.by or ''}）")
        say("（试运行：未写入任何内容。）")
        return
    if done.commit:
        say(f"已提交 git：{done.commit[:7]}")
    else:
        why = "已按要求不提交（--no-commit）" if no_commit else "数据目录不在 git 仓库中"
        say(f"未提交 git：{why}。")
    err(
        "提示：撤销记录已追加到 progress.yaml；原记录仍在，gongkai log 中显示为“已撤销”，不再计入状态。"
    )

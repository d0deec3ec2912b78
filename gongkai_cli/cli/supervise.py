"""review, extend: the office's side of the supervision cycle (审核, 延期审批)."""

from __future__ import annotations

from typing import Annotated

import typer

from gongkai_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    QueryFormatOpt,
    command_group,
    data_dir,
    emit,
    err,
    parse_number,
    plan_year,
    say,
    unit_option,
)

app, command = command_group()

NoteOpt = Annotated[str | None, typer.Option("--note", "-n", help="理由或意见。", metavar="说明")]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="作出决定的日期，默认今天。", metavar="日期")
]
ByOpt = Annotated[
    str | None, typer.Option("--by", help="经办人，默认 git 的 user.name。", metavar="姓名")
]
NoCommitOpt = Annotated[bool, typer.Option("--no-commit", help="只记录，不提交 git。")]
TaskOpt = Annotated[
    int | None,
    typer.Option(
        "--task", "-t", help="只看（或只审）该任务。", metavar="编号", parser=parse_number
    ),
]


def _day(found, text: str | None, option: str = "--date"):
    from gongkai_cli.model.dates import current_date, parse_date

    return parse_date(text, option, year=plan_year(found)) if text else current_date()


def _committed(appended) -> None:
    for note in appended.notes:
        err(f"提示：{note}")
    if appended.commit:
        say(f"已提交 git：{appended.commit[:7]}")
    else:
        say(f"未提交 git：{appended.why_not_committed}。")


@command("review")
def review(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            help="不写：列出待审核的进展；写 通过 或 退回 加进展编号：作出审核。",
            metavar="[通过|退回] [编号…]",
        ),
    ] = None,
    unit: Annotated[str | None, unit_option("只看（或只审）该单位。")] = None,
    task: TaskOpt = None,
    note: NoteOpt = None,
    date: DateOpt = None,
    by: ByOpt = None,
    no_commit: NoCommitOpt = False,
    as_of: AsOfOpt = None,
    fmt: QueryFormatOpt = None,
    data: DataOpt = None,
) -> None:
    """审核各单位报“已完成”的进展：列出待审核的，或予以通过、退回。

    不写参数时列出待审核的进展，最早的在前。写 通过 或 退回 加进展编号作出审核；也可以不写编号，用 --unit 或 --task 选定一批。退回须用 --note 写明理由。每次审核单独提交一次 git。
    """
    from gongkai_cli.actions import review as reviewing

    if not args:
        found = data_dir(data)
        day = _day(found, as_of, "--as-of")
        claims = reviewing.claims_to_review(found, task=task, unit=unit, as_of=day)
        emit(fmt, lambda: _claims_view(claims, day), lambda: [c.as_dict() for c in claims])
        return
    verdict, *ids = args
    found = data_dir(data, writing=True)
    done = reviewing.review(
        found,
        verdict,
        tuple(ids),
        task=task,
        unit=unit,
        note=note,
        date=_day(found, date),
        by=by,
        commit=not no_commit,
    )
    shown = "、".join(f"任务 {c.task} {c.unit}（{c.id}）" for c in done.claims)
    say(f"已{done.verdict} {len(done.claims)} 条进展：{shown}。")
    _committed(done.appended)


def _claims_view(claims, day):
    from gongkai_cli.model.dates import chinese_date
    from gongkai_cli.output.supervised import evidence_label
    from gongkai_cli.output.view import Column, View
    from gongkai_cli.output.views import DATE, NOTE, UNIT

    columns = [
        Column("编号", no_wrap=True),
        Column("任务", no_wrap=True),
        UNIT,
        DATE,
        NOTE,
        Column("佐证材料", long=True),
    ]
    rows = [
        [
            c.id,
            str(c.task),
            c.unit,
            c.date.isoformat(),
            c.note or "",
            "；".join(map(evidence_label, c.evidence)),
        ]
        for c in claims
    ]
    return View(
        f"待审核的进展（截至 {chinese_date(day)}）",
        columns,
        rows,
        [
            f"共 {len(rows)} 条；gongkai review 通过 编号… 或 gongkai review 退回 编号… --note 理由。"
        ],
        empty="没有待审核的进展。",
    )


@command("extend")
def extend(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            help="任务编号（提出申请）；或 批准/驳回 加申请编号（审批）；不写则列出申请。",
            metavar="[编号 | 批准|驳回 申请编号]",
        ),
    ] = None,
    unit: Annotated[str | None, unit_option("申请延期的单位（列出时：只看该单位）。")] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="申请（或批准）延期至的日期。", metavar="日期")
    ] = None,
    note: NoteOpt = None,
    date: DateOpt = None,
    by: ByOpt = None,
    no_commit: NoCommitOpt = False,
    listing: Annotated[bool, typer.Option("--list", help="列出延期申请及其审批情况。")] = False,
    task: TaskOpt = None,
    as_of: AsOfOpt = None,
    fmt: QueryFormatOpt = None,
    data: DataOpt = None,
) -> None:
    """延期申请与审批：单位申请延期，县政务公开办批准或驳回。

    提出申请：gongkai extend 任务编号 --unit 单位 --to 日期 --note 理由。审批：gongkai extend 批准（或 驳回）申请编号，批准时可用 --to 另定日期。列出申请：gongkai extend --list。
    """
    from gongkai_cli.actions import extend as extending

    if listing or not args:
        found = data_dir(data)
        day = _day(found, as_of, "--as-of")
        found_requests = extending.extension_requests(found, task=task, unit=unit, as_of=day)
        emit(
            fmt,
            lambda: _requests_view(found_requests, day),
            lambda: [r.as_dict() for r in found_requests],
        )
        return
    from gongkai_cli.model.dates import parse_date

    found = data_dir(data, writing=True)
    year = plan_year(found)
    new_date = parse_date(to, "--to", year=year) if to else None
    first, *rest = args
    if extending.is_verdict(first):
        if len(rest) != 1:
            raise typer.BadParameter("请给出一个申请编号（见 gongkai extend --list）。")
        done = extending.decide_extension(
            found,
            first,
            rest[0],
            extend_to=new_date,
            note=note,
            date=_day(found, date),
            by=by,
            commit=not no_commit,
        )
        r = done.request
        granted = f"，延期至 {r.granted_to.isoformat()}" if r.granted_to else ""
        say(f"已{r.state.removeprefix('已')}任务 {r.task} {r.unit}的延期申请（{r.id}）{granted}。")
    else:
        if rest:
            raise typer.BadParameter("申请延期只写一个任务编号。")
        if unit is None or new_date is None:
            raise typer.BadParameter("申请延期须写 --unit 单位 和 --to 日期（以及 --note 理由）。")
        done = extending.request_extension(
            found,
            parse_number(first),
            unit,
            new_date,
            note=note,
            date=_day(found, date),
            by=by,
            commit=not no_commit,
        )
        r = done.request
        say(
            f"已记录延期申请（{r.id}）：任务 {r.task} {r.unit}，原时限 {r.deadline.isoformat()}，申请延期至 {r.extend_to.isoformat()}。"
        )
        if r.late:
            err(f"注意：该申请在原时限 {r.deadline.isoformat()} 之后才提出（逾期后申请）。")
    _committed(done.appended)


def _requests_view(requests, day):
    from gongkai_cli.model.dates import chinese_date
    from gongkai_cli.output.view import Column, View
    from gongkai_cli.output.views import NOTE, UNIT

    columns = [
        Column("编号", no_wrap=True),
        Column("任务", no_wrap=True),
        UNIT,
        Column("申请日期", no_wrap=True),
        Column("原时限", no_wrap=True),
        Column("申请延期至", no_wrap=True),
        NOTE,
        Column("审批", long=True),
    ]
    rows = []
    for r in requests:
        state = r.state
        if r.granted_to:
            state += f"（延期至 {r.granted_to.isoformat()}）"
        if r.late:
            state += "；逾期后申请"
        rows.append(
            [
                r.id,
                str(r.task),
                r.unit,
                r.date.isoformat(),
                r.deadline.isoformat(),
                r.extend_to.isoformat(),
                r.note or "",
                state,
            ]
        )
    return View(
        f"延期申请（截至 {chinese_date(day)}）",
        columns,
        rows,
        [f"共 {len(rows)} 条。"],
        empty="没有延期申请。",
    )

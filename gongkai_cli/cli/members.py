"""members add|list|fetch, rollup, coverage: the member ledgers this ledger rolls up."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    as_of_day,
    choice,
    command_group,
    data_dir,
    err,
    say,
)
from gongkai_cli.cli.reports import EncodingOpt, IssuerOpt, OutOpt, ReportFormatOpt, publish
from gongkai_cli.errors import ExitStatus

app, top = command_group()
members_app, command = command_group(
    help="成员台账（如各县区的台账）：添加、列出、用 git 取回。", no_args_is_help=True
)
app.add_typer(members_app, name="members")


@command("add")
def add(
    name: Annotated[str, typer.Argument(help="成员名称，如 濉溪县。", metavar="名称")],
    url: Annotated[
        str,
        typer.Argument(
            help="成员台账的 git 地址：路径、file://、git://、http(s)://、ssh 均可。",
            metavar="地址",
        ),
    ],
    branch: Annotated[
        str | None,
        typer.Option("--branch", "-b", help="分支；默认为成员仓库的默认分支。", metavar="分支"),
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(
            "--site", help="成员自己发布的台账网站（http(s)://…）；汇总页链接到它。", metavar="网址"
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """在 data/members.yaml 中添加一个成员台账（并提交该文件）。"""
    from gongkai_cli.actions.members import add_member

    found = data_dir(data, writing=True)
    member = add_member(found, name, url, branch, site)
    where = f"{member.url}（分支 {member.branch}）" if member.branch else member.url
    say(f"已添加成员 {member.name}：{where}")


@command("list")
def list_(data: DataOpt = None) -> None:
    """列出成员台账：名称、地址、分支和最近取回的提交。"""
    from gongkai_cli.actions.members import NO_MEMBERS, list_members

    listed = list_members(data_dir(data))
    if not listed:
        say(NO_MEMBERS)
        return
    for item in listed:
        m = item.member
        commit = item.commit[:12] if item.commit else "尚未取回"
        say(f"{m.name}\t{m.url}\t{m.branch or '默认分支'}\t{commit}")


@command("fetch")
def fetch(
    names: Annotated[
        list[str] | None,
        typer.Argument(help="只取回这些成员；默认全部。", metavar="名称…", show_default=False),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="同时取回的成员数。", min=1, max=64, metavar="数")
    ] = 4,
    data: DataOpt = None,
) -> None:
    """用 git 取回每个成员台账（并行），检查其数据，打印读取的提交；取不回的成员说明原因，其余照常。"""
    from gongkai_cli.actions.members import NO_MEMBERS, fetch_members, members

    found = data_dir(data, writing=True)
    total = len(names) if names else len(members(found))
    if total == 0:
        say(NO_MEMBERS)
        return
    live = sys.stderr.isatty()
    done = 0

    def on_done(result) -> None:
        nonlocal done
        done += 1
        if live:  # as each member arrives: its line, then the count so far
            sys.stderr.write("\r\x1b[K")
            _show(result)
            sys.stderr.write(f"取回中 {done}/{total}…")
            sys.stderr.flush()

    results = fetch_members(found, jobs=jobs, names=names, on_done=on_done)
    if live:
        sys.stderr.write("\r\x1b[K")
    else:
        for result in results:
            _show(result)
    failed = [r.name for r in results if r.error]
    say(
        f"取回 {len(results) - len(failed)} 个成员"
        + (f"，失败 {len(failed)} 个。" if failed else "。")
    )
    if failed:
        raise typer.Exit(ExitStatus.ERROR)


def _show(result) -> None:
    if result.error:
        err(f"错误：成员 {result.name} 未能取回：{result.error}")
    else:
        say(f"{result.name}\t{result.commit[:12]}\t{result.title}")


@top("rollup")
def rollup(
    as_of: AsOfOpt = None,
    fmt: ReportFormatOpt = None,
    out: OutOpt = None,
    issuer: IssuerOpt = None,
    encoding: EncodingOpt = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="task：按本级计划的任务汇总，每个成员一列（按 coverage 的对应关系）。",
            metavar="task",
            parser=choice({"task": "task", "任务": "task"}, "可用的汇总方式"),
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """汇总各成员台账：每个成员一行（计划、读取的提交、任务数、项次、完成、逾期、按期率），另有合计行。"""
    from gongkai_cli.actions.rollup import rollup as roll_up
    from gongkai_cli.actions.rollup import rollup_by_task
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.output.rollup import by_task_document, rollup_document

    found = data_dir(data)
    day = as_of_day(open_book(found), as_of)
    result = rollup_by_task(found, day) if by else roll_up(found, day)
    for name, why in result.skipped:
        err(f"提示：成员 {name} 未纳入汇总：{why}")
    doc = by_task_document(result) if by else rollup_document(result)
    stem = "成员汇总-按任务" if by else "成员汇总"
    publish(doc, fmt, out, found, stem, encoding=encoding, issuer=issuer)


@top("coverage")
def coverage(
    plans: Annotated[
        list[Path] | None,
        typer.Argument(
            help="两份计划：上级 下级（tasks.yaml、台账目录或任何可导入的计划文件）；不写时核对本台账与各成员。",
            metavar="[上级 下级]",
            show_default=False,
        ),
    ] = None,
    member: Annotated[
        str | None, typer.Option("--member", help="只核对这个成员。", metavar="名称")
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="人工确认的对应关系文件（两份计划时用；成员的在 data/coverage.yaml）。",
            metavar="文件",
        ),
    ] = None,
    fmt: ReportFormatOpt = None,
    out: OutOpt = None,
    encoding: EncodingOpt = None,
    data: DataOpt = None,
) -> None:
    """任务分解核对：本级每项任务由下级哪些任务分解（文字并列，便于确认），以及未分解的任务。"""
    from gongkai_cli.actions.coverage import member_coverage, plan_coverage
    from gongkai_cli.model.dates import current_date
    from gongkai_cli.output.coverage import coverage_document

    if plans and len(plans) != 2:
        raise typer.BadParameter("请给出两份计划：上级 下级；或都不写，核对本台账与各成员。")
    if plans and member:
        raise typer.BadParameter("--member 用于核对本台账与成员，不能与两份计划同用。")
    if plans:
        from gongkai_cli.ledger.datadir import as_data_dir

        found = as_data_dir(data)  # only to say where a report file goes
        result = plan_coverage(plans[0], plans[1], mapping)
    else:
        if mapping is not None:
            raise typer.BadParameter(
                "成员的对应关系写在 data/coverage.yaml 中；--mapping 只用于两份计划。"
            )
        found = data_dir(data)
        result = member_coverage(found, member)
    for name, why in result.skipped:
        err(f"提示：成员 {name} 未核对：{why}")
    doc = coverage_document(result, current_date())
    publish(doc, fmt, out, found, "任务分解核对", encoding=encoding)

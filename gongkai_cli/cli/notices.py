"""notice: 督办通知单 for the units with late work."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    as_of_day,
    command_group,
    data_dir,
    say,
    unit_option,
)
from gongkai_cli.cli.reports import IssuerOpt

app, command = command_group()


@command("notice")
def notice(
    unit: Annotated[
        list[str] | None, unit_option("督办该单位（可写多次）；不写则督办全部有逾期任务的单位。")
    ] = None,
    all_late: Annotated[
        bool, typer.Option("--all-late", help="督办全部有逾期任务的单位（不写 --unit 时即如此）。")
    ] = False,
    as_of: AsOfOpt = None,
    reply_by: Annotated[
        str | None,
        typer.Option("--reply-by", help="回执报送期限，默认通知日期后 7 天。", metavar="日期"),
    ] = None,
    issuer: IssuerOpt = None,
    number_prefix: Annotated[
        str | None,
        typer.Option(
            "--number-prefix",
            help="通知编号的前缀，默认 督办〔年份〕，编号为 前缀+序号+号。",
            metavar="前缀",
        ),
    ] = None,
    first_number: Annotated[
        int, typer.Option("--first-number", help="第一份通知的序号。", metavar="序号", min=1)
    ] = 1,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="写入的 Word 文件；默认 reports/督办通知单-日期.docx。",
            metavar="文件",
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """督办通知单：为逾期单位各写一页（Word），列出逾期任务、时限、逾期天数和回执报送期限，附回执。"""
    from gongkai_cli.actions.notice import notices, publish_notices
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.model.dates import parse_date

    if unit and all_late:
        raise typer.BadParameter("--unit 与 --all-late 只能用一个。", param_hint="--all-late")
    found = data_dir(data)
    book = open_book(found)
    day = as_of_day(book, as_of)
    reply = parse_date(reply_by, "--reply-by", year=lambda: book.ledger.year) if reply_by else None
    written = notices(
        found,
        day,
        units=unit or (),
        reply_by=reply,
        issuer=issuer or "",
        prefix=number_prefix,
        first_number=first_number,
        book=book,
    )
    if not written.notices:
        say(f"截至 {day.isoformat()} 没有逾期的单位，未生成督办通知单。")
        return
    path = publish_notices(found, written, out)
    units = "、".join(n.unit for n in written.notices)
    first, last = written.notices[0].number, written.notices[-1].number
    numbers = first if len(written.notices) == 1 else f"{first}—{last}"
    say(f"已生成：{path}（{len(written.notices)} 份，{numbers}：{units}）")

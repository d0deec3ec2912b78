"""report progress|overdue|unit, stats: publishing straight from the ledger."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli import completion
from gongkai_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    WideOpt,
    as_of_day,
    choice,
    command_group,
    data_dir,
    environment,
    format_option,
    unit_option,
    write_stdout,
)

app, command = command_group()

report_app, report_command = command_group(
    help="生成报表：进展情况表、逾期通报、单位责任清单。", no_args_is_help=True
)
app.add_typer(report_app, name="report")


class ReportFormat(enum.StrEnum):
    table = "table"
    md = "md"
    docx = "docx"
    xlsx = "xlsx"
    csv = "csv"
    json = "json"


class Encoding(enum.StrEnum):
    utf8_sig = "utf-8-sig"
    utf8 = "utf-8"
    gb18030 = "gb18030"


ReportFormatOpt = Annotated[
    ReportFormat | None,
    format_option(
        ReportFormat,
        "table 显示在终端（在终端中的默认）；md、docx、xlsx 写入文件（默认在 reports/ 下）；"
        "csv、json 输出到屏幕或 --out。输出到管道时默认为 md；给了 --out 时按其扩展名。",
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="写入的文件（- 为屏幕）；默认 reports/报表名-日期.扩展名。",
        metavar="文件",
    ),
]
EncodingOpt = Annotated[
    Encoding | None,
    typer.Option(
        "--encoding",
        help="CSV 的编码：写入文件时默认 utf-8-sig（带 BOM，Excel 可直接打开），输出到屏幕时默认 utf-8；也可用 gb18030。",
        show_default=False,
        metavar="编码",
        parser=choice({e.value: e for e in Encoding}, "可用的编码"),
    ),
]
IssuerOpt = Annotated[
    str | None,
    typer.Option(
        "--issuer",
        help="落款单位，如 县政务公开办；写在 Word 和 Markdown 报表末尾，并附日期。",
        metavar="单位",
    ),
]


def _book_and_day(data, as_of):
    from gongkai_cli.ledger.checked import open_book

    found = data_dir(data)
    book = open_book(found)
    return found, book, as_of_day(book, as_of)


def traced(doc, found, report: tuple[str, ...], issuer: str | None):
    """The report with where it came from (output.provenance), for Word and Excel files."""
    from dataclasses import replace

    from gongkai_cli.actions.verify import ledger_commit
    from gongkai_cli.output.provenance import Provenance

    commit, dirty = ledger_commit(found)
    signed = (issuer or "").strip()
    return replace(doc, provenance=Provenance(commit, dirty, doc.as_of, report, signed))


def publish(
    doc,
    fmt: ReportFormat | None,
    out: Path | None,
    found,
    stem: str,
    *,
    wide: bool = False,
    encoding: Encoding | None = None,
    issuer: str | None = None,
    title: str = "",
) -> None:
    """Show the report, or write it and say where (see actions.publish_report)."""
    from gongkai_cli.actions.publish_report import publish_report

    done = publish_report(
        doc,
        found,
        stem,
        fmt=fmt.value if fmt else None,
        out=out,
        env=environment(),
        wide=wide,
        encoding=encoding.value if encoding else None,
        issuer=issuer,
        title=title,
    )
    if done.path is None:
        write_stdout(done.content)
    else:
        typer.echo(f"已生成：{done.path}")


def _plan_report(name: str, build: str, stem: str, help: str) -> None:
    """Register `report NAME`: a report on the whole plan as of one day, made by
    output.reports.BUILD(book, day) and published as STEM-日期."""

    @report_command(name, help=help)
    def report(
        as_of: AsOfOpt = None,
        fmt: ReportFormatOpt = None,
        out: OutOpt = None,
        issuer: IssuerOpt = None,
        encoding: EncodingOpt = None,
        wide: WideOpt = False,
        data: DataOpt = None,
    ) -> None:
        from gongkai_cli.output import reports

        found, book, day = _book_and_day(data, as_of)
        doc = traced(getattr(reports, build)(book, day), found, (name,), issuer)
        publish(doc, fmt, out, found, stem, wide=wide, encoding=encoding, issuer=issuer)


_plan_report(
    "progress",
    "progress_report",
    "进展情况",
    "进展情况表：工作任务/具体要求/责任单位/时限要求/进展情况，按大项、小项排列。",
)
_plan_report(
    "overdue",
    "overdue_bulletin",
    "逾期通报",
    "逾期通报：逾期任务及逾期单位，并按逾期任务数对单位排名。",
)


@report_command("unit")
def unit_checklist(
    unit: Annotated[
        str | None,
        typer.Argument(
            help="单位名或别名。",
            show_default=False,
            metavar="单位",
            autocompletion=completion.units,
        ),
    ] = None,
    unit_named: Annotated[str | None, unit_option("单位，同上（写作参数或 --unit 均可）。")] = None,
    all_units: Annotated[
        bool,
        typer.Option(
            "--all-units",
            help="全部单位：xlsx 为一个工作簿（目录＋每单位一张表），docx 为一个文档（每单位一页起），md 为每单位一个文件。",
        ),
    ] = False,
    as_of: AsOfOpt = None,
    fmt: ReportFormatOpt = None,
    out: OutOpt = None,
    issuer: IssuerOpt = None,
    encoding: EncodingOpt = None,
    wide: WideOpt = False,
    data: DataOpt = None,
) -> None:
    """单位责任清单：该单位牵头和落实的任务、时限、本单位状态和说明。"""
    from gongkai_cli.output.reports import unit_checklist as build

    if unit is not None and unit_named is not None and unit != unit_named:
        raise typer.BadParameter(
            f"单位写了两个（{unit}、{unit_named}）；责任清单一次一个单位。", param_hint="--unit"
        )
    unit = unit if unit is not None else unit_named
    found, book, day = _book_and_day(data, as_of)
    if all_units == (unit is not None):
        raise typer.BadParameter("请给出一个单位，或使用 --all-units（二者选一）。")
    if not all_units:
        name = book.unit(unit)
        doc = traced(build(book, name, day), found, ("unit", name), issuer)
        stem = f"责任清单-{name}"
        publish(doc, fmt, out, found, stem, wide=wide, encoding=encoding, issuer=issuer)
        return
    from gongkai_cli.actions.publish_report import publish_checklists

    fmt_name = fmt.value if fmt else None
    for done in publish_checklists(found, day, fmt=fmt_name, out=out, issuer=issuer, book=book):
        typer.echo(f"已生成：{done.path}")


class StatsBy(enum.StrEnum):
    unit = "unit"
    section = "section"


@command("stats")
def stats_(
    as_of: AsOfOpt = None,
    by: Annotated[
        StatsBy,
        typer.Option(
            "--by",
            help="按单位（unit）或按大项（section）统计。",
            metavar="单位|大项",
            parser=choice(
                {
                    "单位": StatsBy.unit,
                    "大项": StatsBy.section,
                    "unit": StatsBy.unit,
                    "section": StatsBy.section,
                },
                "可用的统计方式",
            ),
        ),
    ] = StatsBy.unit,
    fmt: ReportFormatOpt = None,
    out: OutOpt = None,
    issuer: IssuerOpt = None,
    encoding: EncodingOpt = None,
    data: DataOpt = None,
) -> None:
    """完成情况统计：每个单位（或大项）的完成率、按期率和逾期数。"""
    from gongkai_cli.output.reports import stats

    found, book, day = _book_and_day(data, as_of)
    stem = "完成情况统计" if by is StatsBy.unit else "完成情况统计-按大项"
    doc = traced(stats(book, day, by.value), found, ("stats", by.value), issuer)
    publish(doc, fmt, out, found, stem, encoding=encoding, issuer=issuer)

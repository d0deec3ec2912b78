"""report progress|overdue|unit, stats: publishing straight from the ledger."""

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
    WideOpt,
    as_of_day,
    choice,
    commands_of,
    data_dir,
    format_option,
)
from gongkai_cli.errors import GongkaiError

app = typer.Typer()
command = commands_of(app)

report_app = typer.Typer(
    help="生成报表：进展情况表、逾期通报、单位责任清单。", no_args_is_help=True
)
app.add_typer(report_app, name="report")
report_command = commands_of(report_app)


class ReportFormat(enum.StrEnum):
    table = "table"
    md = "md"
    xlsx = "xlsx"
    csv = "csv"
    json = "json"


ReportFormatOpt = Annotated[
    ReportFormat | None,
    format_option(
        ReportFormat,
        "table 显示在终端（在终端中的默认）；md、xlsx 写入文件（默认在 reports/ 下）；csv、json 输出到屏幕或 --out。输出到管道时默认为 md。",
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", help="写入的文件；默认 reports/报表名-日期.扩展名。", metavar="文件"
    ),
]


def _book_and_day(data, as_of):
    from gongkai_cli.model.book import open_book

    found = data_dir(data)
    book = open_book(found)
    return found, book, as_of_day(book, as_of)


def publish(
    doc, fmt: ReportFormat | None, out: Path | None, found, stem: str, wide: bool = False
) -> None:
    """Show the report, or write it: md and xlsx to a file, csv and json to stdout unless --out."""
    from gongkai_cli.output import document

    if fmt is None:  # on a terminal, show it; into a pipe or a file, Markdown
        if sys.stdout.isatty():
            fmt = ReportFormat.table
        else:
            fmt, out = ReportFormat.md, out or Path("-")
    if fmt is ReportFormat.table:
        document.print_document(doc, wide=wide)
        return
    if fmt is ReportFormat.xlsx:
        from gongkai_cli.output.xlsx import to_xlsx

        content = to_xlsx(doc)
    else:
        render = {"md": document.to_markdown, "csv": document.to_csv, "json": document.to_json}[
            fmt.value
        ]
        content = render(doc).encode("utf-8")
    if (out is None and fmt in (ReportFormat.csv, ReportFormat.json)) or str(out) == "-":
        if fmt is ReportFormat.xlsx:
            raise GongkaiError("Excel 文件不能输出到屏幕，请用 --out 指定文件。")
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    target = out or report_dir(found) / f"{stem}-{doc.as_of.isoformat()}.{fmt.value}"
    write_report(target, content, found)
    typer.echo(f"已生成：{target}")


def report_dir(found) -> Path:
    return Path.cwd() / "reports" if found.bundled else found.path.parent / "reports"


def write_report(target: Path, content: bytes, found) -> None:
    from gongkai_cli.ledger.datadir import PROGRESS, TASKS, UNITS
    from gongkai_cli.record.atomic import atomic_write

    if target.resolve() in {found.file(n).resolve() for n in (TASKS, UNITS, PROGRESS)}:
        raise GongkaiError(f"{target} 是台账的数据文件，报表不能写到这里。")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, content)
    except OSError as exc:
        raise GongkaiError(f"无法写入 {target}：{exc.strerror}。") from None


@report_command("progress")
def progress(
    as_of: AsOfOpt = None,
    fmt: ReportFormatOpt = None,
    out: OutOpt = None,
    wide: WideOpt = False,
    data: DataOpt = None,
) -> None:
    """进展情况表：工作任务/具体要求/责任单位/时限要求/进展情况，按大项、小项排列。"""
    from gongkai_cli.output.reports import progress_report

    found, book, day = _book_and_day(data, as_of)
    publish(progress_report(book, day), fmt, out, found, "progress", wide)


@report_command("overdue")
def overdue_bulletin(
    as_of: AsOfOpt = None,
    fmt: ReportFormatOpt = None,
    out: OutOpt = None,
    wide: WideOpt = False,
    data: DataOpt = None,
) -> None:
    """逾期通报：逾期任务及逾期单位，并按逾期任务数对单位排名。"""
    from gongkai_cli.output.reports import overdue_bulletin as build

    found, book, day = _book_and_day(data, as_of)
    publish(build(book, day), fmt, out, found, "overdue", wide)


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
    all_units: Annotated[
        bool, typer.Option("--all-units", help="为每个单位各生成一份（md 或 xlsx）。")
    ] = False,
    as_of: AsOfOpt = None,
    fmt: ReportFormatOpt = None,
    out: OutOpt = None,
    wide: WideOpt = False,
    data: DataOpt = None,
) -> None:
    """单位责任清单：该单位牵头和落实的任务、时限、本单位状态和说明。"""
    from gongkai_cli.output.reports import unit_checklist as build

    found, book, day = _book_and_day(data, as_of)
    if all_units == (unit is not None):
        raise typer.BadParameter("请给出一个单位，或使用 --all-units（二者选一）。")
    if not all_units:
        name = book.unit(unit)
        publish(build(book, name, day), fmt, out, found, f"unit-{name}", wide)
        return
    if fmt not in (ReportFormat.md, ReportFormat.xlsx):
        raise GongkaiError("--all-units 为每个单位写一个文件，请用 --format md 或 --format xlsx。")
    folder = out or report_dir(found) / f"units-{day.isoformat()}"
    for name in book.ledger.index.units:
        doc = build(book, name, day)
        if doc.tables():
            publish(doc, fmt, folder / f"{name}.{fmt.value}", found, name)


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
    data: DataOpt = None,
) -> None:
    """完成情况统计：每个单位（或大项）的完成率、按期率和逾期数。"""
    from gongkai_cli.output.reports import stats

    found, book, day = _book_and_day(data, as_of)
    publish(stats(book, day, by.value), fmt, out, found, f"stats-{by.value}")

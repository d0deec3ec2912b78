"""What every command shares: the --data, --format, --as-of and --wide options, the error guard
that turns the core's errors into one sentence and exit 1, and finding the data directory."""

from __future__ import annotations

import enum
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli import completion
from gongkai_cli.errors import DataError, ExitStatus, GongkaiError, ReadOnlyLedger


class QueryFormat(enum.StrEnum):
    table = "table"
    md = "md"
    json = "json"
    csv = "csv"


def choice(words: dict[str, object], what: str):
    """A parser for an option with a few allowed words (English or Chinese, any width): the
    value, or a usage error that lists the words."""

    def parse(text: str):
        from gongkai_cli.model.dates import normalize

        if isinstance(text, tuple(type(v) for v in words.values())):
            return text  # a default, already parsed
        value = words.get(normalize(text).lower())
        if value is None:
            raise typer.BadParameter(f"“{text}”不是{what}；可写 {'、'.join(words)}")
        return value

    return parse


def parse_number(text: str) -> int:
    """A task number, in ASCII or full-width digits."""
    from gongkai_cli.model.dates import normalize

    if isinstance(text, int):
        return text
    value = normalize(text)
    if not value.isdecimal():
        raise typer.BadParameter(f"“{text}”不是任务编号；请写数字，如 7")
    return int(value)


TaskArg = Annotated[
    int,
    typer.Argument(
        help="任务编号。",
        metavar="编号",
        parser=parse_number,
        show_default=False,
        autocompletion=completion.tasks,
    ),
]


def format_option(formats: type[enum.Enum], help: str):
    """The --format/-f option over `formats`, any width, Chinese metavar."""
    return typer.Option(
        "--format",
        "-f",
        help=help,
        show_default=False,
        metavar="格式",
        parser=choice({f.value: f for f in formats}, "可用的格式"),
    )


def unit_option(help: str = "单位（可重复；也可写集合，如 各镇）。"):
    """The --unit/-u option: a unit's name or alias, completed from the registry."""
    return typer.Option(
        "--unit",
        "-u",
        help=help,
        metavar="单位",
        autocompletion=completion.units,
        parser=unit_name,
    )


def unit_name(value: str) -> str:
    """A unit as typed, without the spaces around it that a name copied from an Excel
    cell or a chat message brings along (full-width and non-breaking ones too), nor the
    no-break joins of a name copied from one of our reports (output.cjk.NO_BREAK; not
    imported here, as a warm `list` loads no output module)."""
    return value.replace("\ufeff", "").replace("\u2060", "").strip()


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="数据目录（含 tasks.yaml）；默认依次为 $GONGKAI_DATA、上级目录中的 data/、内置计划。",
        show_default=False,
        metavar="目录",
    ),
]
# A plan document's title and year, where the importer should not read them from it.
PlanTitleOpt = Annotated[
    str | None, typer.Option("--title", help="计划标题；默认取表格上方的标题。", metavar="标题")
]
PlanYearOpt = Annotated[
    int | None,
    typer.Option(
        "--year", help="计划年度；默认取标题中的年份。", min=1949, max=2200, metavar="年份"
    ),
]
QueryFormatOpt = Annotated[
    QueryFormat | None,
    format_option(
        QueryFormat,
        "输出格式：table、md、json、csv；默认在终端中为 table，输出到文件或管道时为 md。",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="按某一天的情况回答：年-月-日，或计划年度内的 10月31日、10.31，或 昨天；默认今天。",
        show_default=False,
        metavar="日期",
    ),
]
WideOpt = Annotated[bool, typer.Option("--wide", help="表格中显示完整的具体要求。")]


def environment():
    """Where this run's output goes, read from the process: the one place that asks whether
    standard output is a terminal, how wide it is and whether colour is wanted."""
    import shutil

    from gongkai_cli.output.environment import Environment

    terminal = sys.stdout.isatty()
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdecimal() else None
    if width is None and terminal:
        width = shutil.get_terminal_size().columns
    return Environment(terminal, width, terminal and "NO_COLOR" not in os.environ)


def emit(fmt, view, payload, *, wide: bool = False) -> None:
    """Write a query's result to standard output in the chosen format (see output.view.render)."""
    from gongkai_cli.output.view import render

    write_stdout(render(fmt, view, payload, wide=wide, env=environment()))


def write_stdout(content: str | bytes) -> None:
    if isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)
        sys.stdout.flush()


def err(message: str) -> None:
    from gongkai_cli.output.text import terminal

    typer.echo(terminal(message), err=True)  # messages quote the data, escapes and all


def say(message: str) -> None:
    from gongkai_cli.output.text import terminal

    typer.echo(terminal(message))


def command_group(**settings) -> tuple[typer.Typer, Callable]:
    """A new Typer group (`typer.Typer(**settings)`) and its `@command(name)` decorator."""
    group = typer.Typer(**settings)
    return group, commands_of(group)


def commands_of(group: typer.Typer):
    """The `@command(name)` decorator of one command group: it registers the function on
    `group`, with the core's GongkaiError turned into one clear sentence on stderr and exit 1."""

    def command(*args, **kwargs):
        def register(func):
            group.command(*args, **kwargs)(guarded(func))
            return func

        return register

    return command


def guarded(func):
    """`func` with the core's GongkaiError turned into one sentence on stderr and its exit
    status (errors.ExitStatus), and Ctrl-C into one line and 130 instead of Click's
    "Aborted!" and 1, so that a script can tell an interruption from bad data."""

    @functools.wraps(func)
    def call(*a, **kw):
        _remarks.clear()
        try:
            result = func(*a, **kw)
            for line in _remarks:
                err(line)
            sys.stdout.flush()  # a closed pipe shows here, while it can still be handled
            return result
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(ExitStatus.OK) from None
        except KeyboardInterrupt:
            err("已中断。")
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        except DataError as exc:
            from gongkai_cli.output.text import visible

            for problem in exc.problems:
                if problem.is_error:
                    err(visible(problem.as_text()))  # one line each, whatever the data holds
            err(f"错误：{exc}")
            status = exc.status
        except GongkaiError as exc:
            err(f"错误：{exc}")
            status = exc.status
        raise typer.Exit(status)

    return call


_remarks: list[str] = []


def remark(line: str) -> None:
    """A line for stderr once the command has answered: a hint about the answer (such as
    the date it is for) means nothing beside an error, and would crowd it."""
    _remarks.append(line)


def _quiet_stdout() -> None:
    """The reader went away (`gongkai list | head`): end quietly, as other Unix tools do,
    with stdout pointed at /dev/null so that the final flush finds nowhere to fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def data_dir(option: Path | None, *, writing: bool = False):
    from gongkai_cli.ledger.datadir import find_data_dir, writable

    found = find_data_dir(option)
    if writing:
        try:
            return writable(found)
        except ReadOnlyLedger:
            raise ReadOnlyLedger(
                "当前没有可写的台账，只有随程序附带的计划（只读）；请先运行 gongkai init 目录 建立自己的台账，"
                "再在该目录中运行，或用 --data 指定其 data 目录。"
            ) from None
    if found.bundled:
        err(f"提示：未找到 data/ 目录，使用随程序附带的计划（只读）：{found.path}")
    return found


def plan_year(found) -> Callable[[], int]:
    """The plan's year of a data directory, read when first asked: only dates written
    without a year (10月31日, 10-31) need it, and a date option is read before the ledger."""

    @functools.cache
    def year() -> int:
        from gongkai_cli.ledger.checked import open_book

        return open_book(found).ledger.year

    return year


def as_of_day(book, text: str | None):
    """The --as-of date (today if not given), read with the plan's year for 10月31日; a date
    more than a year away from the plan's year gets a one-line note on stderr. Today most
    needs it: an old plan asked about today reads all 逾期 for no fault of any unit."""
    from gongkai_cli.model.dates import chinese_date, example_day, outside_plan_year, parse_as_of

    year = book.ledger.year
    day = parse_as_of(text, year=lambda: year)
    if outside_plan_year(day, year, slack_days=366):
        if text is not None:
            remark(f"提示：--as-of {chinese_date(day)} 距计划年度（{year}年）超过一年。")
        else:
            remark(
                f"提示：今天（{chinese_date(day)}）距计划年度（{year}年）超过一年；"
                f"要看计划年度内某天的情况，请加 --as-of，如 --as-of {example_day(year).isoformat()}。"
            )
    return day


def book_for(option: Path | None):
    """The ledger that --data names (or that is found), ready for queries."""
    from gongkai_cli.ledger.checked import open_book

    return open_book(data_dir(option))

"""What every command shares: the --data, --format, --as-of and --wide options, the error guard
that turns the core's errors into one sentence and exit 1, and finding the data directory."""

from __future__ import annotations

import enum
import functools
from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.errors import DataError, ExitStatus, GongkaiError, ReadOnlyLedger


class Format(enum.StrEnum):
    table = "table"
    md = "md"
    json = "json"
    csv = "csv"


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="数据目录（含 tasks.yaml）；默认依次为 $GONGKAI_DATA、上级目录中的 data/、内置计划。",
        show_default=False,
        file_okay=False,
    ),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="输出格式；默认在终端中为 table，输出到文件或管道时为 md。",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="按某一天的情况回答，如 2021-10-31；默认今天。", show_default=False
    ),
]
WideOpt = Annotated[bool, typer.Option("--wide", help="表格中显示完整的具体要求。")]


def emit(fmt, view, payload, *, wide: bool = False) -> None:
    """Write a query's result to standard output in the chosen format (see output.view.render)."""
    from gongkai_cli.output.view import render

    write_stdout(render(fmt, view, payload, wide=wide))


def write_stdout(content: str | bytes) -> None:
    import sys

    if isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)
        sys.stdout.flush()


def err(message: str) -> None:
    typer.echo(message, err=True)


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
    """`func` with the core's GongkaiError turned into one sentence on stderr and exit 1."""

    @functools.wraps(func)
    def call(*a, **kw):
        try:
            return func(*a, **kw)
        except DataError as exc:
            for problem in exc.problems:
                if problem.is_error:
                    err(problem.as_text())
            err(f"错误：{exc}")
        except GongkaiError as exc:
            err(f"错误：{exc}")
        raise typer.Exit(ExitStatus.ERROR)

    return call


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


def book_for(option: Path | None):
    """The ledger that --data names (or that is found), ready for queries."""
    from gongkai_cli.ledger.checked import open_book

    return open_book(data_dir(option))

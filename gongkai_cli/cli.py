"""The `gongkai` command line: options in, core calls, rendered results out; no logic of its own.

Core modules are imported inside the commands, so `gongkai --help` starts fast.
"""

from __future__ import annotations

import enum
import functools
import sys
from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli import __version__
from gongkai_cli.errors import DataError, ExitStatus, GongkaiError

app = typer.Typer(
    name="gongkai",
    help="政务公开重点工作任务台账：谁负责什么、完成了什么、哪些逾期。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


def err(message: str) -> None:
    typer.echo(message, err=True)


def command(*args, group: typer.Typer | None = None, **kwargs):
    """Register a command (on `app`, or on a sub-command `group`) whose GongkaiError becomes
    one clear sentence on stderr and exit 1."""

    def register(func):
        @functools.wraps(func)
        def guarded(*a, **kw):
            try:
                return func(*a, **kw)
            except DataError as exc:
                for problem in exc.problems:
                    if problem.severity == "error":
                        err(problem.as_text())
                err(f"错误：{exc}")
            except GongkaiError as exc:
                err(f"错误：{exc}")
            raise typer.Exit(ExitStatus.ERROR)

        (group or app).command(*args, **kwargs)(guarded)
        return func

    return register


def data_dir(option: Path | None, *, writing: bool = False):
    from gongkai_cli.datadir import find_data_dir

    found = find_data_dir(option)
    if found.bundled:
        if writing:
            raise GongkaiError(
                "当前没有可写的台账，只有随程序附带的计划（只读）；请先运行 gongkai init 目录 建立自己的台账，"
                "再在该目录中运行，或用 --data 指定其 data 目录。"
            )
        err(f"提示：未找到 data/ 目录，使用随程序附带的计划（只读）：{found.path}")
    return found


def open_book(option: Path | None):
    from gongkai_cli.query import open_book as open_data

    return open_data(data_dir(option))


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"gongkai {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="显示版本并退出。"
        ),
    ] = False,
) -> None:
    """政务公开重点工作任务台账：谁负责什么、完成了什么、哪些逾期。"""


# The commands live in their own modules; importing them registers them on `app`.
from gongkai_cli.commands import queries, plan, updates, reports, setup  # noqa: E402, F401, I001


def run() -> None:
    try:
        app()
    except BrokenPipeError:  # `gongkai list | head`
        sys.stderr.close()
        sys.exit(ExitStatus.OK)

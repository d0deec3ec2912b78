"""The `gongkai` app: the command groups gathered under one Typer app, --version, and run()."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from gongkai_cli import __version__
from gongkai_cli.cli import create, forms, plan, queries, reports, site, updates, versions, zh
from gongkai_cli.errors import ExitStatus

app = typer.Typer(
    name="gongkai",
    cls=zh.group_class(),
    help="政务公开重点工作任务台账：谁负责什么、完成了什么、哪些逾期。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


for group in (
    queries.app,
    plan.app,
    versions.app,
    updates.app,
    reports.app,
    forms.app,
    site.app,
    create.app,
):
    app.add_typer(group)


def run() -> None:
    try:
        app()
    except BrokenPipeError:  # `gongkai list | head`
        sys.stderr.close()
        sys.exit(ExitStatus.OK)

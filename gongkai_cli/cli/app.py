"""The `gongkai` app: one table of commands, loaded lazily under one Typer app, --version, run()."""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Iterator, Mapping
from typing import Annotated

import typer
import typer.main
from typer.core import TyperGroup

from gongkai_cli.cli import zh
from gongkai_cli.errors import ExitStatus
from gongkai_cli.version import __version__

# Every command: its name → the module whose `app` defines it (a command, or a group such
# as `report`). Adding a command is one row here. The rows' order is the order of --help.
COMMANDS = {
    "list": "gongkai_cli.cli.queries",
    "overdue": "gongkai_cli.cli.queries",
    "due": "gongkai_cli.cli.queries",
    "show": "gongkai_cli.cli.plan",
    "resolve": "gongkai_cli.cli.plan",
    "units": "gongkai_cli.cli.plan",
    "validate": "gongkai_cli.cli.plan",
    "import-plan": "gongkai_cli.cli.plan",
    "plan": "gongkai_cli.cli.versions",
    "update": "gongkai_cli.cli.updates",
    "log": "gongkai_cli.cli.updates",
    "undo": "gongkai_cli.cli.updates",
    "review": "gongkai_cli.cli.supervise",
    "extend": "gongkai_cli.cli.supervise",
    "stats": "gongkai_cli.cli.reports",
    "report": "gongkai_cli.cli.reports",
    "collect": "gongkai_cli.cli.forms",
    "forms": "gongkai_cli.cli.forms",
    "site": "gongkai_cli.cli.site",
    "init": "gongkai_cli.cli.create",
    "rollup": "gongkai_cli.cli.members",
    "coverage": "gongkai_cli.cli.members",
    "members": "gongkai_cli.cli.members",
    "score": "gongkai_cli.cli.scores",
    "notice": "gongkai_cli.cli.notices",
    "verify": "gongkai_cli.cli.verify",
}


class LazyCommands(Mapping):
    """The group's commands by name: every name is known at once, but a command's module is
    imported and its click command built only when that command is looked up. Typer's
    --help, its "Did you mean" suggestions and shell completion all go through this
    mapping (keys for names, lookups for help), so they see exactly what an eager app has."""

    def __init__(self, table: Mapping[str, str], group: TyperGroup):
        self._table, self._group, self._built = table, group, {}

    def __getitem__(self, name: str):
        if name not in self._built:
            module = importlib.import_module(self._table[name])  # KeyError: no such command
            self._built[name] = _build(module.app, name, self._group)
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


def _build(group_app: typer.Typer, name: str, parent: TyperGroup):
    """The click command `name` of one module's Typer app, built as Typer builds it when the
    app is added to the parent without a name, and nothing else of that module."""
    for info in group_app.registered_commands:
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            return typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=parent.rich_markup_mode,
            )
    for info in group_app.registered_groups:
        if info.name == name:
            return typer.main.get_group_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=parent.rich_markup_mode,
                suggest_commands=parent.suggest_commands,
            )
    raise LookupError(f"{name} is in COMMANDS but not defined in its module")


INTERRUPTED_LINE = "已中断。"


def _interrupted() -> typer.Exit:
    """Ctrl-C outside a command's own body (while options are parsed, or a command's module
    is imported): the same one line and 130 as `options.guarded` gives inside it, never
    Click's "Aborted!" and 1."""
    typer.echo(INTERRUPTED_LINE, err=True)
    return typer.Exit(ExitStatus.INTERRUPTED)


class LazyGroup(zh.group_class()):
    def __init__(self, **attrs):
        super().__init__(**attrs)
        self.commands = LazyCommands(COMMANDS, self)

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            raise _interrupted() from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _interrupted() from None


def new_app(cls: type[TyperGroup]) -> typer.Typer:
    """The top-level app with its options; `cls` is LazyGroup here (TyperGroup for a test)."""
    top = typer.Typer(
        name="gongkai",
        cls=cls,
        help="政务公开重点工作任务台账：谁负责什么、完成了什么、哪些逾期。",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    top.callback()(main)
    return top


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"gongkai {__version__}")
        raise typer.Exit()


def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="显示版本并退出。"
        ),
    ] = False,
) -> None:
    """政务公开重点工作任务台账：谁负责什么、完成了什么、哪些逾期。"""


app = new_app(LazyGroup)


def run() -> None:
    try:
        app()
    except BrokenPipeError:  # `gongkai list | head`
        sys.stderr.close()
        sys.exit(ExitStatus.OK)
    except KeyboardInterrupt:  # before a command runs (a command's own is in options.guarded)
        sys.stderr.write(f"{INTERRUPTED_LINE}\n")
        sys.exit(ExitStatus.INTERRUPTED)
    finally:
        # The process is about to exit: nothing it made will be used again. Freezing moves
        # every object into the permanent generation, so the collection that the interpreter
        # runs at exit does not walk them all (about 19 ms on a warm read). Nothing is lost:
        # the objects are freed with the process, and every file is written and closed
        # inside the command, never by a finaliser of garbage in a reference cycle.
        gc.freeze()

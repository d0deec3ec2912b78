"""plan diff: two versions of a plan, compared task by task and unit by unit."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli.options import DataOpt, command_group, data_dir
from gongkai_cli.errors import GongkaiError

app = typer.Typer()
plan_group, command = command_group(
    name="plan", help="计划的版本：对比两份计划（征求意见稿与正式稿、今年与去年）。"
)
app.add_typer(plan_group, name="plan")


class DiffFormat(enum.StrEnum):
    md = "md"
    json = "json"


@command("diff")
def diff(
    old: Annotated[
        Path | None,
        typer.Argument(
            help="旧计划：tasks.yaml 或 Word、Excel、网页、CSV 文件。",
            dir_okay=False,
            metavar="旧计划",
        ),
    ] = None,
    new: Annotated[
        Path | None,
        typer.Argument(help="新计划，同上。", dir_okay=False, show_default=False, metavar="新计划"),
    ] = None,
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev",
            help="按 git 版本对比台账的 data/tasks.yaml：A..B；只给 A 时与当前文件对比。",
            show_default=False,
            metavar="版本",
        ),
    ] = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="md 或 json。", metavar="格式")
    ] = DiffFormat.md,
    data: DataOpt = None,
) -> None:
    """对比两份计划：新增、删除、改了编号或内容的任务，以及每个单位新增和减少的责任。"""
    from gongkai_cli.actions.compare_plans import compare_plans, compare_revisions
    from gongkai_cli.ledger.datadir import find_data_dir

    if rev is not None:
        if old is not None or new is not None:
            raise GongkaiError("--rev 与两个计划文件只能选一种：按 git 版本对比，或对比两个文件。")
        result = compare_revisions(data_dir(data), rev)
    elif old is None or new is None:
        raise GongkaiError("请给出两个计划文件（旧 新），或用 --rev A..B 对比台账的版本。")
    else:
        # Units are named as the ledger's registry names them, where there is one to ask.
        result = compare_plans(old, new, find_data_dir(data))
    if fmt is DiffFormat.json:
        import json

        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from gongkai_cli.output.plandiff import diff_markdown

        sys.stdout.write(diff_markdown(result))

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
    from gongkai_cli.ledger.datadir import TASKS, find_data_dir
    from gongkai_cli.ledger.load import load
    from gongkai_cli.ledger.plans import plan_at, plan_from_yaml, read_plan
    from gongkai_cli.ledger.yamlio import read_text
    from gongkai_cli.model.plandiff import diff_plans

    found = None
    if rev is not None:
        if old is not None or new is not None:
            raise GongkaiError("--rev 与两个计划文件只能选一种：按 git 版本对比，或对比两个文件。")
        found = data_dir(data)
        tasks = found.file(TASKS)
        first, _, second = rev.partition("..")
        if not first:
            raise GongkaiError(f"--rev “{rev}” 应为 A..B 或 A，如 HEAD~1..HEAD。")
        old_plan = plan_at(first, tasks)
        new_plan = plan_at(second, tasks) if second else plan_from_yaml(read_text(tasks), TASKS)
    elif old is None or new is None:
        raise GongkaiError("请给出两个计划文件（旧 新），或用 --rev A..B 对比台账的版本。")
    else:
        old_plan, new_plan = read_plan(old)[0], read_plan(new)[0]
    # Units are named as the ledger's registry names them, where there is one to ask.
    loaded = load(found or find_data_dir(data))
    index = loaded.ledger.index if loaded.ledger else None
    result = diff_plans(old_plan, new_plan, index)
    if fmt is DiffFormat.json:
        import json

        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from gongkai_cli.output.plandiff import diff_markdown

        sys.stdout.write(diff_markdown(result))

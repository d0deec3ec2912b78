"""init: a new, git-versioned ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli.options import commands_of

app = typer.Typer()
command = commands_of(app)


@command("init")
def init_(
    target: Annotated[Path, typer.Argument(help="新台账的目录（不存在或为空）。", file_okay=False)],
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="计划：tasks.yaml，或公开发布的表格导出文本；默认为随附的2021年计划。",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """建立新台账：含计划、单位名录、空的进展记录、CI 检查和 pre-commit 配置的 git 仓库。"""
    from gongkai_cli.record.create import init

    data_dir, commit = init(target, plan)
    typer.echo(f"已在 {target} 建立台账（{data_dir.path}），首次提交：{(commit or '')[:7]}")
    typer.echo(f"下一步：cd {target} && gongkai list --unit 县财政局")

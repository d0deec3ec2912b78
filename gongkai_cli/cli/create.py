"""init: a new, git-versioned ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli.options import commands_of, err

app = typer.Typer()
command = commands_of(app)


@command("init")
def init_(
    target: Annotated[
        Path, typer.Argument(help="新台账的目录（不存在或为空）。", file_okay=False, metavar="目录")
    ],
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="计划：tasks.yaml，或公开发布的表格导出文本；默认为随附的2021年计划。",
            dir_okay=False,
            metavar="文件",
        ),
    ] = None,
) -> None:
    """建立新台账：含计划、单位名录、空的进展记录、CI 检查和 pre-commit 配置的 git 仓库。"""
    from gongkai_cli.record.create import enclosing_repo, init

    outer = enclosing_repo(target)
    if outer is not None:
        err(
            f"注意：{target} 位于另一个 git 仓库（{outer}）之中；台账将是其中独立的仓库，"
            "外层仓库的提交不会包含它。"
        )
    data_dir, commit = init(target, plan)
    typer.echo(f"已在 {target} 建立台账（{data_dir.path}），首次提交：{(commit or '')[:7]}")
    typer.echo(f"下一步：cd {target} && gongkai list --unit 县财政局")
    typer.echo("多人协作：git pull 取回他人的进展（已设为合并方式），git push 推送自己的。")

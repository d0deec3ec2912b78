"""init: a new, git-versioned ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli.options import PlanTitleOpt, PlanYearOpt, command_group, err

app, command = command_group()


@command("init")
def init_(
    target: Annotated[
        Path, typer.Argument(help="新台账的目录（不存在或为空）。", file_okay=False, metavar="目录")
    ],
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="计划：tasks.yaml，或 Word、Excel、PDF、网页、CSV、文本（表格或分工方案段落）；默认为随附的2021年计划。",
            dir_okay=False,
            metavar="文件",
        ),
    ] = None,
    units: Annotated[
        Path | None,
        typer.Option(
            "--units",
            help="单位名录 units.yaml；默认：计划只涉及随附县的单位时用随附名录，否则从计划起草。",
            dir_okay=False,
            metavar="文件",
        ),
    ] = None,
    title: PlanTitleOpt = None,
    year: PlanYearOpt = None,
) -> None:
    """建立新台账：含计划、单位名录、空的进展记录、CI 检查和 pre-commit 配置的 git 仓库。"""
    from gongkai_cli.actions.start_ledger import enclosing_repo, start_ledger

    outer = enclosing_repo(target)
    if outer is not None:
        err(
            f"注意：{target} 位于另一个 git 仓库（{outer}）之中；台账将是其中独立的仓库，"
            "外层仓库的提交不会包含它。"
        )
    started = start_ledger(
        target, plan, units, title=title, year=year, note=lambda guess: err(f"提醒：{guess}")
    )
    typer.echo(
        f"已在 {target} 建立台账（{started.data.path}），首次提交：{(started.commit or '')[:7]}"
    )
    drafted = started.drafted
    if drafted is not None:
        _say_drafted(drafted, started.data)
    example = (drafted.units[0] if drafted and drafted.units else None) or "县财政局"
    typer.echo(f"下一步：cd {target} && gongkai list --unit {example}")


def _say_drafted(drafted, data_dir) -> None:
    """Say what was drafted into units.yaml and must be confirmed."""
    level = f"（计划层级：{drafted.level}）" if drafted.level else ""
    typer.echo(
        f"单位名录是从计划起草的{level}：{len(drafted.units)} 个单位"
        + (f"、{len(drafted.incomplete)} 个集合" if drafted.incomplete else "")
        + "须确认。"
    )
    if drafted.incomplete:
        typer.echo(f"须补全成员的集合：{'、'.join(drafted.incomplete)}。")
    for unit, aliases in drafted.aliases.items():
        typer.echo(f"疑为同一单位，已登记为别名：{'、'.join(aliases)} → {unit}。")
    typer.echo(f"请核对 {data_dir.path / 'units.yaml'}，再运行 gongkai validate。")

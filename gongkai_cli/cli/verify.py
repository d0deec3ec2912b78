"""verify: check a circulating Word or Excel report against the ledger's record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli.options import DataOpt, command_group, data_dir, say
from gongkai_cli.errors import ExitStatus

app, command = command_group()


@command("verify")
def verify(
    file: Annotated[Path, typer.Argument(help="要核对的报表（.docx 或 .xlsx）。", metavar="文件")],
    data: DataOpt = None,
) -> None:
    """核对报表：按文件中记下的台账提交、截至日期和报表重新生成，说明是否一致，或哪些段落、单元格不同。"""
    from gongkai_cli.actions.verify import verify_report as check

    done = check(file, data_dir(data))
    origin = f"台账提交 {done.provenance.commit[:12]}（截至 {done.provenance.as_of.isoformat()}）"
    if done.matches:
        say(f"一致：{file.name} 与按{origin}重新生成的报表相同。")
        return
    say(f"不一致：{file.name} 与按{origin}重新生成的报表有 {done.total} 处不同：")
    for line in done.differences:
        say(f"  {line}")
    if done.total > len(done.differences):
        say(f"  ……另有 {done.total - len(done.differences)} 处。")
    raise typer.Exit(ExitStatus.ERROR)

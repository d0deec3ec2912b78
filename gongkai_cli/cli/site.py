"""site: the ledger as a static, offline website, written once or served while the data changes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gongkai_cli.cli.options import AsOfOpt, DataOpt, command_group, data_dir, err, plan_year

app, command = command_group()


@command("site")
def site(
    as_of: AsOfOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="网站目录；默认为台账目录下的 site/。",
            show_default=False,
            metavar="目录",
        ),
    ] = None,
    serve: Annotated[
        bool,
        typer.Option("--serve", help="在本机 127.0.0.1 上提供网站，数据文件变化时自动重新生成。"),
    ] = False,
    port: Annotated[
        int | None,
        typer.Option(
            "--port", min=0, max=65535, help="与 --serve 合用的端口，默认 8000。", metavar="端口"
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """生成台账网站：总览（红黄绿灯、完成情况图表）、每项任务一页、每个单位一页、逾期通报；可离线打开。"""
    from gongkai_cli.actions.build_site import build_site, site_folder
    from gongkai_cli.errors import SiteFolderRefused
    from gongkai_cli.model.dates import parse_as_of

    if port is not None and not serve:
        raise typer.BadParameter("--port 须与 --serve 一起使用。", param_hint="--port")
    found = data_dir(data)
    year = plan_year(found)
    parse_as_of(as_of, "--as-of", year=year)  # a wrong date stops here, before anything is written
    folder = site_folder(found, out)

    def build():
        # Without --as-of, each build is as of its own day: a server left running follows the calendar.
        return build_site(found, folder, parse_as_of(as_of, "--as-of", year=year))

    try:
        site = build()
    except SiteFolderRefused as exc:
        raise SiteFolderRefused(f"{exc}请用 --out 指定新目录或空目录。") from None
    typer.echo(
        f"已生成网站：{folder}（总览、逾期通报、{site.task_pages} 个任务页、{site.unit_pages} 个单位页）；"
        f"用浏览器打开 {folder / 'index.html'} 即可查看。"
    )
    if serve:
        from gongkai_cli.cli.serve import PortUnavailable
        from gongkai_cli.cli.serve import serve as serve_site

        try:
            serve_site(folder, 8000 if port is None else port, found, build, typer.echo, err)
        except PortUnavailable as exc:
            raise PortUnavailable(f"{exc}请用 --port 换一个端口。") from None

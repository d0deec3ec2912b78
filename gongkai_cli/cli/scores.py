"""score: 考评 under the office's rules (data/scoring.yaml)."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from gongkai_cli.cli.options import AsOfOpt, DataOpt, choice, command_group, data_dir, plan_year
from gongkai_cli.cli.reports import EncodingOpt, IssuerOpt, OutOpt, ReportFormatOpt, publish

app, command = command_group()


class ScoreBy(enum.StrEnum):
    unit = "unit"
    kind = "kind"


@command("score")
def score_(
    as_of: AsOfOpt = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="考评期间的第一天，如 2021-07-01（按季度考评）；默认计全年。",
            metavar="日期",
        ),
    ] = None,
    by: Annotated[
        ScoreBy,
        typer.Option(
            "--by",
            help="按单位（unit）列出，或另按单位类别（kind）汇总。",
            metavar="单位|类别",
            parser=choice(
                {
                    "单位": ScoreBy.unit,
                    "类别": ScoreBy.kind,
                    "unit": ScoreBy.unit,
                    "kind": ScoreBy.kind,
                },
                "可用的方式",
            ),
        ),
    ] = ScoreBy.unit,
    fmt: ReportFormatOpt = None,
    out: OutOpt = None,
    issuer: IssuerOpt = None,
    encoding: EncodingOpt = None,
    data: DataOpt = None,
) -> None:
    """考评得分：按 scoring.yaml 的细则为各单位计分，每一项扣分注明细则、任务、期次和进展记录。"""
    from gongkai_cli.actions.score import score
    from gongkai_cli.errors import InvalidValue
    from gongkai_cli.model.dates import parse_as_of, parse_date
    from gongkai_cli.output.scores import scores_report

    found = data_dir(data)
    year = plan_year(found)
    day = parse_as_of(as_of, year=year)
    start = parse_date(since, "--from", year=year) if since else None
    if start and start > day:
        raise InvalidValue(f"--from {start.isoformat()} 晚于考评日 {day.isoformat()}。", since)
    scores = score(found, day, start)
    stem = "考评结果" if by is ScoreBy.unit else "考评结果-按类别"
    publish(
        scores_report(scores, by.value), fmt, out, found, stem, encoding=encoding, issuer=issuer
    )

"""考评结果 as a report: the scores (with a chart), and every deduction with what it rests on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gongkai_cli.model.dates import chinese_date
from gongkai_cli.model.scoring import KINDS, tidy_points
from gongkai_cli.output.reports import (
    Chart,
    Document,
    Heading,
    Paragraph,
    Table,
    report_title,
)
from gongkai_cli.output.view import Column

if TYPE_CHECKING:
    from gongkai_cli.actions.score import Scores, UnitScore
    from gongkai_cli.model.scoring import Rule

NUMBER = Column("分值", no_wrap=True, kind="number")
DETAIL_COLUMNS = [
    Column("单位"),
    Column("细则", no_wrap=True),
    NUMBER,
    Column("任务", no_wrap=True, kind="number"),
    Column("期次", no_wrap=True),
    Column("事由", long=True),
    Column("记录编号", no_wrap=True),
]


def rule_text(rule: Rule) -> str:
    """A rule as the report states it: 逾期天数：每周扣0.5分，最多扣10分."""
    verb = "扣" if rule.points < 0 else "加"
    unit = {"days-late": "每天" if rule.per == "day" else "每周（不足一周按一周）"}.get(
        rule.kind, "每项"
    )
    text = f"{rule.name}：{KINDS[rule.kind]}，{unit}{verb}{abs(rule.points):g}分"
    return text + (f"，最多{verb}{rule.cap:g}分" if rule.cap is not None else "")


def _period_text(scores: Scores) -> str:
    start = f"{chinese_date(scores.since)}至" if scores.since else "截至"
    return f"考评期间：{start}{chinese_date(scores.as_of)}"


def scores_report(scores: Scores, by: str = "unit") -> Document:
    rules = scores.rules
    # Titled with the plan's place and year, as every report is: 濉溪县2021年政务公开重点
    # 工作任务考评结果通报.
    subject = report_title(scores.plan) if scores.plan else "政务公开重点工作"
    doc = Document(f"{subject}考评结果通报", scores.as_of, title_break=len(subject))
    doc.blocks.append(
        Paragraph(
            f"{_period_text(scores)}；基础分 {rules.base:g} 分，最低 {rules.floor:g} 分。"
            "考评细则：" + "；".join(rule_text(r) for r in rules.rules) + "。"
        )
    )
    if by == "kind":
        doc.blocks.append(_kinds_table(scores))
    doc.blocks.append(_totals_table(scores))
    details = _details_table(scores)
    doc.blocks += [Heading("扣分（加分）明细"), details]
    doc.flat = details
    doc.payload = scores_json(scores, by)
    return doc


def _ranked(units: tuple[UnitScore, ...]) -> list[int]:
    """Competition ranking (1, 2, 2, 4): units with the same score share a place."""
    places, previous = [], None
    for i, unit in enumerate(units, start=1):
        places.append(places[-1] if unit.score == previous else i)
        previous = unit.score
    return places


def _totals_table(scores: Scores) -> Table:
    columns = [
        Column("名次", no_wrap=True, kind="number"),
        Column("单位"),
        Column("得分", no_wrap=True, kind="number"),
        Column("扣分", no_wrap=True, kind="number"),
        Column("加分", no_wrap=True, kind="number"),
        Column("扣分项数", no_wrap=True, kind="number"),
    ]
    rows = [
        [
            place,
            u.unit,
            u.score,
            tidy_points(u.lost),
            tidy_points(u.gained),
            sum(d.points < 0 for d in u.deductions),
        ]
        for place, u in zip(_ranked(scores.units), scores.units, strict=True)
    ]
    return Table(columns, rows, name="得分", chart=Chart("各单位得分", label=1, value=2))


def _kinds_table(scores: Scores) -> Table:
    kinds: dict[str, list[UnitScore]] = {}
    for unit in scores.units:
        kinds.setdefault(unit.kind, []).append(unit)
    columns = [
        Column("类别"),
        Column("单位数", no_wrap=True, kind="number"),
        Column("平均分", no_wrap=True, kind="number"),
        Column("最低分", no_wrap=True, kind="number"),
        Column("最低分单位", long=True),
    ]
    rows = []
    for kind, units in kinds.items():
        lowest = min(u.score for u in units)
        rows.append(
            [
                kind,
                len(units),
                tidy_points(sum(u.score for u in units) / len(units)),
                lowest,
                "、".join(u.unit for u in units if u.score == lowest),
            ]
        )
    return Table(columns, rows, name="按类别")


def _details_table(scores: Scores) -> Table:
    rows = [
        [u.unit, d.rule, d.points, d.task or "", d.period or "", d.reason, d.event or ""]
        for u in scores.units
        for d in u.deductions
    ]
    return Table(DETAIL_COLUMNS, rows, name="明细", landscape=True)  # 事由 needs the width


def scores_json(scores: Scores, by: str = "unit") -> dict[str, Any]:
    payload: dict[str, Any] = {
        "as_of": scores.as_of.isoformat(),
        "from": scores.since.isoformat() if scores.since else None,
        "rules": {
            "base": scores.rules.base,
            "floor": scores.rules.floor,
            "rules": [
                {
                    "name": r.name,
                    "kind": r.kind,
                    "points": r.points,
                    "per": r.per,
                    "cap": r.cap,
                }
                for r in scores.rules.rules
            ],
        },
        "units": [
            {
                "unit": u.unit,
                "kind": u.kind,
                "score": u.score,
                "deductions": [
                    {
                        "rule": d.rule,
                        "points": d.points,
                        "task": d.task,
                        "period": d.period,
                        "event": d.event,
                        "reason": d.reason,
                    }
                    for d in u.deductions
                ],
            }
            for u in scores.units
        ],
    }
    if by == "kind":
        payload["kinds"] = [
            dict(zip(("kind", "units", "average", "lowest"), row[:4], strict=True))
            for row in _kinds_table(scores).rows
        ]
    return payload

"""The rules of 考评 (data/scoring.yaml): a base score, deductions and bonuses by kind of fact.

The file is the office's own, written once a year and read by `gongkai score`; like the
other data files it is validated strictly (an unknown key or kind is an error, located as
FILE:LINE:COL). Without one, the default rules below apply; `init` writes them, commented.
"""

from __future__ import annotations

from typing import NamedTuple

SCORING = "scoring.yaml"

# Each kind of fact a rule may score, and what it counts (the words of the report).
KINDS = {
    "overdue": "逾期未完成的任务（每个单位每项任务计一次）",
    "days-late": "逾期的天数（逾期未完成的算到考评日，逾期完成的算到完成日）",
    "late-done": "逾期完成的任务或期次",
    "missed-period": "定期任务到期未报的期次",
    "returned": "被审核退回的完成报告（每次退回计一次）",
    "on-time": "按期完成的任务或期次",
    "no-evidence": "报“已完成”而未附佐证材料的任务",
    "missing-form": "填报轮次中未交回的填报表（每轮计一次）",
}


class Rule(NamedTuple):
    name: str  # as the office words it: 逾期未完成扣2分
    kind: str  # one of KINDS
    points: float  # negative for a deduction, positive for a bonus
    per: str = "day"  # days-late: counted by day or by (begun) week
    cap: float | None = None  # at most this many points per unit under this rule


class Rules(NamedTuple):
    base: float = 100
    floor: float = 0  # no score goes below it
    rules: tuple[Rule, ...] = ()


DEFAULT_TEXT = """\
# 考评细则：gongkai score 按这里的规则为各单位计分（不写此文件时也按下列默认规则）。
# 每条规则写 name（名称，出现在考评结果中）、kind（计分的事项）和 deduct（每次扣分）或 add（每次加分）；
# cap 为该规则对一个单位最多扣（加）的分数。kind 可为：
#   overdue        逾期未完成的任务（每个单位每项任务计一次）
#   days-late      逾期的天数（per: day 按天，per: week 按周，不足一周按一周）
#   late-done      逾期完成的任务或期次
#   missed-period  定期任务（每月10日前报送等）到期未报的期次
#   returned       被审核退回的完成报告（台账开启审核时）
#   on-time        按期完成的任务或期次（加分）
#   no-evidence    报“已完成”而未附佐证材料的任务
#   missing-form   填报轮次中未交回的填报表（每轮计一次）
base: 100      # 基础分
floor: 0       # 最低分
rules:
- name: 逾期未完成
  kind: overdue
  deduct: 2
- name: 逾期天数
  kind: days-late
  deduct: 0.5
  per: week
  cap: 10
- name: 逾期完成
  kind: late-done
  deduct: 1
- name: 定期报送未报
  kind: missed-period
  deduct: 2
- name: 审核退回
  kind: returned
  deduct: 1
"""

DEFAULT_RULES = Rules(
    100,
    0,
    (
        Rule("逾期未完成", "overdue", -2),
        Rule("逾期天数", "days-late", -0.5, "week", 10),
        Rule("逾期完成", "late-done", -1),
        Rule("定期报送未报", "missed-period", -2),
        Rule("审核退回", "returned", -1),
    ),
)


def tidy_points(points: float) -> float:
    """Points as people write them: 98, 97.5 (never 97.50000000001, never -0)."""
    value = round(points, 2) + 0.0
    return int(value) if value == int(value) else value


def rules_from(data) -> Rules:
    """Plain rules from a validated file (see `ledger.scoring_file`)."""
    return Rules(
        data.base,
        data.floor,
        tuple(
            Rule(r.name, r.kind, -r.deduct if r.deduct is not None else r.add, r.per, r.cap)
            for r in data.rules
        ),
    )

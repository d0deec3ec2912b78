"""A test set for coverage: lower plans made from the 2021 Suixi plan as counties make theirs,
each with the truth of which 2021 task every one of its tasks breaks down.

- 删减: six tasks dropped, the rest numbered anew;
- 改写: every requirement reworded (全县→全区, 主动公开→及时公开, …), fourteen restated by
  hand in a county's own words, four tasks dropped, two tasks of its own added;
- 拆分: the long tasks split at a sentence into two tasks each;
- 节选: every task cut down to its first clause;
- 合并: six pairs of neighbouring tasks merged into one task each;
- 他县: another office's plan, of which nothing breaks the 2021 plan down.
"""

from __future__ import annotations

import re

import yaml

from gongkai_cli.model.coverage import Text, cover
from tests.conftest import MINI_TASKS, REAL_DATA
from tests.served import DROPPED, reword


def suixi() -> list[dict]:
    return yaml.safe_load((REAL_DATA / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]


# Tasks restated by hand, as a district would write them.
RESTATED = {
    1: "主动公开全区“十四五”规划纲要、国土空间规划及各专项规划，归集整理历史规划并集中公开。",
    3: "在门户网站公开全国统一的市场准入负面清单。",
    6: "推动区直部门及所属单位预算、决算和相关报表全面公开。",
    7: "定期通过集中统一平台公开政府债务限额、余额、发行、期限、利率和偿还计划等信息。",
    8: "加大惠民惠农资金发放信息公开力度，补贴信息公开延伸到村和社区。",
    10: "围绕爱国卫生运动和健康中国行动做好信息公开，广泛开展健康科普宣传。",
    13: "政策解读注重实质内容，讲清政策背景、出台目的和重要举措，不搞简单摘抄文件式解读。",
    20: "对照国家行政法规库的正式版本，及时更新门户网站上的行政法规文本。",
    22: "建设全区政策文件库，对规章和规范性文件统一归集、全周期管理。",
    23: "完善政务新媒体监管，清理整合重复建设、“空壳”“娱乐化”的账号。",
    32: "完成区级基层政务公开示范点创建。",
    36: "提高政府信息公开工作年度报告编制质量，按国办模板编制，突出本单位特色，不得抄袭。",
    38: "定期举办政府信息公开业务培训和研讨，提升干部业务能力。",
    40: "对2020年度重点任务落实情况开展“回头看”，逐项核查，督促未完成事项整改。",
}
# Tasks of the district's own, which break down nothing of the 2021 plan.
OWN = [
    (
        "一、进一步强化重点领域信息公开",
        "做好城市更新改造项目征收补偿信息公开，及时公布补偿标准和安置方案。",
    ),
    (
        "五、强化政务公开工作保障",
        "开展“政务公开日”活动，邀请群众代表走进区政府各部门，现场体验政务服务。",
    ),
]
DROPPED_IN_REWORDED = (5, 19, 29, 42)


def _text(number: int, task: dict, requirement: str | None = None) -> Text:
    return Text(
        number,
        requirement if requirement is not None else task["requirement"],
        reword(task["section"]),
        reword(task["subsection"] or "") or None,
    )


MERGED = ((6, 7), (13, 14), (20, 21), (23, 24), (37, 38), (40, 41))


def variants() -> dict[str, tuple[list[Text], dict[int, tuple[int, ...]]]]:
    """Name → (the lower plan's tasks, lower number → the 2021 tasks it breaks down)."""
    made = {
        name: (lower, {n: _tuple(h) for n, h in truth.items()})
        for name, (lower, truth) in _variants().items()
    }
    tasks = suixi()
    lower, truth = [], {}
    firsts = {a: b for a, b in MERGED}
    seconds = set(firsts.values())
    for t in tasks:
        if t["number"] in seconds:
            continue
        n = len(lower) + 1
        text = t["requirement"]
        if t["number"] in firsts:
            text += tasks[firsts[t["number"]] - 1]["requirement"]
            truth[n] = (t["number"], firsts[t["number"]])
        else:
            truth[n] = (t["number"],)
        lower.append(_text(n, t, reword(text)))
    made["合并"] = (lower, truth)
    made["他县"] = made.pop("他县")
    return made


def _tuple(higher: int | None) -> tuple[int, ...]:
    return () if higher is None else (higher,)


def _variants() -> dict[str, tuple[list[Text], dict[int, int | None]]]:
    tasks = suixi()
    made: dict[str, tuple[list[Text], dict[int, int | None]]] = {}

    kept = [t for t in tasks if t["number"] not in DROPPED]
    made["删减"] = (
        [_text(i, t) for i, t in enumerate(kept, 1)],
        {i: t["number"] for i, t in enumerate(kept, 1)},
    )

    lower, truth = [], {}
    for t in tasks:
        if t["number"] in DROPPED_IN_REWORDED:
            continue
        n = len(lower) + 1
        lower.append(_text(n, t, RESTATED.get(t["number"], reword(t["requirement"]))))
        truth[n] = t["number"]
    for section, requirement in OWN:
        n = len(lower) + 1
        lower.append(Text(n, requirement, section))
        truth[n] = None
    made["改写"] = (lower, truth)

    lower, truth = [], {}
    for t in tasks:
        sentences = [s for s in re.split(r"(?<=。)", t["requirement"]) if s]
        parts = [sentences[: len(sentences) // 2], sentences[len(sentences) // 2 :]]
        for part in parts if len(sentences) > 1 else [sentences]:
            n = len(lower) + 1
            lower.append(_text(n, t, reword("".join(part))))
            truth[n] = t["number"]
    made["拆分"] = (lower, truth)

    lower, truth = [], {}
    for t in tasks:
        n = len(lower) + 1
        first = re.split(r"[，。；]", t["requirement"])[0] + "。"
        lower.append(_text(n, t, reword(first)))
        truth[n] = t["number"]
    made["节选"] = (lower, truth)

    other = yaml.safe_load(MINI_TASKS)["tasks"]
    made["他县"] = (
        [Text(t["number"], t["requirement"], t["section"], t["subsection"]) for t in other],
        {t["number"]: None for t in other},
    )
    return made


def higher_plan() -> list[Text]:
    return [Text(t["number"], t["requirement"], t["section"], t["subsection"]) for t in suixi()]


def evaluate(threshold: float | None = None) -> dict[str, dict[str, float | int]]:
    """Per variant and overall: links found, right, expected; precision and recall; and
    whether every 2021 task that no lower task breaks down was reported 未分解."""
    higher = higher_plan()
    rows: dict[str, dict[str, float | int]] = {}
    totals = {"found": 0, "right": 0, "expected": 0}
    for name, (lower, truth) in variants().items():
        kwargs = {} if threshold is None else {"threshold": threshold}
        links = cover(higher, lower, **kwargs)
        found = {(h, link.lower) for h, ls in links.items() for link in ls}
        expected = {(h, n) for n, hs in truth.items() for h in hs}
        uncovered_truth = {t.number for t in higher} - {h for h, _ in expected}
        uncovered_found = {h for h, ls in links.items() if not ls}
        row = {
            "found": len(found),
            "right": len(found & expected),
            "expected": len(expected),
            "uncovered": len(uncovered_truth),
            "uncovered_missed": len(uncovered_truth - uncovered_found),
            "uncovered_wrongly": len(uncovered_found - uncovered_truth),
        }
        for key in totals:
            totals[key] += row[key]
        rows[name] = row
    rows["合计"] = dict(totals)
    for row in rows.values():
        row["precision"] = round(row["right"] / row["found"], 3) if row["found"] else 1.0
        row["recall"] = round(row["right"] / row["expected"], 3) if row["expected"] else 1.0
    return rows

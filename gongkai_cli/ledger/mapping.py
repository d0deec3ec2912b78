"""Manual coverage mappings: which lower tasks break down a higher task, as a clerk confirmed.

In a ledger, data/coverage.yaml holds one mapping per member:

    濉溪县:
      3: [5, 6]     # 本级任务 3 由濉溪县的任务 5、6 分解
      7: []         # 本级任务 7 濉溪县确认未分解

Between two plans (`coverage HIGHER LOWER --mapping FILE`) the file is one such mapping
without the member level. A task named here is taken as written; the others are matched.
"""

from __future__ import annotations

from pathlib import Path

from gongkai_cli.errors import GongkaiError, Problem
from gongkai_cli.ledger.sidefile import FileInvalid, read_yaml

COVERAGE = "coverage.yaml"
Mapping = dict[int, list[int]]  # higher task → lower tasks


def one_mapping(
    data, shown: str, higher: set[int], lower: set[int], problems: list[Problem]
) -> Mapping:
    """One mapping (higher → [lower]) read from `data`, its mistakes added to `problems`."""

    def problem(pos, message: str) -> None:
        problems.append(Problem(shown, pos[0], pos[1], message, "coverage-map"))

    if not isinstance(data, dict):
        problem(getattr(data, "pos", (1, 1)), "应为映射：本级任务编号: [分解任务编号, …]。")
        return {}
    mapping: Mapping = {}
    for key, value in data.items():
        if not isinstance(key, int) or isinstance(key, bool) or key not in higher:
            problem(data.key_pos[key], f"本级计划中没有任务 {key}。")
            continue
        if not isinstance(value, list):
            problem(data.value_pos[key], f"任务 {key} 的分解任务应为列表，如 [5, 6]；未分解写 []。")
            continue
        unknown = [n for n in value if not isinstance(n, int) or n not in lower]
        if unknown:
            listed = "、".join(str(n) for n in unknown)
            problem(data.value_pos[key], f"下级计划中没有任务 {listed}。")
            continue
        mapping[key] = list(value)
    return mapping


def read_mapping(path: Path, higher: set[int], lower: set[int]) -> Mapping:
    """A mapping file between two plans."""
    shown = str(path)
    data = read_yaml(path, shown)
    if data is None:
        raise GongkaiError(f"找不到对应关系文件 {shown}。")
    problems: list[Problem] = []
    mapping = one_mapping(data, shown, higher, lower, problems)
    if problems:
        raise FileInvalid(problems, shown)
    return mapping

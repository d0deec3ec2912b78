"""Ledgers for the site tests: hostile text everywhere a user can type, and a year of updates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINI_TASKS, MINI_UNITS, REPO, write_ledger

HOSTILE_UNIT = "<svg/onload=alert(1)>局"
HOSTILE_TITLE = "测试县</title><script>alert(1)</script>"
HOSTILE_REQUIREMENT = "公开预算决算</style><script>alert(2)</script>。"
HOSTILE_NOTES = {
    "县财政局": "<img src=x onerror=alert(3)>",
    "甲镇": "见 javascript:alert(4) 与 https://evil.example/x.png",
    "乙镇": "正常\u202e文本反转\u202c结束",
    HOSTILE_UNIT: "</style><style>body{display:none}</style>",
}


def hostile_ledger(root: Path) -> Path:
    units = MINI_UNITS.replace(
        "- name: 县档案馆\n", f"- name: {HOSTILE_UNIT}\n  kind: 政府工作部门\n- name: 县档案馆\n"
    )
    tasks = MINI_TASKS.replace(
        "title: 测试县2021年政务公开重点工作任务分工", f"title: {json.dumps(HOSTILE_TITLE)}"
    ).replace("requirement: 公开预算决算。", f"requirement: {json.dumps(HOSTILE_REQUIREMENT)}")
    progress = "".join(
        f"- {{date: 2021-03-0{i}, task: 1, unit: {json.dumps(unit, ensure_ascii=False)}, "
        f"status: 进行中, note: {json.dumps(note, ensure_ascii=False)}}}\n"
        for i, (unit, note) in enumerate(HOSTILE_NOTES.items(), start=1)
    )
    progress += "- {date: 2021-03-09, task: 2, unit: 县政府办公室, status: 已完成}\n"
    return write_ledger(root, tasks, units, progress)


def year_ledger(target: Path) -> Path:
    """The 2021 plan with a full year of synthetic updates (benchmarks/generate.py)."""
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "year", str(target)],
        check=True,
        capture_output=True,
    )
    return target

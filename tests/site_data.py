"""Ledgers for the site tests: hostile text everywhere a user can type, and a year of updates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINI_TASKS, MINI_UNITS, REPO, write_ledger

HOSTILE_UNIT = "<svg onload=alert(1)>局"  # a name with "/" is refused by validate
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


# Every kind of line a task page's timeline and the burn-up read: updates out of date order,
# several on one day, one after the as-of date, a unit by its alias, a unit reporting through
# the open group, 不涉及, a claim done then taken up again, clerks' names (填报人) and none,
# and a retracted update.
RICH_LOG = """\
- {id: r0000001, date: 2021-03-02, task: 1, unit: 县财政局, status: 进行中, note: 已起草, by: 张三}
- {id: r0000002, date: 2021-02-01, task: 1, unit: 甲镇, status: 进行中, by: 李四}
- {id: r0000003, date: 2021-03-02, task: 1, unit: 甲镇, status: 已完成, note: 已公开, by: 李四}
- {id: r0000004, date: 2021-03-02, task: 1, unit: 甲镇, status: 进行中, note: 重新整理, by: 李四}
- {id: r0000005, date: 2021-04-15, task: 1, unit: 乙镇, status: 不涉及}
- {id: r0000006, date: 2021-05-20, task: 2, unit: 县政府办, status: 已完成, note: "<b>已解读</b>", by: 王五}
- {id: r0000007, date: 2021-05-21, task: 3, unit: 县教育局, status: 进行中, by: 赵六}
- {id: r0000008, date: 2021-06-01, task: 3, unit: 县教育局, status: 已完成, by: 赵六}
- {id: r0000009, date: 2021-06-30, task: 1, unit: 县财政局, status: 已完成, by: 张三}
- {id: r0000010, date: 2021-09-01, task: 1, unit: 县教育局, status: 已完成, note: 晚于截至日期}
- {id: r0000011, date: 2021-06-02, task: 1, unit: 甲镇, status: 已完成, by: 李四}
- {id: r0000012, date: 2021-06-03, retracts: r0000011, by: 李四}
- {id: r0000013, date: 2021-01-10, task: 4, unit: 县教育局, status: 进展缓慢, note: 见说明\u202e反转, by: 赵六}
- {id: r0000014, date: 2021-06-20, task: 1, unit: 县档案馆, status: 已完成, by: 钱七}
"""


def rich_ledger(root: Path) -> Path:
    return write_ledger(root, progress=RICH_LOG)


def supervised_ledger(root: Path) -> Path:
    """A ledger that reviews claims, with an extension, details and a kept evidence file."""
    import hashlib

    from tests.test_supervision_reports import FILE, LOG, REVIEWED

    document = b"%PDF evidence"
    name = f"evidence/{hashlib.sha256(document).hexdigest()}.pdf"
    data = write_ledger(root, tasks=REVIEWED, progress=LOG.replace(FILE, name))
    (data / "evidence").mkdir()
    (data / name).write_bytes(document)
    return data

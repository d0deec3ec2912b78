"""plan diff, and import-plan into a ledger that already has progress."""

from __future__ import annotations

import json

import yaml

from tests import plan_documents as docs
from tests.conftest import MINI_TASKS, REAL_DATA, git, write_ledger

NEW_TASK = """\
- number: 4
  section: 二、强化监督
  subsection: （二）考核。
  requirement: 开展考核。
  responsibility: 县政府办，县教育局负责落实
  deadline: 年底前
"""


def edited_mini() -> str:
    """Task 2 due earlier, task 3 dropped (so 4 becomes 3), a new task 4."""
    text = MINI_TASKS.replace("deadline: 10月底前", "deadline: 9月底前")
    cut, rest = text.index("- number: 3"), text.index("- number: 4")
    return text[:cut] + text[rest:].replace("number: 4", "number: 3") + NEW_TASK


EXPECTED_MD = """\
# 计划对比

- 旧：测试县2021年政务公开重点工作任务分工（4 项任务）
- 新：测试县2021年政务公开重点工作任务分工（4 项任务）

## 新增任务（1 项）

- 任务 4：开展考核。（责任单位：县政府办，县教育局负责落实；时限：年底前）

## 删除任务（1 项）

- 原任务 3：开展培训。

## 编号变动（1 项）

- 原任务 4 → 任务 3

## 内容变动（1 项）

### 任务 2

- 时限要求：“10月底前” → “9月底前”

## 各单位责任变化

| 单位 | 新增 | 减少 |
| --- | --- | --- |
| 县政府办公室 | 任务 4（落实） | 任务 3（牵头） |
| 县教育局 | 任务 4（落实） | — |
| 县政府有关部门 | — | 任务 3（落实） |
"""


def test_plan_diff_lists_each_change_and_what_each_unit_gains_and_loses(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    (tmp_path / "new.yaml").write_text(edited_mini(), encoding="utf-8")
    result = gongkai("plan", "diff", data / "tasks.yaml", tmp_path / "new.yaml", "--data", data)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == EXPECTED_MD


def test_plan_diff_as_json(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    (tmp_path / "new.yaml").write_text(edited_mini(), encoding="utf-8")
    result = gongkai(
        "plan", "diff", data / "tasks.yaml", tmp_path / "new.yaml", "--data", data, "-f", "json"
    )
    payload = json.loads(result.stdout)
    assert payload["renumbered"] == [{"old": 4, "new": 3}]
    assert [t["number"] for t in payload["removed"]] == [3]
    assert payload["added"] == [yaml.safe_load(NEW_TASK)[0]]
    assert payload["changed"] == [
        {
            "number": 2,
            "old_number": 2,
            "fields": {"deadline": {"old": "10月底前", "new": "9月底前"}},
        }
    ]
    assert payload["units"] == [
        {
            "unit": "县政府办公室",
            "gained": [{"task": 4, "role": "implementer"}],
            "lost": [{"task": 3, "role": "lead"}],
        },
        {"unit": "县教育局", "gained": [{"task": 4, "role": "implementer"}], "lost": []},
        {"unit": "县政府有关部门", "gained": [], "lost": [{"task": 3, "role": "implementer"}]},
    ]


def test_diff_of_the_bundled_plan_and_an_edited_copy(gongkai, tmp_path):
    plan = yaml.safe_load((REAL_DATA / "tasks.yaml").read_text(encoding="utf-8"))
    plan["tasks"][6]["deadline"] = "10月底前"
    plan["tasks"][1]["responsibility"] = "县政府办公室牵头，县财政局负责落实"
    (tmp_path / "edited.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), "utf-8")
    result = gongkai(
        "plan", "diff", REAL_DATA / "tasks.yaml", tmp_path / "edited.yaml", "-f", "json"
    )
    payload = json.loads(result.stdout)
    assert (payload["added"], payload["removed"], payload["renumbered"]) == ([], [], [])
    assert payload["changed"] == [
        {
            "number": 2,
            "old_number": 2,
            "fields": {
                "responsibility": {
                    "old": "县政府办公室负责落实",
                    "new": "县政府办公室牵头，县财政局负责落实",
                }
            },
        },
        {
            "number": 7,
            "old_number": 7,
            "fields": {"deadline": {"old": "年底前", "new": "10月底前"}},
        },
    ]
    assert payload["units"] == [
        {
            "unit": "县政府办公室",
            "gained": [{"task": 2, "role": "lead"}],
            "lost": [{"task": 2, "role": "implementer"}],
        },
        {"unit": "县财政局", "gained": [{"task": 2, "role": "implementer"}], "lost": []},
    ]


def test_identical_plans_in_two_formats_have_no_differences(gongkai, tmp_path):
    word = docs.write_docx(docs.suixi_plan(), tmp_path / "draft.docx")
    result = gongkai("plan", "diff", REAL_DATA / "tasks.yaml", word)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("两份计划的任务完全相同。\n")


def test_plan_diff_between_git_revisions(gongkai, ledger):
    tasks = ledger / "data" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text.replace("deadline: 持续推进", "deadline: 年底前", 1), "utf-8")
    git(ledger, "commit", "-qam", "正式稿")
    data = ledger / "data"
    result = gongkai("plan", "diff", "--rev", "HEAD~1..HEAD", "-f", "json", "--data", data)
    assert result.exit_code == 0, result.stderr
    changed = json.loads(result.stdout)["changed"]
    assert changed == [
        {"number": 9, "old_number": 9, "fields": {"deadline": {"old": "持续推进", "new": "年底前"}}}
    ]
    tasks.write_text(text, "utf-8")  # back as it was, not committed: HEAD against the file
    since_head = gongkai("plan", "diff", "--rev", "HEAD", "-f", "json", "--data", data)
    assert json.loads(since_head.stdout)["changed"][0]["fields"] == {
        "deadline": {"old": "年底前", "new": "持续推进"}
    }


def test_plan_diff_names_a_missing_revision(gongkai, ledger):
    result = gongkai("plan", "diff", "--rev", "nosuch..HEAD", "--data", ledger / "data")
    assert result.exit_code == 1
    assert result.stderr == "错误：git 版本 nosuch 中没有 data/tasks.yaml，或没有这个版本。\n"


def test_plan_diff_needs_two_plans_or_a_revision(gongkai, tmp_path):
    result = gongkai("plan", "diff", REAL_DATA / "tasks.yaml")
    assert result.exit_code == 1
    assert result.stderr == "错误：请给出两个计划文件（旧 新），或用 --rev A..B 对比台账的版本。\n"


# ----- import-plan into a ledger with progress -----

PROGRESS = "- {date: 2021-05-01, task: 4, unit: 县教育局, status: 进行中}\n"


def test_import_into_a_ledger_shows_the_diff_and_refuses_to_orphan_progress(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini", progress=PROGRESS)
    before = (data / "tasks.yaml").read_text(encoding="utf-8")
    (tmp_path / "new.yaml").write_text(edited_mini(), encoding="utf-8")
    result = gongkai("import-plan", tmp_path / "new.yaml", "--out", data / "tasks.yaml")
    assert result.exit_code == 1
    assert result.stdout == EXPECTED_MD
    assert result.stderr == (
        "错误：任务 4 已有进展记录，新计划中删除了它们或改了编号，导入后这些记录将对不上任务；"
        "未写入。确需导入请加 --force。\n"
    )
    assert (data / "tasks.yaml").read_text(encoding="utf-8") == before


def test_import_into_a_ledger_with_force_writes_the_new_plan(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini", progress=PROGRESS)
    (tmp_path / "new.yaml").write_text(edited_mini(), encoding="utf-8")
    result = gongkai("import-plan", tmp_path / "new.yaml", "--out", data / "tasks.yaml", "--force")
    assert result.exit_code == 0, result.stderr
    assert (data / "tasks.yaml").read_text(encoding="utf-8") == edited_mini()


def test_import_into_a_ledger_whose_progress_is_safe_needs_no_force(gongkai, tmp_path):
    progress = "- {date: 2021-05-01, task: 2, unit: 县政府办公室, status: 进行中}\n"
    data = write_ledger(tmp_path / "mini", progress=progress)
    (tmp_path / "new.yaml").write_text(edited_mini(), encoding="utf-8")
    result = gongkai("import-plan", tmp_path / "new.yaml", "--out", data / "tasks.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == EXPECTED_MD
    assert (
        result.stderr
        == f"已从 {tmp_path / 'new.yaml'} 导入 4 项任务，写入 {data / 'tasks.yaml'}。\n"
    )

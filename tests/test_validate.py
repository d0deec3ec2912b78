"""`gongkai validate`: every problem at once, as FILE:LINE:COL, exit 1; text, json and github."""

from __future__ import annotations

import json

from tests.conftest import MINI_TASKS, MINI_UNITS, write_ledger


def validate(gongkai, *args):
    return gongkai("validate", "--data", "data", *args)


def broken(tmp_path, **files) -> None:
    write_ledger(tmp_path, **files)


def test_the_committed_data_passes(gongkai, real_data):
    result = gongkai("validate", "--data", real_data)
    assert result.exit_code == 0
    assert result.stderr == "检查通过：43 项任务；0 个错误，6 个提醒。\n"
    assert result.stdout.count(": warning: ") == 6


def test_strict_turns_undesignated_groups_into_errors(gongkai, real_data):
    result = gongkai("validate", "--data", real_data, "--strict")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "ledger/data/tasks.yaml:12:19: error: 任务 1 的“县政府有关部门”未指定具体单位；请在该任务下用 designated: 列出。"
    )
    assert result.stderr == "检查未通过：43 项任务；6 个错误，0 个提醒。\n"


def test_mini_ledger_warns_only_about_its_open_groups(gongkai, tmp_path):
    broken(tmp_path)
    result = validate(gongkai)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "data/tasks.yaml:20:19: warning: 任务 3 的“县政府有关部门”未指定具体单位；请在该任务下用 designated: 列出。",
        "data/tasks.yaml:26:19: warning: 任务 4 的“县政府有关部门”未指定具体单位；请在该任务下用 designated: 列出。",
    ]


def test_bad_yaml_syntax_is_located(gongkai, tmp_path):
    broken(tmp_path, tasks=MINI_TASKS.replace("deadline: 6月底前", "deadline: [6月底前"))
    result = validate(gongkai)
    assert result.exit_code == 1
    assert result.stdout == (
        "data/tasks.yaml:10:9: error: YAML 语法错误：列表没有正确闭合，缺少“,”或“]”。\n"
    )


def test_missing_field_wrong_type_and_unknown_key_are_all_reported(gongkai, tmp_path):
    tasks = (
        MINI_TASKS.replace("  requirement: 做好政策解读。\n", "")
        .replace("number: 3", "number: 三")
        .replace("  deadline: 年底前", "  deadline: 年底前\n  dedline: 年底前")
    )
    broken(tmp_path, tasks=tasks)
    result = validate(gongkai)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "data/tasks.yaml:10:3: error: 缺少必填字段 tasks[2].requirement。",
        "data/tasks.yaml:15:11: error: 字段 tasks[3].number 应为整数，实际是文字“三”。",
        "data/tasks.yaml:27:3: error: 未知字段 tasks[4].dedline（可能是拼写错误，是否是指 deadline？）",
    ]
    # The three invalid tasks are left out of the later checks, hence no warning for task 4.
    assert result.stderr == "检查未通过：1 项任务；3 个错误，0 个提醒。\n"


def test_duplicate_task_number_and_mapping_key(gongkai, tmp_path):
    tasks = MINI_TASKS.replace("number: 4", "number: 2").replace(
        "  requirement: 开展培训。", "  requirement: 开展培训。\n  requirement: 再次培训。"
    )
    broken(tmp_path, tasks=tasks)
    result = validate(gongkai)
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [
        "data/tasks.yaml:20:3: error: 键 requirement 重复出现（第 19 行已有），重复的键会使前一个值被悄悄覆盖。",
        "data/tasks.yaml:23:11: error: 任务编号 2 重复出现。",
    ]


def test_unknown_unit_in_a_phrase_points_at_the_unit(gongkai, tmp_path):
    broken(tmp_path, tasks=MINI_TASKS.replace("县财政局牵头，各镇", "县财政局牵头，各乡镇"))
    result = validate(gongkai)
    assert result.exit_code == 1
    assert (
        "data/tasks.yaml:8:26: error: 任务 1：责任单位中的“各乡镇”不在单位名录中，是否是指“各镇”？"
        in result.stdout.splitlines()
    )


def test_alias_claimed_twice(gongkai, tmp_path):
    units = MINI_UNITS.replace("- name: 县财政局\n", "- name: 县财政局\n  aliases: [县政府办]\n")
    broken(tmp_path, units=units)
    result = validate(gongkai)
    assert [line for line in result.stdout.splitlines() if ": error: " in line] == [
        "data/units.yaml:20:13: error: 别名“县政府办”同时属于“县政府办公室”和“县财政局”，一个名称只能指一个单位。",
    ]


def test_an_unknown_or_pending_deadline_is_kept_as_a_warning_and_never_overdue(
    gongkai, tmp_path, monkeypatch
):
    tasks = MINI_TASKS.replace("deadline: 10月底前", "deadline: 根据工作安排")
    broken(tmp_path, tasks=tasks.replace("deadline: 年底前", "deadline: 待定"))
    result = validate(gongkai)
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if "时限" in line] == [
        "data/tasks.yaml:15:13: warning: 任务 2：无法识别时限“根据工作安排”；可用的写法如：年底前、10月底前、"
        "上半年、一季度末、第三季度、11月15日前、持续推进。此项记为待定，不会逾期。",
        "data/tasks.yaml:27:13: warning: 任务 4：时限写作“待定”，尚未确定：不会逾期，请确定后填写。",
    ]
    monkeypatch.setenv("GONGKAI_TODAY", "2022-06-01")
    overdue = gongkai("overdue", "--data", "data", "--format", "json")
    assert overdue.exit_code == 0, overdue.stderr
    assert sorted({row["number"] for row in json.loads(overdue.stdout)}) == [1]


def test_json_format(gongkai, tmp_path):
    broken(tmp_path, tasks=MINI_TASKS.replace("number: 4", "number: 2"))
    payload = json.loads(validate(gongkai, "--format", "json").stdout)
    assert payload["errors"] == [
        {
            "file": "data/tasks.yaml",
            "line": 22,
            "column": 11,
            "message": "任务编号 2 重复出现。",
            "code": "duplicate-task",
        },
    ]
    assert [w["code"] for w in payload["warnings"]] == ["undesignated"]


def test_github_format_prints_annotations(gongkai, tmp_path):
    broken(tmp_path, tasks=MINI_TASKS.replace("number: 4", "number: 2"))
    result = validate(gongkai, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=data/tasks.yaml,line=22,col=11,title=duplicate-task::任务编号 2 重复出现。"
    )


def test_a_designation_must_come_from_the_open_group(gongkai, tmp_path):
    tasks = MINI_TASKS.replace(
        "  deadline: 年底前\n", "  deadline: 年底前\n  designated: [县财政局, 甲镇, 县财政厅]\n"
    )
    broken(tmp_path, tasks=tasks)
    result = validate(gongkai)
    assert result.stdout.splitlines() == [
        "data/tasks.yaml:28:22: error: 任务 4 指定的“甲镇”不属于“县政府有关部门”的范围。",
        "data/tasks.yaml:28:26: error: 任务 4 指定的“县财政厅”不在单位名录中，是否是指“县财政局”？",
        "data/tasks.yaml:20:19: warning: 任务 3 的“县政府有关部门”未指定具体单位；请在该任务下用 designated: 列出。",
    ]


def test_progress_for_an_unknown_task_or_an_unrelated_unit(gongkai, tmp_path):
    progress = (
        "- {date: 2021-05-01, task: 9, unit: 县财政局, status: 已完成}\n"
        "- {date: 2021-05-01, task: 2, unit: 甲镇, status: 已完成}\n"
        "- {date: 2021-05-01, task: 1, unit: 甲镇, status: 完成了}\n"
    )
    broken(tmp_path, progress=progress)
    errors = [line for line in validate(gongkai).stdout.splitlines() if ": error: " in line]
    assert errors == [
        "data/progress.yaml:3:49: error: 字段 [3].status 的值文字“完成了”无效，应为 未开始、进行中、进展缓慢、已完成、不涉及 之一。",
        "data/progress.yaml:1:28: error: 进展记录中的任务 9 不在计划中。",
        "data/progress.yaml:2:37: error: “甲镇”不是任务 2 的责任单位。",
    ]


# A log with problems of many kinds on canonical lines, hand-written YAML and lines ended by
# \r\n or a lone \r, after a byte-order mark: each problem's column is found on its own line.
MIXED_PROGRESS = (
    "\ufeff- {id: upd1, date: 2021-05-01, task: 1, unit: 县财政局, status: 进行中, by: 甲}\r\n"
    "- {id: upd2, date: 2021-11-02, task: 2, unit: 县政府办公室, status: 已完成, by: 乙}\r\n"
    "- {id: upd1, date: 2021-06-01, task: 1, unit: 甲镇, status: 进行中, by: 甲}\n"
    "- {id: upd3, date: 2021-12-01, task: 9, unit: 县财政局, status: 进行中, by: 甲}\n"
    "- {id: upd4, date: 2021-07-01, task: 2, unit: 丙镇, status: 进行中, note: 说明, by: 甲}\n"
    "- id: hand1\n"
    "  date: 2021-12-05\n"
    "  task: 1\n"
    "  unit: 县教育局\n"
    "  status: 已完成\n"
    "- {id: upd5, date: 2021-05-01, task: 1, unit: 甲镇, status: 完成了, by: 甲}\n"
    "- {id: ret1, date: 2021-11-20, retracts: zzzz9, by: 甲}\r"
    "- {id: upd6, date: 2021-08-01, task: 3, unit: 县政府办公室, status: 进行中,"
    " evidence: [bad name], by: 甲}\n"
    "- {id: upd2, date: 2021-11-03, task: 4, unit: 县档案馆, status: 进行中, by: 乙}\r\n"
    "-   {id: upd7, date: 2021-12-09, task: 2, unit: 县政府办, status: 进行中, by: 乙}\n"
    "- {id: upd8, date: 2021-05-01, task: 1, unit: 县财政局, status: 进行中, by: 甲}\n"
    "- {id: upd9, date: 2021-05-01, task: 1, unit: 县财政局, status: 进行中, by: 甲}\n"
)


def test_many_problems_of_a_log_each_at_its_line_and_column(gongkai, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_TODAY", "2021-10-31")
    broken(tmp_path, progress=MIXED_PROGRESS)
    result = validate(gongkai)
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if "progress.yaml" in line] == [
        "data/progress.yaml:11:59: error: 字段 [7].status 的值文字“完成了”无效，应为 未开始、进行中、进展缓慢、已完成、不涉及 之一。",
        "data/progress.yaml:4:38: error: 进展记录中的任务 9 不在计划中。",
        "data/progress.yaml:5:47: error: 进展记录中的单位“丙镇”不在单位名录中。",
        "data/progress.yaml:14:47: error: “县档案馆”不是任务 4 的责任单位。",
        "data/progress.yaml:2:20: error: 日期 2021-11-02 晚于今天，进展只能记录已发生的情况。",
        "data/progress.yaml:3:8: error: 编号 upd1 与第 1 行重复。",
        "data/progress.yaml:4:20: error: 日期 2021-12-01 晚于今天，进展只能记录已发生的情况。",
        "data/progress.yaml:7:9: error: 日期 2021-12-05 晚于今天，进展只能记录已发生的情况。",
        "data/progress.yaml:14:8: error: 编号 upd2 与第 2 行重复。",
        "data/progress.yaml:14:20: error: 日期 2021-11-03 晚于今天，进展只能记录已发生的情况。",
        "data/progress.yaml:15:22: error: 日期 2021-12-09 晚于今天，进展只能记录已发生的情况。",
        "data/progress.yaml:16:1: warning: 这条进展与第 1 行完全相同（日期、任务、单位、状态、说明、填报人都一样），可能重复记录了。",
        "data/progress.yaml:17:1: warning: 这条进展与第 1 行完全相同（日期、任务、单位、状态、说明、填报人都一样），可能重复记录了。",
        "data/progress.yaml:12:20: error: 日期 2021-11-20 晚于今天，进展只能记录已发生的情况。",
        "data/progress.yaml:12:42: error: 撤销记录所指的编号 zzzz9 不是本文件中任何一条进展的编号。",
        "data/progress.yaml:13:78: error: 佐证链接“bad name”中含有空白字符。",
    ]
    assert result.stderr == "检查未通过：4 项任务；14 个错误，4 个提醒。\n"


def test_the_columns_of_many_problems_are_found_in_one_more_read_of_the_log(
    gongkai, tmp_path, monkeypatch
):
    from gongkai_cli.ledger import files

    monkeypatch.setenv("GONGKAI_TODAY", "2021-10-31")
    monkeypatch.setenv("GONGKAI_NO_CACHE", "1")
    broken(tmp_path, progress=MIXED_PROGRESS)
    opened = []
    real = files.open_regular

    def counting(path, *args, **kwargs):
        opened.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(files, "open_regular", counting)
    result = validate(gongkai)
    assert result.stdout.count("data/progress.yaml:") == 16
    # The log is opened again once for the columns of all its problems, not once for each.
    assert opened.count("progress.yaml") == 1

"""A corpus of bad inputs: each one gets exit 1, one located message, no traceback, no write.

Every case replaces one file of a small, valid ledger. The message pinned for each is the
first error `gongkai validate` reports; queries on the same data stop with the same
problems, and no case changes any file or runs any code.
"""

from __future__ import annotations

import pytest

from tests.conftest import MINI_TASKS, MINI_UNITS, write_ledger

OK_PROGRESS = "- {date: 2021-05-01, task: 1, unit: 县财政局, status: 已完成}\n"
# name: (file, content)  -- the file replaces the mini ledger's
CASES: dict[str, tuple[str, str | bytes]] = {
    "tasks-syntax-unclosed-quote": (
        "tasks.yaml",
        MINI_TASKS.replace("requirement: 公开预算决算。", 'requirement: "公开预算决算。'),
    ),
    "tasks-syntax-bad-indent": (
        "tasks.yaml",
        MINI_TASKS.replace(
            "  section: 一、强化信息公开\n  subsection: （一）财政信息。\n  requirement: 公开预算决算。",
            "  section: 一、强化信息公开\n subsection: （一）财政信息。\n  requirement: 公开预算决算。",
            1,
        ),
    ),
    "tasks-syntax-tab": (
        "tasks.yaml",
        MINI_TASKS.replace("  deadline: 6月底前", "\tdeadline: 6月底前"),
    ),
    "tasks-empty": ("tasks.yaml", ""),
    "tasks-only-comments": ("tasks.yaml", "# 计划\n"),
    "tasks-list-not-mapping": ("tasks.yaml", "- 1\n- 2\n"),
    "tasks-scalar-not-mapping": ("tasks.yaml", "计划\n"),
    "tasks-tasks-is-mapping": ("tasks.yaml", "title: x\nyear: 2021\ntasks:\n  number: 1\n"),
    "tasks-year-string": ("tasks.yaml", MINI_TASKS.replace("year: 2021", "year: 二〇二一")),
    "tasks-number-float": ("tasks.yaml", MINI_TASKS.replace("number: 2", "number: 2.5")),
    "tasks-number-zero": ("tasks.yaml", MINI_TASKS.replace("number: 2", "number: 0")),
    "tasks-requirement-empty": (
        "tasks.yaml",
        MINI_TASKS.replace("requirement: 开展培训。", "requirement: ''"),
    ),
    "tasks-requirement-list": (
        "tasks.yaml",
        MINI_TASKS.replace("requirement: 开展培训。", "requirement: [开展培训。]"),
    ),
    "tasks-missing-title": (
        "tasks.yaml",
        MINI_TASKS.replace("title: 测试县2021年政务公开重点工作任务分工\n", ""),
    ),
    "tasks-unknown-key-typo": (
        "tasks.yaml",
        MINI_TASKS.replace("  deadline: 持续推进", "  dealine: 持续推进"),
    ),
    "tasks-duplicate-key": (
        "tasks.yaml",
        MINI_TASKS.replace("year: 2021\n", "year: 2021\nyear: 2022\n"),
    ),
    "tasks-number-twice": ("tasks.yaml", MINI_TASKS.replace("number: 3", "number: 1")),
    "tasks-impossible-deadline": (
        "tasks.yaml",
        MINI_TASKS.replace("deadline: 10月底前", "deadline: 2月30日前"),
    ),
    "tasks-unknown-unit": (
        "tasks.yaml",
        MINI_TASKS.replace("县政府办公室负责落实", "县委办公室负责落实"),
    ),
    "tasks-python-object-tag": (
        "tasks.yaml",
        MINI_TASKS.replace(
            "title: 测试县2021年政务公开重点工作任务分工",
            "title: !!python/object/apply:os.system ['touch /tmp/corp/PWNED']",
        ),
    ),
    "tasks-python-name-tag": (
        "tasks.yaml",
        MINI_TASKS.replace("year: 2021", "year: !!python/name:os.system"),
    ),
    "tasks-gbk": ("tasks.yaml", MINI_TASKS.encode("gbk")),
    "tasks-utf16": ("tasks.yaml", MINI_TASKS.encode("utf-16")),
    "tasks-nul-byte": ("tasks.yaml", MINI_TASKS.replace("编制目录。", "编制\x00目录。")),
    "tasks-anchor-bomb": (
        "tasks.yaml",
        "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\ntitle: t\nyear: 2021\ntasks: [*c]\n",
    ),
    "units-empty": ("units.yaml", ""),
    "units-list-not-mapping": ("units.yaml", "- name: 甲镇\n"),
    "units-alias-twice": (
        "units.yaml",
        MINI_UNITS.replace("- name: 县教育局\n", "- name: 县教育局\n  aliases: [县政府办]\n"),
    ),
    "units-name-twice": ("units.yaml", MINI_UNITS.replace("- name: 县教育局", "- name: 县财政局")),
    "units-missing-kind": (
        "units.yaml",
        MINI_UNITS.replace("- name: 县教育局\n  kind: 政府工作部门\n", "- name: 县教育局\n"),
    ),
    "units-aliases-string": (
        "units.yaml",
        MINI_UNITS.replace("aliases: [县政府办]", "aliases: 县政府办"),
    ),
    "units-inferred-without-note": (
        "units.yaml",
        MINI_UNITS.replace("  inferred: true\n  note: 推断\n", "  inferred: true\n"),
    ),
    "units-open-group-without-within": (
        "units.yaml",
        MINI_UNITS.replace("  open: true\n  within: 县政府各部门\n", "  open: true\n"),
    ),
    "units-group-unknown-member": (
        "units.yaml",
        MINI_UNITS.replace(
            "- name: 各镇\n  kinds: [镇]", "- name: 各镇\n  kinds: [镇]\n  members: [丙镇]"
        ),
    ),
    "progress-syntax": (
        "progress.yaml",
        OK_PROGRESS + "- {date: 2021-05-02, task: 1, unit: 甲镇, status: 已完成\n",
    ),
    "progress-mapping-not-list": ("progress.yaml", "date: 2021-05-01\n"),
    "progress-unknown-task": (
        "progress.yaml",
        OK_PROGRESS + "- {date: 2021-05-02, task: 99, unit: 甲镇, status: 已完成}\n",
    ),
    "progress-unknown-unit": (
        "progress.yaml",
        OK_PROGRESS + "- {date: 2021-05-02, task: 1, unit: 丙镇, status: 已完成}\n",
    ),
    "progress-bad-status": (
        "progress.yaml",
        "- {date: 2021-05-02, task: 1, unit: 甲镇, status: 逾期}\n",
    ),
    "progress-date-string": (
        "progress.yaml",
        "- {date: '2021-05-02', task: 1, unit: 甲镇, status: 已完成}\n",
    ),
    "progress-impossible-date": (
        "progress.yaml",
        "- {date: 2021-02-30, task: 1, unit: 甲镇, status: 已完成}\n",
    ),
    "progress-datetime": (
        "progress.yaml",
        "- {date: 2021-05-02 10:00:00, task: 1, unit: 甲镇, status: 已完成}\n",
    ),
    "progress-missing-unit": ("progress.yaml", "- {date: 2021-05-02, task: 1, status: 已完成}\n"),
    "progress-extra-key": (
        "progress.yaml",
        "- {date: 2021-05-02, task: 1, unit: 甲镇, status: 已完成, score: 5}\n",
    ),
    "progress-megabyte-note": (
        "progress.yaml",
        "- {date: 2021-05-02, task: 1, unit: 甲镇, status: 已完成, note: "
        + "长" * 1_000_000
        + "}\n- {date: 2021-05-02, task: 99, unit: 甲镇, status: 已完成}\n",
    ),
    "progress-other-scripts": (
        "progress.yaml",
        '- {date: 2021-05-02, task: 1, unit: ئۈرۈمچی, status: 已完成, note: "Ελληνικά русский עברית 😀"}\n',
    ),
    "progress-duplicate-key": (
        "progress.yaml",
        "- {date: 2021-05-02, task: 1, unit: 甲镇, unit: 乙镇, status: 已完成}\n",
    ),
}

FIRST_ERROR = {
    "tasks-syntax-unclosed-quote": "data/tasks.yaml:28:1: error: YAML 语法错误：文件意外结束，可能有引号或括号没有闭合。",
    "tasks-syntax-bad-indent": "data/tasks.yaml:6:2: error: YAML 语法错误：缩进不一致，或此处缺少“键: 值”。",
    "tasks-syntax-tab": "data/tasks.yaml:9:1: error: YAML 语法错误：缩进中有制表符（Tab），请改用空格。",
    "tasks-empty": "data/tasks.yaml:1:1: error: 文件是空的。",
    "tasks-only-comments": "data/tasks.yaml:1:1: error: 文件是空的。",
    "tasks-list-not-mapping": "data/tasks.yaml:1:1: error: 顶层应为映射（键: 值），实际是列表。",
    "tasks-scalar-not-mapping": "data/tasks.yaml:1:1: error: 顶层应为映射（键: 值），实际是文字“计划”。",
    "tasks-tasks-is-mapping": "data/tasks.yaml:4:3: error: 字段 tasks 应为列表，实际是映射。",
    "tasks-year-string": "data/tasks.yaml:2:7: error: 字段 year 应为整数，实际是文字“二〇二一”。",
    "tasks-number-float": "data/tasks.yaml:10:11: error: 字段 tasks[2].number 应为整数，实际是2.5。",
    "tasks-number-zero": "data/tasks.yaml:10:11: error: 字段 tasks[2].number 应不小于 1，实际是0。",
    "tasks-requirement-empty": "data/tasks.yaml:19:16: error: 字段 tasks[3].requirement 不能为空。",
    "tasks-requirement-list": "data/tasks.yaml:19:16: error: 字段 tasks[3].requirement 应为文字，实际是列表。",
    "tasks-missing-title": "data/tasks.yaml:1:1: error: 缺少必填字段 title。",
    "tasks-unknown-key-typo": "data/tasks.yaml:16:3: error: 缺少必填字段 tasks[3].deadline。",
    "tasks-duplicate-key": "data/tasks.yaml:3:1: error: 键 year 重复出现（第 2 行已有），重复的键会使前一个值被悄悄覆盖。",
    "tasks-number-twice": "data/tasks.yaml:16:11: error: 任务编号 1 重复出现。",
    "tasks-impossible-deadline": "data/tasks.yaml:15:13: error: 任务 2：时限“2月30日前”不是有效的日期。",
    "tasks-unknown-unit": "data/tasks.yaml:14:19: error: 任务 2：责任单位中的“县委办公室”不在单位名录中，是否是指“县政府办公室”？",
    "tasks-python-object-tag": "data/tasks.yaml:1:8: error: 不支持的 YAML 标签 !!python/object/apply:os.system：数据文件只能含普通的文字、数字、日期、列表和映射，不会执行任何代码。",
    "tasks-python-name-tag": "data/tasks.yaml:2:7: error: 不支持的 YAML 标签 !!python/name:os.system：数据文件只能含普通的文字、数字、日期、列表和映射，不会执行任何代码。",
    "tasks-gbk": "data/tasks.yaml:1:8: error: 文件不是 UTF-8 编码：文件看来是 GBK 编码，请用 UTF-8 编码另存。",
    "tasks-utf16": "data/tasks.yaml:1:1: error: 文件不是 UTF-8 编码：请用 UTF-8 编码另存。",
    "tasks-nul-byte": "data/tasks.yaml:25:18: error: 文件含有不允许的控制字符（U+0000），请删除。",
    "tasks-anchor-bomb": "data/tasks.yaml:1:4: error: 数据文件中不能使用 YAML 锚点和别名（&名称、*名称）：此处定义的内容被别处引用；请把内容直接写出来。",
    "units-empty": "data/units.yaml:1:1: error: 文件是空的。",
    "units-list-not-mapping": "data/units.yaml:1:1: error: 顶层应为映射（键: 值），实际是列表。",
    "units-alias-twice": "data/units.yaml:22:13: error: 别名“县政府办”同时属于“县政府办公室”和“县教育局”，一个名称只能指一个单位。",
    "units-name-twice": "data/units.yaml:21:9: error: 单位名称“县财政局”重复登记。",
    "units-missing-kind": "data/units.yaml:21:3: error: 缺少必填字段 units[5].kind。",
    "units-aliases-string": "data/units.yaml:17:12: error: 字段 units[3].aliases 应为列表，实际是文字“县政府办”。",
    "units-inferred-without-note": "data/units.yaml:25:13: error: 单位“县档案馆”标为推断（inferred: true），须用 note: 说明依据。",
    "units-open-group-without-within": "data/units.yaml:8:3: error: 开放集合“县政府有关部门”须用 within: 指明它取自哪个已定义的封闭集合。",
    "units-group-unknown-member": "data/units.yaml:4:13: error: 集合“各镇”的成员“丙镇”不在单位名录中。",
    "progress-syntax": "data/progress.yaml:3:1: error: YAML 语法错误：映射没有正确闭合，缺少“,”或“}”。",
    "progress-mapping-not-list": "data/progress.yaml:1:1: error: 进展记录应是每行一条的列表（每行以“- ”开头）。",
    "progress-unknown-task": "data/progress.yaml:2:28: error: 进展记录中的任务 99 不在计划中。",
    "progress-unknown-unit": "data/progress.yaml:2:37: error: 进展记录中的单位“丙镇”不在单位名录中。",
    "progress-bad-status": "data/progress.yaml:1:49: error: 字段 [1].status 的值文字“逾期”无效，应为 未开始、进行中、进展缓慢、已完成、不涉及 之一。",
    "progress-date-string": "data/progress.yaml:1:10: error: 字段 [1].date 应为日期（年-月-日，不加引号），实际是文字“2021-05-02”。",
    "progress-impossible-date": "data/progress.yaml:1:10: error: “2021-02-30”不是有效的日期。",
    "progress-datetime": "data/progress.yaml:1:10: error: 字段 [1].date 应为日期（年-月-日，不加引号），实际是2021-05-02 10:00:00。",
    "progress-missing-unit": "data/progress.yaml:1:3: error: 缺少必填字段 [1].unit。",
    "progress-extra-key": "data/progress.yaml:1:54: error: 未知字段 [1].score（可能是拼写错误）。",
    "progress-megabyte-note": "data/progress.yaml:1:1: error: 这一行过长（1000060 个字符），超出一条进展记录可能的长度（说明最多 2000 字）。",
    "progress-other-scripts": "data/progress.yaml:1:37: error: 进展记录中的单位“ئۈرۈمچی”不在单位名录中。",
    "progress-duplicate-key": "data/progress.yaml:1:41: error: 键 unit 重复出现（第 1 行已有），重复的键会使前一个值被悄悄覆盖。",
}


def files_of(data):
    return {p.name: p.read_bytes() for p in sorted(data.iterdir())}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_reported_where_it_is(gongkai, tmp_path, name):
    filename, content = CASES[name]
    data = write_ledger(tmp_path)
    raw = content if isinstance(content, bytes) else content.encode("utf-8")
    (data / filename).write_bytes(raw)
    before = files_of(data)

    result = gongkai("validate", "--data", "data")
    assert result.exit_code == 1
    assert (
        next(line for line in result.stdout.splitlines() if ": error: " in line)
        == FIRST_ERROR[name]
    )

    query = gongkai("list", "--unit", "县财政局", "--data", "data")
    assert query.exit_code == 1
    assert query.stdout == ""
    assert FIRST_ERROR[name] in query.stderr.splitlines()
    assert query.stderr.endswith("请运行 gongkai validate 查看并修正。\n")

    assert files_of(data) == before
    assert not (tmp_path / "PWNED").exists()


def test_the_corpus_is_large_enough_and_all_pinned():
    assert len(CASES) >= 25
    assert set(CASES) == set(FIRST_ERROR)


@pytest.mark.parametrize("filename", ["tasks.yaml", "units.yaml", "progress.yaml"])
def test_a_bom_and_crlf_line_endings_are_accepted(gongkai, tmp_path, filename):
    data = write_ledger(
        tmp_path, progress="- {date: 2021-05-01, task: 1, unit: 县财政局, status: 已完成}\n"
    )
    path = data / filename
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = gongkai("validate", "--data", "data")
    assert result.exit_code == 0, result.stdout
    shown = gongkai("show", "1", "--as-of", "2021-06-01", "-f", "json", "--data", "data").stdout
    assert '"status": "已完成"' in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "44"], "错误：计划中没有任务 44；任务编号为 1–4。"),
        (["list", "--section", "七"], "错误：计划中没有大项“七”；大项为 一、二（也可写 1–2）。"),
        (
            ["report", "unit", "各镇"],
            "错误：“各镇”是单位集合，不是单个单位；请给出具体单位（gongkai units --group 各镇 可列出成员）。",
        ),
        (
            ["list", "--status", "完成"],
            "错误：状态“完成”无效；请填写 未开始、进行中、进展缓慢、已完成、不涉及、逾期、临期、逾期完成 或 已办结 之一（或 todo、doing、lagging、done、n/a）。",
        ),
        (["due", "--within", "一个月"], "错误：--within“一个月”无法识别；请写成 30d、2w 或 30天。"),
        (
            ["list", "--due-before", "明年"],
            "错误：--due-before“明年”不是有效日期；请写成 2021-10-31、2021/10/31、2021.10.31、2021年10月31日、10月31日、10-31、10.31、今天 或 昨天。",
        ),
        (["units", "--group", "各乡镇"], "错误：没有名为“各乡镇”的单位集合，是否是指“各镇”？"),
        (["report", "unit", "县财政厅"], "错误：单位名录中没有“县财政厅”，是否是指“县财政局”？"),
        (
            ["resolve", "县财政厅牵头"],
            "错误：责任单位中的“县财政厅”不在单位名录中，是否是指“县财政局”？",
        ),
    ],
)
def test_bad_arguments_get_one_clear_sentence(gongkai, tmp_path, args, message):
    data = write_ledger(tmp_path)
    before = files_of(data)
    result = gongkai(*args, "--data", "data")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n")
    assert files_of(data) == before


def test_a_missing_data_directory_is_named(gongkai):
    result = gongkai("list", "--data", "nowhere")
    assert (result.exit_code, result.stderr) == (
        1,
        "错误：--data 指定的目录 nowhere 中没有 tasks.yaml。\n",
    )


def test_usage_errors_are_typers_exit_2(gongkai, tmp_path):
    write_ledger(tmp_path)
    result = gongkai("list", "--format", "pdf", "--data", "data")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr

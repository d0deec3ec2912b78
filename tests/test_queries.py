"""list, overdue and due, on the real plan and on small ledgers."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gongkai_cli.model.deadlines import DeadlineError, parse_deadline
from tests.conftest import write_ledger

DATED = [
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    23,
    24,
    25,
    26,
    27,
    28,
    29,
    30,
    31,
    32,
    35,
    36,
    40,
    41,
]


def numbers(result) -> list[int]:
    assert result.exit_code == 0, result.stderr
    return [item["number"] for item in json.loads(result.stdout)]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2021-06-30", []),
        ("2021-07-01", [40]),
        ("2021-10-31", [32, 40]),
        ("2021-11-01", [26, 27, 28, 29, 32, 40]),
        ("2022-01-01", DATED),
    ],
)
def test_overdue_on_the_plan_without_progress(gongkai, real_data, as_of, expected):
    assert (
        numbers(gongkai("overdue", "--as-of", as_of, "-f", "json", "--data", real_data)) == expected
    )


def test_overdue_json_shape(gongkai, real_data):
    payload = json.loads(
        gongkai("overdue", "--as-of", "2021-07-03", "-f", "json", "--data", real_data).stdout
    )
    assert len(payload) == 1
    item = payload[0]
    assert list(item) == ["number", "deadline", "days_overdue", "units", "unresolved"]
    assert item["deadline"] == {"text": "6月底前", "kind": "date", "date": "2021-06-30"}
    assert item["days_overdue"] == 3
    assert item["units"][:2] == ["县政府办公室", "濉溪镇"] and len(item["units"]) == 49


def test_an_undesignated_group_stays_outstanding(gongkai, real_data):
    payload = json.loads(
        gongkai("overdue", "--as-of", "2022-01-01", "-f", "json", "--data", real_data).stdout
    )
    task25 = next(i for i in payload if i["number"] == 25)
    assert (task25["units"], task25["unresolved"]) == ([], ["县政府有关部门"])


def test_list_unit_finance_bureau(gongkai, real_data):
    payload = json.loads(
        gongkai("list", "--unit", "县财政局", "-f", "json", "--data", real_data).stdout
    )
    roles = {item["number"]: item["role"] for item in payload}
    assert {n for n, r in roles.items() if r == "lead"} == {6, 7, 8}
    assert not {2, 16, 24, 42, 43, 1, 4, 25, 28, 32, 35} & set(roles)
    assert sorted(roles) == [
        3,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
        13,
        14,
        15,
        17,
        18,
        19,
        20,
        21,
        22,
        23,
        26,
        27,
        29,
        30,
        31,
        33,
        34,
        36,
        37,
        38,
        39,
        40,
        41,
    ]


def test_list_unit_accepts_an_alias_and_shows_roles(gongkai, real_data):
    result = gongkai(
        "list", "--unit", "县数据资源管理局", "--role", "lead", "-f", "csv", "--data", real_data
    )
    assert [line.split(",")[:2] for line in result.stdout.splitlines()] == [
        ["编号", "角色"],
        ["15", "牵头"],
        ["29", "牵头"],
        ["31", "牵头"],
    ]


def test_list_unit_town_is_exactly_the_tasks_addressed_to_towns(gongkai, real_data):
    assert numbers(gongkai("list", "--unit", "濉溪镇", "-f", "json", "--data", real_data)) == [
        6,
        7,
        8,
        9,
        10,
        13,
        14,
        18,
        19,
        27,
        28,
        32,
        33,
        35,
        36,
        37,
        38,
        39,
        40,
        41,
    ]


def test_list_filters_combine(gongkai, real_data):
    args = ["--data", real_data, "-f", "json"]
    assert numbers(gongkai("list", "--section", "4", "--deadline", "10月底前", *args)) == [
        26,
        27,
        28,
        29,
    ]
    assert numbers(gongkai("list", "--section", "四", "--unit", "县数据资源局", *args)) == [
        26,
        27,
        29,
        30,
        31,
    ]
    assert numbers(gongkai("list", "--due-before", "2021-10-01", *args)) == [32, 40]
    assert numbers(gongkai("list", "--search", "疫情", "--unit", "韩村镇", *args)) == [9, 19]


def test_unknown_unit_is_a_clear_error_with_a_suggestion(gongkai, real_data):
    result = gongkai("list", "--unit", "县财政厅", "--data", real_data)
    assert result.exit_code == 1
    assert result.stderr == "错误：单位名录中没有“县财政厅”，是否是指“县财政局”？\n"
    assert result.stdout == ""


@pytest.mark.parametrize("text", ["2021-10-31", "2021/10/31", "2021年10月31日"])
def test_as_of_accepts_three_spellings(gongkai, real_data, text):
    assert numbers(gongkai("overdue", "--as-of", text, "-f", "json", "--data", real_data)) == [
        32,
        40,
    ]


@pytest.mark.parametrize("text", ["2021-13-01", "31/10/2021", "前天", "2021年10月31"])
def test_a_bad_date_is_a_clear_error(gongkai, real_data, text):
    result = gongkai("overdue", "--as-of", text, "--data", real_data)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"错误：--as-of“{text}”不是有效日期；请写成 2021-10-31、2021/10/31、2021.10.31、2021年10月31日、10月31日、10-31、10.31、今天 或 昨天。\n"
    )


def test_due_lists_what_falls_due_soon_with_days_left(gongkai, real_data):
    result = gongkai(
        "due", "--as-of", "2021-10-20", "--within", "15d", "-f", "json", "--data", real_data
    )
    payload = json.loads(result.stdout)
    assert [(i["number"], i["days_left"]) for i in payload] == [
        (26, 11),
        (27, 11),
        (28, 11),
        (29, 11),
    ]


def test_overdue_by_unit_ranks_units(gongkai, tmp_path):
    write_ledger(tmp_path)
    result = gongkai(
        "overdue", "--as-of", "2021-11-02", "--by", "unit", "-f", "csv", "--data", "data"
    )
    assert result.stdout.splitlines() == [
        "单位,逾期任务数,任务编号（天数）",
        "县政府办公室,2,1（125天）、2（2天）",
        "县财政局,1,1（125天）",
        "甲镇,1,1（125天）",
        "乙镇,1,1（125天）",
        "县教育局,1,1（125天）",
        "县档案馆,1,1（125天）",
    ]


def test_overdue_markdown_table(gongkai, tmp_path):
    write_ledger(tmp_path)
    result = gongkai("overdue", "--as-of", "2021-11-01", "-f", "md", "--data", "data")
    assert result.stdout == (
        "## 逾期任务（截至 2021年11月1日）\n\n"
        "| 编号 | 具体要求 | 时限 | 逾期天数 | 未完成单位 |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 1 | 公开预算决算。 | 6月底前 | 124 | 6个：县财政局、甲镇、乙镇、县政府办公室、县教育局、县档案馆 |\n"
        "| 2 | 做好政策解读。 | 10月底前 | 1 | 县政府办公室 |\n"
        "\n共 2 项。\n"
    )


def test_nothing_overdue_says_so(gongkai, tmp_path):
    write_ledger(tmp_path)
    result = gongkai("overdue", "--as-of", "2021-06-30", "--data", "data", "-f", "table")
    assert result.stdout == "逾期任务（截至 2021年6月30日）：没有逾期任务。\n共 0 项。\n"


@pytest.mark.parametrize(
    ("phrase", "kind", "date"),
    [
        ("年底前", "date", "2021-12-31"),
        ("10月底前", "date", "2021-10-31"),
        ("2月底前", "date", "2021-02-28"),
        ("十一月底前", "date", "2021-11-30"),
        ("上半年", "date", "2021-06-30"),
        ("一季度末", "date", "2021-03-31"),
        ("第三季度", "date", "2021-09-30"),
        ("11月15日前", "date", "2021-11-15"),
        ("2022年3月底前", "date", "2022-03-31"),
        ("2022年底前", "date", "2022-12-31"),
        ("2022年末", "date", "2022-12-31"),
        ("6月底前完成", "date", "2021-06-30"),
        ("年底前全面完成", "date", "2021-12-31"),
        ("上半年完成", "date", "2021-06-30"),
        ("5月底前动工", "date", "2021-05-31"),
        ("9月投入使用", "date", "2021-09-30"),
        ("年底前建成", "date", "2021-12-31"),
        ("年中", "date", "2021-06-30"),
        ("下半年", "date", "2021-12-31"),
        ("11月上旬", "date", "2021-11-10"),
        ("十一月中旬前", "date", "2021-11-20"),
        ("2月下旬", "date", "2021-02-28"),
        ("持续推进", "ongoing", None),
        ("按月", "ongoing", None),
        ("每季度", "ongoing", None),
        ("每月10日前报送", "ongoing", None),
        ("按季度报送", "ongoing", None),
        ("每半年", "ongoing", None),
        ("常年", "ongoing", None),
    ],
)
def test_deadline_phrases(phrase, kind, date):
    deadline = parse_deadline(phrase, 2021)
    assert deadline.as_dict() == {"text": phrase, "kind": kind, "date": date}


@pytest.mark.parametrize(
    "phrase", ["国庆前", "13月底前", "2月30日前", "", "完成", "13月中旬", "尽快"]
)
def test_unknown_deadline_phrases_are_errors(phrase):
    with pytest.raises(DeadlineError):
        parse_deadline(phrase, 2021)


def test_default_format_is_markdown_when_not_on_a_terminal(gongkai, tmp_path):
    write_ledger(tmp_path)
    default = gongkai("overdue", "--as-of", "2021-11-01", "--data", "data").stdout
    assert (
        default == gongkai("overdue", "--as-of", "2021-11-01", "--data", "data", "-f", "md").stdout
    )
    assert default.startswith("## 逾期任务（截至 2021年11月1日）\n")


@pytest.mark.parametrize("phrase", ["2023.6.30", "2023/6/30", "2023.6.30前"])
def test_a_dotted_date_is_read_as_that_day(phrase):
    assert parse_deadline(phrase, 2023).date == dt.date(2023, 6, 30)

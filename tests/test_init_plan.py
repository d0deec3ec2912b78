"""init --plan for an office that is not Suixi: units.yaml drafted from the plan itself."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
import yaml

from tests import plan_documents as docs
from tests.conftest import GIT_ENV, MINI_UNITS, write_ledger


@pytest.fixture(autouse=True)
def identity(monkeypatch):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


def units_of(target) -> dict:
    return yaml.safe_load((target / "data" / "units.yaml").read_text(encoding="utf-8"))


def test_a_department_plan_drafts_its_sections_as_units(gongkai, tmp_path):
    plan = docs.write_table_docx(docs.DEPARTMENT_PLAN, tmp_path / "dept.docx")
    result = gongkai("init", tmp_path / "bureau", "--plan", plan)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:] == [
        "单位名录是从计划起草的（计划层级：科室）：5 个单位、1 个集合须确认。",
        "须补全成员的集合：各科室。",
        f"请核对 {tmp_path / 'bureau' / 'data' / 'units.yaml'}，再运行 gongkai validate。",
        f"下一步：cd {tmp_path / 'bureau'} && gongkai list --unit 行政审批科",
    ]
    units = units_of(tmp_path / "bureau")
    assert units["level"] == "科室"
    assert [(u["name"], u["kind"], u["inferred"]) for u in units["units"]] == [
        ("行政审批科", "科室", True),
        ("执法监督科", "科室", True),
        ("法规科", "科室", True),
        ("办公室", "科室", True),
        ("财务科", "科室", True),
    ]
    assert units["units"][3]["note"] == (
        "从计划《某市生态环境局2023年政务公开工作要点分工》的责任单位中起草，类别按名称推断，待确认。"
    )
    assert units["groups"] == [
        {
            "name": "各科室",
            "description": "从计划《某市生态环境局2023年政务公开工作要点分工》的责任单位中起草："
            "目前只含计划点名的单位，须补全全部成员。",
            "kinds": ["科室"],
            "incomplete": True,
        },
        {
            "name": "有关科室",
            "description": "与任务职责相关的单位，须在各任务中用 designated: 逐项指定",
            "open": True,
            "within": "各科室",
        },
    ]


def test_the_department_ledger_validates_with_warnings_only_and_works(gongkai, tmp_path):
    plan = docs.write_table_docx(docs.DEPARTMENT_PLAN, tmp_path / "dept.docx")
    gongkai("init", tmp_path / "bureau", "--plan", plan)
    data = tmp_path / "bureau" / "data"
    checked = gongkai("validate", "--data", data, "--format", "json")
    assert checked.exit_code == 0
    problems = json.loads(checked.stdout)
    assert problems["errors"] == []
    assert [w["code"] for w in problems["warnings"]] == ["incomplete-group", "undesignated"]
    assert problems["warnings"][0]["message"] == (
        "集合“各科室”是从计划推断的，只含计划点名的单位；请补全其全部成员后删去 incomplete: true。"
    )
    listed = json.loads(gongkai("list", "--unit", "办公室", "--data", data, "-f", "json").stdout)
    assert [(t["number"], t["role"]) for t in listed] == [
        (3, "implementer"),
        (4, "lead"),
        (5, "implementer"),
    ]
    update = gongkai(
        "update", "4", "--unit", "财务科", "--status", "已完成", "--date", "2023-08-01",
        "--data", data, "--no-commit",
    )  # fmt: skip
    assert update.exit_code == 0, update.stderr
    overdue = json.loads(
        gongkai("overdue", "--as-of", "2023-10-08", "--data", data, "-f", "json").stdout
    )
    assert [(o["number"], o.get("period"), o["units"]) for o in overdue] == [
        (2, "2023-Q1", ["执法监督科", "法规科"]),  # 每季度: each quarter is due at its end
        (2, "2023-Q2", ["执法监督科", "法规科"]),
        (2, "2023-Q3", ["执法监督科", "法规科"]),
        (3, None, ["办公室", "财务科"]),
        (4, None, ["办公室", "行政审批科", "执法监督科", "法规科"]),
        (5, None, ["办公室"]),  # 1月31日前 of the plan year
    ]
    report = gongkai(
        "report", "progress", "--as-of", "2023-10-08", "--data", data, "-f", "md", "--out", "-"
    )
    assert report.exit_code == 0, report.stderr
    assert "修订本局政府信息公开工作制度" in report.stdout


def test_a_district_plan_with_split_columns_drafts_units_groups_and_aliases(gongkai, tmp_path):
    plan = docs.write_table_xlsx(docs.DISTRICT_PLAN, tmp_path / "district.xlsx")
    result = gongkai("init", tmp_path / "district", "--plan", plan)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:5] == [
        "单位名录是从计划起草的（计划层级：区）：5 个单位、3 个集合须确认。",
        "须补全成员的集合：区直各单位、各镇（街道）、区直各部门。",
        "疑为同一单位，已登记为别名：区数据资源局 → 区数据资源管理局。",
        "疑为同一单位，已登记为别名：区政府办 → 区政府办公室。",
    ]
    units = units_of(tmp_path / "district")
    assert [(u["name"], u.get("aliases"), u["kind"]) for u in units["units"]] == [
        ("区数据资源管理局", ["区数据资源局"], "部门"),
        ("区发改委", None, "部门"),
        ("区经信局", None, "部门"),
        ("区政府办公室", ["区政府办"], "部门"),
        ("区委网信办", None, "部门"),
    ]
    assert [(g["name"], g.get("kinds"), g.get("within")) for g in units["groups"]] == [
        ("区直各单位", ["部门"], None),
        ("各镇（街道）", ["镇", "街道"], None),
        ("区直各部门", ["部门"], None),
        ("区直有关部门", None, "区直各部门"),
    ]
    tasks = yaml.safe_load((tmp_path / "district" / "data" / "tasks.yaml").read_text("utf-8"))
    assert tasks["tasks"][0]["lead"] == "区数据资源局"
    assert tasks["tasks"][0]["implementers"] == "区直各单位"


def test_the_district_ledger_validates_with_warnings_only_and_works(gongkai, tmp_path):
    plan = docs.write_table_xlsx(docs.DISTRICT_PLAN, tmp_path / "district.xlsx")
    gongkai("init", tmp_path / "district", "--plan", plan)
    data = tmp_path / "district" / "data"
    problems = json.loads(gongkai("validate", "--data", data, "-f", "json").stdout)
    assert problems["errors"] == []
    assert {w["code"] for w in problems["warnings"]} == {
        "incomplete-group",
        "empty-kind",
        "undesignated",
    }
    shown = json.loads(gongkai("show", "1", "--data", data, "-f", "json").stdout)
    assert shown["responsibility"] == "区数据资源局牵头，区直各单位负责落实"
    assert shown["lead"] == ["区数据资源管理局"]
    assert shown["implementers"] == ["区发改委", "区经信局", "区政府办公室", "区委网信办"]
    update = gongkai(
        "update", "1", "--unit", "区政府办", "--status", "已完成", "--date", "2022-06-10",
        "--data", data,
    )  # fmt: skip
    assert update.exit_code == 0, update.stderr
    overdue = json.loads(
        gongkai("overdue", "--as-of", "2022-07-01", "--data", data, "-f", "json").stdout
    )
    assert [(o["number"], o.get("period"), o["days_overdue"], o["units"]) for o in overdue] == [
        (1, None, 1, ["区数据资源管理局", "区发改委", "区经信局", "区委网信办"]),
        (4, "2022-Q1", 92, ["区政府办公室"]),  # 按季度开展自查: each quarter on its own
        (4, "2022-Q2", 1, ["区政府办公室"]),
    ]
    for kind in ("progress", "overdue"):
        report = gongkai(
            "report", kind, "--as-of", "2022-07-01", "--data", data, "-f", "md", "--out", "-"
        )
        assert report.exit_code == 0, report.stderr
    unit = gongkai(
        "report",
        "unit",
        "区政府办公室",
        "--as-of",
        "2022-07-01",
        "--data",
        data,
        "-f",
        "md",
        "--out",
        "-",
    )
    assert "已完成" in unit.stdout


def test_the_bundled_countys_plan_in_any_format_keeps_the_bundled_registry(gongkai, tmp_path):
    from tests.conftest import REAL_DATA

    plan = docs.write_docx(docs.suixi_plan(), tmp_path / "suixi.docx")
    result = gongkai("init", tmp_path / "suixi", "--plan", plan)
    assert result.exit_code == 0, result.stderr
    units = (tmp_path / "suixi" / "data" / "units.yaml").read_text(encoding="utf-8")
    assert units == (REAL_DATA / "units.yaml").read_text(encoding="utf-8")
    assert result.stdout.splitlines()[-1].endswith("gongkai list --unit 县财政局")


def test_another_countys_plan_of_common_unit_names_gets_its_own_draft_registry(gongkai, tmp_path):
    """县财政局 and 各镇 are in every county's plan: 某县's ledger must not list the bundled
    county's eleven towns as its 各镇, nor 濉溪县 full names."""
    plan = tmp_path / "某县计划.csv"
    plan.write_text(
        "序号,工作任务,具体要求,责任单位,时限要求\n"
        "1,一、加强政策公开,公开本单位预决算信息。,县财政局牵头，各镇负责落实,6月底前\n",
        encoding="utf-8",
    )
    title = ("--title", "某县2021年政务公开重点工作任务分工", "--year", "2021")
    result = gongkai("init", tmp_path / "某县", "--plan", plan, *title)
    assert result.exit_code == 0, result.stderr
    assert "单位名录是从计划起草的（计划层级：县）" in result.stdout
    units = units_of(tmp_path / "某县")
    assert [u["name"] for u in units["units"]] == ["县财政局"]
    assert [(g["name"], g.get("incomplete")) for g in units["groups"]] == [("各镇", True)]
    assert "濉溪" not in (tmp_path / "某县" / "data" / "units.yaml").read_text(encoding="utf-8")


def test_init_takes_the_registry_it_is_given(gongkai, tmp_path):
    plan = docs.write_table_xlsx(docs.DISTRICT_PLAN, tmp_path / "district.xlsx")
    registry = tmp_path / "units.yaml"
    registry.write_text(
        textwrap.dedent("""\
        level: 区
        groups:
        - name: 区直各单位
          kinds: [部门]
        - name: 区直各部门
          kinds: [部门]
        - name: 区直有关部门
          open: true
          within: 区直各部门
        - name: 各镇（街道）
          kinds: [街道]
        units:
        - {name: 区数据资源管理局, aliases: [区数据资源局], kind: 部门}
        - {name: 区发改委, kind: 部门}
        - {name: 区经信局, kind: 部门}
        - {name: 区政府办公室, aliases: [区政府办], kind: 部门}
        - {name: 区委网信办, kind: 部门}
        - {name: 东街道, kind: 街道}
        """),
        encoding="utf-8",
    )
    result = gongkai("init", tmp_path / "district", "--plan", plan, "--units", registry)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "district" / "data" / "units.yaml").read_text("utf-8") == registry.read_text(
        "utf-8"
    )
    assert "起草" not in result.stdout


# ----- split columns resolve as the one-phrase form -----

SPLIT = """\
title: 测试县2021年要点
year: 2021
tasks:
- number: 1
  section: 一、公开
  subsection: （一）财政。
  requirement: 公开预算。
  lead: 县财政局
  implementers: 各镇、县直各单位
  deadline: 6月底前
- number: 2
  section: 一、公开
  subsection: （一）财政。
  requirement: 做好解读。
  implementers: 县政府办、县教育局
  deadline: 年底前
"""


def test_split_columns_resolve_exactly_as_the_one_phrase_form(gongkai, tmp_path):
    split = write_ledger(tmp_path / "split", tasks=SPLIT)
    phrase = write_ledger(
        tmp_path / "phrase",
        tasks=SPLIT.replace("  lead: 县财政局\n  implementers: 各镇、县直各单位", "  responsibility: 县财政局牵头，各镇、县直各单位负责落实")
        .replace("  implementers: 县政府办、县教育局", "  responsibility: 县政府办、县教育局负责落实"),
    )  # fmt: skip
    for number in ("1", "2"):
        a = json.loads(gongkai("show", number, "--data", split, "-f", "json").stdout)
        b = json.loads(gongkai("show", number, "--data", phrase, "-f", "json").stdout)
        assert (a["lead"], a["implementers"], a["unresolved"]) == (
            b["lead"], b["implementers"], b["unresolved"],
        )  # fmt: skip
    assert a["implementers"] == ["县政府办公室", "县教育局"]


def test_an_unknown_unit_in_a_split_column_is_located_in_that_column(gongkai, tmp_path):
    data = write_ledger(
        tmp_path / "split", tasks=SPLIT.replace("各镇、县直各单位", "各镇、县水务局")
    )
    result = gongkai("validate", "--data", data)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "split/data/tasks.yaml:9:20: error: 任务 1：责任单位中的“县水务局”不在单位名录中；"
        "请在 units.yaml 中登记该单位或别名。"
    )


def test_a_task_may_not_have_both_forms_of_responsibility(gongkai, tmp_path):
    both = SPLIT.replace(
        "  lead: 县财政局\n", "  responsibility: 县财政局负责落实\n  lead: 县财政局\n"
    )
    data = write_ledger(tmp_path / "both", tasks=both, units=MINI_UNITS)
    result = gongkai("validate", "--data", data)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "both/data/tasks.yaml:4:3: error: tasks[1]：责任单位写作 responsibility，"
        "或分写为 lead 与 implementers，二者只能选一种。"
    )


@pytest.mark.parametrize(
    ("group", "kinds"),
    [
        ("各镇", ["镇"]),
        ("各乡镇", ["镇", "乡"]),
        ("各乡镇（街道）", ["镇", "乡", "街道"]),
        ("各街道", ["街道"]),
        ("各镇（街道）", ["镇", "街道"]),
        ("县直各单位", ["部门"]),
        ("区直各单位", ["部门"]),
        ("市直各部门", ["部门"]),
        ("各科室", ["科室"]),
        ("各村", ["村"]),
    ],
)
def test_group_phrases_stand_for_unit_kinds(group, kinds):
    from gongkai_cli.importers.units_draft import group_kinds

    assert group_kinds(group) == kinds


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("濉溪镇", "镇"),
        ("城关乡", "乡"),
        ("东城街道", "街道"),
        ("城关街道办事处", "街道"),
        ("县财政局", "部门"),
        ("县卫健委", "部门"),
        ("县政府办", "部门"),
        ("县融媒体中心", "部门"),
        ("县档案馆", "部门"),
        ("县红十字会", "部门"),
        ("政策法规科", "科室"),
        ("财务股", "科室"),
        ("县开发区管委会", "园区"),
        ("濉芜产业园", "园区"),
    ],
)
def test_unit_kinds_are_guessed_from_the_name(name, kind):
    from gongkai_cli.importers.units_draft import guess_kind

    assert guess_kind(name, "县") == kind


def test_the_plans_level_comes_from_its_phrases():
    from gongkai_cli.importers.units_draft import level_of

    assert level_of(["县财政局", "县直各单位"]) == "县"
    assert level_of(["市财政局", "市直各部门"]) == "市"
    assert level_of(["区发改委", "区直有关部门", "各镇（街道）"]) == "区"
    assert level_of(["办公室", "各科室"]) == "科室"


def test_an_unknown_unit_in_a_lead_column_is_located_in_that_column(gongkai, tmp_path):
    data = write_ledger(tmp_path / "split", tasks=SPLIT.replace("lead: 县财政局", "lead: 县财务局"))
    result = gongkai("validate", "--data", data)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith(
        "split/data/tasks.yaml:8:9: error: 任务 1：责任单位中的“县财务局”不在单位名录中"
    )


def test_the_site_shows_split_columns_as_one_phrase(gongkai, tmp_path):
    data = write_ledger(tmp_path / "split", tasks=SPLIT)
    result = gongkai("site", "--data", data, "--out", tmp_path / "site")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "site" / "tasks" / "1.html").read_text(encoding="utf-8")
    shown = re.sub(r"</?span[^>]*>", "", page)  # unit names sit in no-break spans
    assert "县财政局牵头，各镇、县直各单位负责落实" in shown


def first_leads_page(tmp_path):
    plan = tmp_path / "plan.html"
    plan.write_text(
        "<html><head><meta charset='utf-8'><title>某县2022年政务公开工作要点</title></head><body>"
        "<table><tr><td>序号</td><td>工作任务</td><td>具体要求</td>"
        "<td>责任单位（排在首位的为牵头单位）</td><td>完成时限</td></tr>"
        "<tr><td>1</td><td>规划</td><td>公开规划。</td><td>县财政局、县发改委</td><td>年底前</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    return plan


def test_init_says_what_the_importer_guessed_about_the_plan(gongkai, tmp_path):
    plan = first_leads_page(tmp_path)
    result = gongkai("init", tmp_path / "ledger", "--plan", plan)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "提醒：第1个表格各列读作：第1列“序号”为序号；第2列“工作任务”为大项/小项；第3列“具体要求”为具体要求；"
        "第4列“责任单位（排在首位的为牵头单位）”为责任单位；第5列“完成时限”为时限。",
        "提醒：计划注明责任单位排在首位的为牵头单位：每项任务的第一个单位记为牵头单位（lead），"
        "其余记为落实单位（implementers）。",
        "提醒：表中没有“一、”式大项，没有大项的任务以计划标题为大项。",
    ]
    shown = json.loads(gongkai("show", "1", "-f", "json", "--data", tmp_path / "ledger").stdout)
    assert (shown["lead"], shown["implementers"]) == (["县财政局"], ["县发改委"])


def test_init_takes_the_plans_title_and_year_when_given(gongkai, tmp_path):
    plan = first_leads_page(tmp_path)
    result = gongkai(
        "init", tmp_path / "ledger", "--plan", plan, "--title", "某县2023年要点", "--year", "2023"
    )
    assert result.exit_code == 0, result.stderr
    tasks = yaml.safe_load(
        (tmp_path / "ledger" / "data" / "tasks.yaml").read_text(encoding="utf-8")
    )
    assert (tasks["title"], tasks["year"]) == ("某县2023年要点", 2023)


def test_title_and_year_are_for_plan_documents_only(gongkai, tmp_path):
    result = gongkai("init", tmp_path / "ledger", "--year", "2023")
    assert (result.exit_code, result.stderr) == (
        1,
        "错误：--title、--year 只用于从 Word、Excel、网页或 CSV 文件导入的计划。\n",
    )
    assert not (tmp_path / "ledger").exists()

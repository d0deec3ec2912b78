"""Real published plans (tests/plans/) import end to end: every task, verbatim, with its roles
and deadline; the drafted ledger validates, answers list --unit and overdue."""

from __future__ import annotations

import json

import pytest

from gongkai_cli.importers.document import import_document
from gongkai_cli.model.deadlines import parse_deadline
from tests.conftest import GIT_ENV
from tests.plans.build import build
from tests.plans.corpus import PLANS, Plan

NEEDS_LIBREOFFICE = {"pdf", "doc", "xls"}


@pytest.fixture(autouse=True)
def identity(monkeypatch):
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


def published(plan: Plan, tmp_path):
    return build(plan, tmp_path / "published")


def options(plan: Plan) -> dict:
    given = dict(zip(plan.options[::2], plan.options[1::2], strict=True))
    return {
        "title": given.get("--title"),
        "year": int(given["--year"]) if "--year" in given else None,
    }


def expected(plan: Plan, task) -> dict:
    roles = {k: task.roles.get(k) for k in ("responsibility", "lead", "implementers")}
    return {
        "number": task.number,
        "requirement": task.requirement,
        **roles,
        "deadline": task.deadline,
    }


def got(task: dict) -> dict:
    keys = ("number", "requirement", "responsibility", "lead", "implementers", "deadline")
    return {k: task.get(k) for k in keys}


@pytest.mark.parametrize("plan", PLANS, ids=[p.key for p in PLANS])
def test_every_task_imports_verbatim_with_its_roles_and_deadline(plan, tmp_path):
    imported = import_document(published(plan, tmp_path), **options(plan))
    tasks = imported.plan["tasks"]
    assert [got(t) for t in tasks] == [expected(plan, t) for t in plan.tasks]
    for mine, theirs in zip(tasks, plan.tasks, strict=True):
        if theirs.section:
            assert mine["section"] == theirs.section
        if theirs.subsection:
            assert mine["subsection"] == theirs.subsection
    assert imported.plan["year"] == plan.year
    if plan.title:
        assert imported.plan["title"] == plan.title


@pytest.mark.parametrize("plan", PLANS, ids=[p.key for p in PLANS])
def test_the_drafted_ledger_validates_and_answers_queries(plan, gongkai, tmp_path, monkeypatch):
    source = published(plan, tmp_path)
    ledger = tmp_path / "ledger"
    result = gongkai("init", ledger, "--plan", source, *plan.options)
    assert result.exit_code == 0, result.stderr
    monkeypatch.chdir(ledger)
    assert gongkai("validate").exit_code == 0

    first = plan.tasks[0]
    unit = first.roles.get("lead") or first.roles.get("responsibility") or ""
    unit = unit.replace(",", "、").replace("，", "、").split("、")[0].split("牵头")[0]
    listed = gongkai("list", "--unit", unit, "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    assert first.number in [row["number"] for row in json.loads(listed.stdout)]

    monkeypatch.setenv("GONGKAI_TODAY", f"{plan.year + 1}-01-15")
    overdue = gongkai("overdue", "--format", "json")
    assert overdue.exit_code == 0, overdue.stderr
    dated = {t.number for t in plan.tasks if parse_deadline(t.deadline, plan.year).date is not None}
    assert {row["number"] for row in json.loads(overdue.stdout)} == dated


def test_open_sets_and_empty_groups_keep_a_task_open_until_the_office_settles_them(
    gongkai, tmp_path, monkeypatch
):
    """荆州: 市政府各有关部门,各县市区人民政府、功能区管委会负责落实. The one named unit
    reporting done does not finish the task: the open set waits for its designation, the
    drafted group for its members; no group name is invented (市政府各各部门)."""
    from tests.plans.corpus import JINGZHOU

    ledger = tmp_path / "ledger"
    assert gongkai("init", ledger, "--plan", published(JINGZHOU, tmp_path)).exit_code == 0
    monkeypatch.chdir(ledger)
    units = (ledger / "data" / "units.yaml").read_text(encoding="utf-8")
    assert "各各" not in units
    assert [line for line in gongkai("validate").stdout.splitlines() if "任务 1 " in line] == [
        "data/tasks.yaml:12:19: warning: 任务 1 的“市政府各有关部门”未指定具体单位；"
        "请在该任务下用 designated: 列出。",
        "data/tasks.yaml:12:19: warning: 任务 1 的“各县市区人民政府”还没有任何成员单位；"
        "在 units.yaml 中列出其成员之前，此项不会算作办结。",
    ]
    monkeypatch.setenv("GONGKAI_TODAY", "2022-08-01")
    update = gongkai(
        "update", "1", "--unit", "功能区管委会", "--status", "已完成", "--date", "2022-07-30",
        "--no-commit",
    )  # fmt: skip
    assert update.exit_code == 0, update.stderr
    task = json.loads(gongkai("list", "--format", "json").stdout)[0]
    assert (task["done"], task["unresolved"]) == (False, ["市政府各有关部门", "各县市区人民政府"])
    shown = gongkai("show", "1").stdout
    assert (
        "- **落实单位**：各县市区人民政府（尚无成员单位，须在 units.yaml 中列出）；功能区管委会；"
        "市政府各有关部门（未指定具体单位）"
    ) in shown
    group = gongkai("list", "--unit", "各县市区人民政府").stdout
    assert "| 持续推进 | 尚无成员单位 | 须先在 units.yaml 中列出该集合的成员 |" in group


def test_a_plan_without_subsections_shows_its_section_once(gongkai, tmp_path, monkeypatch):
    from tests.plans.corpus import HUOSHAN

    ledger = tmp_path / "ledger"
    assert gongkai("init", ledger, "--plan", published(HUOSHAN, tmp_path)).exit_code == 0
    monkeypatch.chdir(ledger)
    shown = gongkai("show", "1").stdout.splitlines()
    assert [line for line in shown if line.startswith(("- **大项**", "- **小项**"))] == [
        "- **大项**：2025年开发区重点工作及责任清单"
    ]


def test_a_plan_of_named_units_only_still_says_its_registry_was_drafted(gongkai, tmp_path):
    """山东 2022: every task names one lead (牵头单位:省市场监管局) and no open set. The
    clerk is still told the registry was drafted and must be confirmed, and the next step
    names a unit of this ledger, not one of the bundled county's."""
    from tests.plans.corpus import SHANDONG_YSHJ

    ledger = tmp_path / "ledger"
    result = gongkai("init", ledger, "--plan", published(SHANDONG_YSHJ, tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "单位名录是从计划起草的：2 个单位须确认。",
        f"请核对 {ledger / 'data' / 'units.yaml'}，再运行 gongkai validate。",
        f"下一步：cd {ledger} && gongkai list --unit 省市场监管局",
    ]

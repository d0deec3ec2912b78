"""The committed tasks.yaml is the 2021 plan, every row verbatim, and import-plan makes it."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import REAL_DATA, SOURCE

pytestmark = pytest.mark.skipif(
    not SOURCE.exists(), reason="the published source is beside the repo"
)


def source_lines() -> list[str]:
    return [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines()]


def committed_tasks() -> list[dict]:
    return yaml.safe_load((REAL_DATA / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]


def test_the_plan_has_43_tasks_numbered_in_order():
    assert [t["number"] for t in committed_tasks()] == list(range(1, 44))


def test_every_field_of_every_row_matches_the_source():
    lines = source_lines()
    for task in committed_tasks():
        at = lines.index(str(task["number"]))
        assert lines[at + 1 : at + 4] == [
            task["requirement"],
            task["responsibility"],
            task["deadline"],
        ]
        before = lines[:at]
        section = next(s for s in reversed(before) if re.match(r"^[一二三四五六]、", s))
        subsection = next(s for s in reversed(before) if re.match(r"^（[一二三四五六]）", s))
        assert (task["section"], task["subsection"]) == (section, subsection), task["number"]


def test_plan_header_carries_title_and_year():
    plan = yaml.safe_load((REAL_DATA / "tasks.yaml").read_text(encoding="utf-8"))
    assert plan["title"] == "濉溪县2021年政务公开重点工作任务分工（征求意见稿）"
    assert plan["year"] == 2021


def test_repeated_section_line_at_a_page_break_is_not_a_new_section():
    sections = list(dict.fromkeys(t["section"] for t in committed_tasks()))
    assert [s[:2] for s in sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]


def test_stray_space_of_task_12_is_kept_verbatim():
    task = committed_tasks()[11]
    assert task["responsibility"].startswith("县政府办公室牵头， 县发改委")


def test_import_plan_reproduces_the_committed_file(gongkai, tmp_path):
    out = tmp_path / "tasks.yaml"
    result = gongkai("import-plan", SOURCE, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"已从 {SOURCE} 导入 43 项任务，写入 {out}。\n"
    assert out.read_text(encoding="utf-8") == (REAL_DATA / "tasks.yaml").read_text(encoding="utf-8")


def test_import_plan_refuses_to_overwrite(gongkai, tmp_path):
    out = tmp_path / "tasks.yaml"
    out.write_text("mine\n", encoding="utf-8")
    result = gongkai("import-plan", SOURCE, "--out", out)
    assert result.exit_code == 1
    assert (
        result.stderr == f"错误：{out} 已存在；为免覆盖已有内容，未写入。确需覆盖请加 --force。\n"
    )
    assert out.read_text(encoding="utf-8") == "mine\n"


def test_import_plan_names_the_line_it_cannot_read(gongkai, tmp_path):
    bad = tmp_path / "plan.txt"
    bad.write_text(
        "\t某县2022年政务公开重点工作任务分工\n\t一、公开\n\t（一）规划。\n\t1\n\t要求\n",
        encoding="utf-8",
    )
    result = gongkai("import-plan", bad, "--out", "-")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "错误：plan.txt:4：任务 1 不完整，应在其后依次有具体要求、责任单位、时限要求三行。\n"
    )


def test_import_plan_of_a_gbk_file_names_the_encoding(gongkai, tmp_path):
    bad = tmp_path / "plan.txt"
    bad.write_bytes("\t濉溪县2021年计划\n".encode("gbk"))
    result = gongkai("import-plan", bad, "--out", "-")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"错误：{bad}:1:2：文件不是 UTF-8 编码：文件看来是 GBK 编码，请用 UTF-8 编码另存。\n"
    )

"""update, log, undo: every update is recorded once, dated, committed alone, and never lost."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from tests.conftest import GIT_ENV, REAL_DATA, REPO, TWENTY_UNITS, git, snapshot


def test_update_commits_only_the_log_and_keeps_staged_work(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    (ledger / "other.txt").write_text("草稿\n", encoding="utf-8")
    git(ledger, "add", "other.txt")
    (ledger / "data" / "units.yaml").write_text(
        "# 未保存的修改\n" + (REAL_DATA / "units.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )

    result = gongkai(
        "update",
        "7",
        "--unit",
        "县财政局",
        "--status",
        "已完成",
        "--note",
        "已在专栏公开",
        "--date",
        "2021-06-20",
    )

    assert result.exit_code == 0, result.stderr
    sha = git(ledger, "rev-parse", "HEAD").strip()
    assert (
        result.stdout
        == f"已记录：任务 7 县财政局 → 已完成（2021-06-20）。\n已提交 git：{sha[:7]}\n"
    )
    assert git(ledger, "rev-list", "--count", "HEAD").strip() == "2"
    assert git(ledger, "show", "--name-only", "--format=", "HEAD").split() == ["data/progress.yaml"]
    assert git(ledger, "log", "-1", "--format=%B") == (
        "进展: 任务7 县财政局 → 已完成\n\n已在专栏公开\n\n"
        "Task: 7\nUnit: 县财政局\nStatus: 已完成\nDate: 2021-06-20\nBy: 测试员\n\n"
    )
    assert git(ledger, "status", "--porcelain") == " M data/units.yaml\nA  other.txt\n"
    last = (ledger / "data" / "progress.yaml").read_text(encoding="utf-8").splitlines()[-1]
    assert re.fullmatch(
        r"- \{id: [a-z][0-9a-z]{9}, date: 2021-06-20, task: 7, unit: 县财政局, status: 已完成, "
        r"note: 已在专栏公开, by: 测试员\}",
        last,
    )


def overdue(gongkai, as_of: str) -> list[int]:
    return [
        i["number"] for i in json.loads(gongkai("overdue", "--as-of", as_of, "-f", "json").stdout)
    ]


def test_task_40_done_on_time_leaves_the_overdue_list(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    gongkai(
        "update",
        "40",
        "-u",
        "县政府办公室",
        "-u",
        "各镇",
        "-u",
        "县直各单位",
        "-s",
        "done",
        "--date",
        "2021-06-20",
    )
    assert overdue(gongkai, "2021-10-31") == [32]


def test_task_40_done_late_shows_as_completed_late(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = gongkai(
        "update",
        "40",
        "-u",
        "县政府办公室",
        "-u",
        "各镇",
        "-u",
        "县直各单位",
        "-s",
        "已完成",
        "--date",
        "2021-11-15",
    )
    assert "（49个单位） → 已完成（2021-11-15）。" in result.stdout
    assert overdue(gongkai, "2021-10-31") == [32, 40]
    assert overdue(gongkai, "2021-11-20") == [26, 27, 28, 29, 32]
    show = json.loads(gongkai("show", "40", "--as-of", "2021-11-20", "-f", "json").stdout)
    assert show["done"] is True
    assert show["status"]["濉溪镇"] == {
        "role": "implementer",
        "status": "已完成",
        "date": "2021-11-15",
        "note": None,
        "light": "逾期完成",
    }


def test_status_is_as_of_the_date_asked(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    gongkai("update", "7", "-u", "县财政局", "-s", "进行中", "--date", "2021-03-01", "-n", "起草中")
    gongkai("update", "7", "-u", "县财政局", "-s", "已完成", "--date", "2021-05-01")

    def status(as_of):
        return json.loads(gongkai("show", "7", "--as-of", as_of, "-f", "json").stdout)["status"][
            "县财政局"
        ]["status"]

    assert [status(d) for d in ("2021-02-28", "2021-03-01", "2021-04-30", "2021-05-01")] == [
        "未开始",
        "进行中",
        "进行中",
        "已完成",
    ]
    rows = json.loads(
        gongkai(
            "list", "-u", "县财政局", "--status", "进行中", "--as-of", "2021-04-01", "-f", "json"
        ).stdout
    )
    assert [r["number"] for r in rows] == [7]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["99", "-u", "县财政局", "-s", "已完成"], "错误：计划中没有任务 99；任务编号为 1–43。\n"),
        (
            ["7", "-u", "县财政厅", "-s", "已完成"],
            "错误：单位名录中没有“县财政厅”，是否是指“县财政局”？\n",
        ),
        (
            ["2", "-u", "县财政局", "-s", "已完成"],
            "错误：县财政局 不是任务 2 的责任单位（责任单位：县政府办公室负责落实）；未写入。\n",
        ),
        (
            ["7", "-u", "县财政局", "-s", "完成"],
            "错误：状态“完成”无效；请填写 未开始、进行中、进展缓慢、已完成、不涉及 之一（或 todo、doing、lagging、done、n/a）。是否是指“已完成”？\n",
        ),
        (
            ["7", "-u", "县财政局", "-s", "逾期"],
            "错误：“逾期”由日期推算得出，不能手工填写；请填写 未开始、进行中、进展缓慢、已完成、不涉及 之一。\n",
        ),
        (
            ["7", "-u", "县财政局", "-s", "done", "--date", "2021-02-30"],
            "错误：--date“2021-02-30”不是有效日期；请写成 2021-10-31、2021/10/31、2021.10.31、2021年10月31日、10月31日、10-31、10.31、今天 或 昨天。\n",
        ),
        (
            ["7", "-u", "县财政局", "-s", "done", "--date", "2999-01-01"],
            "错误：--date 2999-01-01 晚于今天，进展只能记录已发生的情况；未写入。\n",
        ),
        (
            ["7", "-u", "县财政局", "-s", "done", "--by", "名" * 101],
            "错误：填报人过长（101 字），请控制在 100 字以内；未写入。\n",
        ),
        (
            ["7", "-u", "县财政局", "-s", "done", "-n", "长" * 2001],
            "错误：说明过长（2001 字），请控制在 2000 字以内；未写入。\n",
        ),
        (
            [
                "7",
                "-u",
                "县财政局",
                "-s",
                "done",
                "--evidence",
                "https://example.org/" + "a" * 1981,
            ],
            "错误：佐证链接过长（2001 字），请控制在 2000 字以内；未写入。\n",
        ),
        (
            ["7", "-u", "县财政局", "-s", "done", "--git-name", "名" * 101],
            "错误：填报人（git 的 user.name）过长（101 字），请控制在 100 字以内；未写入。\n",
        ),
    ],
)
def test_bad_update_writes_and_commits_nothing(gongkai, ledger, monkeypatch, args, message):
    monkeypatch.chdir(ledger)
    if "--git-name" in args:  # who git says the clerk is, when --by does not say
        at = args.index("--git-name")
        git(ledger, "config", "user.name", args[at + 1])
        args = args[:at]
    before = snapshot(ledger)
    result = gongkai("update", *args)
    assert (result.exit_code, result.stderr, result.stdout) == (1, message, "")
    assert snapshot(ledger) == before


def test_a_rejecting_hook_leaves_the_data_unchanged(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    hook = ledger / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'rejected by policy' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = snapshot(ledger)
    result = gongkai("update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20")
    assert result.exit_code == 4  # git failed (ExitStatus.GIT_FAILED)
    assert (
        result.stderr == "错误：git commit 失败：rejected by policy；进展记录已恢复原样，未写入。\n"
    )
    assert snapshot(ledger) == before


def test_a_held_index_lock_gives_a_clear_message(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    (ledger / ".git" / "index.lock").write_text("")
    before = snapshot(ledger)
    result = gongkai("update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20")
    assert result.exit_code == 4  # git failed (ExitStatus.GIT_FAILED)
    assert result.stderr.startswith("错误：git commit 失败：fatal: Unable to create ")
    assert result.stderr.endswith("index.lock': File exists.；进展记录已恢复原样，未写入。\n")
    assert snapshot(ledger) == before


def test_outside_git_the_update_is_recorded_and_says_so(gongkai, tmp_path, monkeypatch):
    data = tmp_path / "plain" / "data"
    shutil.copytree(REAL_DATA, data)
    monkeypatch.chdir(data.parent)
    result = gongkai(
        "update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20", "--by", "李四"
    )
    assert result.stdout.endswith("未提交 git：数据目录不在 git 仓库中。\n")
    assert "by: 李四}" in (data / "progress.yaml").read_text(encoding="utf-8")


def test_no_commit_records_without_committing(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    head = git(ledger, "rev-parse", "HEAD")
    result = gongkai(
        "update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20", "--no-commit"
    )
    assert result.stdout.endswith("未提交 git：已按要求不提交（--no-commit）。\n")
    assert git(ledger, "rev-parse", "HEAD") == head
    assert git(ledger, "status", "--porcelain") == " M data/progress.yaml\n"


def test_the_bundled_plan_is_read_only(gongkai):
    result = gongkai("update", "7", "-u", "县财政局", "-s", "done")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "错误：当前没有可写的台账，只有随程序附带的计划（只读）；请先运行 gongkai init 目录"
    )


def test_log_lists_updates_newest_first_with_commits(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    gongkai("update", "7", "-u", "县财政局", "-s", "doing", "--date", "2021-03-01")
    gongkai("update", "8", "-u", "县财政局", "-s", "done", "--date", "2021-02-01")
    gongkai("update", "7", "-u", "濉溪镇", "-s", "done", "--date", "2021-04-01")
    shas = git(ledger, "log", "--format=%H", "-3").split()
    entries = json.loads(gongkai("log", "--unit", "县财政局", "-f", "json").stdout)
    assert [(e["date"], e["task"], e["status"], e["commit"]) for e in entries] == [
        ("2021-03-01", 7, "进行中", shas[2]),
        ("2021-02-01", 8, "已完成", shas[1]),
    ]
    assert [
        e["unit"]
        for e in json.loads(gongkai("log", "7", "--since", "2021-03-15", "-f", "json").stdout)
    ] == ["濉溪镇"]


def test_undo_appends_a_retraction_and_leaves_other_work_alone(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-01")
    log = ledger / "data" / "progress.yaml"
    gongkai("update", "7", "-u", "县财政局", "-s", "done", "--date", "2021-06-20")
    before = log.read_text(encoding="utf-8")
    uid = re.search(r"\{id: (\w+),", before.splitlines()[-1]).group(1)
    recorded = git(ledger, "rev-parse", "HEAD").strip()
    (ledger / "other.txt").write_text("x")
    git(ledger, "add", "other.txt")
    result = gongkai("undo")
    assert result.exit_code == 0, result.stderr
    sha = git(ledger, "rev-parse", "HEAD").strip()
    assert result.stdout == (
        f"已撤销 1 条进展（编号 {uid}）：进展: 任务7 县财政局 → 已完成。\n已提交 git：{sha[:7]}\n"
    )
    after = log.read_text(encoding="utf-8")
    assert after.startswith(before)  # nothing deleted
    assert re.fullmatch(
        rf"- \{{id: [a-z][0-9a-z]{{9}}, date: 2027-01-01, retracts: {uid}, by: 测试员\}}\n",
        after[len(before) :],
    )
    assert git(ledger, "log", "-1", "--format=%B") == (
        f"撤销: 进展: 任务7 县财政局 → 已完成\n\nRetracts: {uid}\nReverts: {recorded}\n\n"
    )
    assert git(ledger, "show", "--name-only", "--format=", "HEAD").split() == ["data/progress.yaml"]
    assert git(ledger, "status", "--porcelain") == "A  other.txt\n"
    shown = json.loads(gongkai("show", "7", "--as-of", "2021-07-01", "-f", "json").stdout)
    assert shown["status"]["县财政局"]["status"] == "未开始"
    again = gongkai("undo")
    assert (again.exit_code, again.stderr) == (1, "错误：没有可撤销的进展记录。\n")


def test_twenty_parallel_updates_all_land(ledger):
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(REPO)}

    def one(unit: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "gongkai_cli",
                "update",
                "7",
                "-u",
                unit,
                "-s",
                "done",
                "--date",
                "2021-06-20",
            ],
            cwd=ledger,
            env=env,
            capture_output=True,
            text=True,
        )

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, TWENTY_UNITS))
    assert [r.returncode for r in results] == [0] * 20, [r.stderr for r in results if r.returncode]
    entries = yaml.safe_load((ledger / "data" / "progress.yaml").read_text(encoding="utf-8"))
    assert sorted(e["unit"] for e in entries) == sorted(TWENTY_UNITS)
    assert git(ledger, "rev-list", "--count", "HEAD").strip() == "21"
    assert git(ledger, "status", "--porcelain") == ""


def test_a_unit_inside_an_undesignated_group_may_report_and_is_told(gongkai, ledger, monkeypatch):
    monkeypatch.chdir(ledger)
    result = gongkai("update", "25", "-u", "县财政局", "-s", "进行中", "--date", "2021-07-01")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == (
        "注意：县财政局 是通过尚未指定的“有关部门/相关单位”报送的，已接受；请在 tasks.yaml 中为该任务补充 designated:。"
    )
    show = json.loads(gongkai("show", "25", "--as-of", "2021-07-02", "-f", "json").stdout)
    assert show["status"]["县财政局"]["status"] == "进行中"
    assert show["unresolved"] == ["县政府有关部门"]  # the group stays outstanding until designated
    outside = gongkai("update", "25", "-u", "濉溪镇", "-s", "进行中", "--date", "2021-07-01")
    assert outside.exit_code == 1  # a town is not a county government department

"""collect of a whole round in one call: one lock, one ledger load and one look at git's
history, then a commit per form. The ledger in memory follows the forms as they are entered,
so a round gives the same log and the same commits as the forms collected one call each."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import (
    GIT_ENV,
    REPO,
    git,
    init_repo,
    runs_on,
    saved_while_loading,
    write_ledger,
)

ROUND = "2021-10-31"
FINANCE, TOWN, OFFICE = (f"{u}-进展填报-{ROUND}.xlsx" for u in ("县财政局", "甲镇", "县政府办公室"))
_today = runs_on(dt.date(2021, 11, 20))


def fill(path: Path, cells: dict[str, object], save_as: Path | None = None) -> None:
    workbook = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        workbook["填报"][ref] = value
    workbook.save(save_as or path)


@pytest.fixture
def forms(tmp_path, monkeypatch) -> Path:
    """Three units' forms of the round on the small plan, two filled in, and a corrected
    copy of one; update ids counted from 1, so that logs can be compared."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2021-11-20T10:00:00+08:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2021-11-20T10:00:00+08:00")
    made = tmp_path / "made"
    write_ledger(made)
    subprocess.run(
        [
            *(sys.executable, "-m", "gongkai_cli", "forms", "--as-of", ROUND),
            *("--unit", "县财政局", "--unit", "甲镇", "--unit", "县政府办公室"),
            *("--out", str(tmp_path / "forms")),
        ],
        cwd=made,
        env={**os.environ, "PYTHONPATH": str(REPO), "GONGKAI_NO_CACHE": "1"},
        check=True,
        capture_output=True,
    )
    folder = tmp_path / "forms"
    fill(folder / FINANCE, {"G7": "进行中", "H7": "预算已公开", "B3": "张三"})
    fill(folder / OFFICE, {"G8": "已完成", "I8": "2021-10-20"})
    fill(folder / OFFICE, {"G9": "进行中", "H9": "已培训两次"}, folder / "更正.xlsx")
    return folder


def ledger(root: Path, monkeypatch) -> Path:
    write_ledger(root)
    init_repo(root)
    monkeypatch.chdir(root)
    ids = (f"t{n:09d}" for n in itertools.count(1))
    monkeypatch.setattr("gongkai_cli.forms.collect.new_id", lambda taken=(): next(ids))
    return root


# The forms in the order given: a form with news, one without, another with news, a
# corrected copy of it (what its first copy recorded is no news now), the first once more.
ORDER = (FINANCE, TOWN, OFFICE, "更正.xlsx", FINANCE)


def test_a_round_records_each_form_once_and_sees_what_the_forms_before_it_recorded(
    gongkai, forms, tmp_path, monkeypatch
):
    repo = ledger(tmp_path / "ledger", monkeypatch)
    result = gongkai("collect", *(forms / name for name in ORDER), "--date", "2021-11-05")

    assert result.exit_code == 0, result.stderr
    commits = git(repo, "log", "--format=%H", "-4").split()[::-1]
    short = [c[:7] for c in commits]
    assert result.stdout == (
        f"{FINANCE}：县财政局，截至 2021-10-31；记录 1 条，未变 0 条。\n"
        "  任务 1 → 进行中（2021-11-05）：预算已公开\n"
        f"  已提交 git：{short[0]}\n"
        f"{TOWN}：甲镇，截至 2021-10-31；记录 0 条，未变 1 条。\n"
        f"  已提交 git：{short[1]}\n"
        f"{OFFICE}：县政府办公室，截至 2021-10-31；记录 1 条，未变 2 条。\n"
        "  任务 2 → 已完成（2021-10-20）\n"
        f"  已提交 git：{short[2]}\n"
        "更正.xlsx：县政府办公室，截至 2021-10-31；记录 1 条，未变 2 条。\n"
        "  任务 3 → 进行中（2021-11-05）：已培训两次\n"
        f"  已提交 git：{short[3]}\n"
        f"{FINANCE}：县财政局，截至 2021-10-31；记录 0 条，未变 0 条，此前已记录 1 条。\n"
        f"  这份表格已在提交 {short[0]} 中收取过，没有新内容。\n"
        "共 5 份：收取 5 份，拒收 0 份。\n"
    )
    lines = [
        "- {id: t000000001, date: 2021-11-05, task: 1, unit: 县财政局, status: 进行中, "
        "note: 预算已公开, by: 张三}\n",
        "- {id: t000000002, date: 2021-10-20, task: 2, unit: 县政府办公室, status: 已完成}\n",
        "- {id: t000000003, date: 2021-11-05, task: 3, unit: 县政府办公室, status: 进行中, "
        "note: 已培训两次}\n",
    ]
    # Each commit holds the log as it stood after its form, and changes nothing else.
    for commit, log in zip(commits, ("".join(lines[:n]) for n in (1, 1, 2, 3)), strict=True):
        assert git(repo, "show", f"{commit}:data/progress.yaml") == log
        assert git(repo, "diff-tree", "--name-only", "-r", commit).split()[1:] == (
            ["data/progress.yaml"] if commit != commits[1] else []
        )
    assert (repo / "data" / "progress.yaml").read_text(encoding="utf-8") == "".join(lines)
    assert git(repo, "status", "--porcelain") == ""
    digest = {name: _sha256(forms / name) for name in ORDER}
    assert git(repo, "log", "--format=%B", "-4") == (
        "进展: 县政府办公室 填报表（2021-10-31）记录 1 条\n\n任务 3 → 进行中（2021-11-05）\n\n"
        f"Form: 更正.xlsx\nForm-SHA256: {digest['更正.xlsx']}\nRound: 2021-10-31\n"
        "Unit: 县政府办公室\nTask: 3\nDate: 2021-11-05\n\n"
        "进展: 县政府办公室 填报表（2021-10-31）记录 1 条\n\n任务 2 → 已完成（2021-10-20）\n\n"
        f"Form: {OFFICE}\nForm-SHA256: {digest[OFFICE]}\nRound: 2021-10-31\n"
        "Unit: 县政府办公室\nTask: 2\nDate: 2021-11-05\n\n"
        "回收: 甲镇 填报表（2021-10-31）无新进展\n\n"
        f"Form: {TOWN}\nForm-SHA256: {digest[TOWN]}\nRound: 2021-10-31\n"
        "Unit: 甲镇\nDate: 2021-11-05\n\n"
        "进展: 县财政局 填报表（2021-10-31）记录 1 条\n\n任务 1 → 进行中（2021-11-05）\n\n"
        f"Form: {FINANCE}\nForm-SHA256: {digest[FINANCE]}\nRound: 2021-10-31\n"
        "Unit: 县财政局\nTask: 1\nDate: 2021-11-05\nBy: 张三\n\n"
    )

    # The cache, extended once for the round, answers as a fresh read of the log does.
    cached = gongkai("show", "1", "--format", "json").stdout
    monkeypatch.setenv("GONGKAI_NO_CACHE", "1")
    assert gongkai("show", "1", "--format", "json").stdout == cached
    monkeypatch.delenv("GONGKAI_NO_CACHE")

    # The same forms collected one call each: the same log, messages and trees.
    apart = ledger(tmp_path / "apart", monkeypatch)
    for name in ORDER:
        each = gongkai("collect", forms / name, "--date", "2021-11-05")
        assert each.exit_code == 0, each.stderr
    assert (apart / "data" / "progress.yaml").read_bytes() == (
        repo / "data" / "progress.yaml"
    ).read_bytes()
    shape = ("log", "--format=%B%n%T")
    assert git(apart, *shape) == git(repo, *shape)


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def git_processes(trace: Path) -> list[list[str]]:
    """The argv of every git process a GIT_TRACE2_EVENT file saw start."""
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    return [e["argv"][1:] for e in events if e["event"] == "start"]


def test_a_form_costs_its_commit_and_the_check_of_it_whatever_the_round_holds(
    gongkai, forms, tmp_path, monkeypatch
):
    """The git processes of a round: a few for the round, then for a form with news
    write-tree, commit and diff-tree (the check of the commit), for one without commit and
    diff-tree; git's automatic maintenance once, at the end."""
    ledger(tmp_path / "ledger", monkeypatch)
    trace = tmp_path / "trace.json"
    monkeypatch.setenv("GIT_TRACE2_EVENT", str(trace))
    result = gongkai(
        "collect", *(forms / n for n in (FINANCE, TOWN, OFFICE)), "--date", "2021-11-05"
    )
    assert result.exit_code == 0, result.stderr
    assert [argv[0] for argv in git_processes(trace)] == [
        *("rev-parse", "rev-parse", "symbolic-ref"),  # the round's checks: the repository,
        *("ls-files", "diff-index"),  # the log as staged, and what differs from HEAD
        "log",  # the earlier collections
        "config",  # the log's line ending, while it has no line (the small plan's)
        "rev-parse",  # HEAD, for the journal
        *("write-tree", "commit", "diff-tree"),  # the first form, with news
        *("commit", "diff-tree"),  # a form without news
        *("write-tree", "commit", "diff-tree"),  # another with news
        *("config", "maintenance"),  # git's automatic maintenance, once
    ]


def test_maintenance_left_off_by_the_user_stays_off(gongkai, forms, tmp_path, monkeypatch):
    repo = ledger(tmp_path / "ledger", monkeypatch)
    git(repo, "config", "maintenance.auto", "false")
    trace = tmp_path / "trace.json"
    monkeypatch.setenv("GIT_TRACE2_EVENT", str(trace))
    result = gongkai("collect", forms / FINANCE, forms / TOWN, "--date", "2021-11-05")
    assert result.exit_code == 0, result.stderr
    assert not [argv for argv in git_processes(trace) if argv[0] == "maintenance"]


def test_a_round_killed_between_forms_is_settled_by_the_next_collect(
    gongkai, forms, tmp_path, monkeypatch
):
    """Killed inside its third form's commit (a hook kills it): the two forms before are
    committed, the third's lines are on disk uncommitted, the journal says so. The next
    collect takes those lines back and enters the rest: the log and commits are those of an
    uninterrupted round."""
    repo = ledger(tmp_path / "ledger", monkeypatch)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        "#!/bin/sh\necho x >> .git/hook-count\n"
        '[ "$(wc -l < .git/hook-count)" -eq 3 ] || exit 0\n'
        "kill -9 $(awk '{print $4}' /proc/$PPID/stat)\nexit 1\n"
    )
    hook.chmod(0o755)
    order = [str(forms / name) for name in ORDER[:4]]
    killed = subprocess.Popen(
        [sys.executable, "-m", "gongkai_cli", "collect", *order, "--date", "2021-11-05"],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert killed.wait() == -signal.SIGKILL
    _wait_for_group(killed.pid)
    assert (repo / ".git" / "gongkai-journal").exists()
    assert git(repo, "status", "--porcelain") == " M data/progress.yaml\n"
    assert len(git(repo, "log", "--format=%H").split()) == 3  # init and two forms
    hook.unlink()

    again = gongkai("collect", *order, "--date", "2021-11-05")

    assert again.exit_code == 0, again.stderr
    assert not (repo / ".git" / "gongkai-journal").exists()
    assert git(repo, "status", "--porcelain") == ""
    apart = ledger(tmp_path / "apart", monkeypatch)
    assert gongkai("collect", *order, "--date", "2021-11-05").exit_code == 0
    uncounted = [line.split(", ", 1)[1] for line in _log(apart)]  # ids were drawn again
    assert [line.split(", ", 1)[1] for line in _log(repo)] == uncounted
    subjects = ("log", "--format=%s%n%(trailers:key=Form)")
    assert git(repo, *subjects) == git(apart, *subjects)


def _log(repo: Path) -> list[str]:
    return (repo / "data" / "progress.yaml").read_text(encoding="utf-8").splitlines()


def _wait_for_group(group: int) -> None:
    """The killed process's git may still be finishing (its hook failed): wait for it."""
    for _ in range(500):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


def test_a_hand_edit_before_the_first_form_is_entered_is_kept_and_the_round_refused(
    gongkai, forms, tmp_path, monkeypatch
):
    """The round reads the log when it takes the lock (to tell it is committed), then loads
    the ledger (seconds on a long log), then appends. A log saved by an editor in between is
    neither written over with the bytes read before it nor appended to unread: the round
    stops before its first form, and the log is what the editor saved."""
    import gongkai_cli.forms.collect as collect

    repo = ledger(tmp_path / "ledger", monkeypatch)
    log = repo / "data" / "progress.yaml"
    saved = log.read_bytes() + "# 手工补记\n".encode()
    saved_while_loading(monkeypatch, collect, log, saved)
    head = git(repo, "rev-parse", "HEAD")
    result = gongkai("collect", forms / FINANCE, "--date", "2021-11-05")
    assert result.exit_code == 1
    assert "在读取之后被改动" in result.stderr
    assert log.read_bytes() == saved
    assert git(repo, "rev-parse", "HEAD") == head


def test_a_commit_made_elsewhere_between_two_forms_stays_on_the_branch(
    gongkai, forms, tmp_path, monkeypatch
):
    """Another clerk (or a `git pull` touching no data file) commits while a round is
    entered. The next form is committed on top of that commit, as it was when each form
    looked at HEAD afresh; the round never takes the branch back past it."""
    import gongkai_cli.forms.collect as collect

    repo = ledger(tmp_path / "ledger", monkeypatch)
    real_enter = collect.Intake.enter
    entered = []

    def another_commit_first(intake, *args, **kwargs):
        if entered:  # between the first form and the second
            (repo / "通知.txt").write_text("另一位同事提交的文件\n", encoding="utf-8")
            git(repo, "add", "通知.txt")
            git(repo, "commit", "-qm", "另一位同事的提交")
        entered.append(True)
        return real_enter(intake, *args, **kwargs)

    monkeypatch.setattr(collect.Intake, "enter", another_commit_first)
    result = gongkai("collect", forms / FINANCE, forms / OFFICE, "--date", "2021-11-05")
    assert result.exit_code == 0, result.stderr
    subjects = git(repo, "log", "--format=%s", "-3").splitlines()
    assert subjects == [
        "进展: 县政府办公室 填报表（2021-10-31）记录 1 条",
        "另一位同事的提交",
        "进展: 县财政局 填报表（2021-10-31）记录 1 条",
    ]
    assert git(repo, "status", "--porcelain") == ""

"""The repository is untrusted input: what a clone commits (links, manifests, special files)
never makes gongkai write, delete or serve outside the ledger's own output folders."""

from __future__ import annotations

import functools
import hashlib
import http.client
import http.server
import os
import threading
from pathlib import Path

import pytest

from tests.conftest import write_ledger

AS_OF = ("--as-of", "2021-07-01")


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep", encoding="utf-8")
    return victim


def test_a_committed_site_units_link_and_manifest_line_write_and_delete_nothing_outside(
    gongkai, tmp_path
):
    data = write_ledger(tmp_path / "mini")
    victim = _victim(tmp_path)
    site = tmp_path / "mini" / "site"
    site.mkdir()
    (site / "units").symlink_to(victim)
    digest = hashlib.sha256(b"keep").hexdigest()
    (site / ".gongkai-site").write_text(f"units/keep.txt\n{digest}  units/keep.txt\n")
    result = gongkai("site", "--data", data, *AS_OF)
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误：{site / 'units'} 是符号链接（可能随仓库提交而来）；"
        "gongkai 不通过链接写入或删除文件，未写入。\n"
    )
    assert os.listdir(victim) == ["keep.txt"]
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "keep"


def test_a_committed_site_link_is_not_followed(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    victim = tmp_path / "victim"
    victim.mkdir()
    (tmp_path / "mini" / "site").symlink_to(victim)
    result = gongkai("site", "--data", data, *AS_OF)
    assert result.exit_code == 1
    assert "site 是符号链接（可能随仓库提交而来）" in result.stderr
    assert os.listdir(victim) == []


def test_a_manifest_removes_only_pages_that_still_hold_what_gongkai_wrote(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    site = tmp_path / "site"
    assert gongkai("site", "--data", data, *AS_OF, "--out", site).exit_code == 0
    manifest = (site / ".gongkai-site").read_text(encoding="utf-8").splitlines()
    index = hashlib.sha256((site / "index.html").read_bytes()).hexdigest()
    assert f"{index}  index.html" in manifest
    # A file the clerk put into the site, listed by a forged line with a wrong digest, stays.
    (site / "mine.html").write_text("mine", encoding="utf-8")
    (site / "archive.html").write_text("old page", encoding="utf-8")
    old = hashlib.sha256(b"old page").hexdigest()
    with (site / ".gongkai-site").open("a", encoding="utf-8") as out:
        out.write(f"{'0' * 64}  mine.html\n{old}  archive.html\n")
    assert gongkai("site", "--data", data, *AS_OF, "--out", site).exit_code == 0
    assert (site / "mine.html").read_text(encoding="utf-8") == "mine"
    assert not (site / "archive.html").exists()


def test_a_committed_reports_link_redirects_no_report(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    victim = _victim(tmp_path)
    (tmp_path / "mini" / "reports").symlink_to(victim)
    result = gongkai("report", "progress", "--data", data, *AS_OF, "--format", "md")
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误：{tmp_path / 'mini' / 'reports'} 是符号链接（可能随仓库提交而来）；"
        "gongkai 不通过链接写入或删除文件，未写入。\n"
    )
    assert os.listdir(victim) == ["keep.txt"]
    result = gongkai("forms", "--data", data, *AS_OF, "--unit", "甲镇")
    assert result.exit_code == 1 and "是符号链接" in result.stderr
    assert os.listdir(victim) == ["keep.txt"]


@pytest.mark.parametrize(
    "command",
    [
        ("report", "progress", "--format", "md", "--out"),
        ("site", "--out"),
        ("forms", "--unit", "甲镇", "--out"),
    ],
)
def test_nothing_is_ever_written_under_git(gongkai, tmp_path, command):
    data = write_ledger(tmp_path / "mini")
    git_dir = tmp_path / "mini" / ".git"
    git_dir.mkdir()
    (git_dir / "config").write_text("[core]\n", encoding="utf-8")
    target = git_dir / "config" if command[0] == "report" else git_dir / "hooks"
    result = gongkai(*command[:-1], "--data", data, *AS_OF, command[-1], target)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"错误：{target}") and "在 git 仓库目录（.git）中" in (
        result.stderr
    )
    assert (git_dir / "config").read_text(encoding="utf-8") == "[core]\n"
    assert not (git_dir / "hooks").exists()


def test_a_report_is_never_written_over_a_data_file(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    before = (data / "units.yaml").read_bytes()
    result = gongkai(
        "report", "progress", "--data", data, "--format", "md", "-o", data / "units.yaml"
    )
    assert result.exit_code == 1
    assert result.stderr == f"错误：{data / 'units.yaml'} 是台账的数据文件，报表不能写到这里。\n"
    assert (data / "units.yaml").read_bytes() == before


@pytest.mark.parametrize("name", ["units.yaml", "progress.yaml"])
def test_import_plan_never_writes_over_the_registry_or_the_log(gongkai, tmp_path, name):
    from tests.conftest import SOURCE

    data = write_ledger(
        tmp_path / "mini",
        progress="- {date: 2021-03-01, task: 1, unit: 甲镇, status: 进行中}\n",
    )
    before = (data / name).read_bytes()
    for force in ((), ("--force",)):
        result = gongkai("import-plan", SOURCE, "--out", data / name, *force)
        assert result.exit_code == 1
        assert result.stderr.endswith(
            f"错误：{data / name} 是单位名录或进展记录，不是任务文件；导入的计划不会写到这里，未写入。\n"
        )
        assert (data / name).read_bytes() == before
    (data / "plan.yaml").symlink_to(data / name)  # another name for the same file
    result = gongkai("import-plan", SOURCE, "--out", data / "plan.yaml", "--force")
    assert result.exit_code == 1 and "是单位名录或进展记录" in result.stderr
    assert (data / name).read_bytes() == before


def test_import_plan_never_writes_under_git(gongkai, tmp_path):
    from tests.conftest import SOURCE

    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    result = gongkai("import-plan", SOURCE, "--out", ".git/config", "--force")
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "错误：.git/config 在 git 仓库目录（.git）中，不能作为输出；未写入。\n"
    )
    assert (tmp_path / ".git" / "config").read_text(encoding="utf-8") == "[core]\n"


@pytest.fixture
def served(tmp_path):
    """The live site's request handler on a loopback port, over a folder with a link out."""
    from gongkai_cli.cli.serve import _Handler

    root = tmp_path / "site"
    (root / "tasks").mkdir(parents=True)
    (root / "index.html").write_text("总览", encoding="utf-8")
    (root / "tasks" / "1.html").write_text("任务1", encoding="utf-8")
    (root / "tasks" / "etc").symlink_to("/etc")
    (root / "secret.html").symlink_to(_victim(tmp_path) / "keep.txt")
    handler = functools.partial(_Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {"Host": host} if host is not None else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def test_serve_gives_regular_files_under_its_root_and_nothing_else(served):
    assert _get(served, "/tasks/1.html") == (200, "任务1".encode())
    assert _get(served, "/")[0] == 200 and _get(served, "/")[1] == "总览".encode()
    assert _get(served, "/tasks/etc/passwd")[0] == 404
    assert _get(served, "/secret.html")[0] == 404
    assert _get(served, "/tasks/")[0] == 404  # no listing of a folder without index.html
    assert _get(served, "/../../etc/passwd")[0] == 404


def test_serve_answers_only_requests_that_name_this_machine(served):
    assert _get(served, "/tasks/1.html", f"localhost:{served}")[0] == 200
    assert _get(served, "/tasks/1.html", f"127.0.0.1:{served}")[0] == 200
    assert _get(served, "/tasks/1.html", f"attacker.example:{served}")[0] == 403
    assert _get(served, "/tasks/1.html", "attacker.example")[0] == 403


def test_a_kill_in_one_worktree_never_settles_against_another(gongkai, ledger, tmp_path):
    """Worktree A's writer was killed after appending a torn line; worktree B holds a
    deliberate --no-commit record. B's next run leaves A's journal to A; A's run settles it."""
    import hashlib as sha
    import json

    from gongkai_cli.record.append import JOURNAL_NAME
    from tests.conftest import git

    other = tmp_path / "other"
    git(ledger, "worktree", "add", "-q", str(other), "-b", "other")
    b_log, a_log = other / "data" / "progress.yaml", ledger / "data" / "progress.yaml"
    args = ("-u", "县财政局", "-s", "doing", "--no-commit", "--date", "2021-05-01")
    assert gongkai("update", "7", *args, "--data", other / "data").exit_code == 0
    kept = b_log.read_bytes()
    old = a_log.read_bytes()
    head = git(ledger, "rev-parse", "HEAD").strip()
    entry = {"size": len(old), "sha256": sha.sha256(old).hexdigest(), "head": head}
    (ledger / ".git" / JOURNAL_NAME).write_text(json.dumps(entry), encoding="utf-8")
    a_log.write_bytes(old + b"- {id: torn, date: 2021-")  # the killed writer's half line

    assert gongkai("update", "8", *args, "--data", other / "data").exit_code == 0

    assert b_log.read_bytes().startswith(kept)  # B's deliberate record stays
    result = gongkai("update", "9", *args, "--data", ledger / "data")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("提示：上一次记录在提交前被中断，它写入但未提交的 1 行已撤回。")
    text = a_log.read_bytes()
    assert text.startswith(old) and b"torn" not in text and text[len(old) :].count(b"\n") == 1


BOMB = 'lol: &a ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]\n' + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize("name", ["tasks.yaml", "units.yaml", "progress.yaml"])
def test_a_yaml_alias_bomb_is_refused_at_once_in_every_data_file(gongkai, tmp_path, name):
    data = write_ledger(tmp_path)
    text = (data / name).read_text(encoding="utf-8")
    if name == "progress.yaml":
        bomb = "- " + BOMB.replace("\n", "\n  ", BOMB.count("\n") - 1)
    else:
        bomb = BOMB
    (data / name).write_text(text + bomb, encoding="utf-8")
    line = text.count("\n") + 1
    result = gongkai("validate", "--data", data)  # nine short lines: 9**9 values unrolled
    assert result.exit_code == 1
    assert (
        f"data/{name}:{line}:{8 if name == 'progress.yaml' else 6}: error: 数据文件中不能使用 YAML 锚点和别名"
        in result.stdout
    )
    assert gongkai("list", "--data", data).exit_code == 1


@pytest.mark.parametrize(
    "command",
    [
        ["collect", "{fifo}", "--data", "{data}"],
        ["import-plan", "{fifo}", "--out", "-"],
        ["init", "{target}", "--plan", "{fifo}"],
    ],
    ids=lambda c: c[0],
)
def test_a_named_pipe_as_an_input_is_refused_without_waiting(tmp_path, command):
    import subprocess
    import sys

    from tests.conftest import GIT_ENV, REPO

    data = write_ledger(tmp_path / "mini")
    fifo = tmp_path / "回收.xlsx"
    os.mkfifo(fifo)
    args = [a.format(fifo=fifo, data=data, target=tmp_path / "new") for a in command]
    result = subprocess.run(
        [sys.executable, "-m", "gongkai_cli", *args],
        env={**os.environ, **GIT_ENV, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=30,  # before the change, this waited for a writer forever
        cwd=tmp_path,
    )
    assert result.returncode == 1
    shown = fifo.name if command[0] == "collect" else str(fifo)
    assert f"{shown} 不是普通文件（是命名管道），不会读取。" in result.stderr
    assert not (tmp_path / "new").exists()


def test_a_long_unit_name_keeps_the_date_in_its_report_file_name(gongkai, tmp_path):
    from tests.conftest import MINI_UNITS

    name = "县" + "很长的名称" * 19 + "局"  # 97 characters, 291 bytes in UTF-8
    units = MINI_UNITS.replace("- name: 县教育局\n", f"- name: {name}\n")
    data = write_ledger(tmp_path / "mini", units=units)
    result = gongkai("report", "unit", name, "--data", data, *AS_OF, "--format", "md")
    assert result.exit_code == 0, result.stderr
    (written,) = os.listdir(tmp_path / "mini" / "reports")
    assert written.startswith("责任清单-县很长的名称") and written.endswith("-2021-07-01.md")
    assert len(written.encode("utf-8")) <= 203


def test_committed_links_for_evidence_the_members_cache_and_the_lock_lead_nowhere(
    gongkai, tmp_path
):
    data = write_ledger(tmp_path / "mini")
    victim = _victim(tmp_path)
    (data / "evidence").symlink_to(victim)
    (tmp_path / "mini" / ".gongkai").symlink_to(victim)
    (data / ".gongkai.lock").symlink_to(victim / "keep.txt")  # no git: the lock is in the data
    proof = tmp_path / "照片.jpg"
    proof.write_bytes(b"\xff\xd8 photo")
    args = ("update", "1", "-u", "县财政局", "-s", "done", "--date", "2021-06-01", "--data", data)
    result = gongkai(*args, "--attach", proof)
    assert result.exit_code == 1
    assert "是符号链接" in result.stderr
    (data / ".gongkai.lock").unlink()
    result = gongkai(*args, "--attach", proof)
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误：{data / 'evidence'} 是符号链接（可能随仓库提交而来）；"
        "gongkai 不通过链接写入或删除文件，未写入。\n"
    )
    assert gongkai("members", "add", "乙县", tmp_path / "乙县", "--data", data).exit_code == 0
    result = gongkai("members", "fetch", "--data", data)
    assert result.exit_code == 1 and f"{tmp_path / 'mini' / '.gongkai'} 是符号链接" in result.stderr
    assert os.listdir(victim) == ["keep.txt"]
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "keep"


def test_init_never_creates_a_ledger_inside_git(gongkai, ledger):
    result = gongkai("init", ledger / ".git" / "台账")
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误：{ledger / '.git' / '台账' / 'data'} 在 git 仓库目录（.git）中，不能作为输出；未写入。\n"
    )
    assert not (ledger / ".git" / "台账").exists()


def test_a_committed_link_is_found_whichever_path_names_the_ledger(gongkai, tmp_path):
    write_ledger(tmp_path / "mini")
    victim = _victim(tmp_path)
    (tmp_path / "mini" / "reports").symlink_to(victim)
    (tmp_path / "via").symlink_to(tmp_path / "mini")  # the user's own way to the ledger
    out = tmp_path / "mini" / "reports" / "x.md"
    result = gongkai("report", "progress", "--data", tmp_path / "via" / "data", *AS_OF, "-o", out)
    assert result.exit_code == 1 and "是符号链接（可能随仓库提交而来）" in result.stderr
    assert os.listdir(victim) == ["keep.txt"]

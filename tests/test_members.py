"""Member ledgers: members.yaml, `members add|list|fetch` over a real git daemon on loopback,
and members that are unreachable, not ledgers or hostile, reported and skipped."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from gongkai_cli.errors import GongkaiError
from gongkai_cli.record import fetch as fetching
from tests.conftest import write_ledger
from tests.served import (
    GOOD,
    PATHS,
    add_good,
    commit_all,
    copy_real_ledger,
    git,
    git_daemon,
    new_repo,
)


def test_add_appends_one_line_and_commits_only_members_yaml(gongkai, city):
    (city / "members.yaml").write_text("# 本市各县区\nmembers:\n- name: 甲县\n  url: /srv/a\n")
    result = gongkai("members", "add", "濉溪县", "git://10.0.0.5/suixi", "--branch", "main")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "已添加成员 濉溪县：git://10.0.0.5/suixi（分支 main）\n"
    assert (city / "members.yaml").read_text() == (
        "# 本市各县区\nmembers:\n- name: 甲县\n  url: /srv/a\n"
        '- {name: "濉溪县", url: "git://10.0.0.5/suixi", branch: "main"}\n'
    )
    root = city.parent
    assert git(root, "log", "-1", "--format=%s").strip() == "成员：添加 濉溪县"
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["data/members.yaml"]


def test_add_makes_the_file_and_a_relative_path_becomes_absolute(gongkai, city):
    assert gongkai("members", "add", "甲县", "../甲县台账").exit_code == 0
    text = (city / "members.yaml").read_text()
    assert text.endswith(f'- {{name: "甲县", url: "{city.parent.parent / "甲县台账"}"}}\n')
    listed = gongkai("members", "list")
    assert listed.stdout == f"甲县\t{city.parent.parent / '甲县台账'}\t默认分支\t尚未取回\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["../x", "/srv/x"],
            "成员名称“../x”无效：只能用汉字、字母、数字和 -（最多 40 个字），如 濉溪县。",
        ),
        (
            ["甲县", "--", "--upload-pack=touch /tmp/x"],
            "成员地址“--upload-pack=touch /tmp/x”不能以 - 开头。",
        ),
        (
            ["甲县", "ext::sh -c touch% /tmp/x"],
            "成员地址“ext::sh -c touch% /tmp/x”使用了会执行命令的传输方式，不允许。",
        ),
        (["甲县", "/srv/x", "--branch", "-x"], "分支名“-x”无效。"),
        (["甲县", "/srv/x", "--branch", "a..b"], "分支名“a..b”无效。"),
    ],
)
def test_add_refuses_a_bad_name_url_or_branch(gongkai, city, args, message):
    result = gongkai("members", "add", *args)
    assert (result.exit_code, result.stderr) == (1, f"错误：{message}\n")
    assert not (city / "members.yaml").exists()


def test_add_refuses_a_name_already_listed(gongkai, city):
    gongkai("members", "add", "甲县", "/srv/a")
    result = gongkai("members", "add", "甲县", "/srv/b")
    assert (result.exit_code, result.stderr) == (1, "错误：成员“甲县”已在 data/members.yaml 中。\n")


def test_members_yaml_is_read_strictly_with_every_problem_located(gongkai, city):
    (city / "members.yaml").write_text(
        "members:\n"
        "- {name: 甲县, url: /srv/a, brnach: main}\n"
        "- {name: 甲县, url: /srv/b}\n"
        "- {name: 乙县}\n"
        "- {name: 丙县, url: 'ext::sh -c id'}\n"
        "- {name: 丁县, url: 3}\n"
    )
    result = gongkai("members", "list")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "data/members.yaml:2:27: error: 未知的键“brnach”（可用 name、url、branch、site）。",
        "data/members.yaml:3:10: error: 成员“甲县”重复。",
        "data/members.yaml:4:3: error: 成员缺少 url。",
        "data/members.yaml:5:19: error: 成员地址“ext::sh -c id”使用了会执行命令的传输方式，不允许。",
        "data/members.yaml:6:19: error: url 应为文字，实际是 3。",
        "错误：data/members.yaml 有 5 处错误，请修正后再试。",
    ]


def test_fetch_prints_each_members_commit_and_records_it(gongkai, city, served):
    url, _, commits = served
    add_good(gongkai, url)
    result = gongkai("members", "fetch", "--jobs", "3")
    assert result.exit_code == 0, result.stderr
    titles = {
        "濉溪县": "濉溪县2021年政务公开重点工作任务分工（征求意见稿）",
        "删减县": "删减县2021年政务公开重点工作任务分工",
        "改写区": "改写区2021年政务公开重点工作任务分工",
        "测试县": "测试县2021年政务公开重点工作任务分工",
    }
    assert result.stdout.splitlines() == [
        *(f"{n}\t{commits[n][:12]}\t{titles[n]}" for n in GOOD),
        "取回 4 个成员。",
    ]
    listed = gongkai("members", "list").stdout.splitlines()
    assert [line.split("\t")[3] for line in listed] == [commits[n][:12] for n in GOOD]
    # The cache is outside data/, ignored by git, and holds the data files at the commit only.
    cache = city.parent / ".gongkai" / "members"
    snapshot = cache / "濉溪县" / commits["濉溪县"]
    assert sorted(p.name for p in snapshot.iterdir()) == [
        "progress.yaml",
        "tasks.yaml",
        "units.yaml",
    ]
    assert git(city.parent, "status", "--porcelain", "--ignored") == "!! .gongkai/\n"
    recorded = json.loads((cache / "fetched.json").read_text())
    assert recorded == {n: {"commit": commits[n], "title": titles[n]} for n in GOOD}


def test_fetch_again_reads_the_new_commit_and_can_still_read_the_old(gongkai, city, tmp_path):
    member = tmp_path / "甲县台账"
    copy_real_ledger(member)
    first = commit_all(member)
    gongkai("members", "add", "甲县", str(member))
    assert gongkai("members", "fetch").stdout.startswith(f"甲县\t{first[:12]}\t")
    (member / "data" / "progress.yaml").write_text(
        "- {id: a000000001, date: 2021-03-01, task: 2, unit: 县政府办公室, status: 已完成}\n",
        encoding="utf-8",
    )
    second = commit_all(member)
    assert gongkai("members", "fetch").stdout.startswith(f"甲县\t{second[:12]}\t")
    cache = city.parent / ".gongkai" / "members" / "甲县"
    assert (cache / second).is_dir() and not (cache / first).exists()  # only the latest is laid out
    from gongkai_cli.actions.members import open_member

    commit, book = open_member(city, "甲县", first)  # laid out again from the history
    assert (commit, (cache / first).is_dir(), book.history.latest_day(dt.date(2021, 12, 31))) == (
        first,
        True,
        None,
    )
    with pytest.raises(GongkaiError, match="不是完整的提交号"):
        open_member(city, "甲县", "../../外面")
    with pytest.raises(GongkaiError, match=r"成员名称“\.\./甲县”无效"):
        open_member(city, "../甲县", first)


def test_a_file_url_is_fetched_as_any_other(gongkai, city, tmp_path):
    member = tmp_path / "丙县台账"
    copy_real_ledger(member)
    head = commit_all(member)
    gongkai("members", "add", "丙县", member.as_uri())
    assert gongkai("members", "fetch").stdout.startswith(f"丙县\t{head[:12]}\t")


def test_fetch_follows_the_named_branch(gongkai, city, tmp_path):
    member = tmp_path / "乙县台账"
    copy_real_ledger(member)
    commit_all(member)
    git(member, "checkout", "-q", "-b", "审定稿")
    (member / "data" / "tasks.yaml").write_text(
        (member / "data" / "tasks.yaml").read_text().replace("（征求意见稿）", "（审定稿）")
    )
    commit_all(member)
    git(member, "checkout", "-q", "main")
    gongkai("members", "add", "乙县", str(member), "--branch", "审定稿")
    out = gongkai("members", "fetch").stdout
    assert out.splitlines()[0].endswith("\t濉溪县2021年政务公开重点工作任务分工（审定稿）")


def test_a_missing_branch_or_a_folder_that_is_no_repository_is_said_in_chinese(
    gongkai, city, tmp_path
):
    member = tmp_path / "乙县台账"
    copy_real_ledger(member)
    commit_all(member)
    (tmp_path / "空文件夹").mkdir()
    gongkai("members", "add", "乙县", str(member), "--branch", "定稿")
    gongkai("members", "add", "丙县", str(tmp_path / "空文件夹"))
    result = gongkai("members", "fetch", "--jobs", "1")
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith(
        "错误：成员 乙县 未能取回：成员仓库中没有分支 定稿，请核对 --branch（git：fatal: "
    )
    assert errors[1].startswith(
        "错误：成员 丙县 未能取回：该地址不是 git 仓库，或无权读取（git：fatal: "
    )


def hostile_repos(base: Path) -> dict[str, str]:
    """Members that must be refused: name → repository folder under `base`."""
    made = {}

    def ledger(name: str) -> Path:
        repo = base / name
        copy_real_ledger(repo)
        made[name] = name
        return repo

    repo = ledger("link")  # tasks.yaml is a link to a file of the fetching machine
    (repo / "data" / "tasks.yaml").unlink()
    os.symlink("/etc/passwd", repo / "data" / "tasks.yaml")
    commit_all(repo)

    repo = new_repo(base / "dirlink")  # data/ is a link up and out
    os.symlink("..", repo / "data")
    commit_all(repo)
    made["dirlink"] = "dirlink"

    repo = ledger("huge")  # a progress log far larger than any year's
    (repo / "data" / "progress.yaml").write_text("# 填充\n" * 20000, encoding="utf-8")
    commit_all(repo)

    repo = ledger("badyaml")
    (repo / "data" / "tasks.yaml").write_text("title: [未闭合\n", encoding="utf-8")
    commit_all(repo)

    repo = ledger("submodule")  # tasks.yaml is a submodule: a commit of another repository
    (repo / "data" / "tasks.yaml").unlink()
    git(repo, "add", "-A")
    head = commit_all(repo)
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},data/tasks.yaml")
    git(repo, "commit", "-q", "-m", "子模块")

    repo = new_repo(base / "notledger")
    (repo / "README.md").write_text("不是台账\n")
    commit_all(repo)
    made["notledger"] = "notledger"
    return made


def test_unreachable_not_a_ledger_and_hostile_members_are_reported_and_skipped(
    gongkai, city, tmp_path, monkeypatch
):
    monkeypatch.setattr(fetching, "MAX_MEMBER_FILE", 64 * 1024)  # the huge log is 175 KB
    base = tmp_path / "hostile"
    base.mkdir()
    hostile_repos(base)
    suixi = tmp_path / "suixi"
    copy_real_ledger(suixi)
    good = commit_all(suixi)
    with git_daemon(base) as url:
        names = {
            "链接县": "link",
            "目录链接县": "dirlink",
            "巨大县": "huge",
            "坏县": "badyaml",
            "子模块县": "submodule",
            "非台账县": "notledger",
            "无此库县": "nosuchrepo",
        }
        for name, folder in names.items():
            gongkai("members", "add", name, f"{url}/{folder}")
        gongkai("members", "add", "远方县", f"git://127.0.0.1:{_closed_port()}/x")
        gongkai("members", "add", "濉溪县", str(suixi))
        result = gongkai("members", "fetch", "--jobs", "4")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"濉溪县\t{good[:12]}\t濉溪县2021年政务公开重点工作任务分工（征求意见稿）",
        "取回 1 个成员，失败 8 个。",
    ]
    errors = [re.sub(r"提交 [0-9a-f]{12} ", "提交 … ", e) for e in result.stderr.splitlines()]
    assert errors[:6] == [
        "错误：成员 链接县 未能取回：提交 … 中的 data/tasks.yaml 是符号链接，不会读取。",
        "错误：成员 目录链接县 未能取回：提交 … 中的 data 不是目录（是链接或文件），不会读取。",
        "错误：成员 巨大县 未能取回：提交 … 中的 data/progress.yaml 过大（175 KB），超过 64 KB 的上限，不会读取。",
        "错误：成员 坏县 未能取回：数据有 1 处错误，第一处：data/tasks.yaml:2:1: "
        "YAML 语法错误：列表没有正确闭合，缺少“,”或“]”。",
        "错误：成员 子模块县 未能取回：提交 … 中的 data/tasks.yaml 不是普通文件，不会读取。",
        "错误：成员 非台账县 未能取回：不是台账：提交 … 中没有 data/ 目录。",
    ]
    # git's reasons are in English: each is said in Chinese first.
    assert errors[6].startswith(
        "错误：成员 无此库县 未能取回：成员的服务器拒绝了请求（git：fatal: remote error: "
    )
    assert errors[7].startswith(
        "错误：成员 远方县 未能取回：无法连接到该地址的服务器（git：fatal: unable to connect to 127.0.0.1"
    )
    # Only plain files that passed the checks were laid out (坏县's are read, then refused by
    # the loader); only the good member's commit is recorded.
    cache = city.parent / ".gongkai" / "members"
    laid = sorted(p.parent.parent.name for p in cache.glob("*/*/tasks.yaml"))
    assert laid == ["坏县", "濉溪县"]
    # The roll-up counts the good member alone and names every other.
    rolled = gongkai("rollup", "--as-of", "2021-10-31", "--format", "json")
    assert [m["name"] for m in json.loads(rolled.stdout)["members"]] == ["濉溪县"]
    assert len(rolled.stderr.splitlines()) == 8
    assert rolled.stderr.startswith("提示：成员 链接县 未纳入汇总：尚未取回")
    assert list(json.loads((cache / "fetched.json").read_text())) == ["濉溪县"]


def _closed_port() -> int:
    from tests.served import free_port

    return free_port()  # bound a moment ago and closed: nobody listens there


def test_a_member_is_never_checked_out_so_its_hooks_and_filters_never_run(gongkai, city, tmp_path):
    """A member's attributes name a filter and its tree holds a hook script: the cache is a
    bare repository, so no checkout ever happens and neither can run."""
    member = tmp_path / "钩子县"
    copy_real_ledger(member)
    witness = tmp_path / "ran"
    (member / ".gitattributes").write_text("*.yaml filter=evil\n")
    hooks = member / "hooks"
    hooks.mkdir()
    (hooks / "post-checkout").write_text(f"#!/bin/sh\ntouch {witness}\n")
    (hooks / "post-checkout").chmod(0o755)
    commit_all(member)
    git(city.parent, "config", "filter.evil.smudge", f"touch {witness}; cat")
    git(city.parent, "config", "core.hooksPath", str(hooks))
    gongkai("members", "add", "钩子县", str(member))
    assert gongkai("members", "fetch").exit_code == 0
    assert not witness.exists()
    repo = city.parent / ".gongkai" / "members" / "钩子县" / "repo.git"
    assert (
        subprocess.run(
            ["git", "--git-dir", str(repo), "rev-parse", "--is-bare-repository"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        == "true"
    )


def test_fetch_of_a_ledger_without_members_says_how_to_add_one(gongkai, tmp_path):
    data = write_ledger(tmp_path / "x")
    result = gongkai("members", "fetch", "--data", data)
    assert result.stdout == "没有成员台账；用 gongkai members add 名称 地址 添加。\n"


def test_validate_reports_the_mistakes_of_members_yaml_with_the_rest(gongkai, city):
    (city / "members.yaml").write_text("members:\n- {name: 甲县}\n", encoding="utf-8")
    result = gongkai("validate")
    assert result.exit_code == 1
    assert "data/members.yaml:2:3: error: 成员缺少 url。\n" in result.stdout


def test_on_a_terminal_fetch_shows_each_member_as_it_arrives_and_a_running_count(city, served):
    """stderr a real terminal (a pty): the count 取回中 n/N… rewritten in place as each
    member arrives, and cleared at the end; each member's line is printed as it arrives."""
    import pty
    import sys

    url, _, commits = served
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    for name in ("测试县", "删减县"):
        run = [sys.executable, "-m", "gongkai_cli", "members", "add", name, f"{url}/{PATHS[name]}"]
        subprocess.run(run, env=env, check=True, capture_output=True)
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "gongkai_cli", "members", "fetch", "--jobs", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal's other end is closed: all is read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    screen = shown.decode()
    assert done.returncode == 0
    assert screen == "\r\x1b[K取回中 1/2…\r\x1b[K取回中 2/2…\r\x1b[K"
    lines = done.stdout.splitlines()
    assert [line.split("\t")[:2] for line in lines[:2]] == [
        ["测试县", commits["测试县"][:12]],
        ["删减县", commits["删减县"][:12]],
    ]
    assert lines[2:] == ["取回 2 个成员。"]


def test_a_member_that_sends_more_than_the_limit_is_stopped_and_its_objects_removed(
    gongkai, city, tmp_path, monkeypatch
):
    monkeypatch.setattr(fetching, "MAX_MEMBER_REPO", 16 * 1024)
    member = tmp_path / "大县台账"
    copy_real_ledger(member)
    (member / "附件.bin").write_bytes(os.urandom(64 * 1024))  # does not compress
    commit_all(member)
    gongkai("members", "add", "大县", str(member))
    result = gongkai("members", "fetch")
    assert (result.exit_code, result.stderr) == (
        1,
        "错误：成员 大县 未能取回：成员仓库过大（超过 16 KB），已停止取回。\n",
    )
    assert not (city.parent / ".gongkai" / "members" / "大县" / "repo.git").exists()

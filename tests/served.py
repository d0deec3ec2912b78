"""Member ledgers served by a real git daemon on loopback, built from the 2021 plan: the plan
itself, a trimmed copy, a reworded copy and another office's small plan, with a year of
progress each; and hostile repositories."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

from benchmarks.generate import progress_lines
from tests.conftest import GIT_ENV, MINI_TASKS, MINI_UNITS, REAL_DATA

ENV = {**GIT_ENV, "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}

# The trimmed copy drops these tasks of the 2021 plan (and their progress).
DROPPED = (5, 17, 30, 41, 42, 43)

# How the reworded copy rewrites requirements, as a county restating the county above does.
REWORDINGS = (
    ("主动公开", "及时公开"),
    ("做好", "抓好"),
    ("进一步", ""),
    ("加强", "强化"),
    ("切实", ""),
    ("政府网站", "门户网站"),
    ("全县", "全区"),
    ("县政府", "区政府"),
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=ENV
    ).stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def git_daemon(base: Path) -> Iterator[str]:
    """Serve every repository under `base` read-only with `git daemon` on loopback; yields
    the URL prefix (git://127.0.0.1:PORT)."""
    port = free_port()
    daemon = subprocess.Popen(
        [
            "git",
            "daemon",
            "--export-all",
            "--reuseaddr",
            "--informative-errors",
            "--listen=127.0.0.1",
            f"--port={port}",
            f"--base-path={base}",
            str(base),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if time.monotonic() > deadline or daemon.poll() is not None:
                raise RuntimeError("git daemon did not start")
            time.sleep(0.05)
        yield f"git://127.0.0.1:{port}"
    finally:
        daemon.terminate()
        daemon.wait(10)


def commit_all(repo: Path, message: str = "台账") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def new_repo(repo: Path) -> Path:
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def ledger_repo(repo: Path, tasks: str, units: str, seed: int) -> str:
    """A member ledger in a new repository with a year of progress; its commit."""
    data = new_repo(repo) / "data"
    data.mkdir()
    (data / "tasks.yaml").write_text(tasks, encoding="utf-8")
    (data / "units.yaml").write_text(units, encoding="utf-8")
    (data / "progress.yaml").write_text("", encoding="utf-8")
    lines = progress_lines(data, seed)
    (data / "progress.yaml").write_text("".join(lines), encoding="utf-8")
    return commit_all(repo)


def plan_text(change) -> str:
    """The 2021 plan's tasks.yaml with `change(plan)` applied."""
    plan = yaml.safe_load((REAL_DATA / "tasks.yaml").read_text(encoding="utf-8"))
    change(plan)
    return yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=10**6)


def trimmed(plan: dict) -> None:
    """Tasks dropped, the rest numbered anew as the county's own plan numbers them."""
    plan["title"] = "删减县2021年政务公开重点工作任务分工"
    kept = [t for t in plan["tasks"] if t["number"] not in DROPPED]
    plan["tasks"] = [{**t, "number": i} for i, t in enumerate(kept, 1)]


def reword(text: str) -> str:
    for old, new in REWORDINGS:
        text = text.replace(old, new)
    return text


def reworded(plan: dict) -> None:
    plan["title"] = "改写区2021年政务公开重点工作任务分工"
    for task in plan["tasks"]:
        task["requirement"] = reword(task["requirement"])


def build_members(base: Path) -> dict[str, str]:
    """The four good members under `base`: name → the commit at their HEAD."""
    real_units = (REAL_DATA / "units.yaml").read_text(encoding="utf-8")
    real_tasks = (REAL_DATA / "tasks.yaml").read_text(encoding="utf-8")
    return {
        "濉溪县": ledger_repo(base / "suixi", real_tasks, real_units, 2021),
        "删减县": ledger_repo(base / "trimmed", plan_text(trimmed), real_units, 2022),
        "改写区": ledger_repo(base / "reworded", plan_text(reworded), real_units, 2023),
        "测试县": ledger_repo(base / "other", MINI_TASKS, MINI_UNITS, 2024),
    }


def copy_real_ledger(repo: Path) -> Path:
    data = new_repo(repo) / "data"
    shutil.copytree(REAL_DATA, data)
    return data


GOOD = ["濉溪县", "删减县", "改写区", "测试县"]
PATHS = {"濉溪县": "suixi", "删减县": "trimmed", "改写区": "reworded", "测试县": "other"}


def add_good(gongkai, url: str, names=GOOD) -> None:
    for name in names:
        assert gongkai("members", "add", name, f"{url}/{PATHS[name]}").exit_code == 0

"""Fetch a member ledger with git, as untrusted input, and lay out its data files for reading.

A member's repository is someone else's: nothing of it may run here, and nothing of it may
land outside the cache. So it is fetched into a bare repository of our own (no work tree:
no checkout, so no filters, no hooks of theirs, no submodules, no links on disk), with the
transports that run commands turned off and every object checked as it arrives. Its data
files are then read at the fetched commit, blob by blob, after their modes (a link, a
submodule) and sizes are checked, and written by us as plain files into a folder named by
the commit, so a commit once read always reads the same.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from gongkai_cli.errors import GongkaiError
from gongkai_cli.ledger.datadir import PROGRESS, TASKS, UNITS

# A year of a county's updates is well under a megabyte; a file this large is not a ledger.
MAX_MEMBER_FILE = 32 * 1024 * 1024
TIMEOUT = 600  # seconds one member's fetch may take before it is given up
# Years of a county's ledger are a few megabytes of history; a member that sends more than
# this is stopped before it fills the disk.
MAX_MEMBER_REPO = 512 * 1024 * 1024
REF = "refs/gongkai/member"  # where the member's branch is fetched to, in our bare repository
FILES = (TASKS, UNITS, PROGRESS)

# Settings for every git command on a member's objects: no hooks (ours or anyone's), no
# transport that runs a command (ext::), no submodules, every received object checked, and
# no automatic gc running in the background after we return.
SAFE_CONFIG = (
    "core.hooksPath=/dev/null",
    "protocol.ext.allow=never",
    "fetch.recurseSubmodules=false",
    "submodule.recurse=false",
    "transfer.fsckObjects=true",
    "core.fsmonitor=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "credential.interactive=never",
)


class MemberFailed(GongkaiError):
    """A member could not be fetched or read; the message says why, in git's words where git
    gave them."""


def _env() -> dict[str, str]:
    # The caller's GIT_DIR, GIT_WORK_TREE and the like would point git elsewhere: drop them.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C", GIT_CONFIG_NOSYSTEM="1")
    env["GIT_SSH_COMMAND"] = os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return env


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    settings = [arg for setting in SAFE_CONFIG for arg in ("-c", setting)]
    command = ["git", *settings, f"--git-dir={repo}", *args]
    try:
        return subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            env=_env(),
            timeout=TIMEOUT,
            cwd=repo.parent,
        )
    except FileNotFoundError:
        raise MemberFailed("找不到 git 命令；请先安装 git。") from None
    except subprocess.TimeoutExpired:
        raise MemberFailed(f"git {args[0]} 超过 {TIMEOUT} 秒未完成，已放弃。") from None


def git_reason(stderr: bytes) -> str:
    """git's own reason for a failure, on one line: from its first `fatal:`/`error:` line on."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    start = next((i for i, line in enumerate(lines) if line.startswith(("fatal:", "error:"))), None)
    kept = lines[start:] if start is not None else lines[-1:]
    reason = " ".join(kept) or "未知原因"
    return reason if len(reason) <= 300 else reason[:300] + "…"


def fetch(repo: Path, url: str, branch: str | None) -> str:
    """Fetch the member's branch (its default branch if None) into the bare repository
    `repo`, made if need be; the commit fetched."""
    if not (repo / "HEAD").is_file():
        repo.mkdir(parents=True, exist_ok=True)
        made = _git(repo, "init", "--bare", "--quiet")
        if made.returncode != 0:
            raise MemberFailed(f"无法建立缓存仓库：{git_reason(made.stderr)}")
    source = f"refs/heads/{branch}" if branch else "HEAD"
    settings = [arg for setting in SAFE_CONFIG for arg in ("-c", setting)]
    command = ["git", *settings, f"--git-dir={repo}", "fetch", "--quiet", "--no-tags"]
    command += ["--no-recurse-submodules", "--no-write-fetch-head", "--force"]
    returncode, stderr = _watched(repo, [*command, "--", url, f"+{source}:{REF}"])
    if returncode != 0:
        raise MemberFailed(fetch_failure(stderr, branch))
    return commit_of(repo)


# What a failed fetch most often means, in the clerk's words; git's own (English) reason
# follows in brackets for whoever keeps the member's server.
_FETCH_FAILURES = (
    ("couldn't find remote ref", "成员仓库中没有分支 {branch}，请核对 --branch"),
    ("does not appear to be a git repository", "该地址不是 git 仓库，或无权读取"),
    ("repository not found", "该地址不是 git 仓库，或无权读取"),
    ("authentication failed", "无权读取：需要用户名、口令或密钥"),
    ("could not read username", "无权读取：需要用户名、口令或密钥"),
    ("permission denied", "无权读取：需要用户名、口令或密钥"),
    ("could not resolve host", "找不到该地址的服务器，请核对地址"),
    ("unable to connect", "无法连接到该地址的服务器"),
    ("connection refused", "无法连接到该地址的服务器"),
    ("timed out", "连接该地址的服务器超时"),
    ("remote error", "成员的服务器拒绝了请求"),
)


def fetch_failure(stderr: bytes, branch: str | None) -> str:
    """Why a member could not be fetched: in Chinese where the cause is a known one, with
    git's own reason after it."""
    reason = git_reason(stderr)
    found = next((text for key, text in _FETCH_FAILURES if key in reason.lower()), None)
    if found is None:
        return f"git 取回失败（{reason}）"
    return f"{found.format(branch=branch or '')}（git：{reason}）"


def _watched(repo: Path, command: list[str]) -> tuple[int, bytes]:
    """Run a fetch, stopped (and what it brought removed) once the repository has grown by
    more than MAX_MEMBER_REPO, or after TIMEOUT seconds: a member decides what it sends."""
    import signal
    import time

    before = _size(repo)
    deadline = time.monotonic() + TIMEOUT
    try:
        proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=_env(),
            cwd=repo.parent,
            start_new_session=True,  # its index-pack and transport helpers are stopped with it
        )
    except FileNotFoundError:
        raise MemberFailed("找不到 git 命令；请先安装 git。") from None
    with proc:
        why = None
        while True:
            try:
                _, stderr = proc.communicate(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if _size(repo) - before > MAX_MEMBER_REPO:
                    why = "too large"
                elif time.monotonic() > deadline:
                    why = "too slow"
                else:
                    continue
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                break
    if why is None and _size(repo) - before > MAX_MEMBER_REPO:
        why = "too large"
    if why == "too large":
        shutil.rmtree(repo, ignore_errors=True)  # ours, and only a cache: fetched anew next time
        raise MemberFailed(f"成员仓库过大（超过 {_size_text(MAX_MEMBER_REPO)}），已停止取回。")
    if why == "too slow":
        raise MemberFailed(f"git fetch 超过 {TIMEOUT} 秒未完成，已放弃。")
    return proc.returncode, stderr


def _size(repo: Path) -> int:
    """Bytes under the repository's objects/ (packs arriving included)."""
    total = 0
    for folder, _, files in os.walk(repo / "objects"):
        for name in files:
            with contextlib.suppress(OSError):  # a temporary file renamed or removed meanwhile
                total += os.lstat(os.path.join(folder, name)).st_size
    return total


def commit_of(repo: Path) -> str:
    result = _git(repo, "rev-parse", "--verify", "--quiet", f"{REF}^{{commit}}")
    commit = result.stdout.decode().strip()
    if result.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", commit):
        raise MemberFailed("取回的分支没有提交。")
    return commit


def _entries(repo: Path, commit: str, path: str) -> dict[str, tuple[str, str, str, str]]:
    """`git ls-tree -l` of `path` at `commit`: name → (mode, type, object id, size)."""
    result = _git(repo, "ls-tree", "-l", "-z", commit, "--", path)
    if result.returncode != 0:
        raise MemberFailed(git_reason(result.stderr))
    entries = {}
    for record in result.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if record:
            meta, name = record.split("\t", 1)
            mode, kind, oid, size = meta.split()
            entries[name] = (mode, kind, oid, size)
    return entries


def _checked_blobs(repo: Path, commit: str) -> dict[str, str]:
    """The data files' object ids at `commit`, each a plain file of bounded size."""
    short = commit[:12]
    data = _entries(repo, commit, "data").get("data")
    if data is None:
        raise MemberFailed(f"不是台账：提交 {short} 中没有 data/ 目录。")
    if data[1] != "tree":
        raise MemberFailed(f"提交 {short} 中的 data 不是目录（是链接或文件），不会读取。")
    blobs = {}
    entries = _entries(repo, commit, "data/")
    for name in FILES:
        entry = entries.get(f"data/{name}")
        if entry is None:
            if name == PROGRESS:
                continue  # no progress yet is normal
            raise MemberFailed(f"不是台账：提交 {short} 中没有 data/{name}。")
        mode, kind, oid, size = entry
        if mode == "120000":
            raise MemberFailed(f"提交 {short} 中的 data/{name} 是符号链接，不会读取。")
        if kind != "blob" or mode not in ("100644", "100755"):
            raise MemberFailed(f"提交 {short} 中的 data/{name} 不是普通文件，不会读取。")
        if int(size) > MAX_MEMBER_FILE:
            raise MemberFailed(
                f"提交 {short} 中的 data/{name} 过大（{_size_text(int(size))}），"
                f"超过 {_size_text(MAX_MEMBER_FILE)} 的上限，不会读取。"
            )
        blobs[name] = oid
    return blobs


def _size_text(size: int) -> str:
    return f"{size // 2**20} MB" if size >= 2**20 else f"{size // 2**10} KB"


def lay_out(repo: Path, commit: str, target: Path) -> Path:
    """The member's data files at `commit`, written as plain files into `target` (made
    once: a folder named by a commit never changes)."""
    if (target / TASKS).is_file():
        return target
    blobs = _checked_blobs(repo, commit)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".lay-", dir=target.parent))
    try:
        for name, oid in blobs.items():
            result = _git(repo, "cat-file", "blob", oid)
            if result.returncode != 0:
                raise MemberFailed(git_reason(result.stderr))
            (staging / name).write_bytes(result.stdout)
        try:
            staging.rename(target)
        except OSError:  # laid out meanwhile by another fetch of the same commit
            if not (target / TASKS).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target

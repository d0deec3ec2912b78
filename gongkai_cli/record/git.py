"""The git operations of the ledger, through the git command: commit one file only, blame, undo."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gongkai_cli.errors import GitFailed


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        result = subprocess.run(
            ["git", *args], cwd=repo, capture_output=True, text=True, encoding="utf-8", env=env
        )
    except FileNotFoundError:
        raise GitFailed("找不到 git 命令；请先安装 git。") from None
    if check and result.returncode != 0:
        reason = next((line for line in result.stderr.splitlines() if line.strip()), "未知原因")
        raise GitFailed(f"git {args[0]} 失败：{reason.strip()}")
    return result


@dataclass(frozen=True, slots=True)
class Repo:
    root: Path

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def git_dir(self) -> Path:
        out = _git(self.root, "rev-parse", "--git-common-dir").stdout.strip()
        return (self.root / out).resolve()

    def user_name(self) -> str | None:
        result = _git(self.root, "config", "user.name", check=False)
        return result.stdout.strip() or None

    def is_tracked(self, path: Path) -> bool:
        return (
            _git(
                self.root, "ls-files", "--error-unmatch", "--", self.rel(path), check=False
            ).returncode
            == 0
        )

    def commit_only(self, path: Path, message: str) -> str:
        """Commit the working-tree content of `path` and nothing else; whatever else is
        staged or modified stays exactly as it was. Returns the new commit's id."""
        rel = self.rel(path)
        if not self.is_tracked(path):
            _git(self.root, "add", "--", rel)
        _git(self.root, "commit", "--only", "--quiet", "-m", message, "--", rel)
        return _git(self.root, "rev-parse", "HEAD").stdout.strip()

    def set_config(self, key: str, value: str) -> None:
        _git(self.root, "config", key, value)

    def commit_empty(self, path: Path, message: str) -> str:
        """A commit that changes nothing, to record an event (a form returned with no news);
        naming `path` with --only keeps whatever else is staged out of it."""
        _git(
            self.root,
            "commit",
            "--only",
            "--allow-empty",
            "--quiet",
            "-m",
            message,
            "--",
            self.rel(path),
        )
        return _git(self.root, "rev-parse", "HEAD").stdout.strip()

    def messages(self, *patterns: str) -> list[tuple[str, str]]:
        """(id, full message) of each commit whose message matches any of the patterns,
        newest first; none in a repository without commits."""
        grep = [f"--grep={p}" for p in patterns]
        result = _git(self.root, "log", "--format=%H%x00%B%x00", *grep, check=False)
        if result.returncode != 0:
            return []
        parts = result.stdout.split("\x00")
        return [(parts[i].strip(), parts[i + 1].strip()) for i in range(0, len(parts) - 1, 2)]

    def commit_all(self, message: str) -> str:
        _git(self.root, "add", "--all")
        _git(self.root, "commit", "--quiet", "-m", message)
        return _git(self.root, "rev-parse", "HEAD").stdout.strip()

    def blame(self, path: Path) -> dict[int, str]:
        """Line number → id of the commit that added it (uncommitted lines are left out)."""
        if not self.is_tracked(path):
            return {}
        out = _git(self.root, "blame", "--line-porcelain", "--", self.rel(path), check=False).stdout
        lines = {}
        for match in re.finditer(r"^([0-9a-f]{40}) \d+ (\d+)", out, flags=re.MULTILINE):
            if set(match.group(1)) != {"0"}:
                lines[int(match.group(2))] = match.group(1)
        return lines

    def head(self) -> tuple[str, str, list[str]] | None:
        """(id, full message, changed paths) of HEAD, or None in a repository with no commit."""
        result = _git(self.root, "log", "-1", "--format=%H%x00%B", check=False)
        if result.returncode != 0 or not result.stdout:
            return None
        sha, message = result.stdout.split("\x00", 1)
        changed = _git(
            self.root, "diff-tree", "--no-commit-id", "--name-only", "-r", "--root", "HEAD"
        ).stdout
        return sha.strip(), message.strip(), changed.split()

    def show(self, rev: str, path: Path) -> bytes | None:
        """A file's content at a revision, or None where it did not exist."""
        result = subprocess.run(
            ["git", "show", f"{rev}:{self.rel(path)}"], cwd=self.root, capture_output=True
        )
        return result.stdout if result.returncode == 0 else None


def identity(folder: Path) -> str | None:
    """Who git would record as committer here, or None when git cannot tell."""
    result = _git(folder, "var", "GIT_COMMITTER_IDENT", check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def init_repo(folder: Path) -> None:
    _git(folder, "init", "--quiet")


def find_repo(folder: Path) -> Repo | None:
    """The git repository holding `folder`, or None (also when git is not installed)."""
    try:
        result = _git(folder, "rev-parse", "--show-toplevel", check=False)
    except GitFailed:
        return None
    if result.returncode != 0:
        return None
    return Repo(Path(result.stdout.strip()).resolve())

"""The git operations of the ledger, through the git command: commit one file only, blame, undo."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai_cli.errors import GitFailed

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir


class GitMissing(GitFailed):
    """git is not installed (or not on PATH)."""


def _git(
    repo: Path,
    *args: str,
    check: bool = True,
    stdin: str | None = None,
    config: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    for key, value in (config or {}).items():  # as `git -c`, but `args[0]` stays the command
        count = int(env.get("GIT_CONFIG_COUNT") or 0)
        env |= {"GIT_CONFIG_COUNT": str(count + 1)}
        env |= {f"GIT_CONFIG_KEY_{count}": key, f"GIT_CONFIG_VALUE_{count}": value}
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=repo,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            env=env,
            input=stdin,
        )
    except FileNotFoundError:
        raise GitMissing("找不到 git 命令；请先安装 git（或把它加入 PATH）。") from None
    if check and result.returncode != 0:
        reason = next((line for line in result.stderr.splitlines() if line.strip()), "未知原因")
        raise GitFailed(f"git {args[0]} 失败：{reason.strip()}")
    return result


@dataclass(frozen=True, slots=True)
class Repo:
    root: Path
    known_git_dir: Path | None = field(default=None, compare=False)  # as find_repo found it

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def git_dir(self) -> Path:
        """This working tree's own git directory (.git/worktrees/NAME in a linked worktree):
        what guards one working tree's files must not be shared with another's."""
        if self.known_git_dir is not None:
            return self.known_git_dir
        out = _git(self.root, "rev-parse", "--absolute-git-dir").stdout.strip()
        return Path(out).resolve()

    def unfinished(self, git_dir: Path | None = None) -> str | None:
        """The git operation left half done (its Chinese name), or None when there is none;
        `git_dir`, where the caller has asked for it already, spares asking git again."""
        if git_dir is None:
            git_dir = Path(_git(self.root, "rev-parse", "--absolute-git-dir").stdout.strip())
        states = (
            ("rebase-merge", "变基（rebase）"),
            ("rebase-apply", "变基（rebase）或补丁应用（am）"),
            ("MERGE_HEAD", "合并（merge）"),
            ("CHERRY_PICK_HEAD", "拣选（cherry-pick）"),
            ("REVERT_HEAD", "还原（revert）"),
            ("BISECT_LOG", "二分查找（bisect）"),
        )
        for name, state in states:
            if (git_dir / name).exists():
                return f"正在进行的{state}"
        if _git(self.root, "symbolic-ref", "-q", "HEAD", check=False).returncode != 0:
            return "分离头指针（detached HEAD）状态"
        return None

    def head_id(self) -> str | None:
        result = _git(self.root, "rev-parse", "-q", "--verify", "HEAD^{commit}", check=False)
        return result.stdout.strip() or None

    def config(self, key: str) -> str | None:
        return _git(self.root, "config", key, check=False).stdout.strip() or None

    def changes(self, path: Path) -> str:
        """`git status --porcelain` of one path: empty when it is exactly as committed."""
        return _git(
            self.root, "status", "--porcelain", "--untracked-files=all", "--", self.rel(path)
        ).stdout

    def line_changes(self, path: Path) -> tuple[int, int]:
        """Lines added and removed in the working file against HEAD."""
        out = _git(self.root, "diff", "--numstat", "HEAD", "--", self.rel(path), check=False)
        added = removed = 0
        for line in out.stdout.splitlines():
            a, r, *_ = line.split("\t")
            added, removed = added + int(a), removed + int(r)
        return added, removed

    def blob_id(self, rev: str, path: Path) -> str | None:
        result = _git(
            self.root, "rev-parse", "-q", "--verify", f"{rev}:{self.rel(path)}", check=False
        )
        return result.stdout.strip() or None

    def staged(self, path: Path) -> tuple[tuple[str, str] | None, list[str] | None]:
        """(mode, blob) of `path` in the index (None where it is not there, or not at stage
        0 alone), and each path whose entry in the index differs from HEAD's (None where
        there is no HEAD): from git's records, without git reading any file."""
        rel = self.rel(path)
        index = _one_record(
            _git(self.root, "ls-files", "-z", "--stage", "--", rel, check=False), rel
        )
        diff = _git(
            self.root,
            *("diff-index", "--cached", "--name-only", "--no-renames", "-z", "HEAD", "--"),
            check=False,
        )
        return (
            (index[0], index[1]) if index and len(index) == 3 and index[2] == "0" else None,
            diff.stdout.split("\0")[:-1] if diff.returncode == 0 else None,
        )

    def hash_of(self, path: Path, content: bytes) -> str:
        """The blob id git would store for `content` at `path` (its filters, such as
        core.autocrlf, applied)."""
        result = subprocess.run(
            ["git", "hash-object", "--stdin", f"--path={self.rel(path)}"],
            cwd=self.root,
            input=content,
            capture_output=True,
            check=False,
        )
        return result.stdout.decode().strip()

    def index_tree(self) -> str | None:
        """The index as a tree, to put it back after a commit that must be taken back."""
        result = _git(self.root, "write-tree", check=False)
        return result.stdout.strip() if result.returncode == 0 else None

    def take_back(self, commit: str, previous: str | None, tree: str | None) -> None:
        """Move HEAD's branch from `commit` back to `previous`, and the index to `tree`."""
        if previous is None:
            _git(self.root, "update-ref", "-d", "HEAD", commit)
        else:
            _git(self.root, "update-ref", "-m", "gongkai: 撤回提交", "HEAD", previous, commit)
        if tree is not None:
            _git(self.root, "read-tree", tree)

    def unstage(self, path: Path) -> None:
        """The index entry of `path` as HEAD holds it (nothing else in the index moves)."""
        _git(self.root, "reset", "-q", "--", self.rel(path), check=False)

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

    def commit_only(self, path: Path, message: str, *more: Path) -> str:
        """Commit the working-tree content of `path` (and of `more`) and nothing else;
        whatever else is staged or modified stays exactly as it was. Returns the new
        commit's id."""
        self.commit_paths(path, message, *more)
        return _git(self.root, "rev-parse", "HEAD").stdout.strip()

    def commit_paths(
        self,
        path: Path,
        message: str,
        *more: Path,
        tracked: bool = False,
        maintain: bool = True,
        alone: bool = False,
    ) -> None:
        """`commit_only`, for a caller that asks what HEAD is
        with `commit_of`; `tracked`: the paths are known to be tracked (committed before);
        not `maintain`: git's automatic maintenance is left to the caller (`maintain`).
        `alone`: nothing else is staged, as the caller has just made sure; then --include
        makes the very commit --only would (the index, that is HEAD, with the paths' new
        contents) while hashing each file once, not twice (--only hashes it into the index
        and again into a temporary index built from HEAD): on a long log, a tenth of a
        second."""
        rels = [self.rel(p) for p in (path, *more)]
        untracked = [
            rel
            for p, rel in zip((path, *more), rels, strict=True)
            if not tracked and not self.is_tracked(p)
        ]
        if untracked:
            _git(self.root, "add", "--", *untracked)
        config = None if maintain else {"maintenance.auto": "false"}
        only = "--include" if alone else "--only"
        args = ("commit", only, "--quiet", "-m", message, "--", *rels)
        _git(self.root, *args, config=config)

    def maintain(self) -> None:
        """What `git commit` does last: `git maintenance run --auto` (which packs loose
        objects once there are many), unless maintenance.auto is off. For a writer that
        makes many commits at once and left it to the end."""
        auto = _git(self.root, "config", "--type=bool", "maintenance.auto", check=False)
        if auto.stdout.strip() != "false":
            _git(self.root, "maintenance", "run", "--auto", "--quiet", check=False)

    def commit_of(self, rev: str) -> tuple[str, list[str], dict[str, str | None], str]:
        """A commit's id, its parents, and each path it changes (against its first parent,
        or adds if it has none) with the blob it now holds there (None where it deletes
        it): what `rev-parse`, `rev-list --parents`, `diff-tree` and `rev-parse REV:PATH`
        would say, from one git process. A merge's paths are not listed. Last, its message
        as git stored it (`%B`)."""
        out = _git(
            self.root,
            *("diff-tree", "-r", "--root", "--always", "--no-renames", "-z"),
            "--format=%H %P%x00%B",
            rev,
        ).stdout
        header, message, diff = out.split("\0", 2)
        sha, *parents = header.split()
        fields = diff.lstrip("\n").split("\0")  # ":modes blobs status", path, ...
        blobs = {}
        for meta, name in zip(fields[0:-1:2], fields[1::2], strict=True):
            blob = meta.split()[3]
            blobs[name] = None if blob.strip("0") == "" else blob
        return sha, parents, blobs, message

    def set_config(self, key: str, value: str) -> None:
        _git(self.root, "config", key, value)

    def commit_empty(self, message: str, *, maintain: bool = True) -> None:
        """A commit that changes nothing, to record an event (a form returned with no news),
        for a caller that asks what HEAD is with `commit_of`. `--only` without a path
        commits HEAD's tree, whatever is staged; hooks run as for `commit_paths`, on an
        index made from HEAD. Naming the log (as `commit_paths` would) made the same
        commit from the same index, after git had looked at the log's bytes once more."""
        config = None if maintain else {"maintenance.auto": "false"}
        args = ("commit", "--only", "--allow-empty", "--quiet", "-m", message)
        _git(self.root, *args, config=config)

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

    def is_shallow(self) -> bool:
        out = _git(self.root, "rev-parse", "--is-shallow-repository", check=False).stdout
        return out.strip() == "true"

    def own_additions(self, path: Path, name: str | None, email: str | None):
        """(commit, lines it added to `path`) for each commit by this committer (by email,
        else by name), newest first. Merges are left out (a union merge "adds" the lines of
        both sides), and so is a commit without a parent: the root, or the graft at the
        bottom of a shallow clone, whose diff "adds" every line older than the clone."""
        rel = self.rel(path)
        # The commits first (cheap), a diff only for this committer's: the newest is usually
        # the answer, and a long history is never diffed whole.
        commits = _git(
            self.root, "log", "--no-merges", "--format=%H %P%x00%cn%x00%ce", "--", rel, check=False
        )
        for line in commits.stdout.splitlines() if commits.returncode == 0 else ():
            ids, cname, cmail = line.split("\x00")
            sha, *parents = ids.split()
            if not parents or (email and cmail != email) or (not email and cname != name):
                continue
            diff = _git(
                self.root, "diff", "-U0", "--no-color", "--no-renames", parents[0], sha, "--", rel
            ).stdout
            added = [
                text[1:] + "\n"
                for text in diff.splitlines()
                if text.startswith("+") and not text.startswith("+++")
            ]
            yield sha, added

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


def _one_record(result: subprocess.CompletedProcess[str], rel: str) -> list[str] | None:
    """The fields of the one record (`-z`) git listed, if it is for exactly `rel`."""
    records = result.stdout.split("\0")[:-1] if result.returncode == 0 else []
    if len(records) != 1:
        return None
    fields, _, name = records[0].partition("\t")
    return fields.split(" ") if name == rel else None


def raw_blob_id(*parts: bytes) -> str:
    """The id git gives a blob of exactly these bytes, one part after another (no filter
    applied): a long log and the lines added to it are hashed without joining them."""
    import hashlib

    digest = hashlib.sha1(b"blob %d\0" % sum(map(len, parts)), usedforsecurity=False)
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def identity(folder: Path) -> str | None:
    """Who git would record as committer here, or None when git cannot tell."""
    result = _git(folder, "var", "GIT_COMMITTER_IDENT", check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def committer(folder: Path) -> tuple[str, str] | None:
    """(name, email) git would record as committer here, or None when git cannot tell."""
    found = re.match(r"^(.*) <([^>]*)>", identity(folder) or "")
    return (found.group(1), found.group(2)) if found else None


def init_repo(folder: Path) -> None:
    _git(folder, "init", "--quiet")


def find_repo(folder: Path) -> Repo | None:
    """The git repository holding `folder`, or None. Raises GitMissing where git is not
    installed but `folder` looks like it is inside a repository."""
    try:  # its git directory too: a writer needs both, and each git process costs
        result = _git(folder, "rev-parse", "--show-toplevel", "--absolute-git-dir", check=False)
    except GitMissing:
        folder = folder.resolve()
        if any((above / ".git").exists() for above in (folder, *folder.parents)):
            raise
        return None
    if result.returncode != 0:
        return None
    found = result.stdout.removesuffix("\n").split("\n")
    if len(found) != 2:  # a newline in a folder's name: ask for each on its own
        top = _git(folder, "rev-parse", "--show-toplevel").stdout.removesuffix("\n")
        return Repo(Path(top).resolve())
    return Repo(Path(found[0]).resolve(), Path(found[1]).resolve())


def ledger_commit(data: DataDir) -> tuple[str, bool]:
    """(the commit the ledger's data files are at, whether they differ from it): what a
    report or the site records of where it came from; ("", False) outside git, before the
    first commit, or where git cannot say. One git process: `git status` in its second
    porcelain format names HEAD's commit, then what differs (changed, staged, untracked)."""
    try:
        result = _git(
            data.path,
            *("status", "--porcelain=v2", "--branch", "--untracked-files=all", "--", "."),
            check=False,
        )
    except GitFailed:  # git missing: the report is still made, only untraced
        return "", False
    lines = result.stdout.splitlines()
    if result.returncode != 0:  # not in a repository, or one git cannot read
        return "", False
    commit = next((line[13:] for line in lines if line.startswith("# branch.oid ")), "")
    if not re.fullmatch(r"[0-9a-f]{40,64}", commit):  # "(initial)": nothing committed yet
        return "", False
    return commit, any(line and not line.startswith("#") for line in lines)

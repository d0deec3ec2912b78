"""Create a new ledger: a git repository with the plan, the registry, an empty log and CI."""

from __future__ import annotations

import shutil
from pathlib import Path

from gongkai_cli.errors import DataError, GitFailed, LedgerExists
from gongkai_cli.ledger.datadir import PACKAGE, PROGRESS, TASKS, UNITS, DataDir
from gongkai_cli.model.scoring import DEFAULT_TEXT, SCORING
from gongkai_cli.record import git as gitrepo
from gongkai_cli.version import __version__

EMPTY_LOG = (
    "# 进展记录：由 gongkai update 逐条追加，每行一条，请勿改写已有记录。\n"
    "# 每条：id 编号, date 日期, task 任务编号, unit 单位, status 状态, note 说明, by 填报人；"
    "gongkai undo 追加的撤销记录以 retracts 写明被撤销的编号（原记录保留）\n"
)
_TEMPLATES = PACKAGE / "templates"


IDENTITY_HELP = (
    "git 还不知道提交人是谁（没有设置姓名和邮箱），台账未建立。请先运行：\n"
    '  git config --global user.name "你的姓名"\n'
    '  git config --global user.email "you@example.com"\n'
    "然后再运行一次 gongkai init。"
)
# Reports and the site are made again from the data at will; the cache is per machine.
GITIGNORE = "reports/\nsite/\n.gongkai-cache/\n.gongkai/\n"


def refuse_occupied(target: Path) -> None:
    """Stop before reading anything if `target` holds files: a ledger is made only in a new
    or empty folder."""
    if target.exists() and any(target.iterdir()):
        if (target / "data" / TASKS).exists():
            raise LedgerExists(f"{target} 中已有台账（data/{TASKS}），不会覆盖。")
        raise LedgerExists(f"{target} 不是空目录；为免覆盖已有文件，请指定一个新目录或空目录。")


def init(target: Path, tasks: str, registry: str) -> tuple[DataDir, str | None]:
    """Create the ledger in `target` (new or empty) from the texts of its tasks.yaml and
    units.yaml; return its data dir and first commit. Anything that fails leaves nothing
    behind, so the same `init` can simply be run again."""
    refuse_occupied(target)
    _check_identity(_existing_parent(target))
    created = not target.exists()
    data = target / "data"
    try:
        data.mkdir(parents=True, exist_ok=True)
        (data / TASKS).write_text(tasks, encoding="utf-8")
        (data / UNITS).write_text(registry, encoding="utf-8")
        (data / PROGRESS).write_text(EMPTY_LOG, encoding="utf-8")
        # The default rules of 考评, commented, for the office to adapt (gongkai score).
        (data / SCORING).write_text(DEFAULT_TEXT, encoding="utf-8")
        data_dir = DataDir(data, "option")
        title = _checked_title(data_dir)  # the plan must be valid before anything else is made
        (target / ".gitattributes").write_text(f"data/{PROGRESS} merge=union\n", encoding="utf-8")
        readme = _template("README.md").replace("{title}", title)
        (target / "README.md").write_text(readme, encoding="utf-8")
        workflow = target / ".github" / "workflows"
        workflow.mkdir(parents=True)
        (workflow / "gongkai.yml").write_text(
            _template("gongkai.yml").replace("{version}", __version__), encoding="utf-8"
        )
        (target / ".pre-commit-config.yaml").write_text(
            _template("pre-commit-config.yaml"), encoding="utf-8"
        )
        (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
        commit = _first_commit(target, title)
    except BaseException:
        shutil.rmtree(target) if created else [_remove(p) for p in target.iterdir()]
        raise
    return data_dir, commit


def enclosing_repo(target: Path) -> Path | None:
    """The git repository that a new ledger at `target` would sit inside, if any."""
    repo = gitrepo.find_repo(_existing_parent(target.resolve().parent))
    return repo.root if repo else None


def _existing_parent(target: Path) -> Path:
    folder = target.resolve()
    while not folder.is_dir():
        folder = folder.parent
    return folder


def _check_identity(folder: Path) -> None:
    """Stop before anything is made if git could not sign the first commit."""
    if gitrepo.identity(folder) is None:
        raise GitFailed(IDENTITY_HELP)


def _template(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def _checked_title(data_dir: DataDir) -> str:
    """The plan's title, once the new ledger has passed every check."""
    from gongkai_cli.ledger.load import load

    loaded = load(data_dir)
    problems = [p for p in loaded.problems if p.is_error]
    if problems or loaded.ledger is None:
        raise DataError(problems)
    return loaded.ledger.title


def _remove(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() else path.unlink()


def _first_commit(target: Path, title: str) -> str | None:
    try:
        gitrepo.init_repo(target)
        repo = gitrepo.Repo(target.resolve())
        # Two clerks' updates diverge; a plain `git pull` should merge them (progress.yaml
        # is merge=union) instead of stopping to ask how to reconcile.
        repo.set_config("pull.rebase", "false")
        return repo.commit_all(f"建立台账：{title}")
    except GitFailed as exc:
        raise GitFailed(f"台账文件已建立，但 git 初始化未完成：{exc}") from None

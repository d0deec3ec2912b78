"""Find the data directory: --data, then $GONGKAI_DATA, then the nearest data/ upward, then the bundled plan."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gongkai_cli.errors import GongkaiError, ReadOnlyLedger

TASKS, UNITS, PROGRESS = "tasks.yaml", "units.yaml", "progress.yaml"
ENV_VAR = "GONGKAI_DATA"


# The installed package's own folder (gongkai_cli/), which ships the bundled plan and templates.
PACKAGE = Path(__file__).parent.parent


@dataclass(frozen=True, slots=True)
class DataDir:
    path: Path
    origin: str  # "option" | "env" | "found" | "bundled"

    @property
    def bundled(self) -> bool:
        return self.origin == "bundled"

    def file(self, name: str) -> Path:
        return self.path / name

    def display(self, name: str) -> str:
        """How a file is named in messages: relative to the working directory where possible."""
        path = self.path / name
        try:
            return str(path.relative_to(Path.cwd()))
        except (ValueError, FileNotFoundError):  # elsewhere, or the working directory is gone
            return str(path)


def bundled_dir() -> Path:
    packaged = PACKAGE / "bundled"
    if (packaged / TASKS).is_file():
        return packaged
    # A source checkout or editable install: the repository's own data/ is the bundled plan.
    return PACKAGE.resolve().parent / "data"


def find_data_dir(option: Path | None = None, cwd: Path | None = None) -> DataDir:
    """The data directory to use; its files are regular files inside it, or it is refused."""
    from gongkai_cli.ledger.files import check_data_files

    found = _find(option, cwd)
    if not found.bundled:
        check_data_files(found.path, (TASKS, UNITS, PROGRESS), found.display)
    return found


def _find(option: Path | None, cwd: Path | None) -> DataDir:
    if option is not None:
        return _explicit(option, "option", "--data")
    if os.environ.get(ENV_VAR):
        return _explicit(Path(os.environ[ENV_VAR]), "env", f"环境变量 {ENV_VAR}")
    here = (cwd or working_dir()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "data"
        if (candidate / TASKS).is_file():
            return DataDir(candidate, "found")
    return DataDir(bundled_dir(), "bundled")


def working_dir() -> Path:
    try:
        return Path.cwd()
    except FileNotFoundError:
        raise GongkaiError(
            "当前工作目录已不存在（可能已被删除或移走）；请进入一个存在的目录后再运行，或用 --data 指定数据目录。"
        ) from None


def _explicit(path: Path, origin: str, via: str) -> DataDir:
    if not (path / TASKS).is_file() and (path / "data" / TASKS).is_file():
        path = path / "data"  # the ledger's root, as `gongkai init` names it
    if not os.path.lexists(path / TASKS):  # a special tasks.yaml is refused by name, later
        raise GongkaiError(f"{via} 指定的目录 {path} 中没有 {TASKS}。")
    return DataDir(path, origin)


def writable(found: DataDir) -> DataDir:
    """`found`, unless it is the plan bundled with the program, which is never written."""
    if found.bundled:
        raise ReadOnlyLedger(f"当前没有可写的台账，只有随程序附带的计划（只读）：{found.path}。")
    return found


def as_data_dir(data: DataDir | str | Path | None = None) -> DataDir:
    """The data directory `data` names: itself if a DataDir, else found from the path given
    or, with None, as the command line finds it ($GONGKAI_DATA, the nearest data/ upward,
    the bundled plan)."""
    if isinstance(data, DataDir):
        return data
    return find_data_dir(Path(data) if data is not None else None)

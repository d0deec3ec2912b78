"""Load a data directory into a Ledger: parse, check the schemas, derive, collect every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from gongkai_cli import yamlio
from gongkai_cli.datadir import PROGRESS, TASKS, UNITS, DataDir
from gongkai_cli.deadlines import DeadlineError, parse_deadline
from gongkai_cli.errors import DataError, Problem
from gongkai_cli.models import Deadline, PlanFile, Registry, Resolution, Task, Update
from gongkai_cli.registry import UnitIndex
from gongkai_cli.resolve import ResolveError, resolve
from gongkai_cli.schema_errors import problems_from


@dataclass
class Ledger:
    """The plan, its registry and its progress log, with everything derived from them."""

    data_dir: DataDir
    title: str
    year: int
    tasks: dict[int, Task]  # by number, in the plan's order
    index: UnitIndex
    updates: list[Update]
    resolutions: dict[int, Resolution] = field(default_factory=dict)
    deadlines: dict[int, Deadline] = field(default_factory=dict)


@dataclass
class Loaded:
    """What the loader found: the raw located data, the models that validated, the problems."""

    data_dir: DataDir
    raw: dict[str, Any] = field(default_factory=dict)
    plan: PlanFile | None = None
    tasks: list[Task] = field(default_factory=list)
    task_raw_index: list[int] = field(default_factory=list)  # position of each task in the file
    registry: Registry | None = None
    updates: list[Update] = field(default_factory=list)
    update_raw_index: list[int] = field(default_factory=list)
    ledger: Ledger | None = None
    problems: list[Problem] = field(default_factory=list)

    def name(self, filename: str) -> str:
        return self.data_dir.display(filename)


def _read(loaded: Loaded, filename: str) -> Any:
    path = loaded.data_dir.file(filename)
    if filename == PROGRESS and not path.exists():
        return None  # no progress yet
    data, problems = yamlio.read(path, loaded.name(filename))
    loaded.problems += problems
    loaded.raw[filename] = data
    return data


def _mapping_expected(loaded: Loaded, filename: str, data: Any) -> bool:
    if isinstance(data, dict):
        return True
    if not any(p.file == loaded.name(filename) for p in loaded.problems):
        what = (
            "文件是空的" if data is None else f"顶层应为映射（键: 值），实际是{type(data).__name__}"
        )
        line, column = getattr(data, "pos", (1, 1))
        loaded.problems.append(
            Problem(loaded.name(filename), line, column, f"{what}。", "schema-top")
        )
    return False


def _load_plan(loaded: Loaded) -> None:
    data = _read(loaded, TASKS)
    if not _mapping_expected(loaded, TASKS, data):
        return
    name = loaded.name(TASKS)
    try:
        loaded.plan = PlanFile.model_validate(data)
        loaded.tasks = list(loaded.plan.tasks)
        loaded.task_raw_index = list(range(len(loaded.tasks)))
    except ValidationError as exc:
        loaded.problems += problems_from(exc, data, name)
        # Keep the tasks that are valid on their own, so the other checks still run on them.
        items = data.get("tasks")
        for i, item in enumerate(items if isinstance(items, list) else []):
            try:
                loaded.tasks.append(Task.model_validate(item))
                loaded.task_raw_index.append(i)
            except ValidationError:
                pass


def _load_registry(loaded: Loaded) -> None:
    data = _read(loaded, UNITS)
    if not _mapping_expected(loaded, UNITS, data):
        return
    try:
        loaded.registry = Registry.model_validate(data)
    except ValidationError as exc:
        loaded.problems += problems_from(exc, data, loaded.name(UNITS))


def _load_progress(loaded: Loaded) -> None:
    data = _read(loaded, PROGRESS)
    if data is None:
        return
    name = loaded.name(PROGRESS)
    if not isinstance(data, list):
        line, column = getattr(data, "pos", (1, 1))
        loaded.problems.append(
            Problem(
                name, line, column, "进展记录应是每行一条的列表（每行以“- ”开头）。", "schema-top"
            )
        )
        return
    for i, item in enumerate(data):
        try:
            loaded.updates.append(Update.model_validate(item))
            loaded.update_raw_index.append(i)
        except ValidationError as exc:
            loaded.problems += problems_from(exc, item, name, prefix=(i,))


def task_position(loaded: Loaded, task_index: int, key: str) -> tuple[int, int]:
    raw = loaded.raw.get(TASKS)
    return yamlio.position_of(raw, ("tasks", loaded.task_raw_index[task_index], key))


def _derive(loaded: Loaded) -> None:
    if loaded.registry is None:
        return
    index = UnitIndex(loaded.registry)
    year = loaded.plan.year if loaded.plan else None
    ledger = Ledger(
        loaded.data_dir,
        loaded.plan.title if loaded.plan else "",
        year or 0,
        {},
        index,
        loaded.updates,
    )
    name = loaded.name(TASKS)
    for i, task in enumerate(loaded.tasks):
        ledger.tasks.setdefault(task.number, task)
        designated = [index.canonical(u) or u for u in task.designated]
        try:
            ledger.resolutions.setdefault(
                task.number, resolve(task.responsibility, index, designated)
            )
        except ResolveError as exc:
            line, column = task_position(loaded, i, "responsibility")
            loaded.problems.append(
                Problem(
                    name, line, column + exc.offset, f"任务 {task.number}：{exc}", "unknown-unit"
                )
            )
        if year:
            try:
                ledger.deadlines.setdefault(task.number, parse_deadline(task.deadline, year))
            except DeadlineError as exc:
                line, column = task_position(loaded, i, "deadline")
                loaded.problems.append(
                    Problem(name, line, column, f"任务 {task.number}：{exc}", "deadline")
                )
    loaded.ledger = ledger


def load(data_dir: DataDir) -> Loaded:
    """Read and check a data directory; every problem found is in the result."""
    from gongkai_cli.checks import run_checks

    loaded = Loaded(data_dir)
    _load_plan(loaded)
    _load_registry(loaded)
    _load_progress(loaded)
    _derive(loaded)
    loaded.problems += run_checks(loaded)
    return loaded


def open_ledger(data_dir: DataDir) -> Ledger:
    """The ledger for a query; any error in the data stops the query (warnings do not)."""
    loaded = load(data_dir)
    if loaded.ledger is None or any(p.severity == "error" for p in loaded.problems):
        raise DataError(loaded.problems)
    return loaded.ledger

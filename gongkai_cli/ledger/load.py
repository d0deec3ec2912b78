"""Load a data directory into a Ledger: parse, check the schemas, derive, collect every problem."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from gongkai_cli.errors import Problem
from gongkai_cli.ledger import yamlio
from gongkai_cli.ledger.checks import run_checks
from gongkai_cli.ledger.datadir import PROGRESS, TASKS, UNITS, DataDir
from gongkai_cli.ledger.loaded import Loaded, responsibility_at
from gongkai_cli.ledger.logline import Entry, parse_canonical
from gongkai_cli.ledger.schema_errors import describe, problems_from
from gongkai_cli.model.deadlines import DeadlineError, parse_deadline
from gongkai_cli.model.registry import UnitIndex
from gongkai_cli.model.resolver import ResolveError, resolve
from gongkai_cli.model.schema import Ledger, PlanFile, Registry, Task, Update


def _text(loaded: Loaded, filename: str) -> str | None:
    """A data file's text; its bytes live only as long as this call."""
    try:
        raw = loaded.data_dir.file(filename).read_bytes()
    except FileNotFoundError:
        if filename != PROGRESS:  # no progress yet is normal; no plan or registry is not
            loaded.problems.append(Problem(loaded.name(filename), 1, 1, "文件不存在。", "io"))
        return None
    except OSError as exc:
        loaded.problems.append(
            Problem(loaded.name(filename), 1, 1, f"无法读取文件：{exc.strerror}。", "io")
        )
        return None
    text, problems = yamlio.decode(raw, loaded.name(filename))
    loaded.problems += problems
    return text


def _read(loaded: Loaded, filename: str) -> Any:
    text = _text(loaded, filename)
    if text is None:
        return None
    data, problems = yamlio.parse(text, loaded.name(filename))
    loaded.problems += problems
    loaded.raw[filename] = data
    return data


def _mapping_expected(loaded: Loaded, filename: str, data: Any) -> bool:
    if isinstance(data, dict):
        return True
    if not any(p.file == loaded.name(filename) for p in loaded.problems):
        what = "文件是空的" if data is None else f"顶层应为映射（键: 值），实际是{describe(data)}"
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
        loaded.task_index = list(range(len(loaded.tasks)))
    except ValidationError as exc:
        loaded.problems += problems_from(exc, data, name)
        # Keep the tasks that are valid on their own, so the other checks still run on them.
        items = data.get("tasks")
        for i, item in enumerate(items if isinstance(items, list) else []):
            try:
                loaded.tasks.append(Task.model_validate(item))
                loaded.task_index.append(i)
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


def _stream_canonical(loaded: Loaded) -> list[Entry] | None:
    """The log read line by line in its canonical form; None where it must be read whole."""
    try:
        with loaded.data_dir.file(PROGRESS).open(encoding="utf-8-sig", newline="") as lines:
            return parse_canonical(lines)
    except (OSError, UnicodeDecodeError):  # absent, unreadable or mis-encoded: said below
        return None


def _load_progress(loaded: Loaded) -> None:
    entries = _stream_canonical(loaded)
    if entries is not None:
        loaded.updates = entries
        return
    name = loaded.name(PROGRESS)
    text = _text(loaded, PROGRESS)
    if text is None:
        return
    data, problems = yamlio.parse(text, name)
    loaded.problems += problems
    loaded.raw[PROGRESS] = data
    if data is None:
        return
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
            u = Update.model_validate(item)
        except ValidationError as exc:
            loaded.problems += problems_from(exc, item, name, prefix=(i,))
            continue
        loaded.updates.append(
            Entry(u.date, u.task, u.unit, u.status, u.note, u.by, data.item_pos[i][0])
        )
        loaded.update_index.append(i)


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
            ledger.resolutions.setdefault(task.number, resolve(task.phrase, index, designated))
        except ResolveError as exc:
            key, offset = responsibility_at(task, exc.offset)
            line, column = loaded.task_position(i, key)
            loaded.problems.append(
                Problem(name, line, column + offset, f"任务 {task.number}：{exc}", "unknown-unit")
            )
        if year:
            try:
                ledger.deadlines.setdefault(task.number, parse_deadline(task.deadline, year))
            except DeadlineError as exc:
                line, column = loaded.task_position(i, "deadline")
                loaded.problems.append(
                    Problem(name, line, column, f"任务 {task.number}：{exc}", "deadline")
                )
    loaded.ledger = ledger


def load(data_dir: DataDir) -> Loaded:
    """Read and check a data directory; every problem found is in the result."""
    loaded = Loaded(data_dir)
    _load_plan(loaded)
    _load_registry(loaded)
    _load_progress(loaded)
    _derive(loaded)
    loaded.problems += run_checks(loaded)
    return loaded

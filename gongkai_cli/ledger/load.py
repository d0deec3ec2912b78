"""Load a data directory into a Ledger: parse, check the schemas, derive, collect every problem."""

from __future__ import annotations

import dataclasses
from typing import Any

from gongkai_cli.errors import DataError, Problem, has_errors
from gongkai_cli.ledger import yamlio
from gongkai_cli.ledger.checks import run_checks
from gongkai_cli.ledger.datadir import PROGRESS, TASKS, UNITS, DataDir
from gongkai_cli.ledger.files import UnsafeFile, check_data_files
from gongkai_cli.ledger.loaded import Loaded, responsibility_at
from gongkai_cli.ledger.logline import (
    Decision,
    Detail,
    Entry,
    Extension,
    LogRead,
    Retraction,
    Review,
    derived_id,
    read_log,
)
from gongkai_cli.ledger.schema_errors import describe, problems_from
from gongkai_cli.ledger.seen import ABSENT, read_bytes, text_lines
from gongkai_cli.model import fastschema, values
from gongkai_cli.model.deadlines import DeadlineError, parse_deadline, pending
from gongkai_cli.model.registry import UnitIndex
from gongkai_cli.model.resolver import ResolveError, resolve
from gongkai_cli.model.supervision import fold_supervision
from gongkai_cli.model.values import MAX_NOTE, Ledger


def _check(loaded: Loaded, filename: str) -> None:
    """Refuse a special file, a link out of the data directory or an oversized file
    (UnsafeFile) before it is opened; a missing one is left to the reader."""
    check_data_files(loaded.data_dir.path, (filename,), loaded.name)


def _text(loaded: Loaded, filename: str) -> str | None:
    """A data file's text; its bytes live only as long as this call."""
    try:
        _check(loaded, filename)
        raw, loaded.seen[filename] = read_bytes(loaded.data_dir.file(filename))
    except UnsafeFile as exc:
        loaded.problems.append(Problem(loaded.name(filename), 1, 1, str(exc), "io"))
        return None
    except FileNotFoundError:
        loaded.seen[filename] = ABSENT
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
    plan = fastschema.plan(data)
    if plan is None:  # a mistake somewhere: the schema finds it
        _load_plan_by_schema(loaded, data)
        return
    loaded.plan, loaded.tasks = plan, list(plan.tasks)
    loaded.task_index = list(range(len(plan.tasks)))


def _load_plan_by_schema(loaded: Loaded, data: Any) -> None:
    from pydantic import ValidationError

    from gongkai_cli.model.schema import PlanFile, Task, plain

    try:
        loaded.plan = plain(PlanFile.model_validate(data))
        loaded.tasks = list(loaded.plan.tasks)
        loaded.task_index = list(range(len(loaded.tasks)))
    except ValidationError as exc:
        loaded.problems += problems_from(exc, data, loaded.name(TASKS))
        # Keep the tasks that are valid on their own, so the other checks still run on them.
        items = data.get("tasks")
        for i, item in enumerate(items if isinstance(items, list) else []):
            try:
                loaded.tasks.append(plain(Task.model_validate(item)))
                loaded.task_index.append(i)
            except ValidationError:
                pass


def _load_registry(loaded: Loaded) -> None:
    data = _read(loaded, UNITS)
    if not _mapping_expected(loaded, UNITS, data):
        return
    loaded.registry = fastschema.registry(data)
    if loaded.registry is None:  # a mistake somewhere: the schema finds it
        _load_registry_by_schema(loaded, data)


def _load_registry_by_schema(loaded: Loaded, data: Any) -> None:
    from pydantic import ValidationError

    from gongkai_cli.model.schema import Registry, plain

    try:
        loaded.registry = plain(Registry.model_validate(data))
    except ValidationError as exc:
        loaded.problems += problems_from(exc, data, loaded.name(UNITS))


def _load_progress(loaded: Loaded) -> None:
    try:
        _check(loaded, PROGRESS)
        with text_lines(loaded.data_dir.file(PROGRESS), loaded.seen, PROGRESS) as lines:
            read = read_log(lines)
    except FileNotFoundError:  # no progress yet is normal
        loaded.seen[PROGRESS] = ABSENT
        return
    except (UnsafeFile, OSError, UnicodeDecodeError):
        _text(loaded, PROGRESS)  # says what is wrong, and where
        return
    name = loaded.name(PROGRESS)
    for line, length in read.overlong:
        message = (
            f"这一行过长（{length} 个字符），超出一条进展记录可能的长度（说明最多 {MAX_NOTE} 字）。"
        )
        loaded.problems.append(Problem(name, line, 1, message, "line-too-long"))
    odd_before = 0  # items the runs before this one held
    for first, events, text in read.odd_runs:
        odd_before += _read_odd_run(loaded, read, first, events + odd_before, text)
    if read.odd_runs:
        read.updates.sort(key=lambda e: e.line)
        read.retractions.sort(key=lambda r: r.line)
        read.supervision.sort(key=lambda e: e.line)
    loaded.updates = read.updates
    loaded.retractions = read.retractions
    loaded.supervision = read.supervision
    loaded.details = read.details


def _read_odd_run(loaded: Loaded, read: LogRead, first: int, before: int, text: str) -> int:
    """Lines that are not canonical, read by YAML as a list of updates and retractions
    (`before` items precede them in the file); returns how many items they hold."""
    name = loaded.name(PROGRESS)
    data, problems = yamlio.parse(text, name)
    loaded.problems += [dataclasses.replace(p, line=p.line + first - 1) for p in problems]
    if problems:
        return 0
    yamlio.shift(data, first - 1)
    # Only block-list items (as the canonical lines are) fit in a log of one item per line.
    if not isinstance(data, list) or not text.lstrip(" \t\r\n").startswith("-"):
        line, column = getattr(data, "pos", (first, 1))
        loaded.problems.append(
            Problem(
                name, line, column, "进展记录应是每行一条的列表（每行以“- ”开头）。", "schema-top"
            )
        )
        return 0
    from pydantic import ValidationError

    from gongkai_cli.model import schema

    for i, item in enumerate(data):
        line = data.item_pos[i][0]
        model = schema.event_model(item)
        try:
            valid = model.model_validate(item)
        except ValidationError as exc:
            loaded.problems += problems_from(exc, item, name, prefix=(before + i,))
            continue
        loaded.odd_items[line] = item
        if model is schema.Update:
            entry = Entry(
                valid.date,
                valid.task,
                valid.unit,
                valid.status,
                valid.note,
                valid.by,
                line,
                period=valid.period,
            )
            read.updates.append(entry._replace(id=valid.id or derived_id(entry)))
            if valid.problems is not None or valid.next is not None or valid.evidence:
                read.details[line] = Detail(valid.problems, valid.next, tuple(valid.evidence or ()))
        elif model is schema.Retraction:
            read.retractions.append(
                Retraction(valid.id, valid.date, valid.retracts, valid.by, line)
            )
        else:
            read.supervision.append(_supervision_event(valid, line))
    return len(data)


def _supervision_event(valid, line: int) -> Review | Extension | Decision:
    """A review, extension request or decision as the log keeps it."""
    from gongkai_cli.model import schema

    if isinstance(valid, schema.Review):
        return Review(
            valid.id, valid.date, valid.reviews, valid.verdict, valid.note, valid.by, line
        )
    if isinstance(valid, schema.ExtensionRequest):
        return Extension(
            valid.id,
            valid.date,
            valid.task,
            valid.unit,
            valid.extend_to,
            valid.note,
            valid.by,
            line,
        )
    return Decision(
        valid.id,
        valid.date,
        valid.decides,
        valid.verdict,
        valid.extend_to,
        valid.note,
        valid.by,
        line,
    )


def unit_index(registry: values.Registry) -> UnitIndex:
    return UnitIndex(list(registry.units), list(registry.groups))


def _derive(loaded: Loaded) -> None:
    if loaded.registry is None:
        return
    index = unit_index(loaded.registry)
    year = loaded.plan.year if loaded.plan else None
    ledger = Ledger(
        loaded.data_dir,
        loaded.plan.title if loaded.plan else "",
        year or 0,
        {},
        index,
        loaded.counting(),
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
                deadline = parse_deadline(task.deadline, year)
                problem = None
                if deadline.kind == "pending":
                    problem = f"时限写作“{task.deadline}”，尚未确定：不会逾期，请确定后填写。"
            except DeadlineError as exc:
                if not exc.unknown:
                    line, column = loaded.task_position(i, "deadline")
                    loaded.problems.append(
                        Problem(name, line, column, f"任务 {task.number}：{exc}", "deadline")
                    )
                    continue
                # A phrase no rule reads is the plan's own words: kept, to be confirmed.
                deadline, problem = pending(task.deadline), f"{exc}此项记为待定，不会逾期。"
            ledger.deadlines.setdefault(task.number, deadline)
            if problem:
                line, column = loaded.task_position(i, "deadline")
                loaded.problems.append(
                    Problem(
                        name,
                        line,
                        column,
                        f"任务 {task.number}：{problem}",
                        "deadline-pending",
                        "warning",
                    )
                )
    ledger.supervision = fold_supervision(
        loaded.plan,
        ledger.updates,
        loaded.counting_supervision(),
        loaded.details,
        index.canonical,
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


def load_sound(data_dir: DataDir) -> Loaded:
    """load(), for a command that needs the whole log of a ledger without errors: raises
    DataError with every problem otherwise."""
    loaded = load(data_dir)
    if loaded.ledger is None or has_errors(loaded.problems):
        raise DataError(loaded.problems)
    return loaded

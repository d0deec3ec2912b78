"""What the loader found in a data directory, and where each task and update stands in its file."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from gongkai_cli.errors import Problem
from gongkai_cli.ledger import yamlio
from gongkai_cli.ledger.datadir import PROGRESS, TASKS, DataDir
from gongkai_cli.ledger.logline import Entry
from gongkai_cli.model.schema import Ledger, PlanFile, Registry, Task


@dataclass
class Loaded:
    """What the loader found: the raw located data, the models that validated, the problems."""

    data_dir: DataDir
    raw: dict[str, Any] = field(default_factory=dict)
    plan: PlanFile | None = None
    tasks: list[Task] = field(default_factory=list)
    # The position of each valid task (and, when the log was read as YAML, each update) among
    # its file's items: invalid items are skipped, so the two can differ.
    task_index: list[int] = field(default_factory=list)
    registry: Registry | None = None
    updates: list[Entry] = field(default_factory=list)
    update_index: list[int] = field(default_factory=list)
    ledger: Ledger | None = None
    problems: list[Problem] = field(default_factory=list)

    def name(self, filename: str) -> str:
        return self.data_dir.display(filename)

    def problem(
        self,
        filename: str,
        loc: tuple[Any, ...],
        message: str,
        code: str,
        severity: str = "error",
        *,
        key: bool = False,
    ) -> Problem:
        """A problem located at `loc` (a path of keys and indexes) in one of the files."""
        line, column = yamlio.position_of(self.raw.get(filename), loc, key=key)
        return Problem(self.name(filename), line, column, message, code, severity)

    def task_loc(self, i: int, *keys: Any) -> tuple[Any, ...]:
        """The path in tasks.yaml of the i-th valid task (and of `keys` inside it)."""
        return ("tasks", self.task_index[i], *keys)

    def task_position(self, i: int, *keys: Any) -> tuple[int, int]:
        return yamlio.position_of(self.raw.get(TASKS), self.task_loc(i, *keys))

    def update_position(self, i: int, key: str) -> tuple[int, int]:
        """Where field `key` of the i-th update stands; found only when a problem needs it
        (a canonical log was never parsed as YAML, so its one line is parsed now)."""
        if self.raw.get(PROGRESS) is not None:
            return yamlio.position_of(self.raw[PROGRESS], (self.update_index[i], key))
        line = self.updates[i].line
        with self.data_dir.file(PROGRESS).open(encoding="utf-8-sig") as handle:
            text = next(itertools.islice(handle, line - 1, None), "")
        data, _ = yamlio.parse(text, "")
        return line, yamlio.position_of(data, (0, key))[1]


def responsibility_at(task: Task, offset: int = 0) -> tuple[str, int]:
    """The field of a task that holds character `offset` of its responsibility phrase, and
    the offset inside that field: with split columns, the phrase is lead + 牵头，+ implementers."""
    if task.responsibility is not None:
        return "responsibility", offset
    if task.lead and task.lead.strip():
        lead = task.lead.strip()
        length = len(lead if lead.endswith("牵头") else lead + "牵头")
        if offset < length or not task.implementers:
            return "lead", offset + len(task.lead) - len(task.lead.lstrip())
        offset -= length + 1  # the ， joining the two parts
    cell = task.implementers or ""
    return "implementers", max(offset, 0) + len(cell) - len(cell.lstrip())

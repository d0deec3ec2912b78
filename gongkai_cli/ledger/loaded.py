"""What the loader found in a data directory, and where each task and update stands in its file."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from gongkai_cli.errors import Problem
from gongkai_cli.ledger.datadir import PROGRESS, TASKS, DataDir
from gongkai_cli.ledger.logline import Decision, Detail, Entry, Extension, Retraction, Review
from gongkai_cli.ledger.seen import Seen
from gongkai_cli.model.values import Ledger, Plan, Registry, Task, lead_part


@dataclass
class Loaded:
    """What the loader found: the raw located data, the plan and registry as plain values
    (what validated of them), the log's events, the problems."""

    data_dir: DataDir
    raw: dict[str, Any] = field(default_factory=dict)
    plan: Plan | None = None
    tasks: list[Task] = field(default_factory=list)
    # The position of each valid task among its file's items: invalid items are skipped,
    # so the two can differ.
    task_index: list[int] = field(default_factory=list)
    registry: Registry | None = None
    updates: list[Entry] = field(default_factory=list)  # every update, retracted or not
    retractions: list[Retraction] = field(default_factory=list)
    # Reviews, extension requests and decisions, retracted or not, in file order.
    supervision: list[Review | Extension | Decision] = field(default_factory=list)
    details: dict[int, Detail] = field(default_factory=dict)  # update line → its details
    odd_items: dict[int, Any] = field(default_factory=dict)  # line → event read by YAML
    ledger: Ledger | None = None
    problems: list[Problem] = field(default_factory=list)
    seen: dict[str, Seen] = field(default_factory=dict)  # what was read of each file
    # The log's text and where each of its lines starts, read once when the first problem
    # of a canonical line needs a column (so a log with many problems is not read again
    # from the start for each one).
    _log_lines: tuple[str, list[int]] | None = field(default=None, repr=False, compare=False)

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
        from gongkai_cli.ledger import yamlio  # only with a problem: writers never need YAML

        line, column = yamlio.position_of(self.raw.get(filename), loc, key=key)
        return Problem(self.name(filename), line, column, message, code, severity)

    def task_loc(self, i: int, *keys: Any) -> tuple[Any, ...]:
        """The path in tasks.yaml of the i-th valid task (and of `keys` inside it)."""
        return ("tasks", self.task_index[i], *keys)

    def task_position(self, i: int, *keys: Any) -> tuple[int, int]:
        from gongkai_cli.ledger import yamlio

        return yamlio.position_of(self.raw.get(TASKS), self.task_loc(i, *keys))

    def retracted(self) -> dict[str, Retraction]:
        """Event id → its first retraction."""
        found: dict[str, Retraction] = {}
        for retraction in self.retractions:
            found.setdefault(retraction.retracts, retraction)
        return found

    def counting(self) -> list[Entry]:
        """The updates that count: all but the retracted ones."""
        if not self.retractions:
            return self.updates
        retracted = self.retracted()
        return [u for u in self.updates if u.id not in retracted]

    def counting_supervision(self) -> list[Review | Extension | Decision]:
        """The reviews, extension requests and decisions that count: all but the retracted."""
        if not self.retractions:
            return self.supervision
        retracted = self.retracted()
        return [e for e in self.supervision if e.id not in retracted]

    def event_position(self, line: int, key: str) -> tuple[int, int]:
        """Where field `key` of the event on `line` stands; found only when a problem needs
        it (a canonical line was never parsed as YAML, so it is parsed now)."""
        from gongkai_cli.ledger import yamlio

        item = self.odd_items.get(line)
        if item is not None:
            return yamlio.position_of(item, (key,))
        text = self._log_line(line)
        data, _ = yamlio.parse(text, "")
        return line, yamlio.position_of(data, (0, key))[1]

    def _log_line(self, line: int) -> str:
        """Line number `line` of the log as a text stream reads it (\\r\\n and a lone \\r
        end a line too, and read as \\n), or "" past the end."""
        if self._log_lines is None:
            from gongkai_cli.ledger.files import open_regular

            path = self.data_dir.file(PROGRESS)
            with open_regular(path, within=self.data_dir.path) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig").read()
            starts = [0]
            at = text.find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = text.find("\n", at + 1)
            self._log_lines = text, starts
        text, starts = self._log_lines
        if not 1 <= line <= len(starts):
            return ""
        end = starts[line] if line < len(starts) else len(text)
        return text[starts[line - 1] : end]


def responsibility_at(task: Task, offset: int = 0) -> tuple[str, int]:
    """The field of a task that holds character `offset` of its responsibility phrase, and
    the offset inside that field: with split columns, the phrase is lead + 牵头，+ implementers."""
    if task.responsibility is not None:
        return "responsibility", offset
    if task.lead and task.lead.strip():
        length = len(lead_part(task.lead))
        if offset < length or not task.implementers:
            return "lead", offset + len(task.lead) - len(task.lead.lstrip())
        offset -= length + 1  # the ， joining the two parts
    cell = task.implementers or ""
    return "implementers", max(offset, 0) + len(cell) - len(cell.lstrip())

"""Checking a ledger: every problem of its data files at once (the files themselves, the
evidence they name, the scoring rules, the member ledgers), as `gongkai validate` reports
them and a program or CI may read them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai_cli.errors import Problem, Severity
from gongkai_cli.ledger.datadir import as_data_dir

if TYPE_CHECKING:
    from gongkai_cli.ledger.checked import Checked
    from gongkai_cli.ledger.datadir import DataDir


@dataclass(frozen=True, slots=True)
class Validation:
    problems: list[Problem]  # errors and warnings, in the order of the files
    task_count: int  # the plan's valid tasks
    schedules: list[tuple]  # (number, phrase, schedule, year) of each recurring task read

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def check_ledger(data: DataDir | str | Path | None = None, *, strict: bool = False) -> Validation:
    """Every problem of the ledger; with `strict`, its warnings count as errors."""
    from gongkai_cli.ledger.checked import evidence_problems, load_checked
    from gongkai_cli.ledger.members import members_problems
    from gongkai_cli.ledger.scoring_file import scoring_problems

    found = as_data_dir(data)
    checked = load_checked(found)
    problems = checked.problems + evidence_problems(found, checked) + scoring_problems(found)
    problems += members_problems(found)
    if strict:
        problems = [p if p.is_error else replace(p, severity=Severity.ERROR) for p in problems]
    return Validation(problems, checked.task_count, _schedules(checked))


def _schedules(checked: Checked) -> list[tuple]:
    """(number, phrase, schedule, year) of each recurring task whose schedule was read."""
    from gongkai_cli.model.schedules import task_schedule

    ledger = checked.ledger
    if ledger is None or not ledger.year:
        return []
    return [
        (number, task.deadline, schedule, ledger.year)
        for number, task in ledger.tasks.items()
        if number in ledger.deadlines
        and (schedule := task_schedule(task.deadline, ledger.deadlines[number]))
    ]

"""The core's error types, exit statuses and the located problems that validation collects.

Every failure a user can act on is a `GongkaiError`; its subclasses let code and tests tell
them apart without parsing messages. Messages are one Chinese sentence and never name a
command-line option: the CLI adds that hint where it knows which option a value came from.

May import: nothing of the package; every other part may import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum


class ExitStatus(IntEnum):
    """Exit statuses of `gongkai`, for a script to act on (the README lists them)."""

    OK = 0
    ERROR = 1  # the data or the request is wrong: correct it, then run again
    USAGE = 2  # the command line is wrong (an unknown option, a missing argument): Click's own
    LOCKED = 3  # another gongkai is writing to the ledger: nothing was done, try again shortly
    GIT_FAILED = 4  # git failed or is missing: the message says what was kept or undone
    INTERRUPTED = 130  # stopped by Ctrl-C (128 + SIGINT, as shells report it)


class GongkaiError(Exception):
    """A failure the user can act on; the CLI prints its message and exits with `status`."""

    status = ExitStatus.ERROR


class InvalidValue(GongkaiError):
    """A value given by the user (a date, a status, a section, a period) cannot be read."""

    def __init__(self, message: str, value: str):
        super().__init__(message)
        self.value = value


class UnknownTask(GongkaiError):
    """The plan has no task of this number."""

    def __init__(self, message: str, number: int):
        super().__init__(message)
        self.number = number


class UnknownUnit(GongkaiError):
    """The registry has no unit of this name or alias (or it names a group, not one unit)."""

    def __init__(self, message: str, name: str, suggestion: str | None = None):
        super().__init__(message)
        self.name = name
        self.suggestion = suggestion


class NotResponsible(GongkaiError):
    """Units that do not answer for the task they were given with."""

    def __init__(self, message: str, task: int, units: list[str]):
        super().__init__(message)
        self.task = task
        self.units = units


class LedgerLocked(GongkaiError):
    """Another gongkai process holds the ledger's write lock."""

    status = ExitStatus.LOCKED


class ReadOnlyLedger(GongkaiError):
    """A write was asked of the plan bundled with the program, or of files not writable."""


class WriteFailed(GongkaiError):
    """A file could not be written; nothing was changed."""


class SiteFolderRefused(WriteFailed):
    """The site's folder is a file, or holds files that are not an earlier site."""


class GitFailed(GongkaiError):
    """A git command failed, or git is missing."""

    status = ExitStatus.GIT_FAILED


class NothingToUndo(GongkaiError):
    """`undo` found no progress commit to take back."""


class LedgerExists(GongkaiError):
    """`init` was pointed at a folder that already holds files."""


class PlanDocumentError(GongkaiError):
    """A plan document could not be read into tasks."""


class Severity(StrEnum):
    ERROR = "error"  # the file cannot be used as it is
    WARNING = "warning"  # worth a look; errors only under `validate --strict`


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of the loader, a check or a returned form, located in its file: by line
    and column (1-based) in a data file, or, in a workbook, by `cell` (工作表!单元格; None
    and no line: the form as a whole)."""

    file: str
    line: int | None
    column: int | None
    message: str
    code: str
    severity: Severity = Severity.ERROR
    cell: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", Severity(self.severity))  # "warning" is read too

    @classmethod
    def in_form(
        cls, file: str, cell: str | None, message: str, severity: Severity = Severity.ERROR
    ) -> Problem:
        return cls(file, None, None, message, "form", severity, cell)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_text(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        # A form's problems are read by the clerk who filled it in: the cell, and 提醒 in words.
        place = f"{self.file}:{self.cell}" if self.cell else self.file
        prefix = "提醒：" if self.severity is Severity.WARNING else ""
        return f"{place}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "code": self.code,
        }


def has_errors(problems: Iterable[Problem]) -> bool:
    """Whether any problem is an error (warnings alone leave a ledger usable)."""
    return any(p.is_error for p in problems)


class DataError(GongkaiError):
    """The data directory holds errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            f"数据有 {sum(p.is_error for p in problems)} 处错误，请运行 gongkai validate 查看并修正。"
        )

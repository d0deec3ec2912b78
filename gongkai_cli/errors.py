"""The core's error types, exit statuses and the located problems that validation collects."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # the data or the request is wrong
    USAGE = 2  # Typer's own usage errors


class GongkaiError(Exception):
    """A failure the user can act on; the CLI prints its message and exits 1."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of the loader or a check, located in a file (line and column are 1-based)."""

    file: str
    line: int
    column: int
    message: str
    code: str
    severity: str = "error"  # or "warning"

    def as_text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "code": self.code,
        }


class DataError(GongkaiError):
    """The data directory holds errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"数据有 {len(errors)} 处错误，请运行 gongkai validate 查看并修正。")

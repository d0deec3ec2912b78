"""The files beside the plan that some commands read (members.yaml, coverage.yaml): read
safely and strictly, their mistakes located like the plan's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gongkai_cli.errors import DataError, GongkaiError, Problem


class FileInvalid(DataError):
    """A side file holds mistakes; carries every problem found."""

    def __init__(self, problems: list[Problem], shown: str):
        super().__init__(problems)
        errors = sum(p.is_error for p in problems)
        self.args = (f"{shown} 有 {errors} 处错误，请修正后再试。",)


def read_yaml(path: Path, shown: str) -> Any:
    """The YAML in `path`, with positions (None if there is no such file); FileInvalid if it
    is not UTF-8 or not YAML, GongkaiError if it is special, a link or too large."""
    from gongkai_cli.ledger import yamlio
    from gongkai_cli.ledger.files import UnsafeFile, read_bytes

    try:
        raw = read_bytes(path, within=path.parent, shown=shown)
    except FileNotFoundError:
        return None
    except UnsafeFile as exc:
        raise GongkaiError(str(exc)) from None
    except OSError as exc:
        raise GongkaiError(f"无法读取 {shown}：{exc.strerror}。") from None
    text, problems = yamlio.decode(raw, shown)
    if text is None:
        raise FileInvalid(problems, shown)
    data, problems = yamlio.parse(text, shown)
    if problems:
        raise FileInvalid(problems, shown)
    return data

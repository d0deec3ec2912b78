"""gongkai: the ledger (台账) of a county's 政务公开 key-task plan, as a library and a command.

The names below load on first use, so `import gongkai_cli` (and so every command's start-up)
stays cheap; `gongkai_cli.api` says how they fit together.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name → the module that defines it
_EXPORTS = {
    "open_ledger": "gongkai_cli.api",
    "validate": "gongkai_cli.api",
    "record_update": "gongkai_cli.api",
    "undo": "gongkai_cli.api",
    "data_dir": "gongkai_cli.api",
    "Book": "gongkai_cli.model.book",
    "Filters": "gongkai_cli.model.book",
    "list_tasks": "gongkai_cli.model.book",
    "overdue": "gongkai_cli.model.book",
    "due": "gongkai_cli.model.book",
    "parse_date": "gongkai_cli.model.dates",
    "parse_status": "gongkai_cli.model.statuses",
    "progress_report": "gongkai_cli.output.reports",
    "overdue_bulletin": "gongkai_cli.output.reports",
    "unit_checklist": "gongkai_cli.output.reports",
    "stats": "gongkai_cli.output.reports",
    "GongkaiError": "gongkai_cli.errors",
    "DataError": "gongkai_cli.errors",
    "Problem": "gongkai_cli.errors",
}

__all__ = [
    "Book",
    "DataError",
    "Filters",
    "GongkaiError",
    "Problem",
    "__version__",
    "data_dir",
    "due",
    "list_tasks",
    "open_ledger",
    "overdue",
    "overdue_bulletin",
    "parse_date",
    "parse_status",
    "progress_report",
    "record_update",
    "stats",
    "undo",
    "unit_checklist",
    "validate",
]

if TYPE_CHECKING:
    from gongkai_cli.api import data_dir, open_ledger, record_update, undo, validate
    from gongkai_cli.errors import DataError, GongkaiError, Problem
    from gongkai_cli.model.book import Book, Filters, due, list_tasks, overdue
    from gongkai_cli.model.dates import parse_date
    from gongkai_cli.model.statuses import parse_status
    from gongkai_cli.output.reports import (
        overdue_bulletin,
        progress_report,
        stats,
        unit_checklist,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gongkai_cli' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

"""gongkai: the ledger (台账) of a county's 政务公开 key-task plan, as a library and a command.

The names below load on first use, so `import gongkai_cli` (and so every command's start-up)
stays cheap; `gongkai_cli.api` says how they fit together.

May import: `gongkai_cli.version` (the rest by name, when first used).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gongkai_cli.version import __version__

# name → the module that defines it
_EXPORTS = {
    "open_ledger": "gongkai_cli.api",
    "validate": "gongkai_cli.api",
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
    # the use cases (gongkai_cli.actions)
    "start_ledger": "gongkai_cli.actions.start_ledger",
    "check_ledger": "gongkai_cli.actions.check_ledger",
    "read_import": "gongkai_cli.actions.import_plan",
    "write_plan": "gongkai_cli.actions.import_plan",
    "import_plan": "gongkai_cli.actions.import_plan",
    "compare_plans": "gongkai_cli.actions.compare_plans",
    "compare_revisions": "gongkai_cli.actions.compare_plans",
    "record_update": "gongkai_cli.actions.record_progress",
    "undo": "gongkai_cli.actions.record_progress",
    "claims_to_review": "gongkai_cli.actions.review",
    "review": "gongkai_cli.actions.review",
    "request_extension": "gongkai_cli.actions.extend",
    "decide_extension": "gongkai_cli.actions.extend",
    "extension_requests": "gongkai_cli.actions.extend",
    "progress_log": "gongkai_cli.actions.record_progress",
    "issue_forms": "gongkai_cli.actions.forms_round",
    "collect_forms": "gongkai_cli.actions.forms_round",
    "forms_status": "gongkai_cli.actions.forms_round",
    "render": "gongkai_cli.actions.publish_report",
    "publish_report": "gongkai_cli.actions.publish_report",
    "publish_checklists": "gongkai_cli.actions.publish_report",
    "verify_report": "gongkai_cli.actions.verify",
    "build_site": "gongkai_cli.actions.build_site",
    "members": "gongkai_cli.actions.members",
    "add_member": "gongkai_cli.actions.members",
    "fetch_members": "gongkai_cli.actions.members",
    "rollup": "gongkai_cli.actions.rollup",
    "rollup_by_task": "gongkai_cli.actions.rollup",
    "member_coverage": "gongkai_cli.actions.coverage",
    "plan_coverage": "gongkai_cli.actions.coverage",
    "score": "gongkai_cli.actions.score",
    "notices": "gongkai_cli.actions.notice",
    "publish_notices": "gongkai_cli.actions.notice",
    "scores_report": "gongkai_cli.output.scores",
    "period_rows": "gongkai_cli.model.periods",
    "parse_schedule": "gongkai_cli.model.schedules",
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
    "add_member",
    "build_site",
    "check_ledger",
    "claims_to_review",
    "collect_forms",
    "compare_plans",
    "compare_revisions",
    "data_dir",
    "decide_extension",
    "due",
    "extension_requests",
    "fetch_members",
    "forms_status",
    "import_plan",
    "issue_forms",
    "list_tasks",
    "member_coverage",
    "members",
    "notices",
    "open_ledger",
    "overdue",
    "overdue_bulletin",
    "parse_date",
    "parse_schedule",
    "parse_status",
    "period_rows",
    "plan_coverage",
    "progress_log",
    "progress_report",
    "publish_checklists",
    "publish_notices",
    "publish_report",
    "read_import",
    "record_update",
    "render",
    "request_extension",
    "review",
    "rollup",
    "rollup_by_task",
    "score",
    "scores_report",
    "start_ledger",
    "stats",
    "undo",
    "unit_checklist",
    "validate",
    "verify_report",
    "write_plan",
]

if TYPE_CHECKING:
    from gongkai_cli.actions.build_site import build_site
    from gongkai_cli.actions.check_ledger import check_ledger
    from gongkai_cli.actions.compare_plans import compare_plans, compare_revisions
    from gongkai_cli.actions.coverage import member_coverage, plan_coverage
    from gongkai_cli.actions.extend import (
        decide_extension,
        extension_requests,
        request_extension,
    )
    from gongkai_cli.actions.forms_round import collect_forms, forms_status, issue_forms
    from gongkai_cli.actions.import_plan import import_plan, read_import, write_plan
    from gongkai_cli.actions.members import add_member, fetch_members, members
    from gongkai_cli.actions.notice import notices, publish_notices
    from gongkai_cli.actions.publish_report import publish_checklists, publish_report, render
    from gongkai_cli.actions.record_progress import progress_log, record_update, undo
    from gongkai_cli.actions.review import claims_to_review, review
    from gongkai_cli.actions.rollup import rollup, rollup_by_task
    from gongkai_cli.actions.score import score
    from gongkai_cli.actions.start_ledger import start_ledger
    from gongkai_cli.actions.verify import verify_report
    from gongkai_cli.api import data_dir, open_ledger, validate
    from gongkai_cli.errors import DataError, GongkaiError, Problem
    from gongkai_cli.model.book import Book, Filters, due, list_tasks, overdue
    from gongkai_cli.model.dates import parse_date
    from gongkai_cli.model.periods import period_rows
    from gongkai_cli.model.schedules import parse_schedule
    from gongkai_cli.model.statuses import parse_status
    from gongkai_cli.output.reports import (
        overdue_bulletin,
        progress_report,
        stats,
        unit_checklist,
    )
    from gongkai_cli.output.scores import scores_report


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gongkai_cli' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

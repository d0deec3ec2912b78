"""Shell completion that knows the ledger: units, aliases, groups, status words, task numbers
and sections. These run only when the shell asks for completions, never on a normal start."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _book(ctx: Any):
    """The ledger the command line points at (its --data, else the usual search), or None:
    a completion must never print an error into the user's shell."""
    try:
        from gongkai_cli.ledger.checked import open_book
        from gongkai_cli.ledger.datadir import find_data_dir

        data = (ctx.params or {}).get("data") if ctx is not None else None
        # Typer 0.26 leaves the value a string while completing.
        return open_book(find_data_dir(Path(data) if data else None))
    except Exception:
        return None


def _matching(items, incomplete: str):
    """The items that start with what was typed (shells offer only those)."""
    typed = incomplete.strip()
    return [item for item in items if item[0].startswith(typed)]


def units(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    book = _book(ctx)
    if book is None:
        return []
    index = book.ledger.index
    items = [(name, "单位") for name in index.units]
    items += [(a, f"即 {u.name}") for u in index.units.values() for a in u.aliases]
    items += [(group, f"集合，{len(index.members(group))}个单位") for group in index.groups]
    return _matching(items, incomplete)


def statuses(incomplete: str) -> list[tuple[str, str]]:
    from gongkai_cli.model.statuses import DERIVED, STATUSES, TASK_CLOSED

    items = [(word, "状态") for word in STATUSES]
    items += [(word, "按日期推算") for word in DERIVED] + [(TASK_CLOSED, "任务状态")]
    return _matching(items, incomplete)


def recorded_statuses(incomplete: str) -> list[tuple[str, str]]:
    from gongkai_cli.model.statuses import STATUSES

    return _matching([(word, "状态") for word in STATUSES], incomplete)


def tasks(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    book = _book(ctx)
    if book is None:
        return []
    from gongkai_cli.output.cjk import clip

    items = [(str(n), clip(t.requirement, 40)) for n, t in book.ledger.tasks.items()]
    return [i for i in items if i[0].startswith(incomplete.strip())]


def sections(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    book = _book(ctx)
    if book is None:
        return []
    titles = dict.fromkeys(t.section for t in book.ledger.tasks.values())
    items = [tuple(title.split("、", 1)) for title in titles if "、" in title]
    return _matching(items, incomplete)

"""Status words typed by users: the Chinese words, or their English and ledger aliases."""

from __future__ import annotations

from gongkai_cli.errors import InvalidValue
from gongkai_cli.model.values import STATUS_ALIASES, STATUSES


def parse_status(text: str) -> str:
    word = text.strip()
    if word in STATUSES:
        return word
    if word.lower() in STATUS_ALIASES:
        return STATUS_ALIASES[word.lower()]
    if word in ("逾期", "逾期完成", "临期"):
        raise InvalidValue(
            f"“{word}”由日期推算得出，不能手工填写；请填写 {'、'.join(STATUSES)} 之一。", text
        )
    raise InvalidValue(
        f"状态“{text}”无效；请填写 {'、'.join(STATUSES)} 之一（或 todo、doing、lagging、done、n/a）。",
        text,
    )

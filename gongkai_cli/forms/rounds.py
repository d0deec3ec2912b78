"""Who has replied in a round: read from the commits that `collect` made, with no state file."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gongkai_cli.errors import GongkaiError
from gongkai_cli.record import git as gitrepo

TRAILER_FILE, TRAILER_SHA, TRAILER_ROUND = "Form", "Form-SHA256", "Round"
_TRAILER = re.compile(r"^([A-Za-z][A-Za-z0-9-]*): (.*)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class CollectedForm:
    """One form entered by a commit of `collect`."""

    commit: str
    unit: str
    round: dt.date
    date: dt.date
    file: str
    sha256: str
    updates: int


# The commits `find_collected` reads: git's --grep patterns, and the same as a test of a
# message in hand (a commit `collect` has just made).
COLLECTIONS = (f"^{TRAILER_SHA}: ", "^Reverts: ")
_TELLING = re.compile("|".join(COLLECTIONS), re.MULTILINE)


def find_collected(repo: gitrepo.Repo) -> list[CollectedForm]:
    """Every collected form, newest first, leaving out those whose commit was undone."""
    return collected_in(repo.messages(*COLLECTIONS))


def telling(message: str) -> bool:
    """Whether `find_collected` reads a commit of this message."""
    return _TELLING.search(message) is not None


def collected_in(commits: list[tuple[str, str]]) -> list[CollectedForm]:
    """`find_collected` of the (id, message) of the commits it reads, newest first."""
    reverted = {value for _, text in commits for key, value in trailers(text) if key == "Reverts"}
    found = []
    for sha, text in commits:
        if sha in reverted:
            continue
        fields: dict[str, list[str]] = {}
        for key, value in trailers(text):
            fields.setdefault(key, []).append(value)
        try:
            found.append(
                CollectedForm(
                    commit=sha,
                    unit=fields["Unit"][0],
                    round=dt.date.fromisoformat(fields[TRAILER_ROUND][0]),
                    date=dt.date.fromisoformat(fields["Date"][0]),
                    file=fields[TRAILER_FILE][0],
                    sha256=fields[TRAILER_SHA][0],
                    updates=len(fields.get("Task", ())),
                )
            )
        except (KeyError, ValueError):
            continue  # a commit that only quotes such a trailer is not a collected form
    return found


def trailers(text: str) -> list[tuple[str, str]]:
    """A commit message's trailers (its last paragraph's `Key: value` lines)."""
    last = text.strip().rsplit("\n\n", 1)[-1]
    return [(m.group(1), m.group(2).strip()) for m in _TRAILER.finditer(last)]


@dataclass(frozen=True, slots=True)
class Reply:
    unit: str
    forms: tuple[CollectedForm, ...]  # newest first; empty: not returned

    @property
    def returned(self) -> bool:
        return bool(self.forms)


@dataclass(frozen=True, slots=True)
class RoundStatus:
    round: dt.date
    replies: list[Reply]  # every unit expected, registry order

    def as_dict(self) -> dict[str, object]:
        return {
            "round": self.round.isoformat(),
            "returned": [
                {
                    "unit": r.unit,
                    "date": r.forms[0].date.isoformat(),
                    "commit": r.forms[0].commit,
                    "files": [f.file for f in r.forms],
                    "updates": sum(f.updates for f in r.forms),
                }
                for r in self.replies
                if r.returned
            ],
            "missing": [r.unit for r in self.replies if not r.returned],
        }


def round_status(book, repo: gitrepo.Repo | None, round_: dt.date | None) -> RoundStatus:
    """Which units have returned their form for a round (by default the latest collected)."""
    from gongkai_cli.forms.out import form_rows

    if repo is None:
        raise GongkaiError("数据目录不在 git 仓库中；回收情况记在 collect 的提交里，无从查看。")
    collected = find_collected(repo)
    if round_ is None:
        if not collected:
            raise GongkaiError("还没有收取过任何填报表（gongkai collect）；请用 --round 指定轮次。")
        round_ = max(c.round for c in collected)
    index = book.ledger.index
    replies = []
    for unit in index.units:
        if not form_rows(book, unit, round_):
            continue  # a unit with no task that day was sent no form
        forms = tuple(
            c
            for c in collected
            if c.round == round_ and (index.canonical(c.unit) or c.unit) == unit
        )
        replies.append(Reply(unit, forms))
    return RoundStatus(round_, replies)

"""Where a report came from: the ledger's commit, the as-of date and the report asked for.

Every Word and Excel report carries it in its document properties, so that anyone holding
the repository can rebuild the report from that commit and see whether a circulating copy
still says what the record says (`gongkai verify`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

# The reports verify can rebuild: name → the command that makes it.
COMMANDS = {"progress": "report progress", "overdue": "report overdue", "unit": "report unit"}


@dataclass(frozen=True, slots=True)
class Provenance:
    commit: str  # the ledger's commit; "" where the ledger is not in a git repository
    dirty: bool  # the data files differed from that commit when the report was made
    as_of: dt.date
    report: tuple[str, ...]  # ("progress",), ("unit", "县财政局"), ("stats", "unit"), …
    issuer: str = ""

    def command(self, fmt: str) -> str:
        """The command that makes this report, as a person would type it."""
        kind, *rest = self.report
        words = ["gongkai", *COMMANDS.get(kind, kind).split()]
        if kind == "unit":
            words += rest
        elif kind == "stats" and rest:
            words += ["--by", rest[0]]
        words += ["--as-of", self.as_of.isoformat(), "--format", fmt]
        if self.issuer:
            words += ["--issuer", self.issuer]
        return " ".join(_quoted(w) for w in words)

    def sentence(self, fmt: str) -> str:
        """The line a reader finds in the file's properties."""
        where = f"台账提交 {self.commit[:12]}" if self.commit else "不在 git 仓库中的台账"
        if self.dirty:
            where += "（另有未提交的改动）"
        return f"由 gongkai 生成：{where}，截至 {self.as_of.isoformat()}；{self.command(fmt)}"

    def to_json(self) -> str:
        return json.dumps(
            {
                "commit": self.commit,
                "dirty": self.dirty,
                "as_of": self.as_of.isoformat(),
                "report": list(self.report),
                "issuer": self.issuer,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Provenance | None:
        """The provenance a file holds, or None where it holds none (or not ours)."""
        try:
            found = json.loads(text)
            return cls(
                commit=str(found["commit"]),
                dirty=bool(found["dirty"]),
                as_of=dt.date.fromisoformat(found["as_of"]),
                report=tuple(str(x) for x in found["report"]),
                issuer=str(found.get("issuer", "")),
            )
        except (ValueError, KeyError, TypeError):
            return None


def _quoted(word: str) -> str:
    """A word as a shell takes it: quoted only where it holds a space or a shell character
    (shlex would quote every Chinese word)."""
    import re
    import shlex

    return word if re.fullmatch(r"[^\s'\"\\$`;&|<>()*?!#~{}\[\]]+", word) else shlex.quote(word)


PROPERTY = "gongkai-provenance"  # the Excel custom property; Word keeps it as identifier

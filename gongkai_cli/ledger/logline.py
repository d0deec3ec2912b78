"""The canonical lines of progress.yaml: written here, and read back fast by pattern.

The log is a list of events, one flow mapping per line: an update
(`- {id: …, date: …, task: …, unit: …, status: …, note: …, by: …}`) or a retraction of
an earlier update (`- {id: …, date: …, retracts: …, by: …}`). Lines written before ids
existed have no `id:`; they get one derived from their content.

The log grows by hundreds of lines a week and every command reads it, so building a
YAML node tree per line (with positions) is too slow at county scale. Lines in the
canonical form are read here directly; any other line (a hand edit, say) is handed back
as "odd", and only the odd lines go through YAML, in runs of neighbouring lines. A line
too long to be any update is reported before YAML sees it. The fast reader accepts a
line only where YAML would read it to the very same values.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import string
from collections.abc import Iterable
from typing import NamedTuple

from gongkai_cli.model.statuses import STATUSES
from gongkai_cli.model.values import (  # the event types, read and written here
    ID_RE,
    MAX_EVIDENCE,
    MAX_NAME,
    MAX_NOTE,
    PERIOD_RE,
    Decision,
    Detail,
    Extension,
    Review,
)


class Entry(NamedTuple):
    """One update of the log, as the queries use it."""

    date: dt.date
    task: int
    unit: str
    status: str
    note: str | None
    by: str | None
    line: int  # 1-based line in progress.yaml
    id: str = ""
    period: str | None = None  # of a recurring task: 2021-03, 2021-Q2, 2021-W14, 2021-H1, 2021-Y


class Retraction(NamedTuple):
    """One retraction: the event `retracts` no longer counts."""

    id: str
    date: dt.date
    retracts: str
    by: str | None
    line: int


# ----- the supervision cycle: review, extensions, and what an update says beyond its note -----


# Ids start with a letter, so YAML never reads one as a number, a boolean or a date.
ID_PATTERN = ID_RE.strip("^$")
# No update fits in more: every character of the note and the names escaped, plus the keys.
_ID_CHARS = string.ascii_lowercase + string.digits
MAX_LINE = 10 * (MAX_NOTE + 2 * MAX_NAME) + 200

# A plain scalar of Chinese characters, or a double-quoted one holding only characters
# YAML reads as themselves (no raw line separators, NEL, C0/C1 controls, BOM, U+FFFE/FFFF).
_SCALAR = (
    r"(?:[\u3400-\u4dbf\u4e00-\u9fff（）·]+"
    r'|"(?:[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]|\\[^\x00-\x1f])*")'
)
_DATE = r"(\d{4}-\d\d-\d\d)"
# A period label (its sense is checked with the plan: model.schedules); YAML reads each
# of these as the same string.
PERIOD_PATTERN = PERIOD_RE.strip("^$")
_UPDATE = (
    r"- \{(?:id: (" + ID_PATTERN + r"), )?date: " + _DATE + r", task: ([1-9]\d{0,8}), "
    r"unit: (" + _SCALAR + r"), status: (" + "|".join(STATUSES) + ")"
    r"(?:, period: (" + PERIOD_PATTERN + r"))?"
    r"(?:, note: (" + _SCALAR + r"))?(?:, by: (" + _SCALAR + r"))?\}"
)
_RETRACTION = (
    r"- \{id: (" + ID_PATTERN + r"), date: " + _DATE + r", retracts: (" + ID_PATTERN + r")"
    r"(?:, by: (" + _SCALAR + r"))?\}"
)
# A comment holds printable characters only, and nothing YAML reads as a line break.
_COMMENT = (
    r"#[^\r\n\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]*"
)
_LINE = re.compile(
    r"(?:" + _UPDATE + r"|" + _RETRACTION + r"|[ \t]*(?:" + _COMMENT + r")?)[ \t]*\r?\n?"
)
# The supervision cycle's lines, tried only on a line the pattern above refuses (so a log
# without them reads exactly as fast as before): reviews, extension requests, decisions,
# and updates carrying problems, next steps or evidence.
_OPT = lambda key: r"(?:, " + key + r": (" + _SCALAR + r"))?"  # noqa: E731
_ID_GROUP = "(" + ID_PATTERN + ")"
_REVIEW = (
    r"- \{id: "
    + _ID_GROUP
    + ", date: "
    + _DATE
    + ", reviews: "
    + _ID_GROUP
    + r", verdict: (通过|退回)"
    + _OPT("note")
    + _OPT("by")
    + r"\}"
)
_EXTENSION = (
    r"- \{id: "
    + _ID_GROUP
    + ", date: "
    + _DATE
    + r", task: ([1-9]\d{0,8}), unit: ("
    + _SCALAR
    + "), extend_to: "
    + _DATE
    + _OPT("note")
    + _OPT("by")
    + r"\}"
)
_DECISION = (
    r"- \{id: "
    + _ID_GROUP
    + ", date: "
    + _DATE
    + ", decides: "
    + _ID_GROUP
    + r", verdict: (批准|驳回)(?:, extend_to: "
    + _DATE
    + ")?"
    + _OPT("note")
    + _OPT("by")
    + r"\}"
)
# An update with details: its pattern with them between its note and its `by`.
_DETAILS = (
    _OPT("problems")
    + _OPT("next")
    + r"(?:, evidence: \[("
    + _SCALAR
    + "(?:, "
    + _SCALAR
    + r")*)\])?"
)
assert _UPDATE.count("(?:, by: (") == 1
_DETAILED = _UPDATE.replace("(?:, by: (", _DETAILS + "(?:, by: (")


@functools.cache
def _supervised_patterns() -> list[tuple[str, re.Pattern]]:
    """Compiled on the first line that needs them: compiling costs tens of milliseconds,
    and most runs (an update, a log of updates alone) never do."""
    return [
        (kind, re.compile(pattern + r"[ \t]*\r?\n?"))
        for kind, pattern in (
            ("detailed", _DETAILED),
            ("review", _REVIEW),
            ("extension", _EXTENSION),
            ("decision", _DECISION),
        )
    ]


# YAML-only escapes (\x, \U, …) and escaped surrogates (JSON pairs them, YAML does not):
# both are left to YAML.
_YAML_ONLY_ESCAPES = re.compile(r'\\(?:[^"\\/bfnrtu]|u[dD][89a-fA-F])')


class LogRead:
    """A log read line by line: its canonical events, and the lines left for YAML."""

    __slots__ = ("details", "odd_runs", "overlong", "retractions", "supervision", "updates")

    def __init__(self) -> None:
        self.updates: list[Entry] = []
        self.retractions: list[Retraction] = []
        # The supervision cycle's events (reviews, extension requests, decisions), and the
        # details of the updates that carry any (by line): read by YAML, they are few.
        self.supervision: list[Review | Extension | Decision] = []
        self.details: dict[int, Detail] = {}
        # (first line, number of canonical events before it, text)
        self.odd_runs: list[tuple[int, int, str]] = []
        self.overlong: list[tuple[int, int]] = []  # (line, length)


def read_log(lines: Iterable[str]) -> LogRead:
    """Read a log (its lines, as from a file or io.StringIO) one line at a time, so a large
    log is never held in memory as one string. Neighbouring odd lines, with the blank and
    comment lines between them, form one run (a hand-written entry may span lines)."""
    read = LogRead()
    updates, retractions = read.updates.append, read.retractions.append
    # Names, notes and numbers repeat: keep one copy of each, keyed by the token as written.
    strings: dict[str, str] = {}
    dates: dict[str, dt.date] = {}
    numbers: dict[str, int] = {}
    match = _LINE.fullmatch
    run: list[str] = []
    run_start = 0
    pending: list[str] = []  # blank and comment lines that may belong to the run

    def close_run() -> None:
        nonlocal run
        if run:
            events = len(read.updates) + len(read.retractions) + len(read.supervision)
            read.odd_runs.append((run_start, events, "".join(run)))
            run = []

    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE:
            close_run()
            pending.clear()
            read.overlong.append((number, len(line.rstrip("\r\n"))))
            continue
        found = match(line)
        event = None
        if found is not None:
            try:
                event = _event(found.groups(), number, strings, dates, numbers)
            except ValueError:  # a date or an escape only YAML can judge
                found = None
        if found is None and line.startswith("- {id: "):
            try:
                found = _supervised(line, number, read, strings, dates, numbers)
            except ValueError:
                found = None
            if found is not None:
                close_run()
                pending.clear()
                continue
        if found is None:
            if not run:
                run_start = number
            run.extend(pending)
            pending.clear()
            run.append(line)
            continue
        if event is None:  # blank or comment
            if run:
                pending.append(line)
            continue
        close_run()
        pending.clear()
        if isinstance(event, Entry):
            updates(event)
        else:
            retractions(event)
    close_run()
    return read


_STATUS = {status: status for status in STATUSES}
_new_entry = tuple.__new__  # Entry(...) without its Python-level __new__: every field is given


def _event(groups, number, strings, dates, numbers) -> Entry | Retraction | None:
    uid, day, task, unit, status, period, note, by, rid, rday, retracts, rby = groups
    if day is None:
        return None if rday is None else _retraction(rid, rday, retracts, rby, number, strings)
    date = dates.get(day) or dates.setdefault(day, dt.date.fromisoformat(day))
    unit = strings.get(unit) or _unquoted(strings, unit)
    if note is not None:
        note = strings.get(note) or _unquoted(strings, note)
        if len(note) > MAX_NOTE:
            raise ValueError(TOO_LONG)
    if by is not None:
        by = strings.get(by) or _unquoted(strings, by)
        if len(by) > MAX_NAME:
            raise ValueError(TOO_LONG)
    task = numbers.get(task) or numbers.setdefault(task, int(task))
    # The status as the one shared string, not the copy the match made: on a long log
    # that copy is some 80 bytes an update.
    if period is not None:
        period = strings.get(period) or strings.setdefault(period, period)
    entry = _new_entry(
        Entry, (date, task, unit, _STATUS[status], note, by, number, uid or "", period)
    )
    return entry if uid else entry._replace(id=derived_id(entry))


def _supervised(line: str, number: int, read: LogRead, strings, dates, numbers) -> bool | None:
    """Read a supervision line in its canonical form into `read`; None if it is not one
    (YAML reads it then). ValueError where only YAML can judge a value."""
    kind, found = next(
        (
            (kind, found)
            for kind, pattern in _supervised_patterns()
            if (found := pattern.fullmatch(line))
        ),
        (None, None),
    )
    if found is None:
        return None
    groups = found.groups()

    def text(token, limit=MAX_NOTE):
        if token is None:
            return None
        value = strings.get(token) or _unquoted(strings, token)
        if len(value) > limit:
            raise ValueError(TOO_LONG)
        return value

    day = dt.date.fromisoformat
    if kind == "detailed":
        *base, problems, next_, evidence, by = groups
        padding = (None,) * re.compile(_RETRACTION).groups  # kept by `re` after the first
        entry = _event((*base, by, *padding), number, strings, dates, numbers)
        items = tuple(text(t, MAX_EVIDENCE) for t in re.findall(_SCALAR, evidence or ""))
        detail = Detail(text(problems), text(next_), items)
        read.updates.append(entry)
        read.details[number] = detail
    elif kind == "review":
        uid, date, reviews, verdict, note, by = groups
        read.supervision.append(
            Review(uid, day(date), reviews, verdict, text(note), text(by, MAX_NAME), number)
        )
    elif kind == "extension":
        uid, date, task, unit, extend_to, note, by = groups
        read.supervision.append(
            Extension(
                uid,
                day(date),
                int(task),
                text(unit, MAX_NAME),
                day(extend_to),
                text(note),
                text(by, MAX_NAME),
                number,
            )
        )
    else:
        uid, date, decides, verdict, extend_to, note, by = groups
        read.supervision.append(
            Decision(
                uid,
                day(date),
                decides,
                verdict,
                extend_to and day(extend_to),
                text(note),
                text(by, MAX_NAME),
                number,
            )
        )
    return True


def _retraction(uid, day, retracts, by, number, strings) -> Retraction:
    if by is not None:
        by = strings.get(by) or _unquoted(strings, by)
        if len(by) > MAX_NAME:
            raise ValueError(TOO_LONG)
    return Retraction(uid, dt.date.fromisoformat(day), retracts, by, number)


# Over its limit, a note or a name is left to YAML and the schema, which say where.
TOO_LONG = "too long"


def _unquoted(strings: dict[str, str], token: str) -> str:
    """A name or note token read the first time it is met; the same token later (as any
    field) shares its string."""
    text = strings[token] = _unquote(token)
    return text


def _unquote(token: str) -> str:
    if token[0] != '"':
        return token
    if _YAML_ONLY_ESCAPES.search(token):
        raise ValueError(token)
    return json.loads(token)


def derived_id(entry: Entry) -> str:
    """The id of an update written without one: a digest of its content, so the same line
    always gets the same id (and exact duplicates share it)."""
    import hashlib

    date, task, unit, status, note, by = entry[:6]
    absent = "\x00"  # no text holds it: a missing note differs from an empty one
    content = f"{date.isoformat()}\x1f{task}\x1f{unit}\x1f{status}\x1f{absent if note is None else note}\x1f{absent if by is None else by}"
    if entry.period is not None:  # lines without one keep the ids they always had
        content += f"\x1f{entry.period}"
    return _id_from(hashlib.blake2b(content.encode(), digest_size=8).digest())


def new_id(taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A fresh random id, unlike any in `taken`."""
    import secrets

    while True:
        candidate = _id_from(secrets.token_bytes(8))
        if candidate not in taken:
            return candidate


def _id_from(digest: bytes) -> str:
    """Ten characters, a letter and nine letters or digits: about 2.6e15 ids, so that even
    a log of a million lines is unlikely to hold two the same by chance."""
    number = int.from_bytes(digest[:8], "big")
    number, first = divmod(number, 26)
    chars = [string.ascii_lowercase[first]]
    for _ in range(9):
        number, rest = divmod(number, 36)
        chars.append(_ID_CHARS[rest])
    return "".join(chars)


# ----- writing -----

# Characters that stay as they are inside a double-quoted scalar (ranges of code points);
# everything else is escaped, since YAML folds line separators (U+2028, U+0085) and rejects
# C1 controls. Compared, not matched: a character class this wide takes longer to compile
# (about 8 ms) than an update takes to write its line.
_KEPT = (
    (0x20, 0x7E),
    (0xA0, 0x2027),
    (0x202A, 0xD7FF),
    (0xE000, 0xFEFE),
    (0xFF00, 0xFFFD),
    (0x10000, 0x10FFFF),
)


def _plain(text: str) -> bool:
    """Unit names, statuses, Chinese names: written bare (YAML reads them as they are)."""
    return text != "" and all(
        "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "（）·" for ch in text
    )


def _kept(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _KEPT)


def scalar(text: str) -> str:
    if _plain(text):
        return text
    body = json.dumps(text, ensure_ascii=False)  # escapes quotes, backslashes and C0 controls
    return "".join(
        ch if _kept(ch) else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"
        for ch in body
    )


def update_line(update, uid: str) -> str:
    """One update as a one-line YAML flow mapping in a list, so each update is a one-line diff
    (and two clones' appended lines merge with merge=union)."""
    fields = [
        f"id: {uid}",
        f"date: {update.date.isoformat()}",
        f"task: {update.task}",
        f"unit: {scalar(update.unit)}",
        f"status: {update.status}",
    ]
    if getattr(update, "period", None) is not None:
        fields.append(f"period: {update.period}")
    if update.note is not None:
        fields.append(f"note: {scalar(update.note)}")
    fields += detail_fields(
        Detail(
            getattr(update, "problems", None),
            getattr(update, "next", None),
            tuple(getattr(update, "evidence", None) or ()),
        )
    )
    if update.by is not None:
        fields.append(f"by: {scalar(update.by)}")
    return "- {" + ", ".join(fields) + "}\n"


def retraction_line(uid: str, date: dt.date, retracts: str, by: str | None) -> str:
    fields = [f"id: {uid}", f"date: {date.isoformat()}", f"retracts: {retracts}"]
    if by is not None:
        fields.append(f"by: {scalar(by)}")
    return "- {" + ", ".join(fields) + "}\n"


def detail_fields(detail: Detail) -> list[str]:
    """An update's 存在问题, 下步措施 and 佐证材料, as they follow its note on its line."""
    fields = []
    if detail.problems is not None:
        fields.append(f"problems: {scalar(detail.problems)}")
    if detail.next is not None:
        fields.append(f"next: {scalar(detail.next)}")
    if detail.evidence:
        fields.append("evidence: [" + ", ".join(map(scalar, detail.evidence)) + "]")
    return fields


def event_line(uid: str, date: dt.date, *fields: tuple[str, object]) -> str:
    """A supervision event (review, extension request, decision) as one flow-mapping line;
    fields whose value is None are left out, dates are ISO, text is quoted as needed."""
    parts = [f"id: {uid}", f"date: {date.isoformat()}"]
    for key, value in fields:
        if value is None:
            continue
        if isinstance(value, dt.date):
            text = value.isoformat()
        elif isinstance(value, int) or key in ("reviews", "decides"):
            text = str(value)
        else:
            text = scalar(value)
        parts.append(f"{key}: {text}")
    return "- {" + ", ".join(parts) + "}\n"

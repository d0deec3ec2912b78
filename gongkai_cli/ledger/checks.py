"""The cross-file checks of `gongkai validate`: one small function per rule, listed in CHECKS."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any

from gongkai_cli.errors import Problem
from gongkai_cli.ledger.datadir import PROGRESS, TASKS, UNITS
from gongkai_cli.ledger.loaded import Loaded, responsibility_at
from gongkai_cli.ledger.logline import Decision, Entry, Extension, Retraction, Review
from gongkai_cli.model.dates import current_date
from gongkai_cli.model.statuses import DONE

# Fields of the log's events, read in bulk (map) by the checks of a long log.
_ID, _DATE, _RETRACTS = attrgetter("id"), attrgetter("date"), attrgetter("retracts")
_TASK, _UNIT, _NOTE, _BY, _PERIOD = (
    attrgetter("task"),
    attrgetter("unit"),
    attrgetter("note"),
    attrgetter("by"),
    attrgetter("period"),
)
_CONTENT = itemgetter(0, 1, 2, 3, 4, 5, 8)  # date, task, unit, status, note, by, period


def check_task_numbers(loaded: Loaded) -> Iterator[Problem]:
    """Each number once; together they run 1, 2, 3, … with no gap."""
    seen: set[int] = set()
    for i, task in enumerate(loaded.tasks):
        if task.number in seen:
            yield loaded.problem(
                TASKS,
                loaded.task_loc(i, "number"),
                f"任务编号 {task.number} 重复出现。",
                "duplicate-task",
            )
        seen.add(task.number)
    if seen and loaded.plan is not None:
        missing = sorted(set(range(1, max(seen) + 1)) - seen)
        if missing:
            yield loaded.problem(
                TASKS,
                ("tasks",),
                f"任务编号不连续，缺少：{'、'.join(map(str, missing))}。",
                "missing-task",
            )


def check_unit_names(loaded: Loaded) -> Iterator[Problem]:
    """A name or alias means one unit only, and never also a group."""
    if loaded.registry is None:
        return
    owner: dict[str, str] = {}
    groups = {g.name for g in loaded.registry.groups}
    for i, unit in enumerate(loaded.registry.units):
        if unit.name in owner:
            yield loaded.problem(
                UNITS,
                ("units", i, "name"),
                f"单位名称“{unit.name}”重复登记。",
                "duplicate-unit",
            )
        owner.setdefault(unit.name, unit.name)
    for i, unit in enumerate(loaded.registry.units):
        for j, alias in enumerate(unit.aliases):
            if alias == unit.name:
                continue
            if owner.setdefault(alias, unit.name) != unit.name:
                yield loaded.problem(
                    UNITS,
                    ("units", i, "aliases", j),
                    f"别名“{alias}”同时属于“{owner[alias]}”和“{unit.name}”，一个名称只能指一个单位。",
                    "duplicate-alias",
                )
    for i, unit in enumerate(loaded.registry.units):
        for j, name in enumerate((unit.name, *unit.aliases)):
            if name in groups:
                loc = ("units", i, "name") if j == 0 else ("units", i, "aliases", j - 1)
                yield loaded.problem(
                    UNITS,
                    loc,
                    f"“{name}”已是一个单位集合的名称，不能再作单位名或别名。",
                    "unit-group-clash",
                )


def check_groups(loaded: Loaded) -> Iterator[Problem]:
    """Groups are well formed: open groups draw from a closed group; members exist."""
    if loaded.registry is None or loaded.ledger is None:
        return
    index = loaded.ledger.index
    kinds = {u.kind for u in loaded.registry.units}
    seen: set[str] = set()
    for i, group in enumerate(loaded.registry.groups):
        here = ("groups", i)
        if group.name in seen:
            yield loaded.problem(
                UNITS, (*here, "name"), f"集合“{group.name}”重复定义。", "duplicate-group"
            )
        seen.add(group.name)
        if group.open:
            target = index.groups.get(group.within or "")
            if target is None or target.open:
                yield loaded.problem(
                    UNITS,
                    (*here, "within") if group.within else here,
                    f"开放集合“{group.name}”须用 within: 指明它取自哪个已定义的封闭集合。",
                    "group-within",
                )
            continue
        if not group.kinds and not group.members:
            yield loaded.problem(
                UNITS,
                here,
                f"集合“{group.name}”既无 kinds 也无 members，是空的。",
                "empty-group",
            )
        for j, member in enumerate(group.members):
            if index.canonical(member) is None:
                yield loaded.problem(
                    UNITS,
                    (*here, "members", j),
                    f"集合“{group.name}”的成员“{member}”不在单位名录中。",
                    "unknown-unit",
                )
        for j, kind in enumerate(group.kinds):
            if kind not in kinds:
                yield loaded.problem(
                    UNITS,
                    (*here, "kinds", j),
                    f"集合“{group.name}”的类别“{kind}”下还没有任何单位。",
                    "empty-kind",
                    "warning",
                )


def check_incomplete_groups(loaded: Loaded) -> Iterator[Problem]:
    """Warn about each group drafted from a plan: only its members the plan named are known."""
    if loaded.registry is None:
        return
    for i, group in enumerate(loaded.registry.groups):
        if group.incomplete:
            yield loaded.problem(
                UNITS,
                ("groups", i, "incomplete"),
                f"集合“{group.name}”是从计划推断的，只含计划点名的单位；请补全其全部成员后删去 incomplete: true。",
                "incomplete-group",
                "warning",
            )


def check_inferred_units(loaded: Loaded) -> Iterator[Problem]:
    """A unit listed by inference says so and why, so the office can confirm or correct it."""
    if loaded.registry is None:
        return
    for i, unit in enumerate(loaded.registry.units):
        if unit.inferred and not unit.note:
            yield loaded.problem(
                UNITS,
                ("units", i, "inferred"),
                f"单位“{unit.name}”标为推断（inferred: true），须用 note: 说明依据。",
                "inferred-note",
            )


def check_designations(loaded: Loaded) -> Iterator[Problem]:
    """A designation names known units, from the pool of an open group the phrase contains."""
    ledger = loaded.ledger
    if ledger is None:
        return
    numbers: set[int] = set()  # the ledger keeps a number's first task: check only that one
    for i, task in enumerate(loaded.tasks):
        resolution = ledger.resolutions.get(task.number)
        first = task.number not in numbers
        numbers.add(task.number)
        if not task.designated or resolution is None or not first:
            continue
        open_groups = [t.text for t in resolution.terms if t.kind == "designated"]
        if not open_groups:
            yield loaded.problem(
                TASKS,
                loaded.task_loc(i, "designated"),
                f"任务 {task.number} 的责任单位中没有“有关部门/相关单位”，不需要 designated。",
                "needless-designation",
            )
            continue
        pool = {u for g in open_groups for u in ledger.index.members(g)}
        for j, name in enumerate(task.designated):
            unit = ledger.index.canonical(name)
            if unit is None:
                hint = ledger.index.suggest(name)
                tail = f"，是否是指“{hint}”？" if hint else "。"
                yield loaded.problem(
                    TASKS,
                    loaded.task_loc(i, "designated", j),
                    f"任务 {task.number} 指定的“{name}”不在单位名录中{tail}",
                    "unknown-unit",
                )
            elif unit not in pool:
                yield loaded.problem(
                    TASKS,
                    loaded.task_loc(i, "designated", j),
                    f"任务 {task.number} 指定的“{name}”不属于“{'、'.join(open_groups)}”的范围。",
                    "designation-outside-group",
                )


def check_open_groups(loaded: Loaded) -> Iterator[Problem]:
    """Warn where an open group (有关部门) is left undesignated: nobody yet answers for it."""
    ledger = loaded.ledger
    if ledger is None:
        return
    for i, task in enumerate(loaded.tasks):
        resolution = ledger.resolutions.get(task.number)
        for group in resolution.unresolved if resolution else ():
            found = ledger.index.lookup(group)
            if found is not None and found.kind == "group":  # closed, but no units listed yet
                message = (
                    f"任务 {task.number} 的“{group}”还没有任何成员单位；"
                    "在 units.yaml 中列出其成员之前，此项不会算作办结。"
                )
            else:
                message = f"任务 {task.number} 的“{group}”未指定具体单位；请在该任务下用 designated: 列出。"
            yield loaded.problem(
                TASKS,
                loaded.task_loc(i, responsibility_at(task, max(task.phrase.find(group), 0))[0]),
                message,
                "undesignated",
                "warning",
            )


def check_progress(loaded: Loaded) -> Iterator[Problem]:
    """Every update that counts names a task of the plan and a unit that answers for it."""
    ledger = loaded.ledger
    if ledger is None:
        return
    counted = loaded.counting()
    # Each (task, unit as written) is judged once; only a log with a problem is walked again.
    problems = {
        key: problem
        for key in set(zip(map(_TASK, counted), map(_UNIT, counted), strict=True))
        if (problem := _progress_problem(ledger, *key)) is not None
    }
    if not problems:
        return
    name = loaded.name(PROGRESS)
    for update in counted:
        problem = problems.get((update.task, update.unit))
        if problem is not None:
            field = "task" if problem[0] == "unknown-task" else "unit"
            line, column = loaded.event_position(update.line, field)
            yield Problem(name, line, column, problem[1], problem[0])


def check_events(loaded: Loaded) -> Iterator[Problem]:
    """Ids are unique, a retraction names an update of the log, no event is dated after
    today; an update repeated exactly (two clerks recording the same thing) is a warning."""
    name = loaded.name(PROGRESS)

    def at(event, key: str, message: str, code: str, severity: str = "error") -> Problem:
        line, column = loaded.event_position(event.line, key) if key else (event.line, 1)
        return Problem(name, line, column, message, code, severity)

    today = current_date()
    if _nothing_to_report(loaded, today):
        return
    seen: dict[str, Any] = {}  # id → the first event holding it
    # An update's content (date, task, unit, status, note, by), by its hash → the first update
    # holding it. Keyed by the hash, not a tuple of the fields, so that a long log does not
    # hold a second copy of every update while it is checked; equal hashes are compared field
    # by field, so two different updates are never called duplicates.
    contents: dict[int, Entry] = {}
    seen_by_id = {e.id: e for e in (*loaded.updates, *loaded.supervision)}
    ids = {*seen_by_id, *map(_ID, loaded.retractions)}
    retracted = loaded.retracted()
    for event in (*loaded.updates, *loaded.retractions, *loaded.supervision):
        first = seen.setdefault(event.id, event)
        if first is not event and first._replace(line=0) != event._replace(line=0):
            yield at(event, "id", f"编号 {event.id} 与第 {first.line} 行重复。", "duplicate-id")
        if event.date > today:
            yield at(
                event,
                "date",
                f"日期 {event.date.isoformat()} 晚于今天，进展只能记录已发生的情况。",
                "date-in-future",
            )
        if isinstance(event, Retraction):
            if event.retracts not in ids:
                yield at(
                    event,
                    "retracts",
                    f"撤销记录所指的编号 {event.retracts} 不是本文件中任何一条进展的编号。",
                    "unknown-retraction",
                )
            elif event.retracts not in seen_by_id:
                # A retraction taken back would bring nothing back (`retracted` counts every
                # retraction); one naming itself means nothing. gongkai writes neither: such
                # a line is hand-made, and reading it as done would mislead.
                yield at(
                    event,
                    "retracts",
                    f"撤销记录所指的编号 {event.retracts} 是一条撤销记录"
                    f"{'（即它自己）' if event.retracts == event.id else ''}；"
                    "撤销不能再被撤销，如需恢复，请重新记录。",
                    "retracted-retraction",
                )
        elif not isinstance(event, Entry):
            yield from _supervision_problems(loaded, event, seen_by_id, at)
        elif event.id not in retracted:  # a retracted copy is settled already
            content = _CONTENT(event)
            earlier = contents.setdefault(hash(content), event)
            if earlier is not event and _CONTENT(earlier) == content:
                yield at(
                    event,
                    "",
                    f"这条进展与第 {earlier.line} 行完全相同（日期、任务、单位、状态、说明、填报人都一样），可能重复记录了。",
                    "duplicate-update",
                    "warning",
                )


def _supervision_problems(loaded: Loaded, event, by_id: dict[str, Any], at) -> Iterator[Problem]:
    """A review names a 已完成 of the log; a decision names an extension request; a request
    names a task of the plan and a unit that answers for it."""
    if isinstance(event, Review):
        target = by_id.get(event.reviews)
        if not isinstance(target, Entry):
            yield at(
                event,
                "reviews",
                f"审核记录所指的编号 {event.reviews} 不是本文件中任何一条进展的编号。",
                "unknown-review",
            )
        elif target.status != DONE:
            yield at(
                event,
                "reviews",
                f"审核记录所指的进展（第 {target.line} 行）状态是{target.status}，只有{DONE}需要审核。",
                "review-not-done",
            )
    elif isinstance(event, Decision):
        if not isinstance(by_id.get(event.decides), Extension):
            yield at(
                event,
                "decides",
                f"延期审批所指的编号 {event.decides} 不是本文件中任何一条延期申请的编号。",
                "unknown-request",
            )
    elif loaded.ledger is not None and event.id not in loaded.retracted():
        problem = _progress_problem(loaded.ledger, event.task, event.unit)
        if problem is not None:
            field = "task" if problem[0] == "unknown-task" else "unit"
            yield at(event, field, problem[1].replace("进展记录", "延期申请"), problem[0])


def check_schedules(loaded: Loaded) -> Iterator[Problem]:
    """A deadline that says it recurs (每日, 每两月…) but is read as no schedule stays
    ongoing, never late: the clerk should know, and may rewrite it (每月10日前)."""
    from gongkai_cli.model.schedules import is_recurring, parse_schedule

    ledger = loaded.ledger
    if ledger is None:
        return
    for i, task in enumerate(loaded.tasks):
        deadline = ledger.deadlines.get(task.number)
        if deadline is None or deadline.kind != "ongoing" or not is_recurring(task.deadline):
            continue
        if parse_schedule(task.deadline) is None:
            yield loaded.problem(
                TASKS,
                loaded.task_loc(i, "deadline"),
                f"任务 {task.number} 的时限“{task.deadline}”像是周期性要求，"
                "但无法读作按月、按季度、按周、每半年或每年报送；按持续推进处理，不计逾期。",
                "unreadable-schedule",
                "warning",
            )


def check_periods(loaded: Loaded) -> Iterator[Problem]:
    """An update's period is one of its task's periods: the task recurs, the period is of
    its kind (2021-03 for a monthly task) and of the plan's year."""
    from gongkai_cli.model.schedules import KIND_WORDS, parse_schedule

    ledger = loaded.ledger
    if ledger is None or not any(map(_PERIOD, loaded.updates)):
        return
    name = loaded.name(PROGRESS)
    for update in loaded.counting():
        task = ledger.tasks.get(update.task)
        if update.period is None or task is None:
            continue
        schedule = parse_schedule(task.deadline)
        if schedule is None:
            message = f"任务 {task.number} 的时限“{task.deadline}”不是周期性要求，进展不应写期次（period）。"
        else:
            labels = [p.label for p in schedule.periods(ledger.year)]
            if update.period in labels:
                continue
            message = (
                f"期次“{update.period}”不是任务 {task.number}（{schedule.describe()}）的期次；"
                f"应为 {labels[0]} 至 {labels[-1]} 之一（每{KIND_WORDS[schedule.kind]}一期）。"
            )
        line, column = loaded.event_position(update.line, "period")
        yield Problem(name, line, column, message, "unknown-period")


def _nothing_to_report(loaded: Loaded, today: dt.date) -> bool:
    """Whether check_events would find nothing, judged in bulk (sets of ids and of content
    hashes, the latest date): on a long log that is a third of the time of the walk, which
    then runs only on a log with something to say."""
    if loaded.supervision:
        return False  # few and rare: walked one by one
    updates, retractions = loaded.updates, loaded.retractions
    events = len(updates) + len(retractions)
    if len({*map(_ID, updates), *map(_ID, retractions)}) != events:
        return False
    if max(map(_DATE, chain(updates, retractions)), default=today) > today:
        return False
    if retractions and not set(map(_RETRACTS, retractions)) <= set(map(_ID, updates)):
        return False
    counted = loaded.counting()
    return len(set(map(hash, map(_CONTENT, counted)))) == len(counted)


# Characters that XML (so xlsx and docx) cannot hold, and that no terminal shows: C0
# controls other than tab and line breaks, lone surrogates, and U+FFFE/U+FFFF.
FORBIDDEN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def forbidden_text(text: str) -> str | None:
    """'U+FFFF' for the first character that no output can hold, or None."""
    found = FORBIDDEN_TEXT.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def check_text(loaded: Loaded) -> Iterator[Problem]:
    """No text of any file holds a character that would break an output (an xlsx, a
    terminal): YAML escapes such as \\uffff can write what the file itself cannot hold."""
    for filename in (TASKS, UNITS):
        for line, column, code in _forbidden_in(loaded.raw.get(filename)):
            yield Problem(
                loaded.name(filename), line, column, _forbidden_message(code), "forbidden-character"
            )
    # Each distinct text is judged once (a long log repeats its units, clerks and many notes),
    # and only a log that holds a bad one is walked again to say where.
    updates = loaded.updates
    texts = {*map(_UNIT, updates), *map(_NOTE, updates), *map(_BY, updates)}
    texts.update(map(_BY, loaded.retractions))
    texts.discard(None)
    bad = {text: code for text in texts if (code := forbidden_text(text))}
    if not bad:
        return
    for event in (*loaded.updates, *loaded.retractions):
        for key in ("unit", "note", "by"):
            code = bad.get(getattr(event, key, None))
            if code is not None:
                line, column = loaded.event_position(event.line, key)
                yield Problem(
                    loaded.name(PROGRESS),
                    line,
                    column,
                    _forbidden_message(code),
                    "forbidden-character",
                )


def _forbidden_message(code: str) -> str:
    return f"文字中含有不允许的字符 {code}（Excel、Word 和终端都无法正确显示），请删除。"


def _forbidden_in(data: Any) -> Iterator[tuple[int, int, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and (code := forbidden_text(key)):
                yield (*data.key_pos[key], code)
            if isinstance(value, str) and (code := forbidden_text(value)):
                yield (*data.value_pos[key], code)
            else:
                yield from _forbidden_in(value)
    elif isinstance(data, list):
        for value, pos in zip(data, data.item_pos, strict=True):
            if isinstance(value, str) and (code := forbidden_text(value)):
                yield (*pos, code)
            else:
                yield from _forbidden_in(value)


def _name_flaw(name: str) -> str | None:
    """Why a unit or group name cannot also be a file name or a clean line of text."""
    if name != name.strip():
        return "首尾有空格"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs") for ch in name):
        ch = next(ch for ch in name if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs"))
        return f"含有看不见的控制或格式字符 U+{ord(ch):04X}"
    if "/" in name or "\\" in name:
        return "含有路径分隔符“/”或“\\”"
    if ".." in name:
        return "含有“..”"
    if name.startswith("."):
        return "以“.”开头"
    return None


def _look_alike(name: str) -> str:
    """What a reader sees: width, case, spaces and invisible characters ignored."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(
        ch for ch in folded if not ch.isspace() and unicodedata.category(ch)[0] not in "CZ"
    )


def check_names_are_safe(loaded: Loaded) -> Iterator[Problem]:
    """Unit and group names become file names and table cells: no path parts, no
    invisible characters, no edge spaces, and no two names that look the same."""
    if loaded.registry is None:
        return
    places: list[tuple[str, tuple[Any, ...]]] = []
    for i, group in enumerate(loaded.registry.groups):
        places.append((group.name, ("groups", i, "name")))
    for i, unit in enumerate(loaded.registry.units):
        places.append((unit.name, ("units", i, "name")))
        places += [(alias, ("units", i, "aliases", j)) for j, alias in enumerate(unit.aliases)]
    looks: dict[str, str] = {}
    for name, loc in places:
        flaw = _name_flaw(name)
        if flaw:
            yield loaded.problem(
                UNITS,
                loc,
                f"名称“{name}”{flaw}；名称会用作文件名和报表内容，请改正。",
                "unsafe-name",
            )
        first = looks.setdefault(_look_alike(name), name)
        if first != name:
            yield loaded.problem(
                UNITS,
                loc,
                f"名称“{name}”与“{first}”看起来相同（只差空格、全半角、大小写或看不见的字符），请统一写法。",
                "look-alike-name",
            )


def _progress_problem(ledger, task: int, name: str) -> tuple[str, str] | None:
    if task not in ledger.tasks:
        return "unknown-task", f"进展记录中的任务 {task} 不在计划中。"
    unit = ledger.index.canonical(name)
    if unit is None:
        return "unknown-unit", f"进展记录中的单位“{name}”不在单位名录中。"
    if task in ledger.resolutions and not is_answerable(ledger, task, unit):
        return "not-responsible", f"“{unit}”不是任务 {task} 的责任单位。"
    return None


def is_answerable(ledger, task: int, unit: str) -> bool:
    """Whether `unit` answers for `task`: resolved, or inside one of its undesignated open groups."""
    resolution = ledger.resolutions[task]
    if resolution.role_of(unit):
        return True
    return any(unit in ledger.index.member_set(g) for g in resolution.unresolved)


def check_unused_units(loaded: Loaded) -> Iterator[Problem]:
    """Warn about registered units that no task reaches (often a misspelt or stale entry)."""
    ledger = loaded.ledger
    if ledger is None or loaded.registry is None or not ledger.resolutions:
        return
    used = {u for r in ledger.resolutions.values() for u in (*r.lead, *r.implementers)}
    used |= {
        u
        for r in ledger.resolutions.values()
        for g in r.unresolved
        for u in ledger.index.members(g)
    }
    for i, unit in enumerate(loaded.registry.units):
        if unit.name not in used:
            yield loaded.problem(
                UNITS,
                ("units", i, "name"),
                f"单位“{unit.name}”没有出现在任何任务的责任单位中。",
                "unused-unit",
                "warning",
            )


def check_evidence(loaded: Loaded) -> Iterator[Problem]:
    """Every evidence item is an http(s) link or a kept file named by its SHA-256 (whether
    the file is there and unaltered, `validate` asks afresh each time: ledger.evidence)."""
    if not loaded.details:
        return
    from gongkai_cli.ledger.evidence import name_problem

    for line, detail in sorted(loaded.details.items()):
        for item in detail.evidence:
            message = name_problem(item)
            if message is not None:
                line_at, column = loaded.event_position(line, "evidence")
                yield Problem(loaded.name(PROGRESS), line_at, column, message, "evidence")


CHECKS: tuple[Callable[[Loaded], Iterator[Problem]], ...] = (
    check_task_numbers,
    check_unit_names,
    check_groups,
    check_incomplete_groups,
    check_inferred_units,
    check_designations,
    check_open_groups,
    check_progress,
    check_events,
    check_evidence,
    check_schedules,
    check_periods,
    check_text,
    check_names_are_safe,
    check_unused_units,
)


def run_checks(loaded: Loaded) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(loaded)]

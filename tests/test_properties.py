"""Property tests: the resolver, the deadline parser and the log line format, on generated input."""

from __future__ import annotations

import contextlib
import datetime as dt
import io

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gongkai_cli.errors import GongkaiError
from gongkai_cli.ledger.load import unit_index
from gongkai_cli.ledger.logline import read_log, update_line
from gongkai_cli.model.deadlines import parse_deadline
from gongkai_cli.model.resolver import resolve
from gongkai_cli.model.schema import Registry, Update, plain
from tests.conftest import REAL_DATA, runs_on, write_ledger

INDEX = unit_index(
    plain(
        Registry.model_validate(
            yaml.safe_load((REAL_DATA / "units.yaml").read_text(encoding="utf-8"))
        )
    )
)
NAMES = sorted({*INDEX.units, *(a for u in INDEX.units.values() for a in u.aliases)})
CLOSED_GROUPS = sorted(g.name for g in INDEX.groups.values() if not g.open)
OPEN_GROUPS = sorted(g.name for g in INDEX.groups.values() if g.open)

item = st.sampled_from(NAMES + CLOSED_GROUPS + OPEN_GROUPS)
separator = st.sampled_from(["、", "，", ",", " 、", "， ", "、 "])


@st.composite
def phrases(draw) -> tuple[str, list[str], list[str]]:
    """A responsibility phrase in the plans' grammar, with the items of each role."""
    lead = draw(st.lists(item, max_size=3))
    implementers = draw(st.lists(item, min_size=0 if lead else 1, max_size=4))
    text = ""
    if lead:
        text += draw(separator).join(lead) + "牵头"
        if implementers:
            text += draw(st.sampled_from(["，", "， ", ","]))
    if implementers:
        text += draw(separator).join(implementers)
        if draw(st.booleans()):
            text += "等部门"
        text += draw(st.sampled_from(["负责落实", "负责", "落实", "配合"]))
    return text, lead, implementers


def expand(name: str) -> set[str]:
    found = INDEX.lookup(name)
    if found.kind == "unit":
        return {found.name}
    return set() if found.kind == "open-group" else set(INDEX.members(found.name))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(phrases())
def test_any_phrase_of_registry_names_resolves(generated):
    text, lead, implementers = generated
    r = resolve(text, INDEX)
    named_lead = set().union(*map(expand, lead)) if lead else set()
    named_implementers = set().union(*map(expand, implementers)) if implementers else set()
    assert set(r.lead) == named_lead
    assert set(r.implementers) == named_implementers - named_lead
    assert not set(r.lead) & set(r.implementers)
    assert set(r.unresolved) <= set(OPEN_GROUPS)


@given(st.text(max_size=60))
def test_no_text_makes_the_resolver_raise_anything_but_its_own_error(text):
    with contextlib.suppress(GongkaiError):
        resolve(text, INDEX)


@given(st.text(max_size=30), st.integers(min_value=1949, max_value=2200))
def test_no_text_makes_the_deadline_parser_raise_anything_but_its_own_error(text, year):
    try:
        deadline = parse_deadline(text, year)
    except GongkaiError:
        return
    assert deadline.kind in ("date", "ongoing")
    assert (deadline.date is None) == (deadline.kind == "ongoing")


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=2000, max_value=2100))
def test_month_end_phrases_give_the_last_day_of_the_month(month, year):
    day = parse_deadline(f"{month}月底前", year).date
    assert (day.year, day.month) == (year, month)
    assert (day + dt.timedelta(days=1)).day == 1


# Text a person could type: anything but the surrogates an undecodable terminal produces.
notes = st.text(st.characters(blacklist_categories=["Cs"]), max_size=80)


@settings(max_examples=300)
@given(notes, st.one_of(st.none(), notes))
def test_every_update_is_one_line_that_reads_back_the_same(note, by):
    update = Update(
        id="abcd1234",
        date=dt.date(2021, 6, 1),
        task=7,
        unit="县财政局",
        status="已完成",
        note=note,
        by=by,
    )
    line = update_line(update, update.id)
    assert line.count("\n") == 1 and line.endswith("\n")
    assert Update.model_validate(yaml.safe_load(line)[0]) == update
    fast = read_log(io.StringIO(line))
    if fast.updates:  # the fast reader may leave a rare escape to YAML, never misread it
        assert (fast.updates[0].note, fast.updates[0].by) == (note, by)


COMMANDS = [
    ["list"],
    ["overdue"],
    ["due"],
    ["show"],
    ["resolve"],
    ["units"],
    ["validate"],
    ["log"],
    ["stats"],
    ["report", "progress"],
    ["report", "overdue"],
    ["report", "unit"],
    ["update"],
]
WORDS = [
    "--unit",
    "--role",
    "--section",
    "--deadline",
    "--due-before",
    "--status",
    "--search",
    "--as-of",
    "--by",
    "--within",
    "--format",
    "--group",
    "--strict",
    "--wide",
    "--note",
    "--date",
    "--since",
    "-f",
    "-u",
    "-s",
    "1",
    "2",
    "44",
    "0",
    "-3",
    "县财政局",
    "各镇",
    "县直有关单位",
    "县财政厅",
    "lead",
    "done",
    "完成",
    "2021-10-31",
    "2021/13/01",
    "昨天",
    "30d",
    "一个月",
    "md",
    "json",
    "csv",
    "table",
    "xlsx",
    "四",
    "七",
    "年底前",
    "",
    " ",
    "=1+1",
    "[red]x[/red]",
    "\x1b[2J",
    "a|b",
    "😀",
    "--",
    "-",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(COMMANDS), st.lists(st.sampled_from(WORDS), max_size=6))
def test_no_command_line_reaches_a_traceback(gongkai, tmp_path_factory, command, words):
    """Every outcome is a result, a one-sentence error (exit 1) or a usage error (exit 2)."""
    root = tmp_path_factory.mktemp("ledger")
    write_ledger(root, progress="- {date: 2021-05-01, task: 1, unit: 县财政局, status: 已完成}\n")
    result = gongkai(*command, *words, "--data", str(root / "data"))  # the fixture re-raises
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 1:
        assert result.stderr.strip(), (command, words)


TODAY = dt.date(2030, 2, 28)  # the day before the month turns, in a year without 29 February
_today = runs_on(TODAY)
events = st.lists(
    st.tuples(
        st.sampled_from(["a1111", "b2222", "c3333", "d4444", "e5555", "f6666"]),  # id
        st.sampled_from([TODAY - dt.timedelta(days=1), TODAY, TODAY + dt.timedelta(days=1)]),
        st.sampled_from([1, 2]),
        st.sampled_from(["甲镇", "乙镇"]),
        st.sampled_from(["已完成", "进行中"]),
        st.booleans(),  # a retraction (of the id below) rather than an update
        st.sampled_from(["a1111", "b2222", "z9999"]),
    ),
    max_size=8,
)


@settings(max_examples=400)
@given(events)
# Two updates alike but for their ids; a retraction of an id no update holds.
@example(
    [
        ("a1111", TODAY, 1, "甲镇", "已完成", False, ""),
        ("b2222", TODAY, 1, "甲镇", "已完成", False, ""),
    ]
)
@example(
    [
        ("a1111", TODAY, 1, "甲镇", "已完成", False, ""),
        ("b2222", TODAY, 1, "甲镇", "已完成", True, "z9999"),
    ]
)
def test_the_bulk_verdict_on_the_events_never_hides_what_the_walk_would_find(
    tmp_path_factory, drawn
):
    """check_events walks the log event by event only when a bulk look (ids, dates, content
    hashes) finds something: where the bulk look finds nothing, the walk finds nothing."""
    from gongkai_cli.ledger import checks
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.ledger.loaded import Loaded
    from gongkai_cli.ledger.logline import Entry, Retraction

    loaded = Loaded(DataDir(tmp_path_factory.mktemp("log"), "option"))
    for line, (uid, date, task, unit, status, retraction, retracts) in enumerate(drawn, 1):
        if retraction:
            loaded.retractions.append(Retraction(uid, date, retracts, None, line))
        else:
            loaded.updates.append(Entry(date, task, unit, status, None, None, line, uid))
    if checks._nothing_to_report(loaded, TODAY):
        original = checks._nothing_to_report
        try:
            checks._nothing_to_report = lambda loaded, today: False
            assert list(checks.check_events(loaded)) == []
        finally:
            checks._nothing_to_report = original

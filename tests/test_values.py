"""The plain values the queries use: they mirror the file schemas, and the history built from
them in linear time folds exactly as the log reads."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai_cli.ledger.logline import Entry
from gongkai_cli.model import schema, statuses, values
from gongkai_cli.model.fold import History
from tests.conftest import REAL_DATA


@pytest.mark.parametrize(
    ("file_schema", "value"),
    [(schema.Task, values.Task), (schema.Unit, values.Unit), (schema.Group, values.Group)],
    ids=["Task", "Unit", "Group"],
)
def test_each_plain_value_has_exactly_the_fields_of_its_schema(file_schema, value):
    """A field added to a file schema (task leads, say) must be added to its value too."""
    assert list(value._fields) == list(file_schema.model_fields)


START = dt.date(2021, 1, 1)
entries = st.lists(
    st.tuples(
        st.integers(0, 20),  # day
        st.integers(1, 3),  # task
        st.sampled_from(["甲镇", "乙镇", "县财政局"]),
        st.sampled_from(statuses.STATUSES),
        st.sampled_from([None, "已公开", "推进中"]),
    ),
    max_size=60,
)


def naive_state(updates: list[Entry], task: int, unit: str, as_of: dt.date):
    """The fold by its definition: this assignment's updates up to as_of, by date, a day's
    in file order; the last one counts, and a done status counts from its run's start."""
    mine = sorted((u for u in updates if (u.task, u.unit) == (task, unit)), key=lambda u: u.date)
    mine = [u for u in mine if u.date <= as_of]
    if not mine:
        return "未开始", None, None, None
    last = mine[-1]
    done_on = None
    if last.status in statuses.DONE_STATUSES:
        first = len(mine) - 1
        while first > 0 and mine[first - 1].status in statuses.DONE_STATUSES:
            first -= 1
        done_on = mine[first].date
    return last.status, last.date, last.note, done_on


@settings(max_examples=200, deadline=None)
@given(entries)
def test_the_history_folds_as_the_log_reads(rows):
    updates = [
        Entry(START + dt.timedelta(days=day), task, unit, status, note, None, line)
        for line, (day, task, unit, status, note) in enumerate(rows, start=1)
    ]
    history = History.from_entries(updates, lambda name: name)
    for task in (1, 2, 3):
        for unit in ("甲镇", "乙镇", "县财政局"):
            for day in (0, 5, 10, 20, 30):
                as_of = START + dt.timedelta(days=day)
                assert history.state(task, unit, as_of) == naive_state(updates, task, unit, as_of)
        first_mentions = list(dict.fromkeys(u.unit for u in updates if u.task == task))
        assert history.reporters(task) == first_mentions


@pytest.mark.parametrize(
    "args",
    [
        ["list", "-f", "json"],
        ["overdue", "--as-of", "2021-10-31", "-f", "json"],
        ["show", "7", "--as-of", "2021-10-31", "-f", "json"],
        ["units", "-f", "json"],
        ["stats", "--as-of", "2021-12-31", "-f", "json"],
    ],
    ids=" ".join,
)
def test_the_real_plan_reads_the_same_from_the_cache(gongkai, monkeypatch, args):
    args = [*args, "--data", str(REAL_DATA)]
    cold = gongkai(*args)
    warm = gongkai(*args)
    monkeypatch.setenv("GONGKAI_NO_CACHE", "1")
    uncached = gongkai(*args)
    assert cold.exit_code == warm.exit_code == uncached.exit_code == 0
    assert cold.stdout == warm.stdout == uncached.stdout
    assert json.loads(warm.stdout)

"""A write extends the cached load instead of leaving the next command to read the whole log
again: what it stores is exactly what a load of the longer log gives, or nothing at all."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from gongkai_cli.actions.record_progress import record_update
from gongkai_cli.ledger import cache
from gongkai_cli.ledger.checked import _encode, load_checked
from gongkai_cli.ledger.datadir import DataDir
from tests.conftest import runs_on

REAL_DATA = Path(__file__).resolve().parent.parent / "data"
_today = runs_on(dt.date(2021, 11, 1))


@pytest.fixture
def data(tmp_path) -> DataDir:
    folder = tmp_path / "data"
    shutil.copytree(REAL_DATA, folder)
    tasks = folder / "tasks.yaml"  # task 3 recurs monthly, so that updates name periods
    text = tasks.read_text(encoding="utf-8")
    third = text.index("- number: 3\n")
    at = text.index("deadline:", third)
    end = text.index("\n", at)
    tasks.write_text(text[:at] + "deadline: 每月10日前" + text[end:], encoding="utf-8")
    return DataDir(folder, "option")


def stored(data: DataDir):
    """What the cache holds for the files as they are now (None: nothing that fits them)."""
    found = cache.get(cache.place(data), data)
    return None if found is None else plain(*found[:2])


def loaded_afresh(data: DataDir, monkeypatch):
    """What a load of the files gives, as the cache would store it."""
    with monkeypatch.context() as patch:
        patch.setenv("GONGKAI_NO_CACHE", "1")
        return plain(*_encode(load_checked(data)))


def plain(value, columns):
    """As stored on disk: JSON (tuples become lists) and the columns' numbers."""
    return json.loads(json.dumps(value)), [(c.typecode, c.tolist()) for c in columns]


def record(data: DataDir, task: int, units, status: str, day: str, **more):
    return record_update(
        data, task, units, status, date=dt.date.fromisoformat(day), by="张三", commit=False, **more
    )


def test_each_update_extends_the_cache_to_what_a_load_of_the_longer_log_gives(data, monkeypatch):
    load_checked(data)
    steps = [
        (7, ["县财政局"], "进行中", "2021-06-01", {"note": "正在起草"}),
        (7, ["县财政局"], "进展缓慢", "2021-03-01", {}),  # before the assignment's others
        (7, ["县财政局"], "已完成", "2021-06-01", {"note": "已公开"}),  # same day: after
        (7, ["县财政局"], "进行中", "2021-04-01", {"note": "正在起草"}),  # a known note
        (6, ["各镇"], "进行中", "2021-05-01", {}),  # a group: one line per town, new runs
        (3, ["县发改委"], "已完成", "2021-02-03", {"period": "2021-01"}),
        (3, ["县发改委"], "进行中", "2021-03-05", {}),  # the period its date reports
        (7, ["县财政局"], "已完成", "2021-10-01", {}),  # runs after it move along
    ]
    for task, units, status, day, more in steps:
        record(data, task, units, status, day, **more)
        assert stored(data) == loaded_afresh(data, monkeypatch), (task, day)
    value, _ = stored(data)
    assert value["history"]["periods"] == [None, "2021-01", "2021-02"]


def test_a_log_with_windows_line_endings_is_extended_line_for_line(data, monkeypatch):
    record(data, 7, ["县财政局"], "进行中", "2021-06-01")
    log = data.file("progress.yaml")
    log.write_bytes(log.read_bytes().replace(b"\n", b"\r\n"))
    load_checked(data)
    record(data, 8, ["县财政局"], "进行中", "2021-06-02")
    assert log.read_bytes().endswith(b"}\r\n")
    assert stored(data) == loaded_afresh(data, monkeypatch)


def test_a_log_without_a_last_newline_is_extended_line_for_line(data, monkeypatch):
    record(data, 7, ["县财政局"], "进行中", "2021-06-01")
    log = data.file("progress.yaml")
    log.write_bytes(log.read_bytes().rstrip(b"\n"))
    load_checked(data)
    record(data, 8, ["县财政局"], "进行中", "2021-06-02")
    assert stored(data) == loaded_afresh(data, monkeypatch)


def test_an_exact_repeat_is_left_to_a_load_which_warns_of_it(data, monkeypatch):
    record(data, 7, ["县财政局"], "进行中", "2021-06-01", note="正在起草")
    record(data, 7, ["县财政局"], "进行中", "2021-06-01", note="正在起草")
    assert stored(data) is None  # not extended: the next command loads afresh
    value, _ = loaded_afresh(data, monkeypatch)
    assert [p["code"] for p in value["problems"]].count("duplicate-update") == 1


def test_an_update_with_details_is_left_to_a_load(data, monkeypatch):
    record(data, 7, ["县财政局"], "进行中", "2021-06-01", problems="经费不足")
    assert stored(data) is None
    assert load_checked(data).ledger.supervision.details  # and a load finds them


def test_nothing_is_stored_where_the_earlier_load_had_no_key(data, monkeypatch):
    monkeypatch.setenv("GONGKAI_NO_CACHE", "1")
    record(data, 7, ["县财政局"], "进行中", "2021-06-01")
    monkeypatch.delenv("GONGKAI_NO_CACHE")
    assert stored(data) is None


def test_an_update_reads_the_log_once_for_its_load_and_its_append(data, monkeypatch):
    """The log the cache was extended to is not hashed again by the next update's load
    (the update reads it to append anyway); it is checked against those bytes instead."""
    load_checked(data)
    record(data, 7, ["县财政局"], "进行中", "2021-06-01")  # the cache now holds no fingerprint

    hashed = []
    real_digest = cache.file_digest

    def watched(handle):
        hashed.append(Path(os.readlink(f"/proc/self/fd/{handle.fileno()}")).name)
        return real_digest(handle)

    with monkeypatch.context() as patch:
        patch.setattr("gongkai_cli.ledger.cache.file_digest", watched)
        record(data, 8, ["县财政局"], "进行中", "2021-06-02")
    assert "progress.yaml" not in hashed  # (the plan and the registry are new: hashed)
    assert stored(data) == loaded_afresh(data, monkeypatch)


def test_a_log_changed_between_the_load_and_the_append_is_not_extended(data, monkeypatch):
    """A hand edit landing after the load but before the append: the cache is not extended
    from a load of other bytes than those the lines were appended to."""
    from gongkai_cli.record import append

    load_checked(data)
    real_append = append.Log.append

    def edited_first(log, lines, message, files=()):
        text = log.path.read_text(encoding="utf-8")
        log.path.write_text(
            text + "- {date: 2021-05-01, task: 9, unit: 县财政局, status: 进行中}\n"
        )
        log.read()  # as if the append had come to read it now
        return real_append(log, lines, message, files)

    with monkeypatch.context() as patch:
        patch.setattr(append.Log, "append", edited_first)
        record(data, 7, ["县财政局"], "进行中", "2021-06-01")
    assert stored(data) is None  # the next command loads afresh
    assert "task: 9" in data.file("progress.yaml").read_text(encoding="utf-8")


def test_a_random_run_of_writes_and_hand_edits_never_leaves_a_warm_read_unlike_a_cold_one(
    data, monkeypatch
):
    """Updates (groups, repeats, periods, one day twice, long notes that cross a page) mixed
    with what people do to the log by hand (a copied line, a retraction, a line taken out,
    an edit of the same size): after every step the cached load is what a load of the
    files gives, whether the cache was extended, kept or dropped."""
    import random

    from gongkai_cli.ledger import checked

    rng = random.Random(31)
    log = data.file("progress.yaml")
    extensions = []
    real_extended = checked.extended

    def counted(*args):
        longer = real_extended(*args)
        extensions.append(longer is not None)
        return longer

    monkeypatch.setattr(checked, "extended", counted)
    assignments = [(7, ["县财政局"]), (7, ["各镇"]), (8, ["县财政局"]), (12, ["县教育局"])]
    statuses = ["未开始", "进行中", "进展缓慢", "已完成", "不涉及"]
    for step in range(40):
        lines = [line for line in log.read_text(encoding="utf-8").splitlines(True) if "{" in line]
        kind = rng.choice(
            ["update"] * 5 + ["again", "period", "copy", "retract", "drop", "same size"]
        )
        if kind == "update" or (kind == "again" and step == 0):
            task, units = rng.choice(assignments)
            note = rng.choice([None, "正在起草", "已公开", "长" * rng.choice([10, 1500])])
            day = f"2021-0{rng.randint(1, 9)}-{rng.randint(10, 12)}"
            last = (task, units, rng.choice(statuses), day)
            record(data, *last, note=note)
        elif kind == "again":  # the last update once more: a repeat, which a load warns of
            record(data, *last, note=note)
        elif kind == "period":
            record(data, 3, ["县发改委"], rng.choice(statuses), f"2021-0{rng.randint(2, 9)}-05")
        elif kind == "copy" and lines:
            log.write_text(log.read_text(encoding="utf-8") + rng.choice(lines), encoding="utf-8")
        elif kind == "retract" and lines:
            uid = rng.choice(lines).split("id: ")[1].split(",")[0]
            retraction = f"- {{id: r{step:09d}, date: 2021-10-01, retracts: {uid}, by: 李四}}\n"
            log.write_text(log.read_text(encoding="utf-8") + retraction, encoding="utf-8")
        elif kind == "drop" and lines:
            text = log.read_text(encoding="utf-8")
            log.write_text(text.replace(rng.choice(lines), "", 1), encoding="utf-8")
        elif kind == "same size":
            text = log.read_text(encoding="utf-8")
            log.write_text(text.replace("进行中", "已完成", 1), encoding="utf-8")
        warm = plain(*_encode(load_checked(data)))
        assert warm == loaded_afresh(data, monkeypatch), (step, kind)
    assert extensions.count(True) >= 15 and extensions.count(False) >= 1  # both ways taken


def test_a_writer_stores_the_cache_once(data, monkeypatch):
    """A reader that finds the files touched but not changed stores the cache again, with
    fingerprints that vouch for them; a writer does not: it changes the log at once, and
    stores the extended answer itself."""
    monkeypatch.setattr("gongkai_cli.ledger.seen.SETTLED_NS", 0)  # every file settled
    load_checked(data)
    record(data, 7, ["县财政局"], "进行中", "2021-06-01")  # stored without a fingerprint
    stores = []
    real_put = cache.put
    monkeypatch.setattr(cache, "put", lambda *args: stores.append(real_put(*args)))
    record(data, 8, ["县财政局"], "进行中", "2021-06-02")
    assert len(stores) == 1
    monkeypatch.setattr(cache, "put", real_put)
    assert stored(data) == loaded_afresh(data, monkeypatch)


@pytest.mark.parametrize("stored_by", ["a load", "an extension"])
def test_a_cached_load_is_not_read_on_a_day_before_the_logs_latest_event(
    data, monkeypatch, stored_by
):
    """An update dated today is no error today, and the load that says so is cached. Read
    on an earlier day (a clock put back, GONGKAI_TODAY for a look at the past), a load of
    the same files says the log holds a date after today: the cache must not say less."""
    from gongkai_cli.model.dates import TODAY_VARIABLE

    if stored_by == "an extension":
        load_checked(data)
    record(data, 7, ["县财政局"], "进行中", "2021-11-01")
    if stored_by == "a load":
        load_checked(data)
    assert stored(data) is not None
    monkeypatch.setenv(TODAY_VARIABLE, "2021-10-31")
    warm = plain(*_encode(load_checked(data)))
    assert warm == loaded_afresh(data, monkeypatch)
    assert "date-in-future" in [p["code"] for p in warm[0]["problems"]]

"""The cache is keyed by the bytes parsed (and the code), never serves a stale answer, holds
data only, lives in a private folder, and fails safe."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import stat

from gongkai_cli.ledger import cache, seen
from gongkai_cli.ledger import load as load_module
from gongkai_cli.ledger.checked import load_checked
from gongkai_cli.ledger.datadir import DataDir
from tests.conftest import runs_on, write_ledger

PROGRESS = "- {date: 2021-05-01, task: 1, unit: 县财政局, status: 已完成}\n"

# Within the plan's year, so no command adds the hint for a today far from it.
_today = runs_on(dt.date(2021, 11, 1))


def cached(data: DataDir):
    """The cached answer for a data directory, or None if the cache has none for its files."""
    return cache.get(cache.place(data), data)


def test_the_answer_is_keyed_by_every_byte_of_every_file(tmp_path):
    data = DataDir(write_ledger(tmp_path, progress=PROGRESS), "option")
    load_checked(data)
    assert cached(data) is not None
    for name in ("tasks.yaml", "units.yaml", "progress.yaml"):
        path = data.file(name)
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert cached(data) is None, name
        path.write_bytes(original)
    assert cached(data) is not None  # time stamps changed, content did not


def test_the_key_follows_the_code(tmp_path, monkeypatch):
    data = DataDir(write_ledger(tmp_path), "option")
    load_checked(data)
    assert cached(data) is not None
    monkeypatch.setattr(cache, "_code_stamp", lambda: [["fold.py", 1, 2]])
    assert cached(data) is None


def test_a_settled_file_is_vouched_for_by_its_fingerprint_without_reading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(seen, "SETTLED_NS", 0)  # as if the files were written long ago
    data = DataDir(write_ledger(tmp_path, progress=PROGRESS), "option")
    load_checked(data)

    def no_hashing(*args):
        raise AssertionError("a file was hashed although its fingerprint matched")

    monkeypatch.setattr(cache, "file_digest", no_hashing)
    assert cached(data) is not None


def test_an_edit_that_keeps_the_size_and_the_modification_time_is_seen(tmp_path, monkeypatch):
    monkeypatch.setattr(seen, "SETTLED_NS", 0)
    data = DataDir(write_ledger(tmp_path, progress=PROGRESS), "option")
    assert load_checked(data).history.state(1, "县财政局", dt.date(2021, 6, 1))[0] == "已完成"
    path = data.file("progress.yaml")
    before = path.stat()
    path.write_text(PROGRESS.replace("已完成", "不涉及"), encoding="utf-8")  # same length in bytes
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # ctime still moves on
    assert path.stat().st_size == before.st_size
    assert load_checked(data).history.state(1, "县财政局", dt.date(2021, 6, 1))[0] == "不涉及"


def test_the_answer_belongs_to_the_bytes_parsed_not_to_the_bytes_checked(
    gongkai, tmp_path, monkeypatch
):
    """Forced interleaving: the log changes after the cache looked at it and before the
    loader read it (an update), then goes back to what it was (an undo)."""
    data = write_ledger(tmp_path, progress=PROGRESS)
    log = data / "progress.yaml"
    args = ["show", "1", "--as-of", "2021-06-01", "-f", "json", "--data", "data"]
    real_load = load_module.load

    def load_after_an_update(data_dir):
        log.write_text(PROGRESS + "- {date: 2021-05-02, task: 1, unit: 甲镇, status: 进行中}\n")
        return real_load(data_dir)

    monkeypatch.setattr(load_module, "load", load_after_an_update)
    assert json.loads(gongkai(*args).stdout)["status"]["甲镇"]["status"] == "进行中"
    monkeypatch.setattr(load_module, "load", real_load)
    log.write_text(PROGRESS, encoding="utf-8")  # undone
    assert json.loads(gongkai(*args).stdout)["status"]["甲镇"]["status"] == "未开始"


def test_the_cache_never_runs_code_planted_in_it(gongkai, tmp_path):
    write_ledger(tmp_path, progress=PROGRESS)
    args = ["overdue", "--as-of", "2021-07-01", "-f", "json", "--data", "data"]
    expected = gongkai(*args).stdout
    planted = tmp_path / "planted"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {planted}",))

    files = list(cache.cache_dir().iterdir())
    assert files
    for path in files:
        path.write_bytes(pickle.dumps(Payload()) * 2)
    assert gongkai(*args).stdout == expected
    assert not planted.exists()


def test_a_cache_folder_that_others_can_write_is_refused_once(gongkai, tmp_path):
    write_ledger(tmp_path, progress=PROGRESS)
    folder = cache.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o777)
    args = ["show", "1", "--as-of", "2021-06-01", "-f", "json", "--data", "data"]
    result = gongkai(*args)
    assert result.exit_code == 0
    assert (
        result.stderr == f"提示：缓存目录 {folder} 其他用户可以写入，为安全起见本次不使用缓存。\n"
    )
    assert json.loads(result.stdout)["status"]["县财政局"]["status"] == "已完成"
    assert gongkai(*args).stderr == ""  # said once
    assert list(folder.iterdir()) == []


def test_a_cache_folder_owned_by_another_user_is_refused(gongkai, tmp_path, monkeypatch):
    write_ledger(tmp_path, progress=PROGRESS)
    folder = cache.cache_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    monkeypatch.setattr(os, "getuid", lambda: folder.stat().st_uid + 1)
    result = gongkai("list", "--data", "data", "-f", "json")
    assert result.exit_code == 0
    assert result.stderr == f"提示：缓存目录 {folder} 属于其他用户，为安全起见本次不使用缓存。\n"
    assert list(folder.iterdir()) == []


def test_the_cache_folder_is_made_private(gongkai, tmp_path, monkeypatch):
    write_ledger(tmp_path, progress=PROGRESS)
    folder = tmp_path / "home" / "cache" / "gongkai"
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(folder))
    old = os.umask(0)
    try:
        assert gongkai("list", "--data", "data", "-f", "json").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    assert len(list(folder.iterdir())) == 1


def test_answers_are_the_same_with_and_without_the_cache(gongkai, tmp_path, monkeypatch):
    write_ledger(tmp_path, progress=PROGRESS)
    args = ["show", "1", "--as-of", "2021-06-01", "-f", "json", "--data", "data"]
    first = gongkai(*args).stdout  # fills the cache
    cached = gongkai(*args).stdout
    monkeypatch.setenv("GONGKAI_NO_CACHE", "1")
    assert first == cached == gongkai(*args).stdout
    assert json.loads(cached)["status"]["县财政局"]["status"] == "已完成"


def test_a_changed_log_is_read_again(gongkai, tmp_path):
    data = write_ledger(tmp_path, progress=PROGRESS)
    args = ["show", "1", "--as-of", "2021-06-01", "-f", "json", "--data", "data"]
    assert json.loads(gongkai(*args).stdout)["status"]["甲镇"]["status"] == "未开始"
    with (data / "progress.yaml").open("a", encoding="utf-8") as log:
        log.write("- {date: 2021-05-02, task: 1, unit: 甲镇, status: 进行中}\n")
    assert json.loads(gongkai(*args).stdout)["status"]["甲镇"]["status"] == "进行中"


def test_a_corrupt_cache_file_is_ignored(gongkai, tmp_path):
    write_ledger(tmp_path, progress=PROGRESS)
    args = ["overdue", "--as-of", "2021-07-01", "-f", "json", "--data", "data"]
    expected = gongkai(*args).stdout
    for path in cache.cache_dir().iterdir():
        path.write_bytes(b"\x80\x05not a pickle at all")
    assert gongkai(*args).stdout == expected


def test_a_fifo_in_place_of_the_log_does_not_hang_the_cache_check(tmp_path):
    data = DataDir(write_ledger(tmp_path, progress=PROGRESS), "option")
    load_checked(data)
    data.file("progress.yaml").unlink()
    os.mkfifo(data.file("progress.yaml"))
    assert cached(data) is None

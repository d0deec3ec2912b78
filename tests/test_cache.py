"""The cache is keyed by content (data and code), never serves a stale answer, and fails safe."""

from __future__ import annotations

import json

from gongkai_cli.ledger import cache
from gongkai_cli.ledger.datadir import DataDir
from tests.conftest import write_ledger

PROGRESS = "- {date: 2021-05-01, task: 1, unit: 县财政局, status: 已完成}\n"


def test_the_key_follows_every_byte_of_every_file(tmp_path):
    data = DataDir(write_ledger(tmp_path, progress=PROGRESS), "option")
    key = cache.content_key(data)
    assert cache.content_key(data) == key
    for name in ("tasks.yaml", "units.yaml", "progress.yaml"):
        path = data.file(name)
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert cache.content_key(data) != key, name
        path.write_bytes(original)
    assert cache.content_key(data) == key  # time stamps changed, content did not


def test_the_key_follows_the_code(tmp_path, monkeypatch):
    data = DataDir(write_ledger(tmp_path), "option")
    key = cache.content_key(data)
    monkeypatch.setattr(cache, "_code_digest", lambda: b"another version of gongkai")
    assert cache.content_key(data) != key


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

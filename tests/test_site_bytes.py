"""The site's pages stay byte for byte what they were when the site was made faster (commit
bc2a7a1): built from the raw log or from the cache, into an empty folder or over itself.
`benchmarks/same_site.py` compares two trees the same way on the year and 10× ledgers."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from tests import test_periods
from tests.conftest import write_ledger
from tests.site_data import rich_ledger, supervised_ledger

# The first 16 hex digits of each page's SHA-256, as bc2a7a1 wrote them.
PAGES = {
    "rich": {
        "bulletin.html": "82190e6253bddfe3",
        "index.html": "0448dc33f5475df3",
        "tasks/1.html": "e2fdf42c0b8f5b34",
        "tasks/2.html": "79661ec4f3be31ce",
        "tasks/3.html": "4d6b928692decfc7",
        "tasks/4.html": "fdd005df107caead",
        "units/乙镇.html": "428f46d04ee86d3d",
        "units/县政府办公室.html": "af1e17abdc0dd1a2",
        "units/县教育局.html": "96eedfe6c34de77c",
        "units/县档案馆.html": "69af5afe1df30ffd",
        "units/县财政局.html": "fa2a798281437241",
        "units/甲镇.html": "cdf9bb9cab49d8c7",
    },
    "supervised": {
        "bulletin.html": "fca34c8a210cb81b",
        "index.html": "e8d9f2fd2bc22fb2",
        "tasks/1.html": "73d024dbe9ec6692",
        "tasks/2.html": "0155b87c5030f9e4",
        "tasks/3.html": "a2072c56533ae706",
        "tasks/4.html": "184c2c03111fdddc",
        "units/乙镇.html": "0d4adb4b631b9523",
        "units/县政府办公室.html": "6a4909dbcb406ca7",
        "units/县教育局.html": "0788c22b7141481c",
        "units/县档案馆.html": "3bb95de9a6082da7",
        "units/县财政局.html": "c3fef3021a9cb31e",
        "units/甲镇.html": "b135f264a960bf33",
    },
    "recurring": {
        "bulletin.html": "e2d21b40babf33ea",
        "index.html": "08a6cc471968e29e",
        "tasks/1.html": "a90f21f96a3bd91a",
        "tasks/2.html": "78d0af44371d64ac",
        "tasks/3.html": "a0b259d6b17150f3",
        "units/乙镇.html": "72c6ca775e593345",
        "units/县政府办公室.html": "84f82f40cab58d5c",
        "units/县教育局.html": "d5d75ba8425af766",
        "units/县档案馆.html": "b19e8f071e45c28b",
        "units/县财政局.html": "264b6f76c743bf3d",
        "units/甲镇.html": "d2d82ed44538efc3",
    },
}


def _ledger(name: str, root):
    if name == "rich":  # timelines and the burn-up: every kind of update line
        return rich_ledger(root), "2021-07-01"
    if name == "supervised":  # reviews, an extension, details, a kept file
        return supervised_ledger(root), "2021-07-01"
    return write_ledger(root, test_periods.TASKS, progress=test_periods.YEAR), "2021-05-11"


def _pages(folder) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()[:16]
        for p in sorted(folder.rglob("*.html"))
    }


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_pages_are_the_bytes_they_were(gongkai, tmp_path, name):
    data, as_of = _ledger(name, tmp_path)
    site = tmp_path / "site"

    def build():
        result = gongkai("site", "--data", data, "--as-of", as_of, "--out", site)
        assert result.exit_code == 0, result.stderr
        return _pages(site)

    assert build() == PAGES[name]  # the ledger read afresh (the cache empty)
    assert build() == PAGES[name]  # nothing changed: left as it is
    shutil.rmtree(site)
    assert build() == PAGES[name]  # into an empty folder, from the cache

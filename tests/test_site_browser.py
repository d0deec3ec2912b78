"""The site in a real browser: Debian's Chromium, driven by Playwright, never a downloaded build."""

from __future__ import annotations

import json
import re
import shutil
import struct
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.site_data import hostile_ledger, year_ledger

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(
        "Chromium not found: install Debian's package "
        "(apt-get install --no-install-recommends chromium fonts-noto-cjk) to run the browser tests",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason='Playwright not installed: pip install -e ".[test]"'
)

AS_OF = "2021-10-31"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        # Playwright gives every launch a fresh, temporary profile (user data dir).
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    from typer.testing import CliRunner

    from gongkai_cli.cli.app import app

    root = tmp_path_factory.mktemp("sites")
    year = year_ledger(root / "year")
    hostile = hostile_ledger(root / "hostile")
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == 0, result.output
        return result.stdout

    run("site", "--data", year, "--as-of", AS_OF, "--out", root / "year-site")
    run("site", "--data", hostile, "--as-of", "2021-07-01", "--out", root / "hostile-site")
    return {
        "year": root / "year-site",
        "hostile": root / "hostile-site",
        "overdue": json.loads(run("overdue", "--data", year, "--as-of", AS_OF, "-f", "json")),
        "due": json.loads(run("due", "--data", year, "--as-of", AS_OF, "-f", "json")),
    }


class Visit:
    """One page opened with everything the browser did recorded."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.console: list[str] = []
        self.failed: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on(
            "console", lambda m: m.type in ("error", "warning") and self.console.append(m.text)
        )
        self.page.on("pageerror", lambda e: self.console.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri(), wait_until="load")

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url.startswith("file://"):
            route.continue_()
        else:  # anything else is a request off the machine: record it, never send it
            self.outside.append(url)
            route.abort()

    def close(self):
        self.context.close()


def _visit(browser, path):
    visit = Visit(browser, path)
    yield visit
    visit.close()


PAGES = ["index.html", "tasks/40.html", "units/县财政局.html", "bulletin.html"]


@pytest.mark.parametrize("name", PAGES)
def test_a_page_loads_cleanly_with_only_its_own_files_and_working_links(browser, sites, name):
    visit = Visit(browser, sites["year"] / name)
    try:
        assert visit.console == [] and visit.failed == [] and visit.dialogs == []
        assert visit.outside == []
        assets = [u.rsplit("/", 2)[-2:] for u in visit.requests if u.endswith((".css", ".js"))]
        assert sorted(assets) == [["static", "site.css"], ["static", "site.js"]]
        links = visit.page.eval_on_selector_all(  # HTML links and the charts' SVG links
            "a[href]", "as => as.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"
        )
        assert links
        for link in links:
            parts = urlsplit(link)
            assert parts.scheme == "file", link
            target = Path(unquote(parts.path))
            assert target.is_file(), link
            if parts.fragment:
                assert f'id="{parts.fragment}"' in target.read_text(encoding="utf-8"), link
        shot = visit.page.screenshot()
        assert _distinct_colours(shot) > 20  # text, lights and charts, not a blank page
    finally:
        visit.close()


def test_the_lights_match_overdue_and_due_for_the_same_date(browser, sites):
    visit = Visit(browser, sites["year"] / "index.html")
    try:
        count = visit.page.locator
        assert count("#tasks .light.red").count() == len(sites["overdue"]) > 0
        assert count("#tasks .light.yellow").count() == len(sites["due"]) > 0
        red = visit.page.eval_on_selector_all(
            "#tasks tr:has(.light.red) td:nth-child(2)", "tds => tds.map(td => +td.textContent)"
        )
        assert red == [item["number"] for item in sites["overdue"]]
    finally:
        visit.close()


def test_sorting_and_filtering_work_and_the_content_reads_without_script(browser, sites):
    visit = Visit(browser, sites["year"] / "index.html")
    try:
        page = visit.page
        page.fill("input.filter >> nth=0", "10月底前")
        visible = page.eval_on_selector_all(
            "#tasks tbody tr:not([hidden]) td:nth-child(2)", "tds => tds.map(td => +td.textContent)"
        )
        assert visible == [26, 27, 28, 29]
        page.fill("input.filter >> nth=0", "")
        page.click("#tasks th:nth-child(2) button")  # 编号, ascending then descending
        page.click("#tasks th:nth-child(2) button")
        numbers = page.eval_on_selector_all(
            "#tasks tbody td:nth-child(2)", "tds => tds.map(td => +td.textContent)"
        )
        assert numbers == list(range(43, 0, -1))
    finally:
        visit.close()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((sites["year"] / "index.html").as_uri())
        assert page.locator("#tasks tbody tr").count() == 43
        assert page.locator("svg.chart").count() == 3
    finally:
        context.close()


def test_hostile_text_shows_as_text_and_runs_nothing(browser, sites):
    visit = Visit(browser, sites["hostile"] / "tasks" / "1.html")
    try:
        page = visit.page
        assert visit.dialogs == [] and visit.console == [] and visit.outside == []
        assert page.title() == "任务 1 · 测试县</title><script>alert(1)</script>"
        notes = page.locator("td.note").all_inner_texts()
        assert "<img src=x onerror=alert(3)>" in notes
        assert "见 javascript:alert(4) 与 https://evil.example/x.png" in notes
        assert "正常[U+202E]文本反转[U+202C]结束" in notes
        assert "</style><style>body{display:none}</style>" in notes
        assert page.locator("text=公开预算决算</style><script>alert(2)</script>。").count() == 1
        assert page.is_visible("main")
        assert page.eval_on_selector_all("a[href^='javascript']", "as => as.length") == 0
        unit = page.locator("#assignments").get_by_role("link", name="<svg/onload=alert(1)>局")
        unit.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "<svg/onload=alert(1)>局"
        assert visit.dialogs == [] and visit.console == [] and visit.outside == []
    finally:
        visit.close()


def test_the_overview_prints_on_a4(browser, sites):
    visit = Visit(browser, sites["year"] / "index.html")
    try:
        pdf = visit.page.pdf(prefer_css_page_size=True)
        sizes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
        assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(595, 842)}  # A4
        visit.page.emulate_media(media="print")
        assert not visit.page.is_visible("header.site nav")
    finally:
        visit.close()


def _distinct_colours(png: bytes) -> int:
    """How many different pixels a PNG holds (8-bit RGB or RGBA, as Chromium writes them)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    previous, colours = bytearray(stride), set()
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        if y % 4 == 0:
            colours.update(bytes(line[i : i + channels]) for i in range(0, stride, channels * 4))
        previous = line
    return len(colours)

"""Render the site's pages with Jinja2 (autoescaped) and write them into the output folder."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from gongkai_cli.errors import DataError, GongkaiError
from gongkai_cli.ledger.datadir import DataDir
from gongkai_cli.model.book import Book
from gongkai_cli.model.dates import chinese_date
from gongkai_cli.output.site import charts, pages
from gongkai_cli.output.text import plain

# Written into the folder with the list of files of the last build: a rebuild removes the pages
# that no longer exist, and a folder without it (not a site of ours) is never written into.
MANIFEST = ".gongkai-site"
STATIC = ("site.css", "site.js")

# Bidi controls would reorder the text around a note or a name; they are shown, not obeyed.
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(value):
    """Every value a template prints passes here before it is escaped: control characters
    are dropped and bidi controls are made visible, so untrusted text reads as what it is."""
    from markupsafe import Markup

    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", plain(value))
    return value


@dataclass(frozen=True, slots=True)
class Links:
    """Relative links from one page: they work from file:// as from any web server."""

    root: str  # "" on the top-level pages, "../" below
    unit_files: dict[str, str]

    def page(self, name: str) -> str:
        return f"{self.root}{name}"

    def task(self, number: int) -> str:
        return f"{self.root}tasks/{number}.html"

    def unit(self, name: str) -> str | None:
        file = self.unit_files.get(name)
        return None if file is None else f"{self.root}units/{quote(file)}"


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gongkai_cli.output.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=shown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cn_date"] = lambda day: chinese_date(day) if day else ""
    env.filters["percent"] = lambda part, whole: f"{part / whole * 100:.1f}%" if whole else "—"
    env.globals["ROLE_WORDS"] = pages.ROLE_WORDS
    env.globals["STATES"] = pages.STATES
    env.globals["SOON_DAYS"] = pages.SOON_DAYS
    env.globals["zip"] = zip
    env.globals["CHART_WIDTH"] = charts.WIDTH
    return env


def unit_files(names) -> dict[str, str]:
    """One file name per unit, from its name; names that would collide get a number."""
    from gongkai_cli.record.atomic import safe_filename

    files: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        stem = safe_filename(name)[:60]  # well under 255 bytes of UTF-8
        file, n = f"{stem}.html", 1
        while file.casefold() in taken:
            n += 1
            file = f"{stem}-{n}.html"
        taken.add(file.casefold())
        files[name] = file
    return files


def open_site_book(data_dir: DataDir) -> tuple[Book, list]:
    """The book and the raw log (for the timelines), read once; errors in the data stop here."""
    from gongkai_cli.ledger.load import load

    loaded = load(data_dir)
    if loaded.ledger is None or any(p.severity == "error" for p in loaded.problems):
        raise DataError(loaded.problems)
    return Book(loaded.ledger), list(loaded.updates)


def render_site(data_dir: DataDir, as_of: dt.date) -> dict[str, bytes]:
    """Every file of the site, by its path in the site folder."""
    book, entries = open_site_book(data_dir)
    env = _environment()
    files = unit_files(book.ledger.index.units)
    top, below = Links("", files), Links("../", files)
    rows = pages.folded(book, as_of)
    summary = pages.summaries(book, rows, as_of)
    common = {"title": book.ledger.title, "as_of": as_of, "as_of_text": chinese_date(as_of)}

    def render(template: str, links: Links, **values) -> bytes:
        return env.get_template(template).render(**common, links=links, **values).encode("utf-8")

    units = pages.unit_pages(book, rows, as_of)
    site: dict[str, bytes] = {
        "index.html": render(
            "overview.html", top, **_overview(book, rows, summary, units, top, as_of), page="index"
        ),
        "bulletin.html": render("bulletin.html", top, doc=_bulletin(book, as_of), page="bulletin"),
    }
    for task in pages.task_pages(book, rows, summary, entries, as_of):
        site[f"tasks/{task.summary.number}.html"] = render(
            "task.html", below, task=task, page="task"
        )
    for unit in units:
        site[f"units/{files[unit.name]}"] = render("unit.html", below, unit=unit, page="unit")
    for name in STATIC:
        site[f"static/{name}"] = (
            resources.files("gongkai_cli.output.site").joinpath("static", name).read_bytes()
        )
    return site


def _overview(book: Book, rows, summary, units, links: Links, as_of: dt.date) -> dict:
    from gongkai_cli.output.reports import stats

    sections = [r for r in stats(book, as_of, "section").payload["rows"] if r["key"] != "合计"]
    by_unit = {r["key"]: r for r in stats(book, as_of, "unit").payload["rows"]}
    behind = sorted(
        (u for u in units if u.rows),
        key=lambda u: (by_unit[u.name]["completion_rate"], -by_unit[u.name]["overdue"]),
    )
    return {
        "tasks": summary,
        "counts": pages.counts(rows, summary, as_of),
        "units": units,
        "unit_stats": by_unit,
        "section_chart": charts.bar_chart(
            "按大项的完成情况",
            [(r["key"], None, r["total"], r["done"], r["overdue"]) for r in sections],
        ),
        "unit_chart": charts.bar_chart(
            "按单位的完成情况（完成率低的在前）",
            [
                (
                    u.name,
                    links.unit(u.name),
                    by_unit[u.name]["total"],
                    by_unit[u.name]["done"],
                    by_unit[u.name]["overdue"],
                )
                for u in behind
            ],
        ),
        "burnup": charts.burnup_chart(pages.burnup(book, as_of), chinese_date(as_of)),
    }


def _bulletin(book: Book, as_of: dt.date):
    from gongkai_cli.output.reports import overdue_bulletin

    return overdue_bulletin(book, as_of)


# ----- the folder -----


def write_site(out: Path, site: dict[str, bytes]) -> None:
    """Write the files into `out`, then remove what the previous build wrote and this one did not.
    A folder that holds anything but an earlier site is left untouched."""
    from gongkai_cli.record.atomic import write_output

    manifest = out / MANIFEST
    if out.exists() and not out.is_dir():
        raise GongkaiError(f"{out} 不是目录；请用 --out 指定网站的目录。")
    if out.is_dir() and any(out.iterdir()) and not manifest.is_file():
        raise GongkaiError(
            f"{out} 不是空目录，也不是 gongkai 生成的网站；为免覆盖其中的文件，请用 --out 指定新目录或空目录。"
        )
    previous = (
        set(manifest.read_text(encoding="utf-8").splitlines()) if manifest.is_file() else set()
    )
    for name, content in site.items():
        write_output(out / name, content)
    for name in sorted(previous - set(site)):
        stale = out / name
        inside = not Path(name).is_absolute() and ".." not in Path(name).parts
        if inside and stale.is_file() and not stale.is_symlink():
            stale.unlink()
    write_output(manifest, "".join(f"{name}\n" for name in sorted(site)).encode("utf-8"))

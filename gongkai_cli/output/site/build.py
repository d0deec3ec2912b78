"""Render the site's pages with Jinja2 (autoescaped): every file as bytes, by its path."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import quote

from gongkai_cli.model.book import Book
from gongkai_cli.model.dates import chinese_date
from gongkai_cli.model.statuses import DONE, DUE_SOON, OVERDUE, ROLE_WORDS, units_done
from gongkai_cli.output.site import charts, markup, pages

STATIC = ("site.css", "site.js")
_quoted = lru_cache(maxsize=1024)(quote)  # a unit's file name in a link, on every row


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
        return None if file is None else f"{self.root}units/{_quoted(file)}"

    def evidence(self, item: str) -> str | None:
        """A kept file as its copy in the site; an http(s) link as it is (the loader refuses
        any other, and this never links to one: a javascript: link would run)."""
        if item.startswith("evidence/"):
            return f"{self.root}{quote(item)}"
        return item if item.startswith(("https://", "http://")) else None


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gongkai_cli.output.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=markup.text,  # shown, then escaped (Jinja leaves Markup as it is)
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cn_date"] = markup.cn_date
    env.filters["keep"] = _kept
    env.filters["percent"] = lambda part, whole: f"{part / whole * 100:.1f}%" if whole else "—"
    env.globals["ROLE_WORDS"] = ROLE_WORDS
    env.globals["units_done"] = units_done
    env.globals |= {"DONE": DONE, "OVERDUE": OVERDUE, "DUE_SOON": DUE_SOON}
    env.globals["STATES"] = pages.STATES
    env.globals["SOON_DAYS"] = pages.SOON_DAYS
    env.globals["zip"] = zip
    env.globals["CHART_WIDTH"] = charts.WIDTH
    env.globals |= {
        name: getattr(markup, name)
        for name in ("timeline", "light", "unit_link", "assignment_rows", "checklist_rows")
    }
    return env


def _kept(text, names: tuple[str, ...]):
    """Text with each unit name (and short aside) in a span no line breaks inside: the
    line-breaking rule of every other renderer (cjk), by the browser's own means."""
    import markupsafe

    from gongkai_cli.output.cjk import kept_runs

    if text is None:
        return ""
    return markupsafe.Markup("").join(
        markupsafe.Markup('<span class="keep">{}</span>').format(run) if kept else run
        for run, kept in kept_runs(str(text), names)
    )


# Characters a file name cannot hold on some system, or that would hide or reorder it.
_NOT_IN_NAMES = re.compile(
    r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]'
)


def unit_files(names) -> dict[str, str]:
    """One page file per unit, named after it; names that would collide get a number."""
    files: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        stem = _NOT_IN_NAMES.sub("_", name).strip().lstrip(".")[:60] or "_"  # ≤ 255 bytes
        file, n = f"{stem}.html", 1
        while file.casefold() in taken:
            n += 1
            file = f"{stem}-{n}.html"
        taken.add(file.casefold())
        files[name] = file
    return files


def render_site(book: Book, as_of: dt.date, members=None, source: str = "") -> dict[str, bytes]:
    """Every file of the site, by its path in the site folder (each task's timeline from
    the book's history, which a cached load holds); `members`, for a ledger with member
    ledgers, is (the roll-up report, each member's site); `source` is the footer's line on
    where the site came from (the ledger's commit)."""
    from gongkai_cli.output.reports import names_of

    book = pages.SiteBook(book)
    env = _environment()
    files = unit_files(book.ledger.index.units)
    top, below = Links("", files), Links("../", files)
    rows = pages.folded(book, as_of)
    summary = pages.summaries(book, rows, as_of)
    common = {
        "title": book.ledger.title,
        "as_of": as_of,
        "as_of_text": chinese_date(as_of),
        "members": members is not None,
        "names": names_of(book),  # no line breaks inside these
        "source": source,
    }

    def render(template: str, links: Links, **values) -> bytes:
        return env.get_template(template).render(**common, links=links, **values).encode("utf-8")

    units = pages.unit_pages(book, rows, as_of)
    site: dict[str, bytes] = {
        "index.html": render(
            "overview.html", top, **_overview(book, rows, summary, units, top, as_of), page="index"
        ),
        "bulletin.html": render("bulletin.html", top, doc=_bulletin(book, as_of), page="bulletin"),
    }
    if members is not None:
        doc, sites = members
        site["members.html"] = render("members.html", top, doc=doc, sites=sites, page="members")
    for task in pages.task_pages(book, rows, summary, as_of):
        for page in pages.paged(task):
            site[f"tasks/{page.file or f'{task.summary.number}.html'}"] = render(
                "task.html", below, task=page, page="task"
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

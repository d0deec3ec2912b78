"""Chart geometry for hand-written SVG: coordinates as short fixed strings, so the same data
always gives the same bytes. The markup itself is in the templates, escaped like the rest."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from gongkai_cli.output.site.pages import Burnup

WIDTH = 960  # the viewBox width; the SVG scales to its container on screen and on paper


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


class Bar(NamedTuple):
    label: str
    href: str | None
    y: str
    text_y: str
    done_w: str
    late_x: str
    late_w: str
    value: str  # 85.0%（17/20）
    title: str  # the full label and the numbers, as a tooltip and for screen readers


class BarChart(NamedTuple):
    title: str
    height: str
    label_width: str
    bar_x: str
    bar_width: str
    bar_height: str
    value_x: str
    bars: list[Bar]


def bar_chart(title: str, items: list[tuple[str, str | None, int, int, int]]) -> BarChart:
    """Stacked bars, one per (label, link, total, done, overdue): done, overdue, the rest."""
    label_width, value_width, row, bar_h = 200, 150, 24, 16
    bar_x, bar_w = label_width + 8, WIDTH - label_width - 8 - value_width
    bars = []
    for i, (label, href, total, done, late) in enumerate(items):
        share, late_share = (done / total, late / total) if total else (0.0, 0.0)
        y = 8 + i * row
        percent = f"{share * 100:.1f}%"
        bars.append(
            Bar(
                label=label if len(label) <= 14 else label[:13] + "…",
                href=href,
                y=_n(y),
                text_y=_n(y + bar_h - 3),
                done_w=_n(bar_w * share),
                late_x=_n(bar_x + bar_w * share),
                late_w=_n(bar_w * late_share),
                value=f"{percent}（{done}/{total}）",
                title=f"{label}：完成 {done}/{total}（{percent}），逾期 {late}",
            )
        )
    return BarChart(
        title,
        _n(16 + len(items) * row),
        _n(label_width),
        _n(bar_x),
        _n(bar_w),
        _n(bar_h),
        _n(bar_x + bar_w + 6),
        bars,
    )


class Tick(NamedTuple):
    at: str
    label: str
    text_at: str  # where its label stands, across the axis


class LineChart(NamedTuple):
    height: str
    left: str
    right: str
    top: str
    bottom: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    tick_end: str
    y_label_x: str
    done: str  # polyline points
    due: str
    total_y: str
    total: int
    total_label_y: str
    as_of_x: str | None
    as_of_label_x: str
    as_of_label_y: str
    as_of_label: str
    last_done: int


def burnup_chart(data: Burnup, as_of_label: str) -> LineChart:
    height, left, right, top, bottom = 300, 56, WIDTH - 24, 24, 300 - 40
    start, end = data.days[0], data.days[-1]
    span = max((end - start).days, 1)
    top_value, step = _nice_ceiling(max(data.total, 1))

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - start).days / span

    def y(value: int) -> float:
        return bottom - (bottom - top) * value / top_value

    def points(values: list[int]) -> str:
        return " ".join(f"{_n(x(d))},{_n(y(v))}" for d, v in zip(data.days, values, strict=False))

    months = []
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    every = next((n for n in (1, 2, 3, 6) if count <= 12 * n), 12)  # at most about twelve labels
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start and (month.month - 1) % every == 0:
            label = f"{month.month}月" if month.month != 1 else f"{month.year}年1月"
            months.append(Tick(_n(x(month)), label, _n(bottom + 18)))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    y_ticks = [Tick(_n(y(v)), str(v), _n(y(v) + 4)) for v in range(0, top_value + 1, step)]
    return LineChart(
        _n(height),
        _n(left),
        _n(right),
        _n(top),
        _n(bottom),
        months,
        y_ticks,
        _n(bottom + 4),
        _n(left - 6),
        points(data.done),
        points(data.due),
        _n(y(data.total)),
        data.total,
        _n(y(data.total) + 15),
        _n(x(data.as_of)) if start <= data.as_of <= end else None,
        _n(x(data.as_of) - 4),
        _n((top + bottom) / 2),
        as_of_label,
        data.done[-1] if data.done else 0,
    )


def _nice_ceiling(value: int) -> tuple[int, int]:
    """The top of the axis and its step: a round step (1, 2 or 5 × 10^k) taken at most six times."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if -(-value // step) <= 6:
                return -(-value // step) * step, step
        magnitude *= 10

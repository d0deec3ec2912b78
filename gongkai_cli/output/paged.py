"""Column widths of a table printed on paper (Word, Excel), in display columns: a Chinese
character counts two, a Latin letter or digit one.

Short columns (numbers, dates, deadlines) are as wide as their widest line; the long text
columns share what is left so that the rows come out as short as they can, which is what
keeps a 说明 column from wrapping to seven lines beside a 具体要求 of two. Tables of one
document that share their columns get one set of widths, so sections line up."""

from __future__ import annotations

from gongkai_cli.output.cjk import unbreakable, width

SHORT_CAP = 14  # a heading such as 工作任务 may wrap, in a column this wide
NO_WRAP_CAP = 24
MIN_LONG = 16  # 尚无进展记录。 on one line
STEP = 2  # one Chinese character at a time
FILL = 0.94  # of a line that text fills: it breaks early before punctuation


def lines(text: str, columns: float) -> int:
    """Lines a cell of `columns` display columns needs for `text` (each of its lines
    wrapped; a line breaks early before punctuation, so a line holds a little less)."""
    return _count([width(line) for line in text.split("\n")], columns)


def _count(line_widths: list[int], columns: float) -> int:
    room = max(int(columns * FILL), 2)
    return sum(max(1, -(-size // room)) for size in line_widths)


def widths(
    columns, rows: list[list[str]], total: float, padding: float, keep: tuple[str, ...] = ()
) -> list[float]:
    """Widths in display columns, padding included, adding up to `total` where the table
    has long text to stretch (else as narrow as the content allows, scaled down to fit).
    A column of unit names (`keep`) is as wide as its longest name: a name is not broken."""
    fixed: list[float | None] = []
    names = set(keep)
    for i, column in enumerate(columns):
        if column.long:
            fixed.append(None)
            continue
        cells = [r[i] for r in rows]
        widest = max(width(line) for text in [column.header, *cells]
                     for line in text.split("\n"))  # fmt: skip
        cap = NO_WRAP_CAP if column.no_wrap else SHORT_CAP
        named = [width(c) for c in cells if c in names]
        if named:
            cap = max(cap, *named)
        needed = min(widest, cap)
        if column.no_wrap:  # digits print wider than half a character in many CJK fonts
            needed = -(-needed * 9 // 8)
        fixed.append(-(-needed * 100 // (FILL * 100)) + padding)
    long = [i for i, w in enumerate(fixed) if w is None]
    rest = total - sum(w for w in fixed if w is not None)
    if not long or rest < len(long) * (MIN_LONG + padding):
        natural = [w or MIN_LONG + padding for w in fixed]
        scale = min(1.0, total / sum(natural)) if long else 1.0
        return [w * scale for w in natural]
    chosen = {i: float(max(MIN_LONG, width(columns[i].header)) + padding) for i in long}
    left = rest - sum(chosen.values())

    # Each cell's lines measured once: the search below tries many widths.
    measured = [{i: [width(line) for line in r[i].split("\n")] for i in long} for r in rows]

    def height(trial: dict[int, float]) -> int:
        return sum(max(_count(m[i], trial[i] - padding) for i in long) for m in measured)

    while left >= STEP:
        current = height(chosen)
        best, gain = None, 0
        for i in long:
            trial = {**chosen, i: chosen[i] + STEP}
            saved = current - height(trial)
            if saved > gain:
                best, gain = i, saved
        if best is None:  # no single step shortens a row: widen the one holding most text
            best = max(long, key=lambda i: sum(width(r[i]) for r in rows) / chosen[i])
        chosen[best] += STEP
        left -= STEP
    for i in long:  # what is left over (less than a step) goes to the last long column
        fixed[i] = chosen[i]
    fixed[long[-1]] += left
    return [w for w in fixed if w is not None]


def joined(text: str, columns: float, keep: tuple[str, ...]) -> str:
    """`text` for a cell `columns` wide: with no-break joins (cjk.unbreakable) where it will
    wrap, as it is where it fits on one line, so that a cell holding one unit's name stays
    the plain name that a filter or a lookup in Excel matches."""
    if lines(text, columns) == len(text.split("\n")):
        return text
    return unbreakable(text, keep)

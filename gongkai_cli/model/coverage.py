"""Coverage: which tasks of a lower plan break down each task of the higher plan.

Counties restate the city's tasks in their own words: 全市 becomes 全县, 主动公开 becomes 及时
公开, a long task is split in two, a clause is dropped, two sentences are merged, and the
numbering is their own. So a task is matched by how much of its text the other shares, not
by number or by exact text. The measure is rapidfuzz's (a maintained C++ library, exact and
fast for the all-pairs matrix a plan needs; see `similarity` for why these scorers), on text
normalised so that the level of government and punctuation do not count.

Each lower task is linked to the higher task it resembles most, if the resemblance reaches
THRESHOLD, and to any other higher task whose whole text it contains (two tasks merged into
one); a higher task no lower task is linked to is 未分解. A manual mapping, where one
is given for a higher task, replaces the automatic links of that task.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Below this a lower task is not taken as a breakdown of any higher task (0–100). Chosen on
# the reworded test set (tests/coverage_set.py): see the README for its precision and recall.
THRESHOLD = 50.0
SECTION_WEIGHT = 0.1  # how much the sections' likeness adds to the requirements'

_LEVEL = re.compile(r"[省市县区镇乡]")  # 全市/全县/全区, 县政府/区政府: the level is no difference
_NOT_TEXT = re.compile(r"[\W_]+")  # punctuation, spaces and marks
_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]?")  # 一、 （二） 3.


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _NOT_TEXT.sub("", _LEVEL.sub("级", text))


def section_text(section: str, subsection: str | None) -> str:
    return normalise(
        "".join(_ORDINAL.sub("", part.strip()) for part in (section, subsection or ""))
    )


@dataclass(frozen=True, slots=True)
class Text:
    """What of a task is compared: its number, requirement and section heading."""

    number: int
    requirement: str
    section: str = ""
    subsection: str | None = None


def similarity(higher: Sequence[Text], lower: Sequence[Text]) -> list[list[float]]:
    """Scores 0–100 of every higher task (rows) against every lower task (columns)."""
    return _scores(higher, lower)[0]


def _scores(
    higher: Sequence[Text], lower: Sequence[Text]
) -> tuple[list[list[float]], list[list[bool]]]:
    """The similarity of every pair, and whether the higher task's whole text is found
    within the lower one's (a lower task that merges two higher tasks).

    A lower task is often a part of a higher one (a task split in two) or a shortened
    restatement, so a requirement's score is the better of the whole-text likeness
    (fuzz.ratio, an edit distance) and the best likeness of the shorter text to a part of
    the longer one (fuzz.partial_ratio), the latter weighed down a little, since a short
    text finds some part alike almost anywhere. The section heading adds a little: two
    tasks under the same heading are more likely to be the same task."""
    from rapidfuzz import fuzz

    h_req = [normalise(t.requirement) for t in higher]
    l_req = [normalise(t.requirement) for t in lower]
    h_sec = [section_text(t.section, t.subsection) for t in higher]
    l_sec = [section_text(t.section, t.subsection) for t in lower]
    # A plain loop over the pairs (rapidfuzz's cdist would want NumPy): a plan is tens of
    # tasks, and each pair is scored in C.
    scores, within = [], []
    for hr, hs in zip(h_req, h_sec, strict=True):
        row, inside = [], []
        for lr, ls in zip(l_req, l_sec, strict=True):
            part = fuzz.partial_ratio(hr, lr)
            text = max(fuzz.ratio(hr, lr), 0.9 * _trust(hr, lr) * part)
            section = fuzz.ratio(hs, ls)
            row.append(round((1 - SECTION_WEIGHT) * text + SECTION_WEIGHT * section, 1))
            inside.append(part >= CONTAINED and SHORT <= len(hr) < len(lr))
        scores.append(row)
        within.append(inside)
    return scores, within


CONTAINED = 85  # a part-match this close: the higher task's text stands within the lower's
SHORT = 12  # characters: a text shorter than this finds its like in part of almost any task


def _trust(a: str, b: str) -> float:
    """How far a part-match can be trusted: a short text (开展培训) is alike to some part of
    most long tasks, so its part-match counts for less."""
    return min(1.0, min(len(a), len(b)) / SHORT)


@dataclass(frozen=True, slots=True)
class Link:
    lower: int  # the lower task's number
    score: float  # 0–100; for a manual link, the score the texts have all the same
    manual: bool = False


def cover(
    higher: Sequence[Text],
    lower: Sequence[Text],
    manual: Mapping[int, Sequence[int]] | None = None,
    threshold: float = THRESHOLD,
) -> dict[int, list[Link]]:
    """Higher task number → the lower tasks that break it down (best first); an empty list
    is a task not broken down (未分解)."""
    scores, within = _scores(higher, lower)
    links: dict[int, list[Link]] = {t.number: [] for t in higher}
    for j, task in enumerate(lower):
        if not higher:
            break
        best = max(range(len(higher)), key=lambda i: scores[i][j])
        if scores[best][j] < threshold:
            continue
        # The task it resembles most, and any other whose whole text it takes in.
        for i, h in enumerate(higher):
            if i == best or within[i][j]:
                links[h.number].append(Link(task.number, scores[i][j]))
    column = {t.number: j for j, t in enumerate(lower)}
    row = {t.number: i for i, t in enumerate(higher)}
    for number, lowers in (manual or {}).items():
        links[number] = [Link(n, scores[row[number]][column[n]], manual=True) for n in lowers]
    for number in links:
        links[number].sort(key=lambda link: (-link.score, link.lower))
    return links

"""A plan's title and year, from the lines around it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

YEAR = re.compile(r"((?:19|20|21)\d\d)\s*年")

# Lines of a page around a plan that are never its title.
_PAGE_CHROME = re.compile(
    r"来源|浏览|点击|访问量|阅读|字体|字号|发布时间|发布日期|发文日期|成文日期|索引号|"
    r"发布机构|分享|打印|关闭|当前位置|首页|文号|主题分类|信息来源|作者|编辑"
)
_NAMES_PLAN = re.compile(r"计划|方案|要点|分工|清单|任务|分解|安排|台账|一览表|意见|措施|行动")
_DOC_NUMBER = re.compile(r"\s*[（(][^（）()]*〔\d{4}〕\d+号[）)]$")  # (池政〔2017〕101号)
_SENTENCE = re.compile(r"[。；]")


def choose_title(candidates: list[str]) -> str | None:
    """The plan's title: the nearest line that names a plan (年/计划/方案/要点/分工/清单) and a
    year, else one that names a plan, else one with a year; never a page's 来源/浏览次数/字体
    line, nor a sentence of the text; failing all these, the nearest line."""
    candidates = [
        c
        for c in candidates
        if c and len(c) <= 120 and not _PAGE_CHROME.search(c) and not _SENTENCE.search(c)
    ]
    for wanted in (
        lambda c: _NAMES_PLAN.search(c) and YEAR.search(c),
        lambda c: _NAMES_PLAN.search(c),
        lambda c: YEAR.search(c),
        lambda c: True,  # the nearest line at all: --year or --title can still correct it
    ):
        if found := next((c for c in candidates if wanted(c)), None):
            return _unwrapped(found)
    return None


def _unwrapped(title: str) -> str:
    """关于印发《2021年某县政务公开工作要点》的通知 → the plan's own title; a document
    number after it is not part of it."""
    inner = re.search(r"关于印发[《〈](.+)[》〉]的通知", title)
    return _DOC_NUMBER.sub("", inner.group(1) if inner else title)


def plan_year(
    title: str, tasks: list[dict[str, Any]], warnings: list[str], texts: Sequence[str] = ()
) -> int | None:
    """The plan's year: from its title, else from the years its deadlines name (2022年底前),
    else from the document around it (池政〔2017〕101号, its date), saying where it came from."""
    if found := YEAR.search(title):
        return int(found.group(1))
    years = Counter(int(m.group(1)) for t in tasks for m in YEAR.finditer(t.get("deadline", "")))
    where = "时限中写明的年份"
    if not years:
        years = Counter(int(m.group(1) or m.group(2)) for t in texts for m in _DATED.finditer(t))
        where = "文中的文号或日期"
    if not years:
        return None
    year = years.most_common(1)[0][0]
    warnings.append(f"标题中没有年份，按{where}定为 {year} 年；如不对，请用 --year 指定。")
    return year


_DATED = re.compile(r"〔((?:19|20|21)\d\d)〕|((?:19|20|21)\d\d)年\d{1,2}月\d{1,2}日")

"""data/members.yaml: the member ledgers (a county's towns, a city's counties) this ledger rolls up.

    members:
    - {name: 濉溪县, url: "git://10.0.0.5/suixi", branch: main}
    - name: 相山区
      url: /srv/ledgers/xiangshan

Like tasks.yaml it is edited by people and read strictly: an unknown key, a repeated name or
a value of the wrong kind is a located problem. `members add` only appends a line.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from gongkai_cli.errors import Problem
from gongkai_cli.ledger.sidefile import FileInvalid

MEMBERS = "members.yaml"
HEADER = "# 成员台账：名称、git 地址（路径、file://、git://、http(s)://、ssh 均可）、分支（可省略）。\nmembers:\n"
KEYS = ("name", "url", "branch", "site")

# A member's name names its folder in the cache and its row in reports: a short name of
# letters, digits and a few marks, never a path. A branch is a plain git branch name.
_NAME = re.compile(r"[\w\u00b7\uff08\uff09()-]{1,40}")
_BRANCH = re.compile(r"(?!-)(?!.*\.\.)(?!.*//)(?!.*@\{)[\w./-]{1,100}(?<![./])")


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    url: str
    branch: str | None = None  # None: the member's default branch (its HEAD)
    site: str | None = None  # where the member publishes its own site: the roll-up links it


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a member, or None."""
    if not _NAME.fullmatch(name) or name.startswith((".", "-")):
        return f"成员名称“{name}”无效：只能用汉字、字母、数字和 -（最多 40 个字），如 濉溪县。"
    return None


def url_problem(url: str) -> str | None:
    if not url.strip():
        return "成员的地址是空的。"
    if url.startswith("-"):
        return f"成员地址“{url}”不能以 - 开头。"
    if url.lower().startswith("ext::") or "::" in url.split("/", 1)[0]:
        return f"成员地址“{url}”使用了会执行命令的传输方式，不允许。"
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
        return f"成员地址“{url!r}”含有控制字符。"
    return None


def site_problem(site: str) -> str | None:
    # Only a web address: a site's page must never link to javascript: or a local file.
    if not re.fullmatch(r"https?://[^\s\x00-\x1f\x7f<>\"'`]+", site):
        return f"网站地址“{site}”应以 http:// 或 https:// 开头，且不含空格。"
    return None


def branch_problem(branch: str) -> str | None:
    if not _BRANCH.fullmatch(branch) or branch.endswith(".lock"):
        return f"分支名“{branch}”无效。"
    return None


def read_members(data_dir: Path, shown) -> list[Member]:
    """The members listed in `data_dir`/members.yaml (none if there is no such file);
    DataError with every problem, located, if it is not valid."""
    from gongkai_cli.ledger.sidefile import read_yaml

    filename = shown(MEMBERS)
    data = read_yaml(data_dir / MEMBERS, filename)
    members, problems = _members_of(data, filename)
    if problems:
        raise FileInvalid(problems, filename)
    return members


def members_problems(data_dir) -> list[Problem]:
    """Every problem of a data directory's members.yaml, for `validate` (none if it has none)."""
    from gongkai_cli.errors import GongkaiError

    try:
        read_members(data_dir.path, data_dir.display)
    except FileInvalid as exc:
        return exc.problems
    except GongkaiError as exc:  # a link out, a special file: the message names it
        return [Problem(data_dir.display(MEMBERS), 1, 1, str(exc), "io")]
    return []


def _members_of(data, filename: str) -> tuple[list[Member], list[Problem]]:
    problems: list[Problem] = []

    def problem(pos, message: str, code: str = "members") -> None:
        problems.append(Problem(filename, pos[0], pos[1], message, code))

    if data is None:
        return [], []
    if not isinstance(data, dict):
        problem(getattr(data, "pos", (1, 1)), "顶层应为映射，形如 members: [...]。", "schema-top")
        return [], problems
    for key in data:
        if key != "members":
            problem(data.key_pos[key], f"未知的键“{key}”（只有 members）。", "unknown-key")
    items = data.get("members")
    if items is None:
        return [], problems
    if not isinstance(items, list):
        problem(data.value_pos["members"], "members 应为列表，每个成员一项。")
        return [], problems
    members: list[Member] = []
    seen: set[str] = set()
    for item, pos in zip(items, items.item_pos, strict=True):
        if not isinstance(item, dict):
            problem(pos, "每个成员应为映射：name、url，可加 branch。")
            continue
        found = len(problems)
        for key in item:
            if key not in KEYS:
                problem(item.key_pos[key], f"未知的键“{key}”（可用 name、url、branch、site）。")
        for key in ("name", "url"):
            if key not in item:
                problem(pos, f"成员缺少 {key}。")
        fields = {}
        for key in KEYS:
            if key not in item:
                continue
            value = item[key]
            where = item.value_pos[key]
            if not isinstance(value, str):
                problem(where, f"{key} 应为文字，实际是 {value!r}。")
                continue
            check = {
                "name": name_problem,
                "url": url_problem,
                "branch": branch_problem,
                "site": site_problem,
            }[key]
            if (why := check(value)) is not None:
                problem(where, why)
            fields[key] = value
        name = fields.get("name")
        if name in seen:
            problem(item.value_pos["name"], f"成员“{name}”重复。", "duplicate")
        seen.add(name)
        if len(problems) == found:
            members.append(Member(name, fields["url"], fields.get("branch"), fields.get("site")))
    return members, problems


def member_line(member: Member) -> str:
    """One member as one line of YAML (JSON strings are YAML): appending keeps the rest
    of the file, comments and all, exactly as its author wrote it."""
    fields = {"name": member.name, "url": member.url}
    if member.branch:
        fields["branch"] = member.branch
    if member.site:
        fields["site"] = member.site
    inner = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items())
    return f"- {{{inner}}}\n"


def appended(text: str | None, member: Member) -> str:
    """members.yaml's text with `member` added at the end."""
    if text is None or not text.strip():
        return HEADER + member_line(member)
    return text + ("" if text.endswith("\n") else "\n") + member_line(member)

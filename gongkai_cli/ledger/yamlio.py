"""Read YAML safely, keeping where every key and value stands, and collecting problems.

PyYAML's C parser (when present) does the parsing; only the mapping and sequence
constructors are ours, so that duplicate keys are found instead of silently
overwritten and every value keeps its line and column for error messages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from gongkai_cli.errors import Problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Position = tuple[int, int]  # 1-based line, column


class LocatedDict(dict):
    """A mapping that knows where it, each of its keys and each of its values stand."""

    __slots__ = ("key_pos", "pos", "value_pos")

    def __init__(self, pos: Position):
        super().__init__()
        self.pos = pos
        self.key_pos: dict[Any, Position] = {}
        self.value_pos: dict[Any, Position] = {}


class LocatedList(list):
    """A sequence that knows where it and each of its items stand."""

    __slots__ = ("item_pos", "pos")

    def __init__(self, pos: Position):
        super().__init__()
        self.pos = pos
        self.item_pos: list[Position] = []


def _pos(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    def __init__(self, stream: str, filename: str):
        super().__init__(stream)
        self.filename = filename
        self.problems: list[Problem] = []


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode):
    data = LocatedDict(_pos(node))
    yield data
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line, column = _pos(key_node)
        if isinstance(key, (list, dict)):
            loader.problems.append(
                Problem(loader.filename, line, column, "键必须是简单的文字或数字。", "yaml-key")
            )
            continue
        if key in data:
            first = data.key_pos[key][0]
            loader.problems.append(
                Problem(
                    loader.filename,
                    line,
                    column,
                    f"键 {key!s} 重复出现（第 {first} 行已有），重复的键会使前一个值被悄悄覆盖。",
                    "duplicate-key",
                )
            )
            continue
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_pos[key] = (line, column)
        data.value_pos[key] = _pos(value_node)


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode):
    data = LocatedList(_pos(node))
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.item_pos.append(_pos(item))


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):  # 2021-02-30: the pattern of a date, not a date
        raise yaml.constructor.ConstructorError(
            None, None, f"“{node.value}”不是有效的日期", node.start_mark
        ) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_StrictLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


class _PlainDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data) -> bool:
        return True  # the same list twice is written twice: the reader refuses aliases


def dump(data: Any) -> str:
    """`data` as YAML that gongkai reads back: no anchors or aliases, keys in their order,
    each value on one line."""
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100_000)


def decode(raw: bytes, filename: str) -> tuple[str | None, list[Problem]]:
    """Decode a data file as UTF-8 (a BOM is accepted); name GBK plainly, the usual culprit."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            raw.decode("gbk")
            hint = "文件看来是 GBK 编码，请用 UTF-8 编码另存"
        except UnicodeDecodeError:
            hint = "请用 UTF-8 编码另存"
        return None, [Problem(filename, line, column, f"文件不是 UTF-8 编码：{hint}。", "encoding")]


def read_text(path: Path) -> str:
    """A user's text file as a string (UTF-8, BOM accepted), or one clear error naming it."""
    from gongkai_cli.errors import GongkaiError
    from gongkai_cli.ledger.files import read_bytes

    try:
        raw = read_bytes(path)  # a regular file of bounded size: never a FIFO or a device
    except OSError as exc:
        raise GongkaiError(f"无法读取 {path}：{exc.strerror}。") from None
    text, problems = decode(raw, str(path))
    if text is None:
        problem = problems[0]
        raise GongkaiError(f"{problem.file}:{problem.line}:{problem.column}：{problem.message}")
    return text


def parse(text: str, filename: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document; return its data (None if unreadable) and the problems met."""
    loader = _StrictLoader(text, filename)
    try:
        node = loader.get_single_node()
        alias = _aliased(node)
        if alias is not None:
            line, column = _pos(alias)
            message = (
                "数据文件中不能使用 YAML 锚点和别名（&名称、*名称）：此处定义的内容被别处引用；"
                "请把内容直接写出来。"
            )
            return None, [Problem(filename, line, column, message, "yaml-alias")]
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "无法解析"
        tag = re.search(r"tag '([^']+)'", reason)
        if isinstance(exc, yaml.constructor.ConstructorError) and reason.endswith("不是有效的日期"):
            message, code = f"{reason}。", "date"
        elif isinstance(exc, yaml.constructor.ConstructorError):
            shown = tag.group(1).replace("tag:yaml.org,2002:", "!!") if tag else reason
            message = f"不支持的 YAML 标签 {shown}：数据文件只能含普通的文字、数字、日期、列表和映射，不会执行任何代码。"
            code = "yaml-tag"
        else:
            message = f"YAML 语法错误：{_syntax_reason(reason)}。"
            code = "yaml-syntax"
        return None, [Problem(filename, line, column, message, code)]
    except yaml.reader.ReaderError as exc:  # a control character the format does not allow
        at = exc.position
        if not (at < len(text) and ord(text[at]) == exc.character):  # libyaml counts bytes
            at = len(text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore"))
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        message = f"文件含有不允许的控制字符（U+{exc.character:04X}），请删除。"
        return None, [Problem(filename, line, column, message, "control-character")]
    except yaml.YAMLError as exc:
        return None, [Problem(filename, 1, 1, f"YAML 无法读取：{exc}。", "yaml-syntax")]
    finally:
        loader.dispose()
    return data, loader.problems


def _aliased(root: yaml.Node | None) -> yaml.Node | None:
    """The first node that an alias refers to, or None. An alias makes the composer hand out
    the anchored node again, so it is a node met twice; a data file never needs one, and nine
    short lines of nested aliases expand to billions of values (a "billion laughs")."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (value, key)
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
    return None


# PyYAML's words for the mistakes people make most, in the words of the people who make them.
_SYNTAX_REASONS = (
    ("found unexpected end of stream", "文件意外结束，可能有引号或括号没有闭合"),
    ("did not find expected key", "缩进不一致，或此处缺少“键: 值”"),
    ("found a tab character", "缩进中有制表符（Tab），请改用空格"),
    ("did not find expected ',' or ']'", "列表没有正确闭合，缺少“,”或“]”"),
    ("did not find expected ',' or '}'", "映射没有正确闭合，缺少“,”或“}”"),
    ("mapping values are not allowed here", "此处不能出现“: ”；文字中含有冒号时请给整段文字加引号"),
    (
        "found character that cannot start any token",
        "此处的字符不能作为值的开头；请给这段文字加引号",
    ),
    ("could not find expected ':'", "缺少“:”"),
    ("found undefined alias", "引用了没有定义的锚点（*名称）"),
    ("expected <block end>", "缩进不一致"),
)


def _syntax_reason(reason: str) -> str:
    for english, chinese in _SYNTAX_REASONS:
        if reason.startswith(english):
            return chinese
    return reason


def shift(data: Any, lines: int) -> None:
    """Move every position in located data down by `lines` (data parsed from a fragment)."""
    if not isinstance(data, (LocatedDict, LocatedList)):
        return
    data.pos = (data.pos[0] + lines, data.pos[1])
    if isinstance(data, LocatedDict):
        for table in (data.key_pos, data.value_pos):
            for key, (line, column) in table.items():
                table[key] = (line + lines, column)
        values = data.values()
    else:
        data.item_pos = [(line + lines, column) for line, column in data.item_pos]
        values = data
    for value in values:
        shift(value, lines)


def position_of(data: Any, loc: tuple[Any, ...], *, key: bool = False) -> Position:
    """The position of the value at `loc` inside located data, or of its nearest ancestor."""
    pos: Position = getattr(data, "pos", (1, 1))
    node = data
    for i, step in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, LocatedDict) and step in node:
            pos = node.key_pos[step] if (last and key) else node.value_pos[step]
            node = node[step]
        elif isinstance(node, LocatedList) and isinstance(step, int) and step < len(node):
            pos = node.item_pos[step]
            node = node[step]
        else:
            break
    return pos

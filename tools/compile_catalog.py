"""Compile the message catalog (.po) into the binary .mo that gettext reads; stdlib only."""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

CATALOG = Path(__file__).resolve().parent.parent / "gongkai_cli/cli/locale/zh_CN/LC_MESSAGES"


def parse_po(text: str) -> dict[str, str]:
    """msgid → msgstr of a .po file with single or continued quoted strings (no plurals)."""
    messages: dict[str, str] = {}
    key = None
    parts: dict[str, list[str]] = {}
    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if line.startswith(("msgid ", "msgstr ")):
            key, _, rest = line.partition(" ")
            parts[key] = [ast.literal_eval(rest)]
        elif line.startswith('"') and key:
            parts[key].append(ast.literal_eval(line))
        elif not line or line.startswith("#"):
            if "msgstr" in parts:
                messages["".join(parts["msgid"])] = "".join(parts["msgstr"])
            parts, key = {}, None
    return messages


def mo_bytes(messages: dict[str, str]) -> bytes:
    """The GNU .mo layout: header, two index tables, then the NUL-terminated strings."""
    keys = sorted(messages)
    ids = [k.encode() for k in keys]
    strs = [messages[k].encode() for k in keys]
    start = 7 * 4 + 16 * len(keys)
    offsets, blob = [], b""
    for data in ids + strs:
        offsets.append((len(data), start + len(blob)))
        blob += data + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    table = b"".join(struct.pack("<2I", *o) for o in offsets)
    return header + table + blob


def main() -> None:
    po = CATALOG / "gongkai.po"
    mo = po.with_suffix(".mo")
    mo.write_bytes(mo_bytes(parse_po(po.read_text(encoding="utf-8"))))
    print(f"{mo}", file=sys.stderr)


if __name__ == "__main__":
    main()

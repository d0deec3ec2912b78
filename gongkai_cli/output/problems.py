"""Validation problems as text (FILE:LINE:COL: error: message), JSON or GitHub annotations."""

from __future__ import annotations

import json

from gongkai_cli.output.text import terminal, visible


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_problems(problems, fmt: str) -> str:
    if fmt == "json":
        payload = {
            "errors": [p.as_dict() for p in problems if p.is_error],
            "warnings": [p.as_dict() for p in problems if not p.is_error],
        }
        return terminal(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n"
    # A unit's name may hold escapes: each problem stays one visible line.
    if fmt == "github":
        return "".join(
            f"::{p.severity} file={_escape_property(visible(p.file))},line={p.line},col={p.column},"
            f"title={_escape_property(p.code)}::{_escape_data(visible(p.message))}\n"
            for p in problems
        )
    return "".join(visible(p.as_text()) + "\n" for p in problems)

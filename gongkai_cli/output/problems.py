"""Validation problems as text (FILE:LINE:COL: error: message), JSON or GitHub annotations."""

from __future__ import annotations

import json
import sys


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_problems(problems, fmt: str) -> None:
    out = sys.stdout
    if fmt == "json":
        payload = {
            "errors": [p.as_dict() for p in problems if p.is_error],
            "warnings": [p.as_dict() for p in problems if p.severity != "error"],
        }
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "github":
        for p in problems:
            out.write(
                f"::{p.severity} file={_escape_property(p.file)},line={p.line},col={p.column},"
                f"title={_escape_property(p.code)}::{_escape_data(p.message)}\n"
            )
    else:
        for p in problems:
            out.write(p.as_text() + "\n")

"""The one registry of output formats: each format's name, file extension and renderer.

Query commands and report commands both look their format up here. A renderer module is
imported only when its format is used, so openpyxl and python-docx stay off start-up.
Each renderer module offers `render_document(doc, options)` (reports) and, where the format
also shows query results, `render_view(view, payload, wide=...)`; both return str or bytes.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gongkai_cli.output.environment import Environment


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    module: str
    suffix: str  # the file extension; "" for the terminal
    binary: bool = False  # bytes that only a file can hold, never the terminal

    @property
    def renderer(self) -> ModuleType:
        return importlib.import_module(self.module)


@dataclass(frozen=True, slots=True)
class Options:
    wide: bool = False  # full text in terminal tables
    encoding: str = "utf-8"  # of a CSV file
    env: Environment | None = None  # the terminal a table is laid out for


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("table", "gongkai_cli.output.table", ""),
        Format("md", "gongkai_cli.output.markdown", ".md"),
        Format("csv", "gongkai_cli.output.csv_text", ".csv"),
        Format("json", "gongkai_cli.output.json_text", ".json"),
        Format("xlsx", "gongkai_cli.output.xlsx", ".xlsx", binary=True),
        Format("docx", "gongkai_cli.output.word", ".docx", binary=True),
    )
}


def format_of_suffix(suffix: str) -> Format | None:
    return next((f for f in FORMATS.values() if f.suffix and f.suffix == suffix.lower()), None)

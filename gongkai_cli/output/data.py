"""JSON and CSV output."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

from gongkai_cli.output.text import spreadsheet_cell, terminal


def write_json(payload: Any) -> None:
    # JSON escapes C0 controls but not C1, bidi overrides or lone surrogates: those are
    # written as \uXXXX escapes too, which read back as the same strings.
    sys.stdout.write(terminal(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n")


def write_csv(view) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([c.header for c in view.columns])
    for row in view.rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])

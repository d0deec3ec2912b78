"""JSON and CSV output."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

from gongkai_cli.output.text import spreadsheet_cell


def write_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def write_csv(view) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([c.header for c in view.columns])
    for row in view.rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])

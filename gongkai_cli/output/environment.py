"""Where output goes: a terminal or not, how wide, whether in colour, and which day it is.

The command line reads these once from the process (cli.options.environment) and passes
them in; nothing in the core looks at sys.stdout, the terminal or the clock by itself. A
program or a test builds the Environment it wants: the default is a file, not a terminal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Environment:
    terminal: bool = False  # standard output is a terminal: tables by default, else Markdown
    width: int | None = None  # columns to lay a table out in; None: 80, or what Rich finds
    colour: bool = False  # colour may be used (a terminal, and NO_COLOR not set)

    @property
    def today(self) -> dt.date:
        """The day a command answers for when none is given: GONGKAI_TODAY where set, else
        the clock (model.dates.current_date, the one place that reads either)."""
        from gongkai_cli.model.dates import current_date

        return current_date()

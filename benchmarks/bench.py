"""Time gongkai commands as whole processes against the import floor, and write results.md.

    python benchmarks/bench.py [--runs 15]

The floor is `python -c "import typer, rich.console, pydantic, yaml"`: the least any
command of this stack can cost. Each command is run several times; the median is kept.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FLOOR = [sys.executable, "-c", "import typer, rich.console, pydantic, yaml"]
GONGKAI = [sys.executable, "-m", "gongkai_cli"]
COMMANDS = {
    "gongkai --help": ["--help"],
    "list --unit 县财政局": ["list", "--unit", "县财政局", "--data", str(DATA)],
    "overdue --as-of 2021-10-31": ["overdue", "--as-of", "2021-10-31", "--data", str(DATA)],
    "show 7": ["show", "7", "--as-of", "2021-10-31", "--data", str(DATA)],
    "validate": ["validate", "--data", str(DATA)],
}


def run_once(argv: list[str]) -> tuple[float, int]:
    """Wall time in seconds and peak resident memory in MB of one process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return elapsed, usage.ru_maxrss // 1024


def measure(argv: list[str], runs: int) -> tuple[float, int]:
    run_once(argv)  # warm the file cache and the bytecode
    samples = [run_once(argv) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results.md")
    args = parser.parse_args()

    floor, floor_mem = measure(FLOOR, args.runs)
    rows = [("floor: import typer, rich.console, pydantic, yaml", floor, 1.0, floor_mem)]
    for name, argv in COMMANDS.items():
        median, memory = measure(GONGKAI + argv, args.runs)
        rows.append((name, median, median / floor, memory))

    lines = [
        "# Benchmark results",
        "",
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
        f"median of {args.runs} runs per command, each a whole process; the 2021 plan, no progress.",
        "",
        "| command | median (ms) | × floor | peak memory (MB) |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {name} | {t * 1000:.0f} | {ratio:.2f} | {mem} |" for name, t, ratio, mem in rows]
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()

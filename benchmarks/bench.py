"""Time gongkai as whole processes on three ledgers, against the import floor; write results.md.

    python benchmarks/bench.py [--runs 9]

Ledgers: the bundled 2021 plan; the plan with a full year of progress; a ledger ten times
larger (benchmarks/generate.py makes both, seeded). The floor is
`python -c "import typer, rich.console, pydantic, yaml"`, timed in the same run.
Each command is run once cold (an empty cache) and then `--runs` times, each run right
after a run of the floor; the median ratio of those pairs is compared with the budgets.
Output goes to a file, as in a script or a pipe.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FLOOR = [sys.executable, "-c", "import typer, rich.console, pydantic, yaml"]
GONGKAI = [sys.executable, "-m", "gongkai_cli"]

COMMANDS = {
    "gongkai --help": ["--help"],
    "list --unit 县财政局": ["list", "--unit", "县财政局"],
    "show 7": ["show", "7", "--as-of", "2021-10-31"],
    "overdue": ["overdue", "--as-of", "2021-10-31"],
    "validate": ["validate"],
    "report progress --format md": [
        "report",
        "progress",
        "--as-of",
        "2021-10-31",
        "--format",
        "md",
    ],
}
# (ledger, command) → budget as a multiple of the floor; memory budget for the 10× ledger.
BUDGETS = {
    ("plan", "gongkai --help"): 1.3,
    **{("year", c): 1.5 for c in ("list --unit 县财政局", "overdue", "show 7")},
    **{("ten", c): 4.0 for c in ("list --unit 县财政局", "overdue", "show 7")},
    ("ten", "validate"): 8.0,
}
MEMORY_BUDGET_MB = 200


def run_once(argv: list[str], env: dict[str, str], out: Path) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of one process."""
    with out.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=sink, stderr=subprocess.DEVNULL, env=env, cwd=out.parent
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # validate may report warnings/errors
        raise SystemExit(f"failed: {' '.join(argv)}")
    return elapsed, usage.ru_maxrss / 1024


def measure(argv, env, out, runs, cache: Path) -> dict[str, float]:
    """One cold run (an empty cache, as after any change to the data), then `runs` pairs of
    (floor, command) run back to back: the ratio is the median of the pairs' ratios, so a
    machine that slows down for a while slows both sides of a pair alike."""
    shutil.rmtree(cache, ignore_errors=True)
    cold, cold_memory = run_once(argv, env, out)
    pairs = [(run_once(FLOOR, env, out)[0], run_once(argv, env, out)) for _ in range(runs)]
    return {
        "cold": cold,
        "cold_memory": cold_memory,
        "median": statistics.median(t for _, (t, _) in pairs),
        "ratio": statistics.median(t / floor for floor, (t, _) in pairs),
        "memory": max(m for _, (_, m) in pairs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    ledgers = {"plan": ROOT / "data", "year": work / "year" / "data", "ten": work / "ten" / "data"}
    for kind in ("year", "ten"):
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), kind, str(ledgers[kind])], check=True
        )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GONGKAI_CACHE_DIR": str(work / "cache")}
    env.pop("GONGKAI_DATA", None)
    sink = work / "out.txt"

    floor = measure(FLOOR, env, sink, args.runs, work / "cache")["median"]
    rows = []
    for ledger, data in ledgers.items():
        for name, argv in COMMANDS.items():
            if name == "gongkai --help" and ledger != "plan":
                continue
            result = measure(
                [*GONGKAI, *argv, *(["--data", str(data)] if argv != ["--help"] else [])],
                env,
                sink,
                args.runs,
                work / "cache",
            )
            rows.append((ledger, name, result))
            print(
                f"{ledger:5} {name:28} {result['median'] * 1000:7.0f} ms  "
                f"{result['ratio']:5.2f}× floor  {result['memory']:6.0f} MB",
                flush=True,
            )

    lines = [
        "# Benchmark results",
        "",
        f"`python benchmarks/bench.py --runs {args.runs}` — Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores. Whole processes, output to a file.",
        "",
        f"Floor (`import typer, rich.console, pydantic, yaml`): median **{floor * 1000:.0f} ms**. "
        "Each command's ratio is the median of the ratios of back-to-back (floor, command) pairs, "
        "so that the machine's drift between runs does not decide a budget.",
        "",
        "Ledgers: **plan** — the bundled 2021 plan, no progress; **year** — the plan with a full "
        "year of progress (4,314 updates); **ten** — 430 tasks, 700 units, 604,860 updates (70 MB).",
        "",
        "*cold* is the first run after any change to the data (the cache is keyed by the files' "
        "content); *median* is of the runs after it.",
        "",
        "| ledger | command | cold (ms) | median (ms) | × floor | budget | peak memory, cold / median (MB) |",
        "| --- | --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for ledger, name, r in rows:
        ratio = r["ratio"]
        budget = BUDGETS.get((ledger, name))
        verdict = (
            "" if budget is None else f"≤ {budget}× {'met' if ratio <= budget else '**not met**'}"
        )
        memory = f"{r['cold_memory']:.0f} / {r['memory']:.0f}"
        if ledger == "ten":
            cold_over, over = (r[k] > MEMORY_BUDGET_MB for k in ("cold_memory", "memory"))
            memory += " (**over**)" if over else " (**over** when cold)" if cold_over else " (met)"
        lines.append(
            f"| {ledger} | {name} | {r['cold'] * 1000:.0f} | {r['median'] * 1000:.0f} | "
            f"{ratio:.2f} | {verdict} | {memory} |"
        )
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()

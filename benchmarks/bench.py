"""Time the installed `gongkai` as whole processes against two floors; write results.md.

    python benchmarks/bench.py [--runs 9] [--gongkai PATH]

What is timed is the console script of a real installation: by default this repository is
installed (not editable, compiled to bytecode as pip does) into a venv of its own, made
under the work folder; `--gongkai PATH` times an installed `gongkai` script instead, with
the floors run by the interpreter of that script's venv.

Floors, timed with the same interpreter: the import floor
`python -c "import typer, rich.console, pydantic, yaml"`, and a bare two-command Typer app
(one bool option). Ledgers (benchmarks/generate.py, seeded): **year**, the 2021 plan with a
year of progress; **ten** and **hundred**, the same plan with a log 10 and 100 times as long.

Each command is run once cold (an empty cache, as after any change to the data; `--runs`
times, each after the import floor, where a cold budget is judged) and then `--runs` times
warm, each right after a run of the import floor and one of the bare app; a budget is judged
on the median of the (command / floor) ratios of those back-to-back runs, so a machine that
slows down for a while slows both sides alike. Output goes to a file, as in a script or a
pipe.

results.md is rewritten from the figures; a `## Notes` section written by hand at its end is
kept as it is.
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
BARE_APP = """import typer

app = typer.Typer()


@app.command()
def hello(loud: bool = False) -> None:
    print("HELLO" if loud else "hello")


@app.command()
def bye() -> None:
    print("bye")


app()
"""
AS_OF = ["--as-of", "2021-10-31"]
COMMANDS = {
    "gongkai --help": ["--help"],
    "list --unit 县财政局": ["list", "--unit", "县财政局"],
    "overdue": ["overdue", *AS_OF],
    "show 7": ["show", "7", *AS_OF],
    "validate": ["validate"],
    "report progress --format md": ["report", "progress", *AS_OF, "--format", "md"],
}
LEDGERS = {  # ledger → the commands timed on it
    "year": list(COMMANDS),
    "ten": ["list --unit 县财政局", "overdue", "show 7"],
    "hundred": ["list --unit 县财政局"],
}
# (ledger, command) → budget for the warm median, as a multiple of the import floor.
BUDGETS = {
    **{("year", c): 0.85 for c in ("gongkai --help", "list --unit 县财政局", "overdue", "show 7")},
    ("year", "report progress --format md"): 1.2,
    **{("ten", c): 0.95 for c in ("list --unit 县财政局", "overdue", "show 7")},
    ("hundred", "list --unit 县财政局"): 1.3,
}
COLD_BUDGET = {"ten": 3.0}  # cold `list` on the 10× ledger, × the import floor
COLD_CHECKED = {("ten", "list --unit 县财政局"), ("hundred", "list --unit 县财政局")}
HUNDRED_COLD_OVER = 10  # 100× cold − warm ≤ this × the 10× cold − warm
PER_UPDATE_GROWTH = 1.3  # 100× cold cost per update ≤ this × the 10× one
MEMORY_BUDGET_MB = 200


def run_once(argv: list[str], env: dict[str, str], out: Path) -> tuple[float, float, float]:
    """Wall time (s), peak resident memory (MB) and CPU time (s, user + system) of one process."""
    with out.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=sink, stderr=subprocess.DEVNULL, env=env, cwd=out.parent
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # validate may report warnings/errors
        raise SystemExit(f"failed: {' '.join(argv)}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def measure(argv, floors, env, out, runs, cache: Path, cold_runs: int = 1) -> dict[str, float]:
    """`cold_runs` cold runs (the cache emptied first, as after any change to the data), each
    right after the import floor; then `runs` triples (import floor, bare app, command)."""
    colds = []
    for _ in range(cold_runs):
        floor = run_once(floors[0], env, out)[0]
        shutil.rmtree(cache, ignore_errors=True)
        colds.append((floor, *run_once(argv, env, out)))
    triples, floor_cpu = [], []
    for _ in range(runs):
        floor = [run_once(f, env, out) for f in floors]
        floor_cpu.append(floor[0][2])
        triples.append((*(f[0] for f in floor), *run_once(argv, env, out)))
    return {
        "cold": statistics.median(t for _, t, _, _ in colds),
        "cold_ratio": statistics.median(t / f for f, t, _, _ in colds),
        "cold_memory": max(m for _, _, m, _ in colds),
        "cold_cpu": min(c for *_, c in colds),
        "median": statistics.median(t for _, _, t, _, _ in triples),
        "ratio": statistics.median(t / f for f, _, t, _, _ in triples),
        "bare_ratio": statistics.median(t / b for _, b, t, _, _ in triples),
        "memory": max(m for _, _, _, m, _ in triples),
        "cpu": min(c for *_, c in triples),
        "cpu_ratio": min(c for *_, c in triples) / min(floor_cpu),
    }


def install(work: Path) -> Path:
    """This repository installed into a venv of its own; its `gongkai` console script."""
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(ROOT)], check=True
    )
    return venv / "bin" / "gongkai"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--gongkai", type=Path, help="an installed gongkai script to time")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    script = args.gongkai.absolute() if args.gongkai else install(work)
    python = str(script.parent / "python")
    (work / "bare.py").write_text(BARE_APP, encoding="utf-8")
    floors = [
        [python, "-c", "import typer, rich.console, pydantic, yaml"],
        [python, str(work / "bare.py"), "hello", "--loud"],
    ]
    ledgers = {kind: work / kind / "data" for kind in LEDGERS}
    updates = {}
    for kind, data in ledgers.items():
        generate = [sys.executable, str(HERE / "generate.py"), kind, str(data)]
        subprocess.run(generate, check=True, env={**os.environ, "GONGKAI_NO_CACHE": "1"})
        updates[kind] = sum(1 for line in (data / "progress.yaml").open(encoding="utf-8") if line)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "PYTHON"))}
    env["GONGKAI_CACHE_DIR"] = str(work / "cache")
    sink = work / "out.txt"

    floor = measure(floors[0], floors, env, sink, args.runs, work / "cache")["median"]
    bare = measure(floors[1], floors, env, sink, args.runs, work / "cache")["median"]
    rows = {}
    for ledger, names in LEDGERS.items():
        for name in names:
            argv = [str(script), *COMMANDS[name]]
            if name != "gongkai --help":
                argv += ["--data", str(ledgers[ledger])]
            colds = args.runs if (ledger, name) in COLD_CHECKED else 1
            rows[ledger, name] = r = measure(
                argv, floors, env, sink, args.runs, work / "cache", colds
            )
            print(
                f"{ledger:7} {name:28} cold {r['cold'] * 1000:6.0f} ms  warm "
                f"{r['median'] * 1000:5.0f} ms  {r['ratio']:5.2f}× floor  "
                f"{r['bare_ratio']:5.2f}× bare  {r['cold_memory']:4.0f} MB",
                flush=True,
            )
    text = report(args, rows, floor, bare, updates)
    notes = kept_notes(args.out)
    args.out.write_text(text + notes, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    print(f"\nwritten: {args.out}")
    if notes:
        print("kept its hand-written notes: check them against the new figures")


NOTES = "\n## Notes"


def kept_notes(path: Path) -> str:
    """The hand-written notes at the end of an earlier results file (from `## Notes` on)."""
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    at = old.find(NOTES)
    return "" if at < 0 else old[at:]


def report(args, rows, floor: float, bare: float, updates: dict[str, int]) -> str:
    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    how = f"--gongkai {args.gongkai}" if args.gongkai else "its own venv, `pip install .`"
    lines = [
        "# Benchmark results",
        "",
        f"`python benchmarks/bench.py --runs {args.runs}`: the installed console script "
        f"({how}); Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores "
        f"(shared: load average {os.getloadavg()[0]:.1f} at the end). Whole processes, "
        "output to a file.",
        "",
        "Floors, medians: the import floor (`import typer, rich.console, pydantic, yaml`) "
        f"**{floor * 1000:.0f} ms**; a bare two-command Typer app **{bare * 1000:.0f} ms**. "
        "Each ratio is the median of the ratios of back-to-back (floor, bare app, command) "
        "runs, so that the machine's drift does not decide a budget. *CPU × import floor* "
        "divides the least CPU time (user + system) of the command's warm runs by the floor's: "
        "what the ratio would be on a quiet machine.",
        "",
        f"Ledgers: the 2021 plan (43 tasks) with a log of **year** {updates['year']:,} updates, "
        f"**ten** {updates['ten']:,}, **hundred** {updates['hundred']:,}. *cold* is the first "
        "run after any change to the data (the median of the runs where a cold budget is "
        "judged); *warm* is the median of the runs after it.",
        "",
        "| ledger | command | cold (ms) | warm (ms) | × import floor | × bare Typer | budget (× import floor) | CPU × import floor | peak memory cold / warm (MB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for (ledger, name), r in rows.items():
        budget = BUDGETS.get((ledger, name))
        judged = "" if budget is None else f"≤ {budget} {verdict(r['ratio'] <= budget)}"
        lines.append(
            f"| {ledger} | {name} | {r['cold'] * 1000:.0f} | {r['median'] * 1000:.0f} | "
            f"{r['ratio']:.2f} | {r['bare_ratio']:.2f} | {judged} | {r['cpu_ratio']:.2f} | "
            f"{r['cold_memory']:.0f} / {r['memory']:.0f} |"
        )
    ten, hundred = rows["ten", "list --unit 县财政局"], rows["hundred", "list --unit 县财政局"]
    # Growth is judged on CPU time (the least of the runs): a run of seconds on a shared
    # machine waits for the CPU far more than one of a tenth of a second, so wall times of
    # runs so unequal in length compare the machine's load, not the program.
    ten_cost, hundred_cost = (r["cold_cpu"] - r["cpu"] for r in (ten, hundred))
    per_ten = ten_cost / updates["ten"] * 1e6
    per_hundred = hundred_cost / updates["hundred"] * 1e6
    cold_ratio = ten["cold_ratio"]
    lines += [
        "",
        "Cold loads (`list --unit 县财政局`); growth is judged on CPU time (user + system, the "
        "least of the runs), which the machine's load disturbs far less than wall time:",
        "",
        "| check | figure | budget |",
        "| --- | --- | --- |",
        f"| ten, cold | {ten['cold'] * 1000:.0f} ms, {cold_ratio:.2f}× the import floor "
        f"| ≤ {COLD_BUDGET['ten']} {verdict(cold_ratio <= COLD_BUDGET['ten'])} |",
        f"| hundred, cold − warm (CPU) | {hundred_cost * 1000:.0f} ms = "
        f"{hundred_cost / ten_cost:.1f}× ten's {ten_cost * 1000:.0f} ms "
        f"| ≤ {HUNDRED_COLD_OVER}× {verdict(hundred_cost <= HUNDRED_COLD_OVER * ten_cost)} |",
        f"| per update (CPU) | ten {per_ten:.2f} µs, hundred {per_hundred:.2f} µs "
        f"({per_hundred / per_ten:.2f}×) "
        f"| ≤ {PER_UPDATE_GROWTH}× {verdict(per_hundred <= PER_UPDATE_GROWTH * per_ten)} |",
        f"| hundred, cold peak memory | {hundred['cold_memory']:.0f} MB "
        f"| ≤ {MEMORY_BUDGET_MB} MB {verdict(hundred['cold_memory'] <= MEMORY_BUDGET_MB)} |",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

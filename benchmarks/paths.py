"""Time the paths whose work grows — the site, a round of forms, a write to a long log — for
one or more source trees side by side; write benchmarks/paths.md.

    python benchmarks/paths.py [--runs 5] [--tree before=/path/to/old/checkout] ... [--only site]

Each tree (default: this repository, named `after`) is run as `python -m gongkai_cli` with
that tree first on PYTHONPATH, by this interpreter, so two versions of the code are timed in
the same run on the same ledgers and the same machine. Every figure is CPU time (user +
system, of gongkai and the git it runs) divided by the CPU time of the import floor
(`python -c "import typer, rich.console, pydantic, yaml"`) run right before it; the median of
--runs such ratios is judged. On a shared machine CPU time is far steadier than wall time.

Paths (the ledger cache warm, as after the clerk's first query of the day):
- `site`, year and ten (and hundred, with --hundred-site): a first build into an empty
  folder, and a rebuild with nothing changed;
- `update`, year, ten and hundred: one update recorded and committed in a git repository;
- `forms --all-units`: the 51 forms of the bundled plan;
- `collect`: those 51 forms, a third of them filled in, entered (51 commits);
- the same round (`forms`, then `collect`) on the year, ten and hundred logs, dated after
  their last day (`--only rounds`; the hundred's once, since its 51 commits are slow).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.forms_round import fill_a_third, fresh_ledger  # noqa: E402

AS_OF = "2021-10-31"
IDENTITY = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}
FLOOR = [sys.executable, "-c", "import typer, rich.console, pydantic, yaml"]
BUDGETS = {  # path → budget, × the import floor's CPU time
    "site, year": 2.5,
    "site, ten": 5,
    "site rebuilt unchanged, year": 1.2,
    "site rebuilt unchanged, ten": 1.2,
    "update, hundred": 8,
    "forms --all-units (51)": 6,
    "collect (51)": 8,
}


PATHS = ("site", "update", "forms", "rounds")  # what --only picks from
ROUND_END = "2021-12-31"  # a round after the generated logs' last day: every filled row is news

WALLS: dict[str, list[float]] = {}  # path → wall times (s), for what a clerk waits


def cpu(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """CPU time (s) of a whole process and the processes it ran, and its wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def ratio(argv, env, cwd, prepare=None) -> tuple[float, float]:
    """The command's CPU time over the import floor's, run back to back; its CPU time."""
    if prepare:
        prepare()
    floor, _ = cpu(FLOOR, env, cwd)
    used, _ = cpu(argv, env, cwd)
    return used / floor, used


def time_tree(
    tree: Path, work: Path, ledgers: dict[str, Path], runs: int, sites: list[str], only: set[str]
):
    work.mkdir(parents=True, exist_ok=True)  # with --only forms nothing else makes it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "PYTHON"))}
    env |= IDENTITY | {"PYTHONPATH": str(tree), "GONGKAI_CACHE_DIR": str(work / "cache")}
    gongkai = [sys.executable, "-m", "gongkai_cli"]
    figures: dict[str, list[float]] = {}
    used: dict[str, list[float]] = {}

    def add(name: str, value: tuple[float, float]) -> None:
        figures.setdefault(name, []).append(value[0])
        used.setdefault(name, []).append(value[1])

    for kind in sites:
        site = [*gongkai, "site", "--as-of", AS_OF, "--data", str(ledgers[kind])]
        out = work / f"site-{kind}"
        subprocess.run(
            [*gongkai, "list", "--data", str(ledgers[kind])],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )  # the ledger cache warm; bytecode written

        def empty(out=out) -> None:
            shutil.rmtree(out, ignore_errors=True)

        for _ in range(runs):
            add(f"site, {kind}", ratio([*site, "--out", str(out)], env, work, empty))
            add(f"site rebuilt unchanged, {kind}", ratio([*site, "--out", str(out)], env, work))

    for kind in ("year", "ten", "hundred") if "update" in only else ():
        repo = fresh_ledger(work / kind, env, ledgers[kind])
        data = str(repo / "data")
        warm = [*gongkai, "list", "--data", data]
        subprocess.run(warm, env=env, check=True, stdout=subprocess.DEVNULL)
        for i in range(runs):
            update = [*gongkai, "update", "7", "-u", "县财政局", "-s", "进行中", "-n", f"第{i}次"]
            update += ["--date", AS_OF, "--data", data]
            add(f"update, {kind}", ratio(update, env, repo))

    for _ in range(runs if "forms" in only else 0):
        with tempfile.TemporaryDirectory(dir=work) as tmp:
            repo = fresh_ledger(Path(tmp), env)
            forms = [*gongkai, "forms", "--all-units", "--as-of", AS_OF, "--out", "round"]
            add("forms --all-units (51)", ratio(forms, env, repo))
            made = sorted((repo / "round").iterdir())
            fill_a_third(made)
            collect = [*gongkai, "collect", *map(str, made), "--date", "2021-11-05"]
            add("collect (51)", ratio(collect, env, repo))
    for kind in ("year", "ten", "hundred") if "rounds" in only else ():
        # The bundled plan's round on a long log: what the clerk waits for once the log has
        # grown. The hundred's round is timed once: each of its commits stores a 56 MB log.
        for _ in range(runs if kind != "hundred" else 1):
            with tempfile.TemporaryDirectory(dir=work) as tmp:
                repo = fresh_ledger(Path(tmp), env, ledgers[kind])
                # Warm as forms and collect read it: the cache is keyed on how the data
                # folder is written (messages cite it), so `--data …` would warm another.
                warm = [*gongkai, "list"]
                subprocess.run(warm, cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)
                forms = [*gongkai, "forms", "--all-units", "--as-of", ROUND_END, "--out", "round"]
                add(f"forms --all-units (51), {kind}", ratio(forms, env, repo))
                made = sorted((repo / "round").iterdir())
                fill_a_third(made)
                collect = [*gongkai, "collect", *map(str, made), "--date", ROUND_END]
                add(f"collect (51), {kind}", ratio(collect, env, repo))
    return {name: statistics.median(values) for name, values in figures.items()}, {
        name: statistics.median(values) for name, values in used.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tree", action="append", default=[], help="name=path of a checkout")
    parser.add_argument("--out", type=Path, default=HERE / "paths.md")
    parser.add_argument(
        "--hundred-site", action="store_true", help="also time the site of the 100× log (slow)"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=PATHS,
        help="time only these paths (forms: forms and collect); all by default",
    )
    args = parser.parse_args()
    trees = dict(t.split("=", 1) for t in args.tree) or {"after": str(ROOT)}
    only = set(args.only or PATHS)
    sites = ["year", "ten", *(["hundred"] if args.hundred_site else [])] if "site" in only else []
    kinds = {*sites, *(["year", "ten", "hundred"] if only & {"update", "rounds"} else [])}

    work = Path(tempfile.mkdtemp(prefix="gongkai-paths-"))
    ledgers = {}
    for kind in ("year", "ten", "hundred"):
        if kind not in kinds:
            continue
        ledgers[kind] = work / kind / "data"
        generate = [sys.executable, str(HERE / "generate.py"), kind, str(ledgers[kind])]
        subprocess.run(generate, check=True, env={**os.environ, "GONGKAI_NO_CACHE": "1"})
    results, seconds = {}, {}
    for name, tree in trees.items():
        results[name], seconds[name] = time_tree(
            Path(tree).resolve(), work / name, ledgers, args.runs, sites, only
        )
        print(name, {k: round(v, 2) for k, v in results[name].items()}, flush=True)
    shutil.rmtree(work, ignore_errors=True)

    names = list(trees)
    lines = [
        "# Benchmark: the paths that grow",
        "",
        f"`python benchmarks/paths.py --runs {args.runs}"
        + (" --hundred-site" if args.hundred_site else "")
        + "".join(f" --only {p}" for p in args.only or ())
        + "".join(f" --tree {n}=…" for n in names if args.tree)
        + f"` — Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end. Each ratio"
        " is the median of the ratios CPU time (of gongkai and the git it runs) ÷ CPU time of the"
        " import floor run just before it; *CPU s* is the median CPU time itself. All trees in the"
        " same run, on the same ledgers.",
        "",
        "| path | "
        + " | ".join(f"{n} (× floor) | {n} (CPU s)" for n in names)
        + " | budget (× floor) |",
        "| --- | " + " | ".join("---: | ---:" for _ in names) + " | --- |",
    ]
    last = results[names[-1]]
    for path in last:
        cells = " | ".join(f"{results[n][path]:.2f} | {seconds[n][path]:.2f}" for n in names)
        budget = BUDGETS.get(path)
        verdict = (
            ""
            if budget is None
            else f"≤ {budget} " + ("met" if last[path] <= budget else "**not met**")
        )
        lines.append(f"| {path} | {cells} | {verdict} |")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

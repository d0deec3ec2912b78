"""Time a whole reporting round on the bundled plan: `forms --all-units` writes 51 forms,
a third of them are filled in, and `collect` enters all 51; write benchmarks/forms.md.

    python benchmarks/forms_round.py [--runs 3]

Each command is timed as a whole process (the median of --runs runs, each on a fresh copy
of the ledger, so every collect makes its 51 commits), and once more for collecting the
same 51 forms again, which records nothing.
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
GONGKAI = [sys.executable, "-m", "gongkai_cli"]
ROUND = "2021-10-31"
IDENTITY = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the process and its git children) in seconds;
    on a busy machine the CPU time is the steadier of the two."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fresh_ledger(folder: Path, env: dict[str, str], data: Path = ROOT / "data") -> Path:
    """A git repository under `folder` holding a copy of `data` (the bundled plan)."""
    repo = folder / "ledger"
    shutil.copytree(data, repo / "data")
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "init"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    return repo


def fill_a_third(forms: list[Path]) -> None:
    """As the units would: every third unit changes the status of its first task."""
    import openpyxl

    for i, form in enumerate(forms[::3]):
        workbook = openpyxl.load_workbook(form)
        workbook["填报"]["G7"] = "进行中"
        workbook["填报"]["H7"] = f"第{i + 1}份的进展"
        workbook.save(form)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    env = {**os.environ, **IDENTITY, "PYTHONPATH": str(ROOT)}
    load = os.getloadavg()[0]
    times: dict[str, list[tuple[float, float]]] = {"forms": [], "collect": [], "again": []}
    count = 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            repo = fresh_ledger(Path(tmp), env)
            argv = [*GONGKAI, "forms", "--all-units", "--as-of", ROUND, "--out", "round"]
            times["forms"].append(timed(argv, repo, env))
            forms = sorted((repo / "round").iterdir())
            count = len(forms)
            fill_a_third(forms)
            collect = [*GONGKAI, "collect", *map(str, forms), "--date", "2021-11-05"]
            times["collect"].append(timed(collect, repo, env))
            times["again"].append(timed(collect, repo, env))
    wall = {name: statistics.median(w for w, _ in values) for name, values in times.items()}
    cpu = {name: statistics.median(c for _, c in values) for name, values in times.items()}
    steps = {
        "forms": "`forms --all-units`",
        "collect": f"`collect` (a third with news; {count} commits)",
        "again": "`collect` of the same forms again (records nothing)",
    }
    lines = [
        "# Benchmark: a reporting round by form",
        "",
        f"`python benchmarks/forms_round.py --runs {runs}` — Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores. Whole processes, median of {runs} runs, "
        f"each on a fresh git copy of the bundled plan; load average {load:.1f} at the start "
        "(other work on the machine stretches the wall time; CPU time, of gongkai and the git "
        "it runs, is the steadier measure).",
        "",
        "| step | forms | wall (s) | CPU (s) | CPU per form (ms) |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {label} | {count} | {wall[name]:.2f} | {cpu[name]:.2f} | "
            f"{cpu[name] / count * 1000:.0f} |"
            for name, label in steps.items()
        ),
        "",
    ]
    (HERE / "forms.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

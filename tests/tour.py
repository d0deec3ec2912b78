"""The README tour, run as a user runs it, every read command in every format.

`python -m tests.tour DIR` writes each command's output to DIR (one file per command), so
outputs can be compared across changes of code that must not change behaviour.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

QUERIES = [
    ["list", "--unit", "县财政局"],
    ["show", "40", "--as-of", "2021-07-01"],
    ["overdue", "--as-of", "2021-10-31"],
    ["overdue", "--as-of", "2021-10-31", "--by", "unit"],
    ["due", "--as-of", "2021-06-01", "--within", "30d"],
    ["log"],
]
REPORTS = [
    ["report", "progress", "--as-of", "2021-10-31"],
    ["report", "overdue", "--as-of", "2021-10-31"],
    ["report", "unit", "县财政局", "--as-of", "2021-10-31"],
    ["stats", "--as-of", "2021-10-31"],
]
UPDATES = [
    [
        "update",
        "7",
        "--unit",
        "县财政局",
        "--status",
        "已完成",
        "--note",
        "已在政府信息公开专栏公开",
        "--date",
        "2021-06-20",
    ],
    ["update", "40", "--unit", "各镇", "--status", "进行中", "--date", "2021-06-25"],
]
TODAY = "2026-11-25"
_COMMIT = re.compile(r"\b[0-9a-f]{7,40}\b")


def commands() -> list[list[str]]:
    """Every command of the tour, in order; the read commands once per format."""
    runs = [["init", "台账"], *UPDATES]
    for query in QUERIES:
        runs += [[*query, "--format", fmt] for fmt in ("table", "md", "json", "csv")]
    for report in REPORTS:
        runs += [[*report, "--format", fmt, "--out", "-"] for fmt in ("md", "csv", "json")]
    runs += [["validate", "--format", fmt] for fmt in ("text", "json", "github")]
    return runs


def name(args: list[str]) -> str:
    return re.sub(r"[^\w.-]+", "_", " ".join(args)).strip("_")


def _mask_ids(ledger: Path, text: str) -> str:
    """Update ids are random: each one the log holds is masked as <id>."""
    log = ledger / "data" / "progress.yaml"
    if log.exists():
        for uid in re.findall(r"\bid: ([a-z][0-9a-z]{3,15})\b", log.read_text(encoding="utf-8")):
            text = text.replace(uid, "<id>")
    return text


def run_tour(workdir: Path, source: Path) -> dict[str, str]:
    """Run the tour in `workdir` with the package found in `source`; each command's exit
    status, stdout and stderr, with commit ids and update ids masked."""
    env = {
        **os.environ,
        "PYTHONPATH": str(source),
        "COLUMNS": "100",
        "GONGKAI_NO_CACHE": "1",
        # A command without --as-of answers for today: the tour's today is fixed, so its
        # outputs are the same bytes on any day the tests run.
        "GONGKAI_TODAY": TODAY,
        "GIT_AUTHOR_NAME": "县政务公开办",
        "GIT_AUTHOR_EMAIL": "gongkai@example.org",
        "GIT_COMMITTER_NAME": "县政务公开办",
        "GIT_COMMITTER_EMAIL": "gongkai@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    env.pop("GONGKAI_DATA", None)

    def run(args: list[str], cwd: Path) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "gongkai_cli", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        text = f"$ gongkai {' '.join(args)}\n[{result.returncode}]\n{result.stdout}--- stderr\n{result.stderr}"
        text = _COMMIT.sub("<commit>", text.replace(str(workdir), "<dir>"))
        return _mask_ids(cwd, text)

    runs = commands()
    writes = 1 + len(UPDATES)  # init, then the updates, in order: each needs the one before
    outputs = {name(runs[0]): run(runs[0], workdir)}
    ledger = workdir / runs[0][1]
    for args in runs[1:writes]:
        outputs[name(args)] = run(args, ledger)
    # The read commands change nothing: they run side by side, one per core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        reads = runs[writes:]
        for args, text in zip(reads, pool.map(lambda a: run(a, ledger), reads), strict=True):
            outputs[name(args)] = text
    return outputs


if __name__ == "__main__":
    import tempfile

    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for key, text in run_tour(Path(tmp), Path(__file__).resolve().parent.parent).items():
            (target / f"{key}.txt").write_text(text, encoding="utf-8")

"""A province over its counties: fetch and roll up many member ledgers, cold and warm.

    python benchmarks/members.py [--members 100] [--jobs 4] [--work DIR]

Each member is the 2021 plan with a year of progress (about 4,300 updates, drawn with its own
seed by benchmarks/generate.py) committed week by week (52 commits), served by `git daemon`
on loopback. A city ledger lists the first 25, 50 and all of them; for each, the installed
`gongkai` is timed as a whole process:
- cold: no members cache and no load cache: `members fetch`, then `rollup`;
- warm: both again, the caches reused (the fetch finds nothing new).
Wall time, CPU time of the process and its children, and the largest resident size of any one
process (gongkai or a git it ran) are written to benchmarks/members.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import progress_lines  # noqa: E402
from tests.served import git_daemon  # noqa: E402

GIT_ENV = {
    "GIT_AUTHOR_NAME": "填报员",
    "GIT_AUTHOR_EMAIL": "ledger@example.org",
    "GIT_COMMITTER_NAME": "填报员",
    "GIT_COMMITTER_EMAIL": "ledger@example.org",
}
START = dt.date(2021, 1, 4)  # the first Monday of the plan's year


def member_repo(repo: Path, seed: int) -> int:
    """A member ledger whose progress arrives week by week; the number of updates."""
    data = repo / "work" / "data"
    shutil.copytree(ROOT / "data", data)
    lines = progress_lines(data, seed)
    lines.sort(key=lambda line: line.split("date: ", 1)[1][:10])  # the log grows in time
    files = {name: (ROOT / "data" / name).read_bytes() for name in ("tasks.yaml", "units.yaml")}
    stream = bytearray()
    mark = 0
    for week in range(52):
        end = (START + dt.timedelta(weeks=week + 1)).isoformat()
        upto = sum(1 for line in lines if line.split("date: ", 1)[1][:10] < end)
        if week and upto == mark:
            continue
        mark = upto
        progress = "".join(lines[:upto]).encode()
        when = int(dt.datetime.fromisoformat(end).timestamp())
        message = f"第 {week + 1} 周进展".encode()
        stream += b"commit refs/heads/main\n"
        stream += f"committer 填报员 <ledger@example.org> {when} +0800\n".encode()
        stream += b"data %d\n%s\n" % (len(message), message)
        for name, content in (*files.items(), ("progress.yaml", progress)):
            stream += b"M 100644 inline data/%s\ndata %d\n%s\n" % (
                name.encode(),
                len(content),
                content,
            )
    bare = repo / "ledger.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    subprocess.run(
        ["git", "--git-dir", str(bare), "fast-import", "--quiet"], input=bytes(stream), check=True
    )
    shutil.rmtree(repo / "work")
    return len(lines)


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds of the process and its children, largest resident size in
    MB of any one of them, stdout) of one run of `gongkai ARGS`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gongkai"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"gongkai {' '.join(args)} failed:\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss // 1024, result.stdout


def city(folder: Path, url: str, names: list[str]) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ROOT / "data", folder / "data")
    lines = "".join(f'- {{name: "{n}", url: "{url}/{n}/ledger.git"}}\n' for n in names)
    (folder / "data" / "members.yaml").write_text("members:\n" + lines, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="gongkai-members-"))
    served = work / "served"
    names = [f"成员{i:03d}" for i in range(1, args.members + 1)]
    env = {**os.environ, **GIT_ENV, "GONGKAI_TODAY": "2021-12-31"}
    if not served.exists():
        start = time.perf_counter()
        counts = [member_repo(served / n, 2021 + i) for i, n in enumerate(names)]
        print(f"{len(names)} members, {min(counts)}–{max(counts)} updates each, "
              f"made in {time.perf_counter() - start:.0f} s")  # fmt: skip
    rows = []
    with git_daemon(served) as url:
        sizes = sorted({n for n in (25, 50, args.members) if n <= args.members})
        for size in sizes:
            ledger = city(work / f"city-{size}", url, names[:size])
            for run in ("cold", "warm"):
                if run == "cold":
                    shutil.rmtree(ledger / ".gongkai", ignore_errors=True)
                    env["GONGKAI_CACHE_DIR"] = str(work / f"cache-{size}")
                    shutil.rmtree(env["GONGKAI_CACHE_DIR"], ignore_errors=True)
                fetch = timed(["members", "fetch", "--jobs", str(args.jobs)], ledger, env)
                roll = timed(["rollup", "--as-of", "2021-10-31", "--format", "json"], ledger, env)
                rows.append((size, run, fetch, roll))
                total = fetch[0] + roll[0]
                print(f"{size} members {run}: fetch {fetch[0]:.1f} s, rollup {roll[0]:.1f} s, "
                      f"total {total:.1f} s, max RSS {max(fetch[2], roll[2])} MB")  # fmt: skip
    write_results(rows, args)


def write_results(rows, args) -> None:
    lines = [
        "# Members: fetch and roll up",
        "",
        f"`python benchmarks/members.py --members {args.members} --jobs {args.jobs}` on "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{subprocess.run(['git', '--version'], capture_output=True, text=True).stdout.strip()}.",
        "Each member: the 2021 plan, a year of progress in 52 weekly commits, served by git daemon "
        "on loopback. Wall and CPU seconds of the whole `gongkai` process and the git processes it "
        "ran; RSS is the largest of any one process.",
        "",
        "| members | run | fetch wall | fetch CPU | rollup wall | rollup CPU | total wall | max RSS |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, run, fetch, roll in rows:
        lines.append(
            f"| {size} | {run} | {fetch[0]:.1f} s | {fetch[1]:.1f} s | {roll[0]:.2f} s | "
            f"{roll[1]:.2f} s | {fetch[0] + roll[0]:.1f} s | {max(fetch[2], roll[2])} MB |"
        )
    (ROOT / "benchmarks" / "members.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Generate synthetic ledgers for the benchmarks.

    python benchmarks/generate.py year OUT      # the 2021 plan with a full year of progress
    python benchmarks/generate.py ten OUT       # the same plan, a log ten times as long
    python benchmarks/generate.py hundred OUT   # … a hundred times as long (431,400 updates)
    python benchmarks/generate.py wide OUT      # 430 tasks, ~700 units, a year's density

A full year means every assignment (task × unit) is updated about three times:
进行中, sometimes 进展缓慢, then mostly 已完成 (some after the deadline). A log N times
as long is N such years drawn with different seeds, shuffled together. The random
generator is seeded, so a ledger is the same on every machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import string
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkai_cli.ledger.checked import open_book  # noqa: E402
from gongkai_cli.ledger.datadir import DataDir  # noqa: E402
from gongkai_cli.ledger.logline import update_line  # noqa: E402
from gongkai_cli.model.schema import Update  # noqa: E402

YEAR_START = dt.date(2021, 1, 4)
NOTES = ["已在政府信息公开专栏公开", "正在起草", "材料已报县政务公开办", "按要求推进中", None, None]


def event_id(rng: random.Random) -> str:
    """An id as `gongkai update` makes one (a letter, nine letters or digits), drawn from the
    seeded generator: unique across the years of a long log, as a real log's are."""
    return rng.choice(string.ascii_lowercase) + "".join(
        rng.choices(string.ascii_lowercase + string.digits, k=9)
    )


def clerk_of(year: int) -> str:
    """Each simulated year has its own clerk, as a long log has many: years drawn on one
    plan otherwise repeat whole updates (same day, task, unit, status and note), and a
    long log would be thousands of duplicate-update warnings, which no real log is."""
    stems = "甲乙丙丁戊己庚辛壬癸"
    return "填报员" if year == 0 else f"填报员{stems[year // 10 % 10]}{stems[year % 10]}"


def progress_lines(data: Path, seed: int = 2021) -> list[str]:
    book = open_book(DataDir(data, "option"))
    rng = random.Random(seed)
    clerk = clerk_of(seed - 2021)
    lines = []
    for number in book.ledger.tasks:
        deadline = book.deadline(number).date or dt.date(2021, 12, 31)
        for assignment in book.assignments(number, dt.date(2021, 1, 1)):
            if not assignment.designated:
                continue
            span = max((deadline - YEAR_START).days, 30)
            start = YEAR_START + dt.timedelta(days=rng.randrange(span // 2))
            steps = [("进行中", start)]
            middle = "进展缓慢" if rng.random() < 0.3 else "进行中"
            steps.append((middle, start + dt.timedelta(days=rng.randrange(5, 40))))
            finish = deadline + dt.timedelta(days=rng.randrange(-60, 25))
            steps.append(("已完成" if rng.random() < 0.93 else "不涉及", max(finish, steps[-1][1])))
            for status, day in steps:
                day = min(day, dt.date(2021, 12, 31))
                lines.append(
                    update_line(
                        Update(
                            date=day,
                            task=number,
                            unit=assignment.unit,
                            status=status,
                            note=rng.choice(NOTES),
                            by=clerk,
                        ),
                        event_id(rng),
                    )
                )
    rng.shuffle(lines)  # updates arrive in no particular order
    return lines


def write_year(out: Path) -> None:
    shutil.copytree(ROOT / "data", out, dirs_exist_ok=True)
    lines = progress_lines(out)
    (out / "progress.yaml").write_text("".join(lines), encoding="utf-8")
    print(f"{out}: {len(lines)} updates")


def write_times(out: Path, times: int) -> None:
    shutil.copytree(ROOT / "data", out, dirs_exist_ok=True)
    lines = [line for seed in range(2021, 2021 + times) for line in progress_lines(out, seed)]
    random.Random(times).shuffle(lines)
    (out / "progress.yaml").write_text("".join(lines), encoding="utf-8")
    print(f"{out}: {len(lines)} updates")


def write_wide(out: Path) -> None:
    """Ten copies of the plan's tasks over a registry ten times larger (kinds kept)."""
    out.mkdir(parents=True, exist_ok=True)
    plan = yaml.safe_load((ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8"))
    registry = yaml.safe_load((ROOT / "data" / "units.yaml").read_text(encoding="utf-8"))
    units = []
    for copy in range(10):
        for unit in registry["units"]:
            name = unit["name"] if copy == 0 else f"{unit['name']}{copy}"
            units.append(
                {
                    "name": name,
                    "kind": unit["kind"],
                    "aliases": [f"{a}{copy}" if copy else a for a in unit.get("aliases", [])],
                }
            )
    while len(units) < 700:
        units.append({"name": f"县直属事业单位{len(units)}", "kind": "事业单位"})
    tasks = []
    for copy in range(10):
        for task in plan["tasks"]:
            tasks.append({**task, "number": copy * 43 + task["number"]})
    plan["tasks"] = tasks
    (out / "tasks.yaml").write_text(
        yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8"
    )
    registry["units"] = units
    (out / "units.yaml").write_text(
        yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (out / "progress.yaml").write_text("", encoding="utf-8")
    lines = progress_lines(out)
    (out / "progress.yaml").write_text("".join(lines), encoding="utf-8")
    print(f"{out}: {len(tasks)} tasks, {len(units)} units, {len(lines)} updates")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["year", "ten", "hundred", "wide"])
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.kind == "year":
        write_year(args.out)
    elif args.kind == "wide":
        write_wide(args.out)
    else:
        write_times(args.out, 10 if args.kind == "ten" else 100)


if __name__ == "__main__":
    main()

"""Compare what `collect` leaves behind, run by two source trees on the same inputs: every
command's output and exit status, the log's bytes, and each commit (id, message, tree).

    python benchmarks/collect_identity.py --tree before=/path/to/old/checkout [--tree after=.]

Dates and update ids are fixed (GIT_*_DATE, and `secrets.token_bytes` replaced by a counter
in the child process), so two trees that do the same thing make the same commits, ids and
all. Scenarios: the benchmark round (51 forms, a third filled in) collected, collected
again, and `forms status`; a mixed batch (a form twice in one call, a re-saved copy, a
correction, a bad status, a relabelled form, a stale row, a file that is no form) collected
for real, as a dry run, without committing, all or nothing, and without the cache; a hook
that stages another file; an unfinished merge. Prints the first difference, or that there
is none; exit status 1 on a difference.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.forms_round import IDENTITY, fill_a_third, fresh_ledger  # noqa: E402

ROUND = "2021-10-31"
FIXED = {
    **IDENTITY,
    "GIT_AUTHOR_DATE": "2021-11-20T10:00:00+08:00",
    "GIT_COMMITTER_DATE": "2021-11-20T10:00:00+08:00",
    "GONGKAI_TODAY": "2021-11-20",
    "COLUMNS": "100",
}
# The child process: update ids from a counter instead of the system's randomness.
RUN = """
import hashlib, os, runpy, secrets, sys
count = [0]
def token_bytes(n=32):
    count[0] += 1
    return hashlib.sha256(f"{os.environ['IDS']}-{count[0]}".encode()).digest()[:n]
secrets.token_bytes = token_bytes
sys.argv = ["gongkai", *sys.argv[1:]]
runpy.run_module("gongkai_cli", run_name="__main__")
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def fill(path: Path, cells: dict[str, object], save_as: Path | None = None) -> Path:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        sheet, cell = ref.split("!")
        workbook[sheet][cell] = value
    workbook.save(save_as or path)
    return save_as or path


def inputs(folder: Path) -> dict[str, Path]:
    """The ledgers and forms every tree is given (made once, by the tree running this)."""
    import openpyxl

    env = {**os.environ, **FIXED, "PYTHONPATH": str(ROOT), "GONGKAI_NO_CACHE": "1"}
    gongkai = [sys.executable, "-m", "gongkai_cli"]
    made = {}
    for name in ("round", "mixed", "supervised"):
        repo = fresh_ledger(folder / name, env)
        if name == "supervised":  # review on: forms carry evidence, problems, extensions
            tasks = repo / "data" / "tasks.yaml"
            text = tasks.read_text(encoding="utf-8")
            tasks.write_text(text.replace("\nyear: 2021\n", "\nyear: 2021\nreview: true\n", 1))
            git(repo, "commit", "-qam", "review on")
        argv = [*gongkai, "forms", "--all-units", "--as-of", ROUND, "--out", "forms"]
        subprocess.run(argv, cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)
        made[name] = repo
    fill_a_third(sorted((made["round"] / "forms").iterdir()))
    forms = made["mixed"] / "forms"
    keep = {"县财政局", "县教育局", "县民政局", "县司法局", "县审计局", "县统计局"}
    for form in forms.iterdir():
        if form.name.split("-")[0] not in keep:
            form.unlink()
    finance = forms / f"县财政局-进展填报-{ROUND}.xlsx"
    fill(finance, {"填报!G7": "进行中", "填报!H7": "第一份", "填报!B3": "张三"})
    fill(finance, {"填报!H8": "另存的副本多一行"}, forms / "副本.xlsx")
    fill(
        forms / f"县教育局-进展填报-{ROUND}.xlsx",
        {"填报!G7": "完成了", "填报!I8": "10月20日", "填报!G8": "已完成"},
    )
    fill(forms / f"县民政局-进展填报-{ROUND}.xlsx", {"填报!G7": "已完成", "填报!I7": "2021-10-20"})
    fill(forms / f"县司法局-进展填报-{ROUND}.xlsx", {"填报!B2": "县审计局"})
    fill(forms / f"县统计局-进展填报-{ROUND}.xlsx", {"填报!G7": "进行中", "填报!H7": "迟到的表"})
    (forms / "说明.txt").write_text("不是表格\n", encoding="utf-8")
    fill(forms / f"县财政局-进展填报-{ROUND}.xlsx", {"填报!G9": "进展缓慢"}, forms / "更正.xlsx")
    supervised = made["supervised"] / "forms"
    for form in supervised.iterdir():
        if form.name.split("-")[0] not in keep:
            form.unlink()
    finance = supervised / f"县财政局-进展填报-{ROUND}.xlsx"
    rows = {c.value: c.row for c in openpyxl.load_workbook(finance)["填报"]["A"]}
    fill(
        finance,
        {
            f"填报!G{rows[7]}": "已完成",
            f"填报!I{rows[7]}": "2021-10-20",
            f"填报!L{rows[7]}": "https://example.org/7",
            f"填报!G{rows[6]}": "进行中",
            f"填报!J{rows[6]}": "数据未齐",
            f"填报!K{rows[6]}": "11月底前公开",
            f"填报!H{rows[8]}": "等待省级平台上线",
            f"填报!M{rows[8]}": "2022-01-31",
        },
    )
    fill(finance, {f"填报!H{rows[9]}": "副本"}, supervised / "副本.xlsx")
    fill(supervised / f"县教育局-进展填报-{ROUND}.xlsx", {"填报!G7": "进行中"})
    late = openpyxl.load_workbook(forms / f"县统计局-进展填报-{ROUND}.xlsx")["填报"]["A7"].value
    (folder / "late-task").write_text(str(late))
    return made


def mixed_files(repo: Path) -> list[str]:
    forms = sorted(p.name for p in (repo / "forms").iterdir())
    finance = f"forms/县财政局-进展填报-{ROUND}.xlsx"
    return [f"forms/{name}" for name in forms] + [finance, finance]


def scenarios(made: dict[str, Path]):
    """(name, source ledger, steps): each step is (argv, extra env) or a callable(repo)."""
    round_forms = [f"forms/{p.name}" for p in sorted((made["round"] / "forms").iterdir())]
    collect_round = ["collect", *round_forms, "--date", "2021-11-05"]
    mixed = ["collect", *mixed_files(made["mixed"])]
    late = (made["mixed"].parent.parent / "late-task").read_text()
    stale = [
        "update",
        late,
        "-u",
        "县统计局",
        "-s",
        "进行中",
        "-n",
        "更晚的进展",
        "--date",
        "2021-11-10",
    ]

    def hook(repo: Path) -> None:
        hooks = repo / ".git" / "hooks"
        script = hooks / "pre-commit"
        script.write_text("#!/bin/sh\necho 钩子 > hooked.txt\ngit add hooked.txt\n")
        script.chmod(0o755)

    def hook_at(name: str, count: int, action: str):
        """A hook that does `action` the `count`-th time it runs, and nothing else."""

        def install(repo: Path) -> None:
            script = repo / ".git" / "hooks" / name
            script.write_text(
                f"#!/bin/sh\necho x >> .git/{name}.count\n"
                f'[ "$(wc -l < .git/{name}.count)" -eq {count} ] || exit 0\n{action}\n'
            )
            script.chmod(0o755)

        return install

    def merge_state(repo: Path) -> None:
        (repo / ".git" / "MERGE_HEAD").write_text(git(repo, "rev-parse", "HEAD"))

    yield "round", made["round"], [collect_round, collect_round, ["forms", "status"]]
    yield (
        "round, json status",
        made["round"],
        [collect_round, ["forms", "status", "--format", "json"]],
    )
    yield "mixed", made["mixed"], [stale, mixed, mixed, ["forms", "status", "--format", "json"]]
    yield "mixed, dry run", made["mixed"], [stale, [*mixed, "--dry-run"]]
    yield "mixed, no commit", made["mixed"], [stale, [*mixed, "--no-commit"], mixed]
    yield "mixed, all or nothing", made["mixed"], [[*mixed, "--all-or-nothing"]]
    yield (
        "mixed, no cache",
        made["mixed"],
        [(stale, {"GONGKAI_NO_CACHE": "1"}), (mixed, {"GONGKAI_NO_CACHE": "1"})],
    )
    supervised = [
        "collect",
        *sorted(f"forms/{p.name}" for p in (made["supervised"] / "forms").iterdir()),
    ]
    yield (
        "supervised",
        made["supervised"],
        [supervised, supervised, ["extend", "--list", "-f", "json"]],
    )
    yield "round, hook", made["round"], [hook, collect_round, ["forms", "status"]]
    stage = "echo 钩子 > hooked.txt && git add hooked.txt"
    yield (
        "round, hook on the fourth",
        made["round"],
        [hook_at("pre-commit", 4, stage), collect_round],
    )
    touch = "echo '# 钩子' >> data/progress.yaml"
    yield (
        "round, post-commit edits the log",
        made["round"],
        [hook_at("post-commit", 3, touch), collect_round],
    )
    commit = "git add data/progress.yaml && git commit -qm 钩子提交"
    yield (
        "round, post-commit commits",
        made["round"],
        [hook_at("post-commit", 4, f"{touch} && {commit}"), collect_round],
    )
    plan = "echo '# 钩子' >> data/tasks.yaml"
    yield (
        "round, post-commit edits the plan",
        made["round"],
        [hook_at("post-commit", 2, plan), collect_round],
    )
    yield "round, merge", made["round"], [merge_state, collect_round]


def run(tree: Path, name: str, source: Path, steps, work: Path) -> list[str]:
    """Run the steps on a copy of `source`; what they left, as lines to compare."""
    repo = work / "ledger"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, repo, symlinks=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "PYTHON", "GIT_"))}
    env |= FIXED | {"PYTHONPATH": str(tree), "GONGKAI_CACHE_DIR": str(work / "cache")}
    seen = [f"# {name}"]
    for number, step in enumerate(steps):
        if callable(step):
            step(repo)
            continue
        argv, extra = step if isinstance(step, tuple) else (step, {})
        done = subprocess.run(
            [sys.executable, "-c", RUN, *argv],
            cwd=repo,
            env=env | extra | {"IDS": f"{name}-{number}"},
            capture_output=True,
            text=True,
        )
        seen += [f"## step {number}: exit {done.returncode}", done.stdout, done.stderr]
        seen.append((repo / "data" / "progress.yaml").read_text(encoding="utf-8"))
        seen.append(git(repo, "log", "--format=%H%n%B%n%T"))
        seen.append(git(repo, "status", "--porcelain", "--untracked-files=all"))
        seen.append(git(repo, "ls-files", "--stage"))
    return "\n".join(seen).splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", default=[], help="name=path of a checkout")
    parser.add_argument("--keep", help="a folder to write each tree's outcomes to, to read")
    args = parser.parse_args()
    trees = dict(t.split("=", 1) for t in args.tree)
    if len(trees) < 2:  # one tree given: compare it with this one
        trees.setdefault("after", str(ROOT))
    keep = Path(args.keep) if args.keep else None
    first, *others = trees
    with tempfile.TemporaryDirectory(prefix="gongkai-collect-") as tmp:
        made = inputs(Path(tmp) / "inputs")
        differs = False
        for name, source, steps in scenarios(made):
            same = True
            outcomes = {
                tree: run(Path(path).resolve(), name, source, steps, Path(tmp) / tree)
                for tree, path in trees.items()
            }
            for tree, lines in outcomes.items() if keep else ():
                keep.mkdir(parents=True, exist_ok=True)
                with (keep / f"{tree}.txt").open("a", encoding="utf-8") as out:
                    out.write("\n".join(lines) + "\n")
            for other in others:
                if outcomes[other] != outcomes[first]:
                    differs, same = True, False
                    diff = difflib.unified_diff(outcomes[first], outcomes[other], first, other)
                    print("\n".join(list(diff)[:80]))
            steps_run = sum(1 for line in outcomes[first] if line.startswith("## step"))
            print(f"{name}: {steps_run} commands, {'the same' if same else 'DIFFERENT'}")
    sys.exit(1 if differs else 0)


if __name__ == "__main__":
    main()

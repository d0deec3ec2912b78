"""Check that two source trees write the very same site: every page, chart and static file
byte for byte, for the bundled plan, the generated year and ten-year ledgers and the test
suite's small ledgers (hostile text, the supervision cycle, recurring tasks, a retraction,
a git repository for the footer's source line).

    python benchmarks/same_site.py --tree before=/path/to/old/checkout --tree after=.

Each ledger is built by each tree as `python -m gongkai_cli site` (that tree first on
PYTHONPATH, its own ledger cache), three times: into an empty folder with the cache cold,
again with the cache warm and nothing changed, and once more into an empty folder from the
warm cache. The manifest `.gongkai-site` is compared by its page lines (file and SHA-256):
its other lines name the code that built it. Exits 1 and names the first files that differ.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.paths import IDENTITY  # noqa: E402

AS_OF = "2021-10-31"


def small_ledgers(work: Path) -> dict[str, tuple[Path, str]]:
    """The test suite's ledgers that exercise the site: name → (data folder, as-of date)."""
    from tests import test_periods
    from tests.conftest import write_ledger
    from tests.site_data import hostile_ledger, rich_ledger, supervised_ledger

    return {
        "mini": (write_ledger(work / "mini"), "2021-07-01"),
        "hostile": (hostile_ledger(work / "hostile"), "2021-07-01"),
        "supervised": (supervised_ledger(work / "supervised"), "2021-07-01"),
        "recurring": (
            write_ledger(work / "recurring", test_periods.TASKS, progress=test_periods.YEAR),
            "2021-05-11",
        ),
        "rich": (rich_ledger(work / "rich"), "2021-07-01"),
    }


def build(tree: Path, data: Path, out: Path, as_of: str, cache: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "PYTHON"))}
    env |= IDENTITY | {"PYTHONPATH": str(tree), "GONGKAI_CACHE_DIR": str(cache)}
    site = [sys.executable, "-m", "gongkai_cli", "site", "--as-of", as_of, "--data", str(data)]
    subprocess.run([*site, "--out", str(out)], env=env, check=True, stdout=subprocess.DEVNULL)


def files_of(folder: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            content = path.read_bytes()
            if path.name == ".gongkai-site":  # its page lines; the rest names the code
                content = b"".join(
                    line for line in content.splitlines(keepends=True) if not line.startswith(b"#")
                )
            found[path.relative_to(folder).as_posix()] = content
    return found


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", default=[], help="name=path of a checkout")
    parser.add_argument("--skip-ten", action="store_true", help="leave out the 10× ledger")
    args = parser.parse_args()
    trees = {n: Path(p).resolve() for n, p in (t.split("=", 1) for t in args.tree)}
    if len(trees) != 2:
        parser.error("give two trees: --tree before=… --tree after=…")
    work = Path(tempfile.mkdtemp(prefix="gongkai-same-site-"))
    ledgers = small_ledgers(work / "small")
    plan = work / "plan" / "data"
    shutil.copytree(ROOT / "data", plan)
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", str(plan.parent)], check=True)
    subprocess.run(["git", "-C", str(plan.parent), "add", "."], check=True)
    subprocess.run(
        ["git", "-C", str(plan.parent), "commit", "-qm", "计划"],
        check=True,
        env={**os.environ, **IDENTITY},
    )
    ledgers["plan (a git repository)"] = (plan, AS_OF)
    for kind in ("year", *(() if args.skip_ten else ("ten",))):
        data = work / kind / "data"
        generate = [sys.executable, str(HERE / "generate.py"), kind, str(data)]
        subprocess.run(
            generate,
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "GONGKAI_NO_CACHE": "1"},
        )
        ledgers[kind] = (data, AS_OF)
    failed = False
    for name, (data, as_of) in ledgers.items():
        built = {}
        for tree_name, tree in trees.items():
            cache, out = work / tree_name / "cache", work / tree_name / name.split()[0]
            build(tree, data, out, as_of, cache)  # cold: the cache empty
            first = files_of(out)
            build(tree, data, out, as_of, cache)  # nothing changed
            again = files_of(out)
            shutil.rmtree(out)
            build(tree, data, out, as_of, cache)  # into an empty folder, from the cache
            warm = files_of(out)
            if differences(first, again) or differences(first, warm):
                print(f"{name}: {tree_name} does not rebuild the same site", flush=True)
                failed = True
            built[tree_name] = first
        (a, first), (b, second) = built.items()
        different = differences(first, second)
        pages = len(first) - 1
        if different:
            failed = True
            print(f"{name}: {len(different)} of {pages} files differ: {', '.join(different[:8])}")
        else:
            print(f"{name}: {pages} files, byte-identical ({a} = {b})", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

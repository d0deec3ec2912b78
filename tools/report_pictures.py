"""Draw the first page of every Word and Excel report for the README, as LibreOffice prints it.

    python tools/report_pictures.py [DOCS]      # default: docs/ of this repository

The ledger is the 2021 plan with a year of synthetic progress (benchmarks/generate.py), as
of 2021-10-31; each report goes through `soffice --convert-to pdf` and `pdftoppm`, so the
pictures show what a reader of the printed document sees. Needs LibreOffice and poppler.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2021-10-31"
ISSUER = "濉溪县政务公开办"
REPORTS = {
    "progress": ["report", "progress"],
    "overdue": ["report", "overdue"],
    "unit": ["report", "unit", "县财政局"],
    "stats": ["stats"],
}
RESOLUTION = 60  # dots per inch: a page is about 700 pixels wide, readable in a README


def gongkai(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "gongkai_cli", *args], check=True, cwd=ROOT)


def main() -> None:
    docs = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        ledger = work / "data"  # generate.py writes the data files themselves here
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "year", str(ledger)],
            check=True,
        )
        made = []
        for name, args in REPORTS.items():
            for fmt in ("docx", "xlsx"):
                out = work / "files" / f"report-{name}-{fmt}.{fmt}"
                issuer = ["--issuer", ISSUER] if fmt == "docx" else []
                gongkai(*args, "--as-of", AS_OF, "-f", fmt, "--out", str(out),
                        "--data", str(ledger), *issuer)  # fmt: skip
                made.append(out)
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{work}/lo", "--headless",
             "--convert-to", "pdf", "--outdir", str(work / "pdf"), *map(str, made)],
            check=True, capture_output=True,
        )  # fmt: skip
        for path in made:
            picture = docs / path.stem
            subprocess.run(
                ["pdftoppm", "-png", "-singlefile", "-f", "1", "-l", "1",
                 "-r", str(RESOLUTION), str(work / "pdf" / f"{path.stem}.pdf"), str(picture)],
                check=True,
            )  # fmt: skip
            print(f"{picture}.png")


if __name__ == "__main__":
    main()

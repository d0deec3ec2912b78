"""Old binary formats (.doc, .wps, .xls, .et) converted by LibreOffice, when it is installed.

LibreOffice reads these formats better than any Python library; it runs headless, in a
private temporary directory with its own profile (so it neither meets a user's running
LibreOffice nor leaves anything behind), and under a time limit.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from gongkai_cli.errors import PlanDocumentError

TIME_LIMIT = 120  # seconds; a plan converts in a few

_KINDS = {
    "docx": ("Word/WPS 文字文件（.doc/.wps）", ".docx"),
    "xlsx": ("Excel/WPS 表格文件（.xls/.et）", ".xlsx"),
}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@contextlib.contextmanager
def convert(path: Path, to: str) -> Iterator[Path]:
    """`path` converted to `to` (docx or xlsx), as a file that lives while the block runs."""
    kind, new = _KINDS[to]
    program = soffice()
    if program is None:
        raise PlanDocumentError(
            f"{path.name}：这是旧版 {kind}，需要 LibreOffice 才能读取；请安装 libreoffice"
            f"（如 apt install libreoffice-writer libreoffice-calc），或用 WPS/Office 另存为 {new} 后再导入。"
        )
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as work:
        work_dir = Path(work)
        # Named by what it is (a Kingsoft .wps holds a Word document): LibreOffice picks its
        # import filter by the name too, and reads no options from an odd one.
        source = work_dir / ("plan.xls" if to == "xlsx" else "plan.doc")
        shutil.copyfile(path, source)
        command = [
            program,
            f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(work_dir / "out"),
            str(source),
        ]
        # Its own session: on a timeout the whole LibreOffice process group is ended.
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=work_dir,
            start_new_session=True,
        )
        try:
            process.wait(timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise PlanDocumentError(
                f"{path.name}：LibreOffice 在 {TIME_LIMIT} 秒内没有转换完，文件可能已损坏；"
                f"请用 WPS/Office 另存为 {new} 后再导入。"
            ) from None
        result = work_dir / "out" / f"plan.{to}"
        if not result.exists():
            raise PlanDocumentError(
                f"{path.name}：LibreOffice 无法读取这个 {kind}，文件可能已损坏或设有密码。"
            )
        yield result

"""Verifying a report: rebuild a Word or Excel file from the ledger commit it names and say
whether the file still says the same, or which paragraphs and cells differ."""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai_cli.errors import GongkaiError
from gongkai_cli.ledger.datadir import as_data_dir
from gongkai_cli.record.git import ledger_commit as ledger_commit  # for the report commands

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.output.provenance import Provenance

SHOWN = 10  # differences listed; the count says how many there are in all
# The file to verify comes from outside: what it records is checked before git or a zip
# reader sees it. A commit is a hexadecimal id (never "--output=…", which git would obey),
# and a report unpacks to a few megabytes, never to the gigabytes of a zip bomb.
_COMMIT = re.compile(r"[0-9a-f]{7,64}")
MAX_UNPACKED = 200 * 2**20


@dataclass(frozen=True, slots=True)
class Verified:
    provenance: Provenance
    matches: bool
    differences: list[str] = field(default_factory=list)  # 位置：原为“…”，现为“…”
    total: int = 0  # differences in all


def verify_report(path: Path, data: DataDir | str | Path | None = None) -> Verified:
    """Rebuild the report `path` names in its properties from the ledger's commit, and
    compare: the same bytes, or else the same text in every paragraph and cell."""
    from gongkai_cli.ledger.files import read_bytes
    from gongkai_cli.record.git import find_repo

    name = path.name
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("docx", "xlsx"):
        raise GongkaiError(f"{name} 不是 Word（.docx）或 Excel（.xlsx）报表，无法核对。")
    try:
        content = read_bytes(path, shown=name)  # a FIFO would hang, a device never end
    except FileNotFoundError:
        raise GongkaiError(f"找不到文件 {path}。") from None
    except IsADirectoryError:
        raise GongkaiError(f"{name} 是目录，不是报表文件。") from None
    except OSError as exc:
        raise GongkaiError(f"无法读取 {path}：{exc.strerror}。") from None
    _check_unpacked(content, name)
    provenance = read_provenance(content, fmt, name)
    if not provenance.commit:
        raise GongkaiError(f"{name} 生成时台账不在 git 仓库中，没有可以核对的提交。")
    if not _COMMIT.fullmatch(provenance.commit):
        raise GongkaiError(
            f"{name} 记录的台账提交“{provenance.commit}”不是 git 提交编号，无法核对。"
        )
    if provenance.dirty:
        raise GongkaiError(
            f"{name} 生成时台账有未提交的改动（提交 {provenance.commit[:12]} 之外），无法从记录重建。"
        )
    found = as_data_dir(data)
    repo = find_repo(found.path)
    if repo is None:
        raise GongkaiError("当前台账不在 git 仓库中，无法核对。")
    with tempfile.TemporaryDirectory(prefix="gongkai-verify-") as scratch:
        rebuilt = _rebuild(repo, found, provenance, fmt, Path(scratch), name)
    if rebuilt == content:
        return Verified(provenance, True)
    differences = compare(fmt, rebuilt, content)
    return Verified(provenance, not differences, differences[:SHOWN], len(differences))


def _check_unpacked(content: bytes, name: str) -> None:
    """Refuse a zip whose members would unpack past MAX_UNPACKED: the sizes its directory
    declares bound what the reader returns (zipfile stops at the declared size)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            total = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise GongkaiError(f"{name} 已损坏，无法读取。") from None
    if total > MAX_UNPACKED:
        raise GongkaiError(
            f"{name} 解压后过大（超过 {MAX_UNPACKED // 2**20} MB），不是 gongkai 生成的报表。"
        )


def read_provenance(content: bytes, fmt: str, name: str) -> Provenance:
    from gongkai_cli.output.provenance import PROPERTY, Provenance

    try:
        if fmt == "docx":
            import docx

            text = docx.Document(io.BytesIO(content)).core_properties.identifier or ""
        else:
            from openpyxl import load_workbook

            workbook = load_workbook(io.BytesIO(content))
            text = next((p.value for p in workbook.custom_doc_props if p.name == PROPERTY), "")
    except Exception:  # a damaged file fails in the library's own way; to the user it is one fact
        raise GongkaiError(f"{name} 已损坏，无法读取。") from None
    found = Provenance.from_json(text or "")
    if found is None:
        raise GongkaiError(
            f"{name} 中没有 gongkai 的来源记录（不是 gongkai 生成的，或已另存丢失）。"
        )
    return found


def _rebuild(repo, found: DataDir, provenance: Provenance, fmt: str, scratch: Path, name: str):
    """The report made afresh from the data files as they were at the commit."""
    from gongkai_cli.actions.publish_report import render
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.output import reports

    rel = repo.rel(found.path)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", provenance.commit, "--", rel],
        cwd=repo.root,
        capture_output=True,
    )
    if archive.returncode != 0:
        raise GongkaiError(
            f"{name} 来自提交 {provenance.commit[:12]}，本仓库中没有这个提交（或其中没有 {rel}）。"
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(scratch, filter="data")
    book = open_book(DataDir(scratch / rel, "option"))
    kind, *rest = provenance.report
    if kind == "progress":
        doc = reports.progress_report(book, provenance.as_of)
    elif kind == "overdue":
        doc = reports.overdue_bulletin(book, provenance.as_of)
    elif kind == "unit" and rest:
        doc = reports.unit_checklist(book, rest[0], provenance.as_of)
    elif kind == "stats":
        doc = reports.stats(book, provenance.as_of, rest[0] if rest else "unit")
    else:
        raise GongkaiError(f"{name} 记录的报表“{kind}”无法重建。")
    doc = replace(doc, provenance=provenance)
    return render(doc, fmt, issuer=provenance.issuer)


def compare(fmt: str, expected: bytes, actual: bytes) -> list[str]:
    """Where the text of `actual` differs from `expected`: paragraphs and table cells of a
    Word file, cells of an Excel file, each as 位置：原为“…”，现为“…”."""
    was, now = _texts(fmt, expected), _texts(fmt, actual)
    differences = []
    for place in dict.fromkeys([*was, *now]):
        if was.get(place, "") != now.get(place, ""):
            differences.append(
                f"{place}：原为“{_short(was.get(place, ''))}”，现为“{_short(now.get(place, ''))}”"
            )
    return differences


def _texts(fmt: str, content: bytes) -> dict[str, str]:
    """Each paragraph and cell of a file by where it is, as a reader would name it."""
    clean = lambda text: str(text).replace("\ufeff", "")  # noqa: E731 — the no-break joins
    texts: dict[str, str] = {}
    if fmt == "docx":
        import docx

        document = docx.Document(io.BytesIO(content))
        for n, paragraph in enumerate(document.paragraphs, start=1):
            texts[f"第 {n} 段"] = clean(paragraph.text).replace("\n", "")
        for t, table in enumerate(document.tables, start=1):
            for r, row in enumerate(table.rows, start=1):
                for c, cell in enumerate(row.cells, start=1):
                    texts[f"表 {t} 第 {r} 行第 {c} 列"] = clean(cell.text).replace("\n", "")
        return texts
    from openpyxl import load_workbook

    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    texts[f"{sheet.title}!{cell.coordinate}"] = clean(cell.value)
    return texts


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

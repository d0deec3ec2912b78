"""Publishing a report: render a report model in one format, and write it where reports go
(the ledger's reports/ folder, or the file asked for) or hand it back for the screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from gongkai_cli.errors import GongkaiError
from gongkai_cli.ledger.datadir import as_data_dir

if TYPE_CHECKING:
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.model.book import Book
    from gongkai_cli.output.environment import Environment
    from gongkai_cli.output.formats import Format
    from gongkai_cli.output.reports import Document

FormatName = Literal["table", "md", "csv", "json", "xlsx", "docx"]


def render(
    document: Document | list[Document],
    format: FormatName = "md",
    *,
    wide: bool = False,
    encoding: str = "utf-8",
    issuer: str = "",
    title: str = "",
    env: Environment | None = None,
) -> str | bytes:
    """A report (from progress_report, overdue_bulletin, unit_checklist or stats) in one
    format: text for table, md and json, bytes for csv (in `encoding`), xlsx and docx.
    `issuer` signs Word and Markdown reports. A list of reports (every unit's checklist)
    renders into one xlsx or docx file titled `title`. A table is laid out for `env` (the
    terminal's width and colour). The reports are not changed."""
    from gongkai_cli.output.formats import FORMATS, Options

    chosen = FORMATS.get(format)
    if chosen is None:
        raise GongkaiError(f"没有“{format}”格式；可用 {'、'.join(FORMATS)}。")
    signed = (issuer or "").strip()
    if isinstance(document, list):
        if not hasattr(chosen.renderer, "render_documents"):
            raise GongkaiError("多份报表只能写成一个 xlsx 或 docx 文件。")
        documents = [replace(each, issuer=signed) for each in document]
        return chosen.renderer.render_documents(documents, title, documents[0].as_of)
    options = Options(wide=wide, encoding=encoding, env=env)
    return chosen.renderer.render_document(replace(document, issuer=signed), options)


def choose_format(fmt: str | None, out: Path | None, *, terminal: bool) -> Format:
    """The format to write, checked against `out`: the extension of `out` decides when no
    format is given, and must not contradict it when one is. With neither, a table on a
    terminal, else Markdown."""
    from gongkai_cli.output.formats import FORMATS, format_of_suffix

    to_file = out is not None and str(out) != "-"
    implied = format_of_suffix(out.suffix) if to_file else None
    if fmt is None:
        if implied is not None:
            return implied
        if to_file and out.suffix:
            # 进展情况.pdf would be Markdown under a name no reader opens it by.
            raise GongkaiError(
                f"--out {out} 的扩展名 {out.suffix} 不是可以写出的格式；"
                "请以 .docx、.xlsx、.md、.csv 或 .json 结尾，或用 --format 指明格式。"
            )
        return FORMATS["table" if terminal and out is None else "md"]
    chosen = FORMATS[fmt]
    if to_file and chosen.name == "table":
        raise GongkaiError(
            "--format table 只显示在终端；写入文件请用 md、docx、xlsx、csv 或 json。"
        )
    if to_file and implied is not None and implied is not chosen:
        raise GongkaiError(
            f"--out {out} 的扩展名是 {out.suffix}，与 --format {chosen.name} 不符；"
            f"请把文件名改为 {out.stem}{chosen.suffix}，或改用 --format {implied.name}。"
        )
    if to_file and chosen.binary and out.suffix.lower() != chosen.suffix:
        raise GongkaiError(
            f"--format {chosen.name} 的文件应以 {chosen.suffix} 结尾：{out} 不是；"
            f"请改为 {out.stem}{chosen.suffix}。"
        )
    return chosen


@dataclass(frozen=True, slots=True)
class Published:
    content: str | bytes
    path: Path | None  # where it was written; None: `content` is for the screen


def publish_report(
    document: Document | list[Document],
    data: DataDir | str | Path | None,
    stem: str,
    *,
    fmt: str | None = None,
    out: Path | None = None,
    env: Environment | None = None,
    wide: bool = False,
    encoding: str | None = None,
    issuer: str | None = None,
    title: str = "",
) -> Published:
    """Render the report and write it: md, docx and xlsx to a file (`out`, else
    reports/STEM-日期.ext), csv and json to the screen unless `out` names a file. With
    neither `fmt` nor `out` the report is for the screen (a table where `env` is a terminal)."""
    from gongkai_cli.record.atomic import safe_filename

    data = as_data_dir(data)
    chosen = choose_format(fmt, out, terminal=env is not None and env.terminal)
    if encoding is not None and chosen.name != "csv":
        raise GongkaiError("--encoding 只用于 --format csv。")
    to_screen = str(out) == "-" or (
        out is None and (fmt is None or chosen.name in ("table", "csv", "json"))
    )
    if to_screen and chosen.binary:
        raise GongkaiError(
            f"{'Excel' if chosen.name == 'xlsx' else 'Word'} 文件不能输出到屏幕，请用 --out 指定文件。"
        )
    encoding = encoding or ("utf-8" if to_screen else "utf-8-sig")
    content = render(
        document,
        chosen.name,
        wide=wide,
        encoding=encoding,
        issuer=issuer or "",
        title=title,
        env=env,
    )
    if to_screen:
        return Published(content, None)
    first = document[0] if isinstance(document, list) else document
    target = out or report_dir(data) / (
        safe_filename(stem, suffix=f"-{first.as_of.isoformat()}") + chosen.suffix
    )
    write_report(target, content.encode("utf-8") if isinstance(content, str) else content, data)
    return Published(content, target)


CHECKLISTS_TITLE = "各单位政务公开重点工作任务责任清单"


def publish_checklists(
    data: DataDir | str | Path | None,
    as_of: dt.date,
    *,
    fmt: str | None,
    out: Path | None = None,
    issuer: str | None = None,
    book: Book | None = None,
) -> list[Published]:
    """Every unit's checklist (of the units that answer for a task): md as one file per unit
    in the folder `out` (default reports/责任清单-日期/), xlsx or docx as one file."""
    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.output.reports import unit_checklist
    from gongkai_cli.record.atomic import safe_filename

    if fmt not in ("md", "xlsx", "docx"):
        raise GongkaiError(
            "--all-units 请用 --format md（每个单位一个文件）、xlsx 或 docx（全部单位一个文件）。"
        )
    data = as_data_dir(data)
    book = book or open_book(data)
    docs = [
        doc
        for name in book.ledger.index.units
        if (doc := unit_checklist(book, name, as_of)).tables()
    ]
    if not docs:
        raise GongkaiError("名录中没有承担任务的单位，没有责任清单可写。")
    if fmt == "md":
        folder = out or report_dir(data) / f"责任清单-{as_of.isoformat()}"
        return [
            publish_report(
                doc,
                data,
                "",
                fmt=fmt,
                out=folder / f"{safe_filename(doc.flat_table().name)}.md",
                issuer=issuer,
            )
            for doc in docs
        ]
    title = CHECKLISTS_TITLE
    return [
        publish_report(
            docs, data, "责任清单-全部单位", fmt=fmt, out=out, issuer=issuer, title=title
        )
    ]


def report_dir(data: DataDir) -> Path:
    """Where reports and forms go by default: reports/ beside the ledger's data folder (for
    the read-only bundled plan, under the working directory)."""
    from gongkai_cli.ledger.datadir import working_dir

    return working_dir() / "reports" if data.bundled else data.path.parent / "reports"


def write_report(target: Path, content: bytes, data: DataDir) -> None:
    """Write a report file; never over one of the ledger's own data files, into .git, or
    through a link committed into the ledger."""
    from gongkai_cli.record.atomic import write_output
    from gongkai_cli.record.outputs import check_ledger_output

    check_ledger_output(target, data, "报表")
    write_output(target, content)

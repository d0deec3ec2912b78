"""`gongkai verify` is given files from outside: a report someone forwarded may have been made
to attack whoever checks it. Its recorded commit is text it carries, never an option to git;
the file must be a plain file of a sane size, and a zip that unpacks to gigabytes is refused
before it is unpacked."""

from __future__ import annotations

import json
import os
import zipfile

import docx

from tests.test_verify import make, qingshan  # noqa: F401 — the fixture


def forged(path, commit: str) -> None:
    document = docx.Document(path)
    record = json.loads(document.core_properties.identifier)
    document.core_properties.identifier = json.dumps({**record, "commit": commit})
    document.save(path)


def test_a_recorded_commit_that_looks_like_an_option_writes_nothing(gongkai, qingshan):  # noqa: F811
    make(gongkai, "report", "progress", "-f", "docx", out="p.docx")
    target = qingshan / "written-by-verify"
    forged(qingshan / "p.docx", f"--output={target}")

    result = gongkai("verify", "p.docx")

    assert not target.exists()
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"错误：p.docx 记录的台账提交“--output={target}”不是 git 提交编号，无法核对。\n"
    )


def test_a_fifo_named_like_a_report_is_refused_without_waiting(gongkai, qingshan):  # noqa: F811
    os.mkfifo(qingshan / "p.docx")

    result = gongkai("verify", "p.docx")

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("错误：p.docx 不是普通文件")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(gongkai, qingshan):  # noqa: F811
    with (
        zipfile.ZipFile(qingshan / "b.xlsx", "w", zipfile.ZIP_DEFLATED) as bomb,
        bomb.open("xl/sharedStrings.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(600):
            member.write(b"\0" * 2**20)

    result = gongkai("verify", "b.xlsx")

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "错误：b.xlsx 解压后过大（超过 200 MB），不是 gongkai 生成的报表。\n"

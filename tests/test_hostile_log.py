"""Lines of the log gongkai never writes, as a hand edit or a merged branch may bring them:
each is named by `validate`, never read as meaning something it cannot."""

from __future__ import annotations

from tests.conftest import write_ledger


def test_a_retraction_of_a_retraction_or_of_itself_is_an_error(gongkai, tmp_path):
    progress = (
        "- {id: aaaa1111, date: 2021-05-01, task: 1, unit: 县财政局, status: 已完成}\n"
        "- {id: bbbb2222, date: 2021-05-02, retracts: aaaa1111}\n"
        "- {id: cccc3333, date: 2021-05-03, retracts: bbbb2222}\n"
        "- {id: dddd4444, date: 2021-05-03, retracts: dddd4444}\n"
    )
    write_ledger(tmp_path, progress=progress)

    result = gongkai("validate", "--data", tmp_path / "data")

    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if "progress" in line] == [
        "data/progress.yaml:3:46: error: 撤销记录所指的编号 bbbb2222 是一条撤销记录；"
        "撤销不能再被撤销，如需恢复，请重新记录。",
        "data/progress.yaml:4:46: error: 撤销记录所指的编号 dddd4444 是一条撤销记录（即它自己）；"
        "撤销不能再被撤销，如需恢复，请重新记录。",
    ]

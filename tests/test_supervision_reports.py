"""Reports of a ledger that runs the supervision cycle: 存在问题, 下步措施 and 佐证材料 beside
进展情况, 原时限 and 延期至, and claims waiting or returned counted apart."""

from __future__ import annotations

import json

from tests.conftest import MINI_TASKS, write_ledger

REVIEWED = MINI_TASKS.replace("year: 2021\n", "year: 2021\nreview: true\n", 1)
FILE = "evidence/" + "ab" * 32 + ".pdf"
LOG = f"""\
- {{id: uuu1, date: 2021-06-10, task: 2, unit: 县政府办公室, status: 已完成, note: 已公开, problems: 栏目分散, next: 整合栏目, evidence: ["https://example.org/a", "{FILE}"]}}
- {{id: rrr1, date: 2021-06-12, reviews: uuu1, verdict: 退回, note: 链接打不开}}
- {{id: uuu2, date: 2021-06-10, task: 1, unit: 甲镇, status: 已完成}}
- {{id: eee1, date: 2021-06-20, task: 1, unit: 乙镇, extend_to: 2021-08-31, note: 等数据}}
- {{id: ddd1, date: 2021-06-21, decides: eee1, verdict: 批准}}
"""


def report(gongkai, data, *args):
    result = gongkai(*args, "--as-of", "2021-07-01", "--out", "-", "--data", data)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_progress_table_carries_problems_next_steps_evidence_and_extensions(gongkai, tmp_path):
    data = write_ledger(tmp_path, tasks=REVIEWED, progress=LOG)
    lines = report(gongkai, data, "report", "progress", "--format", "md").splitlines()
    assert (
        "| 工作任务 | 具体要求 | 责任单位 | 时限要求 | 进展情况 | 存在问题 | 下步措施 | 佐证材料 |"
        in lines
    )
    assert (
        "| （一）财政信息。 | 2．做好政策解读。 | 县政府办公室负责落实 | 10月底前 | "
        "0/1 个单位已完成；已退回：县政府办公室（链接打不开）；县政府办公室：已公开。 | "
        "栏目分散 | 整合栏目 | https://example.org/a、附件abababab.pdf |"
    ) in lines
    row = next(line for line in lines if line.startswith("| （一）财政信息。 | 1．"))
    assert "| 6月底前（乙镇延期至2021年8月31日） |" in row
    assert "待审核：甲镇" in row


def test_the_progress_json_names_each_unit_s_details(gongkai, tmp_path):
    data = write_ledger(tmp_path, tasks=REVIEWED, progress=LOG)
    tasks = json.loads(report(gongkai, data, "report", "progress", "--format", "json"))["tasks"]
    assert {k: tasks[1][k] for k in ("extensions", "review", "problems", "next", "evidence")} == {
        "extensions": {},
        "review": {"县政府办公室": "已退回"},
        "problems": {"县政府办公室": "栏目分散"},
        "next": {"县政府办公室": "整合栏目"},
        "evidence": {"县政府办公室": ["https://example.org/a", FILE]},
    }
    assert tasks[0]["extensions"] == {"乙镇": "2021-08-31"}
    assert tasks[0]["review"] == {"甲镇": "待审核"}


def test_stats_count_claims_waiting_and_returned_apart_from_those_done(gongkai, tmp_path):
    data = write_ledger(tmp_path, tasks=REVIEWED, progress=LOG)
    rows = json.loads(report(gongkai, data, "stats", "--format", "json"))["rows"]
    mine = {r["key"]: r for r in rows}
    assert (mine["甲镇"]["done"], mine["甲镇"]["pending_review"]) == (0, 1)
    assert (mine["县政府办公室"]["done"], mine["县政府办公室"]["returned"]) == (0, 1)
    table = report(gongkai, data, "stats", "--format", "md")
    assert "| 单位 | 项次 | 完成 | 按期 | 逾期 | 完成率 | 按期率 | 待审核 | 已退回 |" in table


def test_a_unit_s_checklist_shows_the_extended_date_beside_the_original(gongkai, tmp_path):
    data = write_ledger(tmp_path, tasks=REVIEWED, progress=LOG)
    text = report(gongkai, data, "report", "unit", "乙镇", "--format", "md")
    assert (
        "| 1 | 公开预算决算。 | 6月底前 | 2021年8月31日（延期，原 2021年6月30日） | 未开始 |  |"
        in text
    )
    returned = report(gongkai, data, "report", "unit", "县政府办公室", "--format", "md")
    assert (
        "| 2 | 做好政策解读。 | 10月底前 | 2021年10月31日 | 已退回：链接打不开 | 已公开 |"
        in returned
    )


def test_a_ledger_without_the_cycle_keeps_its_five_columns(gongkai, tmp_path):
    data = write_ledger(
        tmp_path,
        progress="- {id: uuu1, date: 2021-06-10, task: 2, unit: 县政府办公室, status: 已完成}\n",
    )
    text = report(gongkai, data, "report", "progress", "--format", "md")
    assert "| 工作任务 | 具体要求 | 责任单位 | 时限要求 | 进展情况 |" in text.splitlines()
    assert "存在问题" not in text and "待审核" not in text


def test_the_site_shows_reviews_extensions_and_details_and_offers_kept_files(gongkai, tmp_path):
    import hashlib

    document = b"%PDF evidence"
    name = f"evidence/{hashlib.sha256(document).hexdigest()}.pdf"
    log = LOG.replace(FILE, name) + (
        "- {id: uuu3, date: 2021-06-11, task: 1, unit: 县财政局, status: 进行中, "
        'problems: "<script>alert(1)</script>", evidence: ["https://example.org/x?a=1&b=2"]}\n'
    )
    data = write_ledger(tmp_path, tasks=REVIEWED, progress=log)
    (data / "evidence").mkdir()
    (data / name).write_bytes(document)
    out = tmp_path / "site"
    result = gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert (out / name).read_bytes() == document
    two = (out / "tasks" / "2.html").read_text(encoding="utf-8")
    assert '（退回理由：<span class="user">链接打不开</span>）' in two
    assert f'<a href="../{name}" class="user" rel="noopener noreferrer">附件2</a>' in two
    assert '存在问题：<span class="user">栏目分散</span>' in two
    one = (out / "tasks" / "1.html").read_text(encoding="utf-8")
    assert "（延期至 2021年8月31日）" in one
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in one and "<script>alert" not in one
    assert 'href="https://example.org/x?a=1&amp;b=2"' in one
    assert '</span>已完成<span class="detail">待审核</span></td>' in one

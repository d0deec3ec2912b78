"""review, extend and update's evidence: each decision one commit of the log (and evidence
files) alone, every refusal a clear sentence that writes nothing, and two clones that
decide at once merging into one story."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import GIT_ENV, MINI_TASKS, git, write_ledger

REVIEWED = MINI_TASKS.replace("year: 2021\n", "year: 2021\nreview: true\n", 1)


@pytest.fixture
def office(tmp_path, monkeypatch) -> Path:
    """A git ledger of the small plan with review on; the tests run inside it, on 2021-11-20."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-11-20")
    root = tmp_path / "office"
    write_ledger(root, tasks=REVIEWED)
    (root / ".gitattributes").write_text("data/progress.yaml merge=union\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "督查室")
    git(root, "config", "user.email", "d@example.org")
    git(root, "add", ".")
    git(root, "commit", "-qm", "init")
    monkeypatch.chdir(root)
    return root


def ok(gongkai, *args):
    result = gongkai(*args)
    assert result.exit_code == 0, result.stderr
    return result


def as_json(gongkai, *args):
    return json.loads(ok(gongkai, *args, "--format", "json").stdout)


def changed_files(root: Path) -> list[str]:
    return git(root, "show", "--name-only", "--format=", "HEAD").split()


def last_line(root: Path) -> str:
    return (root / "data" / "progress.yaml").read_text(encoding="utf-8").splitlines()[-1]


def claim(gongkai, task, unit, day, *extra):
    ok(gongkai, "update", task, "-u", unit, "-s", "已完成", "--date", day, *extra)
    return last_line(Path.cwd()).split("id: ", 1)[1].split(",", 1)[0]


def test_review_lists_the_waiting_claims_oldest_first(gongkai, office):
    late = claim(gongkai, 1, "甲镇", "2021-06-20", "--note", "已公开")
    early = claim(gongkai, 2, "县政府办公室", "2021-06-10", "--evidence", "https://example.org/2")
    ok(gongkai, "update", 1, "-u", "乙镇", "-s", "进行中", "--date", "2021-06-11")
    assert as_json(gongkai, "review") == [
        {
            "id": early,
            "task": 2,
            "unit": "县政府办公室",
            "date": "2021-06-10",
            "status": "已完成",
            "note": None,
            "evidence": ["https://example.org/2"],
        },
        {
            "id": late,
            "task": 1,
            "unit": "甲镇",
            "date": "2021-06-20",
            "status": "已完成",
            "note": "已公开",
            "evidence": [],
        },
    ]
    assert [c["id"] for c in as_json(gongkai, "review", "--unit", "甲镇")] == [late]


def test_a_return_is_one_commit_of_the_log_with_its_reason(gongkai, office):
    uid = claim(gongkai, 2, "县政府办公室", "2021-06-10")
    result = ok(gongkai, "review", "退回", uid, "--note", "链接打不开", "--date", "2021-06-12")
    assert result.stdout.startswith(f"已退回 1 条进展：任务 2 县政府办公室（{uid}）。\n")
    assert changed_files(office) == ["data/progress.yaml"]
    assert git(office, "log", "-1", "--format=%s").strip() == "审核: 任务2 县政府办公室 → 退回"
    assert last_line(office).endswith(
        f"date: 2021-06-12, reviews: {uid}, verdict: 退回, note: 链接打不开, by: 督查室}}"
    )
    mine = as_json(gongkai, "show", "2")["status"]["县政府办公室"]
    assert (mine["review"], mine["review_note"]) == ("已退回", "链接打不开")
    assert as_json(gongkai, "review") == []


def test_a_bulk_pass_by_unit_decides_every_waiting_claim_of_it_in_one_commit(gongkai, office):
    claim(gongkai, 1, "甲镇", "2021-06-10")
    claim(gongkai, 1, "乙镇", "2021-06-10")
    claim(gongkai, 2, "县政府办公室", "2021-06-10")
    before = git(office, "rev-list", "--count", "HEAD")
    ok(gongkai, "review", "通过", "--task", "1", "--date", "2021-06-15")
    assert int(git(office, "rev-list", "--count", "HEAD")) == int(before) + 1
    assert [c["unit"] for c in as_json(gongkai, "review")] == ["县政府办公室"]
    assert (
        as_json(gongkai, "show", "1", "--as-of", "2021-06-14")["status"]["甲镇"]["review"]
        == "待审核"
    )
    assert (
        as_json(gongkai, "show", "1", "--as-of", "2021-06-15")["status"]["甲镇"]["review"] == "通过"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["review", "退回", "--task", "2"],
            "错误：退回须写明理由（--note），单位据此补办；未写入。",
        ),
        (["review", "同意", "--task", "2"], "错误：审核结论“同意”无效；请写 通过 或 退回。"),
        (
            ["review", "通过"],
            "错误：请给出要审核的进展编号（见 gongkai review），或用 --unit、--task 选定一批；未写入。",
        ),
        (["review", "通过", "--task", "1"], "错误：所选范围内没有待审核的进展；未写入。"),
        (
            ["review", "通过", "zzzz9999"],
            "错误：没有编号为 zzzz9999 的进展记录（待审核的见 gongkai review）；未写入。",
        ),
        (
            ["review", "通过", "{uid}", "--date", "2021-06-01"],
            "错误：编号 {uid} 的进展记于 2021-06-10，晚于审核日期 2021-06-01；未写入。",
        ),
    ],
)
def test_a_review_that_cannot_be_made_writes_nothing(gongkai, office, args, message):
    uid = claim(gongkai, 2, "县政府办公室", "2021-06-10")
    before = (office / "data" / "progress.yaml").read_bytes()
    result = gongkai(*(arg.format(uid=uid) for arg in args))
    assert result.exit_code == 1
    assert result.stderr.strip() == message.format(uid=uid)
    assert (office / "data" / "progress.yaml").read_bytes() == before


def test_review_is_refused_where_the_ledger_does_not_review(gongkai, office):
    tasks = office / "data" / "tasks.yaml"
    tasks.write_text(MINI_TASKS, encoding="utf-8")
    result = gongkai("review")
    assert result.exit_code == 1
    assert "本台账没有开启审核" in result.stderr and "review: true" in result.stderr


def test_an_extension_request_and_its_approval_move_the_due_date(gongkai, office):
    result = ok(
        gongkai,
        "extend",
        "2",
        "-u",
        "县政府办公室",
        "--to",
        "2021-12-15",
        "--note",
        "等上级文件",
        "--date",
        "2021-10-20",
    )
    request = as_json(gongkai, "extend", "--list")[0]
    assert result.stdout.startswith(
        f"已记录延期申请（{request['id']}）：任务 2 县政府办公室，原时限 2021-10-31，申请延期至 2021-12-15。\n"
    )
    assert changed_files(office) == ["data/progress.yaml"]
    ok(gongkai, "extend", "批准", request["id"], "--to", "2021-11-30", "--date", "2021-10-25")
    assert changed_files(office) == ["data/progress.yaml"]
    assert as_json(gongkai, "extend", "--list") == [
        {
            "id": request["id"],
            "task": 2,
            "unit": "县政府办公室",
            "date": "2021-10-20",
            "extend_to": "2021-12-15",
            "note": "等上级文件",
            "by": "督查室",
            "deadline": "2021-10-31",
            "late": False,
            "state": "已批准",
            "decided_on": "2021-10-25",
            "granted_to": "2021-11-30",
            "decision_note": None,
        }
    ]
    numbers = lambda day: [i["number"] for i in as_json(gongkai, "overdue", "--as-of", day)]  # noqa: E731
    assert 2 not in numbers("2021-11-20")
    assert 2 in numbers("2021-12-01")
    mine = as_json(gongkai, "show", "2", "--as-of", "2021-10-24")["status"]["县政府办公室"]
    assert (mine["due"], mine["extended_to"]) == ("2021-10-31", None)  # not yet approved


def test_a_late_request_is_recorded_and_flagged_and_a_refusal_changes_nothing(gongkai, office):
    result = ok(
        gongkai, "extend", "2", "-u", "县政府办公室", "--to", "2021-12-31", "--note", "人手不足"
    )
    assert "注意：该申请在原时限 2021-10-31 之后才提出（逾期后申请）。" in result.stderr
    request = as_json(gongkai, "extend", "--list")[0]
    assert request["late"] is True
    ok(gongkai, "extend", "驳回", request["id"], "--note", "理由不充分")
    assert as_json(gongkai, "extend", "--list")[0]["state"] == "已驳回"
    assert 2 in [i["number"] for i in as_json(gongkai, "overdue")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["extend", "2", "-u", "县政府办公室", "--to", "2021-12-01"],
            "错误：延期申请须写明理由（--note）；未写入。",
        ),
        (
            ["extend", "2", "-u", "县政府办公室", "--to", "2021-10-01", "--note", "x"],
            "错误：申请延期至 2021-10-01 不晚于原时限 2021-10-31；未写入。",
        ),
        (
            ["extend", "3", "-u", "县政府办公室", "--to", "2021-12-01", "--note", "x"],
            "错误：任务 3 的时限是“持续推进”，没有确定的日期，无需延期；未写入。",
        ),
        (
            ["extend", "批准", "zzzz9999"],
            "错误：没有编号为 zzzz9999 的延期申请（见 gongkai extend --list）；未写入。",
        ),
    ],
)
def test_an_extension_that_cannot_be_recorded_writes_nothing(gongkai, office, args, message):
    before = (office / "data" / "progress.yaml").read_bytes()
    result = gongkai(*args)
    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert (office / "data" / "progress.yaml").read_bytes() == before


def test_an_attached_file_is_kept_once_by_its_hash_and_committed_with_its_update(
    gongkai, office, tmp_path
):
    import hashlib

    document = tmp_path / "公开截图.PNG"
    document.write_bytes(b"\x89PNG evidence")
    name = f"evidence/{hashlib.sha256(document.read_bytes()).hexdigest()}.png"
    ok(
        gongkai,
        "update",
        "1",
        "-u",
        "甲镇",
        "-s",
        "进行中",
        "--attach",
        document,
        "--problems",
        "人手不足",
        "--next",
        "月底前公开",
    )
    assert sorted(changed_files(office)) == [f"data/{name}", "data/progress.yaml"]
    assert f"\nEvidence: {name}\n" in git(office, "log", "-1", "--format=%B")
    ok(gongkai, "update", "1", "-u", "乙镇", "-s", "进行中", "--attach", document)
    assert changed_files(office) == ["data/progress.yaml"]  # kept once
    assert sorted(p.name for p in (office / "data" / "evidence").iterdir()) == [name.split("/")[1]]
    mine = as_json(gongkai, "show", "1")["status"]["甲镇"]
    assert (mine["evidence"], mine["problems"], mine["next"]) == ([name], "人手不足", "月底前公开")
    assert gongkai("validate").exit_code == 0
    (office / "data" / name).write_bytes(b"altered")
    result = gongkai("validate")
    assert result.exit_code == 1
    assert (
        f"error: 佐证文件 {name} 的内容与其名称中的 SHA-256 不符（文件在记录后被改动过）。"
        in result.stdout
    )
    (office / "data" / name).unlink()
    assert f"error: 佐证文件 {name} 不存在。" in gongkai("validate").stdout


def test_a_link_that_is_not_http_is_refused_and_validate_checks_links_in_the_log(gongkai, office):
    result = gongkai(
        "update", "1", "-u", "甲镇", "-s", "进行中", "--evidence", "file:///etc/passwd"
    )
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == "错误：佐证链接“file:///etc/passwd”不是以 http:// 或 https:// 开头的网址；未写入。"
    )
    log = office / "data" / "progress.yaml"
    log.write_text(
        '- {id: uuu1, date: 2021-06-10, task: 1, unit: 甲镇, status: 进行中, evidence: ["www.example.org"]}\n',
        encoding="utf-8",
    )
    assert (
        "data/progress.yaml:1:74: error: 佐证链接“www.example.org”不是以 http:// 或 https:// 开头的网址。"
    ) in gongkai("validate").stdout.splitlines()
    assert gongkai("site").exit_code == 1  # nothing is published from a log with a bad link


def test_a_ledger_that_requires_evidence_refuses_a_bare_claim(gongkai, office):
    tasks = office / "data" / "tasks.yaml"
    tasks.write_text(
        REVIEWED.replace("review: true\n", "review: true\nevidence: required\n"), encoding="utf-8"
    )
    result = gongkai("update", "2", "-u", "县政府办公室", "-s", "已完成")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "错误：本台账要求已完成须附佐证材料：请用 --evidence 给出公开链接，或用 --attach 附上文件；未写入。"
    )
    ok(
        gongkai,
        "update",
        "2",
        "-u",
        "县政府办公室",
        "-s",
        "已完成",
        "--evidence",
        "https://example.org/x",
    )


def test_two_clones_claim_return_reclaim_and_pass_and_the_task_is_closed_everywhere(
    gongkai, office, tmp_path, monkeypatch
):
    """A unit's clerk and the office work on their own clones and merge (merge=union): a
    claim with a link, returned; claimed again with a file, passed. Meanwhile the office
    decides an extension on its clone and the unit asks for another on its own: both survive."""
    hub = tmp_path / "hub.git"
    git(tmp_path, "clone", "-q", "--bare", str(office), str(hub))
    clones = {}
    for name in ("unit", "office"):
        clones[name] = tmp_path / f"{name}-clone"
        git(tmp_path, "clone", "-q", str(hub), str(clones[name]))
        git(clones[name], "config", "pull.rebase", "false")
        git(clones[name], "config", "user.name", "县政府办公室" if name == "unit" else "督查室")

    def run(name, *args):
        monkeypatch.chdir(clones[name])
        return ok(gongkai, *args)

    def sync(name):
        git(clones[name], "pull", "-q", "--no-rebase")
        git(clones[name], "push", "-q")

    run(
        "unit",
        "update",
        "2",
        "-u",
        "县政府办公室",
        "-s",
        "已完成",
        "--evidence",
        "https://example.org/2",
        "--date",
        "2021-10-10",
    )
    run(
        "unit",
        "extend",
        "1",
        "-u",
        "县政府办公室",
        "--to",
        "2021-12-31",
        "--note",
        "等财政数据",
        "--date",
        "2021-06-20",
    )
    sync("unit")
    sync("office")
    first = json.loads(run("office", "review", "-f", "json").stdout)[0]["id"]
    request = json.loads(run("office", "extend", "--list", "-f", "json").stdout)[0]["id"]
    run("office", "review", "退回", first, "--note", "链接打不开", "--date", "2021-10-12")
    run("office", "extend", "批准", request, "--date", "2021-06-25")
    document = tmp_path / "解读.pdf"
    document.write_bytes(b"%PDF evidence")
    # the unit, not yet pulled, asks again on its own clone while the office decides
    run(
        "unit",
        "extend",
        "1",
        "-u",
        "县政府办公室",
        "--to",
        "2022-01-31",
        "--note",
        "再延",
        "--date",
        "2021-10-12",
    )
    sync("office")
    sync("unit")  # union merge: the office's decisions and the unit's request, side by side
    assert run("unit", "show", "2", "-f", "json").stdout.count("已退回") == 1
    run(
        "unit",
        "update",
        "2",
        "-u",
        "县政府办公室",
        "-s",
        "已完成",
        "--attach",
        document,
        "--date",
        "2021-10-14",
    )
    sync("unit")
    sync("office")
    again = json.loads(run("office", "review", "-f", "json").stdout)[0]["id"]
    run("office", "review", "通过", again, "--date", "2021-10-15")
    sync("office")
    sync("unit")
    for name in ("unit", "office"):
        monkeypatch.chdir(clones[name])
        assert gongkai("validate").exit_code == 0
        task = as_json(gongkai, "show", "2")
        assert (task["done"], task["status"]["县政府办公室"]["review"]) == (True, "通过")
        assert "已办结" in ok(gongkai, "show", "2", "-f", "md").stdout
        assert [r["state"] for r in as_json(gongkai, "extend", "--list")] == ["已批准", "待审批"]
        mine = as_json(gongkai, "show", "1")["status"]["县政府办公室"]
        assert mine["extended_to"] == "2021-12-31"
        story = [(e["status"], e["note"], e["by"]) for e in as_json(gongkai, "log", "2")]
        assert story == [
            (f"审核通过（{again}）", None, "督查室"),
            ("已完成", None, "县政府办公室"),
            (f"审核退回（{first}）", "链接打不开", "督查室"),
            ("已完成", None, "县政府办公室"),
        ]
    assert (clones["unit"] / "data" / "progress.yaml").read_bytes() == (
        clones["office"] / "data" / "progress.yaml"
    ).read_bytes()
    shutil.rmtree(hub)


def test_undo_takes_back_a_review_by_its_id_and_the_claim_waits_again(gongkai, office):
    uid = claim(gongkai, 2, "县政府办公室", "2021-06-10")
    ok(gongkai, "review", "通过", uid, "--date", "2021-06-12")
    review_id = last_line(office).split("id: ", 1)[1].split(",", 1)[0]
    result = ok(gongkai, "undo", review_id)
    assert f"已撤销 1 条进展（编号 {review_id}）：审核 {uid} → 通过。" in result.stdout
    assert git(office, "log", "-1", "--format=%s").strip() == f"撤销: 审核 {uid} → 通过"
    assert [c["id"] for c in as_json(gongkai, "review")] == [uid]


def test_undo_without_an_id_takes_back_the_clerks_last_review_not_the_update_before(
    gongkai, office
):
    """The office returns a claim by mistake and types `gongkai undo` at once: the return
    is taken back, and the claim it had made itself the day before stands."""
    own = claim(gongkai, 2, "县政府办公室", "2021-06-10")
    ok(gongkai, "review", "退回", own, "--note", "链接打不开", "--date", "2021-06-12")
    returned = last_line(office).split("id: ", 1)[1].split(",", 1)[0]
    result = ok(gongkai, "undo")
    assert f"已撤销 1 条进展（编号 {returned}）：审核 {own} → 退回。" in result.stdout
    assert [c["id"] for c in as_json(gongkai, "review")] == [own]


def test_the_library_runs_the_cycle_without_the_command_line(office, tmp_path):
    import datetime as dt

    import gongkai_cli as gk

    data = office / "data"
    document = tmp_path / "解读.pdf"
    document.write_bytes(b"%PDF")
    recorded = gk.record_update(
        data,
        2,
        ["县政府办公室"],
        "已完成",
        date=dt.date(2021, 6, 10),
        evidence=["https://example.org/2"],
        attach=[document],
        problems="无",
        next="持续更新",
    )
    uid = recorded.ids[0]
    assert [c.id for c in gk.claims_to_review(data)] == [uid]
    returned = gk.review(data, "退回", [uid], note="请补充链接", date=dt.date(2021, 6, 12))
    assert (returned.verdict, [c.id for c in returned.claims]) == ("退回", [uid])
    asked = gk.request_extension(
        data, 1, "甲镇", dt.date(2021, 8, 31), note="等数据", date=dt.date(2021, 6, 20)
    )
    gk.decide_extension(data, "批准", asked.request.id, date=dt.date(2021, 6, 21))
    assert [(r.unit, r.state, r.granted_to) for r in gk.extension_requests(data)] == [
        ("甲镇", "已批准", dt.date(2021, 8, 31))
    ]
    book = gk.open_ledger(data)
    mine = book.assignment(2, "县政府办公室", dt.date(2021, 7, 1))
    assert (mine.state, mine.review_note, mine.detail.problems) == ("已退回", "请补充链接", "无")
    assert book.assignment(1, "甲镇", dt.date(2021, 7, 1)).extended_to == dt.date(2021, 8, 31)
    assert [p.message for p in gk.validate(data) if p.is_error] == []


def test_undo_takes_the_day_the_office_decided(gongkai, office):
    uid = claim(gongkai, 2, "县政府办公室", "2021-06-10")
    ok(gongkai, "undo", uid, "--date", "2021-06-11")
    assert last_line(office).split(", ", 2)[1] == "date: 2021-06-11"
    result = gongkai("undo", uid, "--date", "2021-12-01")
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == "错误：--date 2021-12-01 晚于今天，只能记录已经作出的撤销；未写入。"
    )

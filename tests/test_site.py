"""gongkai site: the pages it writes, escaping, reproducibility, the folder rules and --serve."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, files_of, git, site_files, write_ledger
from tests.site_data import hostile_ledger, year_ledger

AS_OF = "2021-10-31"


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Path:
    return year_ledger(tmp_path_factory.mktemp("year") / "data")


def test_a_year_of_updates_gives_a_page_per_task_and_unit_the_overview_and_the_bulletin(
    gongkai, year, tmp_path
):
    result = gongkai("site", "--data", year, "--as-of", AS_OF, "--out", tmp_path / "site")
    assert result.exit_code == 0, result.stderr
    units = yaml.safe_load((year / "units.yaml").read_text(encoding="utf-8"))["units"]
    files = files_of(tmp_path / "site")
    assert sorted(n for n in files if n.startswith("tasks/")) == sorted(
        f"tasks/{n}.html" for n in range(1, 44)
    )
    assert len([n for n in files if n.startswith("units/")]) == len(units) == 51
    assert {"index.html", "bulletin.html", "static/site.css", "static/site.js"} <= set(files)
    assert result.stdout == (
        f"已生成网站：{tmp_path / 'site'}（总览、逾期通报、43 个任务页、51 个单位页）；"
        f"用浏览器打开 {tmp_path / 'site' / 'index.html'} 即可查看。\n"
    )
    finance = files["units/县财政局.html"].decode()
    assert '<h1 class="user">县财政局</h1>' in finance
    assert "数据截至 2021年10月31日" in finance


def test_the_same_data_and_date_give_the_same_bytes(gongkai, year, tmp_path, monkeypatch):
    gongkai("site", "--data", year, "--as-of", AS_OF, "--out", tmp_path / "a")
    monkeypatch.setenv("GONGKAI_NO_CACHE", "1")  # read afresh, not from the cache
    gongkai("site", "--data", year, "--as-of", AS_OF, "--out", tmp_path / "b")
    assert site_files(tmp_path / "a") == site_files(tmp_path / "b")
    gongkai("site", "--data", year, "--as-of", "2021-11-30", "--out", tmp_path / "a")
    assert files_of(tmp_path / "a")["index.html"] != files_of(tmp_path / "b")["index.html"]


def test_lights_are_red_for_overdue_tasks_and_yellow_for_tasks_due_within_30_days(
    gongkai, year, tmp_path
):
    for day in ("2021-07-05", AS_OF, "2022-01-10"):
        gongkai("site", "--data", year, "--as-of", day, "--out", tmp_path / day)
        html = (tmp_path / day / "index.html").read_text(encoding="utf-8")
        tasks = html.split('id="tasks"', 1)[1].split("</table>", 1)[0]
        overdue = json.loads(
            gongkai("overdue", "--data", year, "--as-of", day, "-f", "json").stdout
        )
        due = json.loads(gongkai("due", "--data", year, "--as-of", day, "-f", "json").stdout)
        lit = {
            colour: [
                int(n)
                for n in re.findall(
                    rf'light {colour}".*?\n<td class="num"><a href="tasks/(\d+)', tasks
                )
            ]
            for colour in ("red", "yellow")
        }
        assert lit["red"] == [item["number"] for item in overdue], day
        assert sorted(lit["yellow"]) == sorted(item["number"] for item in due), day
        assert tasks.count("<tr>") == 43 + 1


def test_hostile_text_is_escaped_everywhere(gongkai, tmp_path):
    data = hostile_ledger(tmp_path / "hostile")
    result = gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", tmp_path / "site")
    assert result.exit_code == 0, result.stderr
    pages = {n: c.decode() for n, c in files_of(tmp_path / "site").items() if n.endswith(".html")}
    for name, html in pages.items():
        # The only script and style are the site's own files.
        assert re.findall(r"<script\b[^>]*>", html) == [
            f'<script src="{"../" if "/" in name else ""}static/site.js" defer>'
        ], name
        assert not re.search(r"<(style|img|svg onload)", html), name
        assert "\u202e" not in html and "\u202c" not in html, name
        assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html, name
    task = pages["tasks/1.html"]
    assert "公开预算决算&lt;/style&gt;&lt;script&gt;alert(2)&lt;/script&gt;。" in task
    assert "&lt;img src=x onerror=alert(3)&gt;" in task
    assert "见 javascript:alert(4) 与 https://evil.example/x.png" in task
    assert "正常[U+202E]文本反转[U+202C]结束" in task
    assert "&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;" in task
    # The hostile unit's page has a safe file name and a percent-encoded link.
    assert "units/_svg onload=alert(1)_局.html" in pages
    assert 'href="../units/_svg%20onload%3Dalert%281%29_%E5%B1%80.html"' in task


def test_the_site_refers_to_nothing_outside_itself(gongkai, year, tmp_path):
    gongkai("site", "--data", year, "--as-of", AS_OF, "--out", tmp_path / "site")
    for name, content in files_of(tmp_path / "site").items():
        text = content.decode()
        for ref in re.findall(r'(?:href|src|action|xlink:href)="([^"]*)"', text):
            assert not re.match(r"[a-z][a-z0-9+.-]*:|//", ref) or ref == "data:,", (name, ref)
        assert "@import" not in text and "@font-face" not in text and "url(" not in text, name
    assert "Content-Security-Policy" in (tmp_path / "site" / "index.html").read_text()


def test_charts_are_svg_drawn_here_with_chinese_labels(gongkai, year, tmp_path):
    gongkai("site", "--data", year, "--as-of", AS_OF, "--out", tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert html.count('<svg class="chart') == 3
    assert ">四、进一步强化基层政务公开</text>" in html
    assert ">截至2021年10月31日：已完成 157</text>" in html
    assert '<text x="56" y="278" text-anchor="middle">2021年1月</text>' in html
    assert '<a href="units/%E5%8E%BF%E8%B4%A2%E6%94%BF%E5%B1%80.html"><text' in html


def test_a_rebuild_removes_pages_that_no_longer_exist(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", tmp_path / "site")
    assert (tmp_path / "site" / "units" / "县档案馆.html").is_file()
    units = (data / "units.yaml").read_text(encoding="utf-8")
    (data / "units.yaml").write_text(units.replace("县档案馆", "县史志馆"), encoding="utf-8")
    assert (
        gongkai(
            "site", "--data", data, "--as-of", "2021-07-01", "--out", tmp_path / "site"
        ).exit_code
        == 0
    )
    assert not (tmp_path / "site" / "units" / "县档案馆.html").exists()
    assert (tmp_path / "site" / "units" / "县史志馆.html").is_file()
    # A manifest that names files outside the site (edited by hand, or hostile) removes none.
    outside = tmp_path / "outside.html"
    outside.write_text("keep", encoding="utf-8")
    with (tmp_path / "site" / ".gongkai-site").open("a", encoding="utf-8") as manifest:
        manifest.write(f"{outside}\n../outside.html\n")
    assert (
        gongkai(
            "site", "--data", data, "--as-of", "2021-07-01", "--out", tmp_path / "site"
        ).exit_code
        == 0
    )
    assert outside.read_text(encoding="utf-8") == "keep"


def test_a_folder_that_is_not_a_site_is_never_written_into(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.html").write_text("mine", encoding="utf-8")
    result = gongkai("site", "--data", data, "--out", tmp_path / "docs")
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误：{tmp_path / 'docs'} 不是空目录，也不是 gongkai 生成的网站；"
        "为免覆盖其中的文件，网站不会写到这里。请用 --out 指定新目录或空目录。\n"
    )
    assert os.listdir(tmp_path / "docs") == ["index.html"]
    result = gongkai("site", "--data", data, "--out", data / "tasks.yaml")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"错误：{data / 'tasks.yaml'} 不是目录，网站不能写到这里。请用 --out 指定新目录或空目录。\n"
    )


def test_a_symlink_in_the_site_is_refused_not_followed(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    site = tmp_path / "site"
    gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep", encoding="utf-8")
    (site / "bulletin.html").unlink()
    (site / "bulletin.html").symlink_to(target)
    result = gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    assert result.exit_code == 1
    assert result.stderr == f"错误：{site / 'bulletin.html'} 是符号链接，不能作为输出文件。\n"
    assert target.read_text(encoding="utf-8") == "keep"


def test_site_is_default_under_the_ledger_and_bad_requests_write_nothing(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    result = gongkai("site", "--data", data, "--as-of", "2021-13-01")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "错误：--as-of“2021-13-01”不是有效日期；请写成 2021-10-31、2021/10/31、2021.10.31、2021年10月31日、10月31日、10-31、10.31、今天 或 昨天。\n"
    )
    assert gongkai("site", "--data", data, "--port", "9000").exit_code == 2
    assert not (tmp_path / "mini" / "site").exists()
    (data / "progress.yaml").write_text(
        "- {date: 2021-03-01, task: 99, unit: 甲镇, status: 进行中}\n"
    )
    result = gongkai("site", "--data", data)
    assert result.exit_code == 1 and "任务 99" in result.stderr
    assert not (tmp_path / "mini" / "site").exists()
    (data / "progress.yaml").write_text("")
    assert gongkai("site", "--data", data, "--as-of", "2021-07-01").exit_code == 0
    assert (tmp_path / "mini" / "site" / "index.html").is_file()


def test_jinja_stays_off_the_start_up_path():
    code = "import sys, gongkai_cli.cli.app; print(sorted(m for m in sys.modules if m.startswith('jinja2')))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"


def test_the_workflow_that_init_writes_publishes_the_site_from_the_main_branch():
    text = (REPO / "gongkai_cli" / "templates" / "gongkai.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text.replace("{version}", "1.0"))
    pages = workflow["jobs"]["pages"]
    assert pages["needs"] == "validate"
    assert (
        pages["if"]
        == "github.event_name == 'push' && github.ref_name == github.event.repository.default_branch"
    )
    assert pages["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = [step.get("uses") or step.get("run") for step in pages["steps"]]
    assert steps == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        'pip install "gongkai==1.0"',
        "gongkai site --out site",
        "actions/upload-pages-artifact@v3",
        "actions/deploy-pages@v4",
    ]
    assert pages["steps"][4]["with"] == {"path": "site"}
    assert pages["env"] == {"TZ": "Asia/Shanghai"}


def test_serve_answers_on_loopback_rebuilds_on_change_and_stops_on_ctrl_c(tmp_path):
    data = write_ledger(tmp_path / "mini")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "gongkai_cli", "site", "--serve", "--port", "0"]
    args = ["--data", str(data), "--as-of", "2021-07-01", "--out", str(tmp_path / "site")]
    server = subprocess.Popen(
        [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        server.stdout.readline()  # 已生成网站：…
        url = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline()).group()
        with urllib.request.urlopen(url + "tasks/1.html", timeout=5) as response:
            assert response.status == 200
            assert "新的说明" not in response.read().decode()
        with (data / "progress.yaml").open("a", encoding="utf-8") as log:
            log.write("- {date: 2021-06-01, task: 1, unit: 甲镇, status: 已完成, note: 新的说明}\n")
        for _ in range(40):  # at most 20 s
            time.sleep(0.5)
            with urllib.request.urlopen(url + "tasks/1.html", timeout=5) as response:
                if "新的说明" in response.read().decode():
                    break
        else:
            pytest.fail("the site was not rebuilt after the data changed")
        assert server.stdout.readline() == "数据已变化，网站已重新生成。\n"
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=10)
    assert server.returncode == 0, err
    assert out == "已停止。\n" and err == ""


def test_serve_on_a_port_in_use_says_so(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = gongkai(
            "site",
            "--data",
            data,
            "--as-of",
            "2021-07-01",
            "--out",
            tmp_path / "site",
            "--serve",
            "--port",
            port,
        )
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"错误：无法在 127.0.0.1:{port} 提供网站：端口已被占用。请用 --port 换一个端口。\n"
    )


def test_the_burn_up_ends_at_the_assignments_done_on_the_as_of_date(year):
    import datetime as dt

    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.model.book import Row
    from gongkai_cli.output.site.pages import burnup
    from gongkai_cli.record.audit import book_and_log

    book, _ = book_and_log(DataDir(year, "option"))
    day = dt.date(2021, 10, 31)
    chart = burnup(book, day)
    rows = [Row(book, n, day) for n in book.ledger.tasks]
    designated = [(row, a) for row in rows for a in row.assignments if a.designated]
    assert (chart.days[0], chart.days[-1]) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert chart.days[len(chart.done) - 1] == day
    assert chart.done[-1] == sum(a.done for _, a in designated) == 157
    assert chart.total == len(designated) == 1438
    assert chart.due[-1] == sum(row.deadline.date is not None for row, _ in designated)
    assert chart.due == sorted(chart.due)


def test_the_burn_up_counts_on_each_day_what_the_book_says_of_that_day(year):
    """Read off each assignment's updates in one pass, the counts are those of asking the
    book for every assignment on every day of the chart."""
    import datetime as dt

    from gongkai_cli.ledger.checked import open_book
    from gongkai_cli.ledger.datadir import DataDir
    from gongkai_cli.output.site.pages import burnup

    book = open_book(DataDir(year, "option"))
    day = dt.date(2021, 10, 31)
    chart = burnup(book, day)
    designated = [
        (n, a.unit) for n in book.ledger.tasks for a in book.assignments(n, day) if a.designated
    ]
    asked = [
        sum(bool((a := book.assignment(n, unit, d)) and a.done) for n, unit in designated)
        for d in chart.days
        if d <= day
    ]
    assert chart.done == asked
    assert asked[0] < asked[len(asked) // 2] < asked[-1]  # the counts do grow


def _times(folder: Path) -> dict[str, int]:
    """When each file of a folder was last written."""
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_a_rebuild_from_the_same_inputs_writes_nothing_but_restores_a_page_edited_by_hand(
    gongkai, tmp_path
):
    data = write_ledger(tmp_path / "mini")
    site = tmp_path / "site"
    first = gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    built, times = site_files(site), _times(site)
    result = gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    assert result.exit_code == 0
    assert "（总览、逾期通报、4 个任务页、6 个单位页）" in result.stdout == first.stdout
    assert _times(site) == times  # not a file written again, the manifest included
    (site / "tasks" / "1.html").write_text("改过", encoding="utf-8")
    gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    assert site_files(site) == built  # the page's new file has a stat of its own
    changed = {name for name, ns in _times(site).items() if ns != times[name]}
    assert changed == {"tasks/1.html", ".gongkai-site"}  # only the page that differed


def _pages_read(monkeypatch) -> list[str]:
    """The pages a build reads back to know they hold what they should."""
    from gongkai_cli.record import publish

    read, holding = [], publish._holding

    def counted(out, name, digest):
        read.append(name)
        return holding(out, name, digest)

    monkeypatch.setattr(publish, "_holding", counted)
    return read


def _age_manifest(site: Path, seconds: float) -> None:
    """Date the manifest `seconds` after (or, negative, before) it was written."""
    manifest = site / ".gongkai-site"
    ns = manifest.stat().st_mtime_ns + int(seconds * 1e9)
    os.utime(manifest, ns=(ns, ns))


def test_a_rebuild_trusts_a_page_whose_stat_is_as_written_and_reads_any_other(
    gongkai, tmp_path, monkeypatch
):
    data = write_ledger(tmp_path / "mini")
    site = tmp_path / "site"
    gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    built = site_files(site)
    _age_manifest(site, 1)  # the pages were written well before the manifest
    read = _pages_read(monkeypatch)
    gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    assert read == [] and site_files(site) == built  # not one page read back
    # Edited in place, its size and its modification time kept: the change time tells.
    page = site / "tasks" / "1.html"
    before = page.stat()
    page.write_bytes(page.read_bytes().replace("任务 1".encode(), "任务 9".encode()))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (page.stat().st_size, page.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    assert set(read) == {"tasks/1.html"}  # only the page whose stat changed
    assert site_files(site) == built  # the page written again


def test_a_page_changed_as_late_as_the_manifest_was_written_is_read_not_trusted(
    gongkai, tmp_path, monkeypatch
):
    """Within one tick of the file system's clock a page could change after the manifest
    was written and keep its time stamps: such a page is read back, not trusted."""
    data = write_ledger(tmp_path / "mini")
    site = tmp_path / "site"
    gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    _age_manifest(site, -1)  # every page as late as the manifest, or later
    read = _pages_read(monkeypatch)
    gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    pages = [n for n in files_of(site) if n != ".gongkai-site"]
    assert sorted(read) == sorted(pages)


def test_a_rebuild_after_the_log_or_the_day_changed_renders_the_site_again(gongkai, tmp_path):
    data = write_ledger(tmp_path / "mini")
    site = tmp_path / "site"
    gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    first = files_of(site)
    gongkai("site", "--data", data, "--as-of", "2021-07-02", "--out", site)
    assert "2021年7月2日" in files_of(site)["index.html"].decode()
    with (data / "progress.yaml").open("a", encoding="utf-8") as log:
        log.write("- {date: 2021-06-01, task: 1, unit: 县财政局, status: 已完成, note: 已公开}\n")
    gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    again = files_of(site)
    assert again["tasks/1.html"] != first["tasks/1.html"]
    assert "已公开" in again["tasks/1.html"].decode()


def test_a_long_log_is_paged_newest_first_and_every_page_names_the_others(
    gongkai, tmp_path, monkeypatch
):
    from gongkai_cli.output.site import pages

    monkeypatch.setattr(pages, "TIMELINE_PAGE", 2)
    days = ["2021-03-01", "2021-04-01", "2021-05-01", "2021-06-01", "2021-06-02"]
    log = "".join(
        f"- {{date: {day}, task: 1, unit: 县财政局, status: 进行中, note: 第{i}次}}\n"
        for i, day in enumerate(days, start=1)
    )
    data = write_ledger(tmp_path / "mini", progress=log)
    site = tmp_path / "site"
    result = gongkai("site", "--data", data, "--as-of", "2021-07-01", "--out", site)
    assert "（总览、逾期通报、4 个任务页、" in result.stdout  # a task counted once
    files = files_of(site)
    assert sorted(n for n in files if n.startswith("tasks/1")) == [
        "tasks/1-2.html",
        "tasks/1-3.html",
        "tasks/1.html",
    ]
    listed = [
        re.findall(r"第(\d)次", files[f"tasks/{name}"].decode().split('<ol class="timeline">')[1])
        for name in ("1.html", "1-2.html", "1-3.html")
    ]
    assert listed == [["5", "4"], ["3", "2"], ["1"]]
    nav = (
        '<nav class="pages">分页（新的在前）：<strong>2021年6月1日至2021年6月2日</strong>｜'
        '<a href="1-2.html">2021年4月1日至2021年5月1日</a>｜'
        '<a href="1-3.html">2021年3月1日至2021年3月1日</a></nav>'
    )
    assert nav in files["tasks/1.html"].decode()
    assert '<a href="1.html">2021年6月1日至2021年6月2日</a>' in files["tasks/1-3.html"].decode()
    assert 'class="pages"' not in files["tasks/2.html"].decode()  # a short log: one page


def test_a_rebuild_after_any_one_input_changed_is_the_site_built_afresh(
    gongkai, ledger, tmp_path, monkeypatch
):
    """Each input the rebuild checks, changed alone: a unit's name as shown in units.yaml,
    a kept evidence file rewritten at the same size with its time put back, the commit
    the footer names (amended), the day. The site rebuilt in place is, byte for byte, the
    site built into an empty folder."""
    monkeypatch.chdir(ledger)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-07-01")
    (tmp_path / "截图.txt").write_text("公开截图\n", encoding="utf-8")
    attach = ("--attach", tmp_path / "截图.txt", "--date", "2021-06-20")
    assert gongkai("update", "7", "-u", "县财政局", "-s", "done", *attach).exit_code == 0
    site, fresh = ledger / "site", iter(range(10))

    def rebuilt_as_afresh(*more: str) -> None:
        assert gongkai("site", "--out", site, *more).exit_code == 0
        empty = tmp_path / f"fresh{next(fresh)}"
        assert gongkai("site", "--out", empty, *more).exit_code == 0
        assert site_files(site) == site_files(empty)

    rebuilt_as_afresh()
    units = ledger / "data" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace("full_name: 濉溪县财政局", "full_name: 濉溪县财政局（改）"))
    rebuilt_as_afresh()
    kept = next((ledger / "data" / "evidence").iterdir())
    stamp = kept.stat()
    kept.write_bytes(kept.read_bytes().replace("公开".encode(), "发布".encode()))
    os.utime(kept, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    rebuilt_as_afresh()
    git(ledger, "commit", "-qm", "改名", "--", "data/units.yaml")
    rebuilt_as_afresh()
    git(ledger, "commit", "-q", "--amend", "-m", "改名（修订）")
    rebuilt_as_afresh()
    rebuilt_as_afresh("--as-of", "2021-06-30")

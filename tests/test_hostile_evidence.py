"""Evidence files come from outside the office: a unit sends what it calls its proof. The site
publishes kept files on the government's own web address, so a page or a script among them
would run there as the site's own: such a file is kept without the suffix that makes a
browser run it, and the site never publishes one a hand-edited log names."""

from __future__ import annotations

import hashlib

from tests.test_supervision_commands import office, ok  # noqa: F401 — the fixture

PAGE = b"<script>document.title='pwned'</script>"


def test_an_attached_web_page_is_kept_as_plain_bytes_without_its_suffix(gongkai, office):  # noqa: F811
    page = office.parent / "证明.html"
    page.write_bytes(PAGE)
    digest = hashlib.sha256(PAGE).hexdigest()

    ok(gongkai, "update", "1", "-u", "甲镇", "-s", "进行中", "--attach", page)

    assert sorted(p.name for p in (office / "data" / "evidence").iterdir()) == [digest]
    ok(gongkai, "site", "--out", "site", "--as-of", "2021-11-20")
    assert sorted(p.name for p in (office / "site" / "evidence").iterdir()) == [digest]


def test_a_kept_web_page_a_log_names_is_an_error_and_is_not_published(gongkai, office):  # noqa: F811
    digest = hashlib.sha256(PAGE).hexdigest()
    kept = office / "data" / "evidence"
    kept.mkdir()
    for suffix in (".html", ".svg"):
        (kept / f"{digest}{suffix}").write_bytes(PAGE)
    (office / "data" / "progress.yaml").write_text(
        "- {id: uuu1, date: 2021-06-10, task: 1, unit: 甲镇, status: 进行中, "
        f'evidence: ["evidence/{digest}.html", "evidence/{digest}.svg"]}}\n',
        encoding="utf-8",
    )

    problems = [line for line in gongkai("validate").stdout.splitlines() if "error" in line]
    assert problems == [
        f"data/progress.yaml:1:74: error: 佐证文件“evidence/{digest}.html”是网页或脚本，"
        "发布到网站上会在网站中运行，不能作为佐证保存。",
        f"data/progress.yaml:1:74: error: 佐证文件“evidence/{digest}.svg”是网页或脚本，"
        "发布到网站上会在网站中运行，不能作为佐证保存。",
    ]

    result = gongkai("site", "--out", "site", "--as-of", "2021-11-20")
    published = office / "site" / "evidence"
    assert not published.exists() or not list(published.iterdir()), result.stdout


def test_a_link_with_an_escape_sequence_or_a_bidi_control_is_refused(gongkai, office):  # noqa: F811
    before = (office / "data" / "progress.yaml").read_bytes()
    messages = []
    for link in ("https://e.org/\x1b[31m", "https://e.org/\u202egpj.exe"):
        result = gongkai("update", "1", "-u", "甲镇", "-s", "进行中", "--evidence", link)
        assert result.exit_code == 1
        messages.append(result.stderr.strip())

    assert messages == [
        "错误：佐证链接'https://e.org/\\x1b[31m'中含有不允许的字符 U+001B"
        "（Excel、Word 和终端都无法正确显示）；未写入。",
        "错误：佐证链接'https://e.org/\\u202egpj.exe'中含有双向文字控制符 U+202E"
        "（会打乱文字的显示顺序，看到的与写下的不同）；未写入。",
    ]
    assert (office / "data" / "progress.yaml").read_bytes() == before


def test_a_file_or_folder_where_evidence_is_kept_is_one_sentence(gongkai, office, tmp_path):  # noqa: F811
    document = tmp_path / "a.png"
    document.write_bytes(b"png")
    name = f"evidence/{hashlib.sha256(b'png').hexdigest()}.png"
    before = (office / "data" / "progress.yaml").read_bytes()
    folder = office / "data" / "evidence"

    def attach() -> str:
        result = gongkai("update", "1", "-u", "甲镇", "-s", "进行中", "--attach", document)
        assert result.exit_code == 1
        return result.stderr.strip()

    folder.write_text("committed in the folder's place\n", encoding="utf-8")
    messages = [attach()]
    folder.unlink()
    (office / "data" / name).mkdir(parents=True)
    messages.append(attach())

    assert messages == [
        f"错误：无法保存佐证文件 {name}：File exists（请检查数据目录中的 evidence）；未写入。",
        f"错误：无法保存佐证文件 {name}：Is a directory（请检查数据目录中的 evidence）；未写入。",
    ]
    assert (office / "data" / "progress.yaml").read_bytes() == before


def test_a_file_of_the_repositorys_git_folder_is_not_attached(gongkai, office, tmp_path):  # noqa: F811
    (tmp_path / "配置.txt").symlink_to(office / ".git" / "config")
    before = (office / "data" / "progress.yaml").read_bytes()
    messages = []
    for source in (".git/config", tmp_path / "配置.txt"):
        result = gongkai("update", "1", "-u", "甲镇", "-s", "进行中", "--attach", source)
        assert result.exit_code == 1
        messages.append(result.stderr.strip())

    assert messages == [
        f"错误：佐证文件 {source} 在 git 仓库的内部目录 .git 中，不能作为佐证材料；未写入。"
        for source in (".git/config", tmp_path / "配置.txt")
    ]
    assert (office / "data" / "progress.yaml").read_bytes() == before
    assert not (office / "data" / "evidence").exists()

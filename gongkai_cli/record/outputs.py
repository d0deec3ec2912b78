"""Where gongkai may write or delete: the repository is untrusted input.

A clone can commit what `.gitignore` hides (`site/`, `reports/`) as links pointing anywhere,
so a path inside the ledger is walked component by component without following a link; the
git directory and the data files are never an output, however the path reaches them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gongkai_cli.errors import WriteFailed

GIT_DIR = ".git"


class OutputRefused(WriteFailed):
    """An output path that would write through a link, into .git, or over a data file."""


def _lexical(path: Path) -> Path:
    return Path(os.path.abspath(path))  # `..` folded, no link followed


def check_output(
    path: Path, root: Path | None = None, data_files: tuple[Path, ...] = (), what: str = "输出"
) -> None:
    """Refuse `path` as a file to write (or delete) when it lies in a git directory, is one
    of `data_files`, or is reached through a link below `root` (the ledger, or the output
    folder itself). A link in place of the file itself is `write_output`'s to refuse."""
    lexical = _lexical(path)
    real = lexical.parent.resolve() / lexical.name
    if GIT_DIR in lexical.parts or GIT_DIR in real.parts:
        raise OutputRefused(f"{path} 在 git 仓库目录（{GIT_DIR}）中，不能作为输出；未写入。")
    for data in data_files:
        if lexical == _lexical(data) or real == data.resolve():
            raise OutputRefused(f"{path} 是台账的数据文件，{what}不能写到这里。")
    if root is None:
        return
    # The ledger as the path names it, or by its real path (the ledger found through a
    # link of the user's, the output given by its real path): either way, walk below it.
    base = next(
        (b for b in (_lexical(root), root.resolve()) if lexical.parent.is_relative_to(b)), None
    )
    if base is None:
        return
    for part in _below(base, lexical.parent):
        try:
            info = part.lstat()
        except FileNotFoundError:
            return  # nothing below a missing folder exists yet
        except OSError as exc:
            raise OutputRefused(f"无法写入 {part}：{exc.strerror}。") from None
        if stat.S_ISLNK(info.st_mode):
            raise OutputRefused(
                f"{part} 是符号链接（可能随仓库提交而来）；gongkai 不通过链接写入或删除文件，未写入。"
            )


def _below(base: Path, path: Path) -> list[Path]:
    """Each path from just below `base` down to `path`."""
    found, current = [], base
    for part in path.relative_to(base).parts:
        current = current / part
        found.append(current)
    return found


def check_ledger_output(path: Path, found, what: str) -> None:
    """`path` as an output (`what`: 报表, 网站, …) of the ledger `found`: never in .git, never
    a data file, never reached through a link in the ledger."""
    from gongkai_cli.ledger.datadir import PROGRESS, TASKS, UNITS

    if found.bundled:
        check_output(path, what=what)
        return
    files = tuple(found.file(n) for n in (TASKS, UNITS, PROGRESS))
    check_output(path, found.path.parent, files, what)

"""Keep attached files as evidence: copied into the data directory's evidence/, named by the
SHA-256 of their bytes, so the same document attached twice is stored (and committed) once."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from gongkai_cli.errors import InvalidValue
from gongkai_cli.ledger.evidence import FOLDER, kept_suffix
from gongkai_cli.ledger.files import UnsafeFile, read_bytes
from gongkai_cli.record.atomic import atomic_write
from gongkai_cli.record.outputs import check_output

_SUFFIX = re.compile(r"\.[0-9A-Za-z]{1,10}")


def read_attachments(sources: tuple[Path, ...]) -> list[tuple[str, bytes]]:
    """Each attached file as (its name under the data directory, its bytes); a missing,
    special or oversized file is refused by name before anything is written."""
    kept = []
    for source in sources:
        if ".git" in source.resolve().parts:
            # What git keeps (a remote's address with its token, objects) is never evidence,
            # and whatever is attached is published with the site.
            raise InvalidValue(
                f"佐证文件 {source} 在 git 仓库的内部目录 .git 中，不能作为佐证材料；未写入。",
                str(source),
            )
        try:
            data = read_bytes(source, shown=str(source))
        except FileNotFoundError:
            raise InvalidValue(f"佐证文件 {source} 不存在；未写入。", str(source)) from None
        except IsADirectoryError:
            raise InvalidValue(
                f"佐证文件 {source} 是目录，不是文件；未写入。", str(source)
            ) from None
        except (UnsafeFile, OSError) as exc:
            raise InvalidValue(f"佐证文件无法读取：{exc}；未写入。", str(source)) from None
        suffix = kept_suffix(source.suffix) if _SUFFIX.fullmatch(source.suffix) else ""
        kept.append((f"{FOLDER}/{hashlib.sha256(data).hexdigest()}{suffix}", data))
    return kept


def keep(data_dir: Path, attachments: list[tuple[str, bytes]]) -> tuple[list[Path], list[Path]]:
    """Write the attachments not kept yet. Returns the paths of all of them (to commit with
    the log) and of those written now (to remove if the record fails)."""
    kept, written = [], []
    try:
        for ref, data in dict(attachments).items():
            path = data_dir / ref
            check_output(path, data_dir)  # a committed `evidence` link must lead nowhere
            kept.append(path)
            if path.is_file() and not path.is_symlink():
                continue  # the same bytes, kept before: its name says so (validate checks)
            try:
                path.parent.mkdir(exist_ok=True)
                atomic_write(path, data)
            except OSError as exc:  # a committed `evidence` file, or a folder in the file's place
                raise InvalidValue(
                    f"无法保存佐证文件 {ref}：{exc.strerror}（请检查数据目录中的 {FOLDER}）；未写入。",
                    ref,
                ) from None
            written.append(path)
    except BaseException:
        for path in written:  # nothing of a failed record stays behind
            path.unlink(missing_ok=True)
        raise
    return kept, written

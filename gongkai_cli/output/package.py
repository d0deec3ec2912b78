"""Office files (xlsx, docx) made byte-for-byte reproducible.

openpyxl and python-docx stamp the 'modified' property and every zip entry with the wall
clock when they save; the same data and date must give the same bytes, so both are pinned.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

# One file of a package: its name, its content, and its zip entry's external attributes.
Part = tuple[str, bytes, int]


def reproducible(data: bytes, day: dt.date) -> bytes:
    """Re-zip with every entry dated 1980-01-01 and the 'modified' property set to `day`."""
    return zipped(parts(data, day))


def parts(data: bytes, day: dt.date) -> list[Part]:
    """The files of a saved package, in its order, with the 'modified' property set to `day`."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    found = []
    for info in source.infolist():
        content = source.read(info.filename)
        if info.filename == "docProps/core.xml":
            content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
        found.append((info.filename, content, info.external_attr))
    return found


def zipped(files: Iterable[Part]) -> bytes:
    """The package of `files`, in that order, every entry dated 1980-01-01."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content, external_attr in files:
            pinned = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = external_attr
            target.writestr(pinned, content)
    return out.getvalue()

"""Office files (xlsx, docx) made byte-for-byte reproducible.

openpyxl and python-docx stamp the 'modified' property and every zip entry with the wall
clock when they save; the same data and date must give the same bytes, so both are pinned.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def reproducible(data: bytes, day: dt.date) -> bytes:
    """Re-zip with every entry dated 1980-01-01 and the 'modified' property set to `day`."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            pinned = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            target.writestr(pinned, content)
    return out.getvalue()

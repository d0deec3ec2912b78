"""JSON output: the payloads of the public contract, keys in English."""

from __future__ import annotations

import json


def render_payload(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render_view(view, payload, *, wide: bool = False) -> str:
    return render_payload(payload())


def render_document(doc, options=None) -> str:
    return render_payload(doc.payload)

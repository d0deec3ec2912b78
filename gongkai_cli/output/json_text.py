"""JSON output: the payloads of the public contract, keys in English."""

from __future__ import annotations

import json

from gongkai_cli.output.text import terminal


def render_payload(payload) -> str:
    # JSON escapes C0 controls but not C1, bidi overrides or lone surrogates: those are
    # written as \uXXXX escapes too, which read back as the same strings.
    return terminal(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n"


def render_view(view, payload, *, wide: bool = False, env=None) -> str:
    return render_payload(payload())


def render_document(doc, options=None) -> str:
    return render_payload(doc.payload)

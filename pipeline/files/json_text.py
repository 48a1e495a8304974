"""JSON written for people to read and diff, at the C encoder's speed.

`json.dumps(indent=2)` goes through the standard library's pure-Python encoder (the C one serves `indent=None`
only), which made rendering a 2,000-row release's reviewed.json a large share of an import. Here a container that
holds other non-empty dicts is indented, a key per line; a record (a dict none of whose values is a non-empty
dict, a list of records, a scalar) is one compact line from the C encoder: one segment per line, which is also
what a reader of a diff wants. `json.loads` reads the result back to the same value.
"""

from __future__ import annotations

import json
from typing import Any


def readable(value: Any, *, ensure_ascii: bool = False, indent: str = "  ") -> str:
    """`value` as JSON, indented down to its records, each record on one line."""
    return _render(value, ensure_ascii, indent, "")


def _nests(value: Any) -> bool:
    if isinstance(value, dict) and not all(isinstance(key, str) for key in value):
        return False  # keys such as 1, True or None: json.dumps writes them its own way ("1", "true", "null")
    children = value.values() if isinstance(value, dict) else value
    return any(isinstance(child, dict) and child and (isinstance(value, dict) or _nests(child)) for child in children)


def _render(value: Any, ensure_ascii: bool, indent: str, at: str) -> str:
    if not isinstance(value, (dict, list)) or not _nests(value):
        return json.dumps(value, ensure_ascii=ensure_ascii)
    inner = at + indent
    if isinstance(value, dict):
        items = [
            f"{inner}{json.dumps(key, ensure_ascii=ensure_ascii)}: {_render(v, ensure_ascii, indent, inner)}"
            for key, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + at + "}"
    items = [inner + _render(v, ensure_ascii, indent, inner) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + at + "]"

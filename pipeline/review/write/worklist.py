"""The worklist at the top of each review document, and printed by `translate review import` per document: rows
that need attention (flags by kind), rows taken from the memory, names not in the glossary.

Built from the same facts in both places (the run's translations, or the manifest that recorded them), so the
import can tell the line the run wrote from anything a reviewer typed in the header."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# Flags that inform and ask for nothing: where a text came from, a suggestion offered.
INFORMATIVE = frozenset({"memory", "tm-suggestion", "machine-version", "glossary-recovered", "placeholder-altered"})


@dataclass
class Worklist:
    attention: dict[str, int] = field(default_factory=dict)  # flag code → rows
    rows_attention: int = 0
    from_memory: int = 0
    uncovered: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line: what needs the reviewer first."""
        if self.rows_attention:
            kinds = ", ".join(f"{n} {code}" for code, n in sorted(self.attention.items(), key=lambda kv: (-kv[1], kv[0])))
            parts = [f"{self.rows_attention} row(s) need attention ({kinds})"]
        else:
            parts = ["no row flagged"]
        if self.from_memory:
            parts.append(f"{self.from_memory} row(s) from the memory (approved before; check them against the glossary)")
        if self.uncovered:
            parts.append(f"{len(self.uncovered)} name(s) not in the glossary")
        return "; ".join(parts)


def worklist(rows: Iterable[tuple[str, Iterable[str]]], uncovered: Iterable[str] = ()) -> Worklist:
    """`rows`: (origin, flag codes) per segment of one language."""
    result = Worklist(uncovered=list(uncovered))
    for origin, codes in rows:
        if origin == "verbatim":
            continue
        if origin == "memory":
            result.from_memory += 1
        needing = sorted({code for code in codes if code not in INFORMATIVE})
        if needing:
            result.rows_attention += 1
            for code in needing:
                result.attention[code] = result.attention.get(code, 0) + 1
    return result


def after_import(rows: Iterable[tuple[str, Iterable[str]]]) -> Worklist:
    """What still needs the reviewer after an import: `rows` is (id, kinds) per row, the kinds being the row's
    status where it is not approved (pipeline/review/status.py: needs-glossary-review, check error, draft) and
    `formatting-lost` (bold, italic or a link of the machine text gone from the reviewed cell)."""
    result = Worklist()
    for _, kinds in rows:
        needing = sorted(set(kinds))
        if needing:
            result.rows_attention += 1
            for kind in needing:
                result.attention[kind] = result.attention.get(kind, 0) + 1
    return result


def from_manifest(manifest: dict, lang: str) -> Worklist:
    rows = []
    for segment in manifest.get("segments") or []:
        target = (segment.get("targets") or {}).get(lang) or {}
        rows.append((target.get("origin", "machine"), [f.get("code", "") for f in target.get("flags") or []]))
    return worklist(rows, (manifest.get("glossary") or {}).get("uncovered_names") or [])

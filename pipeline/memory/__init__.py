"""The translation memory: reviewed translations, reused by the next run (docs/review.md).

    store = MemoryStore(default_memory_path())          # output/memory.sqlite, or $TRANSLATE_MEMORY
    store.lookup(segment, "zh-TW")                       # an approved translation of this exact source, or None
    store.suggest(segment, "zh-TW")                      # a close match (rapidfuzz ratio ≥ 85) to show the reviewer

`exchange` moves the memory to and from CAT tools (TMX 1.4, XLIFF 2.0).
"""

from __future__ import annotations

from pipeline.memory.store import (
    APPROVED,
    DRAFT,
    ENV_VAR,
    FUZZY_THRESHOLD,
    NEEDS_GLOSSARY_REVIEW,
    NEEDS_REVIEW,
    STATUSES,
    AddResult,
    MemoryEntry,
    MemoryStore,
    NewEntry,
    default_memory_path,
    open_run_memory,
)

__all__ = [
    "APPROVED",
    "DRAFT",
    "ENV_VAR",
    "FUZZY_THRESHOLD",
    "NEEDS_GLOSSARY_REVIEW",
    "NEEDS_REVIEW",
    "STATUSES",
    "AddResult",
    "MemoryEntry",
    "MemoryStore",
    "NewEntry",
    "default_memory_path",
    "open_run_memory",
]

"""What `translate run` translates into when no --to is given, and the forms a glossary must have by default."""

from __future__ import annotations

DEFAULT_TARGETS: tuple[str, ...] = ("zh-TW", "ja")

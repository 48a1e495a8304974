"""Where the repository's sample release lies, and the glossary the tests use: a frozen copy of the office's
(tests/fixtures/office-glossary/), never glossaries/ itself, which is the office's data to edit."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"
GLOSSARY = ROOT / "tests" / "fixtures" / "office-glossary"
SHIPPED_GLOSSARY = ROOT / "glossaries"  # only for tests that hold for any valid glossary

"""Where the repository's sample release and shipped glossary lie."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"
GLOSSARY = ROOT / "glossaries"

"""Glossary file formats: YAML (the project's own, see docs/glossary.md), CSV (for Excel) and TBX (ISO 30042)."""

from __future__ import annotations

from pathlib import Path

from pipeline.glossary.formats.base import GlossaryFormat, Record, build_entry, entry_record
from pipeline.glossary.formats.csv_format import CsvFormat
from pipeline.glossary.formats.tbx_format import TbxFormat
from pipeline.glossary.formats.yaml_format import YamlFormat

__all__ = ["FORMATS", "GlossaryFormat", "Record", "build_entry", "entry_record", "format_for"]

FORMATS: dict[str, GlossaryFormat] = {f.name: f for f in (YamlFormat(), CsvFormat(), TbxFormat())}


def format_for(path: Path) -> GlossaryFormat | None:
    """The format of a file, by its suffix (.yaml/.yml, .csv, .tbx); None for anything else."""
    suffix = Path(path).suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt
    return None

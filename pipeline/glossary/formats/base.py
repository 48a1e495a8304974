"""What every glossary file format provides, and the schema check they share.

A reader turns a file into plain records (dicts of the fields in docs/glossary.md, with the line of each field)
and hands them to `build_entry`, which checks types and values and builds the `Entry`. Problems are collected,
not raised, so that `translate glossary check` can report all of them with file:line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pipeline.core.limits import GLOSSARY_TERM_MAX_CHARS
from pipeline.glossary.language_keys import language_key_problem
from pipeline.glossary.model import DO_NOT_TRANSLATE, FIELDS, KINDS, STATUSES, Entry, Problem
from pipeline.glossary.people.names import build_person
from pipeline.glossary.people.titles import INSTITUTION_TYPES

__all__ = ["CONTROL_CHARACTERS", "GlossaryFormat", "Record", "build_entry", "control_character_message", "entry_record", "one_line", "parse_bool"]

ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

# Characters no glossary text holds: C0 controls other than tab and line breaks, DEL, C1 controls. A file that has
# one (a NUL byte above all) is binary, damaged or not what it claims to be.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character_message(char: str) -> str:
    name = "a NUL byte" if char == "\x00" else f"control character U+{ord(char):04X}"
    return f"{name} in the file (it looks binary or damaged); open it in a text editor and save it again as UTF-8"


def one_line(message: str) -> str:
    """A parser's message on one line (PyYAML's and lxml's span two or more)."""
    return re.sub(r"\s*\n\s*", " ", message).strip()


class Record:
    """One entry as read from a file, before checking: values plus the line of the entry and of its fields."""

    __slots__ = ("values", "file", "line", "lines")

    def __init__(self, values: dict[str, Any], file: Path, line: int, lines: dict[str, int] | None = None):
        self.values = values
        self.file = file
        self.line = line
        self.lines = lines or {}


class GlossaryFormat:
    name = ""
    suffixes: tuple[str, ...] = ()

    def read(self, path: Path) -> tuple[list[Entry], list[Problem]]:
        raise NotImplementedError

    def dumps(self, entries: list[Entry]) -> bytes:
        raise NotImplementedError


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def parse_bool(value: Any) -> bool | None:
    """True/False for YAML booleans and the words CSV users type; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("yes", "true", "y", "1"):
            return True
        if word in ("no", "false", "n", "0"):
            return False
    return None


def build_entry(record: Record, problems: list[Problem]) -> Entry | None:
    """Check one record against the schema; the Entry, or None (with problems added) if it cannot be used."""
    values, file, lines = record.values, str(record.file), record.lines
    before = len(problems)

    def bad(key: str | None, message: str) -> None:
        line = lines.get(key, record.line) if key else record.line
        problems.append(Problem("schema", message, file=file, line=line, entry=entry_id))

    raw_id = values.get("id")
    entry_id = raw_id if _is_text(raw_id) else None
    for key in values:
        if key not in FIELDS:
            bad(key, f"unknown field {key!r} (fields: {', '.join(FIELDS)})")

    if raw_id is None or raw_id == "":
        bad(None, "entry without an id")
    elif not _is_text(raw_id) or not ID_PATTERN.match(raw_id):
        bad("id", f"id {raw_id!r} must start with a letter and hold only letters, digits, '.', '_' and '-'")

    english = values.get("english")
    if english is None or english == "":
        bad(None, f"entry {entry_id or '?'} has no 'english' form")
    elif not _is_text(english):
        bad("english", f"'english' must be text, not {_type(english)}")

    variants = _variants(values, bad)

    abbreviations = _abbreviations(values, bad)

    raw_targets = values.get("targets") or {}
    if not isinstance(raw_targets, dict):
        bad("targets", f"'targets' must be a mapping language → form, not {_type(raw_targets)}")
        raw_targets = {}
    targets = _targets(raw_targets, "targets.", bad, "target")

    kind = values.get("kind")
    if kind is None or kind == "":
        kind = "term"
    elif kind not in KINDS:
        bad("kind", f"kind {kind!r} is not one of: {', '.join(KINDS)}")

    status = values.get("status")
    if status is None or status == "":
        status = "approved"
    elif status not in STATUSES:
        bad("status", f"status {status!r} is not one of: {', '.join(STATUSES)}")

    languages = set(targets) | {lang for own in abbreviations.values() for lang in own}
    target_status = _target_status(values, bad, status, kind, languages)

    note = values.get("note")
    if note is None:
        note = ""
    elif not _is_text(note):
        bad("note", f"'note' must be text, not {_type(note)}")

    flags = _flags(values, bad)

    person: dict = {}
    if values.get("person") is not None:
        person = build_person(values["person"], bad)
    institution_type = values.get("institution_type") or ""
    if institution_type:
        if institution_type not in INSTITUTION_TYPES:
            bad("institution_type", f"institution_type {institution_type!r} is not one of: {', '.join(INSTITUTION_TYPES)}")

    _too_long(english, variants, abbreviations, targets, bad)

    if len(problems) > before:
        return None
    return Entry(
        id=raw_id,
        english=english,
        targets=targets,
        variants=list(variants),
        abbreviations=abbreviations,
        kind=kind,
        status=status,
        note=note,
        case_sensitive=flags["case_sensitive"],
        allow_traditional_in_ja=bool(flags["allow_traditional_in_ja"]),
        target_status=target_status,
        person=person,
        institution_type=institution_type,
        source=record.file,
        line=record.line,
        lines=dict(lines),
    )


def _too_long(english: Any, variants: list[str], abbreviations: dict[str, dict[str, str]], targets: dict[str, str],
              bad) -> None:
    """Forms over GLOSSARY_TERM_MAX_CHARS: a schema problem, so that no command builds a matcher with one."""
    forms = [("english", "'english'", english)] if _is_text(english) else []
    forms += [(f"variants[{i}]", f"variant {i + 1}", v) for i, v in enumerate(variants)]
    for abbreviation, own in abbreviations.items():
        key = f"abbreviations.{abbreviation}"
        forms.append((key, "an abbreviation", abbreviation))
        forms += [(f"{key}.{lang}", f"the {lang} form of an abbreviation", form) for lang, form in own.items()]
    forms += [(f"targets.{lang}", f"the {lang} target", form) for lang, form in targets.items()]
    for key, label, form in forms:
        if len(form) > GLOSSARY_TERM_MAX_CHARS:
            start = one_line(form[:40])
            bad(key, f"{label} is {len(form):,} characters long (it starts {start!r}…), over the "
                     f"{GLOSSARY_TERM_MAX_CHARS}-character limit for a glossary term: is a whole text in that "
                     "field? Put a name there (docs/glossary.md)")  # fmt: skip


def _variants(values: dict[str, Any], bad) -> list[str]:
    variants = values.get("variants") or []
    if _is_text(variants):
        variants = [variants]
    if not isinstance(variants, list):
        bad("variants", f"'variants' must be a list of English forms, not {_type(variants)}")
        variants = []
    for i, variant in enumerate(variants):
        if not _is_text(variant) or not variant:
            bad(f"variants[{i}]", f"variant {i + 1} must be non-empty text, not {variant!r}")
    variants = [v for v in variants if _is_text(v) and v]
    return variants


def _abbreviations(values: dict[str, Any], bad) -> dict[str, dict[str, str]]:
    abbreviations: dict[str, dict[str, str]] = {}
    raw_abbr = values.get("abbreviations") or {}
    if _is_text(raw_abbr):
        raw_abbr = [raw_abbr]
    if isinstance(raw_abbr, list):
        for i, item in enumerate(raw_abbr):
            if not _is_text(item) or not item:
                bad(f"abbreviations[{i}]", f"abbreviation {i + 1} must be non-empty text, not {item!r}")
            elif item in abbreviations:
                bad(f"abbreviations[{i}]", f"abbreviation {item!r} listed twice")
            else:
                abbreviations[item] = {}
    elif isinstance(raw_abbr, dict):
        for item, own in raw_abbr.items():
            key = f"abbreviations.{item}"
            if not _is_text(item) or not item:
                bad(key, f"abbreviation must be non-empty text, not {item!r}")
                continue
            if own is None:
                own = {}
            if not isinstance(own, dict):
                bad(key, f"abbreviation {item!r}: its targets must be a mapping language → form, not {_type(own)}")
                continue
            abbreviations[item] = _targets(own, f"{key}.", bad, f"abbreviation {item!r}")
    else:
        bad("abbreviations", f"'abbreviations' must be a list or a mapping, not {_type(raw_abbr)}")
    return abbreviations


def _target_status(values: dict[str, Any], bad, status: str, kind: str, languages: set[str]) -> dict[str, str]:
    """The per-language statuses that differ from the entry's `status` (for languages the entry has forms in)."""
    target_status: dict[str, str] = {}
    raw_status = values.get("target_status") or {}
    if not isinstance(raw_status, dict):
        bad("target_status", f"'target_status' must be a mapping language → status, not {_type(raw_status)}")
        raw_status = {}
    for lang, value in raw_status.items():
        key = f"target_status.{lang}"
        if language_key_problem(lang) is not None:
            bad(key, language_key_problem(lang))
        elif value not in STATUSES:
            bad(key, f"status {value!r} for {lang} is not one of: {', '.join(STATUSES)}")
        elif kind != DO_NOT_TRANSLATE and lang not in languages:
            bad(key, f"target_status for {lang}, but the entry has no {lang} target")
        elif value != status:
            target_status[lang] = value  # the same as the entry's status: nothing to keep
    return target_status


def _flags(values: dict[str, Any], bad) -> dict[str, bool | None]:
    """`case_sensitive` and `allow_traditional_in_ja`: True, False, or None when not given."""
    flags: dict[str, bool | None] = {}
    for key in ("case_sensitive", "allow_traditional_in_ja"):
        raw = values.get(key)
        if raw is None or raw == "":
            flags[key] = None
            continue
        flags[key] = parse_bool(raw)
        if flags[key] is None:
            bad(key, f"{key!r} must be true or false, not {raw!r}")
    return flags


def _targets(raw: dict, prefix: str, bad, what: str) -> dict[str, str]:
    result = {}
    for lang, form in raw.items():
        key = f"{prefix}{lang}"
        unknown = language_key_problem(lang)
        if unknown is not None:
            bad(key, unknown)
            continue
        if form is None or form == "":
            bad(key, f"{what} for {lang} is empty (leave the language out instead)")
            continue
        if not _is_text(form):
            bad(key, f"{what} for {lang} must be text, not {_type(form)}")
            continue
        result[lang] = form
    return result


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def entry_record(entry: Entry) -> dict[str, Any]:
    """An entry as the ordered plain data the writers emit; defaults left out."""
    data: dict[str, Any] = {"id": entry.id, "english": entry.english}
    if entry.variants:
        data["variants"] = list(entry.variants)
    if entry.abbreviations:
        if any(entry.abbreviations.values()):
            data["abbreviations"] = {a: dict(t) for a, t in entry.abbreviations.items()}
        else:
            data["abbreviations"] = list(entry.abbreviations)
    data["kind"] = entry.kind
    data["status"] = entry.status
    if entry.target_status:
        data["target_status"] = dict(entry.target_status)
    if entry.targets:
        data["targets"] = dict(entry.targets)
    if entry.case_sensitive is not None:
        data["case_sensitive"] = entry.case_sensitive
    if entry.allow_traditional_in_ja:
        data["allow_traditional_in_ja"] = True
    if entry.institution_type:
        data["institution_type"] = entry.institution_type
    if entry.person:
        data["person"] = {k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v)
                          for k, v in entry.person.items()}  # fmt: skip
    if entry.note:
        data["note"] = entry.note
    return data

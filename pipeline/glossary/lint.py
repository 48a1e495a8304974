"""`translate glossary check` on the glossary itself: what makes its content wrong (docs/glossary.md, "Check").

`lint(entries)` finds one code per class:

    duplicate-form        the same English form in two entries (or twice in one), with the same targets (a
                          do-not-translate entry restating another entry's abbreviation kept in English excepted)
    conflicting-targets   one English form, two different targets
    shared-target         two concepts with one target form in the same language
    missing-language      an entry without a target for a required language
    simplified-in-zh-TW   Simplified-only characters in a zh-TW form (学 for 學); 台 and 臺 are both fine
    traditional-in-ja     old forms in a Japanese form (學 for 学); not for persons or allow_traditional_in_ja
    simplified-in-ja      Chinese Simplified forms in a Japanese form (门 for 門)
    whitespace            leading, trailing, double or odd whitespace in any field
    mixed-parentheses     half-width and full-width parentheses in one form
    short-form            an English form with fewer than 2 letters or digits (`a`): never matched
    common-word           an English form that is a common word (`the`, `of`), not an acronym: never matched

Person entries and the titles table are checked by `pipeline.glossary.people.names.lint_people`; translations
against the glossary by `pipeline.glossary.terms.check_against_segment` (per segment) and `pipeline.publish.against`.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.glossary.match import fold, lower, unmatchable
from pipeline.glossary.model import Entry, Problem
from pipeline.glossary.scripts import old_forms_in_ja, simplified_in_ja, simplified_in_zh_tw
from pipeline.language import DEFAULT_TARGETS

__all__ = ["DEFAULT_REQUIRED_LANGS", "lint"]

DEFAULT_REQUIRED_LANGS = DEFAULT_TARGETS
TRADITIONAL_CHINESE = ("zh-TW", "zh-HK", "zh-MO", "zh-Hant")
_ODD_SPACE = re.compile(r"[\t\r\n\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]")


def _problem(code: str, message: str, entry: Entry, key: str | None = None, **extra) -> Problem:
    file, line = entry.where(key)
    return Problem(code, message, file=file, line=line, entry=entry.id, **extra)


def _strings(entry: Entry):
    """(field key, label, value, is a form) for every text field of an entry."""
    yield "id", "id", entry.id, False
    yield "english", "english", entry.english, True
    for i, variant in enumerate(entry.variants):
        yield f"variants[{i}]", f"variant {variant!r}", variant, True
    for abbreviation, own in entry.abbreviations.items():
        key = f"abbreviations.{abbreviation}"
        yield key, f"abbreviation {abbreviation!r}", abbreviation, True
        for lang, form in own.items():
            yield f"{key}.{lang}", f"{lang} abbreviation of {abbreviation}", form, True
    for lang, form in entry.targets.items():
        yield f"targets.{lang}", f"{lang} target", form, True
    if entry.note:
        yield "note", "note", entry.note, False


def _target_strings(entry: Entry):
    """(field key, lang, form) for every target form, abbreviations' included."""
    for lang, form in entry.targets.items():
        yield f"targets.{lang}", lang, form
    for abbreviation, own in entry.abbreviations.items():
        for lang, form in own.items():
            yield f"abbreviations.{abbreviation}.{lang}", lang, form


def _whitespace(entry: Entry) -> list[Problem]:
    problems = []
    for key, label, value, is_form in _strings(entry):
        if key == "note":
            # Notes may have line breaks (YAML `|` blocks end with one); only spaces at the ends of lines count.
            body = value[:-1] if value.endswith("\n") else value
            lines = body.split("\n")
            bad = body != body.strip("\n") or any(line != line.strip(" \t\u3000") or "  " in line for line in lines)
            if bad:
                problems.append(_problem("whitespace", "stray whitespace in the note", entry, key))
            continue
        what = []
        if value != value.strip():
            what.append("leading or trailing whitespace")
        if "  " in value:
            what.append("a double space")
        if _ODD_SPACE.search(value.strip()):
            what.append("a tab, line break or non-standard space")
        if what:
            problems.append(_problem("whitespace", f"{label} {value!r} has {' and '.join(what)}", entry, key))
    return problems


def _mixed_parentheses(entry: Entry) -> list[Problem]:
    problems = []
    for key, label, value, is_form in _strings(entry):
        if not is_form:
            continue
        if any(ch in value for ch in "()") and any(ch in value for ch in "（）"):
            problems.append(
                _problem(
                    "mixed-parentheses",
                    f"{label} {value!r} mixes half-width ( ) and full-width （ ） parentheses",
                    entry,
                    key,
                )
            )
    return problems


def _unmatchable(entry: Entry) -> list[Problem]:
    """English forms the matcher skips because they would replace ordinary words (match.unmatchable)."""
    problems = []
    for form, kind in entry.forms():
        found = unmatchable(form, entry.form_is_case_sensitive(form))
        if found is None:
            continue
        code, reason = found
        problems.append(
            _problem(
                code,
                f"English {kind} {form!r} {reason}: it would replace ordinary words in every release, so it is never "
                "matched; write the whole name (or the acronym in capitals)",
                entry,
                _form_key(entry, form, kind),
                term=form,
            )
        )
    return problems


def _scripts(entry: Entry) -> list[Problem]:
    problems = []
    for key, lang, form in _target_strings(entry):
        if lang in TRADITIONAL_CHINESE or lang.startswith("zh-Hant"):
            found = simplified_in_zh_tw(form)
            if found:
                chars = ", ".join(f"{s} (Traditional: {t})" for s, t in found)
                problems.append(
                    _problem("simplified-in-zh-TW", f"{lang} form {form!r} has Simplified characters: {chars}", entry, key)
                )
        elif lang == "ja" or lang.startswith("ja-"):
            if entry.kind != "person" and not entry.allow_traditional_in_ja:
                found = old_forms_in_ja(form)
                if found:
                    chars = ", ".join(f"{t} (Japanese: {j})" for t, j in found)
                    problems.append(
                        _problem(
                            "traditional-in-ja",
                            f"ja form {form!r} uses Traditional forms where Japanese writes its own: {chars} "
                            "(for a personal name, set kind: person or allow_traditional_in_ja: true)",
                            entry,
                            key,
                        )
                    )
            found = simplified_in_ja(form)
            if found:
                chars = ", ".join(f"{s} (Japanese: {j})" for s, j in found)
                problems.append(
                    _problem("simplified-in-ja", f"ja form {form!r} has Chinese Simplified characters: {chars}", entry, key)
                )
    return problems


def _form_targets(entry: Entry, form: str, kind: str, langs: list[str]) -> dict[str, str | None]:
    if kind == "abbreviation":
        return {lang: entry.abbreviation_target(form, lang) for lang in langs}
    return {lang: entry.target(lang) for lang in langs}


def _forms(entries: list[Entry]) -> list[Problem]:
    problems = []
    seen: dict[str, tuple[Entry, str, str]] = {}
    for entry in entries:
        for form, kind in entry.forms():
            key = lower(fold(form.strip()))
            field = _form_key(entry, form, kind)
            if key not in seen:
                seen[key] = (entry, form, kind)
                continue
            first, first_form, first_kind = seen[key]
            file, line = first.where(_form_key(first, first_form, first_kind))
            where = f"{file}:{line}"
            if first is entry:
                problems.append(
                    _problem("duplicate-form", f"English form {form!r} is listed twice in entry {entry.id}", entry, field)
                )
                continue
            langs = sorted(set(first.targets) | set(entry.targets) | set(DEFAULT_TARGETS))
            a = _form_targets(first, first_form, first_kind, langs)
            b = _form_targets(entry, form, kind, langs)
            differ = [lang for lang in langs if a[lang] != b[lang]]
            if not differ and _restates_abbreviation(first, first_kind, entry, kind):
                continue  # a do-not-translate entry for an abbreviation kept in English: it wins standing alone
            if differ:
                lang = differ[0]
                problems.append(
                    _problem(
                        "conflicting-targets",
                        f"English form {form!r} has two different targets: {lang} {a[lang]!r} in entry {first.id} "
                        f"({where}) and {b[lang]!r} in entry {entry.id}",
                        entry,
                        field,
                        term=form,
                    )
                )
            else:
                problems.append(
                    _problem(
                        "duplicate-form",
                        f"English form {form!r} is in two entries: {first.id} ({where}) and {entry.id}",
                        entry,
                        field,
                        term=form,
                        other=first.id,
                    )
                )
    return problems


def _restates_abbreviation(first: Entry, first_kind: str, entry: Entry, kind: str) -> bool:
    """One form that is the name (or variant) of a do-not-translate entry and an abbreviation of another entry.

    Allowed when both render it the same (the abbreviation is kept in English): the do-not-translate entry, with its
    own status, is what the form alone matches (`MAFLD` approved, though `metabolic-associated fatty liver disease`
    is proposed); after its full name in parentheses it still joins that entry's match."""
    if first is entry:
        return False
    pairs = ((first, first_kind, kind), (entry, kind, first_kind))
    return any(e.do_not_translate and k != "abbreviation" and other == "abbreviation" for e, k, other in pairs)


def _form_key(entry: Entry, form: str, kind: str) -> str:
    if kind == "name":
        return "english"
    if kind == "variant":
        return f"variants[{entry.variants.index(form)}]"
    return f"abbreviations.{form}"


def _shared_targets(entries: list[Entry], duplicates: set[frozenset[str]]) -> list[Problem]:
    """Two concepts, one target; pairs already reported as one concept entered twice (duplicate-form) are not
    reported again."""
    problems = []
    seen: dict[tuple[str, str], tuple[Entry, str]] = {}
    for entry in entries:
        if entry.do_not_translate:
            continue
        for key, lang, form in _target_strings(entry):
            if key.startswith("abbreviations.") and form == key.split(".")[1]:
                continue  # an abbreviation kept in English (NCVC in ja)
            norm = unicodedata.normalize("NFC", form.strip())
            first = seen.setdefault((lang, norm), (entry, key))
            if first[0] is entry or frozenset((first[0].id, entry.id)) in duplicates:
                continue
            file, line = first[0].where(first[1])
            problems.append(
                _problem(
                    "shared-target",
                    f"{lang} form {form!r} is the target of two concepts: {first[0].id} ({file}:{line}) and {entry.id}",
                    entry,
                    key,
                    lang=lang,
                    expected=form,
                )
            )
    return problems


def _missing_languages(entries: list[Entry], required: tuple[str, ...]) -> list[Problem]:
    problems = []
    for entry in entries:
        if entry.do_not_translate:
            continue
        missing = [lang for lang in required if lang not in entry.targets]
        if missing:
            problems.append(
                _problem(
                    "missing-language",
                    f"entry {entry.id} ({entry.english!r}) has no target for {', '.join(missing)}",
                    entry,
                    "targets" if "targets" in entry.lines else None,
                )
            )
    return problems


def lint(entries: list[Entry], required_langs: tuple[str, ...] = DEFAULT_REQUIRED_LANGS) -> list[Problem]:
    """Every content problem of a (loaded) glossary; see the module docstring for the classes."""
    problems: list[Problem] = []
    problems += _forms(entries)
    duplicates = {frozenset((p.entry, p.other)) for p in problems if p.code == "duplicate-form" and p.other}
    problems += _shared_targets(entries, duplicates)
    problems += _missing_languages(entries, tuple(required_langs))
    for entry in entries:
        problems += _scripts(entry)
        problems += _whitespace(entry)
        problems += _mixed_parentheses(entry)
        problems += _unmatchable(entry)
    problems.sort(key=lambda p: (p.file or "", p.line or 0))
    return problems

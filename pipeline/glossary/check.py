"""`translate glossary check`: what makes a glossary wrong, and translations that do not use it.

`lint(entries)` finds the problems of glossary content (one code per class; docs/glossary.md, "Check"):

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

`check_against(glossary, paths)` checks translations (run manifests, review .docx files), segment by segment
(`check_segment`):

    term-missing          a glossary term in the English whose target is not in the translation
    wrong-form            a matched entry's form for another language in the translation (熊本大学 in zh-TW)
    kana-in-zh            Japanese kana in a Chinese translation (ハーバード大學)
    term-count            (warning) the English names an entry more often than the translation holds its target
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from pipeline.glossary.match import fold, lower
from pipeline.glossary.model import CACHED_TEXT_CHARS, Entry, Glossary, Problem, is_cjk_lang
from pipeline.language import DEFAULT_TARGETS

__all__ = [
    "DEFAULT_REQUIRED_LANGS",
    "against_files",
    "check_against",
    "check_segment",
    "contains_target",
    "kana_runs",
    "lint",
    "own_forms",
    "wrong_forms",
]

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


def _scripts(entry: Entry) -> list[Problem]:
    from pipeline.glossary.scripts import old_forms_in_ja, simplified_in_ja, simplified_in_zh_tw

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
    problems.sort(key=lambda p: (p.file or "", p.line or 0))
    return problems


# --------------------------------------------------------------------------------------------- --against


def _comparable(text: str, lang: str) -> str:
    # The QA of an import compares each row's text with each of its terms: remembered, for sentence-sized texts.
    return _comparable_cached(text, lang) if len(text) <= CACHED_TEXT_CHARS else _comparable_of(text, lang)


@lru_cache(maxsize=8192)
def _comparable_cached(text: str, lang: str) -> str:
    return _comparable_of(text, lang)


def _comparable_of(text: str, lang: str) -> str:
    text = fold(unicodedata.normalize("NFKC", text))
    if is_cjk_lang(lang):
        return re.sub(r"\s+", "", text)
    return re.sub(r"\s+", " ", text)


def contains_target(translation: str, expected: str, lang: str) -> bool:
    """Whether `translation` holds `expected`, ignoring width (（ vs (), typography and, for CJK, spaces."""
    return _comparable(expected, lang) in _comparable(translation, lang)


def against_files(path: Path) -> list[Path]:
    """The documents a --against path stands for: the file, or the manifests and .docx files under a folder."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    found = [
        p
        for p in sorted(path.rglob("*"))
        if p.is_file()
        and not p.name.startswith((".", "~$"))
        and (p.name.endswith(".manifest.json") or p.suffix.lower() == ".docx")
    ]
    return found


def _segments_from_manifest(path: Path) -> list[tuple[str, str, list[tuple[int, int]], dict[str, str]]]:
    from pipeline.core.limits import JSON_MAX_BYTES, LimitExceeded, read_bounded
    from pipeline.files.manifest import verbatim_spans

    try:
        data = json.loads(read_bounded(path, JSON_MAX_BYTES, "a manifest").decode("utf-8-sig"))
    except LimitExceeded as exc:
        raise ValueError(f"the file {exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a manifest (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise ValueError("not a manifest (no 'segments' list)")
    result = []
    for segment in data["segments"]:
        if not isinstance(segment, dict) or not isinstance(segment.get("source"), str):
            raise ValueError("not a manifest (a segment without 'source')")
        verbatim = verbatim_spans(segment)
        targets = {}
        for lang, target in (segment.get("targets") or {}).items():
            text = target.get("text") if isinstance(target, dict) else target
            if isinstance(text, str):
                targets[lang] = text
        result.append((str(segment.get("id", "?")), segment["source"], verbatim, targets))
    return result


def _segments_from_docx(path: Path) -> list[tuple[str, str, list[tuple[int, int]], dict[str, str]]]:
    from pipeline.review.read.reader import KIND_PUBLISHED, read_review_rows

    meta, rows = read_review_rows(path)
    lang = meta.get("language")
    if not lang:
        raise ValueError("the document does not say its target language (File → Properties → Language)")
    if meta.get("kind") == KIND_PUBLISHED:
        from pipeline.glossary.published import published_segments

        return published_segments(path, meta, lang)
    return [(row.id, row.english, [], {lang: row.target}) for row in rows]


def check_against(glossary: Glossary, paths: list[Path]) -> tuple[list[Problem], int]:
    """(problems, number of documents checked). A document that cannot be read is a `parse` problem."""
    problems: list[Problem] = []
    checked = 0
    for given in paths:
        files = against_files(Path(given))
        if not files:
            problems.append(Problem("usage", f"{given}: no manifests or .docx files in this folder", document=str(given)))
        for path in files:
            document = str(path)
            if not path.exists():
                problems.append(Problem("usage", f"{path}: no such file", document=document))
                continue
            try:
                if path.suffix.lower() == ".docx":
                    segments = _segments_from_docx(path)
                elif path.suffix.lower() == ".json":
                    segments = _segments_from_manifest(path)
                else:
                    problems.append(
                        Problem("usage", f"{path}: give a <release>.manifest.json or a review .docx", document=document)
                    )
                    continue
            except (ValueError, OSError) as exc:
                problems.append(Problem("parse", f"{path}: {exc}", document=document))
                continue
            except Exception as exc:  # a damaged .docx: python-docx / zipfile / lxml errors
                problems.append(Problem("parse", f"{path}: cannot read ({type(exc).__name__}: {exc})", document=document))
                continue
            checked += 1
            people = _people(glossary, segments)  # "President Yu" must be 余校長 too (pipeline/glossary/people/mentions.py)
            for segment_id, source, verbatim, targets in segments:
                matches = [
                    m for m in glossary.find(source) if not any(m.start < e and s < m.end for s, e in verbatim)
                ]
                for lang, text in targets.items():
                    these = matches
                    if people is not None and people.mentions.get(segment_id):
                        these = [
                            m for m in people.find_in_segment(people.segments[segment_id], lang)
                            if not any(m.start < e and s < m.end for s, e in verbatim)
                        ]  # fmt: skip
                    problems += check_segment(document, segment_id, source, these, lang, text)
    return problems, checked


def _people(glossary: Glossary, segments):
    """The people mentions of a document's segments (in order), or None for a glossary without person entries."""
    if not any(e.kind == "person" for e in glossary.entries):
        return None
    from types import SimpleNamespace

    from pipeline.core.release import TEXT, VERBATIM, Segment, Span
    from pipeline.glossary.people.mentions import resolve_people

    built = []
    for k, (segment_id, source, verbatim, _) in enumerate(segments):
        spans = [Span(s, e, VERBATIM) for s, e in verbatim]
        if spans and not (len(spans) == 1 and spans[0].start == 0 and spans[0].end == len(source)):
            spans.append(Span(0, 0, TEXT))  # a partly verbatim segment is not a verbatim segment
        built.append(Segment(segment_id, "sentence", 0, k, source, spans=spans))
    people = resolve_people(SimpleNamespace(segments=built), glossary)
    people.segments = {s.id: s for s in built}
    return people


# Hiragana, katakana (with the iteration marks and the small katakana of U+31F0-31FF) and half-width katakana.
# The prolonged-sound mark ー / ｰ alone is not counted (Chinese text uses a dash-like ー now and then); the middle
# dot ・ is not kana at all (Chinese writes foreign names with it).
_KANA = re.compile(r"[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d]+")
_PROLONGED = "\u30fc\uff70"


def kana_runs(text: str) -> list[str]:
    """The runs of Japanese kana in `text`, in order, once each; a run of only the prolonged-sound mark is not one."""
    runs: list[str] = []
    for m in _KANA.finditer(text):
        run = m.group()
        if run.strip(_PROLONGED) and run not in runs:
            runs.append(run)
    return runs


def is_chinese_lang(lang: str) -> bool:
    return lang.split("-", 1)[0] == "zh"


def own_forms(entry: Entry, lang: str) -> list[str]:
    """Every form the entry may take in `lang`: the full name's target and each abbreviation's."""
    forms = []
    if entry.target(lang) is not None:
        forms.append(entry.target(lang))
    forms += [entry.abbreviation_target(a, lang) for a in entry.abbreviations]
    return [f for f in forms if f]


def wrong_forms(entry: Entry, lang: str, expected: str | None = None) -> list[tuple[str, str]]:
    """(language, form) for each of the entry's forms for OTHER languages (full names and abbreviation targets)
    that is not one of `lang`'s forms nor contained in one: in a `lang` translation, such a form is a wrong form
    (熊本大学, the ja form, in a zh-TW text). Languages in file order, each form once."""
    mine = [_comparable(f, lang) for f in own_forms(entry, lang)]
    if expected:
        mine.append(_comparable(expected, lang))
    result: list[tuple[str, str]] = []
    seen: set[str] = set()
    candidates = [(other, form) for other, form in entry.targets.items()]
    candidates += [(other, form) for own in entry.abbreviations.values() for other, form in own.items()]
    for other, form in candidates:
        if other == lang:
            continue
        key = _comparable(form, lang)
        if not key or key in seen or any(key in m for m in mine):
            continue
        seen.add(key)
        result.append((other, form))
    return result


def check_segment(
    document: str, segment_id: str, source: str, matches: list, lang: str, text: str
) -> list[Problem]:
    """The --against checks of one translated segment: `matches` are the glossary matches in its English.

    * term-missing (error): a match's target is not in the translation;
    * wrong-form (error): a matched entry's form for another language is in it (熊本大学 in zh-TW), outside the
      places where the expected targets are;
    * kana-in-zh (error): Japanese kana in a Chinese translation (ハーバード大學), unless the English has them too;
    * term-count (warning): the English names an entry N times, the translation holds its target fewer times
      (but at least once: none at all is term-missing). A warning, since a translator may write a pronoun.
    """
    problems: list[Problem] = []
    comparable = _comparable(text, lang)
    wanted: dict[str, list] = {}  # comparable expected target -> the matches that want it

    def term_problem(code: str, message: str, match, expected: str, **extra) -> Problem:
        return Problem(
            code,
            f"segment {segment_id} ({lang}): {message}",
            document=document,
            segment=segment_id,
            lang=lang,
            term=match.text,
            expected=expected,
            entry=match.entry.id,
            **extra,
        )

    for match in matches:
        expected = match.target(lang)
        if expected is None:
            continue
        key = _comparable(expected, lang)
        wanted.setdefault(key, []).append((match, expected))
        if key in comparable:
            continue
        problems.append(term_problem("term-missing", f"{match.text!r} must be rendered {expected!r}", match, expected))
    for key, uses in wanted.items():
        have = comparable.count(key)
        if 0 < have < len(uses):
            match, expected = uses[0]
            message = (
                f"the English names {match.entry.english!r} {len(uses)} times, the translation has {expected!r} "
                f"{have} time{'s' if have != 1 else ''} (fine if a pronoun stands for it)"
            )
            problems.append(term_problem("term-count", message, match, expected, found=str(have)))
    # Wrong forms are looked for outside the expected targets, so that one entry's correct form that happens to
    # contain another's foreign form is not reported.
    masked = comparable
    for key in sorted(wanted, key=len, reverse=True):
        if key:
            masked = masked.replace(key, "\x00")
    reported: set[tuple[str, str]] = set()
    for key, uses in wanted.items():
        for match, expected in uses:
            for other, form in wrong_forms(match.entry, lang, expected):
                if (match.entry.id, form) in reported or _comparable(form, lang) not in masked:
                    continue
                reported.add((match.entry.id, form))
                message = f"{match.text!r} is written {form!r}, the {other} form; the {lang} form is {expected!r}"
                problems.append(term_problem("wrong-form", message, match, expected, found=form))
    if is_chinese_lang(lang):
        runs = [run for run in kana_runs(text) if run not in source]
        if runs:
            problems.append(
                Problem(
                    "kana-in-zh",
                    f"segment {segment_id} ({lang}): Japanese kana in a Chinese translation: "
                    + ", ".join(repr(r) for r in runs),
                    document=document,
                    segment=segment_id,
                    lang=lang,
                    found=", ".join(runs),
                )
            )
    return problems

"""The translate stage: protect → one batched model call per language → restore and verify → recover.

Recovery, in order, for segments whose placeholders did not come back exactly once:
1. the same batch again with the next placeholder style (only the failed segments, one call);
2. the segment unprotected, together with each of its terms alone, in one call: where the model's own
   rendering of a term is found in the segment's output it is replaced by the glossary target (one pass,
   longest first, never inside another target), then every target is counted against its occurrences;
3. a target still short of its count: the segment keeps that output and is flagged `glossary-missing`, with the
   expected forms: never a silent miss.

A glossary entry that has no form in the target language cannot be protected: the model renders the name as it
likes. Every segment where such an entry occurs is flagged `glossary-no-form`, naming the term; the model's
rendering is kept as a draft for the reviewer (`translate glossary check --require-langs` names the missing forms).

Invisible format characters inside a glossary name (`Kao\u200dhsiung Medical University`) are covered by its match
(pipeline/glossary/invisible.py) and so disappear with the protected name: the row says so, naming them
(`invisible-characters`), never silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pipeline.core.release import Flag, Segment, TermUse, Translation
from pipeline.glossary.invisible import describe, format_characters_in, visible
from pipeline.glossary.terms import contains_target
from pipeline.source.detect import script_of
from pipeline.source.segment import split_long_segment
from pipeline.translation.engine.base import Engine
from pipeline.translation.inline_tags import split_whole
from pipeline.translation.marks import (
    flag_unsafe_links,
    memory_marks,
    place_tag_marks,
    recover_marks,
    tagged_input,
    untag_output,
)
from pipeline.translation.placeholders import styles_for, usable
from pipeline.translation.protect import STYLES, Protected, Shield, protect, restore


class TermFinder(Protocol):
    """The part of a glossary the translate stage uses (pipeline.glossary.Glossary)."""

    def find(self, text: str) -> list: ...


class MemoryLookup(Protocol):
    """A translation memory (pipeline.memory.MemoryStore).

    `lookup`: an approved translation of exactly this segment (origin "memory"): the model never sees it.
    Optional `suggest(segment, lang) -> Translation | None`, asked for segments that go to the model: a close
    match whose `text` becomes the translation's `suggestion` (shown to the reviewer, never used as the
    translation) and whose `flags` are added to it.
    """

    def lookup(self, segment: Segment, lang: str) -> Translation | None: ...


@dataclass
class _Work:
    """One segment on its way through the model for one language."""

    segment: Segment
    shields: list[Shield]
    terms: list[TermUse]
    flags: list[Flag] = field(default_factory=list)
    protected: Protected | None = None
    result: str | None = None
    kept: Translation | None = None  # a reviewer's approved translation the current glossary no longer agrees with
    inner: list = field(default_factory=list)  # marks sent to the model as paired tags (inline_tags.py)
    whole: list = field(default_factory=list)  # marks over the whole segment: over the whole translation
    marks: list = field(default_factory=list)  # the inner marks placed in `result`
    tag_problems: list[str] = field(default_factory=list)
    model_input: str | None = None  # what the model translated (tags removed), for alignment recovery
    model_output: str | None = None  # what it wrote (tags removed, placeholders still in)
    positions: list = field(default_factory=list)  # the inner marks' spans in `model_input`


def find_terms(segment: Segment, glossary: TermFinder | None, lang: str) -> list[TermUse]:
    return find_terms_and_gaps(segment, glossary, lang)[0]


def find_terms_and_gaps(segment: Segment, glossary: TermFinder | None, lang: str) -> tuple[list[TermUse], list]:
    """The glossary terms of `segment` with their `lang` forms, and the matches whose entry has no `lang` form."""
    if glossary is None:
        return [], []
    verbatim = [(s.start, s.end) for s in segment.verbatim_spans()]
    uses = []
    gaps = []
    # A release's people (pipeline.glossary.people.mentions) replace the glossary matches their mentions cover.
    in_segment = getattr(glossary, "find_in_segment", None)
    for match in in_segment(segment, lang) if in_segment is not None else glossary.find(segment.source):
        if any(match.start < end and start < match.end for start, end in verbatim):
            continue
        target = match.target(lang)
        if target is None:
            gaps.append(match)
            continue
        uses.append(
            TermUse(
                source=match.text,
                target=target,
                entry_id=match.entry.id,
                status=match.status_for(lang),
                start=match.start,
                end=match.end,
            )
        )
    return uses, gaps


def no_form_flag(gaps: list, lang: str) -> Flag | None:
    """The flag for glossary entries without a `lang` form that occur in a segment, or None when there are none."""
    if not gaps:
        return None
    named = "; ".join(dict.fromkeys(f"{match.text} (entry {match.entry.id})" for match in gaps))
    return Flag(
        "glossary-no-form",
        f"The glossary has no {lang} form for: {named}. The model's rendering is a draft: check it, and add the "
        f"{lang} form to the glossary",
    )


def invisible_flag(terms: list[TermUse]) -> Flag | None:
    """The flag for glossary names whose match covered invisible characters (they are not in the translation)."""
    named = []
    for term in terms:
        hidden = format_characters_in(term.source)
        if hidden:
            named.append(f"{', '.join(map(describe, hidden))} in “{visible(term.source)}” (entry {term.entry_id})")
    if not named:
        return None
    return Flag(
        "invisible-characters",
        "Invisible characters inside glossary names were removed with the name (the glossary form is in the "
        "translation): " + "; ".join(dict.fromkeys(named)),
    )


def _shields(segment: Segment, terms: list[TermUse]) -> list[Shield]:
    shields = [
        Shield(span.start, span.end, segment.source[span.start : span.end], "verbatim", span.lang or "")
        for span in segment.verbatim_spans()
    ]
    shields += [Shield(t.start, t.end, t.target, "term", t.entry_id) for t in terms]
    return sorted(shields, key=lambda s: s.start)


def _outdated_memory(remembered: Translation, terms: list[TermUse], lang: str) -> Flag | None:
    """A flag when an approved memory translation lacks a form the glossary now requires, else None.

    The glossary is the source of truth: a translation approved before an entry changed (or before it existed)
    is not reused as approved. But it is a reviewer's work: it stays in the target column with the term flagged,
    so the reviewer fixes one term, not a whole sentence; the machine translation with the current glossary is
    offered in Notes (`machine-version`). Presence, not count: a reviewer may have put a pronoun for a repeated name.
    """
    stale = {t.target: t for t in terms if not contains_target(remembered.text, t.target, lang)}
    if not stale:
        return None
    approved = next((f.message for f in remembered.flags if f.code == "memory"), "from memory")
    return Flag(
        "memory-outdated",
        f"A reviewer's approved translation ({approved}) lacks the glossary form of "
        + "; ".join(f"{t.source} → {t.target}" for t in stale.values())
        + ": kept here for you to fix the term (the machine translation is in Notes); not publishable until fixed",
        "error",
    )


def _fit(engine: Engine, text: str, limit: int) -> list[str]:
    """`text` cut into pieces of at most `limit` model tokens whose concatenation is `text` (never truncated)."""
    tokens = engine.count_tokens(text)
    if tokens <= limit or len(text) <= 1:
        return [text]
    # Characters per token vary; split by characters conservatively, then verify each piece in tokens.
    max_chars = max(1, min(len(text) - 1, int(len(text) * limit / tokens * 0.8)))
    pieces = split_long_segment(text, max_chars)
    return [fitted for piece in pieces for fitted in _fit(engine, piece, limit)]


def _join(joiner: str, sources: list[str], outputs: list[str]) -> str:
    """The translations of the pieces of one over-long sentence (`sources`, cut by `_fit`), joined.

    Where the source was cut inside a word (no whitespace at the cut) nothing is put between the two outputs.
    Where it was cut at whitespace, `joiner` is used: " " for most targets, "" for CJK ones, except that two
    outputs whose touching ends are both non-CJK letters or digits (a demo copy model's English, an English name
    in a Chinese sentence) still get a space, so no two words are glued together.
    """
    text = ""
    for k, output in enumerate(outputs):
        output = output.strip()
        if not output:
            continue
        if text:
            # A hard cut (no break within the limit) can leave the whitespace at the start of the next piece.
            at_space = sources[k - 1][-1:].isspace() or sources[k][:1].isspace()
            glue = joiner if at_space else ""
            if at_space and not glue and _wordish(text[-1]) and _wordish(output[0]):
                glue = " "
            text += glue
        text += output
    return text


def _wordish(ch: str) -> bool:
    return ch.isalnum() and script_of(ch) is None


def translate_texts(engine: Engine, texts: list[str], split_counts: list[int] | None = None) -> list[str]:
    """One engine call for all texts; a text longer than the model accepts is split, never truncated.

    `split_counts`, when given, receives the number of pieces each text was sent in (1: not split).
    """
    limit = engine.max_input_tokens()
    pieces: list[list[str]] = []
    for text in texts:
        pieces.append([text] if limit is None else _fit(engine, text, limit))
    if split_counts is not None:
        split_counts[:] = [len(group) for group in pieces]
    # Repeated texts (a name translated alone in recovery, a recurring sentence) are decoded once.
    unique = list(dict.fromkeys(p for group in pieces for p in group))
    translated = dict(zip(unique, engine.translate(unique)))
    return [_join(engine.joiner, group, [translated[p] for p in group]) for group in pieces]


def _attempt(engine: Engine, work: list[_Work], style_index: int, cjk: bool) -> list[_Work]:
    """Translate `work` with a placeholder style; return the items that still failed."""
    batch = []
    for item in work:
        style = next((s for s in styles_for(engine)[style_index:] if usable(item.segment.source, item.shields, s)), None)
        if style is None:
            continue
        item.protected = protect(item.segment.source, item.shields, style)
        batch.append(item)
    in_batch = {id(item) for item in batch}  # by identity: `item not in batch` compares dataclasses, O(n²)
    failed = [item for item in work if id(item) not in in_batch]
    counts: list[int] = []
    outputs = translate_texts(engine, [tagged_input(i) for i in batch], counts)
    for item, output, count in zip(batch, outputs, counts):
        _note_split(item, count, engine)
        output = untag_output(item, output)
        restored = restore(output, item.protected, cjk_target=cjk)
        item.restore = lambda text, p=item.protected: restore(text, p, cjk_target=cjk).text
        if restored.text is None:
            item.flags.append(Flag("placeholder-retry", f"{item.protected.style.name} placeholders: " + "; ".join(restored.problems)))
            failed.append(item)
            continue
        item.result = restored.text
        place_tag_marks(item)
        if restored.altered:
            item.flags.append(Flag("placeholder-altered", f"{restored.altered} placeholder(s) came back altered and were recognised"))
    return failed


def _note_split(item: _Work, count: int, engine: Engine) -> None:
    cut_off = getattr(engine, "cut_off", None)  # outputs the model could not decode in full (engine/argos.py)
    sent = {item.segment.source, item.protected.text if item.protected is not None else None}
    if cut_off and not sent.isdisjoint(cut_off) and not any(f.code == "cut-off" for f in item.flags):
        item.flags.append(Flag("cut-off", "The model stopped at its longest output and could not decode further "
                               f"({getattr(engine, 'cut_off_reason', '')}): the end of this translation may be "
                               "missing; check it against the English"))
    if count > 1 and not any(f.code == "split-long" for f in item.flags):
        item.flags.append(
            Flag(
                "split-long",
                f"Longer than the model accepts ({engine.max_input_tokens()} tokens): translated in {count} pieces, "
                "nothing cut off; check the joins",
            )
        )


def _recover_unprotected(engine: Engine, work: list[_Work]) -> None:
    """Last resort: translate unprotected, then swap the model's rendering of each term for the glossary's."""
    texts = [item.segment.source for item in work]
    alone = [(item, term) for item in work for term in item.terms]
    counts: list[int] = []
    outputs = translate_texts(engine, texts + [term.source for _, term in alone], counts)
    term_outputs = dict(zip(((id(i), id(t)) for i, t in alone), outputs[len(texts):]))
    for item, output, count in zip(work, outputs, counts):
        _note_split(item, count, engine)
        item.model_input, item.model_output, item.positions = item.segment.source, output, [(m.start, m.end) for m in item.inner]
        item.marks, item.tag_problems = [], ["translated without placeholders, so without tags"] if item.inner else []
        renderings = [(term_outputs[(id(item), id(term))].strip(), term.target) for term in item.terms]
        item.restore = lambda t, r=renderings: _substitute(t, r)
        text = _substitute(output, renderings)
        missing = _unverified_terms(text, item.terms)
        for span in item.segment.verbatim_spans():
            original = item.segment.source[span.start : span.end]
            if original not in text:
                missing_text = f"verbatim “{original}” not in output"
                item.flags.append(Flag("verbatim-missing", missing_text + "; copy it in by hand"))
        if missing:
            item.flags.append(
                Flag(
                    "glossary-missing",
                    "Model output kept, glossary form NOT verified: "
                    + "; ".join(f"{t.source} → expected {t.target}" for t in missing),
                )
            )
        else:
            item.flags.append(Flag("glossary-recovered", "Placeholders failed; translated unprotected and glossary forms substituted"))
        item.result = text


def _substitute(text: str, renderings: list[tuple[str, str]]) -> str:
    """`text` with each model rendering of a term replaced by the glossary target, in one pass.

    One pass, longest first, so a short rendering ("熊本" for Kumamoto City) is never replaced inside a target or a
    longer rendering ("熊本大学"); a target already in place is left alone. A rendering is replaced at most as
    often as its term occurs: more occurrences are the model's own text (the verification then reports them).
    """
    budget: dict[str, int] = {}
    replacement: dict[str, str] = {}
    for rendered, target in renderings:
        replacement.setdefault(target, target)
        if rendered and rendered != target:
            replacement.setdefault(rendered, target)
            budget[rendered] = budget.get(rendered, 0) + 1
    if not budget:
        return text
    pattern = re.compile("|".join(re.escape(k) for k in sorted(replacement, key=len, reverse=True)))

    def swap(match: re.Match) -> str:
        found = match.group()
        if budget.get(found, 0) <= 0:
            return found
        budget[found] -= 1
        return replacement[found]

    return pattern.sub(swap, text)


def _unverified_terms(text: str, terms: list[TermUse]) -> list[TermUse]:
    """The terms whose target does not occur in `text` as often as the term occurs in the source.

    Counted longest target first without overlaps, so 熊本大學 inside 國立熊本大學 counts once, for the longer form.
    """
    if not terms:
        return []
    targets = sorted({t.target for t in terms}, key=len, reverse=True)
    found = Counter(re.findall("|".join(map(re.escape, targets)), text))
    needed = Counter(t.target for t in terms)
    short = {target for target, n in needed.items() if found[target] < n}
    return list({t.target: t for t in terms if t.target in short}.values())


def translate_segments(
    segments: Sequence[Segment],
    lang: str,
    engine: Engine,
    glossary: TermFinder | None = None,
    memory: MemoryLookup | None = None,
) -> list[Translation]:
    cjk = engine.joiner == ""
    translations: dict[str, Translation] = {}
    work: list[_Work] = []
    for segment in segments:
        if segment.verbatim:
            # origin "verbatim" and the segment's spans say it all; the review writer notes it from them.
            translations[segment.id] = Translation(segment.id, lang, segment.source, origin="verbatim", marks=list(segment.marks))
            continue
        terms, gaps = find_terms_and_gaps(segment, glossary, lang)
        remembered = memory.lookup(segment, lang) if memory is not None else None
        outdated = _outdated_memory(remembered, terms, lang) if remembered is not None else None
        if remembered is not None and outdated is None:
            remembered.terms = terms
            memory_marks(remembered, segment)
            translations[segment.id] = remembered
            continue
        item = _Work(segment, _shields(segment, terms), terms)
        if (no_form := no_form_flag(gaps, lang)) is not None:
            item.flags.append(no_form)
        if (hidden := invisible_flag(terms)) is not None:
            item.flags.append(hidden)
        item.inner, item.whole = split_whole(segment.source, segment.marks)
        if outdated is not None:
            item.kept = remembered
            remembered.terms = terms
            remembered.flags.append(outdated)
        work.append(item)

    failed = _attempt(engine, work, 0, cjk) if work else []
    for style_index in range(1, len(STYLES)):
        if failed:
            failed = _attempt(engine, failed, style_index, cjk)
    if failed:
        _recover_unprotected(engine, failed)
    recover_marks(engine, work)
    suggest = getattr(memory, "suggest", None)
    for item in work:
        if item.kept is not None:
            # The reviewer's text stays; the model's translation with the current glossary is only offered.
            machine = item.result or ""
            if machine and machine != item.kept.text:
                item.kept.flags.append(Flag("machine-version", f"Machine translation with the current glossary: {machine}"))
            memory_marks(item.kept, item.segment)
            translations[item.segment.id] = item.kept
            continue
        translation = Translation(item.segment.id, lang, item.result or "", "machine", item.flags, item.terms, marks=item.marks)
        hint = suggest(item.segment, lang) if suggest is not None else None
        if hint is not None and hint.text and hint.text != translation.text:
            translation.suggestion = hint.text
            translation.flags.extend(hint.flags)
        translations[item.segment.id] = translation
    for segment in segments:
        flag_unsafe_links(translations[segment.id], segment)
    return [translations[s.id] for s in segments]

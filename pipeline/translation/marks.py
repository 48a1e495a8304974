"""The translate stage's inline formatting: tags into the model, marks out of its output, recovery, flags.

For each segment going to the model, its inner marks (inline_tags.split_whole) become paired tags in the
protected text. The output's tags are read (`inline_tags.read_tags`): all back, in order, paired and nested →
the marks are placed in the translation (through the placeholder restore, by character alignment). Otherwise,
and for segments translated without placeholders, recovery asks the engine where each output token came from
(`Engine.align`: CTranslate2 attention with the output forced as prefix, one batched call for all such
segments) and puts each mark over the target tokens aligned with its English words: flagged
`formatting-recovered` for the reviewer to check. Where the engine cannot align (or a mark has no aligned
token), the row is flagged `formatting-not-transferred` with the English spans (bold “…”, link “…” → URL):
never a silent loss. Tag text the model rewrote past reading (`<作1>`, `‹訳1>`, a lost half: `inline_tags.residue_spans`)
is taken out of the output first, so the marks are placed on the cleaned text and no tag is published as letters.
Marks covering the whole segment cover the whole translation, without tags.

A link of the English whose URL may not be published (`javascript:`, `data:`…: pipeline/core/web_safety.py) is
flagged `link-unsafe` on its row, naming the words and the URL, and is not in the translation's marks: no output
carries it; its words are translated and published as text.
"""

from __future__ import annotations

from pipeline.core.release import Flag
from pipeline.core.web_safety import safe_url, unsafe_links
from pipeline.translation.inline_tags import (
    describe_marks,
    insert_tags,
    marks_from_alignment,
    protected_positions,
    read_tags,
    remap_anchored,
    remap_marks,
    split_whole,
    strip_residue,
    through,
    whole_marks,
)
from pipeline.translation.protect import placeholder_number


def tagged_input(item) -> str:
    """The protected text of a work item with its inner marks as tags (the model's input)."""
    text = item.protected.text
    item.model_input = text
    item.positions = []
    if not item.inner:
        return text
    item.positions = protected_positions(item.segment.source, item.protected, item.inner)
    return insert_tags(text, item.positions, item.inner)


def untag_output(item, output: str) -> str:
    """The model's output with its tags taken out; their marks (or problems) kept on the item."""
    item.model_output = output
    if not item.inner:
        return output
    found = read_tags(output, item.inner)
    # Tags the model rewrote past recognition (<作1>, ‹訳1>, a lost half) are taken out too, so that they are never
    # published; the marks of intact tags move with the text, broken ones are recovered on the cleaned text.
    text = strip_residue(found.text, item.segment.source)
    item.model_output = text
    item.tag_problems = found.problems
    item._tag_marks = remap_marks(found.text, text, found.marks)
    return text


def place_tag_marks(item) -> None:
    """After the placeholders were restored: the tags' marks moved into the final text."""
    if not item.inner or item.tag_problems:
        item.marks = []
        return
    item.marks = _through_restore(item, getattr(item, "_tag_marks", []))


def _through_restore(item, marks):
    """Marks of the model's output (placeholders in) placed in the final text (glossary targets in)."""
    protected = item.protected
    if protected is not None and item.model_input == protected.text and protected.shields:
        anchors = []
        for match in protected.style.tolerant.finditer(item.model_output or ""):
            number = placeholder_number(match.group("n"))
            if 1 <= number <= len(protected.shields):
                anchors.append((match.start(), match.end(), protected.shields[number - 1].replacement))
        placed = remap_anchored(item.model_output, item.result, anchors, marks)
        if placed is not None:
            return placed
    restore = getattr(item, "restore", None)
    if restore is not None:
        text, placed = through(restore, item.model_output, marks)
        if text == item.result:
            return placed
    return remap_marks(item.model_output, item.result, marks)


def recover_marks(engine, work) -> None:
    """Alignment recovery for items whose tags did not come back intact, then the whole-segment marks."""
    broken = [item for item in work if item.inner and (item.tag_problems or not item.marks) and item.result]
    aligned = None
    if broken:
        try:
            aligned = engine.align([i.model_input or "" for i in broken], [i.model_output or "" for i in broken])
        except Exception:  # alignment is a recovery aid: a model that cannot give it leaves the row flagged
            aligned = None
    for k, item in enumerate(broken):
        problems = "; ".join(item.tag_problems) or "tags lost"
        marks = None
        if aligned is not None and k < len(aligned):
            marks = marks_from_alignment(aligned[k], item.positions, item.inner, item.model_output or "")
        if marks is not None:
            item.marks = _through_restore(item, marks)
            item.flags.append(
                Flag(
                    "formatting-recovered",
                    f"Inline formatting placed from the model's attention ({problems}): check "
                    + describe_marks(item.segment.source, item.inner),
                )
            )
        else:
            item.marks = []
            item.flags.append(
                Flag(
                    "formatting-not-transferred",
                    f"Formatting not transferred ({problems}); add it by hand: "
                    + describe_marks(item.segment.source, item.inner),
                )
            )
    for item in work:
        if item.whole and item.result:
            item.marks = list(item.marks) + whole_marks(item.result, item.whole)


def memory_marks(translation, segment) -> None:
    """A translation from the memory: whole-segment marks placed; inner ones flagged for the reviewer."""
    inner, whole = split_whole(segment.source, segment.marks)
    translation.marks = whole_marks(translation.text, whole)
    if inner:
        translation.flags.append(
            Flag(
                "formatting-not-transferred",
                "Formatting not transferred (translation from the memory); add it by hand: "
                + describe_marks(segment.source, inner),
            )
        )


def flag_unsafe_links(translation, segment) -> None:
    """A translation of `segment` without the links whose URL may not be published, flagged `link-unsafe`."""
    unsafe = unsafe_links(segment.marks)
    if not unsafe:
        return
    translation.marks = [m for m in translation.marks if m.kind != "a" or safe_url(m.href) is not None]
    if any(f.code == "link-unsafe" for f in translation.flags):
        return
    described = "; ".join(f"“{segment.source[m.start : m.end]}” → {m.href!r}" for m in unsafe)
    translation.flags.append(
        Flag(
            "link-unsafe",
            f"Link not published: {described} is not a web (http, https) or e-mail (mailto) address, so no output "
            "carries it; the words are published as text. If it should be a link, give it a web address.",
        )
    )

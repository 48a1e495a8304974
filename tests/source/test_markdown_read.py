"""A Markdown release read with one CommonMark parse (pipeline/source/markdown.py): the text and the structure agree,
in time linear in the file (issue 22: blocker 4, major 9)."""

from __future__ import annotations

import time

from pipeline.source.ingest import read_release
from pipeline.source.markdown import MAX_NESTING, UNSTRUCTURED, read_markdown

WIKI = "https://en.wikipedia.org/wiki/Kumamoto_(city)"


def _read(text: str) -> tuple[list[tuple[str, list, dict | None]], list[str]]:
    notes: list[str] = []
    read = read_markdown(text, notes)
    origins = read.origins or [None] * len(read.paragraphs)
    return [(p, [(m.kind, p[m.start : m.end], m.href) for m in marks], o)
            for p, marks, o in zip(read.paragraphs, read.marks, origins)], notes


def test_a_url_with_parentheses_is_one_link_and_no_stray_parenthesis(tmp_path):
    path = tmp_path / "wiki.md"
    path.write_text(f"# Title\n\nSee the [wiki page]({WIKI}) and **Kumamoto** (the city).\n\n- one\n- two\n",
                    encoding="utf-8")
    release = read_release(path)
    assert release.paragraphs_text == ["Title", "See the wiki page and Kumamoto (the city).", "one", "two"]
    text = release.paragraphs_text[1]
    assert [(m.kind, text[m.start : m.end], m.href) for m in release.paragraph_marks[1]] == [
        ("a", "wiki page", WIKI), ("b", "Kumamoto", None)]
    assert [(o["lines"], o["prefix"], o["kind"]) for o in release.origins] == [
        ([0, 1], "# ", "heading"), ([2, 3], "", "paragraph"), ([4, 5], "- ", "item"), ([5, 6], "- ", "item")]


def test_every_paragraph_has_its_place_numbers_images_breaks_and_code():
    paragraphs, notes = _read(
        "Title one\nTitle two\n=====\n\n"  # setext heading over two lines
        "Contact:  \nMs. Lin\n\n"  # a hard break starts a paragraph
        "1. First *step*\n2) Second\n\n"  # the number is text, not the prefix
        "![photo](a.png)\nThe caption with [a link](http://x).\n\n"  # an image line stays in place
        "```\ncode line\n```\n\n"
        "    indented **bold** text\n    goes on\n\n"  # indentation means nothing
        "Text with <b>a tag</b>.\n"
    )
    assert [(p, o["lines"], o["prefix"], o["kind"]) for p, _, o in paragraphs] == [
        ("Title one Title two", [0, 3], "", "heading"),
        ("Contact:", [4, 5], "", "paragraph"),
        ("Ms. Lin", [5, 6], "", "paragraph"),
        ("1. First step", [7, 8], "", "item"),
        ("2) Second", [8, 9], "", "item"),
        ("The caption with a link.", [11, 12], "", "paragraph"),
        ("code line", [14, 15], "", "code"),
        ("indented bold text goes on", [17, 19], "   ", "paragraph"),
        ("Text with a tag.", [20, 21], "", "paragraph"),
    ]
    assert paragraphs[3][1] == [("i", "step", None)] and paragraphs[7][1] == [("b", "bold", None)]
    assert any("1 image(s)" in n for n in notes) and any("2 HTML tag(s)" in n for n in notes)


def test_a_file_without_blank_lines_is_one_paragraph_per_line_marks_cut_with_it():
    paragraphs, _ = _read("# Title\nLine *one\ntwo* three\n- item\n")
    assert [(p, marks, o["lines"]) for p, marks, o in paragraphs] == [
        ("Title", [], [0, 1]),
        ("Line one", [("i", "one", None)], [1, 2]),
        ("two three", [("i", "two", None)], [2, 3]),
        ("item", [], [3, 4]),
    ]


def test_blocks_deeper_than_the_parser_goes_keep_their_text_and_say_the_structure_is_missing():
    text = "# Title\n\n" + "> " * (MAX_NESTING + 5) + "Deep text.\n\nAfter.\n"
    paragraphs, notes = _read(text)
    assert [p for p, _, _ in paragraphs] == ["# Title", "> " * (MAX_NESTING + 4) + "> Deep text.", "After."]
    assert all(o is None for _, _, o in paragraphs)  # no structure: publish refuses .md and web page
    [note] = notes
    assert note.startswith(UNSTRUCTURED) and "line 3" in note and "no web page" in note


def test_nested_lists_within_the_bound_are_read():
    paragraphs, notes = _read("- a\n  - b\n    - c\n\nEnd.\n")
    assert [p for p, _, _ in paragraphs] == ["a", "b", "c", "End."] and not notes


def _seconds(text: str) -> float:
    started = time.perf_counter()
    read_markdown(text, [])
    return time.perf_counter() - started


def test_emphasis_runs_are_read_in_linear_time():
    """`'*a **b ' * 10,000` took 13.9 s with the hand-written patterns (quadratic), a 140 kB file ~56 s: the bound
    is generous for a slow machine and far below what the old code took."""
    assert _seconds("*a **b " * 10_000) < 5
    adversarial = "".join(("*a **b ", "_a __b ", "[a](", "![", "`a ``b ", "<a ", "a** ", "*a* ", "[x](y(z)) ")[k % 9]
                          for k in range(20_000))
    assert len(adversarial.encode()) > 100_000  # the 140 kB
    assert _seconds(adversarial) < 15
    small, large = _seconds("*a **b " * 2_500), _seconds("*a **b " * 20_000)  # 8× the text
    assert large < 8 * small * 4 + 1  # linear with room for noise; quadratic would be 64×

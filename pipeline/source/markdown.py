"""The structure of a Markdown release: which source lines each paragraph came from, and its inline formatting.

Ingest reads a `.md` release's text with its own rules (source/ingest.py); this module parses the same file with
markdown-it-py (CommonMark) and matches its blocks (headings, paragraphs, list items, block quotes), in order, to
the paragraphs ingest produced, by their plain text. A matched paragraph gets its marks (`**strong**`/`__`,
`*emphasis*`/`_`, links with their URL) and an origin `{"story": "markdown", "lines": [first, end], "prefix":
"## "}`: publish writes the translation there, the block's own marker kept, and every other line (images,
rules, blank lines, code) as it was. A paragraph that matches no block (a file pasted without blank lines is read
one line per paragraph) has no origin; publish then writes plain Markdown paragraphs.
"""

from __future__ import annotations

import re

from pipeline.core.release import Mark, normalize
from pipeline.docx.stories import laminar, trim_marks

_KINDS = {"strong": "b", "em": "i", "s": None, "link": "a"}
_PREFIX = re.compile(r"^(\s{0,3}(?:#{1,6}[ \t]+|(?:>[ \t]?)+|[-*+][ \t]+|\d{1,9}[.)][ \t]+)*)")


def markdown_blocks(text: str) -> list[tuple[str, list[Mark], tuple[int, int], str]]:
    """(plain text, marks, (first line, end line), kind) of every inline block, in document order."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    blocks = []
    stack: list[str] = []
    for k, token in enumerate(tokens):
        if token.type.endswith("_open"):
            stack.append(token.type[: -len("_open")])
        elif token.type.endswith("_close") and stack:
            stack.pop()
        if token.type != "inline" or token.map is None:
            continue
        plain, marks = inline_text(token.children or [])
        kind = "heading" if "heading" in stack else ("item" if "list_item" in stack else "paragraph")
        blocks.append((plain, marks, (token.map[0], token.map[1]), kind))
    return blocks


def inline_text(children) -> tuple[str, list[Mark]]:
    """Plain text and marks of an inline token's children (soft breaks are spaces; images and code kept as
    the ingest rules say: images dropped, code's text kept)."""
    out: list[str] = []
    length = 0
    open_marks: list[tuple[str, int, str | None]] = []
    marks: list[Mark] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append(child.content)
            length += len(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
            length += 1
        elif kind.endswith("_open") and kind[: -len("_open")] in _KINDS:
            name = kind[: -len("_open")]
            open_marks.append((name, length, child.attrs.get("href") if name == "link" else None))
        elif kind.endswith("_close") and kind[: -len("_close")] in _KINDS:
            name = kind[: -len("_close")]
            for j in range(len(open_marks) - 1, -1, -1):
                if open_marks[j][0] == name:
                    _, start, href = open_marks.pop(j)
                    if _KINDS[name]:
                        marks.append(Mark(start, length, _KINDS[name], href))
                    break
    text = "".join(out)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    shifted = [Mark(m.start - lead, m.end - lead, m.kind, m.href) for m in marks]
    clipped = [Mark(max(0, m.start), min(len(stripped), m.end), m.kind, m.href) for m in shifted]
    return stripped, laminar(trim_marks(stripped, [m for m in clipped if m.end > m.start]))


def locate(text: str, paragraphs: list[str]) -> tuple[list[list[Mark]], list[dict]] | None:
    """Marks and origins for ingest's paragraphs of a Markdown file; None when they cannot all be matched."""
    try:
        blocks = markdown_blocks(text)
    except Exception:  # markdown-it is a parser of text anyone can write: never stop a run over structure
        return None
    lines = text.splitlines()
    marks: list[list[Mark]] = []
    origins: list[dict] = []
    cursor = 0
    for paragraph in paragraphs:
        wanted = normalize(paragraph)
        found = None
        for k in range(cursor, len(blocks)):
            if normalize(blocks[k][0]) == wanted:
                found = k
                break
        if found is None:
            return None
        plain, block_marks, (first, end), kind = blocks[found]
        cursor = found + 1
        prefix = _PREFIX.match(lines[first]).group(1) if first < len(lines) else ""
        marks.append(block_marks if plain == paragraph else [])
        origins.append({"story": "markdown", "lines": [first, end], "prefix": prefix, "kind": kind})
    return marks, origins

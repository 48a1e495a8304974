"""A Markdown release's text and structure, from one CommonMark parse (markdown-it-py).

The text of every paragraph (what becomes rows), its inline formatting (`**strong**`/`__`, `*emphasis*`/`_`,
links with their URL, autolinks) and its place in the file (an origin `{"story": "markdown", "lines": [first,
end], "prefix": "## ", "kind": "heading"}`: publish writes the translation there, the block's marker kept) come
from the same tokens, so they always agree. The parser is linear in the size of the file: no hand-written
pattern over the text (a URL with parentheses, `Kumamoto_(city)`, is CommonMark's business, not a regex's).

What becomes a paragraph: every heading (ATX or setext), paragraph, list item and block-quote paragraph, soft
line breaks read as one space. A hard line break (two spaces or `\\` at the end of a line) starts a new paragraph,
as a line break does in `.txt` and in Word. A file with no blank line at all is read one paragraph per line (a
release pasted into a `.md` file), its headings and lists still recognised. The number of an ordered list item is
text (`1. ...`): kept. An indented ("code") block is read as if it were not indented (indentation means nothing in
a release); each line of a fenced code block is a paragraph of its own. Images (a line of only images is left in
place), inline HTML tags and HTML blocks are not text: they are skipped, and the release's notes say so.

Markdown nested deeper than the parser follows (`MAX_NESTING` block quotes or lists inside each other) would lose
the text of its deepest blocks; such a file, or one the parser fails on, is read line by line as plain text
instead (every character kept), with no structure: the notes say so, and `publish` then refuses the outputs that
need the structure (the published .md, the web page) instead of writing them flattened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.core.release import Mark
from pipeline.core.marks import trim_marks

__all__ = ["MAX_NESTING", "MarkdownRead", "markdown_lines", "read_markdown"]

MAX_NESTING = 20  # markdown-it's own bound on nested blocks (and on recursion): deeper text is skipped by it
_KINDS = {"strong": "b", "em": "i", "link": "a"}
_PREFIX = re.compile(r"^(\s{0,3}(?:#{1,6}[ \t]+|(?:>[ \t]?)+|[-*+][ \t]+|\d{1,9}[.)][ \t]+)*)")
_NUMBER_AT_END = re.compile(r"\d{1,9}[.)][ \t]+$")

# Unstructured: the note that says a release's structure could not be read starts so (publish quotes it).
UNSTRUCTURED = "The Markdown structure of this release could not be read"


@dataclass
class MarkdownRead:
    """Ingest's view of a Markdown release: its paragraphs and, per paragraph, marks and origin."""

    paragraphs: list[str] = field(default_factory=list)
    marks: list[list[Mark]] = field(default_factory=list)
    origins: list[dict] = field(default_factory=list)  # empty when the structure could not be read
    images: int = 0
    html_tags: int = 0
    html_blocks: int = 0

    def add(self, text: str, marks: list[Mark], origin: dict) -> None:
        self.paragraphs.append(text)
        self.marks.append(marks)
        self.origins.append(origin)


def markdown_lines(text: str) -> list[str]:
    """The lines of a Markdown release, as ingest numbers them in origins and publish replaces them."""
    return text.splitlines()


def read_markdown(text: str, notes: list[str]) -> MarkdownRead:
    """The paragraphs, marks and origins of a Markdown release (see the module docstring); notes added."""
    lines = markdown_lines(text)
    filled = [i for i, line in enumerate(lines) if line.strip()]
    one_per_line = bool(filled) and all(line.strip() for line in lines[filled[0] : filled[-1] + 1])
    read = MarkdownRead()
    try:
        _Blocks(read, lines, one_per_line).walk(_parse("\n".join(lines), 0), 0)  # the lines ingest counts
    except _TooDeep as exc:
        return _unstructured(lines, notes, f"its blocks nest more than {MAX_NESTING - 1} levels deep (line {exc})")
    except Exception as exc:  # a parser of text anyone can write: never a traceback over structure
        return _unstructured(lines, notes, f"the Markdown parser stopped ({type(exc).__name__})")
    if read.images:
        notes.append(f"{read.images} image(s) in the Markdown were skipped (not translated).")
    if read.html_tags:
        notes.append(f"{read.html_tags} HTML tag(s) inside the Markdown text were left out (their text was read).")
    if read.html_blocks:
        notes.append(
            f"{read.html_blocks} HTML block(s) of the Markdown were not read (not translated): the published .md "
            "keeps them as they are, the web page leaves them out."
        )
    return read


class _TooDeep(Exception):
    """Blocks nested as deep as markdown-it follows: it skipped what is inside (str: the line, from 1)."""


def _parse(text: str, offset: int) -> list[Token]:
    tokens = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).parse(text)
    deepest = next((t for t in tokens if t.nesting == 1 and t.level + 1 >= MAX_NESTING), None)
    if deepest is not None:
        raise _TooDeep(str((deepest.map or [0])[0] + offset + 1))
    return tokens


def _unstructured(lines: list[str], notes: list[str], why: str) -> MarkdownRead:
    notes.append(
        f"{UNSTRUCTURED}: {why}. Its text was read line by line as plain text, Markdown marks included; "
        "`publish` writes its .docx documents but no .md and no web page (fix the Markdown and run again)."
    )
    read = MarkdownRead()
    read.paragraphs = [line.strip() for line in lines if line.strip()]
    read.marks = [[] for _ in read.paragraphs]
    return read


@dataclass
class _Part:
    """The children of an inline token that make one paragraph, and the lines (of the block) they sit on."""

    first: int
    last: int
    children: list[Token] = field(default_factory=list)


class _Blocks:
    """Walks the block tokens of one parse, adding a paragraph (text, marks, origin) per inline run."""

    def __init__(self, read: MarkdownRead, lines: list[str], one_per_line: bool) -> None:
        self.read, self.lines, self.one_per_line = read, lines, one_per_line

    def walk(self, tokens: list[Token], offset: int) -> None:
        stack: list[str] = []
        number = ""  # an ordered list item's number, until its first text takes it
        block_end = 0  # where the block holding the next inline token ends (a setext heading: after its underline)
        for token in tokens:
            if token.type == "list_item_open" and token.markup in (".", ")"):
                number = f"{token.info}{token.markup} "
            elif token.type in ("heading_open", "paragraph_open") and token.map:
                block_end = token.map[1] + offset
            if token.nesting == 1:
                stack.append(token.type[: -len("_open")])
            elif token.nesting == -1 and stack:
                stack.pop()
                if token.type == "list_item_close":
                    number = ""
            if token.map is None:
                continue
            first, end = token.map[0] + offset, token.map[1] + offset
            if token.type == "inline":
                kind = "heading" if "heading" in stack else ("item" if "list_item" in stack else "paragraph")
                number = self.inline(token, first, end, max(end, block_end), kind, number)
            elif token.type == "fence":
                for k, line in enumerate(token.content.split("\n")):
                    if line.strip():
                        self.read.add(line.strip(), [], self.origin(first + 1 + k, first + 2 + k, "code"))
            elif token.type == "code_block":
                self.indented(first, end)
            elif token.type == "html_block":
                self.read.html_blocks += 1

    def indented(self, first: int, end: int) -> None:
        """An indented block: its lines read again as Markdown without their indentation."""
        text = "\n".join(line.strip() for line in self.lines[first:end])
        self.walk(_parse(text, first), first)

    def origin(self, first: int, end: int, kind: str, number: str = "") -> dict:
        prefix = _PREFIX.match(self.lines[first]).group(1) if first < len(self.lines) else ""
        if number:
            prefix = _NUMBER_AT_END.sub("", prefix)  # the number is the paragraph's text
        return {"story": "markdown", "lines": [first, end], "prefix": prefix, "kind": kind}

    def inline(self, token: Token, first: int, content_end: int, end: int, kind: str, number: str) -> str:
        """Add the paragraphs of an inline token; returns the list number still to be put in (none was)."""
        parts = self.parts(token.children or [], first, content_end)
        for k, part in enumerate(parts):
            text, marks = inline_text(part.children)
            if not text:
                continue
            lead, number = number, ""
            if lead:
                marks = [Mark(m.start + len(lead), m.end + len(lead), m.kind, m.href) for m in marks]
            # the last part takes the rest of the block (a setext heading's underline)
            last = end if k == len(parts) - 1 else min(part.last + 1, end)
            self.read.add(lead + text, marks, self.origin(part.first, max(last, part.first + 1), kind, lead))
        return number

    def parts(self, children: list[Token], first: int, content_end: int) -> list[_Part]:
        """The children cut where a paragraph ends: a hard break, any line break when the file is one paragraph
        per line, and around a line holding only images (kept in place by publish)."""
        rows: list[list[Token]] = [[]]
        breaks: list[str] = []
        opened: list[list[Token]] = [[]]  # per row: the marks open where it starts
        stack: list[Token] = []
        for child in children:
            if child.type in ("softbreak", "hardbreak"):
                rows.append([])
                opened.append(list(stack))
                breaks.append(child.type)
                continue
            if child.nesting == 1:
                stack.append(child)
            elif child.nesting == -1 and stack:
                stack.pop()
            self.count(child)
            rows[-1].append(child)
            for _ in range(_hidden_newlines(child)):  # a newline inside an HTML tag, a link title, an image's text
                rows.append([])
                opened.append(list(stack))
                breaks.append("softbreak")
        pictures = [bool(row) and all(_picture(c) for c in row) for row in rows]
        parts: list[_Part] = []
        last_line = max(first, content_end - 1)
        for k, row in enumerate(rows):
            line = min(first + k, last_line)
            cut = k == 0 or breaks[k - 1] == "hardbreak" or self.one_per_line or pictures[k] or pictures[k - 1]
            if cut:
                parts.append(_Part(line, line, list(opened[k])))  # marks open across the cut open it again
            else:
                parts[-1].children.append(Token("softbreak", "br", 0))
            parts[-1].children.extend(row)
            parts[-1].last = line
        return parts

    def count(self, child: Token) -> None:
        if child.type == "image":
            self.read.images += 1
        elif child.type == "html_inline":
            self.read.html_tags += 1


def _picture(child: Token) -> bool:
    """Part of a line of only images (linked or not)."""
    return child.type in ("image", "link_open", "link_close") or (child.type == "text" and not child.content.strip())


def _hidden_newlines(child: Token) -> int:
    if child.type == "html_inline":
        return child.content.count("\n")
    if child.type in ("link_open", "image"):
        alt = sum(1 for c in child.children or [] if c.type in ("softbreak", "hardbreak"))
        return str(child.attrs.get("title") or "").count("\n") + alt
    return 0


def inline_text(children: list[Token]) -> tuple[str, list[Mark]]:
    """Plain text and marks of inline tokens: soft breaks are spaces; code's text kept; images and HTML tags
    left out. Marks come from paired tokens, so they nest: no two cross."""
    out: list[str] = []
    length = 0
    open_marks: list[tuple[str, int, str | None]] = []
    marks: list[Mark] = []
    for child in children:
        kind = child.type
        if kind in ("text", "text_special", "code_inline"):
            out.append(child.content)
            length += len(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
            length += 1
        elif kind.endswith("_open") and kind[: -len("_open")] in _KINDS:
            name = kind[: -len("_open")]
            open_marks.append((name, length, child.attrs.get("href") if name == "link" else None))
        elif kind.endswith("_close") and kind[: -len("_close")] in _KINDS and open_marks:
            name, start, href = open_marks.pop()
            marks.append(Mark(start, length, _KINDS[name], None if href is None else str(href)))
    marks.extend(Mark(start, length, _KINDS[name], None if href is None else str(href))
                 for name, start, href in open_marks)  # open across a cut: closed at its end
    text = "".join(out)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    clipped = [Mark(max(0, m.start - lead), min(len(stripped), m.end - lead), m.kind, m.href) for m in marks]
    kept = trim_marks(stripped, [m for m in clipped if m.end > m.start])
    return stripped, sorted(kept, key=lambda m: (m.start, -m.end, m.kind))

"""The data that flows through the stages: source (ingest → detect → segment) → glossary → translation → qa → review → publish.

Stages take these objects and return new or enriched ones; only the edges touch files, Word or models.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# Segment kinds.
TITLE = "title"
DATELINE = "dateline"
SENTENCE = "sentence"

# Span kinds inside a segment's source.
TEXT = "text"  # English, machine-translated
VERBATIM = "verbatim"  # another language inside the English release: copied, never machine-translated

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The form a segment is compared and hashed in: NFC, whitespace collapsed, trimmed.

    Translation-memory lookups and review-import checks rely on this being stable across releases.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()[:16]


@dataclass
class Span:
    """A run of a segment's source text; `start`/`end` are offsets into `Segment.source`."""

    start: int
    end: int
    kind: str = TEXT
    lang: str | None = None  # detected language of a VERBATIM span ("zh", "ja", ...)


@dataclass
class Mark:
    """Inline formatting over `start:end` of a text (a segment's source, or a translation's text).

    kind: "b" bold, "i" italic, "u" underline, "sup"/"sub" super/subscript, "a" hyperlink (`href` its URL).
    Marks of one text are laminar (nested or disjoint), so they can be written as paired tags (inline_tags.py).
    """

    start: int
    end: int
    kind: str
    href: str | None = None

    def to_json(self) -> dict:
        data = {"start": self.start, "end": self.end, "kind": self.kind}
        if self.href is not None:
            data["href"] = self.href
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Mark":
        return cls(int(data["start"]), int(data["end"]), str(data["kind"]), data.get("href"))


@dataclass
class Segment:
    """One unit of translation and review: the title, the dateline, or a sentence of a paragraph.

    `source + trailing` over all segments of a paragraph, in order, gives the paragraph's text back exactly.
    """

    id: str  # "p02.s03": paragraph 2, sentence 3 (both 1-based); stable for the same source text
    kind: str
    paragraph: int
    index: int
    source: str
    trailing: str = ""  # whitespace between this segment and the next one in the same paragraph
    spans: list[Span] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)  # inline formatting of `source` (from a .docx or .md release)

    @property
    def hash(self) -> str:
        return content_hash(self.source)

    @property
    def verbatim(self) -> bool:
        """The whole segment is in another language (the Chinese dateline): it is copied, not translated."""
        return bool(self.spans) and all(s.kind == VERBATIM for s in self.spans)

    def verbatim_spans(self) -> list[Span]:
        return [s for s in self.spans if s.kind == VERBATIM]


@dataclass
class Paragraph:
    index: int  # 1-based
    kind: str  # TITLE or SENTENCE ("body")
    segments: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.source + s.trailing for s in self.segments)


@dataclass
class Release:
    """One English press release as read from disk."""

    path: Path
    paragraphs_text: list[str]  # non-empty paragraphs, in order, as ingested
    language: str | None = None  # set by detect
    language_confidence: float | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)  # set by segment
    notes: list[str] = field(default_factory=list)  # things ingest skipped (images, ...) for the reviewer
    hidden_runs: int = 0  # .docx: runs of hidden text (w:vanish), not read, kept hidden where they are
    # Per entry of `paragraphs_text` (when the format has them): its inline formatting, and where it sits in the
    # source document (a .docx story and paragraph, a Markdown block), so publish can write the translation there.
    paragraph_marks: list[list[Mark]] = field(default_factory=list)
    origins: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs_text)

    @property
    def segments(self) -> list[Segment]:
        return [s for p in self.paragraphs for s in p.segments]


@dataclass
class Flag:
    """Something the reviewer must look at; shown in Notes and kept in the manifest."""

    code: str  # "verbatim", "glossary-recovered", "glossary-missing", "number-missing", "demo-model", ...
    message: str
    severity: str | None = None  # "error" | "warning" for a quality-check finding (pipeline/qa); None otherwise


@dataclass
class TermUse:
    """A glossary term found in a segment and the target form put into the translation."""

    source: str  # the English text matched
    target: str
    entry_id: str
    status: str = "approved"
    start: int = 0  # offsets into Segment.source
    end: int = 0


@dataclass
class Translation:
    segment_id: str
    lang: str  # project language code: "zh-TW", "ja", ...
    text: str
    origin: str = "machine"  # "machine" | "verbatim" | "memory"
    flags: list[Flag] = field(default_factory=list)
    terms: list[TermUse] = field(default_factory=list)
    suggestion: str | None = None  # a close translation-memory match shown to the reviewer
    marks: list[Mark] = field(default_factory=list)  # the source's inline formatting, placed in `text`


@dataclass
class ModelInfo:
    """Which installed package produced a language's translations; goes into the documents and manifest."""

    lang: str
    package: str  # e.g. "translate-en_zt-1_9"
    version: str
    from_code: str
    to_code: str
    converter: str | None = None  # e.g. "opencc:s2twp" when zh-TW comes from an en→zh package
    demo: bool = False  # a self-built copy model: output is NOT a translation


@dataclass
class TranslatedRelease:
    release: Release
    translations: dict[str, list[Translation]]  # lang → one per segment, in segment order
    models: dict[str, ModelInfo]
    glossary_path: Path | None = None
    glossary_hash: str | None = None
    uncovered_names: list[str] = field(default_factory=list)  # names and acronyms the glossary lacks

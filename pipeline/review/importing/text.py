"""The texts an import compares: a target cell's paragraphs as one segment text, and the run's texts as written.

Every character the reviewer typed is stored as typed: no Unicode normalisation (神 U+FA19 and 﨑 U+FA11 in a name
stay), U+3000, no-break spaces and tabs kept; only ASCII spaces and line breaks at the ends of a piece go. The
status (unchanged / edited / emptied) compares copies with runs of ASCII spaces collapsed (`same_text`), so a
changed character, even one NFC would fold, is an edit.
"""

from __future__ import annotations

import re

from pipeline.core.release import normalize
from pipeline.language.typography import join_pieces
from pipeline.review.write.writer import clean_text

UNNAMED_AUTHORS = {"", "unknown author"}  # LibreOffice's name for changes made with no user name set


def reviewed_text(paragraphs: list[str], lang: str) -> str:
    """A target cell's paragraphs (and line breaks) as one segment text, joined as the language writes them —
    nothing between CJK text in zh/ja, a space otherwise (`typography.join_pieces`): a reviewer's Enter inside a
    cell never becomes a line break in the published text (the paragraphs are kept as read)."""
    pieces = [piece for paragraph in paragraphs for piece in re.split(r"[\r\n\v\f\u2028\u2029]+", paragraph)]
    return join_pieces(pieces, lang)


def same_text(a: str, b: str) -> bool:
    """Equal for the review's status: only runs of ASCII spaces are folded (never NFC: 神 U+FA19 ≠ 神 U+795E)."""
    return re.sub(" +", " ", a).strip(" ") == re.sub(" +", " ", b).strip(" ")


def as_written(text: str) -> str:
    """The text as the writer put it in a cell (control characters removed), not normalised."""
    return clean_text(text)[0]


def as_compared(text: str) -> str:
    """The text as the writer put it in a cell, normalised: what an English cell or a Notes line is compared as."""
    return normalize(clean_text(text)[0])


def line_key(text: str) -> str:
    """A paragraph outside the table, as compared with the ones the run wrote."""
    return normalize(as_compared(text))


def unnamed_author(author: str) -> bool:
    """A tracked change's author that names nobody (the editor had no user name set)."""
    return author.strip().lower() in UNNAMED_AUTHORS


def clip(text: str, width: int = 60) -> str:
    """`text` on one line, cut at `width` characters (what a refusal quotes)."""
    text = text.replace("\n", "⏎")
    return text if len(text) <= width else text[: width - 1] + "…"

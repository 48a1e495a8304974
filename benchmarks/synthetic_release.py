"""A long synthetic release for the review-document benchmarks: the sample release repeated to N segments.

The sample goes through the project's own ingest → segment → glossary → translate stages once (with a copy
engine, so the "translation" is the English with the glossary's zh-TW / ja terms put in: highlighted terms,
flags and verbatim spans as a real run has them); its paragraphs are then repeated with new paragraph numbers
until the release holds `n` segments. Building it costs milliseconds; no model is loaded.
"""

from __future__ import annotations

import copy
import re
import sys
import zlib
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "samples" / "kmu-kumamoto-mou-2025.txt"
GLOSSARY = HERE.parent / "glossaries"
LANGS = ("zh-TW", "ja")
_WORD = re.compile(r"\b[a-z][a-z'-]*\b")
_HAN = "大研究合作交流協議署際療教育日本熊本高雄校長方未展計生授院技術新推動科目標成果文化社員地域"


def _pseudo_cjk(match) -> str:
    code = zlib.crc32(match.group(0).encode())
    return _HAN[code % len(_HAN)] + _HAN[(code // len(_HAN)) % len(_HAN)]


def synthetic_release(n: int, langs=LANGS, source: Path = SAMPLE, glossary: Path = GLOSSARY):
    """A TranslatedRelease of `n` segments (the sample's paragraphs repeated), translated by a copy engine."""
    from pipeline.core.release import ModelInfo, Paragraph, TranslatedRelease
    from pipeline.translation.engine.base import Engine
    from pipeline.glossary import load_glossary
    from pipeline.source.ingest import read_release
    from pipeline.source.segment import segment_release
    from pipeline.translation.stage import translate_segments

    class Copy(Engine):
        """Writes each lower-case English word as two CJK characters (chosen by the word), keeps the rest: a
        "translation" of realistic length that the import's checks take for one (placeholders, numbers and
        acronyms stay)."""

        def __init__(self, lang: str, code: str):
            self.info = ModelInfo(lang=lang, package=f"bench-copy-en_{code}", version="1", from_code="en", to_code=code)

        def translate(self, texts):
            return [_WORD.sub(_pseudo_cjk, text).replace(" ", "").replace(",", "，").replace(".", "。") for text in texts]

    release = segment_release(read_release(source))
    glossary = load_glossary(glossary)
    codes = {"zh-TW": "zt", "ja": "ja"}
    engines = {lang: Copy(lang, codes.get(lang, lang)) for lang in langs}
    base = {lang: {t.segment_id: t for t in translate_segments(release.segments, lang, engines[lang], glossary)}
            for lang in langs}

    paragraphs, translations = [], {lang: [] for lang in langs}
    count = 0
    while count < n:
        for paragraph in release.paragraphs:
            if count >= n:
                break
            number = len(paragraphs) + 1
            segments = []
            for segment in paragraph.segments[: n - count]:
                new_id = f"p{number:02d}.s{segment.index:02d}"
                segments.append(replace(segment, id=new_id, paragraph=number, spans=copy.deepcopy(segment.spans)))
                for lang in langs:
                    old = base[lang].get(segment.id)
                    if old is not None:
                        translations[lang].append(replace(old, segment_id=new_id))
            count += len(segments)
            paragraphs.append(Paragraph(number, paragraph.kind, segments))
    long_release = replace(release, paragraphs=paragraphs,
                           paragraphs_text=[p.text for p in paragraphs])  # fmt: skip
    long_release.path = source.with_name(f"{source.stem}-{n}{source.suffix}")
    return TranslatedRelease(
        release=long_release,
        translations=translations,
        models={lang: engine.info for lang, engine in engines.items()},
        glossary_path=getattr(glossary, "path", None),
        glossary_hash=getattr(glossary, "hash", None),
        uncovered_names=[],
    )



def distinct_releases(n: int, folder: Path, source: Path = SAMPLE) -> list[Path]:
    """`n` release files shaped like the sample, written to `folder`, no sentence shared between two of them.

    Release k is the sample with " (release k)" before each translatable sentence's final stop and its own date in
    the dateline: the same paragraphs, sentence count and lengths (+3-4 tokens a sentence), but nothing a cache,
    the batching's deduplication or a translation memory could reuse across releases. Copies of one file are not
    "many releases": the batching translates them once."""
    from pipeline.source.ingest import read_release
    from pipeline.source.segment import segment_release

    text = source.read_text(encoding="utf-8")
    segments = segment_release(read_release(source)).segments
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(1, n + 1):
        body = text
        for segment in segments:
            if segment.verbatim:
                body = body.replace(segment.source, re.sub(r"2025\d{4}", f"2025{1 + k // 28:02d}{1 + k % 28:02d}",
                                                           segment.source), 1)
                continue
            stop = len(segment.source.rstrip(".!?”’\"'"))
            marked = f"{segment.source[:stop]} (release {k}){segment.source[stop:]}"
            body = body.replace(segment.source, marked, 1)
        path = folder / f"{source.stem}-{k:03d}{source.suffix}"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    tr = synthetic_release(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
    print(len(tr.release.segments), {k: len(v) for k, v in tr.translations.items()})

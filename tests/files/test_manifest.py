"""The run manifest next to the review documents."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline.core.release import (
    DATELINE,
    SENTENCE,
    TITLE,
    VERBATIM,
    Flag,
    ModelInfo,
    Paragraph,
    Release,
    Segment,
    Span,
    TermUse,
    TranslatedRelease,
    Translation,
)
from pipeline.core.errors import ReviewError
from pipeline.files.manifest import (
    SCHEMA_VERSION,
    build_manifest,
    file_sha256,
    manifest_path,
    read_manifest,
    segments_by_id,
    write_manifest,
)
from pipeline.review.write.writer import write_review_docx

TITLE_EN = "KMU Signs Collaboration Agreement with Kumamoto University, Japan"
DATELINE_TEXT = "(中央社訊息服務20251127 16:22:39)"
S2_EN = "Kaohsiung Medical University 🌏 is expanding exchanges."


def make_release(tmp_path: Path) -> TranslatedRelease:
    src = tmp_path / "kmu-mou.txt"
    src.write_bytes((TITLE_EN + "\n" + DATELINE_TEXT + S2_EN + "\n").encode("utf-8"))
    segments = [
        Segment("p01.s01", TITLE, 1, 1, TITLE_EN),
        Segment("p02.s01", DATELINE, 2, 1, DATELINE_TEXT, spans=[Span(0, len(DATELINE_TEXT), VERBATIM, "zh")]),
        Segment("p02.s02", SENTENCE, 2, 2, S2_EN),
    ]
    release = Release(
        src,
        [TITLE_EN, DATELINE_TEXT + S2_EN],
        language="en",
        paragraphs=[Paragraph(1, TITLE, segments[:1]), Paragraph(2, SENTENCE, segments[1:])],
    )
    ku = TITLE_EN.index("Kumamoto University")
    zh = [
        Translation("p01.s01", "zh-TW", "高醫與熊本大學簽約",
                    terms=[TermUse("Kumamoto University", "熊本大學", "ku", "proposed", ku, ku + 19)]),
        Translation("p02.s01", "zh-TW", DATELINE_TEXT, origin="verbatim", flags=[Flag("verbatim", "copied")]),
        Translation("p02.s02", "zh-TW", "高雄醫學大學🌏正擴大交流。", origin="memory", suggestion="高醫擴大交流。"),
    ]  # fmt: skip
    ja = [Translation(t.segment_id, "ja", t.text) for t in zh]
    models = {
        "zh-TW": ModelInfo("zh-TW", "translate-en_zh-1_9", "1.9", "en", "zh", converter="opencc:s2twp"),
        "ja": ModelInfo("ja", "demo-copy", "0", "en", "ja", demo=True),
    }
    return TranslatedRelease(release, {"zh-TW": zh, "ja": ja}, models, Path("glossaries/kmu.csv"), "g123")


def test_manifest_path():
    assert manifest_path(Path("output"), "kmu-mou") == Path("output/kmu-mou/kmu-mou.manifest.json")


def test_build_manifest_content(tmp_path):
    tr = make_release(tmp_path)
    docs = {"zh-TW": {"path": "kmu-mou.zh-TW.docx", "sha256": "0" * 64}}
    m = build_manifest(tr, run_id="run-1", generated_at="2025-11-28T09:00:00+08:00", documents=docs)
    assert m["schema_version"] == SCHEMA_VERSION
    assert m["run_id"] == "run-1" and m["release"] == "kmu-mou"
    assert m["source"]["path"] == str(tr.release.path)
    assert m["source"]["sha256"] == hashlib.sha256(tr.release.path.read_bytes()).hexdigest()
    # recorded absolute, so that publish finds the same glossary from any folder (issue 19)
    assert m["glossary"] == {"path": str(Path.cwd() / "glossaries" / "kmu.csv"), "hash": "g123", "uncovered_names": []}
    assert m["models"]["zh-TW"] == {
        "lang": "zh-TW", "package": "translate-en_zh-1_9", "version": "1.9", "from_code": "en", "to_code": "zh",
        "converter": "opencc:s2twp", "demo": False,
    }  # fmt: skip
    assert m["models"]["ja"]["demo"] is True
    assert m["documents"] == docs
    assert [s["id"] for s in m["segments"]] == ["p01.s01", "p02.s01", "p02.s02"]
    title, dateline, s2 = m["segments"]
    assert title["hash"] == tr.release.segments[0].hash and len(title["hash"]) == 16
    assert dateline["spans"] == [{"start": 0, "end": len(DATELINE_TEXT), "kind": "verbatim", "lang": "zh"}]
    assert title["targets"]["zh-TW"]["terms"] == [
        {"source": "Kumamoto University", "target": "熊本大學", "entry_id": "ku", "status": "proposed",
         "start": TITLE_EN.index("Kumamoto"), "end": TITLE_EN.index("Kumamoto") + 19}
    ]  # fmt: skip
    assert dateline["targets"]["zh-TW"]["flags"] == [{"code": "verbatim", "message": "copied"}]
    assert s2["targets"]["zh-TW"]["origin"] == "memory" and s2["targets"]["zh-TW"]["suggestion"] == "高醫擴大交流。"
    assert set(s2["targets"]) == {"zh-TW", "ja"}
    json.dumps(m)  # serialisable as is


def test_missing_source_file_has_no_hash(tmp_path):
    tr = make_release(tmp_path)
    tr.release.path.unlink()
    m = build_manifest(tr, run_id="r", generated_at="t", documents={})
    assert m["source"]["sha256"] is None


def test_round_trip_with_written_documents(tmp_path):
    tr = make_release(tmp_path)
    folder = tmp_path / "out" / tr.release.name
    documents = {}
    for lang in ("zh-TW", "ja"):
        doc_path = folder / f"{tr.release.name}.{lang}.docx"
        write_review_docx(tr, lang, doc_path, generated_at="2025-11-28", source_label="kmu-mou.txt", run_id="run-7")
        documents[lang] = {"path": doc_path.name, "sha256": file_sha256(doc_path)}
    m = build_manifest(tr, run_id="run-7", generated_at="2025-11-28", documents=documents)
    path = manifest_path(tmp_path / "out", tr.release.name)
    write_manifest(path, m)
    assert read_manifest(path) == m
    assert sorted(p.name for p in folder.iterdir()) == [
        "kmu-mou.ja.docx", "kmu-mou.manifest.json", "kmu-mou.zh-TW.docx",
    ]  # fmt: skip
    for lang, entry in read_manifest(path)["documents"].items():
        data = (folder / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert "熊本大學" in path.read_text(encoding="utf-8")  # readable UTF-8, not \u escapes


def test_segments_by_id(tmp_path):
    m = build_manifest(make_release(tmp_path), run_id="r", generated_at="t", documents={})
    by_id = segments_by_id(m)
    assert list(by_id) == ["p01.s01", "p02.s01", "p02.s02"]
    assert by_id["p02.s02"]["source"] == S2_EN
    m["segments"].append(dict(m["segments"][0]))
    with pytest.raises(ReviewError, match="appears twice"):
        segments_by_id(m)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"schema_version": 1, "run_id": ', "invalid JSON at line 1"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"schema_version": 99, "run_id": "r", "release": "x", "segments": []}', "schema version 99"),
        (b'{"schema_version": 1, "release": "x", "segments": []}', "missing run_id"),
    ],
)
def test_read_manifest_damaged(tmp_path, content, words):
    path = tmp_path / "x.manifest.json"
    path.write_bytes(content)
    with pytest.raises(ReviewError) as info:
        read_manifest(path)
    assert words in info.value.message and str(path) in info.value.message and "\n" not in info.value.message


def test_read_manifest_missing(tmp_path):
    with pytest.raises(ReviewError, match="not found"):
        read_manifest(tmp_path / "nope.manifest.json")

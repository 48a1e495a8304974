"""The review document writer and the atomic output it relies on."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.files import atomic
from pipeline.files.atomic import atomic_output, atomic_write_bytes, atomic_write_text
from pipeline.core.release import (
    DATELINE,
    SENTENCE,
    TEXT,
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
from pipeline.core.errors import OutputError
from pipeline.review.write.writer import (
    CONTROL_NOTE,
    DEMO_WARNING,
    build_review_document,
    clean_text,
    write_review_docx,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

TITLE_EN = "KMU Signs Collaboration Agreement with Kumamoto University, Japan"
DATELINE_TEXT = "(中央社訊息服務20251127 16:22:39)"
S2_EN = "Kaohsiung Medical University (KMU) is expanding 🌏 exchanges\x07 with Japan."
S3_EN = "President Ming-Lung Yu led the delegation."


def make_release(tmp_path: Path, *, demo: bool = False, ja: bool = True) -> TranslatedRelease:
    src = tmp_path / "kmu-mou.txt"
    src.write_text(TITLE_EN + "\n" + DATELINE_TEXT + S2_EN + " " + S3_EN + "\n", encoding="utf-8")
    title = Segment("p01.s01", TITLE, 1, 1, TITLE_EN, spans=[Span(0, len(TITLE_EN))])
    dateline = Segment(
        "p02.s01", DATELINE, 2, 1, DATELINE_TEXT, spans=[Span(0, len(DATELINE_TEXT), VERBATIM, "zh")]
    )
    s2 = Segment("p02.s02", SENTENCE, 2, 2, S2_EN, trailing=" ", spans=[Span(0, len(S2_EN), TEXT)])
    s3 = Segment("p02.s03", SENTENCE, 2, 3, S3_EN)
    release = Release(
        path=src,
        paragraphs_text=[TITLE_EN, DATELINE_TEXT + S2_EN + " " + S3_EN],
        language="en",
        language_confidence=0.99,
        paragraphs=[Paragraph(1, TITLE, [title]), Paragraph(2, SENTENCE, [dateline, s2, s3])],
        notes=["1 image skipped"],
    )
    ku = TITLE_EN.index("Kumamoto University")
    kmu = S2_EN.index("Kaohsiung Medical University")
    zh = [
        Translation(
            "p01.s01", "zh-TW", "高醫與日本熊本大學簽署合作協議",
            terms=[TermUse("Kumamoto University", "熊本大學", "kumamoto-u", "approved", ku, ku + 19)],
        ),
        Translation(
            "p02.s01", "zh-TW", DATELINE_TEXT, origin="verbatim",
            flags=[Flag("verbatim", "Chinese dateline copied as is")],
        ),
        Translation(
            "p02.s02", "zh-TW", "高雄醫學大學（KMU）正擴大🌏與日本的交流\x01。",
            flags=[Flag("number-mismatch", "numbers differ: 2025 vs none")],
            terms=[TermUse("Kaohsiung Medical University", "高雄醫學大學", "kmu", "proposed", kmu, kmu + 28)],
        ),
        Translation(
            "p02.s03", "zh-TW", "劉景寬校長率團。", origin="memory",
            flags=[Flag("memory-fuzzy", "from memory (92% match)")], suggestion="余明隆校長率團。",
        ),
    ]  # fmt: skip
    translations = {"zh-TW": zh}
    models = {"zh-TW": ModelInfo("zh-TW", "translate-en_zh-1_9", "1.9", "en", "zh", converter="opencc:s2twp", demo=demo)}
    if ja:
        translations["ja"] = [
            Translation(t.segment_id, "ja", text, origin=t.origin)
            for t, text in zip(zh, ["KMU、熊本大学と協定を締結", DATELINE_TEXT, "高雄医学大学は交流を拡大。", "余明隆学長が訪問。"])
        ]
        models["ja"] = ModelInfo("ja", "translate-en_ja-1_1", "1.1", "en", "ja", demo=demo)
    return TranslatedRelease(release, translations, models, glossary_path=Path("glossaries/kmu.csv"), glossary_hash="abc123")


# ---------------------------------------------------------------------------------------------- reading back


def cell_text(cell) -> str:
    """What Word's "Accept All Changes" shows in a cell: w:t (and tab/br/cr), paragraphs joined by newlines."""
    paragraphs = []
    for p in cell._tc.iter(f"{W}p"):
        parts = []
        for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
            if any(a.tag in (f"{W}del", f"{W}moveFrom") for a in el.iterancestors()):
                continue
            if el.tag == f"{W}t":
                parts.append(el.text or "")
            else:
                parts.append({f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\r"}[el.tag])
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def write_and_open(tr, lang, path, **kw):
    write_review_docx(tr, lang, path, generated_at="2025-11-28T09:00:00+08:00", source_label="samples/kmu-mou.txt",
                      run_id=kw.pop("run_id", "run-20251128-0900-abcd"), **kw)  # fmt: skip
    return docx.Document(str(path))


@pytest.fixture
def zh_doc(tmp_path):
    tr = make_release(tmp_path)
    return tr, write_and_open(tr, "zh-TW", tmp_path / "out" / "kmu-mou.zh-TW.docx")


# ---------------------------------------------------------------------------------------------- layout


def test_landscape_a4(zh_doc):
    _, doc = zh_doc
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert abs(section.page_width.mm - 297) < 1 and abs(section.page_height.mm - 210) < 1


def test_one_table_header_plus_one_row_per_segment(zh_doc):
    tr, doc = zh_doc
    assert len(doc.tables) == 1
    table = doc.tables[0]
    segments = tr.release.segments
    assert len(table.rows) == 1 + len(segments)
    assert [c.text for c in table.rows[0].cells] == ["ID", "English", "繁體中文", "Notes", "OK?"]
    assert table.style.name == "Table Grid"
    first_trpr = table.rows[0]._tr.trPr
    assert first_trpr is not None and first_trpr.find(qn("w:tblHeader")) is not None
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    for row in table.rows[1:]:
        assert row._tr.trPr.find(qn("w:tblHeader")) is None


def test_columns_hold_ids_sources_and_translations(zh_doc):
    tr, doc = zh_doc
    rows = doc.tables[0].rows[1:]
    segments = tr.release.segments
    assert [cell_text(r.cells[0]) for r in rows] == [s.id for s in segments]
    assert [cell_text(r.cells[1]) for r in rows] == [clean_text(s.source)[0] for s in segments]
    assert [cell_text(r.cells[2]) for r in rows] == [clean_text(t.text)[0] for t in tr.translations["zh-TW"]]
    # python-docx's own reading agrees on an unedited document
    assert [r.cells[0].text for r in rows] == [s.id for s in segments]
    # the control characters are gone, the emoji and CJK stay
    assert "\x07" not in cell_text(rows[2].cells[1]) and "🌏" in cell_text(rows[2].cells[1])
    assert cell_text(rows[2].cells[2]) == "高雄醫學大學（KMU）正擴大🌏與日本的交流。"


def test_ja_column_header(tmp_path):
    tr = make_release(tmp_path)
    doc = write_and_open(tr, "ja", tmp_path / "kmu.ja.docx")
    assert doc.tables[0].rows[0].cells[2].text == "日本語"
    assert doc.paragraphs[0].text == "Review document — kmu-mou → Japanese (日本語)"
    assert "Yu Mincho" in _target_fonts(doc) and "ja-JP" in _target_langs(doc)
    # the Chinese dateline keeps a Chinese face in the Japanese document, in both columns
    dateline = doc.tables[0].rows[2]
    for cell in dateline.cells[1:3]:
        for r in cell._tc.iter(f"{W}r"):
            assert r.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == "Microsoft JhengHei"
            assert r.find(f"{W}rPr/{W}lang").get(qn("w:eastAsia")) == "zh-TW"


def test_verbatim_span_inside_a_sentence(tmp_path):
    source = "The motto 「止於至善」 was quoted."
    a = source.index("「")
    seg = Segment("p01.s01", SENTENCE, 1, 1, source, spans=[Span(0, a), Span(a, a + 6, VERBATIM, None)])
    release = Release(tmp_path / "r.txt", [source], paragraphs=[Paragraph(1, SENTENCE, [seg])])
    tr = TranslatedRelease(
        release,
        {"ja": [Translation("p01.s01", "ja", "校訓「止於至善」が引用された。")]},
        {"ja": ModelInfo("ja", "p", "1", "en", "ja")},
    )
    doc = write_and_open(tr, "ja", tmp_path / "r.ja.docx")
    row = doc.tables[0].rows[1]
    for cell in row.cells[1:3]:
        grey = [r.text for r in cell.paragraphs[0].runs if r.italic]
        assert grey == ["「止於至善」"]
    assert cell_text(row.cells[3]) == "Kept verbatim: 「止於至善」"


def test_paragraph_starts_are_marked_without_extra_rows(zh_doc):
    _, doc = zh_doc
    rows = doc.tables[0].rows[1:]

    def top_border(row):
        borders = row.cells[0]._tc.tcPr.find(qn("w:tcBorders"))
        return borders is not None and borders.find(qn("w:top")) is not None

    assert [top_border(r) for r in rows] == [True, True, False, False]
    assert [bool(r.cells[0].paragraphs[0].runs[0].bold) for r in rows] == [True, True, False, False]


# ---------------------------------------------------------------------------------------------- fonts, marks


def _target_runs(doc):
    return [r for row in doc.tables[0].rows[1:] for r in row.cells[2]._tc.iter(f"{W}r")]


def _target_fonts(doc):
    return {r.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) for r in _target_runs(doc)}


def _target_langs(doc):
    return {r.find(f"{W}rPr/{W}lang").get(qn("w:eastAsia")) for r in _target_runs(doc)}


def test_target_runs_have_east_asian_font_and_language(zh_doc):
    _, doc = zh_doc
    runs = _target_runs(doc)
    assert runs
    for r in runs:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        assert fonts.get(qn("w:eastAsia")) == "Microsoft JhengHei"
        assert fonts.get(qn("w:ascii")) and fonts.get(qn("w:hAnsi"))
        lang = r.find(f"{W}rPr/{W}lang")
        assert lang.get(qn("w:val")) == "en-US" and lang.get(qn("w:eastAsia")) == "zh-TW"
    for row in doc.tables[0].rows[1:]:
        for r in row.cells[1]._tc.iter(f"{W}r"):
            assert r.find(f"{W}rPr/{W}lang").get(qn("w:val")) == "en-US"


def _highlighted(cell) -> dict[str, str]:
    found = {}
    for r in cell._tc.iter(f"{W}r"):
        h = r.find(f"{W}rPr/{W}highlight")
        if h is not None:
            found["".join(t.text for t in r.iter(f"{W}t"))] = h.get(qn("w:val"))
    return found


def test_glossary_terms_highlighted_in_both_columns(zh_doc):
    _, doc = zh_doc
    rows = doc.tables[0].rows[1:]
    assert _highlighted(rows[0].cells[1]) == {"Kumamoto University": "yellow"}
    assert _highlighted(rows[0].cells[2]) == {"熊本大學": "yellow"}
    assert _highlighted(rows[2].cells[1]) == {"Kaohsiung Medical University": "cyan"}  # turquoise
    assert _highlighted(rows[2].cells[2]) == {"高雄醫學大學": "cyan"}
    assert _highlighted(rows[3].cells[1]) == {}


def test_verbatim_segment_grey_italic(zh_doc):
    _, doc = zh_doc
    row = doc.tables[0].rows[2]
    for cell in row.cells[1:3]:
        runs = cell.paragraphs[0].runs
        assert runs and all(r.italic and str(r.font.color.rgb) == "808080" for r in runs)
    assert "Kept verbatim (zh)" in cell_text(row.cells[3])


def test_notes(zh_doc):
    _, doc = zh_doc
    notes = [cell_text(r.cells[3]) for r in doc.tables[0].rows[1:]]
    assert notes[0] == "Glossary: Kumamoto University → 熊本大學"
    assert "[verbatim] Chinese dateline copied as is" in notes[1]
    assert notes[2].splitlines() == [
        "[number-mismatch] numbers differ: 2025 vs none",
        "Glossary: Kaohsiung Medical University → 高雄醫學大學 (proposed — confirm)",
        CONTROL_NOTE,
    ]
    assert notes[3].splitlines() == ["[memory-fuzzy] from memory (92% match)", "TM suggestion: 余明隆校長率團。"]


def test_header_block_and_properties(zh_doc):
    _, doc = zh_doc
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "Review document — kmu-mou → Traditional Chinese (繁體中文)"
    assert "Source: samples/kmu-mou.txt" in text
    assert "Generated: 2025-11-28T09:00:00+08:00" in text
    assert "translate-en_zh-1_9 1.9" in text and "opencc:s2twp" in text
    assert "Glossary: glossaries/kmu.csv (hash abc123)" in text
    assert "1 image skipped" in text
    assert DEMO_WARNING not in text and "DEMO" not in text
    props = doc.core_properties
    assert props.identifier == "run-20251128-0900-abcd"
    assert props.title == "kmu-mou"
    assert props.language == "zh-TW"
    assert "DEMO" not in (props.comments or "") + (props.subject or "")


def test_demo_banner(tmp_path):
    tr = make_release(tmp_path, demo=True)
    doc = write_and_open(tr, "zh-TW", tmp_path / "demo.docx")
    banner = [p for p in doc.paragraphs if p.text == DEMO_WARNING]
    assert len(banner) == 1
    run = banner[0].runs[0]
    assert run.bold and str(run.font.color.rgb) == "C00000"
    assert DEMO_WARNING in doc.core_properties.comments


def test_no_glossary_and_empty_translation(tmp_path):
    tr = make_release(tmp_path, ja=False)
    tr.glossary_path = tr.glossary_hash = None
    tr.translations["zh-TW"][3].text = ""
    doc = write_and_open(tr, "zh-TW", tmp_path / "empty.docx")
    assert "Glossary: none (run with --no-glossary: names were not checked against a glossary)" in [p.text for p in doc.paragraphs]
    cell = doc.tables[0].rows[4].cells[2]
    assert cell_text(cell) == ""
    # the empty cell still carries the target fonts for what the reviewer will type
    assert cell._tc.find(f".//{W}rFonts").get(qn("w:eastAsia")) == "Microsoft JhengHei"


def test_unknown_language_uses_its_code(tmp_path):
    tr = make_release(tmp_path, ja=False)
    tr.translations["fr"] = [Translation(s.id, "fr", "Bonjour") for s in tr.release.segments]
    doc = write_and_open(tr, "fr", tmp_path / "fr.docx")
    assert doc.tables[0].rows[0].cells[2].text == "fr"


# ---------------------------------------------------------------------------------------------- atomic output


def test_failed_write_keeps_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    tr = make_release(tmp_path)
    out = tmp_path / "out"
    path = out / "kmu.zh-TW.docx"
    write_and_open(tr, "zh-TW", path)
    before = path.read_bytes()

    def half_written(target, data: bytes) -> None:  # the writer saves to a path or, streaming, to a buffer
        if hasattr(target, "write"):
            target.write(data)
        else:
            Path(target).write_bytes(data)

    def broken_save(self, target):
        half_written(target, b"PK\x03\x04half a document")
        raise RuntimeError("boom")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)
    with pytest.raises(RuntimeError):
        write_and_open(tr, "zh-TW", path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["kmu.zh-TW.docx"]

    def interrupted_save(self, target):
        half_written(target, b"PK")
        raise KeyboardInterrupt

    monkeypatch.setattr(docx.document.Document, "save", interrupted_save)
    with pytest.raises(KeyboardInterrupt):
        write_and_open(tr, "zh-TW", path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["kmu.zh-TW.docx"]


def test_failure_while_rows_stream_into_the_file_keeps_previous_file(tmp_path, monkeypatch):
    from pipeline.docx import streaming as docx_stream

    tr = make_release(tmp_path)
    out = tmp_path / "out"
    path = out / "kmu.zh-TW.docx"
    write_and_open(tr, "zh-TW", path)
    before = path.read_bytes()
    real = docx_stream._element_bytes
    written = []

    def fail_on_third_row(element):
        written.append(element)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        return real(element)

    monkeypatch.setattr(docx_stream, "_element_bytes", fail_on_third_row)
    with pytest.raises(OutputError):
        write_and_open(tr, "zh-TW", path)
    assert len(written) == 3  # the rows were being written into the temporary file when it failed
    assert path.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["kmu.zh-TW.docx"]


def test_atomic_write_text_and_bytes(tmp_path):
    path = tmp_path / "sub" / "a.txt"
    atomic_write_text(path, "一\r\n二\n")
    assert path.read_bytes() == "一\r\n二\n".encode()
    atomic_write_bytes(path, b"x")
    assert path.read_bytes() == b"x"
    assert os.listdir(path.parent) == ["a.txt"]


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        (OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
        (OSError(errno.EIO, "Input/output error"), "Input/output error"),
    ],
)
def test_os_errors_become_output_errors(tmp_path, monkeypatch, exc, words):
    path = tmp_path / "doc.docx"
    path.write_bytes(b"old")

    def failing_replace(src, dst):
        raise exc

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    with pytest.raises(OutputError) as info:
        atomic_write_bytes(path, b"new")
    message = info.value.message
    assert str(path) in message and words in message and "\n" not in message
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["doc.docx"]


def test_os_error_inside_body_becomes_output_error(tmp_path):
    path = tmp_path / "doc.docx"
    with pytest.raises(OutputError, match="disk is full"):
        with atomic_output(path) as tmp:
            tmp.write_bytes(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert os.listdir(tmp_path) == []


def test_unwritable_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="Cannot write"):
        atomic_write_text(blocker / "inside" / "a.txt", "x")


# ---------------------------------------------------------------------------------------------- round trip

def _one_segment_release(source: str, target: str, term_range: tuple[int, int] | None) -> TranslatedRelease:
    seg = Segment("p01.s01", SENTENCE, 1, 1, source)
    terms = []
    if term_range is not None:
        a, b = term_range
        terms.append(TermUse(source[a:b], target[: max(1, len(target) // 2)], "t1", "proposed", a, b))
    tr_ = Translation("p01.s01", "zh-TW", target, terms=terms)
    release = Release(Path("nonexistent-release.txt"), [source], paragraphs=[Paragraph(1, SENTENCE, [seg])])
    return TranslatedRelease(release, {"zh-TW": [tr_]}, {"zh-TW": ModelInfo("zh-TW", "p", "1", "en", "zh")})


@st.composite
def _texts(draw):
    source = draw(st.text(max_size=80))
    target = draw(st.text(max_size=80))
    term_range = None
    if source and draw(st.booleans()):
        a = draw(st.integers(0, len(source) - 1))
        b = draw(st.integers(a + 1, len(source)))
        term_range = (a, b)
    return source, target, term_range


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts())
@example(("  lead\x00 tab\there\r\nline\x0b ", "\ufffe熊本\x1f大學🌏\n\t ", (2, 9)))
@example(("", "", None))
def test_round_trip_arbitrary_text(texts):
    source, target, term_range = texts
    tr = _one_segment_release(source, target, term_range)
    doc = build_review_document(tr, "zh-TW", generated_at="2025-11-28", source_label="x", run_id="r1")
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    row = docx.Document(buffer).tables[0].rows[1]
    clean_source, source_changed = clean_text(source)
    clean_target, target_changed = clean_text(target)
    assert cell_text(row.cells[0]) == "p01.s01"
    assert cell_text(row.cells[1]) == clean_source
    assert cell_text(row.cells[2]) == clean_target
    noted = CONTROL_NOTE in cell_text(row.cells[3])
    assert noted == (source_changed or target_changed)


def test_clean_text():
    assert clean_text("a\x00b\x0bc\x1f\ufffe\t\n\r😀") == ("abc\t\n\r😀", True)
    assert clean_text("熊本大學") == ("熊本大學", False)


# ---------------------------------------------------------------------------------------------- scale (issue 14)


def _long_release(tmp_path: Path, copies: int) -> TranslatedRelease:
    """`make_release`'s paragraphs repeated `copies` times with new paragraph numbers and ids."""
    base = make_release(tmp_path)
    paragraphs, translations = [], {lang: [] for lang in base.translations}
    by_lang = {lang: {t.segment_id: t for t in ts} for lang, ts in base.translations.items()}
    for copy_ in range(copies):
        for paragraph in base.release.paragraphs:
            number = len(paragraphs) + 1
            segments = []
            for s in paragraph.segments:
                new_id = f"p{number:02d}.s{s.index:02d}"
                segments.append(Segment(new_id, s.kind, number, s.index, s.source, s.trailing, list(s.spans)))
                for lang, known in by_lang.items():
                    t = known[s.id]
                    translations[lang].append(Translation(new_id, lang, t.text, t.origin, t.flags, t.terms, t.suggestion))
            paragraphs.append(Paragraph(number, paragraph.kind, segments))
    release = Release(base.release.path, [p.text for p in paragraphs], paragraphs=paragraphs)
    return TranslatedRelease(release, translations, base.models)


def test_body_rows_do_not_use_python_docx_per_row_table_api(tmp_path, monkeypatch):
    """table.add_row() and row.cells walk the whole table on each call (quadratic writing, issue 14)."""
    import docx.table

    calls = {"add_row": 0, "_cells": 0}
    real_cells = docx.table.Table._cells

    def counting_add_row(self):
        calls["add_row"] += 1
        raise AssertionError("the writer must not add body rows through python-docx")

    def counting_cells(self):
        calls["_cells"] += 1
        return real_cells.fget(self)

    monkeypatch.setattr(docx.table.Table, "add_row", counting_add_row)
    monkeypatch.setattr(docx.table.Table, "_cells", property(counting_cells))
    tr = _long_release(tmp_path, 40)  # 160 segments
    path = tmp_path / "long.zh-TW.docx"
    write_review_docx(tr, "zh-TW", path, generated_at="2025-11-28T09:00:00+08:00", source_label="x", run_id="r")
    assert calls["add_row"] == 0 and calls["_cells"] <= 1  # the header row's cells at most, whatever the length
    monkeypatch.undo()
    rows = docx.Document(str(path)).tables[0].rows
    assert len(rows) == 1 + 160


def test_streamed_file_holds_exactly_the_built_document(tmp_path):
    """write_review_docx streams rows into the file; the parts are byte for byte what python-docx saves."""
    import zipfile

    tr = _long_release(tmp_path, 5)
    kw = dict(generated_at="2025-11-28T09:00:00+08:00", source_label="x", run_id="r")
    for lang in ("zh-TW", "ja"):
        built = tmp_path / f"built.{lang}.docx"
        build_review_document(tr, lang, **kw).save(str(built))
        streamed = tmp_path / f"streamed.{lang}.docx"
        seen: list[tuple[int, int]] = []
        write_review_docx(tr, lang, streamed, progress=lambda done, total: seen.append((done, total)), **kw)
        with zipfile.ZipFile(built) as a, zipfile.ZipFile(streamed) as b:
            assert a.namelist() == b.namelist()
            for name in a.namelist():
                assert a.read(name) == b.read(name), name
        assert seen == [(n, 20) for n in range(1, 21)]


def test_long_release_reads_back_row_for_row(tmp_path):
    from pipeline.review.read.reader import read_review_rows

    tr = _long_release(tmp_path, 50)  # 200 segments, 100 paragraphs
    path = tmp_path / "long.ja.docx"
    write_review_docx(tr, "ja", path, generated_at="2025-11-28T09:00:00+08:00", source_label="x", run_id="r")
    meta, rows = read_review_rows(path)
    assert meta["columns"] == ["ID", "English", "日本語", "Notes", "OK?"]
    assert [r.id for r in rows] == [s.id for s in tr.release.segments]
    assert [r.english for r in rows] == [clean_text(s.source)[0] for s in tr.release.segments]
    assert [r.target for r in rows] == [clean_text(t.text)[0] for t in tr.translations["ja"]]
    doc = docx.Document(str(path))
    bold_ids = [bool(row.cells[0].paragraphs[0].runs[0].bold) for row in doc.tables[0].rows[1:]]
    assert bold_ids == [s.index == 1 for s in tr.release.segments]  # each paragraph's first row

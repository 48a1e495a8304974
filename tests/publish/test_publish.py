"""`translate publish` and the typography of published zh-TW / ja text."""

from __future__ import annotations

import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from support import review_edits as edit
from support.paths import SAMPLE
from pipeline.core.release import normalize
from pipeline.language.typography import is_cjk_char, join_pieces, typeset
from support.review_runs import Run, do_run, review_zh

# --------------------------------------------------------------------------------------------- typography


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("高雄醫學大學 (KMU) 與熊本大學簽署備忘錄.", "zh-TW", "高雄醫學大學（KMU）與熊本大學簽署備忘錄。"),
        ("他說: “今天的協議象徵 ‘正式’ 夥伴關係!”", "zh-TW", "他說：「今天的協議象徵『正式』夥伴關係！」"),
        ("熊本大学 と 高雄医学大学 , 学術交流 ; 本当 ?", "ja", "熊本大学と高雄医学大学、学術交流；本当？"),
        ("日本の1,000円札と16:22:39、3.5倍", "ja", "日本の1,000円札と16:22:39、3.5倍"),
        ("包括HIV-1、HTLV-1及HBV.", "zh-TW", "包括HIV-1、HTLV-1及HBV。"),
        ("２０１７年 高雄市 與 熊本市 締結姊妹市", "zh-TW", "2017年高雄市與熊本市締結姊妹市"),
        ('他說"你好"然後離開', "zh-TW", "他說「你好」然後離開"),
        ("日本’s “leading” center", "ja", "日本’s「leading」center"),
        ("(中央社訊息服務20251127 16:22:39)", "ja", "（中央社訊息服務20251127 16:22:39）"),
        ("等待...", "zh-TW", "等待……"),
        ("Plain  English, (untouched).", "en", "Plain English, (untouched)."),
        ("Japan’s agreement, signed (today).", "zh-TW", "Japan’s agreement, signed (today)."),
        # Nested quotations: straight or curly single quotes inside a CJK quotation become 『』.
        ("他說\"這是'正式'的夥伴\"。", "zh-TW", "他說「這是『正式』的夥伴」。"),
        ("他說“這是'正式'的夥伴”。", "zh-TW", "他說「這是『正式』的夥伴」。"),
        ("他說“這是‘正式’的夥伴”。", "zh-TW", "他說「這是『正式』的夥伴」。"),
        ("他說「這是'KMU'的夥伴」。", "zh-TW", "他說「這是『KMU』的夥伴」。"),
        ("学長は「'Japan's best'と言った」", "ja", "学長は「『Japan's best』と言った」"),
        ("学長は“Kumamoto's 協定”", "ja", "学長は「Kumamoto's 協定」"),
        ("Kaohsiung's 'best' partner", "zh-TW", "Kaohsiung's 'best' partner"),
    ],
)
def test_typeset(text, lang, expected):
    assert typeset(text, lang) == expected


def test_join_pieces():
    assert join_pieces(["第一句。", "第二句。"], "zh-TW") == "第一句。第二句。"
    assert join_pieces(["提到HIV", "HBV研究"], "ja") == "提到HIV HBV研究"
    assert join_pieces(["One.", " Two. "], "en") == "One. Two."


_mixed = st.text(alphabet=st.sampled_from(list("高雄醫學大學熊本にほんABCabc012 .,:;!?()“”‘’\"'「」…、。，")), max_size=40)


@given(_mixed, st.sampled_from(["zh-TW", "ja"]))
def test_typeset_is_idempotent_and_leaves_no_space_between_cjk(text, lang):
    once = typeset(text, lang)
    assert typeset(once, lang) == once
    for a, b, c in zip(once, once[1:], once[2:]):
        assert not (is_cjk_char(a) and b == " " and is_cjk_char(c)), once
    assert "“" not in once and "”" not in once


# --------------------------------------------------------------------------------------------- publish

LANGS = {"zh-TW": ("Microsoft JhengHei", "zh-TW"), "ja": ("Yu Mincho", "ja-JP")}


def review_keeping_glossary(run: Run, lang: str, path) -> dict[str, str]:
    """Edits that keep every glossary term: a plain edit, a tracked insertion, a split cell, an emptied cell."""
    doc = docx.Document(run.review(lang))
    joiner = "、" if lang == "ja" else "與"
    expected = {}
    title = joiner.join(run.approved_targets("p01.s01", lang)) + ("が協定に署名" if lang == "ja" else "簽署合作協議")
    edit.replace_text(edit.target_cell(doc, "p01.s01"), title)
    expected["p01.s01"] = title
    cell = edit.target_cell(doc, "p02.s02")
    edit.tracked_insert(cell.paragraphs[0], "（校對）")
    expected["p02.s02"] = run.machine("p02.s02", lang) + "（校對）"
    targets = "、".join(run.approved_targets("p03.s01", lang))
    edit.split_cell(edit.target_cell(doc, "p03.s01"), targets + "歷史悠久，", "聲譽卓著。")
    expected["p03.s01"] = targets + "歷史悠久，聲譽卓著。"
    edit.replace_text(edit.target_cell(doc, "p05.s02"), "")
    expected["p05.s02"] = ""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return expected


def expected_paragraphs(run: Run, lang: str, edits: dict[str, str]) -> tuple[list[str], list[str]]:
    """(published paragraphs, English paragraphs): title, the dateline alone, then the body paragraphs."""
    groups: list[tuple[str, list[dict]]] = []
    for segment in run.manifest["segments"]:
        if segment["kind"] == "dateline":
            groups.append(("dateline", [segment]))
        elif groups and groups[-1][0] != "dateline" and groups[-1][1][0]["paragraph"] == segment["paragraph"]:
            groups[-1][1].append(segment)
        else:
            groups.append((segment["kind"], [segment]))
    published, english = [], []
    for _, segments in groups:
        texts = [edits.get(s["id"], normalize(s["targets"][lang]["text"])) for s in segments]
        published.append(join_pieces([typeset(t, lang) for t in texts if t], lang))
        english.append("".join(s["source"] + s["trailing"] for s in segments).strip())
    return published, english


def body(document) -> list[str]:
    return [p.text for p in document.paragraphs if not p.text.startswith(("DEMO MODEL", "CONTAINS UNREVIEWED"))]


def test_publish_refuses_unreviewed_segments_and_lists_them(run, cli):
    result = cli("publish", run.folder)
    assert result.exit_code == 6, result.output
    assert "zh-TW: 20 unreviewed: p01.s01, p02.s02" in result.output and "p08.s01" in result.output
    assert "p02.s01" not in result.output.split("ja:")[1]  # the verbatim dateline needs no review
    assert "--allow-unreviewed" in result.output
    assert not list(run.folder.glob(f"{SAMPLE.stem}.*.bilingual.docx"))
    assert not (run.folder / f"{SAMPLE.stem}.ja.docx").exists()


def test_a_glossary_change_blocks_publication(run, cli, tmp_path):
    reviewed = tmp_path / "back" / "zh.docx"
    review_zh(run, reviewed)
    assert cli("review", "import", reviewed, "--manifest", run.folder).exit_code == 0
    result = cli("publish", run.folder, "--to", "zh-TW")
    assert result.exit_code == 6
    row = 2 + [s["id"] for s in run.manifest["segments"]].index("p03.s01")
    assert f"zh-TW row {row} (p03.s01, needs-glossary-review): term-missing" in result.output
    assert f"fix it in row {row} of {reviewed} and import the document again" in result.output  # by its path


def test_published_documents_hold_exactly_the_reviewed_text(run, cli, tmp_path):
    edits = {}
    for lang in LANGS:
        path = tmp_path / "back" / f"{lang}.docx"
        edits[lang] = review_keeping_glossary(run, lang, path)
        result = cli("review", "import", path, "--manifest", run.folder, "--approve-all")
        assert result.exit_code == 0 and "needs-glossary-review" not in result.output, result.output
    result = cli("publish", run.folder)
    assert result.exit_code == 0, result.output
    for lang, (east_asia, tag) in LANGS.items():
        published, english = expected_paragraphs(run, lang, edits[lang])
        document = docx.Document(run.folder / f"{SAMPLE.stem}.{lang}.docx")
        assert document.tables == []
        assert body(document) == published
        assert document.paragraphs[0].text.startswith("DEMO MODEL")  # a demo run says so, even reviewed
        title = next(p for p in document.paragraphs if p.style.name == "Heading 1")
        assert title.text == published[0]
        props = document.core_properties
        assert props.category == "published" and props.content_status == "reviewed" and props.language == lang
        assert props.identifier == run.manifest["run_id"]
        for paragraph in document.paragraphs[1:]:
            for r in paragraph.runs:
                fonts = r._r.rPr.find(qn("w:rFonts"))
                lang_el = r._r.rPr.find(qn("w:lang"))
                assert fonts.get(qn("w:eastAsia")) == east_asia
                # Latin letters in a CJK text are English names (a Latin word said to be Japanese is broken anywhere)
                assert lang_el.get(qn("w:val")) == "en-US" and lang_el.get(qn("w:eastAsia")) == tag
                assert r.font.highlight_color is None
        bilingual = docx.Document(run.folder / f"{SAMPLE.stem}.{lang}.bilingual.docx")
        rows = bilingual.tables[0].rows
        assert [c.text for c in rows[0].cells][0] == "English"
        assert [r.cells[0].text for r in rows[1:]] == english
        assert [r.cells[1].text for r in rows[1:]] == published
    # Exactly the reviewed text: the split cell joined without a space, the insertion kept, the emptied
    # sentence left out.
    zh = body(docx.Document(run.folder / f"{SAMPLE.stem}.zh-TW.docx"))
    assert any("歷史悠久，聲譽卓著。" in p for p in zh)
    assert any("（校對）" in p for p in zh)
    assert not any("Students are regularly sent abroad" in p for p in zh)


def test_reader_reads_the_bilingual_document_for_the_glossary_check(run, cli, tmp_path):
    from pipeline.review.read.reader import read_review_rows

    cli("publish", run.folder, "--allow-unreviewed", "--to", "ja")
    meta, rows = read_review_rows(run.folder / f"{SAMPLE.stem}.ja.bilingual.docx")
    assert meta["kind"] == "published-bilingual" and meta["language"] == "ja"
    assert rows[0].id == "p01" and rows[0].english == run.segment("p01.s01")["source"]
    meta, rows = read_review_rows(run.folder / f"{SAMPLE.stem}.ja.docx")
    assert meta["kind"] == "published" and rows == []
    result = cli("review", "import", run.folder / f"{SAMPLE.stem}.ja.docx", "--manifest", run.folder)
    assert result.exit_code == 6 and "published document" in result.output


def test_allow_unreviewed_marks_the_draft(run, cli):
    result = cli("publish", run.folder, "--allow-unreviewed", "--to", "zh-TW")
    assert result.exit_code == 0, result.output
    assert "unreviewed" in result.output
    for name in (f"{SAMPLE.stem}.zh-TW.docx", f"{SAMPLE.stem}.zh-TW.bilingual.docx"):
        document = docx.Document(run.folder / name)
        assert document.paragraphs[0].text.startswith("CONTAINS UNREVIEWED MACHINE TRANSLATION")
        assert "p01.s01" in document.paragraphs[0].text
        props = document.core_properties
        assert props.content_status == "contains unreviewed machine translation"
        assert "unreviewed" in props.keywords and "UNREVIEWED" in props.comments
    document = docx.Document(run.folder / f"{SAMPLE.stem}.zh-TW.docx")
    highlighted = [r for p in document.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert highlighted and all("中央社" not in r.text for r in highlighted)  # verbatim is not unreviewed MT
    assert not (run.folder / f"{SAMPLE.stem}.ja.docx").exists()


def test_segments_from_memory_count_as_reviewed(run, installed, cli, tmp_path, sample_copy):
    from pipeline.memory import MemoryStore, NewEntry

    memory = tmp_path / "office.sqlite"
    with MemoryStore(memory) as store:
        store.add(
            NewEntry(s["source"], "ja", s["targets"]["ja"]["text"] + "（確認済み）", document="earlier.docx")
            for s in run.manifest["segments"]
            if s["kind"] != "dateline"
        )
    again = do_run(cli, sample_copy, run.out, "--to", "ja", "--memory", memory)
    assert all(s["targets"]["ja"]["origin"] in ("memory", "verbatim") for s in again.manifest["segments"])
    result = cli("publish", again.folder, "--no-memory")
    assert result.exit_code == 0, result.output
    document = docx.Document(again.folder / f"{SAMPLE.stem}.ja.docx")
    assert all("（確認済み）" in p for p in body(document)[2:])
    assert document.core_properties.content_status == "reviewed"


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="needs soffice and pdftotext")
def test_libreoffice_renders_the_published_document(run, cli, tmp_path):
    assert cli("publish", run.folder, "--allow-unreviewed").exit_code == 0
    out = tmp_path / "pdf"
    for lang, name in (("zh-TW", "熊本大學"), ("ja", "熊本大学")):
        source = run.folder / f"{SAMPLE.stem}.{lang}.docx"
        subprocess.run(
            ["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out), str(source)],
            capture_output=True, timeout=180, check=False,
        )  # fmt: skip
        pdf = out / f"{SAMPLE.stem}.{lang}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert name in text and "小川久雄" in text


def test_bilingual_rows_are_built_without_python_docx_per_row_table_api(tmp_path, monkeypatch):
    """table.add_row()/row.cells walk the whole table on each call: quadratic for a long release (issue 14)."""
    import docx.table

    from pipeline.publish.formats.bilingual import build_bilingual
    from pipeline.publish.plan import PublishedSegment

    def no_add_row(self):
        raise AssertionError("bilingual body rows must not be added through python-docx")

    monkeypatch.setattr(docx.table.Table, "add_row", no_add_row)
    segments = [PublishedSegment("p01.s01", "title", 1, "A Title", "", "標題", "reviewed")]
    for n in range(2, 152):
        segments.append(PublishedSegment(f"p{n:02d}.s01", "sentence", n, f"Sentence {n}.", " ", f"第{n}句。", "reviewed"))
        segments.append(PublishedSegment(f"p{n:02d}.s02", "sentence", n, "Tab\there.", "", "", "unreviewed"))
    path = tmp_path / "long.zh-TW.bilingual.docx"
    build_bilingual({"release": "long", "run_id": "r", "models": {}}, "zh-TW", segments).save(str(path))
    monkeypatch.undo()
    rows = docx.Document(str(path)).tables[0].rows
    assert len(rows) == 1 + 151  # header + one row per paragraph
    assert [c.text for c in rows[1].cells] == ["A Title", "標題"]
    assert rows[1].cells[0].paragraphs[0].runs[0].bold
    assert rows[2].cells[0].text == "Sentence 2. Tab\there."
    assert rows[2].cells[1].text == "第2句。"  # an emptied sentence is left out
    assert rows[2]._tr.find(qn("w:trPr")) is None  # body rows may break across pages, as before


def test_a_wrong_argument_says_to_give_the_release_folder(tmp_path, cli):
    """`publish release.docx` or a folder that is not there: bad input (exit 3), saying what to give."""
    release = tmp_path / "release.docx"
    release.write_bytes(b"PK\x03\x04 not really")
    result = cli("publish", release)
    assert result.exit_code == 3, result.output
    assert f"{release} is not a release's output folder; give the release's output folder (output/NAME)" in result.output
    assert "damaged" not in result.output and "Traceback" not in result.output
    missing = cli("publish", tmp_path / "output" / "nowhere")
    assert missing.exit_code == 3, missing.output
    assert "does not exist; give the release's output folder (output/NAME)" in missing.output
    assert not (tmp_path / "output").exists()  # nothing written

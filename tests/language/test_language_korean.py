"""Korean end to end: `translate run --to ko`, a model that writes Hangul and 500만 / 3억, the shipped glossary
(which has no Korean forms), and the review document."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from click.testing import CliRunner
from support.scripted_engines import ScriptedEngine

from pipeline.cli import main
from pipeline.core.release import SENTENCE, TEXT, Segment, Span
from pipeline.translation.stage import translate_segments

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RELEASE = """KMU and Kumamoto University Open a Joint Research Center
Kaohsiung Medical University (KMU) will invest 5 million US dollars in a joint research center with Kumamoto University over the next five years, the two universities announced on Monday.
The city of Kaohsiung added 300 million New Taiwan dollars for new laboratories, scholarships and student exchanges between the two medical schools.
Kumamoto University President Prof. Hisao Ogawa said the partnership would help both universities train doctors and researchers for the region.
"""
# The test's own glossary (never the office's): KMU has a Korean form, Kumamoto University has none.
GLOSSARY_YAML = """version: 1
entries:
  - id: kmu
    english: Kaohsiung Medical University
    abbreviations: [KMU]
    kind: institution
    status: approved
    targets: {zh-TW: 高雄醫學大學, ja: 高雄医学大学, ko: 가오슝의과대학}
  - id: kumamoto-university
    english: Kumamoto University
    kind: institution
    status: approved
    targets: {zh-TW: 熊本大學, ja: 熊本大学}
"""
_PLACEHOLDER = re.compile(r"⟦\d+⟧|ZXQ\d+")
_MILLIONS = re.compile(r"(\d+) million")


def _hangul_word(word: str) -> str:
    """A cipher: each Latin letter becomes a Hangul syllable, so the output is Korean script, word for word."""
    return "".join(chr(0xAC00 + 28 * (ord(ch.lower()) - 97)) if ch.isascii() and ch.isalpha() else ch for ch in word)


def korean(text: str) -> str:
    """What the scripted en→ko model writes: `5 million` as 500만, `300 million` as 3억, the rest ciphered into
    Hangul word by word; placeholders are copied."""

    def millions(match: re.Match) -> str:
        value = int(match.group(1)) * 100  # in 만 (10,000)
        return f"{value // 10_000}억" if value % 10_000 == 0 else f"{value}만"

    text = _MILLIONS.sub(millions, text)
    pieces = _PLACEHOLDER.split(text)
    kept = _PLACEHOLDER.findall(text)
    out = _hangul_word(pieces[0])
    for placeholder, piece in zip(kept, pieces[1:]):
        out += placeholder + _hangul_word(piece)
    return out


def test_the_cipher_writes_korean():
    from pipeline.source.detect import detect_language

    assert korean("It costs 5 million and 300 million ⟦1⟧ now.") == f"{_hangul_word('It costs')} 500만 {_hangul_word('and')} 3억 ⟦1⟧ {_hangul_word('now.')}"
    assert detect_language(korean(RELEASE))[0] == "ko"


@pytest.fixture
def korean_run(tmp_path, monkeypatch):
    from pipeline.translation.engine import argos

    engines = []

    def load_engine(lang, options=None):
        assert lang == "ko"
        engines.append(ScriptedEngine(korean, to_code="ko", lang="ko"))
        return engines[-1]

    monkeypatch.setattr(argos, "load_engine", load_engine)
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text(GLOSSARY_YAML, encoding="utf-8")
    release = tmp_path / "releases" / "kmu-research-center.txt"
    release.parent.mkdir()
    release.write_text(RELEASE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(release), "--to", "ko", "--out", str(out), "--glossary", str(glossary), "--no-memory"])
    assert result.exit_code == 0, result.output
    assert engines, "translate run --to ko loaded no engine"
    folder = out / release.stem
    manifest = json.loads((folder / f"{release.stem}.manifest.json").read_text(encoding="utf-8"))
    return folder / f"{release.stem}.ko.review.docx", manifest, glossary


def _flags(target: dict) -> dict[str, str]:
    return {flag["code"]: flag["message"] for flag in target.get("flags") or []}


def test_korean_numbers_are_read_and_never_number_missing(korean_run):
    _, manifest, _ = korean_run
    texts = [s["targets"]["ko"]["text"] for s in manifest["segments"]]
    assert any("500만" in t for t in texts) and any("3억" in t for t in texts)
    for segment in manifest["segments"]:
        assert "number-missing" not in _flags(segment["targets"]["ko"]), segment["targets"]["ko"]


def test_a_glossary_entry_without_a_korean_form_is_flagged_on_every_row(korean_run):
    _, manifest, _ = korean_run
    rows = [s for s in manifest["segments"] if "Kumamoto University" in s["source"]]
    assert len(rows) >= 3
    for segment in rows:
        target = segment["targets"]["ko"]
        message = _flags(target).get("glossary-no-form", "")
        assert "Kumamoto University" in message and "ko" in message, target
        assert "Kumamoto" not in target["text"]  # the model's rendering (the cipher) is kept as the draft
    others = [s for s in manifest["segments"] if "Kumamoto" not in s["source"]]
    assert others
    for segment in others:
        assert "glossary-no-form" not in _flags(segment["targets"]["ko"])
    kmu = next(s for s in manifest["segments"] if "Kaohsiung Medical University" in s["source"])
    assert "가오슝의과대학" in kmu["targets"]["ko"]["text"]  # a term with a ko form is protected and put in


def test_the_korean_review_document_says_korean_text(korean_run):
    path, _, _ = korean_run
    with zipfile.ZipFile(path) as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert re.search(r"[\uac00-\ud7a3]", document)  # the Hangul translation is in the document


def test_the_korean_review_document_has_korean_language_and_font(korean_run):
    from pipeline.language import language_for

    path, _, _ = korean_run
    fonts = language_for("ko").fonts
    with zipfile.ZipFile(path) as package:
        document = package.read("word/document.xml").decode("utf-8")
        styles = package.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="ko-KR"' in styles and f'w:eastAsia="{fonts.face}"' in styles
    assert 'w:eastAsia="Malgun Gothic"' in document and 'w:eastAsia="ko-KR"' in document
    assert "한국어" in document  # the column header


class ShortEngine(ScriptedEngine):
    """Accepts at most 8 words: a long sentence is cut into pieces and the translations joined."""

    def max_input_tokens(self) -> int:
        return 8


def test_pieces_of_a_long_korean_sentence_join_with_spaces():
    source = "The two universities will open a joint research center for infectious diseases and train young doctors together."
    segment = Segment("p01.s01", SENTENCE, 1, 1, source, "", [Span(0, len(source), TEXT)])
    engine = ShortEngine(korean, to_code="ko", lang="ko")
    [translation] = translate_segments([segment], "ko", engine)
    assert len(engine.calls[0]) > 1  # it was cut
    assert translation.text == korean(source)  # the same words, one space between them


def test_glossary_check_names_the_entries_without_a_korean_form(tmp_path):
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text(GLOSSARY_YAML, encoding="utf-8")
    assert CliRunner().invoke(main, ["glossary", "check", str(glossary)]).exit_code == 0  # zh-TW and ja: complete
    result = CliRunner().invoke(main, ["glossary", "check", "--format", "json", "--require-langs", "zh-TW,ja,ko", str(glossary)])
    assert result.exit_code == 1
    problems = [p for p in json.loads(result.stdout) if p["code"] == "missing-language"]
    assert [p["entry"] for p in problems] == ["kumamoto-university"]
    assert "has no target for ko" in problems[0]["message"] and "Kumamoto University" in problems[0]["message"]


def test_the_stage_flags_a_term_without_a_form_and_still_protects_the_others():
    from support.stage_fakes import FakeGlossary, seg

    segments = [seg("Kumamoto University President Prof. Hisao Ogawa signed the agreement.", 1),
                seg("He visited Kumamoto University in 2017.", 2), seg("No term here.", 3)]  # fmt: skip
    engine = ScriptedEngine(korean, to_code="ko", lang="ko")
    out = translate_segments(segments, "ko", engine, FakeGlossary())
    for translation in out[:2]:
        message = _flags({"flags": [f.__dict__ for f in translation.flags]})["glossary-no-form"]
        assert "Kumamoto University (entry kumamoto-university)" in message and "no ko form" in message
    assert not out[2].flags
    japanese = translate_segments(segments, "ja", ScriptedEngine(to_code="ja", lang="ja"), FakeGlossary())
    assert all(not t.flags for t in japanese)  # every term has a ja form: nothing to say


def test_a_reviewed_korean_release_is_published_as_korean_documents_and_web_page(korean_run):
    """run → review import → publish --format html: the published .docx says ko-KR in Malgun Gothic, the web page
    `lang="ko"`, and the Korean text and numbers are what the reviewer approved."""
    path, _, glossary = korean_run
    folder = path.parent
    imported = CliRunner().invoke(main, ["review", "import", str(path), "--approve-all", "--no-memory"])
    assert imported.exit_code == 0, imported.output
    published = CliRunner().invoke(main, ["publish", str(folder), "--format", "html", "--glossary", str(glossary), "--no-memory"])
    # Kumamoto University's rows kept the model's rendering (no ko form, flagged); the reviewer approved them
    assert published.exit_code == 0, published.output
    assert "— 4 approved (4 by --approve-all)" in published.output
    stem = path.name.split(".")[0]
    page = folder / f"{stem}.ko.html"
    docx = folder / f"{stem}.ko.docx"
    assert page.exists() and docx.exists(), published.output
    html = page.read_text(encoding="utf-8")
    assert '<article class="press-release" lang="ko">' in html
    assert "500만" in html and "3억" in html
    with zipfile.ZipFile(docx) as package:
        document = package.read("word/document.xml").decode("utf-8")
        styles = package.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="ko-KR"' in document + styles and "Malgun Gothic" in styles

"""Bad input through the real command line: a clear exit code and message, nothing written; or, for input that
can be used (legacy encodings, huge files, over-long sentences, Word files with tables, images and footnotes), a
complete result with what was done noted for the reviewer.

See docs/robustness.md for the table of every class and the test that shows it.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import docx
import pytest

from support.footnotes import add_footnote
from support.paths import SAMPLE
from pipeline.core.release import Release
from pipeline.source.segment import segment_release

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
TITLE = "KMU Signs Collaboration Agreement with Kumamoto University, Japan"


def _run(cli, release: Path, out: Path, *extra):
    return cli("run", release, "--out", out, "--no-glossary", "--quiet", *extra)


def _manifest(out: Path, name: str) -> dict:
    return json.loads((out / name / f"{name}.manifest.json").read_text(encoding="utf-8"))


def _header(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def _refused(result, code: int, *words: str) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, (word, result.output)
    return result.output


# --- unusable text --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), ["binary"]),
        ("controls.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20, ["binary"]),
        ("program.md", b"\x7fELF\x02\x01\x01\x00" + bytes(200), ["binary"]),
        ("undecodable.txt", b"Title\n\x81 \x8d \x90 bytes no encoding reads\n", ["not UTF-8", "save it as UTF-8"]),
        ("gbk.txt", "高雄医学大学与日本熊本大学签署学术合作备忘录，双方将加强交流。".encode("gbk"), ["not UTF-8"]),
        ("whitespace.md", b" \n\t\n\r\n\xe3\x80\x80\n", ["empty"]),
        ("release.pdf", b"%PDF-1.7\n", ["unsupported file type"]),
    ],
)
def test_unusable_text_is_refused_and_nothing_written(installed, tmp_path, cli, name, data, words):
    release = tmp_path / name
    release.write_bytes(data)
    out = tmp_path / "out"
    output = _refused(_run(cli, release, out), 3, str(release), *words)
    assert output.strip().count("\n") == 0  # one line
    assert not out.exists()


def test_a_refused_release_in_a_folder_is_named_and_the_others_are_translated(installed, sample_copy, tmp_path, cli):
    """Issue 20 (changed on purpose: before, one bad release stopped every release of a folder run and said nothing
    of the others): a release that is refused is named on its own line with why, the others are translated, the
    summary counts both, and the exit code (3) says some were refused."""
    second = sample_copy.with_name("second-release.txt")
    second.write_text(SAMPLE_TEXT, encoding="utf-8")
    chinese = sample_copy.with_name("zh-release.txt")
    chinese.write_text("高雄醫學大學與日本熊本大學簽署學術合作備忘錄\n雙方將在醫學教育與研究領域加強交流與合作。\n", encoding="utf-8")
    out = tmp_path / "out"
    output = _refused(_run(cli, sample_copy.parent, out), 3, "zh-release.txt")
    refused = [line for line in output.splitlines() if line.startswith("refused: ")]
    assert len(refused) == 1 and str(chinese) in refused[0] and "not English" in refused[0], output
    assert "3 releases: 2 translated, 1 refused (zh-release.txt)" in output
    for release in (sample_copy, second):
        assert _manifest(out, release.stem)["release"] == release.stem
        assert (out / release.stem / f"{release.stem}.ja.review.docx").is_file()
    assert not (out / chinese.stem).exists()


def test_a_folder_run_of_good_releases_ends_with_its_summary(installed, sample_copy, tmp_path, cli):
    sample_copy.with_name("second-release.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    result = cli("run", sample_copy.parent, "--out", out, "--no-glossary", "--to", "ja")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "2 releases: 2 translated, 0 refused"


def test_every_release_of_a_folder_refused_writes_nothing(installed, tmp_path, cli):
    folder = tmp_path / "releases"
    folder.mkdir()
    (folder / "a-binary.txt").write_bytes(bytes(range(256)))
    (folder / "b-empty.md").write_text("  \n", encoding="utf-8")
    out = tmp_path / "out"
    output = _refused(_run(cli, folder, out), 3, "a-binary.txt", "b-empty.md", "2 releases: 0 translated, 2 refused")
    assert output.count("refused: ") == 2
    assert not out.exists()


# --- legacy encodings: decoded, and the reviewer is told ---------------------------------------------------------


@pytest.mark.parametrize(
    "codec, name, dateline",
    [
        ("cp950", "Big5", "(中央社訊息服務20251127 16:22:39)"),
        ("cp932", "Shift_JIS", "(共同通信 2025年11月27日)"),
        ("cp1252", "Windows-1252", ""),
    ],
)
def test_legacy_encoded_release_is_decoded_and_noted_in_the_review_document(installed, tmp_path, cli, codec, name, dateline):
    body = dateline + "Kaohsiung Medical University (KMU) signed an agreement. “It is a milestone,” he said."
    if codec == "cp1252":
        body += " The café—“Füße”—was naïve."
    text = f"{TITLE}\n{body}\n"
    release = tmp_path / f"legacy-{codec}.txt"
    release.write_bytes(text.encode(codec))
    out = tmp_path / "out"
    result = _run(cli, release, out, "--to", "ja")
    assert result.exit_code == 0, result.output
    manifest = _manifest(out, release.stem)
    body_segments = [s for s in manifest["segments"] if s["paragraph"] == 2]
    assert "".join(s["source"] + s["trailing"] for s in body_segments) == body  # every character decoded right
    assert all(s["targets"]["ja"]["text"] == s["source"] for s in body_segments)
    header = _header(out / release.stem / f"{release.stem}.ja.review.docx")
    assert f"read as {name}" in header and "UTF-8" in header


def test_shift_jis_japanese_release_is_decoded_then_refused_as_japanese(installed, tmp_path, cli):
    release = tmp_path / "sjis.txt"
    release.write_bytes("熊本大学と高雄医学大学が協定を締結\n両大学は今後、医学教育と研究の分野で協力を深めていきます。".encode("shift_jis"))
    out = tmp_path / "out"
    _refused(_run(cli, release, out), 3, "Japanese", "--source-lang en")
    assert not out.exists()


# --- a release in another language ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, language",
    [
        ("高雄醫學大學與日本熊本大學簽署學術合作備忘錄\n雙方將在醫學教育、臨床訓練與研究方面加強合作，並推動學生交換。", "Chinese"),
        ("高雄医学大学と熊本大学が学術交流協定を締結\n両大学は医学教育、臨床研修、研究の分野で協力を深めていきます。", "Japanese"),
    ],
)
def test_chinese_or_japanese_release_exits_3_naming_the_language_and_the_override(installed, tmp_path, cli, text, language):
    release = tmp_path / "foreign.txt"
    release.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    output = _refused(_run(cli, release, out), 3, language, "--source-lang en", str(release))
    assert "only English releases" in output
    assert not out.exists()


def test_source_lang_en_overrides_the_check_and_says_so(installed, tmp_path, cli):
    release = tmp_path / "foreign.txt"
    release.write_text("高雄醫學大學與日本熊本大學簽署學術合作備忘錄。", encoding="utf-8")
    out = tmp_path / "out"
    result = _run(cli, release, out, "--to", "ja", "--source-lang", "en")
    assert result.exit_code == 0, result.output
    assert "overridden with --source-lang en" in _header(out / "foreign" / "foreign.ja.review.docx")


# --- a huge release -------------------------------------------------------------------------------------------


def _one_huge_paragraph(chars: int) -> str:
    body = " ".join(line for line in SAMPLE_TEXT.splitlines()[2:] if line.strip())
    return ((body + " ") * (chars // len(body) + 1))[:chars].rstrip()


def test_huge_single_paragraph_segments_in_linear_time():
    """pysbd is quadratic on one huge paragraph (300 kB took 80 s before the fix); now ~5 s per MB.

    400 kB in one paragraph, a generous bound for a slow CI machine; exactness is checked too. 10 MB is measured
    in docs/robustness.md (it is too slow for every test run, not too slow for a user).
    """
    text = _one_huge_paragraph(400_000)
    started = time.perf_counter()
    release = segment_release(Release(Path("huge.txt"), [TITLE, text]))
    seconds = time.perf_counter() - started
    assert seconds < 40, f"segmentation took {seconds:.1f} s"
    body = release.paragraphs[1]
    assert body.text == text
    assert len(body.segments) > 1500


def test_chunked_sentence_detection_gives_the_same_sentences(monkeypatch):
    """A long paragraph is handed to pysbd in pieces; the sentences found are the ones found in one piece."""
    from pipeline.source import segment

    text = _one_huge_paragraph(30_000)
    chunked = segment.split_sentences(text)
    monkeypatch.setattr(segment, "PYSBD_CHUNK_CHARS", 10**9)
    assert segment.split_sentences(text) == chunked


def test_many_paragraph_release_through_the_cli(installed, tmp_path, cli):
    """A 43 kB release (100 paragraphs) end to end with the identity model: complete and exact."""
    text = (SAMPLE_TEXT + "\n") * 10
    release = tmp_path / "big.txt"
    release.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = _run(cli, release, out, "--to", "ja")
    assert result.exit_code == 0, result.output
    manifest = _manifest(out, "big")
    lines = [line for line in text.splitlines() if line.strip()]
    assert max(s["paragraph"] for s in manifest["segments"]) == len(lines)
    for segment in manifest["segments"]:
        assert segment["targets"]["ja"]["text"] == segment["source"]


# --- a sentence longer than the model accepts -----------------------------------------------------------------


def test_sentence_longer_than_the_model_is_split_never_truncated(installed, tmp_path, cli):
    """3,000 words in one sentence: the identity model accepts 511 tokens; every word must come back, in order."""
    words = [w.strip(".,;:()“”’") for w in SAMPLE_TEXT.split() if w.isascii() and w.strip(".,;:()“”’")]
    rng = random.Random(6)
    sentence = "Kaohsiung " + " ".join(f"{rng.choice(words)}{i}" for i in range(3000)) + "."
    release = tmp_path / "long.txt"
    release.write_text(f"{TITLE}\n{sentence}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _run(cli, release, out, "--to", "ja")
    assert result.exit_code == 0, result.output
    manifest = _manifest(out, "long")
    [long] = [s for s in manifest["segments"] if s["paragraph"] == 2]
    assert long["source"] == sentence
    target = long["targets"]["ja"]
    assert target["text"].split() == sentence.split()  # every word, in order, none glued to the next
    assert target["text"] == sentence
    [flag] = [f for f in target["flags"] if f["code"] == "split-long"]
    assert "nothing cut off" in flag["message"]


def test_split_pieces_fit_the_model_in_tokens():
    """The character estimate is checked in tokens: a piece still too long is split again."""
    from support.scripted_engines import ScriptedEngine

    from pipeline.translation.stage import translate_texts

    class Limited(ScriptedEngine):
        def max_input_tokens(self):
            return 10

        def count_tokens(self, text):
            return len(text.split()) + text.count("x") * 3  # "x" is expensive: chars per token vary wildly

    engine = Limited(to_code="ja", lang="ja")
    text = " ".join(["word"] * 40 + ["xxxx"] * 20 + ["tail."])
    counts: list[int] = []
    assert translate_texts(engine, [text], counts) == [text]
    [pieces] = engine.calls  # one call; repeated pieces are sent once
    assert counts[0] > 1 and len(pieces) > 1
    assert all(engine.count_tokens(p) <= 10 for p in pieces)


# --- Word files -----------------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def test_docx_with_table_image_and_footnote(installed, tmp_path, cli):
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("The universities signed a memorandum.")
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Partner", (0, 1): "Kumamoto University", (1, 0): "Signed", (1, 1): "November 2025"}.items():
        table.cell(r, c).text = text
    picture = tmp_path / "dot.png"
    picture.write_bytes(_png())
    document.add_picture(str(picture))
    document.add_paragraph("Students will take part in exchanges.")
    plain = tmp_path / "plain.docx"
    document.save(str(plain))
    release = tmp_path / "rich.docx"
    add_footnote(plain, release, "signed a memorandum.")

    out = tmp_path / "out"
    result = _run(cli, release, out, "--to", "zh-TW")
    assert result.exit_code == 0, result.output
    manifest = _manifest(out, "rich")
    sources = [s["source"] for s in manifest["segments"]]
    assert sources == [
        TITLE, "The universities signed a memorandum.", "Partner", "Kumamoto University", "Signed", "November 2025",
        "Students will take part in exchanges.", "The memorandum runs for five years.",
    ]
    review = out / "rich" / "rich.zh-TW.review.docx"
    rows = docx.Document(str(review)).tables[0].rows[1:]
    assert [r.cells[1].text for r in rows] == sources  # every text in the review table, images skipped
    header = _header(review)
    assert "1 image(s) in the document were skipped" in header
    assert "1 footnote(s) of the document were read and added after the body" in header
    assert any("image" in note for note in manifest["notes"]) and any("footnote" in note for note in manifest["notes"])


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda good: b"This is not a zip file at all.", "not a valid .docx"),
        (lambda good: good[: len(good) // 2], "save it again"),
        (lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"EncryptedPackage", "password-protected"),
    ],
    ids=["not-a-zip", "truncated", "password-protected"],
)
def test_corrupt_or_protected_docx_is_refused(installed, tmp_path, cli, make, words):
    document = docx.Document()
    document.add_paragraph("Text.")
    good = tmp_path / "good.docx"
    document.save(str(good))
    release = tmp_path / "bad.docx"
    release.write_bytes(make(good.read_bytes()))
    out = tmp_path / "out"
    _refused(_run(cli, release, out), 3, str(release), words)
    assert not out.exists()


def test_output_as_long_as_the_decoding_limit_is_decoded_again_with_more_room():
    """CTranslate2 stops silently at max_decoding_length: such an output is decoded once more with twice the room."""
    from types import SimpleNamespace

    from pipeline.translation.engine.argos import ArgosEngine
    from pipeline.translation.engine.base import DecodeOptions

    calls = []

    needs = {"▁long": 12, "▁short": 3}  # tokens each translation needs

    class Translator:
        def translate_batch(self, batch, max_decoding_length, **kwargs):
            calls.append((len(batch), max_decoding_length))
            return [SimpleNamespace(hypotheses=[["▁w"] * min(max_decoding_length, needs[s[0]])]) for s in batch]

    class Pieces:
        def encode(self, texts, out_type=str):
            return [["▁" + t] for t in texts]

        def decode_pieces(self, pieces):
            return " ".join("w" for _ in pieces)

    engine = ArgosEngine.__new__(ArgosEngine)
    engine.options = DecodeOptions(max_decoding_length=8)
    engine._translator, engine._sp, engine._target_prefix, engine._converter = Translator(), Pieces(), None, None
    assert engine.translate(["long", "short"]) == [" ".join(["w"] * 12), "w w w"]
    assert calls == [(2, 8), (1, 16)]  # only the cut-off one again

    calls.clear()
    engine.options = DecodeOptions(max_decoding_length=8, min_decoding_length=8)  # benchmarks fix the length
    engine.translate(["long", "short"])
    assert calls == [(2, 8)]

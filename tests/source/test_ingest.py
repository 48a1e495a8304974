"""Reading releases: .txt/.md/.docx, encodings, and every way a file can be unusable."""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.errors import InputError
from pipeline.source.ingest import read_release

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"
SAMPLE_LINES = SAMPLE.read_text(encoding="utf-8").splitlines()
TITLE = "KMU Signs Collaboration Agreement with Kumamoto University, Japan"
DATELINE = "(中央社訊息服務20251127 16:22:39)"


def _refused(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_release(path)
    assert info.value.exit_code == 3
    message = info.value.format_message()
    assert "\n" not in message
    assert str(path) in message
    return message


# --- plain text --------------------------------------------------------------------------------------------


def test_sample():
    release = read_release(SAMPLE)
    assert len(release.paragraphs_text) == 8
    assert release.paragraphs_text[0] == TITLE
    assert release.paragraphs_text[1].startswith(DATELINE + "Kaohsiung Medical University (KMU)")
    assert release.paragraphs_text == [line for line in SAMPLE_LINES if line.strip()]
    assert release.notes == []
    assert release.name == "kmu-kumamoto-mou-2025"


def test_accepts_str_path():
    assert read_release(str(SAMPLE)).paragraphs_text[0] == TITLE


def test_utf8_bom(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    release = read_release(path)
    assert release.paragraphs_text == read_release(SAMPLE).paragraphs_text
    assert "\ufeff" not in release.text


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("utf-16"))  # BOM + UTF-16-LE
    assert read_release(path).paragraphs_text == read_release(SAMPLE).paragraphs_text


def test_line_endings_and_whitespace(tmp_path):
    path = tmp_path / "endings.txt"
    path.write_bytes(
        "Title line  \r\n\r\n  Indented first.\u00a0Keep  two spaces\tand tab.   \rOld Mac line\u2028"
        "Line separator\n\n\n   \t \nCafe\u0301 stays decomposed.\n".encode("utf-8")
    )
    assert read_release(path).paragraphs_text == [
        "Title line",
        "Indented first.\u00a0Keep  two spaces\tand tab.",
        "Old Mac line",
        "Line separator",
        "Cafe\u0301 stays decomposed.",  # no NFC here
    ]


# Encodings: decoded correctly when exactly one legacy encoding reads the bytes cleanly.

BIG5_ENGLISH = DATELINE + "Kaohsiung Medical University (KMU) signed an agreement. “It is a milestone,” he said."
BIG5_CHINESE = "高雄醫學大學與日本熊本大學簽署學術合作備忘錄\n（中央社訊息服務20251127 16:22:39）雙方將加強醫學教育交流。"
SJIS_JAPANESE = "熊本大学と高雄医学大学が協定を締結\n両大学は今後、医学教育と研究の分野で協力を深めていきます。"
CP1252_ENGLISH = "KMU Signs Agreement\nHe emphasized, “Today’s agreement — a café-style meeting — is a milestone.” Next."


@pytest.mark.parametrize(
    "text,codec,name",
    [
        (BIG5_ENGLISH, "cp950", "Big5"),
        (BIG5_CHINESE, "big5", "Big5"),
        (SJIS_JAPANESE, "shift_jis", "Shift_JIS"),
        (CP1252_ENGLISH, "cp1252", "Windows-1252"),
    ],
)
def test_legacy_encodings_decoded_correctly(tmp_path, text, codec, name):
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(text.encode(codec))
    release = read_release(path)
    assert release.paragraphs_text == text.splitlines()
    assert any(name in note and "UTF-8" in note for note in release.notes)


def test_undecodable_bytes_are_refused(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(b"Title\n\x81 \x8d \x90 bytes no encoding reads\n")
    message = _refused(path)
    assert "not UTF-8" in message and "save it as UTF-8" in message


@pytest.mark.parametrize(
    "text,codec",
    [
        ("高雄医学大学与日本熊本大学签署学术合作备忘录，双方将加强医学教育交流。", "gbk"),
        ("(中央社讯息服务20251127 16:22:39)Kaohsiung Medical University signed.", "gbk"),
        ("가오슝의과대학교와 구마모토대학교", "euc-kr"),
    ],
)
def test_other_cjk_encodings_are_refused_not_misread(tmp_path, text, codec):
    """GBK and EUC-KR bytes decode without error as Big5, into nonsense: they must be refused, not misread."""
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(text.encode(codec))
    message = _refused(path)
    assert "not UTF-8" in message and "save it as UTF-8" in message


@pytest.mark.parametrize(
    "text,codec",
    [
        ("Professor Cheng (程文俊) said “hello”.", "cp950"),
        ("Müller and Ångström met in a café—“Füße”, naïve.", "cp1252"),
        ("(共同通信 2025年11月27日)Kumamoto University signed an agreement.", "cp932"),
    ],
)
def test_little_non_ascii_text_still_decoded_correctly(tmp_path, text, codec):
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(text.encode(codec))
    assert read_release(path).paragraphs_text == [text]


# --- unusable files ----------------------------------------------------------------------------------------


def test_binary_with_nul_bytes(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary" in _refused(path)


def test_binary_control_characters(tmp_path):
    path = tmp_path / "controls.txt"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20)
    assert "binary" in _refused(path)


def test_zip_named_txt(tmp_path):
    path = tmp_path / "release.txt"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.xml", "<a/>")
    assert ".docx" in _refused(path)


def test_empty(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "is empty" in _refused(path)


@pytest.mark.parametrize("content", [b"   \n\t\n\r\n  ", b"\xef\xbb\xbf \n", "\u3000\u00a0\n".encode("utf-8")])
def test_whitespace_only(tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    assert "is empty" in _refused(path)


def test_missing(tmp_path):
    assert "no such file" in _refused(tmp_path / "nope.txt")


def test_directory(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "folder" in _refused(folder)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("Text.", encoding="utf-8")
    path.chmod(0)
    try:
        assert "cannot be read" in _refused(path)
    finally:
        path.chmod(0o600)


@pytest.mark.parametrize("name", ["release.pdf", "release", "release.doc"])
def test_unsupported_types(tmp_path, name):
    path = tmp_path / name
    path.write_text("Some text.", encoding="utf-8")
    message = _refused(path)
    assert ".docx" in message


# --- Markdown ----------------------------------------------------------------------------------------------


def test_markdown(tmp_path):
    path = tmp_path / "release.md"
    path.write_text(
        "# KMU Signs *Collaboration* Agreement #\n"
        "\n"
        "(中央社訊息服務20251127 16:22:39)Kaohsiung Medical University **(KMU)** has been\n"
        "actively expanding its _internationalization_ efforts.\n"
        "\n"
        "- First bullet with [a link](https://kmu.edu.tw)\n"
        "* Second bullet with `code`\n"
        "1. Numbered item keeps its number\n"
        "\n"
        "> A quoted line\n"
        "\n"
        "![photo](photo.jpg)\n"
        "\n"
        "---\n"
        "\n"
        "snake_case and 3 * 4 * 5 stay as they are.\n",
        encoding="utf-8",
    )
    release = read_release(path)
    assert release.paragraphs_text == [
        "KMU Signs Collaboration Agreement",
        DATELINE + "Kaohsiung Medical University (KMU) has been actively expanding its internationalization efforts.",
        "First bullet with a link",
        "Second bullet with code",
        "1. Numbered item keeps its number",
        "A quoted line",
        "snake_case and 3 * 4 * 5 stay as they are.",
    ]
    assert any("image" in note for note in release.notes)


def test_markdown_without_blank_lines_is_one_paragraph_per_line(tmp_path):
    path = tmp_path / "pasted.md"
    path.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert read_release(path).paragraphs_text == read_release(SAMPLE).paragraphs_text


def test_markdown_setext_heading(tmp_path):
    path = tmp_path / "setext.md"
    path.write_text("KMU Title\n=========\n\nBody one.\nBody two.\n", encoding="utf-8")
    assert read_release(path).paragraphs_text == ["KMU Title", "Body one. Body two."]


# --- Word --------------------------------------------------------------------------------------------------


def _png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(
        b"IEND", b""
    )


def test_docx_with_table_image_and_line_break(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph(DATELINE + "Kaohsiung Medical University (KMU) has been expanding.  ")
    document.add_paragraph("")  # empty: skipped
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Cell A1"
    table.cell(0, 1).text = "Cell B1"
    table.cell(1, 0).text = "Cell A2"
    table.cell(1, 1).text = ""  # empty cell: skipped
    nested = table.cell(1, 1).add_table(rows=1, cols=1)
    nested.cell(0, 0).text = "Nested cell"
    paragraph = document.add_paragraph("Before break.")
    paragraph.add_run().add_break()
    paragraph.add_run("After break with ")
    paragraph.add_run("bold").bold = True
    paragraph.add_run(" text.")
    picture_path = tmp_path / "dot.png"
    picture_path.write_bytes(_png_1x1())
    document.add_picture(str(picture_path))
    document.add_paragraph("Last paragraph.")
    path = tmp_path / "release.docx"
    document.save(str(path))

    release = read_release(path)
    assert release.paragraphs_text == [
        TITLE,
        DATELINE + "Kaohsiung Medical University (KMU) has been expanding.",
        "Cell A1",
        "Cell B1",
        "Cell A2",
        "Nested cell",
        "Before break.",
        "After break with bold text.",
        "Last paragraph.",
    ]
    assert any("1 image" in note for note in release.notes)


def test_docx_uppercase_extension(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Only paragraph.")
    path = tmp_path / "RELEASE.DOCX"
    document.save(str(path))
    assert read_release(path).paragraphs_text == ["Only paragraph."]


def test_empty_docx(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("   ")
    path = tmp_path / "empty.docx"
    document.save(str(path))
    assert "is empty" in _refused(path)


def test_corrupt_docx_not_a_zip(tmp_path):
    path = tmp_path / "corrupt.docx"
    path.write_bytes(b"This is not a zip file at all.")
    assert "not a valid .docx" in _refused(path)


def test_truncated_docx(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Text.")
    good = tmp_path / "good.docx"
    document.save(str(good))
    path = tmp_path / "truncated.docx"
    path.write_bytes(good.read_bytes()[:600])
    message = _refused(path)
    assert ".docx" in message and "save it again" in message


def test_zip_without_word_document(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hello")
    assert "damaged" in _refused(path)


def test_password_protected_docx(tmp_path):
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"EncryptedPackage")
    message = _refused(path)
    assert "password-protected" in message and "remove the password" in message


# --- property ----------------------------------------------------------------------------------------------

_TEXT_CHARS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.one_of(_TEXT_CHARS, st.sampled_from(" \t\u3000")), max_size=40), max_size=6),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_txt_round_trip(tmp_path, lines, newline, bom):
    path = tmp_path / "prop.txt"
    text = newline.join(lines)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    expected = [line.strip() for line in text.splitlines() if line.strip()]
    if not expected:
        with pytest.raises(InputError):
            read_release(path)
        return
    assert read_release(path).paragraphs_text == expected

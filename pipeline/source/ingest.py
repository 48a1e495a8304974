"""Stage 1: read a release from disk into a `Release` (the text of its non-empty paragraphs, in order).

Formats, chosen by the file's extension:

* `.txt` (and `.text`): every non-empty line is a paragraph.
* `.md` (and `.markdown`): parsed as CommonMark (markdown-it-py, pipeline/source/markdown.py): the paragraphs
  are its headings, paragraphs, list items and block-quote paragraphs, their markers, emphasis and link syntax
  removed and their text kept (soft-wrapped lines joined with one space, a hard line break starts a paragraph);
  images and HTML are skipped (noted). Each paragraph's marks (bold, italic, links with their URL) and its place
  in the file come from the same parse. A file with no blank line at all is read one paragraph per line: that
  is how a release pasted into a `.md` file looks.
* `.docx`: paragraphs in document order, including the paragraphs inside tables (row by row, cell by cell,
  nested tables in place) and content controls; tracked insertions are read as accepted, deletions as
  accepted (dropped); a manual line break inside a Word paragraph starts a new paragraph, as a new line does in
  `.txt`. Every story is read (pipeline/docx/stories.py): text boxes after their anchoring paragraph, then footnotes and
  endnotes in the order the body refers to them, then headers and footers; `release.notes` says what was read
  where, and what was not (paragraphs with page-number fields, comments, images, hidden text: `w:vanish` runs are
  not content, they are counted in `Release.hidden_runs` and kept hidden by publish). Each paragraph's inline
  formatting (`Release.paragraph_marks`) and place in the document (`Release.origins`) are kept for publish.

Text files are UTF-8, with or without a byte-order mark (UTF-16 with a byte-order mark is read too). A file that
is not UTF-8 is decoded as Big5 (cp950), Shift_JIS (cp932) or Windows-1252 only when exactly one of them decodes
it cleanly and without mojibake (see `_guess_legacy`); otherwise it is refused, asking for UTF-8.

Line endings are normalized (`str.splitlines`: \\r\\n, \\r, U+2028, U+2029, ...); each paragraph loses its
leading and trailing whitespace (indentation means nothing in a release); the characters inside are kept
exactly as read (no Unicode normalization here). Every problem is an `InputError` (exit code 3) with a one-line
message naming the file and what to do.
"""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.core.limits import (
    RELEASE_DOCX_MAX_BYTES,
    RELEASE_TEXT_MAX_BYTES,
    LimitExceeded,
    read_bounded,
    undecodable_name,
)
from pipeline.core.release import Release
from pipeline.docx.bounded import DocxRefused, open_docx
from pipeline.docx.stories import walk_document
from pipeline.source.detect import HAN, HANGUL, KANA, script_of
from pipeline.source.markdown import read_markdown

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
DOCX_SUFFIXES = {".docx"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: encrypted .docx, or an old .doc
ZIP_MAGIC = b"PK"

# Legacy encodings tried, in this order, when a text file is not UTF-8 (Python codec, name for messages).
LEGACY_ENCODINGS = (("cp950", "Big5"), ("cp932", "Shift_JIS"), ("cp1252", "Windows-1252"))

# About 550 frequent Traditional Chinese characters (general text and university press releases): real Big5 text
# is mostly made of them, other CJK encodings read as Big5 (GBK, EUC-KR) hardly ever.
_COMMON_HAN = frozenset(
    "的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年得就那要下以生會自著去之過家學對可她裡後小麼心多天而能好都然沒日於起還發成事只作當想看文無開手十用主行方又如前所本見經頭面公同三已老從動兩長"
    "知民樣現分將外但身些與高意進把法此實回二理美點月明其種聲全工己話兒者向情部正名定女問力機給等幾很業最間新什打便位因重被走電四第門相次東政海口使教西再平真聽世氣信北少關並內加化由卻代軍產入先山五太水萬市"
    "眼體別處總才場師書比住員九笑性通目華報立馬命張活難神數件安表原車白應路期叫死常提感金何更反合放做系計或司利受光王果親界及今京務制解各任至清物台象記邊共風戰接它許八特覺望直服林題建南度統色字請交愛讓認算"
    "論百吃義科怎元社術結六功指思非流每青管夫連遠資隊跟帶花快條院變聯言權往展該領傳近留紅治決周保達辦運武半候七必城父強步完深區即求品士轉量空甚眾技輕程告江語英基派滿式李息寫識極令黃德收錢倒未持取設始版雙歷"
    "越史商千片容研像找友孩站廣改議形委早房音火際則首單據導影失拿網香似專石若兵弟誰校讀志飛觀爭究包組造落視濟喜離壞臺灣醫療健康病患藥護症臨床授博碩副協簽署備忘錄姊妹締約訪團參舉典禮壇畫推促升培育域創驗室獎"
    "項榮獲肯續擴拓攜致標希示調邀席貴賓詞歡迎謝支府構織企課訓練習選修亞洲韓歐阪熊雄竹屏蓮訊央秒號昨午晚消聞稿布"
)

_SAVE_AS_UTF8 = "save it as UTF-8 (e.g. in Notepad: File → Save as → Encoding: UTF-8) and try again"


def read_release(path: Path) -> Release:
    """Read `path` (.txt, .md or .docx) into a Release with its paragraphs; InputError if it cannot be used."""
    path = Path(path)
    shown = undecodable_name(path)
    if shown is not None:
        raise InputError(f"{shown}: the file name is not valid UTF-8 text; rename the file (e.g. with only English "
                         "letters) and run again")
    data = _read_bytes(path)
    suffix = path.suffix.lower()
    notes: list[str] = []
    located: list[tuple[str, list, dict]] = []  # (paragraph text, its marks, where it sits) where the format says
    hidden_runs = 0
    if suffix in DOCX_SUFFIXES:
        paragraphs, hidden_runs = _docx_paragraphs(path, data, notes, located)
    elif suffix in TEXT_SUFFIXES or suffix in MARKDOWN_SUFFIXES:
        text = decode_text(path, data, notes)
        if suffix in MARKDOWN_SUFFIXES:
            read = read_markdown(text, notes)  # text and structure from one parse: they agree
            paragraphs = read.paragraphs
            if read.origins:
                located = list(zip(read.paragraphs, read.marks, read.origins))
        else:
            paragraphs = [line.strip() for line in text.splitlines()]
    elif suffix == ".doc":
        raise InputError(f"{path}: old Word .doc files are not supported; open it in Word and save it as .docx")
    else:
        raise InputError(
            f"{path}: unsupported file type {suffix or '(no extension)'!r}; give a .txt, .md or .docx file"
        )
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise InputError(f"{path} is empty (no text in it); give the release's text")
    release = Release(path=path, paragraphs_text=paragraphs, notes=notes, hidden_runs=hidden_runs)
    if located:
        release.paragraph_marks = [marks for _, marks, _ in located]
        release.origins = [origin for _, _, origin in located]
    return release


# --- bytes ---------------------------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a file; give the release file inside it")
    docx_file = path.suffix.lower() in DOCX_SUFFIXES
    limit = RELEASE_DOCX_MAX_BYTES if docx_file else RELEASE_TEXT_MAX_BYTES
    try:
        return read_bounded(path, limit, "a .docx release" if docx_file else "a text release")
    except LimitExceeded as exc:
        raise InputError(f"{path} {exc}; give the release's own file (docs/robustness.md, Limits)") from exc


# --- text files ----------------------------------------------------------------------------------------------

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_text(path: Path, data: bytes, notes: list[str]) -> str:
    if data.startswith(OLE_MAGIC):
        raise InputError(f"{path} is a Word or Office file, not plain text; save it as .docx or as UTF-8 text")
    if data.startswith(b"PK\x03\x04"):
        raise InputError(f"{path} is a ZIP package (a .docx?), not plain text; give it a .docx extension")
    if data.startswith(b"%PDF"):
        raise InputError(f"{path} is a PDF file, not plain text; copy its text into a UTF-8 .txt or a .docx")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path} starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()} "
                    f"(byte {exc.start + len(bom)}); {_SAVE_AS_UTF8}"
                ) from exc
            _refuse_binary_text(path, text)
            return text
    if b"\x00" in data:
        raise InputError(
            f"{path} looks like a binary file (it contains NUL bytes; or it is UTF-16 without a byte-order mark), "
            f"not text; {_SAVE_AS_UTF8}"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text, name = _guess_legacy(path, data, exc)
        notes.append(
            f"{path.name} is not UTF-8; it was read as {name}. Check its non-English text and punctuation, "
            "and save it as UTF-8 next time."
        )
    _refuse_binary_text(path, text)
    return text


def _refuse_binary_text(path: Path, text: str) -> None:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v\x1c\x1d\x1e\x85")
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise InputError(f"{path} looks like a binary file (control characters), not text; {_SAVE_AS_UTF8}")


def _suspicion(text: str, codec: str) -> int:
    """How many characters of a candidate decoding look like mojibake (0 = plausible)."""
    bad = 0
    n = len(text)
    han_total = han_common = 0
    for i, ch in enumerate(text):
        if ch.isascii():
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Co", "Cn", "Cs"):
            bad += 1  # controls, private use, unassigned
            continue
        cp = ord(ch)
        script = script_of(ch)
        if script == HAN:
            han_total += 1
            han_common += ch in _COMMON_HAN
        if codec == "cp932" and 0xFF61 <= cp <= 0xFF9F:
            bad += 1  # half-width katakana: what Big5/GBK bytes look like read as Shift_JIS
        elif codec == "cp1252" and 0xA0 <= cp <= 0xFF and _latin1_mess(text, i):
            bad += 1  # Latin-1 symbols in a row: what CJK bytes look like read as Windows-1252
        elif codec != "cp1252" and script in (HAN, KANA, HANGUL) and 0 < i < n - 1 and _latin_letter(text[i - 1]) \
                and _latin_letter(text[i + 1]):
            bad += 1  # one CJK character inside a Latin word: an accented letter read as half a byte pair
        elif codec != "cp1252" and script is None and (0x0370 <= cp <= 0x04FF) and _cjk_neighbour(text, i):
            bad += 1  # Greek/Cyrillic glued to CJK: what Korean read as Big5 looks like
    if codec == "cp950" and han_total:
        # Big5 that is really GBK or EUC-KR reads as rare characters; real Chinese is mostly common ones
        enough = max(1, (han_total * 3 + 9) // 10) if han_total >= 5 else 1
        if han_common < enough:
            bad += han_total
    return bad


def _latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _cjk_neighbour(text: str, i: int) -> bool:
    return (i > 0 and script_of(text[i - 1]) is not None) or (i + 1 < len(text) and script_of(text[i + 1]) is not None)


def _latin1_mess(text: str, i: int) -> bool:
    """Part of a run of Latin-1 characters that has a symbol in it, or of three or more of them (``¤¤¥¡ªÀ``)."""
    start = i
    while start > 0 and 0x80 <= ord(text[start - 1]) <= 0xFF:
        start -= 1
    end = i + 1
    while end < len(text) and 0x80 <= ord(text[end]) <= 0xFF:
        end += 1
    run = text[start:end]
    if len(run) < 2:
        return False
    return len(run) >= 3 or any(not unicodedata.category(c).startswith("L") for c in run)


def _guess_legacy(path: Path, data: bytes, error: UnicodeDecodeError) -> tuple[str, str]:
    """Decode non-UTF-8 bytes as the one legacy encoding that reads them cleanly, or refuse; (text, name).

    Each of Big5 (cp950), Shift_JIS (cp932) and Windows-1252 is tried strictly; a decoding survives if it has
    no control, private-use or unassigned characters and no typical mojibake (half-width katakana from cp932,
    runs of Latin-1 symbols from cp1252, a lone CJK character inside a Latin word, Cyrillic glued to Han), and,
    for Big5, if at least 30 % of its Han characters are among ~550 frequent ones (GBK or EUC-KR bytes read as
    Big5 give rare characters). Exactly one survivor is used; none or several (the bytes are ambiguous) is an
    InputError. charset-normalizer is not used: on an English text with a Big5 dateline it answers Shift_JIS.
    """
    plausible: list[tuple[str, str, str]] = []
    for codec, name in LEGACY_ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _suspicion(text, codec) == 0:
            plausible.append((codec, name, text))
    where = f"byte {error.start}"
    if len(plausible) == 1:
        codec, name, text = plausible[0]
        return text, f"{name} ({codec})"
    if not plausible:
        raise InputError(
            f"{path} is not UTF-8 (invalid at {where}) and not cleanly Big5, Shift_JIS or Windows-1252; "
            f"{_SAVE_AS_UTF8}"
        )
    names = " or ".join(name for _, name, _ in plausible)
    raise InputError(f"{path} is not UTF-8 (invalid at {where}) and could be {names}; {_SAVE_AS_UTF8}")


# --- Word ----------------------------------------------------------------------------------------------------

def _docx_paragraphs(path: Path, data: bytes, notes: list[str],
                     located: list[tuple[str, list, dict]]) -> tuple[list[str], int]:
    """The lines of a .docx release (`_docx_stories`) and how many runs of hidden text it has."""
    if data.startswith(OLE_MAGIC):
        raise InputError(
            f"{path} is password-protected (encrypted) or an old-format Word file, not a .docx package; "
            "remove the password in Word (File → Info → Protect Document) or save it as .docx, then try again"
        )
    if not data.startswith(ZIP_MAGIC) or not zipfile.is_zipfile(path):
        raise InputError(f"{path} is not a valid .docx (not a ZIP package: damaged or renamed); "
                         "open it in Word and save it again as .docx")
    from docx.opc.exceptions import PackageNotFoundError  # python-docx: imported here, it takes a while to load

    try:
        document = open_docx(path)  # the XML parts only, each bounded; images are never unpacked
    except DocxRefused as exc:
        raise InputError(f"{path} {exc}; open it in Word and save it again as .docx") from exc
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            f"{path} is a damaged .docx ({type(exc).__name__}: {' '.join(str(exc).split())}); "
            "open it in Word and save it again as .docx"
        ) from exc
    except Exception as exc:  # lxml errors on malformed XML parts and the like
        raise InputError(
            f"{path} is a damaged .docx ({type(exc).__name__}); open it in Word and save it again as .docx"
        ) from exc

    return _docx_stories(document, notes, located)


def _docx_stories(document, notes: list[str], located: list[tuple[str, list, dict]]) -> tuple[list[str], int]:
    """The lines of every story (pipeline/docx/stories.py), with their marks and origins in `located`; notes per
    story; and the number of runs of hidden text (not read)."""
    stories = walk_document(document)
    for kind, found in stories.notes_read.items():
        notes.append(
            f"{found} {kind}(s) of the document were read and added after the body, in the order they are "
            f"referred to (their reference marks are not in the text)."
        )
    for story, label in (("text box", "text box paragraph(s) were read after the paragraph that anchors them"),
                         ("header", "header paragraph(s) were read after the body and notes"),
                         ("footer", "footer paragraph(s) were read after the headers")):
        count = stories.count(story)
        if count:
            notes.append(f"{count} {label}; the published document has their translation in place.")
    kept = stories.kept()
    if kept:
        where = ", ".join(sorted({p.story for p in kept}))
        notes.append(
            f"{len(kept)} paragraph(s) ({where}) hold a page-number or date field and were not read: they are "
            "published as they are (check any English words in them)."
        )
    if stories.comments:
        notes.append("The document's comments were not read (they are not part of the release).")
    if stories.images:
        notes.append(f"{stories.images} image(s) in the document were skipped (not translated; kept in place when published).")
    if stories.changes:
        notes.append("The document has tracked changes; they were read as accepted.")
    if stories.hidden_runs:
        notes.append(
            f"{len(stories.hidden_runs)} hidden run(s) kept hidden, not translated (text formatted as hidden in Word: "
            "the published document keeps it hidden where it is; the web page leaves it out)."
        )
    lines: list[str] = []
    for index, paragraph in enumerate(stories.paragraphs):
        if not paragraph.readable:
            continue
        for number, line in enumerate(paragraph.lines):
            if line.text:
                lines.append(line.text)
                located.append((line.text, line.marks, {"story": paragraph.story, "index": index, "line": number}))
    return lines, len(stories.hidden_runs)


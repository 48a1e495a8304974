"""Issue 13, item 1: small or odd files must not cost unbounded memory or time (docs/robustness.md, "Limits").

Each case runs the CLI in a subprocess with its address space capped (1.5 GB; a normal run needs far less) and a
timeout, so the old behaviour fails the test instead of eating the machine or hanging the suite.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support.bounded_cli import assert_one_line_error, run_capped

from pipeline.glossary.formats.yaml_bounds import MAX_ALIAS_NODES, expansion_problem

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"

GOOD_GLOSSARY = """\
entries:
  - id: kmu
    english: Kaohsiung Medical University
    targets: {zh-TW: 高雄醫學大學, ja: 高雄医学大学}
"""

# 593 bytes in the campaign; nine levels of nine aliases each: 9**9 (387 million) strings when expanded.
LAUGHS = "".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(
            f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
            for prev, name in zip("abcdefgh", "bcdefghi")
        ),
        "entries:\n  - id: x\n    english: [*i]\n",
    ]
)


@pytest.fixture
def demo_packages(tmp_path_factory) -> Path:
    """A packages folder with demo copy models for zh-TW and ja, built once per test session."""
    folder = tmp_path_factory.getbasetemp() / "bounds-demo-packages"
    if not folder.exists():
        result = run_capped(["models", "build-demo"], env={"ARGOS_PACKAGES_DIR": str(folder)}, memory=4 * 1024**3)
        assert result.returncode == 0, result.stderr
    return folder


def _run_release(release: Path, out: Path, packages: Path, *extra: str):
    return run_capped(["run", release, "--out", out, "--quiet", "--no-glossary", *extra],
                      env={"ARGOS_PACKAGES_DIR": str(packages)})


# --- releases -------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_release_is_refused_without_waiting(tmp_path, demo_packages):
    fifo = tmp_path / "release.txt"
    os.mkfifo(fifo)
    result = _run_release(fifo, tmp_path / "out", demo_packages)
    assert_one_line_error(result, 3, str(fifo), "named pipe")
    assert not (tmp_path / "out").exists()


def test_a_release_linked_to_dev_zero_is_refused(tmp_path, demo_packages):
    link = tmp_path / "release.txt"
    link.symlink_to("/dev/zero")
    result = _run_release(link, tmp_path / "out", demo_packages)
    assert_one_line_error(result, 3, str(link), "character device")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["release.txt", "release.md", "release.docx"])
def test_a_sparse_huge_release_is_refused_before_it_is_read(tmp_path, demo_packages, name):
    big = tmp_path / name
    with open(big, "wb") as handle:
        handle.truncate(12 * 1024**3)  # 12 GB, no disk used
    result = _run_release(big, tmp_path / "out", demo_packages)
    assert_one_line_error(result, 3, str(big), "12.0 GB", "limit")
    assert not (tmp_path / "out").exists()


def test_a_release_just_under_the_text_limit_is_read(tmp_path):
    from pipeline.source.ingest import read_release
    from pipeline.core.limits import RELEASE_TEXT_MAX_BYTES

    text = SAMPLE.read_text(encoding="utf-8")
    release = tmp_path / "long.txt"
    release.write_text(text)
    assert read_release(release).paragraphs_text  # the limit is far above a release
    assert RELEASE_TEXT_MAX_BYTES > 1000 * len(text.encode())


# --- glossaries ---------------------------------------------------------------------------------------------


def test_alias_bomb_is_refused_by_glossary_check_within_a_memory_cap(tmp_path):
    bomb = tmp_path / "laughs.yaml"
    bomb.write_text(LAUGHS)
    assert len(bomb.read_bytes()) < 700
    result = run_capped(["glossary", "check", bomb], memory=1024**3, timeout=120)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "MemoryError" not in output, output[-2000:]
    assert result.returncode == 2, output[-2000:]
    assert f"{bomb}:" in result.stdout and "alias" in result.stdout


def test_alias_bomb_in_the_default_glossary_folder_stops_a_run(tmp_path, demo_packages):
    folder = tmp_path / "glossaries"
    folder.mkdir()
    (folder / "kmu.yaml").write_text(GOOD_GLOSSARY)
    (folder / "pr.yaml").write_text(LAUGHS)
    release = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, release)
    result = run_capped(["run", release, "--out", tmp_path / "out", "--quiet"], memory=1024**3, timeout=120,
                        env={"ARGOS_PACKAGES_DIR": str(demo_packages)}, cwd=tmp_path)
    assert_one_line_error(result, 2, "pr.yaml", "alias")
    assert not (tmp_path / "out").exists()


def test_recursive_anchor_and_deep_nesting_are_problems_not_tracebacks(tmp_path):
    recursive = tmp_path / "recursive.yaml"
    recursive.write_text("entries: &e\n  - id: x\n    english: *e\n")
    result = run_capped(["glossary", "check", recursive], timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 2 and "recursive anchor" in result.stdout


def test_aliases_that_add_little_are_accepted():
    import yaml

    defaults = "defaults: &d {status: approved, note: checked}\nentries:\n" + "".join(
        f"  - {{id: e{i}, english: Term {i}, zh-TW: 詞{i}, extra: *d}}\n" for i in range(200)
    )
    assert expansion_problem(yaml.compose(defaults)) is None


def test_the_alias_bound_counts_expanded_nodes_not_aliases():
    import yaml

    # 20 aliases of a 10,000-item list: only 20 aliases, but 200,000 nodes once expanded
    text = "big: &big [" + ", ".join(["x"] * 10_000) + "]\nentries: [" + ", ".join(["*big"] * 20) + "]\n"
    found = expansion_problem(yaml.compose(text))
    assert found is not None and "alias" in found[1]
    # 9 aliases of it stay under the bound
    text = "big: &big [" + ", ".join(["x"] * 10_000) + "]\nentries: [" + ", ".join(["*big"] * 9) + "]\n"
    assert 9 * 10_000 < MAX_ALIAS_NODES and expansion_problem(yaml.compose(text)) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_or_huge_glossary_is_a_parse_problem(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.truncate(4 * 1024**3)
    for path, words in ((fifo, "named pipe"), (big, "limit")):
        result = run_capped(["glossary", "check", path], timeout=120)
        assert "Traceback" not in result.stdout + result.stderr
        assert result.returncode == 2 and f"{path}:1:" in result.stdout and words in result.stdout, result.stdout


# --- model packages -------------------------------------------------------------------------------------------


def test_a_huge_metadata_json_makes_the_package_broken_not_slow(tmp_path, demo_packages):
    packages = tmp_path / "packages"
    shutil.copytree(demo_packages, packages)
    victim = next(p for p in packages.iterdir() if "en_ja" in p.name)
    with open(victim / "metadata.json", "wb") as handle:
        handle.truncate(1024**3)  # 1 GB of NUL bytes, sparse
    result = run_capped(["models", "list"], env={"ARGOS_PACKAGES_DIR": str(packages)}, memory=1024**3)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    line = next(line for line in result.stdout.splitlines() if victim.name in line)
    assert "BROKEN" in line and "1.0 GB" in line and "limit" in line


# --- .docx packages ---------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _rewrite_docx(source: Path, target: Path, replace: dict, extra: dict | None = None) -> None:
    """Copy the .docx `source` to `target`; `replace[name]` (an iterable of byte chunks, streamed) replaces an entry,
    `extra[name]` (bytes, or an int: that many zero bytes, streamed) adds one."""
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename in replace:
                with dst.open(info.filename, "w", force_zip64=True) as handle:
                    for chunk in replace[info.filename]:
                        handle.write(chunk)
            else:
                dst.writestr(info, src.read(info))
        for name, content in (extra or {}).items():
            with dst.open(name, "w", force_zip64=True) as handle:
                if isinstance(content, int):
                    block = bytes(16 * 1024 * 1024)
                    for _ in range(content // len(block)):
                        handle.write(block)
                else:
                    handle.write(content)


def _with_big_image(source: Path, target: Path, media: str) -> None:
    """`source` with a 1 GB image entry (zeros, packed to ~1 MB) that the main document refers to, as a real
    picture is (python-docx loads every part reachable through relationships)."""
    import zipfile

    with zipfile.ZipFile(source) as src:
        rels = src.read("word/_rels/document.xml.rels")
        types = src.read("[Content_Types].xml")
    relationship = (
        f'<Relationship Id="rIdBig1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        f'Target="{media.removeprefix("word/")}"/></Relationships>'
    ).encode()
    rels = rels.replace(b"</Relationships>", relationship)
    if b'Extension="png"' not in types:
        types = types.replace(b"</Types>", b'<Default Extension="png" ContentType="image/png"/></Types>')
    _rewrite_docx(source, target, {"word/_rels/document.xml.rels": [rels], "[Content_Types].xml": [types]},
                  {media: 1024**3})


def _docx_release(tmp_path: Path) -> Path:
    import docx

    document = docx.Document()
    for paragraph in SAMPLE.read_text(encoding="utf-8").split("\n\n"):
        document.add_paragraph(paragraph.strip())
    path = tmp_path / "plain.docx"
    document.save(path)
    return path


def test_a_docx_whose_xml_expands_to_millions_of_paragraphs_is_refused(tmp_path, demo_packages):
    plain = _docx_release(tmp_path)
    bomb = tmp_path / "bomb.docx"
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
    chunk = b"<w:p/>" * 1_000_000
    _rewrite_docx(plain, bomb, {"word/document.xml": [head, *([chunk] * 17), b"</w:body></w:document>"]})
    assert bomb.stat().st_size < 5 * 1024**2
    result = _run_release(bomb, tmp_path / "out", demo_packages)
    assert_one_line_error(result, 3, str(bomb), "zip bomb")
    assert not (tmp_path / "out").exists()


def test_element_and_row_counts_are_bounded_without_building_a_tree(tmp_path, monkeypatch):
    from pipeline.docx import bounded
    from pipeline.core.errors import InputError
    from pipeline.source.ingest import read_release

    plain = _docx_release(tmp_path)
    assert read_release(plain).paragraphs_text
    monkeypatch.setattr(bounded, "MAX_ELEMENTS", 20)
    with pytest.raises(InputError, match="more than 20 XML elements in "):
        read_release(plain)
    monkeypatch.setattr(bounded, "MAX_ELEMENTS", 10**6)
    monkeypatch.setattr(bounded, "MAX_TABLE_ROWS", 2)
    table = tmp_path / "table.docx"
    import docx

    document = docx.Document()
    document.add_table(rows=3, cols=1).rows[0].cells[0].text = "Kaohsiung Medical University signed an agreement."
    document.save(table)
    with pytest.raises(InputError, match="more than 2 table rows"):
        read_release(table)


def test_a_one_gigabyte_image_in_a_docx_release_is_never_unpacked(tmp_path, demo_packages):
    plain = _docx_release(tmp_path)
    with_image = tmp_path / "with-image.docx"
    _with_big_image(plain, with_image, "word/media/image1.png")
    assert with_image.stat().st_size < 10 * 1024**2
    result = _run_release(with_image, tmp_path / "out", demo_packages)
    assert result.returncode == 0, result.stderr[-2000:]
    assert list((tmp_path / "out").rglob("*.review.docx"))


def _review_run(tmp_path: Path, demo_packages: Path) -> Path:
    release = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, release)
    result = _run_release(release, tmp_path / "out", demo_packages, "--to", "zh-TW")
    assert result.returncode == 0, result.stderr[-2000:]
    return next((tmp_path / "out").rglob("*.zh-TW.review.docx"))


def test_a_one_gigabyte_image_in_a_review_document_is_never_unpacked(tmp_path, demo_packages):
    review = _review_run(tmp_path, demo_packages)
    edited = tmp_path / "edited.docx"
    _with_big_image(review, edited, "word/media/photo.png")
    edited.replace(review)
    result = run_capped(["review", "import", review, "--memory", tmp_path / "memory.sqlite"],
                        env={"ARGOS_PACKAGES_DIR": str(demo_packages)})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]


def test_a_review_document_with_100k_extra_rows_is_refused_cheaply(tmp_path, demo_packages):
    import re
    import zipfile

    review = _review_run(tmp_path, demo_packages)
    xml = zipfile.ZipFile(review).read("word/document.xml")
    rows = re.findall(rb"<w:tr[ >].*?</w:tr>", xml, flags=re.S)
    last = xml.rindex(b"</w:tr>") + len(b"</w:tr>")
    body_rows = b"".join(rows[1:])
    copies = 100_000 // (len(rows) - 1) + 1
    stuffed = tmp_path / "stuffed.docx"
    _rewrite_docx(review, stuffed, {"word/document.xml": [xml[:last], *([body_rows] * copies), xml[last:]]})
    stuffed.replace(review)
    before = {p: p.stat().st_mtime_ns for p in review.parent.iterdir()}
    result = run_capped(["review", "import", review, "--memory", tmp_path / "memory.sqlite"],
                        env={"ARGOS_PACKAGES_DIR": str(demo_packages)})
    assert_one_line_error(result, 6, str(review), "table rows")
    assert {p: p.stat().st_mtime_ns for p in review.parent.iterdir()} == before
    assert not (tmp_path / "memory.sqlite").exists()


def test_alias_bomb_under_titles_is_refused_once_and_never_walked(tmp_path):
    bomb = tmp_path / "titles.yaml"
    bomb.write_text(LAUGHS.replace("entries:\n  - id: x\n    english: [*i]\n", "titles:\n  - english: [*i]\n")
                    + GOOD_GLOSSARY)
    result = run_capped(["glossary", "check", bomb], memory=1024**3, timeout=120)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]
    assert result.returncode == 2 and result.stdout.count("an alias bomb") == 1, result.stdout

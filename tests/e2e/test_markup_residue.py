"""A model that rewrites the letters of its formatting tags (`<作1>…</作1>`, `‹訳2>`, `＜b3＞`, lost halves), through
run → review import (every row marked OK) → publish (.docx and web page): the translate stage takes the tag text out
and recovers the marks, and tag text it could not take out is an error of the one QA, so a reviewer's OK does not
publish it: the row is refused (exit 6, named) until it is fixed (issue 19, item 1)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import docx
import html5lib
import pytest

from pipeline.glossary import load_glossary
from pipeline.run import run_releases
from support import formatted_release as fr
from support import review_edits as edit
from support.paths import GLOSSARY
from support.scripted_engines import PseudoAligningEngine, pseudo_translate, rewrite_tags

LANGS = ("zh-TW", "ja")
# Any tag-like text: a bracket a tag is written with, or a tag's letter (rewritten or not) before its number.
RESIDUE = re.compile(r"[<>＜＞‹›⟦⟧]|(?<![0-9A-Za-z])[作訳biusda]\d{1,3}(?![0-9A-Za-z])|ZXQ")
INVENTED = "Joint research in public health."  # a bullet without formatting: the model invents a tag in it


def rewriting_model(text: str) -> str:
    return rewrite_tags(pseudo_translate(text))


def inventing_model(text: str) -> str:
    """Rewrites the tags it was given and, in one sentence that had none, writes tags of its own (nothing to
    recover there: the tag text stays for the checks to find)."""
    if text.startswith(INVENTED.split()[0]):
        return "<作1>" + pseudo_translate(text) + "</作1>"
    return rewriting_model(text)


@pytest.fixture
def release(tmp_path) -> Path:
    (tmp_path / "releases").mkdir()
    return fr.build_docx(tmp_path / "releases" / "formatted.docx")


def _run(release: Path, out: Path, script) -> Path:
    engines = {lang: PseudoAligningEngine(script, to_code=code, lang=lang) for lang, code in zip(LANGS, ("zt", "ja"))}
    run_releases([release], engines, out, glossary=load_glossary(GLOSSARY))
    return out / release.stem


def _manifest(folder: Path) -> dict:
    return json.loads(next(folder.glob("*.manifest.json")).read_text(encoding="utf-8"))


def _flags(folder: Path, lang: str) -> dict[str, list[str]]:
    return {s["id"]: [f["code"] for f in s["targets"][lang]["flags"]] for s in _manifest(folder)["segments"]}


def _import_marked_ok(cli, folder: Path, lang: str, back: Path, fixes: dict[str, str] | None = None):
    """The reviewer types OK in every row's OK? cell (and retypes the rows in `fixes`), saves, imports."""
    doc = docx.Document(str(folder / f"{folder.name}.{lang}.review.docx"))
    for row in doc.tables[0].rows[1:]:
        sid = row.cells[0].text.strip()
        if sid in (fixes or {}):
            edit.replace_text(row.cells[2], fixes[sid])
        else:
            edit.mark_ok(doc, sid)
    path = back / f"{lang}.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return cli("review", "import", path, "--manifest", folder, "--no-memory")


def _docx_text(path: Path) -> str:
    """Every text of the package (body, header, footer, footnotes, text boxes, properties), tags stripped."""
    with zipfile.ZipFile(path) as package:
        parts = [package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml")]
    return "\n".join(re.sub(r"<[^>]+>", " ", part) for part in parts).replace("&lt;", "<").replace("&gt;", ">")


def _html_text(path: Path) -> str:
    tree = html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    return " ".join(tree.itertext())


def _published(folder: Path, lang: str) -> dict[str, str]:
    stem = folder.name
    files = [folder / f"{stem}.{lang}.docx", folder / f"{stem}.{lang}.bilingual.docx"]
    texts = {path.name: _docx_text(path) for path in files if path.exists()}
    texts[f"{stem}.{lang}.html"] = _html_text(folder / f"{stem}.{lang}.html")
    return texts


def test_rewritten_tags_never_reach_the_published_files(release, tmp_path, cli):
    folder = _run(release, tmp_path / "out", rewriting_model)
    for lang in LANGS:
        flags = _flags(folder, lang)
        assert "formatting-recovered" in flags["p03.s01"]  # the bold lead-in and the link, from <作1>, ‹訳2>
        assert not [sid for sid, codes in flags.items() if "markup-residue" in codes]
        result = _import_marked_ok(cli, folder, lang, tmp_path / "back")
        assert result.exit_code == 0 and "markup-residue" not in result.output, result.output
    result = cli("publish", folder, "--format", "docx", "--format", "html", "--no-memory")
    assert result.exit_code == 0, result.output
    for lang in LANGS:
        texts = _published(folder, lang)
        assert len(texts) >= 2
        for name, text in texts.items():
            assert "譯" in text, name
            assert not RESIDUE.search(text), (name, RESIDUE.search(text))
        published = docx.Document(str(folder / f"{folder.name}.{lang}.docx"))
        assert fr.LINK1 in [rel.target_ref for rel in published.part.rels.values() if rel.is_external]


def test_tag_text_left_in_a_row_refuses_it_until_a_reviewer_fixes_it(release, tmp_path, cli):
    folder = _run(release, tmp_path / "out", inventing_model)
    manifest = _manifest(folder)
    [invented] = [s["id"] for s in manifest["segments"] if s["source"] == INVENTED]
    [segment] = [s for s in manifest["segments"] if s["id"] == invented]
    machine = {lang: segment["targets"][lang]["text"] for lang in LANGS}
    for lang in LANGS:
        assert "<作1>" in machine[lang] and "markup-residue" in _flags(folder, lang)[invented]
        assert "formatting-recovered" in _flags(folder, lang)["p03.s01"]  # the rewritten tags elsewhere: taken out

    # every row marked OK: the import names the row and its problem, and does not approve it
    for lang in LANGS:
        result = _import_marked_ok(cli, folder, lang, tmp_path / "ok")
        assert result.exit_code == 0, result.output
        assert "markup-residue" in result.output and invented in result.output and "<作1>" in result.output
        assert "1 not approved (1 check-error)" in result.output, result.output
    refused = cli("publish", folder, "--format", "docx", "--format", "html", "--no-memory")
    assert refused.exit_code == 6, refused.output
    assert "Not published: zh-TW, ja" in refused.output
    for lang in LANGS:
        assert re.search(rf"{lang} row \d+ \({invented}, [^)]*\): markup-residue: .*<作1>", refused.output)
    for lang in LANGS:
        assert not (folder / f"{folder.name}.{lang}.docx").exists()
        assert not (folder / f"{folder.name}.{lang}.html").exists()

    # the reviewer deletes the tag text: approved, published, and no residue anywhere
    for lang in LANGS:
        fixed = machine[lang].replace("</作1>", "").replace("<作1>", "")
        result = _import_marked_ok(cli, folder, lang, tmp_path / "fixed", {invented: fixed})
        assert result.exit_code == 0 and "not approved" not in result.output, result.output  # no check-error row left
    result = cli("publish", folder, "--format", "docx", "--format", "html", "--no-memory")
    assert result.exit_code == 0, result.output
    for lang in LANGS:
        for name, text in _published(folder, lang).items():
            assert not RESIDUE.search(text), (name, RESIDUE.search(text))

"""`glossary check --against` a release folder or a whole output folder checks what is PUBLISHED there (issue 19,
item 4): the published .docx and .bilingual.docx of each release, never the hidden copy of the English
(`.sources/`), the review documents or the manifest's machine text; exit 0, then 1 after a term change, naming
the releases."""

from __future__ import annotations

import json

import pytest

from support.office_glossary import JA_NEW, TERM, published_office, run_in_office

RELEASES = ("mou", "visit")


@pytest.fixture
def published(tmp_path, cli):
    """An office whose two .docx releases are run, approved and published."""
    made, folders = published_office(tmp_path / "office", cli, *RELEASES)
    for folder in folders:
        assert (folder / ".sources").is_dir()  # the hidden copy of the English the old check tripped over
    return made


def check(cli, made, *against, fmt="human"):
    args = ["glossary", "check", made.glossary, "--format", fmt]
    for path in against:
        args += ["--against", path]
    return cli(*args)


def published_names(release: str) -> set[str]:
    return {f"{release}.{lang}{kind}" for lang in ("zh-TW", "ja") for kind in (".docx", ".bilingual.docx")}


def test_a_release_folder_and_an_output_folder_pass_then_fail_after_a_term_change_naming_the_releases(published, cli):
    made = published
    one = check(cli, made, made.folder("mou"))
    assert one.exit_code == 0, one.output
    assert "OK: 1 entry in 1 file, 4 documents published in 1 release (mou)" in one.output
    whole = check(cli, made, made.out)
    assert whole.exit_code == 0, whole.output
    assert "8 documents published in 2 releases (mou, visit)" in whole.output

    made.set_ja(JA_NEW)
    one = check(cli, made, made.folder("mou"))
    assert one.exit_code == 1, one.output
    assert f"mou.ja.docx: term-missing: segment paragraph 1 (ja): '{TERM}' must be rendered '{JA_NEW}'" in one.output
    assert "published in 1 release (mou); problems in mou" in one.output
    whole = check(cli, made, made.out)
    assert whole.exit_code == 1, whole.output
    assert "published in 2 releases (mou, visit); problems in mou, visit" in whole.output
    assert "visit.ja.bilingual.docx: term-missing" in whole.output


def test_only_the_published_documents_are_read(published, cli):
    made = published
    made.set_ja(JA_NEW)
    result = check(cli, made, made.out, fmt="json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    documents = {p["document"].rsplit("/", 1)[-1] for p in problems}
    assert documents == {f"{release}.ja{kind}" for release in RELEASES for kind in (".docx", ".bilingual.docx")}
    assert {p["code"] for p in problems} == {"term-missing"} and {p["lang"] for p in problems} == {"ja"}


def test_the_same_documents_whatever_is_beside_them(published, cli):
    """Review documents, the manifest, the review record and backups are beside the published documents: the
    count is the published ones only, per release."""
    made = published
    folder = made.folder("mou")
    names = {p.name for p in folder.iterdir()}
    assert published_names("mou") <= names and "mou.zh-TW.review.docx" in names and "mou.manifest.json" in names
    result = check(cli, made, folder)
    assert result.exit_code == 0 and "4 documents published in 1 release (mou)" in result.output, result.output


def test_a_release_not_published_yet(tmp_path, cli, published):
    made = published
    [folder] = run_in_office(made, cli, "draft")  # run and reviewed, not published
    whole = check(cli, made, made.out)
    assert whole.exit_code == 0, whole.output
    assert "published in 2 releases (mou, visit); not published yet: draft" in whole.output
    alone = check(cli, made, folder)
    assert alone.exit_code == 2, alone.output
    assert "nothing published in it yet" in alone.output and "translate publish" in alone.output

"""A refused language, or a format not published again, leaves no earlier published file looking current (issue 19,
item 3): its files are moved aside into `.withdrawn/<time>/` as part of the publication, said one line each, and
never deleted."""

from __future__ import annotations

import errno
import os

import docx
import pytest

from pipeline.core.errors import OutputError
from pipeline.files import atomic
from pipeline.publish.publisher import publish_release
from pipeline.publish.withdraw import PUBLISHED_SUFFIXES, WITHDRAWN_FOLDER
from support.office_glossary import JA_NEW, office, run_in_office

NAME = "mou"


def published(folder, lang) -> dict[str, bytes]:
    """The published files of a language in the release folder (name → bytes; a folder's files by their path)."""
    found = {}
    for suffix in PUBLISHED_SUFFIXES:
        path = folder / f"{NAME}.{lang}{suffix}"
        if path.is_file():
            found[path.name] = path.read_bytes()
        elif path.is_dir():
            found.update({f"{path.name}/{p.name}": p.read_bytes() for p in path.iterdir()})
    return found


def withdrawn(folder) -> dict[str, bytes]:
    """What is in `.withdrawn/` (name → bytes), whatever the time folder."""
    found = {}
    for path in sorted((folder / WITHDRAWN_FOLDER).rglob("*")):
        if path.is_file():
            relative = path.relative_to(folder / WITHDRAWN_FOLDER).parts[1:]
            found["/".join(relative)] = path.read_bytes()
    return found


@pytest.fixture
def approved(tmp_path, cli):
    made = office(tmp_path / "office")
    [folder] = run_in_office(made, cli, NAME)
    return made, folder


def test_a_language_refused_after_a_glossary_change_has_its_earlier_files_withdrawn(approved, cli):
    made, folder = approved
    first = cli("publish", folder, "--format", "html", "--no-memory")
    assert first.exit_code == 0, first.output
    assert "withdrawn" not in first.output  # nothing earlier to withdraw
    before_ja, before_zh = published(folder, "ja"), published(folder, "zh-TW")
    assert {f"{NAME}.ja.docx", f"{NAME}.ja.bilingual.docx", f"{NAME}.ja.html"} <= set(before_ja)

    made.set_ja(JA_NEW)
    refused = cli("publish", folder, "--format", "html", "--no-memory")
    assert refused.exit_code == 6, refused.output
    assert published(folder, "ja") == {}  # nothing of ja looks current
    assert withdrawn(folder) == before_ja  # moved, byte for byte: nothing deleted
    names = ", ".join(name for name in before_ja if "/" not in name)
    [line] = [line for line in refused.output.splitlines() if "withdrawn:" in line]
    assert line.strip().startswith(f"withdrawn: {names}")
    assert f"(moved to {folder / WITHDRAWN_FOLDER}/" in line and line.endswith("): the current gate refuses ja")
    assert set(published(folder, "zh-TW")) == set(before_zh)  # the clean language is published again

    again = cli("publish", folder, "--format", "html", "--no-memory")
    assert again.exit_code == 6 and "withdrawn" not in again.output  # nothing left to withdraw


def test_a_format_not_published_again_is_withdrawn_and_said(approved, cli):
    made, folder = approved
    assert cli("publish", folder, "--format", "html", "--no-memory").exit_code == 0
    pages = {lang: (folder / f"{NAME}.{lang}.html").read_bytes() for lang in ("zh-TW", "ja")}
    result = cli("publish", folder, "--no-memory")  # docx only now
    assert result.exit_code == 0, result.output
    for lang in ("zh-TW", "ja"):
        assert not (folder / f"{NAME}.{lang}.html").exists()
        assert not (folder / f"{NAME}.{lang}.files").exists()
        assert (folder / f"{NAME}.{lang}.docx").is_file()
        assert f"withdrawn: {NAME}.{lang}.html" in result.output
        assert f"this publication of {lang} does not write" in result.output
    assert {k: v for k, v in withdrawn(folder).items() if k.endswith(".html")} == {
        f"{NAME}.{lang}.html": page for lang, page in pages.items()
    }


def test_a_draft_web_page_does_not_stay_beside_a_later_clean_publish(tmp_path, cli):
    made = office(tmp_path / "office")
    [folder] = run_in_office(made, cli, NAME, approve=False)
    draft = cli("publish", folder, "--allow-unreviewed", "--format", "html", "--no-memory")
    assert draft.exit_code == 0, draft.output
    assert "CONTAINS UNREVIEWED" in (folder / f"{NAME}.ja.html").read_text(encoding="utf-8")
    for lang in ("zh-TW", "ja"):
        review = folder / f"{NAME}.{lang}.review.docx"
        assert cli("review", "import", review, "--accept-unedited", "--approve-all", "--no-memory").exit_code == 0
    clean = cli("publish", folder, "--no-memory")
    assert clean.exit_code == 0, clean.output
    leftover = [p.name for p in folder.iterdir() if "UNREVIEWED" in _text(p)]
    assert leftover == []  # no draft file anywhere in the release folder
    assert any("CONTAINS UNREVIEWED" in page.decode("utf-8") for name, page in withdrawn(folder).items()
               if name.endswith(".html"))


def _text(path) -> str:
    if path.suffix == ".html":
        return path.read_text(encoding="utf-8")
    if path.name.endswith(".docx") and not path.name.endswith(".review.docx"):
        return "\n".join(p.text for p in docx.Document(path).paragraphs)
    return ""


def test_withdrawing_is_part_of_the_publication_unit(approved, cli, monkeypatch):
    """A full disk while the new files are written: nothing replaced, nothing moved aside."""
    made, folder = approved
    assert cli("publish", folder, "--format", "html", "--no-memory").exit_code == 0
    before = {lang: published(folder, lang) for lang in ("zh-TW", "ja")}
    real_fsync = atomic._fsync_file

    def full(path):
        if str(path).endswith(".tmp") and ".zh-TW.bilingual.docx" in str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(path)

    monkeypatch.setattr(atomic, "_fsync_file", full)
    made.set_ja(JA_NEW)
    with pytest.raises(OutputError):
        publish_release(folder, memory=None, formats=("docx",))
    assert {lang: published(folder, lang) for lang in ("zh-TW", "ja")} == before
    assert not (folder / WITHDRAWN_FOLDER).exists()
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_move_that_fails_says_what_was_moved_and_replaced_nothing(tmp_path, monkeypatch):
    for name in ("a.html", "b.html", "c.docx"):
        (tmp_path / name).write_text("old " + name, encoding="utf-8")
    real_rename = os.rename

    def rename(src, dst):
        if str(src).endswith("b.html"):
            raise PermissionError(errno.EACCES, "Permission denied")
        real_rename(src, dst)

    monkeypatch.setattr(atomic.os, "rename", rename)
    with pytest.raises(OutputError) as error, atomic.one_unit("publication"):
        atomic.move_aside(tmp_path / "a.html", tmp_path / "aside" / "a.html")
        atomic.move_aside(tmp_path / "b.html", tmp_path / "aside" / "b.html")
        atomic.atomic_write_text(tmp_path / "c.docx", "new")
    assert "a.html was moved aside, b.html not, and nothing was replaced" in str(error.value)
    assert (tmp_path / "c.docx").read_text(encoding="utf-8") == "old c.docx"
    assert (tmp_path / "aside" / "a.html").read_text(encoding="utf-8") == "old a.html"  # moved, not lost


def test_every_file_a_publication_writes_is_one_withdraw_knows(approved):
    _, folder = approved
    result = publish_release(folder, memory=None, formats=("docx", "html"))
    for lang, paths in result.paths.items():
        for path in paths.values():
            assert path.name.removeprefix(f"{NAME}.{lang}") in PUBLISHED_SUFFIXES, path

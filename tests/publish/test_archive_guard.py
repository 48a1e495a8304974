"""Guarding the archive (issue 21): after a term's approved form changes, `glossary check --against` the output
folder names every published release, document, language and row that still carries the OLD form, and says which
form it is; `translate status` marks those published files stale with the term, the rows and the old form, whatever
the files' modification times say (a checkout gives every file the same)."""

from __future__ import annotations

import contextlib
import json
import os

import pytest

from pipeline.glossary.model import Problem
from pipeline.publish.against import RecordedTerms
from pipeline.publish.gate import TermChange
from pipeline.publish.plan import PublishedSegment
from pipeline.publish.status import carried_old_forms
from support.office_glossary import JA, JA_NEW, TERM, published_office

RELEASES = ("mou", "visit")


@pytest.fixture
def published(tmp_path, cli):
    """Two .docx releases of an office, run, approved and published; then the office changes the ja form."""
    made, _ = published_office(tmp_path / "office", cli, *RELEASES)
    return made


def rows_with_term(folder, release: str, lang: str) -> list[str]:
    """The rows whose recorded terms hold the entry in `lang`: where the form was put in by the run."""
    manifest = json.loads((folder / f"{release}.manifest.json").read_text(encoding="utf-8"))
    return [
        s["id"] for s in manifest["segments"]
        if any(t["entry_id"] == "kumamoto-university" for t in s["targets"][lang]["terms"])
    ]  # fmt: skip


def test_the_check_names_each_release_document_row_and_the_old_form(published, cli):
    made = published
    made.set_ja(JA_NEW)
    result = cli("glossary", "check", made.glossary, "--against", made.out, "--format", "json")
    assert result.exit_code == 1, result.output
    problems = json.loads(result.stdout)
    assert problems and all(p["code"] == "term-missing" and p["lang"] == "ja" for p in problems)
    assert all(p["found"] == JA and p["expected"] == JA_NEW for p in problems)  # the old form, named
    for release in RELEASES:
        rows = rows_with_term(made.folder(release), release, "ja")
        assert rows
        for kind in (".docx", ".bilingual.docx"):
            named = [p for p in problems if p["document"].endswith(f"{release}.ja{kind}")]
            said = " ".join(p["message"] for p in named)
            assert f"it still has the old form '{JA}'" in said
            assert all(f"row {row}" in said for row in rows), (rows, said)

    human = cli("glossary", "check", made.glossary, "--against", made.out)
    assert f"must be rendered '{JA_NEW}'; it still has the old form '{JA}' (row {rows[0]})" in human.output
    assert "problems in mou, visit" in human.output


def test_a_text_without_the_old_form_is_not_said_to_carry_it():
    """A reviewer who wrote a third form (熊大): the term is missing, but no old form is claimed, in the check and
    in status; the form found where a paragraph stands for several rows names those rows."""
    recorded = RecordedTerms(
        {"p01.s01": {"ja": [("kumamoto-university", JA)]}, "p01.s02": {"ja": [("kumamoto-university", JA)]}},
        [["p01.s01", "p01.s02"]],
    )
    def missing():
        return Problem("term-missing", "must be rendered", segment="paragraph 1", lang="ja", entry="kumamoto-university",
                       expected=JA_NEW)  # fmt: skip

    third = missing()
    recorded.name_old_forms([third], "熊大と協定を締結した。")
    assert third.found is None and third.message == "must be rendered"
    old = missing()
    recorded.name_old_forms([old], f"{JA}と協定を締結した。")
    assert old.found == JA and old.message.endswith(f"the old form '{JA}' (rows p01.s01, p01.s02): the glossary's form changed since the run")

    change = TermChange(TERM, "ja", JA, JA_NEW)
    def row(id_, text):
        return PublishedSegment(id_, "sentence", 1, TERM, "", text, "reviewed")

    planned = [row("p01.s01", "熊大と協定"), row("p02.s01", f"{JA_NEW}と協定"), row("p03.s01", f"{JA}と協定")]
    assert carried_old_forms(planned, [change]) == [f"glossary term {TERM} changed ({JA} → {JA_NEW}): row p03.s01 (ja) still has {JA}"]
    assert carried_old_forms(planned[:2], [change]) == []


def test_status_marks_the_published_files_stale_naming_term_rows_and_old_form(published, cli, tmp_path):
    made = published
    folder = made.folder("mou")
    made.set_ja(JA_NEW)
    # the glossary's time before the published files' (as a checkout may leave them): still stale, with the reason
    past = os.stat(made.glossary / "names.yaml").st_mtime - 3600
    os.utime(made.glossary / "names.yaml", (past, past))
    os.utime(made.glossary, (past, past))
    with contextlib.chdir(tmp_path):
        result = cli("status", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    [release] = json.loads(result.stdout)["releases"]
    languages = {lang["lang"]: lang for lang in release["languages"]}
    rows = rows_with_term(folder, "mou", "ja")
    many = len(rows) > 1
    reason = (
        f"glossary term {TERM} changed ({JA} → {JA_NEW}): row{'s' if many else ''} {', '.join(rows)} (ja) still "
        f"{'have' if many else 'has'} {JA}"
    )
    ja = languages["ja"]
    assert ja["published"] and all(not f["current"] and reason in f["stale"] for f in ja["published"])
    assert all(not any("glossary term" in why for why in f["stale"]) for f in languages["zh-TW"]["published"])

    human = cli("status", folder)
    assert "published: mou.ja.docx (stale: " in human.output and reason in human.output

"""The gate's glossary is the one the run used, found from whatever folder publish runs in (issue 19, item 2): the
manifest records its absolute path and hash; every gate message names it and, after a change, what changed."""

from __future__ import annotations

import contextlib
import json
import shutil

import pytest

from support.office_glossary import JA, JA_NEW, TERM, office, run_in_office


@pytest.fixture
def reviewed(tmp_path, cli):
    """An office folder, its glossary, and one .docx release run in it and approved; `elsewhere` another folder."""
    made = office(tmp_path / "office")
    [folder] = run_in_office(made, cli, "mou")
    (tmp_path / "elsewhere").mkdir()
    return made, folder, tmp_path / "elsewhere"


def manifest(folder):
    return json.loads((folder / f"{folder.name}.manifest.json").read_text(encoding="utf-8"))


def publish_from(where, cli, *args):
    with contextlib.chdir(where):
        return cli("publish", *args, "--no-memory")


def rows(output: str) -> list[str]:
    """The refusal without its first line (which names the release folder as it was given)."""
    return output.strip().splitlines()[1:]


def test_the_run_records_the_glossary_absolute_and_publish_names_it(reviewed, cli):
    made, folder, elsewhere = reviewed
    recorded = manifest(folder)["glossary"]
    assert recorded["path"] == str(made.glossary.absolute())  # `glossaries` as given, made absolute
    result = publish_from(elsewhere, cli, folder)
    assert result.exit_code == 0, result.output
    assert f"Checked against the glossary {made.glossary.absolute()} (hash {recorded['hash']})." in result.output
    assert "changed" not in result.output


def test_after_a_glossary_change_another_folder_gets_the_office_folders_refusal(reviewed, cli):
    made, folder, elsewhere = reviewed
    old_hash = manifest(folder)["glossary"]["hash"]
    made.set_ja(JA_NEW)
    in_office = publish_from(made.root, cli, folder.relative_to(made.root))
    from_elsewhere = publish_from(elsewhere, cli, folder)
    assert in_office.exit_code == from_elsewhere.exit_code == 6, (in_office.output, from_elsewhere.output)
    assert rows(in_office.output) == rows(from_elsewhere.output)
    refusal = from_elsewhere.output
    assert f"Not published: ja of {folder}" in refusal and "published: zh-TW" in refusal
    assert f"checked against the glossary {made.glossary.absolute()} (hash " in refusal
    assert f"which changed since the run (hash {old_hash}): {TERM}, ja: {JA} → {JA_NEW}; run `translate run` again" in refusal
    assert f"term-missing: {TERM} must be rendered {JA_NEW}" in refusal


def test_an_explicit_glossary_still_wins_and_is_named(reviewed, cli, tmp_path):
    made, folder, elsewhere = reviewed
    other = tmp_path / "other.yaml"
    shutil.copy(made.glossary / "names.yaml", other)
    made.set_ja(JA_NEW)  # the run's glossary changed; the one given is as it was: ja passes
    result = publish_from(elsewhere, cli, folder, "--glossary", other)
    assert result.exit_code == 0, result.output
    assert f"Checked against the glossary {other} (hash {manifest(folder)['glossary']['hash']})." in result.output
    result = publish_from(elsewhere, cli, folder, "--glossary", made.glossary)
    assert result.exit_code == 6 and f"{TERM}, ja: {JA} → {JA_NEW}" in result.output, result.output


def test_a_new_entry_is_named_as_not_in_the_runs_glossary(reviewed, cli):
    made, folder, elsewhere = reviewed
    (made.glossary / "more.yaml").write_text(
        "version: 1\nentries:\n  - id: kmu\n    english: Kaohsiung Medical University\n    kind: institution\n"
        "    status: approved\n    targets:\n      zh-TW: 高雄醫學大學\n      ja: 高雄医学大学\n",
        encoding="utf-8",
    )
    result = publish_from(elsewhere, cli, folder)
    assert result.exit_code == 6, result.output
    assert "Kaohsiung Medical University, zh-TW: (not in the run's glossary) → 高雄醫學大學" in result.output
    assert "Kaohsiung Medical University, ja: (not in the run's glossary) → 高雄医学大学" in result.output


def test_a_glossary_that_is_gone_refuses_naming_it_not_the_run_time_terms(reviewed, cli):
    made, folder, elsewhere = reviewed
    made.glossary.rename(made.root / "glossaries.old")
    result = publish_from(elsewhere, cli, folder)
    assert result.exit_code == 6, result.output
    assert f"the glossary the run used, {made.glossary.absolute()}" in result.output and "no longer exists" in result.output
    assert "--glossary PATH" in result.output
    assert not [p for lang in ("zh-TW", "ja") for p in (folder / f"mou.{lang}.docx", folder / f"mou.{lang}.bilingual.docx") if p.exists()]
    # --no-glossary checks the terms the run recorded, on purpose, and says so
    result = publish_from(elsewhere, cli, folder, "--no-glossary")
    assert result.exit_code == 0, result.output
    assert "Checked against no glossary (--no-glossary): the terms the run recorded." in result.output


def test_an_older_manifest_with_a_relative_path_is_read_from_the_folder_publish_runs_in(reviewed, cli):
    made, folder, elsewhere = reviewed
    data = manifest(folder)
    data["glossary"]["path"] = "glossaries"  # as manifests recorded it before
    (folder / f"{folder.name}.manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    made.set_ja(JA_NEW)
    in_office = publish_from(made.root, cli, folder)
    assert in_office.exit_code == 6 and f"{TERM}, ja: {JA} → {JA_NEW}" in in_office.output, in_office.output
    result = publish_from(elsewhere, cli, folder)  # no silent fallback to the run-time terms
    assert result.exit_code == 6, result.output
    assert f"the glossary the run used, glossaries (recorded in {folder / 'mou.manifest.json'}), is not in {elsewhere}" in (
        result.output
    )

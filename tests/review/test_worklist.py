"""No silent "no glossary", and the worklist at the top of each review document (the import prints the same)."""

from __future__ import annotations

import json

import docx

from support.paths import SAMPLE


def test_a_run_that_finds_no_glossary_refuses_unless_told(installed, sample_copy, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./glossaries here
    out = tmp_path / "out"
    result = cli("run", sample_copy, "--out", out, "--quiet")
    assert result.exit_code == 2, result.output
    assert "No glossary: looked for ./glossaries in " + str(tmp_path) in result.output
    assert "--glossary PATH" in result.output and "--no-glossary" in result.output
    assert len(result.output.strip().splitlines()) == 1 and not out.exists()

    result = cli("run", sample_copy, "--out", out, "--quiet", "--no-glossary")
    assert result.exit_code == 0, result.output
    folder = out / SAMPLE.stem
    manifest = json.loads((folder / f"{SAMPLE.stem}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["glossary"]["path"] is None and "--no-glossary" in manifest["glossary"]["none"]
    header = [p.text for p in docx.Document(folder / f"{SAMPLE.stem}.zh-TW.review.docx").paragraphs]
    assert any(line.startswith("Glossary: none (run with --no-glossary") for line in header)


def test_the_worklist_opens_the_document_and_the_import_prints_it(run, cli):
    from pipeline.review.write.worklist import from_manifest

    header = [p.text for p in docx.Document(run.review("zh-TW")).paragraphs]
    glossary_line = next(line for line in header if line.startswith("Glossary: "))
    assert str(run.manifest["glossary"]["path"]) in glossary_line and run.manifest["glossary"]["hash"] in glossary_line
    [line] = [line for line in header if line.startswith("Worklist: ")]
    expected = from_manifest(run.manifest, "zh-TW")
    assert line == "Worklist: " + expected.line()
    # the sample has names the glossary lacks, and rows the checks flag (the fake model's text)
    assert f"{len(run.manifest['glossary']['uncovered_names'])} name(s) not in the glossary" in line
    flagged = sum(
        1 for s in run.manifest["segments"]
        if s["targets"]["zh-TW"]["origin"] != "verbatim" and any(f["code"] not in ("memory",) for f in s["targets"]["zh-TW"]["flags"])
    )  # fmt: skip
    assert expected.rows_attention <= flagged

    result = cli("review", "import", run.review("zh-TW"), "--approve-all")
    assert result.exit_code == 0, result.output
    assert "worklist (as the document opens): " + expected.line() in result.output
    assert "typed outside the table" not in result.output


def test_worklist_counts_flags_by_kind():
    from pipeline.review.write.worklist import worklist

    rows = [("machine", ["number-missing", "spaces"]), ("memory", ["memory", "memory-outdated"]), ("machine", []),
            ("verbatim", ["anything"]), ("machine", ["number-missing", "tm-suggestion"])]  # fmt: skip
    result = worklist(rows, ["College of Medicine"])
    assert result.rows_attention == 3 and result.from_memory == 1
    assert result.attention == {"number-missing": 2, "spaces": 1, "memory-outdated": 1}
    assert result.line().startswith("3 row(s) need attention (2 number-missing, 1 memory-outdated, 1 spaces)")
    assert "1 row(s) from the memory" in result.line() and "1 name(s) not in the glossary" in result.line()

"""Glossary terms no real glossary holds (issue 22): a 1 MB English term, one-letter and common-word forms.

A 1 MB term passed `glossary check`, then `run`, `review import`, `publish` and `glossary check --against` died by
SIGSEGV (exit 139): pyahocorasick frees its trie recursively and a 1,000,000-deep trie overflows the C stack. Every
form is now bounded when the glossary is read (GLOSSARY_TERM_MAX_CHARS), so no command builds an automaton with one.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
import yaml
from support.bounded_cli import assert_one_line_error, run_capped

from pipeline.core.limits import GLOSSARY_TERM_MAX_CHARS
from pipeline.glossary import load_glossary
from pipeline.glossary.formats import FORMATS
from pipeline.glossary.load import read_entries
from pipeline.core.errors import GlossaryError

GOOD = {"id": "kmu", "english": "Kaohsiung Medical University", "targets": {"zh-TW": "高雄醫學大學", "ja": "高雄医学大学"}}
MEGABYTE_TERM = ("Kaohsiung " * 110_000)[: 1024 * 1024]


def _glossary(path, *entries: dict):
    path.write_text(yaml.safe_dump({"version": 1, "entries": list(entries)}, allow_unicode=True, sort_keys=False,
                                   width=1 << 30), encoding="utf-8")  # fmt: skip
    return path


def _huge(field: str) -> dict:
    entry = {"id": "huge", "english": "Kumamoto University", "targets": {"zh-TW": "熊本大學", "ja": "熊本大学"}}
    if field == "english":
        entry["english"] = MEGABYTE_TERM
    elif field == "variants":
        entry["variants"] = ["Kumamoto Univ.", MEGABYTE_TERM]
    elif field == "abbreviations":
        entry["abbreviations"] = {MEGABYTE_TERM: {"zh-TW": "熊大"}}
    else:
        entry["targets"]["ja"] = "熊本" * (len(MEGABYTE_TERM) // 2)
    return entry


@pytest.mark.parametrize(
    "field, line_starts", [("english", "english: Kaohsiung"), ("variants", "- Kaohsiung"),
                           ("abbreviations", "? Kaohsiung"), ("targets", "ja: 熊本熊本")],
)  # fmt: skip
def test_a_megabyte_term_is_a_schema_problem_naming_its_line(tmp_path, field, line_starts):
    path = _glossary(tmp_path / "g.yaml", GOOD, _huge(field))
    _, problems, _ = read_entries(path, cache=False)
    [problem] = problems
    assert problem.code == "schema" and problem.fatal and problem.file == str(path)
    assert path.read_text(encoding="utf-8").splitlines()[problem.line - 1].lstrip().startswith(line_starts)
    assert f"over the {GLOSSARY_TERM_MAX_CHARS}-character limit" in problem.message and len(problem.message) < 400
    with pytest.raises(GlossaryError, match="character limit for a glossary term"):
        load_glossary(path)


def test_a_megabyte_term_in_csv_and_tbx_is_refused_too(tmp_path):
    # a 100,000-character term: over the bound, under the CSV reader's own field limit
    entry = {**GOOD, "id": "long", "english": "Kumamoto " * 11_000}
    source = _glossary(tmp_path / "source.yaml", GOOD)
    entries, _, _ = read_entries(source)
    entries[0].english = entry["english"]
    for fmt in ("csv", "tbx"):
        path = tmp_path / f"g.{fmt}"
        path.write_bytes(FORMATS[fmt].dumps(entries))
        with pytest.raises(GlossaryError, match=f"{GLOSSARY_TERM_MAX_CHARS}-character limit"):
            load_glossary(path)


def test_a_term_at_the_bound_loads_and_is_matched(tmp_path):
    words = " ".join(f"Word{i}" for i in range(200))
    at_bound = words[:GLOSSARY_TERM_MAX_CHARS].rsplit(" ", 1)[0]
    at_bound += " " + "x" * (GLOSSARY_TERM_MAX_CHARS - len(at_bound) - 1)
    assert len(at_bound) == GLOSSARY_TERM_MAX_CHARS
    glossary = load_glossary(_glossary(tmp_path / "g.yaml", GOOD, {**GOOD, "id": "long", "english": at_bound,
                                                                     "targets": {"zh-TW": "長", "ja": "長"}}))
    [match] = glossary.find(f"The {at_bound} met.")
    assert match.entry.id == "long"
    with pytest.raises(GlossaryError):
        load_glossary(_glossary(tmp_path / "over.yaml", {**GOOD, "english": at_bound + "y"}))


def test_a_glossary_cached_before_the_bound_is_checked_again(tmp_path, monkeypatch):
    """The parsed-file cache skips the schema check; its version changed with the bound, so an entry cached by an
    earlier version is not taken from it."""
    from pipeline.glossary import load

    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(tmp_path / "cache"))
    path = _glossary(tmp_path / "g.yaml", GOOD, _huge("english"))
    data = path.read_bytes()
    assert len(data) >= load.CACHE_MIN_BYTES
    entries = [load.Entry(id="huge", english=MEGABYTE_TERM, targets={"zh-TW": "大", "ja": "大"})]
    with monkeypatch.context() as earlier:
        earlier.setattr(load, "CACHE_VERSION", 1)
        load._cache_put(data, "yaml", entries)  # as the version before the bound left it
        assert len(load_glossary(path)) == 1  # that version took it from the cache, unchecked
    with pytest.raises(GlossaryError, match="character limit"):
        load_glossary(path)


def test_every_command_refuses_a_megabyte_term_with_one_line_and_no_signal(run, tmp_path):
    """The commands that died by SIGSEGV (exit 139) each end with exit 2 and one line naming the file."""
    big = _glossary(tmp_path / "big.yaml", GOOD, _huge("english"))
    commands = {
        "glossary check": ["glossary", "check", big],
        "glossary check --against": ["glossary", "check", big, "--against", run.folder],
        "review import": ["review", "import", run.review("zh-TW"), "--approve-all", "--glossary", big],
        "publish": ["publish", run.folder, "--glossary", big],
        "run": ["run", tmp_path / "release.txt", "--out", tmp_path / "fresh", "--glossary", big, "--no-memory"],
    }
    before = _contents(run.out)
    (tmp_path / "release.txt").write_text("Kaohsiung Medical University signed an agreement on Monday.\n", encoding="utf-8")
    for name, args in commands.items():
        result = run_capped(args, timeout=120)
        assert result.returncode >= 0, f"{name}: killed by signal {-result.returncode}"
        if name.startswith("glossary check"):
            assert result.returncode == 2 and "character limit for a glossary term" in result.stdout, result.stdout
            assert "Traceback" not in result.stdout + result.stderr
            continue
        line = assert_one_line_error(result, 2, "big.yaml", "character limit for a glossary term")
        assert MEGABYTE_TERM[:200] not in line, name
    assert not (tmp_path / "fresh").exists()
    assert _contents(run.out) == before  # nothing imported or published
    if run.memory.exists():  # opened (empty) before the glossary was read: nothing committed to it
        with sqlite3.connect(run.memory) as memory:
            assert memory.execute("SELECT count(*) FROM units").fetchone() == (0,)


def _contents(folder) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and p.name != "memory.sqlite"}  # fmt: skip


# ----------------------------------------------------------------------------------------------- short and common forms


def _check(tmp_path, *entries: dict):
    from click.testing import CliRunner

    from pipeline.cli import main

    path = _glossary(tmp_path / "g.yaml", *entries)
    return CliRunner().invoke(main, ["glossary", "check", str(path), "--format", "json"])


@pytest.mark.parametrize(
    "entry, code, form",
    [
        ({"id": "article", "english": "a", "targets": {"zh-TW": "一", "ja": "一"}}, "short-form", "a"),
        ({"id": "amp", "english": "&", "targets": {"zh-TW": "與", "ja": "と"}}, "short-form", "&"),
        ({"id": "x-lab", "english": "X Laboratory", "abbreviations": ["X"], "targets": {"zh-TW": "X實驗室", "ja": "X研究所"}},
         "short-form", "X"),
        ({"id": "the", "english": "The", "targets": {"zh-TW": "該", "ja": "その"}}, "common-word", "The"),
        ({"id": "of", "english": "Kyushu", "variants": ["of"], "targets": {"zh-TW": "九州", "ja": "九州"}}, "common-word", "of"),
        ({"id": "it", "english": "Information Technology", "abbreviations": ["IT"], "case_sensitive": False,
          "targets": {"zh-TW": "資訊科技", "ja": "情報技術"}}, "common-word", "IT"),
    ],
)  # fmt: skip
def test_a_form_that_would_replace_ordinary_words_is_a_check_problem(tmp_path, entry, code, form):
    result = _check(tmp_path, GOOD, entry)
    assert result.exit_code == 1, result.output
    problems = [p for p in json.loads(result.stdout) if p["code"] == code]
    assert [p["term"] for p in problems] == [form] and problems[0]["entry"] == entry["id"], result.stdout
    assert problems[0]["line"] > 1 and "never matched" in problems[0]["message"]


def test_an_acronym_written_in_capitals_is_no_common_word(tmp_path):
    entry = {"id": "it", "english": "Information Technology", "abbreviations": ["IT", "OR"],
             "targets": {"zh-TW": "資訊科技", "ja": "情報技術"}}  # fmt: skip
    result = _check(tmp_path, GOOD, entry)
    assert result.exit_code == 0, result.output


def test_a_one_letter_term_no_longer_replaces_the_article(tmp_path):
    """Before: `a` replaced the article in 6 of the sample's 21 rows."""
    glossary = load_glossary(_glossary(tmp_path / "g.yaml", GOOD, {"id": "article", "english": "a",
                                                                    "targets": {"zh-TW": "一", "ja": "一"}},
                                       {"id": "the", "english": "the", "targets": {"zh-TW": "該", "ja": "その"}}))
    text = "Kaohsiung Medical University signed a memorandum with the city, a first for A and The Board."
    assert [m.entry.id for m in glossary.find(text)] == ["kmu"]

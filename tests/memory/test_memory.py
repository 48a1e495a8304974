"""The translation memory: SQLite store, matching, locking and damage, TMX / XLIFF 2.0 exchange."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.core.release import Segment
from pipeline.core.errors import InputError, OutputError
from pipeline.memory import APPROVED, NEEDS_GLOSSARY_REVIEW, MemoryStore, NewEntry, default_memory_path
from pipeline.memory.exchange import MDA_NS, XLIFF2_NS, export_memory, import_memory, read_tmx, read_xliff


def seg(source: str, sid: str = "p01.s01") -> Segment:
    return Segment(sid, "sentence", 1, 1, source)


ENTRIES = [
    NewEntry("Kumamoto University signed the agreement.", "zh-TW", "熊本大學簽署了協議。", document="a.zh-TW.docx",
             release="rel", run_id="abc", segment_id="p01.s01", reviewer="Lin", comment="Lin: good"),
    NewEntry("Kumamoto University signed the agreement.", "ja", "熊本大学が協定に署名した。", document="a.ja.docx"),
    NewEntry("KMU President Yu led a delegation.", "ja", "高医の余学長が代表団を率いた。", status=NEEDS_GLOSSARY_REVIEW,
             document="a.ja.docx", comment="changed 高雄医学大学"),
    NewEntry("Line one\nand  two ", "zh-TW", "第一行\n第二行 & <標記>", document="b.docx"),
]  # fmt: skip


@pytest.fixture
def store(tmp_path):
    with MemoryStore(tmp_path / "memory.sqlite") as memory:
        memory.add(ENTRIES)
        yield memory


def test_exact_normalized_match_of_approved_entries_only(store):
    found = store.lookup(seg("  Kumamoto University   signed the agreement."), "zh-TW")
    assert found.origin == "memory" and found.text == "熊本大學簽署了協議。"
    assert found.flags[0].code == "memory" and found.flags[0].message.startswith("from memory, approved 20")
    assert "Lin" in found.flags[0].message
    assert store.lookup(seg("Kumamoto University signed the agreement"), "zh-TW") is None  # not identical
    assert store.lookup(seg("Kumamoto University signed the agreement."), "ko") is None
    assert store.lookup(seg("KMU President Yu led a delegation."), "ja") is None  # needs glossary review
    hint = store.suggest(seg("KMU President Yu led a delegation."), "ja")
    assert hint.text == "高医の余学長が代表団を率いた。" and "glossary" in hint.flags[0].message


def test_close_matches_are_suggestions_above_the_threshold(store):
    close = store.suggest(seg("Kumamoto University signed an agreement."), "zh-TW")  # ratio ~ 95
    assert close.text == "熊本大學簽署了協議。" and close.flags[0].code == "tm-suggestion"
    assert "close match (" in close.flags[0].message
    assert store.suggest(seg("Kyoto University signed a different memorandum today."), "zh-TW") is None
    from rapidfuzz import fuzz

    assert fuzz.ratio("Kyoto University signed a different memorandum today.", ENTRIES[0].source) < 85


def test_adding_is_idempotent_and_a_new_text_becomes_current(store):
    count = store.count()
    again = store.add(ENTRIES)
    assert (again.new, again.updated, again.unchanged) == (0, 0, len(ENTRIES))
    assert store.count() == count
    newer = store.add([NewEntry(ENTRIES[0].source, "zh-TW", "熊本大學與本校簽約。")])
    assert newer.new == 1 and store.current(ENTRIES[0].source, "zh-TW").target == "熊本大學與本校簽約。"
    back = store.add([NewEntry(ENTRIES[0].source, "zh-TW", "熊本大學簽署了協議。")])  # the first text chosen again
    assert (back.new, back.updated) == (0, 1)
    assert store.current(ENTRIES[0].source, "zh-TW").target == "熊本大學簽署了協議。"
    assert len([e for e in store.entries("zh-TW", current_only=False) if e.source == ENTRIES[0].source]) == 2
    fixed = store.add([NewEntry(ENTRIES[2].source, "ja", ENTRIES[2].target, status=APPROVED)])
    assert fixed.updated == 1 and store.lookup(seg(ENTRIES[2].source), "ja") is not None


def test_a_failed_transaction_adds_nothing(store):
    count = store.count()
    with pytest.raises(ValueError):
        store.add([NewEntry("A new sentence.", "ja", "新しい文。"), NewEntry("Bad.", "ja", "x", status="maybe")])
    assert store.count() == count


def test_schema_columns(store):
    with sqlite3.connect(store.path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(units)")]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    for column in ("source_hash", "source", "lang", "target", "status", "document", "approved_at", "reviewer", "comment"):
        assert column in columns


def test_a_locked_memory_is_a_clear_error_after_a_short_wait(tmp_path):
    path = tmp_path / "memory.sqlite"
    MemoryStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(OutputError, match="locked by another process"):
            with MemoryStore(path, timeout=0.2) as store:  # refused on opening or on writing
                store.add([NewEntry("A sentence.", "ja", "文。")])
        assert time.monotonic() - started < 5
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with MemoryStore(path) as store:
        assert store.count() == 0


def test_a_writer_waits_for_a_short_lock(tmp_path):
    path = tmp_path / "memory.sqlite"
    MemoryStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.3, lambda: (holder.execute("COMMIT"), holder.close())).start()
    with MemoryStore(path, timeout=5) as store:
        assert store.add([NewEntry("A sentence.", "ja", "文。")]).new == 1


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_damaged_memory_is_named_and_left_alone(tmp_path, content):
    path = tmp_path / "memory.sqlite"
    path.write_bytes(content)
    for readonly in (False, True):
        with pytest.raises(OutputError) as error:
            with MemoryStore(path, readonly=readonly) as store:
                store.lookup(seg("A sentence."), "ja")
        assert str(path) in str(error.value.message) and "left as it is" in error.value.message
    assert path.read_bytes() == content


def test_another_sqlite_file_is_not_taken_for_a_memory(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE people (name TEXT)")
    with pytest.raises(OutputError, match="not a translation memory"):
        MemoryStore(path)


def test_a_missing_memory_for_reading_is_an_input_error(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="No translation memory"):
        MemoryStore(tmp_path / "none.sqlite", readonly=True)
    monkeypatch.delenv("TRANSLATE_MEMORY", raising=False)
    assert default_memory_path() == default_memory_path("output")
    assert str(default_memory_path("out")).endswith("out/memory.sqlite")
    monkeypatch.setenv("TRANSLATE_MEMORY", str(tmp_path / "env.sqlite"))
    assert default_memory_path("out") == tmp_path / "env.sqlite"


# --------------------------------------------------------------------------------------------- exchange


def contents(store: MemoryStore) -> set[tuple]:
    return {(e.source, e.lang, e.target, e.status, e.document, e.reviewer, e.comment, e.approved_at) for e in store.entries()}


def test_tmx_round_trip(store, tmp_path):
    path = tmp_path / "kmu.tmx"
    assert export_memory(store, path, "tmx") == len(ENTRIES)
    tree = etree.parse(str(path))
    assert tree.getroot().tag == "tmx" and tree.getroot().get("version") == "1.4"
    tu = tree.find(".//tu")
    assert [child.tag for child in tu][-2:] == ["tuv", "tuv"]  # notes and props before the tuvs (TMX 1.4 DTD)
    assert tu.get("changedate").endswith("Z") and tu.get("changeid") == "Lin"
    with MemoryStore(tmp_path / "copy.sqlite") as copy:
        result = import_memory(copy, path)
        assert result.added.new == len(ENTRIES) and not result.skipped
        assert contents(copy) == contents(store)
        assert import_memory(copy, path).added.new == 0  # twice: nothing new


def test_xliff2_round_trip_per_language(store, tmp_path):
    with pytest.raises(InputError, match="--lang"):
        export_memory(store, tmp_path / "all.xlf", "xliff")
    with MemoryStore(tmp_path / "copy.sqlite") as copy:
        for lang in ("zh-TW", "ja"):
            path = tmp_path / f"kmu-{lang}.xlf"
            export_memory(store, path, "xliff", lang=lang)
            import_memory(copy, path)
        assert contents(copy) == contents(store)


def test_xliff2_is_valid_core_structure(store, tmp_path):
    path = tmp_path / "ja.xlf"
    export_memory(store, path, "xliff", lang="ja")
    root = etree.parse(str(path)).getroot()
    ns = {"x": XLIFF2_NS, "mda": MDA_NS}
    assert root.get("version") == "2.0" and root.get("srcLang") == "en" and root.get("trgLang") == "ja"
    units = root.findall("x:file/x:unit", ns)
    assert len(units) == 2
    for unit in units:
        children = [etree.QName(c).localname for c in unit]
        assert children[0] == "metadata" and children[-1] == "segment"  # mda first, notes before segments
        segment = unit.find("x:segment", ns)
        assert not segment.attrib.get("{http://www.w3.org/XML/1998/namespace}space")
        assert segment.find("x:notes", ns) is None
    states = {u.find("x:segment/x:source", ns).text: u.find("x:segment", ns).get("state") for u in units}
    assert states[ENTRIES[1].source] == "final" and states[ENTRIES[2].source] == "translated"
    glossary_unit = next(u for u in units if u.find("x:segment/x:source", ns).text == ENTRIES[2].source)
    assert glossary_unit.find("x:segment", ns).get("subState") == "kmu:needs-glossary-review"
    assert glossary_unit.find("x:notes/x:note", ns).text == "changed 高雄医学大学"


def test_xliff_from_a_cat_tool_imports_reviewed_units_only(tmp_path):
    path = tmp_path / "cat.xlf"
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="{XLIFF2_NS}" version="2.0" srcLang="en-US" trgLang="ja-JP">
  <file id="f1">
    <unit id="u1"><segment state="final"><source>Good morning.</source><target>おはようございます。</target></segment></unit>
    <unit id="u2"><segment state="translated"><source>Draft only.</source><target>下書き。</target></segment></unit>
    <unit id="u3"><notes><note>checked</note></notes><segment state="reviewed"><source>Thank you.</source><target>ありがとう。</target></segment></unit>
  </file>
</xliff>""",
        encoding="utf-8",
    )
    entries, skipped = read_xliff(path)
    assert [(e.source, e.lang, e.target, e.comment) for e in entries] == [
        ("Good morning.", "ja", "おはようございます。", None),
        ("Thank you.", "ja", "ありがとう。", "checked"),
    ]
    assert len(skipped) == 1 and "u2" in skipped[0]


def test_xliff12_and_tmx_from_other_tools(tmp_path):
    v12 = tmp_path / "old.xliff"
    v12.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="x" source-language="en" target-language="zh-TW" datatype="plaintext"><body>
    <trans-unit id="1" approved="yes"><source>Hello.</source><target>你好。</target></trans-unit>
    <trans-unit id="2"><source>Unapproved.</source><target>未核准。</target></trans-unit>
  </body></file>
</xliff>""",
        encoding="utf-8",
    )
    entries, skipped = read_xliff(v12)
    assert [(e.source, e.lang, e.target) for e in entries] == [("Hello.", "zh-TW", "你好。")] and len(skipped) == 1
    tmx = tmp_path / "trados.tmx"
    tmx.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="EN-US" adminlang="en" segtype="sentence" datatype="plaintext" o-tmf="x" creationtool="x" creationtoolversion="1"/>
<body><tu creationdate="20240102T030405Z"><tuv xml:lang="EN-US"><seg>Hello.</seg></tuv><tuv xml:lang="ZH-TW"><seg>你好。</seg></tuv><tuv xml:lang="JA-JP"><seg>こんにちは。</seg></tuv></tu></body></tmx>""",
        encoding="utf-8",
    )
    entries, skipped = read_tmx(tmx)
    assert [(e.lang, e.target, e.status, e.approved_at) for e in entries] == [
        ("zh-TW", "你好。", APPROVED, "2024-01-02T03:04:05+00:00"),
        ("ja", "こんにちは。", APPROVED, "2024-01-02T03:04:05+00:00"),
    ]
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    with pytest.raises(InputError, match="not a TMX file"):
        read_tmx(bad)


_xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | st.sampled_from(" \n\t"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=_xml_text, target=_xml_text)
def test_any_text_survives_tmx_and_xliff(tmp_path_factory, source, target):
    folder = tmp_path_factory.mktemp("rt")
    with MemoryStore(folder / "m.sqlite") as store:
        store.add([NewEntry(source, "ja", target, document="d.docx")])
        expected = contents(store)
        for fmt, name in (("tmx", "x.tmx"), ("xliff", "x.xlf")):
            export_memory(store, folder / name, fmt, lang="ja")
            with MemoryStore(folder / f"{fmt}.sqlite") as copy:
                import_memory(copy, folder / name)
                assert contents(copy) == expected, fmt


# --------------------------------------------------------------------------------------------- CLI


def test_memory_commands(store, tmp_path, cli):
    tmx = tmp_path / "out.tmx"
    result = cli("memory", "export", "--format", "tmx", "-o", tmx, "--memory", store.path)
    assert result.exit_code == 0, result.output
    assert f"{len(ENTRIES)} entries" in result.output
    fresh = tmp_path / "fresh.sqlite"
    result = cli("memory", "import", tmx, "--memory", fresh)
    assert result.exit_code == 0 and f"{len(ENTRIES)} new" in result.output
    result = cli("memory", "import", tmx, "--memory", fresh)
    assert "0 new" in result.output and f"{len(ENTRIES)} already there" in result.output
    result = cli("memory", "stats", "--memory", fresh)
    assert "ja: 1 approved, 1 needs-glossary-review" in result.output and "zh-TW: 2 approved" in result.output
    result = cli("memory", "export", "--format", "xliff", "-o", tmp_path / "x.xlf", "--memory", fresh)
    assert result.exit_code == 3 and "--lang" in result.output
    result = cli("memory", "export", "--format", "xliff", "--lang", "ja", "-o", tmp_path / "x.xlf", "--memory", fresh)
    assert result.exit_code == 0 and (tmp_path / "x.xlf").exists()
    result = cli("memory", "stats", "--memory", tmp_path / "missing.sqlite")
    assert result.exit_code == 3 and "missing.sqlite" in result.output


def test_a_close_match_never_shows_as_100_percent(tmp_path):
    """A near-identical (not identical) source scores 99.5+; the note floors it: 99%, never 100%."""
    from rapidfuzz import fuzz

    long = "Kaohsiung Medical University and Kumamoto University signed a memorandum of understanding " * 2
    near = long.strip() + "s"
    assert 99.5 <= fuzz.ratio(near, long.strip()) < 100
    with MemoryStore(tmp_path / "m.sqlite") as memory:
        memory.add([NewEntry(long, "ja", "高雄医学大学と熊本大学が覚書を締結した。")])
        hint = memory.suggest(seg(near), "ja")
    assert hint is not None and "close match (99%)" in hint.flags[0].message, hint.flags[0].message
    assert "100%" not in hint.flags[0].message



def test_tmx_inline_codes_are_stripped_and_reported(tmp_path, cli):
    """<bpt>/<ept>/<ph>/<it>/<ut> hold a CAT tool's formatting codes, not text: removed, the text between kept."""
    tmx = tmp_path / "cat.tmx"
    tmx.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" adminlang="en" segtype="sentence" datatype="html" o-tmf="x" creationtool="x" creationtoolversion="1"/>
<body>
<tu><tuv xml:lang="en"><seg>The <bpt i="1" x="1">&lt;b&gt;</bpt>two<ept i="1">&lt;/b&gt;</ept> universities <ph x="2">&lt;br/&gt;</ph> signed.</seg></tuv>
<tuv xml:lang="ja"><seg><bpt i="1" x="1">&lt;b&gt;</bpt>両大学<ept i="1">&lt;/b&gt;</ept>が<it pos="begin" x="3">&lt;i&gt;</it>署名<hi type="x">した</hi>。<ph x="4">&lt;img alt="<sub>logo</sub>"/&gt;</ph></seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Plain text.</seg></tuv><tuv xml:lang="ja"><seg>普通の文。</seg></tuv></tu>
</body></tmx>""",
        encoding="utf-8",
    )
    entries, skipped = read_tmx(tmx)
    assert [(e.source, e.target) for e in entries] == [
        ("The two universities signed.", "両大学が署名した。"),
        ("Plain text.", "普通の文。"),
    ]
    assert not any("<" in e.source + e.target for e in entries)
    assert skipped == []
    with MemoryStore(tmp_path / "m.sqlite") as memory:
        result = import_memory(memory, tmx)
    assert result.added.new == 2
    assert result.notes == ["tu 1: inline codes removed (bpt, ept, it, ph), the text between them kept"]
    shown = cli("memory", "import", tmx, "--memory", tmp_path / "cli.sqlite")
    assert shown.exit_code == 0, shown.output
    assert "2 new" in shown.output and "note: tu 1: inline codes removed" in shown.output


def test_a_draft_never_replaces_or_demotes_a_reviewers_text(store):
    from pipeline.memory import DRAFT, NEEDS_REVIEW

    source = "A sentence a reviewer translated."
    store.add([NewEntry(source, "zh-TW", "審閱者的譯文。")])
    # Second round: the row was left untouched (machine text, or the same text) and not marked approved.
    result = store.add([NewEntry(source, "zh-TW", "機器的譯文。", status=DRAFT), NewEntry(source, "zh-TW", "審閱者的譯文。", status=DRAFT)])
    assert (result.new, result.updated, result.unchanged) == (0, 0, 2)
    current = store.current(source, "zh-TW")
    assert current.target == "審閱者的譯文。" and current.approved
    # A draft of a sentence nobody reviewed is stored, but never reused nor suggested.
    store.add([NewEntry("Nobody reviewed this.", "ja", "誰も見ていない。", status=DRAFT)])
    assert store.current("Nobody reviewed this.", "ja").status == DRAFT
    assert store.lookup(seg("Nobody reviewed this."), "ja") is None
    assert store.suggest(seg("Nobody reviewed this."), "ja") is None
    # A reviewer's text with quality-check errors is kept, not reused, and shown as a suggestion saying why.
    store.add([NewEntry("Twelve of 214 rows.", "ja", "241行。", status=NEEDS_REVIEW)])
    assert store.lookup(seg("Twelve of 214 rows."), "ja") is None
    assert "quality checks" in store.suggest(seg("Twelve of 214 rows."), "ja").flags[0].message


def test_a_version_1_memory_is_upgraded_in_place_keeping_every_row(tmp_path):
    from pipeline.memory import DRAFT

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """
            CREATE TABLE units (id INTEGER PRIMARY KEY, source_hash TEXT NOT NULL, source_lang TEXT NOT NULL DEFAULT 'en',
              source TEXT NOT NULL, lang TEXT NOT NULL, target TEXT NOT NULL,
              status TEXT NOT NULL CHECK (status IN ('approved', 'needs-glossary-review')), document TEXT, release TEXT,
              run_id TEXT, segment_id TEXT, reviewer TEXT, comment TEXT, origin TEXT NOT NULL DEFAULT 'review',
              approved_at TEXT NOT NULL, seq INTEGER NOT NULL, UNIQUE (source_hash, lang, target));
            CREATE INDEX units_current ON units (lang, source_hash, seq);
            PRAGMA user_version = 1;
            """
        )
        from pipeline.core.release import content_hash

        conn.execute(
            "INSERT INTO units (source_hash, source, lang, target, status, approved_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (content_hash("Old sentence."), "Old sentence.", "ja", "古い文。", "approved", "2025-01-01T00:00:00+00:00", 1),
        )
    with MemoryStore(path, readonly=True) as readonly:  # read as it is
        assert readonly.current("Old sentence.", "ja").target == "古い文。"
    with MemoryStore(path) as upgraded:
        assert upgraded.current("Old sentence.", "ja").approved
        upgraded.add([NewEntry("New sentence.", "ja", "新しい文。", status=DRAFT)])
        assert upgraded.count() == 2
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2


def test_memory_stats_lines_add_up_to_the_number_it_says(tmp_path, cli):
    """The per-language lines count each sentence's current translation; the translations a later review replaced
    are kept as history and counted apart, never in the first number."""
    path = tmp_path / "memory.sqlite"
    with MemoryStore(path) as memory:
        memory.add(ENTRIES)
        memory.add([NewEntry(ENTRIES[0].source, ENTRIES[0].lang, ENTRIES[0].target + "（改）")])  # a later review
        history = memory.count() - len(memory.entries())
    assert history == 1
    result = cli("memory", "stats", "--memory", path)
    assert result.exit_code == 0, result.output
    first, *lines = result.stdout.strip().splitlines()
    said = int(first.split(": ", 1)[1].split()[0])
    per_language = sum(int(part.split()[0]) for line in lines for part in line.split(": ", 1)[1].split(", "))
    assert said == per_language == len(ENTRIES)
    assert f"also {history} earlier translation(s)" in first and "--all" in first

"""The memory and the review record after a kill -9, a record path that is a folder, and TMX entity references
(issue 22, minors)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.core.errors import OutputError, ReviewError
from pipeline.memory import MemoryStore, NewEntry, reviews
from pipeline.memory.exchange import import_memory, read_tmx_notes
from support.review_runs import reviewed_copy

ENTRY = NewEntry("Kumamoto University signed the agreement.", "ja", "熊本大学が協定に署名した。")

# A write that SQLite must spill to the file before its commit (cache of one page), killed in the middle: the
# memory file holds half of it, and the journal beside it ("hot") holds what it replaced.
_KILLED_MID_WRITE = textwrap.dedent(
    """
    import os, signal, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE units SET target = target || ' (half-written)'")
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def _kill_mid_write(path: Path) -> None:
    """Entries enough for the write to spill to the file, then a write killed in the middle of it."""
    with MemoryStore(path) as memory:
        memory.add([ENTRY] + [NewEntry(f"Sentence number {n} of the release.", "ja", f"文 {n}。" * 20) for n in range(400)])
    done = subprocess.run([sys.executable, "-c", _KILLED_MID_WRITE, str(path)], capture_output=True, timeout=60)
    assert done.returncode == -9, done.stderr
    journal = path.with_name(path.name + "-journal")
    assert journal.is_file() and journal.stat().st_size > 0


@pytest.fixture
def killed_memory(tmp_path) -> Path:
    path = tmp_path / "out" / "memory.sqlite"
    _kill_mid_write(path)
    return path


def test_a_memory_killed_mid_write_is_rolled_back_and_read(killed_memory):
    """Before: every read-only open (run, publish, memory export) said "memory.sqlite is read-only"."""
    with MemoryStore(killed_memory, readonly=True) as memory:
        entry = memory.current(ENTRY.source, "ja")
        assert entry is not None and entry.target == ENTRY.target  # as before the killed write
        assert memory.count() == 401 and memory.current("Sentence number 7 of the release.", "ja").target == "文 7。" * 20
        assert not any("half-written" in e.target for e in memory.entries())
    assert not killed_memory.with_name("memory.sqlite-journal").exists()


def test_a_memory_killed_mid_write_that_cannot_be_rolled_back_here_says_what_to_do(killed_memory, monkeypatch):
    """A memory on a share the reader may not write to: one line naming the memory and its journal."""
    import pipeline.memory.store as store

    real_connect = sqlite3.connect

    def no_write_access(target, *args, **kwargs):
        if "mode=rw" in str(target):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(store.sqlite3, "connect", no_write_access)
    with pytest.raises(OutputError) as error:
        MemoryStore(killed_memory, readonly=True)
    message = str(error.value)
    assert "\n" not in message
    assert f"Translation memory {killed_memory} was left mid-write" in message
    assert f"make {killed_memory.parent} and the file writable and run the command again" in message
    assert "never delete memory.sqlite-journal" in message
    assert killed_memory.with_name("memory.sqlite-journal").stat().st_size > 0  # left for SQLite to roll back


def test_publish_reads_a_memory_killed_mid_import(run, cli, tmp_path):
    """The whole path: a run's memory with a hot journal, then `publish` (which opens it read-only)."""
    document = reviewed_copy(run, tmp_path / "r" / "rev.docx", marks=["p05.s02"])
    assert cli("review", "import", document, "--manifest", run.folder).exit_code == 0
    _kill_mid_write(run.memory)
    result = cli("publish", run.folder, "--to", "zh-TW", "--allow-unreviewed")
    assert result.exit_code == 0, result.output
    assert "read-only" not in result.output


# --- a record path that is a folder ---------------------------------------------------------------------------


def test_a_record_that_is_a_folder_is_named_not_the_memory(run, cli, tmp_path):
    """Before: "Cannot open translation memory …/memory.sqlite: unable to open database: ….reviewed.sqlite", and
    publish silently ignored the record."""
    record = reviews.record_path(run.reviewed)
    record.mkdir()
    document = reviewed_copy(run, tmp_path / "r" / "rev.docx", marks=["p05.s02"])
    for args in (("review", "import", document, "--manifest", run.folder), ("publish", run.folder, "--allow-unreviewed")):
        result = cli(*args)
        assert result.exit_code == 6, result.output
        line = result.output.strip().splitlines()[-1]
        assert line.startswith(f"Error: {record} (the record of the reviews imported for this release) is a folder")
        assert "move it away" in line and "memory" not in line
    if run.memory.exists():  # opened (and created empty) before the record was looked at: nothing added
        with MemoryStore(run.memory, readonly=True) as memory:
            assert memory.count() == 0
    with pytest.raises(OutputError, match="is a folder, not the record file"):
        reviews.commit(run.reviewed, reviews.empty())
    with pytest.raises(ReviewError, match="is a folder, not the record file"):
        reviews.load(run.reviewed)


# --- TMX entity references ------------------------------------------------------------------------------------

_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx {doctype}>
<tmx version="1.4"><header srclang="en" adminlang="en" segtype="sentence" datatype="plaintext" o-tmf="x" creationtool="x" creationtoolversion="1"/>
<body>
<tu><tuv xml:lang="en"><seg>The &co; signed it.</seg></tuv><tuv xml:lang="ja"><seg>&co;が<bpt i="1">&lt;b&gt;</bpt>署名<ept i="1">&lt;/b&gt;</ept>した。&long;</seg></tuv></tu>
</body></tmx>"""


@pytest.mark.parametrize(
    "doctype, source, target, kept",
    [
        ('SYSTEM "tmx14.dtd"', "The &co; signed it.", "&co;が署名した。&long;", "&co;, &long;"),
        ('[<!ENTITY co "KMU"><!ENTITY long "a declared text much longer than sixteen characters">]',
         "The KMU signed it.", "KMUが署名した。&long;", "&long;"),
    ],
    ids=["external-dtd", "declared"],
)  # fmt: skip
def test_a_tmx_entity_reference_is_never_silently_dropped(tmp_path, doctype, source, target, kept):
    """Before: "The &co; signed it." was stored as "The  signed it." (an external DTD is never read, so the
    reference had no text). Short declared text is put in; anything else is kept as written, and noted."""
    tmx = tmp_path / "entities.tmx"
    tmx.write_text(_TMX.format(doctype=doctype), encoding="utf-8")
    entries, skipped, notes = read_tmx_notes(tmx)
    assert [(e.source, e.target) for e in entries] == [(source, target)] and skipped == []
    assert f"tu 1: entity reference {kept} kept as written (the file does not declare it as short text)" in notes
    with MemoryStore(tmp_path / "m.sqlite") as memory:
        import_memory(memory, tmx)
        assert memory.current(source, "ja").target == target

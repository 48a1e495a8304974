"""One store of record for imported reviews (issue 13, item 2): the memory and the release's review record
`<release>.reviewed.sqlite` are written in ONE SQLite transaction; reviewed.json is a copy rendered from the
record. A kill -9 at any chosen point, or a full disk, leaves both as they were or both changed, and `publish`
uses what the record holds (pipeline/memory/reviews.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support.full_disk import small_disk
from support.paths import ROOT
from support.review_runs import Run, memory_rows, reviewed_copy

SEGMENTS = ["p04.s03", "p05.s02", "p06.s01", "p06.s04", "p07.s01"]  # no glossary term, not verbatim
EDITS = {sid: f"審稿人第{n}號修改文字" for n, sid in enumerate(SEGMENTS, 1)}
FIRST = {sid: EDITS[sid] for sid in SEGMENTS[:3]}  # the first import: 3 edits; the second: all 5


@pytest.fixture
def run(real_model_run):
    """This module's run: one with a real (non-demo) model (tests/conftest.py, `real_model_run`)."""
    return real_model_run


def _record(run: Run) -> Path:
    return run.reviewed.with_suffix(".sqlite")


def _memory_targets(run: Run) -> set[str]:
    return {row[2] for row in memory_rows(run.memory)} if run.memory.exists() else set()


def _published_edits(run: Run, cli) -> set[str]:
    """The edits `publish` would use: its plan from what it reads (the identity model's English rows make the real
    publish refuse the language, so the plan is checked, as in test_review_audit)."""
    from pipeline.review.importing import load_reviewed
    from pipeline.publish.plan import plan_language

    reviewed = load_reviewed(run.manifest_path, run.manifest).get("zh-TW", {})
    planned = plan_language(run.manifest, "zh-TW", reviewed)
    return {s.text for s in planned if s.how == "reviewed"} & set(EDITS.values())


def _import_killed(run: Run, document: Path, hook: str) -> subprocess.CompletedProcess:
    """`translate review import` in a subprocess that SIGKILLs itself at the point `hook` patches in."""
    script = textwrap.dedent(hook) + textwrap.dedent(
        """
        from pipeline.cli import entry
        sys.argv = ["translate", *sys.argv[1:]]
        entry()
        """
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("TRANSLATE_MEMORY", None)
    return subprocess.run(
        [sys.executable, "-c", script, "review", "import", str(document), "--manifest", str(run.folder)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


# Between the commit and the reviewed.json rename (where 1 of 35 random kills landed in the fault campaign).
KILL_BEFORE_REVIEWED_JSON = """
    import os, signal, sys
    import pipeline.files.atomic as atomic
    original = atomic.atomic_write_text
    def write(path, *args, **kwargs):
        if str(path).endswith(".reviewed.json"):
            os.kill(os.getpid(), signal.SIGKILL)
        return original(path, *args, **kwargs)
    atomic.atomic_write_text = write
"""

# Inside the transaction: the memory rows and the record's block written, COMMIT not reached.
KILL_BEFORE_COMMIT = """
    import os, signal, sys
    import pipeline.memory.reviews as reviews
    original = reviews.writer
    def writer(*args, **kwargs):
        write = original(*args, **kwargs)
        def then_killed(conn):
            write(conn)
            os.kill(os.getpid(), signal.SIGKILL)
        return then_killed
    reviews.writer = writer
"""


def test_kill_9_between_the_commit_and_reviewed_json_loses_no_edit(run, cli, tmp_path):
    first = reviewed_copy(run, tmp_path / "r1" / "rev1.docx", edits=FIRST)
    assert cli("review", "import", first, "--manifest", run.folder).exit_code == 0
    assert _published_edits(run, cli) == set(FIRST.values())

    second = reviewed_copy(run, tmp_path / "r2" / "rev1.docx", edits=EDITS)  # the same document, 2 more edits
    done = _import_killed(run, second, KILL_BEFORE_REVIEWED_JSON)
    assert done.returncode == -9, done.stderr
    assert set(EDITS.values()) <= _memory_targets(run)  # committed
    # publish uses the record, which was committed with the memory: all 5 edits, none lost
    assert _published_edits(run, cli) == set(EDITS.values())
    again = cli("review", "import", second, "--manifest", run.folder)
    assert again.exit_code == 0 and "0 new, 0 updated" in again.output, again.output
    # the import rendered reviewed.json again from the record
    import json

    segments = json.loads(run.reviewed.read_text(encoding="utf-8"))["runs"][run.manifest["run_id"]]["zh-TW"]["segments"]
    assert {segments[sid]["text"] for sid in SEGMENTS} == set(EDITS.values())


@pytest.mark.parametrize("imported_before", [True, False], ids=["second-import", "first-import"])
def test_kill_9_inside_the_transaction_leaves_memory_and_record_as_they_were(run, cli, tmp_path, imported_before):
    if imported_before:
        first = reviewed_copy(run, tmp_path / "r1" / "rev1.docx", edits=FIRST)
        assert cli("review", "import", first, "--manifest", run.folder).exit_code == 0
    memory_before = memory_rows(run.memory) if run.memory.exists() else []
    second = reviewed_copy(run, tmp_path / "r2" / "rev1.docx", edits=EDITS)
    done = _import_killed(run, second, KILL_BEFORE_COMMIT)
    assert done.returncode == -9, done.stderr
    # Both rolled back together (SQLite's hot journals, on the next open): not one edit of the killed import in either.
    assert (memory_rows(run.memory) if run.memory.exists() else []) == memory_before
    from pipeline.memory import reviews

    held = reviews.load(run.reviewed)["runs"].get(run.manifest["run_id"], {}).get("zh-TW", {}).get("segments", {})
    assert {e["text"] for e in held.values()} & set(EDITS.values()) == (set(FIRST.values()) if imported_before else set())
    # the import, run again, takes everything in
    result = cli("review", "import", second, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    assert set(EDITS.values()) <= _memory_targets(run)
    assert _published_edits(run, cli) == set(EDITS.values())


def test_without_memory_the_record_alone_is_written(run, cli, tmp_path):
    first = reviewed_copy(run, tmp_path / "r1" / "rev1.docx", edits=FIRST)
    result = cli("review", "import", first, "--manifest", run.folder, "--no-memory")
    assert result.exit_code == 0, result.output
    assert not run.memory.exists() and _record(run).is_file() and run.reviewed.is_file()
    assert _published_edits(run, cli) == set(FIRST.values())


def test_reviewed_json_is_a_copy_the_record_wins_and_rebuilds(run, cli, tmp_path):
    first = reviewed_copy(run, tmp_path / "r1" / "rev1.docx", edits=FIRST)
    assert cli("review", "import", first, "--manifest", run.folder).exit_code == 0
    copy = run.reviewed.read_bytes()
    run.reviewed.write_text('{"runs": {}, "damaged', encoding="utf-8")  # a stale or damaged copy decides nothing
    assert _published_edits(run, cli) == set(FIRST.values())
    assert cli("review", "import", first, "--manifest", run.folder).exit_code == 0  # the same bytes: nothing new
    assert run.reviewed.read_bytes() == copy  # but the copy rendered again
    # the record moved away: reviewed.json (from before the record, or its last copy) rebuilds it on the next import
    _record(run).rename(tmp_path / "record-moved-away.sqlite")
    assert _published_edits(run, cli) == set(FIRST.values())
    second = reviewed_copy(run, tmp_path / "r2" / "rev2.docx", edits={SEGMENTS[4]: EDITS[SEGMENTS[4]]})
    assert cli("review", "import", second, "--manifest", run.folder).exit_code == 0
    assert _record(run).is_file()
    assert _published_edits(run, cli) == set(FIRST.values()) | {EDITS[SEGMENTS[4]]}


def test_a_damaged_record_is_named_and_never_lets_an_edit_through(run, cli, tmp_path, installed):
    first = reviewed_copy(run, tmp_path / "r1" / "rev1.docx", edits=FIRST)
    assert cli("review", "import", first, "--manifest", run.folder).exit_code == 0
    _record(run).write_bytes(b"SQLite format 3\x00" + b"\x07" * 2000)
    result = cli("publish", run.folder, "--allow-unreviewed")
    assert result.exit_code == 6 and "reviewed.sqlite" in result.output and "cannot be read" in result.output and "move it away" in result.output, result.output
    # the rerun guard: an edited review document whose import the record can no longer show is not overwritten
    edited = run.review("zh-TW")
    edited.write_bytes(first.read_bytes())
    release = tmp_path / "releases" / f"{run.folder.name}.txt"
    release.parent.mkdir()
    release.write_text((ROOT / "samples" / f"{run.folder.name}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    rerun = cli("run", release, "--out", run.out, "--no-glossary", "--quiet")
    assert rerun.exit_code == 5 and "was edited since it was generated" in rerun.output, rerun.output
    assert edited.read_bytes() == first.read_bytes()


# --- a full disk ------------------------------------------------------------------------------------------------


def test_a_full_disk_inside_the_transaction_is_one_line_and_changes_nothing(run, cli, tmp_path, monkeypatch):
    """SQLITE_FULL while the record is written after the memory rows (the disk filled by the import's own pages):
    SQLite rolls the transaction back itself; the message says the disk is full and names both files, never
    "cannot rollback - no transaction is active"."""

    first = reviewed_copy(run, tmp_path / "r1" / "rev1.docx", edits=FIRST)
    assert cli("review", "import", first, "--manifest", run.folder).exit_code == 0
    memory_before, record_before, copy_before = memory_rows(run.memory), _record(run).read_bytes(), run.reviewed.read_bytes()

    from pipeline.memory import reviews

    original = reviews.writer

    def writer_on_a_full_disk(*args, **kwargs):
        write = original(*args, **kwargs)

        def write_without_room(conn):
            for schema in ("main", "review"):  # not one page more in either file: SQLITE_FULL
                pages = conn.execute(f"PRAGMA {schema}.page_count").fetchone()[0]
                conn.execute(f"PRAGMA {schema}.max_page_count = {pages}")
            write(conn)

        return write_without_room

    monkeypatch.setattr(reviews, "writer", writer_on_a_full_disk)
    second = reviewed_copy(run, tmp_path / "r2" / "rev1.docx", edits=EDITS)
    result = cli("review", "import", second, "--manifest", run.folder)
    assert result.exit_code == 6 or result.exit_code == 5, result.output
    assert "the disk is full" in result.output and str(run.memory) in result.output, result.output
    assert "cannot rollback" not in result.output and "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("Error")]) == 1
    assert memory_rows(run.memory) == memory_before
    assert _record(run).read_bytes() == record_before and run.reviewed.read_bytes() == copy_before


def test_sqlite_full_at_commit_no_longer_says_cannot_rollback(tmp_path):
    """The exact failure of the campaign: SQLite rolls back by itself on SQLITE_FULL, and the old code's
    unconditional ROLLBACK then replaced the real error with "cannot rollback - no transaction is active"."""
    from pipeline.core.errors import OutputError
    from pipeline.memory import MemoryStore, NewEntry

    path = tmp_path / "memory.sqlite"
    with MemoryStore(path) as memory:
        memory.add([NewEntry(source="A first sentence.", lang="ja", target="最初の文。")])
        pages = memory._conn.execute("PRAGMA page_count").fetchone()[0]
        memory._conn.execute(f"PRAGMA max_page_count = {pages}")
        big = [NewEntry(source=f"Sentence number {n} of many.", lang="ja", target="長い訳文。" * 400) for n in range(50)]
        with pytest.raises(OutputError) as error:
            memory.add(big)
        message = error.value.format_message()
        assert "the disk is full" in message and str(path) in message and "rollback" not in message
        assert not memory._conn.in_transaction
        assert memory.count() == 1


@pytest.mark.parametrize("free_kb", [4, 16, 32, 48, 100, 200, 300, 400])
def test_a_nearly_full_real_disk_never_splits_memory_and_record(run, cli, tmp_path, free_kb):
    """On a real small file system (tmpfs; needs root, else skipped) with a few kB free: the import either
    completes (memory and record both hold the 5 edits) or fails with one "disk is full" line and changes neither."""
    import shutil

    with small_disk(tmp_path / "disk") as tmpfs:  # unmounted at the end, files left open collected first
        disk = tmpfs.folder
        out = disk / "out"
        shutil.copytree(run.out, out)
        small = Run(out, out / run.folder.name, run.manifest)
        first = reviewed_copy(small, tmp_path / "r1" / "rev1.docx", edits=FIRST)
        assert cli("review", "import", first, "--manifest", small.folder).exit_code == 0
        memory_before, record_before = memory_rows(small.memory), _record(small).read_bytes()
        second = reviewed_copy(small, tmp_path / "r2" / "rev1.docx", edits=EDITS)
        tmpfs.fill(free_kb * 1024)
        result = cli("review", "import", second, "--manifest", small.folder)
        assert "Traceback" not in result.output and "cannot rollback" not in result.output, result.output
        tmpfs.unfill()
        from pipeline.memory import reviews

        held = reviews.load(small.reviewed)["runs"][run.manifest["run_id"]]["zh-TW"]["segments"]
        texts = {e["text"] for e in held.values()}
        if result.exit_code == 0 or "the review itself is safe" in result.output:  # committed; only the copy failed
            assert set(EDITS.values()) <= _memory_targets(small) and set(EDITS.values()) <= texts
        else:
            assert result.exit_code == 5, result.output
            assert "disk is full" in result.output, result.output
            assert memory_rows(small.memory) == memory_before and _record(small).read_bytes() == record_before
            assert not (texts & (set(EDITS.values()) - set(FIRST.values())))
        assert not list(small.folder.glob(".*.tmp")) and not (small.folder / ".lock").exists()
        result = cli("review", "import", second, "--manifest", small.folder)  # space again: it completes
        assert result.exit_code == 0, result.output
        assert set(EDITS.values()) <= _memory_targets(small)


def test_one_command_renders_the_copy_once_from_the_record(run, cli, tmp_path, monkeypatch):
    """Two documents in one `review import`: both committed, reviewed.json rendered once at the end (not after each
    document), equal to the record, one segment record per line."""
    import json

    import pipeline.memory.reviews as reviews
    from pipeline.memory.reviews import load

    rendered: list[Path] = []
    original = reviews.atomic_write_text

    def counting(path, *args, **kwargs):
        if str(path).endswith(".reviewed.json"):
            rendered.append(Path(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(reviews, "atomic_write_text", counting)
    zh = reviewed_copy(run, tmp_path / "r" / "zh.docx", edits=FIRST)
    ja = reviewed_copy(run, tmp_path / "r" / "ja.docx", lang="ja", edits={SEGMENTS[0]: "査読者による修正文"})
    result = cli("review", "import", zh, ja, "--manifest", run.folder)
    assert result.exit_code == 0, result.output
    assert rendered == [run.reviewed]
    text = run.reviewed.read_text(encoding="utf-8")
    copy = json.loads(text)
    record = load(run.reviewed)  # from the SQLite record
    assert {k: v for k, v in copy.items() if k != "record"} == record
    blocks = copy["runs"][run.manifest["run_id"]]
    assert set(blocks) == {"zh-TW", "ja"} and blocks["ja"]["segments"][SEGMENTS[0]]["text"] == "査読者による修正文"
    line = next(line for line in text.splitlines() if line.lstrip().startswith(f'"{SEGMENTS[0]}": {{"source_hash"'))
    assert json.loads(line.strip().rstrip(",").split(": ", 1)[1])["status"] in ("edited", "unchanged")

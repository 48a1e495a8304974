"""No traceback from any CLI command with any input (issue 13, "Done means").

Random bytes, and random mutations of real .docx/.yaml/.csv/.tbx/.json/.tmx files (bytes flipped, cut, inserted;
and, for a .docx, its XML parts mutated inside a well-formed zip so the XML readers are reached, not only the zip
check), are given to each command that reads a file. Every result must be a documented exit code (README) with no
Python exception escaping: a `click.ClickException` (one-line error) or a normal exit. Example counts are bounded
so the whole file runs in well under a minute; CI replays a fixed set (HYPOTHESIS_PROFILE=ci).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import traceback
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import formatted_release
from support.bounded_cli import run_capped
from support.paths import GLOSSARY, SAMPLE
from pipeline.cli import main

EXIT_CODES = {0, 2, 3, 4, 5, 6}  # README, "Exit codes" (1 only from `glossary check`; 130 is Ctrl-C)
SETTINGS = settings(
    max_examples=int(os.environ.get("CLI_FUZZ_EXAMPLES", "12")),  # more for a longer hunt: CLI_FUZZ_EXAMPLES=200
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

# A mutation: (position as a fraction of the length, kind, bytes)
MUTATIONS = st.lists(
    st.tuples(st.floats(0, 1), st.sampled_from(["flip", "cut", "insert", "replace"]), st.binary(min_size=1, max_size=12)),
    min_size=1,
    max_size=6,
)
XML_SNIPPETS = st.sampled_from([
    b"<", b">", b"&", b"&amp;", b"&#0;", b"&#xD800;", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;", b"<w:tbl>",
    b"</w:tc>", b"<w:t>", b"\x00", b"\xff\xfe", b"]]>", b"<![CDATA[", b"<?pi?>", b"xmlns:w='x'",
])  # fmt: skip


def mutate(data: bytes, mutations: list[tuple[float, str, bytes]]) -> bytes:
    for where, kind, chunk in mutations:
        at = int(where * len(data))
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (chunk[0] or 1)]) + data[at + 1 :]
        elif kind == "cut":
            data = data[:at] + data[at + len(chunk) * 64 :]
        elif kind == "insert":
            data = data[:at] + chunk + data[at:]
        else:
            data = data[:at] + chunk + data[at + len(chunk) :]
    return data


def mutate_docx(data: bytes, part_index: int, mutations, snippet: bytes | None) -> bytes:
    """The .docx with one of its XML parts mutated (and a snippet of XML syntax inserted), re-zipped soundly."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [i.filename for i in source.infolist() if i.filename.endswith((".xml", ".rels"))]
    victim = names[part_index % len(names)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == victim:
                content = mutate(content, mutations)
                if snippet:
                    at = len(content) // 2
                    content = content[:at] + snippet + content[at:]
            target.writestr(info.filename, content)
    return out.getvalue()


def check(result, *, codes=EXIT_CODES) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        detail = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"uncaught {type(result.exception).__name__}:\n{detail}")
    assert "Traceback" not in result.output, result.output[-3000:]
    assert result.exit_code in codes, (result.exit_code, result.output[-3000:])
    if result.exit_code != 0:
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) <= 1, result.output[-3000:]


def invoke(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])  # catch_exceptions: an escaping one is a failure


@pytest.fixture(scope="module")
def seeds(translated, tmp_path_factory) -> dict[str, bytes]:
    """Real files of every kind the CLI reads, to mutate."""
    import docx

    folder = tmp_path_factory.mktemp("seeds")
    document = docx.Document()
    for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:8]:
        document.add_paragraph(line)
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "Kaohsiung Medical University"
    document.save(folder / "release.docx")
    release = translated / SAMPLE.stem
    exported = {}
    for fmt in ("csv", "tbx"):
        result = invoke("glossary", "export", GLOSSARY, "--format", fmt, "-o", folder / f"g.{fmt}")
        assert result.exit_code == 0, result.output
        exported[fmt] = (folder / f"g.{fmt}").read_bytes()
    return {
        "txt": SAMPLE.read_bytes(),
        "docx": (folder / "release.docx").read_bytes(),
        "review": (release / f"{SAMPLE.stem}.zh-TW.review.docx").read_bytes(),
        "manifest": (release / f"{SAMPLE.stem}.manifest.json").read_bytes(),
        "yaml": (GLOSSARY / "kmu.yaml").read_bytes(),
        **exported,
    }


@pytest.fixture
def env(installed, monkeypatch, tmp_path):
    """Models installed (identity packages), no user memory or cache, a private cache folder."""
    monkeypatch.delenv("TRANSLATE_MEMORY", raising=False)
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", "")
    return installed


# --- releases: `run` and `glossary suggest` ---------------------------------------------------------------------


@SETTINGS
@given(kind=st.sampled_from(["txt", "md", "docx"]), raw=st.binary(max_size=3000), mutations=MUTATIONS,
       use_seed=st.booleans(), part=st.integers(0, 50), snippet=st.none() | XML_SNIPPETS)
def test_run_and_suggest_never_give_a_traceback(env, seeds, kind, raw, mutations, use_seed, part, snippet):
    with tempfile.TemporaryDirectory() as work:
        release = Path(work) / f"release.{kind}"
        if not use_seed:
            data = raw
        elif kind == "docx":
            data = mutate_docx(seeds["docx"], part, mutations, snippet)
        else:
            data = mutate(seeds["txt"], mutations)
        release.write_bytes(data)
        check(invoke("run", release, "--out", Path(work) / "out", "--no-glossary", "--quiet"))
        check(invoke("glossary", "suggest", release, "--glossary", GLOSSARY))


# --- Markdown releases: `run`, then `publish --format html` (the web page) ------------------------------------

MARKDOWN_SNIPPETS = st.sampled_from([
    "*", "**", "_", "__", "[", "]", "](", ")", "(", "![x](", "<b>", "</div>", "<div>\n", "\n", "\n\n", "> ", "- ",
    "1. ", "```", "    ", "&amp;", "&#0;", "\\", "`", "# ", "\n===\n", "[a]: http://x\n", "> " * 30, "- " * 30,
    "[wiki](https://en.wikipedia.org/wiki/Kumamoto_(city))", "javascript:alert(1)", "*a **b " * 50, "\u2028",
])  # fmt: skip


@SETTINGS
@given(snippets=st.lists(st.tuples(st.floats(0, 1), MARKDOWN_SNIPPETS), max_size=10), mutations=MUTATIONS,
       mutated=st.booleans(), raw=st.text(max_size=1500), use_seed=st.booleans())
def test_markdown_release_and_its_web_page_never_give_a_traceback(env, snippets, mutations, mutated, raw, use_seed):
    text = formatted_release.MARKDOWN if use_seed else raw
    for where, snippet in snippets:
        at = int(where * len(text))
        text = text[:at] + snippet + text[at:]
    data = mutate(text.encode("utf-8"), mutations) if mutated else text.encode("utf-8")
    with tempfile.TemporaryDirectory() as work:
        release = Path(work) / "release.md"
        release.write_bytes(data)
        (Path(work) / "ceremony.png").write_bytes(formatted_release.png())
        ran = invoke("run", release, "--out", Path(work) / "out", "--no-glossary", "--quiet")
        check(ran)
        if ran.exit_code == 0:
            for formats in (["--format", "html"], []):
                check(invoke("publish", Path(work) / "out" / "release", "--allow-unreviewed", "--no-memory", *formats))


@pytest.mark.parametrize("text", [
    "> " * 40 + "Deep text.\n\n" + "- " * 40 + "deep item\n",
    "*a **b " * 20_000,
    "[" * 30_000 + "Kumamoto" + "](" * 30_000,
    formatted_release.MARKDOWN.replace("https://www.kumamoto-u.ac.jp/", "https://en.wikipedia.org/wiki/Kumamoto_(city)"),
], ids=["deep-nesting", "emphasis-bomb", "brackets", "parentheses-url"])
def test_hostile_markdown_never_dies_by_a_signal(env, tmp_path, text):
    """In a subprocess: a crash in C (the stack, the allocator) would show as a negative return code, not an
    exception."""
    release = tmp_path / "release.md"
    release.write_text(text, encoding="utf-8")
    ran = run_capped(["run", release, "--out", tmp_path / "out", "--no-glossary", "--quiet"], timeout=300)
    assert ran.returncode in EXIT_CODES and "Traceback" not in ran.stderr, (ran.returncode, ran.stderr[-3000:])
    if ran.returncode == 0:
        for formats in (["--format", "html"], []):
            published = run_capped(["publish", tmp_path / "out" / "release", "--allow-unreviewed", "--no-memory",
                                    *formats], timeout=300)
            assert published.returncode in EXIT_CODES and "Traceback" not in published.stderr, (
                published.returncode, published.stderr[-3000:])


# --- glossaries: `glossary check`, `glossary import`, `run --glossary` -----------------------------------------


@SETTINGS
@given(fmt=st.sampled_from(["yaml", "csv", "tbx"]), raw=st.binary(max_size=3000), mutations=MUTATIONS,
       use_seed=st.booleans(), snippet=st.none() | XML_SNIPPETS | st.sampled_from([b"&a *a", b"<<: *a", b"!!python/object:os.system"]))
def test_glossary_commands_never_give_a_traceback(env, seeds, fmt, raw, mutations, use_seed, snippet):
    data = mutate(seeds[fmt], mutations) if use_seed else raw
    if snippet and use_seed:
        data = data[: len(data) // 2] + snippet + data[len(data) // 2 :]
    with tempfile.TemporaryDirectory() as work:
        glossary = Path(work) / f"glossary.{fmt}"
        glossary.write_bytes(data)
        check(invoke("glossary", "check", glossary), codes=EXIT_CODES | {1})
        if fmt != "yaml":
            check(invoke("glossary", "import", glossary, "-o", Path(work) / "imported.yaml"))
        check(invoke("glossary", "export", glossary, "--format", "csv", "-o", Path(work) / "out.csv"))


@settings(SETTINGS, max_examples=max(1, SETTINGS.max_examples // 2))
@given(mutations=MUTATIONS, fmt=st.sampled_from(["yaml", "csv", "tbx"]))
def test_run_with_a_mutated_glossary_never_gives_a_traceback(env, seeds, mutations, fmt):
    with tempfile.TemporaryDirectory() as work:
        glossary = Path(work) / f"glossary.{fmt}"
        glossary.write_bytes(mutate(seeds[fmt], mutations))
        release = Path(work) / SAMPLE.name
        release.write_bytes(seeds["txt"])
        check(invoke("run", release, "--out", Path(work) / "out", "--glossary", glossary, "--quiet"))


# --- reviewed documents, manifests, publish, memory ---------------------------------------------------------------


@SETTINGS
@given(mutations=MUTATIONS, part=st.integers(0, 50), snippet=st.none() | XML_SNIPPETS, inside=st.booleans())
def test_review_import_and_against_never_give_a_traceback(env, translated, seeds, mutations, part, snippet, inside):
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out"
        shutil.copytree(translated, out)
        review = out / SAMPLE.stem / f"{SAMPLE.stem}.zh-TW.review.docx"
        data = mutate_docx(seeds["review"], part, mutations, snippet) if inside else mutate(seeds["review"], mutations)
        review.write_bytes(data)
        check(invoke("review", "import", review, "--memory", Path(work) / "memory.sqlite"))
        check(invoke("glossary", "check", GLOSSARY, "--against", review), codes=EXIT_CODES | {1})
        check(invoke("publish", out / SAMPLE.stem, "--allow-unreviewed", "--no-memory"))


@SETTINGS
@given(mutations=MUTATIONS, which=st.sampled_from(["manifest", "reviewed", "memory"]))
def test_publish_and_memory_with_mutated_records_never_give_a_traceback(env, translated, seeds, mutations, which):
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out"
        shutil.copytree(translated, out)
        folder = out / SAMPLE.stem
        if which == "manifest":
            (folder / f"{SAMPLE.stem}.manifest.json").write_bytes(mutate(seeds["manifest"], mutations))
        elif which == "reviewed":
            (folder / f"{SAMPLE.stem}.reviewed.json").write_bytes(mutate(b'{"schema_version": 1, "runs": {}}', mutations))
        else:
            tmx = Path(work) / "memory.tmx"
            tmx.write_bytes(mutate(
                b'<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>A'
                b'</seg></tuv><tuv xml:lang="zh-TW"><seg>B</seg></tuv></tu></body></tmx>', mutations))
            check(invoke("memory", "import", tmx, "--memory", Path(work) / "m.sqlite"))
            return
        check(invoke("publish", folder, "--allow-unreviewed", "--no-memory"))
        check(invoke("glossary", "check", GLOSSARY, "--against", folder), codes=EXIT_CODES | {1})
        check(invoke("run", SAMPLE, "--out", out, "--no-glossary", "--quiet", "--to", "zh-TW"))

"""`translate run`: releases in, review documents and manifests out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cli.options import glossary_options, memory_options
from pipeline.cli.workspace import current_workspace, open_read_memory, say_deferred, say_used
from pipeline.core.errors import GlossaryError, InputError
from pipeline.files.progress_lines import ProgressLines
from pipeline.language import DEFAULT_TARGETS


@click.command()
@click.argument("releases", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--to", "targets", multiple=True, help="Target language (repeatable).",
    show_default=f"the workspace's languages, else {', '.join(DEFAULT_TARGETS)}",
)  # fmt: skip
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), help="Output folder.",
    show_default="the workspace's output folder, else output",
)  # fmt: skip
@glossary_options(
    "Glossary file or folder [default: the workspace's glossary, else ./glossaries; none there is an error (exit 2)].",
    "Translate without any glossary, on purpose (the documents say so).",
)
@click.option("--source-lang", metavar="LANG", help="Override language detection (only `en` is translated).")
@click.option("--beam-size", default=2, show_default=True, type=click.IntRange(1, 16))
@click.option(
    "--draft", is_flag=True,
    help="A first look: --beam-size 1 (less CPU and memory, translations a little worse; README, Performance).",
)  # fmt: skip
@click.option(
    "--threads", default=0, show_default=True, type=click.IntRange(0, 256),
    help="CPU threads (0: one per core); shared out among the languages, which are translated side by side.",
)  # fmt: skip
@click.option(
    "--one-language-at-a-time", "in_turn", is_flag=True,
    help="Translate the languages one after the other, each with all the threads (same documents, usually slower).",
)  # fmt: skip
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1, 4096), help="Segments per model batch.")
@click.option("--force", is_flag=True, help="Overwrite review documents a reviewer edited (a backup is kept).")
@memory_options(
    "Translation memory to reuse approved translations from [default: $TRANSLATE_MEMORY, else the workspace's "
    "memory, else OUT/memory.sqlite, if it exists].",
    "Machine-translate every segment; ignore the translation memory.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary.")
@click.option("--timings", is_flag=True, help="Print seconds per stage to stderr.")
def run(
    releases: tuple[Path, ...],
    targets: tuple[str, ...],
    out_dir: Path | None,
    glossary_path: Path | None,
    no_glossary: bool,
    source_lang: str | None,
    beam_size: int,
    draft: bool,
    threads: int,
    in_turn: bool,
    batch_size: int,
    force: bool,
    memory_path: Path | None,
    no_memory: bool,
    quiet: bool,
    timings: bool,
) -> None:
    """Translate RELEASES (.txt, .md, .docx files or folders of them) into review documents.

    Writes OUT/<release>/<release>.<lang>.review.docx per target language and
    OUT/<release>/<release>.manifest.json.

    \b
    Examples:
      translate run samples/kmu-kumamoto-mou-2025.txt
      translate run releases/ --to ja --out /tmp/review
      translate run release.docx --glossary glossaries/kmu.yaml --beam-size 4
      translate run releases/ --draft
    """
    # lazy: the engines (~30 ms), the memory (sqlite3) and the stages (python-docx, lxml); keeps --help fast
    from pipeline.run import StageTimes, collect_releases, run_releases, warmup  # lazy: the stages' modules
    from pipeline.translation.engine.argos import load_engine  # lazy: ~20 ms of engine modules
    from pipeline.translation.engine.base import DecodeOptions  # lazy: with the engine
    from pipeline.translation.side_by_side import plan  # lazy: with the engine

    beam_size = draft_beam(beam_size, draft)

    times = StageTimes()
    paths = collect_releases(list(releases))
    workspace = current_workspace()
    targets = targets or (workspace.languages if workspace else DEFAULT_TARGETS)
    out_dir = out_dir or (workspace.output if workspace else Path("output"))
    glossary_path = glossary_path or (workspace.glossary if workspace else None)

    glossary = None if no_glossary else load_run_glossary(glossary_path)
    # python-docx, OpenCC's tables while the models load (C++, the GIL released). Started after the glossary,
    # which is Python too: side by side the two only took turns with the GIL (0.06 s alone, 0.17 s together).
    warmup.start(targets)
    targets = tuple(dict.fromkeys(targets))
    # Each language's model gets its share of the threads; the languages decode side by side (issue 23).
    driving = plan(len(targets), threads, in_turn)
    batch, batch_type = driving.batches(batch_size)
    options = DecodeOptions(beam_size, driving.threads_per_model, batch, batch_type)
    # In this thread, one after the other: loading models in threads cost 3-4x the CPU.
    engines = {lang: load_engine(lang, options) for lang in targets}  # all models found before any work
    memory, memory_said, memory_record = open_read_memory(memory_path, no_memory, workspace, out_dir)
    if not quiet:
        say_used(workspace, glossary="none (--no-glossary)" if glossary is None else str(glossary.path), memory=memory_said)

    from tqdm import tqdm

    # disable=None: tqdm draws only on a terminal, so CI logs and pipes get the per-release lines alone.
    hide = True if quiet or len(paths) < 2 else None
    bar = tqdm(total=len(paths), unit="release", file=sys.stderr, disable=hide, leave=False)
    write_progress = _attach_progress(engines, quiet)
    refused: list[tuple[Path, Exception]] = []  # a folder run: a refused release is named, the others go on

    def on_refused(path: Path, error: Exception) -> None:
        refused.append((path, error))
        bar.update(1)
        bar.write(f"refused: {error.format_message()}", file=sys.stderr)

    try:
        results = run_releases(
            paths,
            engines,
            out_dir,
            glossary=glossary,
            memory=memory,
            source_lang=source_lang,
            force=force,
            on_release=_release_reporter(bar, quiet),
            times=times,
            write_progress=write_progress,
            recorded={"workspace": workspace.record() if workspace else None, "memory": memory_record},
            on_refused=on_refused if len(paths) > 1 else None,
            languages_at_once=driving.languages_at_once,
        )
    finally:
        bar.close()
        if memory is not None:
            memory.close()
    _report_end(engines, times, quiet=quiet, timings=timings)
    say_deferred()  # without a workspace, what the run used, before the summary (the last line of a folder run)
    _report_releases(len(results), refused, quiet=quiet)


def draft_beam(beam_size: int, draft: bool) -> int:
    """The beam size to decode with: 1 for --draft, which an explicit other --beam-size contradicts (exit 2)."""
    if not draft:
        return beam_size
    given = click.get_current_context().get_parameter_source("beam_size") is click.core.ParameterSource.COMMANDLINE
    if given and beam_size != 1:
        raise click.UsageError(f"--draft decodes with --beam-size 1; --beam-size {beam_size} contradicts it: give one of the two.")
    return 1


def _report_releases(translated: int, refused: list[tuple[Path, Exception]], *, quiet: bool) -> None:
    """The summary of a run of several releases; exit 3 (InputError) when any was refused."""
    total = translated + len(refused)
    summary = f"{total} release{'s' if total != 1 else ''}: {translated} translated, {len(refused)} refused"
    if refused:
        summary += f" ({', '.join(path.name for path, _ in refused)})"
        raise InputError(f"{summary}: each is named above with why; fix it (or remove it) and run it again.")
    if total > 1 and not quiet:
        click.echo(summary, err=True)


def _release_reporter(bar, quiet: bool):
    """`on_release` for run_releases: advance the releases bar and, unless quiet, a line per release."""

    def report(result) -> None:
        bar.update(1)
        if quiet:
            return
        release = result.translated.release
        bar.write(
            f"{release.path}: {len(release.segments)} segments; "
            + "; ".join(language_line(lang, ts) for lang, ts in result.translated.translations.items())
            + (f"; {release.hidden_runs} hidden run(s) kept hidden, not translated" if release.hidden_runs else "")
            + " → "
            + ", ".join(str(p) for p in result.documents.values()),
            file=sys.stderr,
        )
        for backup in result.backups:
            bar.write(f"  reviewer's edited document kept as {backup}", file=sys.stderr)
        if result.translated.uncovered_names:
            names = "; ".join(result.translated.uncovered_names)
            bar.write(f"  not in the glossary: {names} (listed in the review documents)", file=sys.stderr)

    return report


def language_line(lang: str, translations: list) -> str:
    """One language of a release (languages are never added together): its rows in the words of `review import`
    and `publish` (pipeline/review/status.py: from the memory = approved; a glossary or check error; the rest
    drafts) and the rows that need attention as the review document's worklist counts them."""
    from pipeline.review.status import count_rows, run_row_status  # lazy: the review package loads python-docx
    from pipeline.review.write.worklist import worklist  # lazy: with the status

    counts = count_rows((t.segment_id, run_row_status(t.origin, [(f.code, f.severity) for f in t.flags])) for t in translations)
    attention = worklist((t.origin, [f.code for f in t.flags]) for t in translations).rows_attention
    return f"{lang}: {counts.line()}, {attention} need attention"


def _attach_progress(engines: dict, quiet: bool):
    """Give each engine its segment progress and return run_releases' `write_progress` (None when quiet).

    A bar per language for the segments of a long release (tqdm redraws at most ~10 times a second); in a log
    (stderr not a terminal) a line every few seconds instead, for translating and for writing (issue 14).
    """
    if quiet:
        return None
    if _stderr_is_terminal():
        for lang, engine in engines.items():
            engine.progress = _segment_bar(lang)
        return lambda path: _segment_bar(f"write {path.name}")
    for lang, engine in engines.items():
        engine.progress = ProgressLines(f"translate {lang}", "segments")
    return lambda path: ProgressLines(f"write {path.name}", "rows")


def _report_end(engines: dict, times, *, quiet: bool, timings: bool) -> None:
    demo = [lang for lang, engine in engines.items() if engine.info.demo]
    if demo and not quiet:
        click.secho(
            f"DEMO copy model for {', '.join(demo)}: the target column is the English, NOT a translation.",
            fg="yellow",
            err=True,
        )
    if timings:
        for stage, seconds in times.in_order():
            click.echo(f"{stage:>10}: {seconds:.3f} s", err=True)


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _segment_bar(lang: str):
    from tqdm import tqdm

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None or bar.total != total or done < bar.n:
            if bar is not None:
                bar.close()
            bar = tqdm(total=total, desc=lang, unit="segment", file=sys.stderr, leave=False, mininterval=0.2)
        bar.update(done - bar.n)
        if done == total:
            bar.refresh()  # the last state is drawn even inside tqdm's redraw interval
            bar.close()
            bar = None

    return progress


def load_run_glossary(path: Path | None):
    from pipeline.glossary import default_glossary_path, load_glossary  # lazy: PyYAML; keeps --help fast

    path = path or default_glossary_path()
    if path is None:
        raise GlossaryError(
            f"No glossary: looked for ./glossaries in {Path.cwd()}; give one with --glossary PATH, or pass "
            "--no-glossary to translate without a glossary on purpose."
        )
    return load_glossary(path)

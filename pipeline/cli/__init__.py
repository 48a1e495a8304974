"""`translate`: the command line. Thin: parse options, call the stages, report.

Heavy libraries (CTranslate2, python-docx, langdetect, OpenCC) are imported inside commands so that
`translate --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import __version__
from pipeline.cli.glossary import glossary
from pipeline.cli.memory import memory
from pipeline.cli.models import models
from pipeline.cli.publish import publish
from pipeline.cli.review import review
from pipeline.cli.run import run
from pipeline.cli.workspace import init, remember_options, say_deferred, workspace_options
from pipeline.cli.status import status


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""\b
Examples:
  translate init                                  # make this folder a workspace (translate.toml)
  translate models build-demo                     # no real model? a labelled copy model for a demo
  translate models install translate-en_zt-1_9.argosmodel
  translate run samples/kmu-kumamoto-mou-2025.txt
  translate run releases/ --to ja --out output/
  translate review import output/kmu-kumamoto-mou-2025/*.review.docx
  translate publish output/kmu-kumamoto-mou-2025
  translate status                                # every release under ./output: what to do next
  translate glossary check --against output/kmu-kumamoto-mou-2025/

Exit codes: 0 ok, 1 check violations, 2 usage or glossary parse error, 3 bad input,
4 model missing or unusable, 5 output cannot be written safely, 6 review document refused or
unreviewed segments, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).""",
)
@click.version_option(__version__, prog_name="translate")
@workspace_options
@click.pass_context
def main(ctx: click.Context, workspace_dir: Path | None, no_workspace: bool) -> None:
    """Translate English press releases into zh-TW and ja review documents, offline.

    Inside a workspace (a folder with translate.toml, made by `translate init`) every command uses its glossary,
    memory, output and models folders, from any folder below it."""
    remember_options(ctx, workspace_dir, no_workspace)


@main.result_callback()
def _say_what_was_used(*_results, **_options) -> None:
    say_deferred()


for command in (init, run, models, glossary, review, memory, publish, status):
    main.add_command(command)


class Terminated(KeyboardInterrupt):
    """SIGTERM (what `timeout`, systemd and CI runners send) raised where the program is, like Ctrl-C, so every
    `finally` and temporary-file clean-up runs; a KeyboardInterrupt so the same handlers catch both."""


TERMINATED_EXIT = 143  # 128 + SIGTERM, what a shell reports for a process SIGTERM ended


def _on_sigterm(signum, frame) -> None:
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not interrupt the clean-up of the first
    raise Terminated()


def _interrupted(error: KeyboardInterrupt) -> None:
    import sys

    # An interrupt can land inside a library's half-finished object (python-docx's ZipFile over an in-memory
    # buffer mid-save); at shutdown its finalizer then prints "Exception ignored … Traceback" about a buffer that
    # was already freed. Our own clean-up has run by now: what a user sees is the one line below, nothing else.
    sys.unraisablehook = lambda unraisable: None
    if isinstance(error, Terminated):
        click.echo("Terminated (SIGTERM): no document was half-written.", err=True)
        sys.exit(TERMINATED_EXIT)
    click.echo("Interrupted: no document was half-written.", err=True)
    sys.exit(130)


def entry() -> None:
    """Console-script entry: like click's standalone mode, but Ctrl-C exits 130 and SIGTERM 143 (documented)."""
    import signal

    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError):  # not the main thread (embedded): keep the default
        previous = None
    try:
        _run_main()
    finally:
        if previous is not None:  # called in-process (tests): leave the caller's handler as it was
            signal.signal(signal.SIGTERM, previous)


def console() -> None:
    """The `translate` command (and `python -m pipeline`): `entry`, then, when the command succeeded, the process
    ends at once.

    Everything a successful command writes is written, closed and renamed into place before `entry` returns; what
    is left is the interpreter's own tear-down (every module, two CTranslate2 models and their threads), 0.15 s of
    a one-release run's ~0.8 s fixed cost (issue 14). So the standard streams are flushed and the process exits
    without it. A command that failed or was interrupted (Ctrl-C, SIGTERM) exits the interpreter's own way:
    clean-up that waits for the tear-down (a temporary file held by a frame of the interrupted write) still runs.
    In-process callers (tests) call `entry` and keep their interpreter.
    """
    import os
    import sys

    try:
        entry()
    except SystemExit as done:
        if done.code not in (None, 0):
            raise
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`translate ... | head`) or stream: nothing left to say
            pass
    os._exit(0)


def _run_main() -> None:
    import sys

    try:
        # Without standalone mode click returns ctx.exit(n)'s code instead of exiting.
        code = main.main(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.Abort as abort:
        # click turns a KeyboardInterrupt inside a command into `Abort() from` it.
        cause = abort.__cause__ if isinstance(abort.__cause__, KeyboardInterrupt) else KeyboardInterrupt()
        _interrupted(cause)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except KeyboardInterrupt as interrupt:
        _interrupted(interrupt)
    except BrokenPipeError:
        sys.exit(1)

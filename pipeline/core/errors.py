"""User-facing errors. Each class has its own documented exit code (README, "Exit codes")."""

from __future__ import annotations

import click


class PipelineError(click.ClickException):
    """A user mistake or an environment problem: one line, no traceback."""

    exit_code = 1


class InputError(PipelineError):
    """The release (or another input file) cannot be used: unreadable, empty, wrong encoding, not English."""

    exit_code = 3


class ModelError(PipelineError):
    """No usable translation model for a requested language, or a package that cannot be installed."""

    exit_code = 4


class OutputError(PipelineError):
    """Output cannot be written safely: unwritable folder, another run holds the lock, a reviewer's edits."""

    exit_code = 5


class ReviewError(PipelineError):
    """A reviewed document that does not belong to the run it claims to, or was damaged."""

    exit_code = 6


class GlossaryError(PipelineError):
    """A glossary file that cannot be parsed."""

    exit_code = 2

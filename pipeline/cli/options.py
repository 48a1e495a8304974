"""Options several commands share. Only click here: `translate --help` imports every command module."""

from __future__ import annotations

from pathlib import Path

import click


def memory_option(help: str):
    """`--memory FILE` (→ `memory_path`), with the command's own help text."""
    return click.option("--memory", "memory_path", type=click.Path(path_type=Path, dir_okay=False), help=help)


def memory_options(memory_help: str, no_memory_help: str):
    """`--memory FILE` (→ `memory_path`) and `--no-memory` (→ `no_memory`), in that order."""

    def decorate(command):
        return memory_option(memory_help)(click.option("--no-memory", is_flag=True, help=no_memory_help)(command))

    return decorate


def glossary_options(glossary_help: str, no_glossary_help: str):
    """`--glossary PATH` (→ `glossary_path`) and `--no-glossary` (→ `no_glossary`), in that order."""

    def decorate(command):
        glossary = click.option("--glossary", "glossary_path", type=click.Path(path_type=Path), help=glossary_help)
        return glossary(click.option("--no-glossary", is_flag=True, help=no_glossary_help)(command))

    return decorate

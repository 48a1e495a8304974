"""The office's workspace, the way git has a repository: a folder holding `translate.toml`, which names the
glossary, the translation memory, the output folder, the models folder and the target languages, each relative to
that folder (README, "Workspace").

Every command finds it by walking up from the current folder (`find_config`), from a release's manifest (which
records it: `recorded_config`), or from `--workspace`; without one, today's defaults hold. Read with the standard
library's TOML reader (`tomllib`, Python 3.11; `tomli`, the same parser, on 3.10).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.errors import GlossaryError, OutputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

__all__ = [
    "CONFIG_NAME",
    "Workspace",
    "WorkspaceError",
    "find_config",
    "init_workspace",
    "read_workspace",
    "recorded_config",
]

CONFIG_NAME = "translate.toml"
CONFIG_MAX_BYTES = 64 * 1024  # a few lines; anything larger is not a workspace file
KEYS = ("glossary", "memory", "output", "models", "languages")
DEFAULTS = {"glossary": "glossaries", "memory": "memory.sqlite", "output": "output"}


class WorkspaceError(GlossaryError):
    """A `translate.toml` that cannot be used: exit 2, like any configuration that cannot be parsed."""


@dataclass(frozen=True)
class Workspace:
    """A workspace's settings, every path absolute."""

    root: Path
    config: Path
    config_sha256: str
    glossary: Path
    memory: Path
    output: Path
    models: Path | None  # None: the user's Argos folder (ARGOS_PACKAGES_DIR, else Argos's own)
    languages: tuple[str, ...]

    def record(self) -> dict[str, Any]:
        """What a run's manifest records of it, so that a command given the release folder finds it again."""
        return {"path": str(self.root), "config": str(self.config), "sha256": self.config_sha256}


def find_config(start: Path) -> Path | None:
    """The `translate.toml` in `start` or the nearest folder above it, like git finds `.git`; None if there is none."""
    folder = Path(os.path.abspath(start))
    for candidate in (folder, *folder.parents):
        config = candidate / CONFIG_NAME
        if config.is_file():
            return config
    return None


def recorded_config(manifest: dict[str, Any]) -> Path | None:
    """The workspace file a run's manifest records, when it is still there; None for a run made without one."""
    recorded = manifest.get("workspace")
    path = recorded.get("config") if isinstance(recorded, dict) else None
    if not isinstance(path, str) or not path:
        return None
    return Path(path) if Path(path).is_file() else None


def read_workspace(config: Path, known: Collection[str], default_languages: Sequence[str]) -> Workspace:
    """Read and check `config` (a `translate.toml`); `known`: the target language codes the pipeline knows;
    `default_languages`: the targets when the file names none.

    Every problem is a `WorkspaceError` of one line naming the file (and the line, where there is one)."""
    config = Path(os.path.abspath(config))
    try:
        with open(config, "rb") as file:
            raw = file.read(CONFIG_MAX_BYTES + 1)
    except OSError as exc:
        raise WorkspaceError(f"{config}: cannot read the workspace file ({exc.strerror or exc})") from None
    if len(raw) > CONFIG_MAX_BYTES:
        raise WorkspaceError(f"{config}: over {CONFIG_MAX_BYTES // 1024} KB, not a workspace file; see `translate init`")
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise WorkspaceError(f"{config}: not UTF-8 text; write it again (see `translate init`)") from None
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"\(at line (\d+), column \d+\)", str(exc))  # tomllib says where only in its message
        where = f"{config}:{at.group(1)}" if at else str(config)
        raise WorkspaceError(f"{where}: not valid TOML ({exc}); fix that line (strings in quotes)") from None
    lines = _key_lines(text)

    def bad(key: str, what: str) -> WorkspaceError:
        where = f"{config}:{lines[key]}" if key in lines else str(config)
        return WorkspaceError(f"{where}: {what}")

    for key in data:
        if key not in KEYS:
            raise bad(key, f"unknown setting {key!r} (the settings are {', '.join(KEYS)})")
    root = config.parent
    paths = {}
    for key in ("glossary", "memory", "output", "models"):
        value = data.get(key, DEFAULTS.get(key, ""))
        if not isinstance(value, str):
            raise bad(key, f"{key} must be a path in quotes, e.g. {key} = \"{DEFAULTS.get(key, key)}\"")
        paths[key] = root / os.path.expanduser(value) if value.strip() else None
    for key in ("glossary", "memory", "output"):
        if paths[key] is None:
            raise bad(key, f"{key} is empty: name a path, e.g. {key} = \"{DEFAULTS[key]}\"")
    targets = data.get("languages", list(default_languages))
    if not isinstance(targets, list) or not targets or not all(isinstance(t, str) for t in targets):
        raise bad("languages", 'languages must be a list of language codes, e.g. languages = ["zh-TW", "ja"]')
    unknown = [t for t in targets if t not in known]
    if unknown:
        raise bad("languages", f"unknown language {unknown[0]!r} (known: {', '.join(known)})")
    return Workspace(
        root=root,
        config=config,
        config_sha256=hashlib.sha256(raw).hexdigest(),
        glossary=Path(os.path.abspath(paths["glossary"])),
        memory=Path(os.path.abspath(paths["memory"])),
        output=Path(os.path.abspath(paths["output"])),
        models=None if paths["models"] is None else Path(os.path.abspath(paths["models"])),
        languages=tuple(dict.fromkeys(targets)),
    )


_KEY_LINE = re.compile(r"^[ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=", re.MULTILINE)


def _key_lines(text: str) -> dict[str, int]:
    """The line of each top-level `key =` (tomllib gives values, not where they were)."""
    found: dict[str, int] = {}
    for match in _KEY_LINE.finditer(text):
        found.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    return found


TEMPLATE = """\
# The translate workspace (`translate init`): every `translate` command run in this folder, or in a folder below
# it, or given a release made here, uses these settings. Paths are relative to this file's folder.

glossary = "glossaries"        # the office's glossary: a folder of .yaml/.csv/.tbx files (docs/glossary.md)
memory = "memory.sqlite"       # the translation memory: reviewed translations, reused by every run
output = "output"              # where `translate run` writes each release's folder
models = {models}              # Argos packages; "" for your Argos folder (ARGOS_PACKAGES_DIR, else Argos's own)
languages = [{languages}]
# languages: what `translate run` translates into when --to is not given (also zh-CN, ko)

# The house style (how people and titles are written, later mentions) is the glossary's `house_style:` section
# (docs/glossary.md, "People and titles"): it travels with the glossary files.
"""

def _toml_string(value: str) -> str:
    """A TOML basic string (a path the user gave: quotes and backslashes escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


GLOSSARY_README = """\
The office's glossary: one or more .yaml (or .csv, .tbx) files in this folder, read together.
Format and rules: docs/glossary.md of the translate project. Check it with `translate glossary check`.
"""


def init_workspace(folder: Path, known: Collection[str], languages: Sequence[str], models: str = "models") -> Workspace:
    """Write `folder/translate.toml` and create the folders it names; an existing one is never overwritten
    (`OutputError`, exit 5). The glossary folder is left empty with a README: the office's own glossary goes there
    (nothing is copied into it)."""
    folder = Path(os.path.abspath(folder))
    config = folder / CONFIG_NAME
    if config.exists():
        raise OutputError(f"{config} already exists: this folder is a workspace already; edit that file instead")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        text = TEMPLATE.format(languages=", ".join(f'"{code}"' for code in languages), models=_toml_string(models))
        with open(config, "x", encoding="utf-8") as file:  # "x": never over a file that appeared meanwhile
            file.write(text)
    except FileExistsError:
        raise OutputError(f"{config} already exists: this folder is a workspace already; edit that file instead") from None
    except OSError as exc:
        raise OutputError(f"{config}: cannot write the workspace file ({exc.strerror or exc})") from None
    workspace = read_workspace(config, known, languages)
    try:
        for made in (workspace.glossary, workspace.output, workspace.models):
            if made is not None:
                made.mkdir(parents=True, exist_ok=True)
        readme = workspace.glossary / "README.txt"
        if not readme.exists() and not any(workspace.glossary.iterdir()):
            readme.write_text(GLOSSARY_README, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the workspace's folders ({exc.strerror or exc})") from None
    return workspace

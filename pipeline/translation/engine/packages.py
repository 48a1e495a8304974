"""Argos Translate packages: where they live and which one serves a language (installing one: install.py).

We use `argostranslate.package` (fast to import) for the package format and the index, never
`argostranslate.translate` (imports spaCy/stanza, and downloads a sentence model at first use).
"""

from __future__ import annotations

import importlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import ModelError
from pipeline.core.limits import METADATA_MAX_BYTES, LimitExceeded, read_bounded
from pipeline.language import ALL as ALL_LANGUAGES

# Project language code → Argos target codes to try, in order, with the script converter each needs
# (the language registry's routes, pipeline/language/).
TARGET_CODES: dict[str, list[tuple[str, str | None]]] = {
    language.code: [(route.code, route.converter) for route in language.argos] for language in ALL_LANGUAGES
}


@dataclass
class InstalledPackage:
    path: Path
    from_code: str
    to_code: str
    version: str
    name: str
    demo: bool

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def sentencepiece_model(self) -> Path:
        return self.path / "sentencepiece.model"


# The workspace's models folder (translate.toml's `models`), set by the command line for this command's duration.
_workspace_models: Path | None = None


def use_workspace_models(folder: Path | None) -> None:
    """Look packages up and install them in `folder` (a workspace's models folder) unless ARGOS_PACKAGES_DIR says
    otherwise; None: back to ARGOS_PACKAGES_DIR or Argos's own folder."""
    global _workspace_models
    _workspace_models = folder


def packages_dir() -> Path:
    """ARGOS_PACKAGES_DIR when set (read at call time, so tests and users may change it), else the workspace's
    models folder, else Argos' default."""
    return packages_dir_and_why()[0]


def packages_dir_and_why() -> tuple[Path, str]:
    """The packages folder and what chose it, in words (`translate models list` and the workspace line say it)."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env), "ARGOS_PACKAGES_DIR"
    if _workspace_models is not None:
        return _workspace_models, "the workspace's models folder"
    return Path(argos_module("settings").package_data_dir), "Argos's own folder"


def argos_module(name: str):
    """`argostranslate.<name>`, or a one-line error saying how to install it.

    scripts/setup.sh installs argostranslate with --no-deps (requirements/argostranslate.txt: its declared
    dependencies pull torch, stanza and spaCy for a translate() we never call), so a bare `pip install .` has
    everything but argostranslate, and an argostranslate upgrade could need something more at import."""
    try:
        return importlib.import_module(f"argostranslate.{name}")
    except ImportError as exc:
        raise ModelError(
            f"argostranslate.{name} cannot be imported ({exc}); run `bash scripts/setup.sh`, or "
            f"`pip install --no-deps -r requirements/argostranslate.txt` in this environment"
        ) from exc


@dataclass
class BrokenPackage:
    """A folder in the packages folder that looks like a package but cannot be used: why, and (when its metadata or
    its Argos-style name tells) the language pair it was meant for."""

    path: Path
    reason: str
    from_code: str | None = None
    to_code: str | None = None

    @property
    def name(self) -> str:
        return self.path.name


# Argos names its package folders translate-<from>_<to>-<version> (e.g. translate-en_zt-1_9).
_PAIR_IN_NAME = re.compile(r"^translate-([a-z]{2,3})_([a-z]{2,3})(?:-|$)")


def _inspect_package(path: Path) -> InstalledPackage | BrokenPackage | None:
    """The package in `path`; a BrokenPackage when it looks like one but its metadata.json cannot be used; None for a
    folder that is no translation package (another Argos package type, or not a package at all)."""
    named = _PAIR_IN_NAME.match(path.name)
    guess = {"from_code": named.group(1), "to_code": named.group(2)} if named else {}
    metadata_file = path / "metadata.json"
    if not metadata_file.exists():
        if (path / "model").is_dir() or (path / "sentencepiece.model").exists():
            return BrokenPackage(path, "it has no metadata.json", **guess)
        return None
    try:
        metadata = json.loads(read_bounded(metadata_file, METADATA_MAX_BYTES, "a metadata.json").decode("utf-8"))
    except LimitExceeded as exc:
        return BrokenPackage(path, f"its metadata.json {exc}", **guess)
    except OSError as exc:
        return BrokenPackage(path, f"its metadata.json cannot be read ({exc.strerror or exc})", **guess)
    except UnicodeDecodeError:
        return BrokenPackage(path, "its metadata.json is not UTF-8 text (damaged)", **guess)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        return BrokenPackage(path, f"its metadata.json is damaged (not valid JSON at {where})", **guess)
    except ValueError as exc:
        return BrokenPackage(path, f"its metadata.json is damaged ({exc})", **guess)
    if not isinstance(metadata, dict):
        return BrokenPackage(path, "its metadata.json is not a JSON object", **guess)
    if metadata.get("type", "translate") != "translate":
        return None
    from_code, to_code = metadata.get("from_code"), metadata.get("to_code")
    if not isinstance(from_code, str) or not isinstance(to_code, str) or not from_code or not to_code:
        if isinstance(from_code, str) and from_code:
            guess["from_code"] = from_code
        if isinstance(to_code, str) and to_code:
            guess["to_code"] = to_code
        return BrokenPackage(path, "its metadata.json has no from_code/to_code", **guess)
    return InstalledPackage(
        path=path,
        from_code=from_code,
        to_code=to_code,
        version=str(metadata.get("package_version", "")),
        name=path.name,
        # A model that says it is not a translation (our copy model, or a benchmark's random weights) is labelled so
        # in every document; it is also exempt from the language check of verify.py.
        demo=bool(metadata.get("pipeline_demo", False) or metadata.get("benchmark_random_weights", False)),
    )


def read_package(path: Path) -> InstalledPackage | None:
    found = _inspect_package(path)
    return found if isinstance(found, InstalledPackage) else None


def scan_packages(directory: Path | None = None) -> tuple[list[InstalledPackage], list[BrokenPackage]]:
    """The usable translation packages in the packages folder, and the folders that look like packages but whose
    metadata.json is missing or damaged (`translate models list` shows them; a run names them)."""
    directory = directory or packages_dir()
    if not directory.is_dir():
        return [], []
    found: list[InstalledPackage] = []
    broken: list[BrokenPackage] = []
    for child in sorted(directory.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            package = _inspect_package(child)
            if isinstance(package, InstalledPackage):
                found.append(package)
            elif package is not None:
                broken.append(package)
    return found, broken


def installed_packages(directory: Path | None = None) -> list[InstalledPackage]:
    """Translation packages in the packages folder; folders that are not (usable) packages are skipped."""
    return scan_packages(directory)[0]


def broken_advice(broken: BrokenPackage) -> str:
    """What to do about a broken package folder, in words (the folder itself is named by the caller)."""
    if broken.name.endswith("-demo"):
        again = "`translate models build-demo`"
    elif broken.from_code and broken.to_code:
        again = f"`translate models install --from-index {broken.from_code} {broken.to_code}` when online, or a fresh .argosmodel file"
    else:
        again = "`translate models install` with a fresh .argosmodel file"
    return f"reinstall the package ({again}) or remove that folder"


def find_package(lang: str, from_code: str = "en") -> tuple[InstalledPackage, str | None]:
    """The package that translates into project language `lang`, and the script converter it needs."""
    candidates = TARGET_CODES.get(lang, [(lang, None)])
    folder = packages_dir()
    installed, broken = scan_packages(folder)
    # A broken package that was (or may have been) meant for this language: named when nothing usable is found.
    codes = {code for code, _ in candidates}
    relevant = [
        b for b in broken
        if (b.from_code in (None, from_code)) and (b.to_code is None or b.to_code in codes)
    ]
    # A real model always wins over a self-built demo copy model for the same pair.
    installed = sorted(installed, key=lambda p: p.demo)
    rank = {code: k for k, (code, _) in enumerate(candidates)}
    for to_code, converter in candidates:
        for package in installed:
            if package.from_code == from_code and package.to_code == to_code:
                # A broken package that would have been used instead of this one (a real package over a demo, en→zt
                # over en→zh + OpenCC): said, so that a damaged download does not silently lower the quality.
                sure = [
                    b for b in relevant
                    if b.to_code is not None and (package.demo or rank[b.to_code] < rank[to_code])
                ]
                if sure:
                    import click

                    click.echo(
                        f"Warning: {lang}: using {'the DEMO copy model ' if package.demo else ''}{package.name} "
                        f"because the package in "
                        f"{sure[0].path} is broken ({sure[0].reason}); {broken_advice(sure[0])}",
                        err=True,
                    )
                return package, converter
    wanted = " or ".join(f"{from_code}→{code}" for code, _ in candidates)
    if relevant:
        first = relevant[0]
        more = f" (and {len(relevant) - 1} more broken package folder(s); see `translate models list`)" if len(relevant) > 1 else ""
        raise ModelError(
            f"No usable Argos package for {lang} ({wanted}): the package folder {first.path} is broken, "
            f"{first.reason}; {broken_advice(first)}{more}"
        )
    raise ModelError(
        f"No Argos package for {lang} ({wanted}) in {folder}: "
        f"run `translate models install translate-{from_code}_{candidates[0][0]}.argosmodel` "
        f"(or `translate models install --from-index {from_code} {candidates[0][0]}` when online; "
        f"`translate models build-demo` for a demo copy model)"
    )


def damaged_archive_error(archive: Path, package: InstalledPackage, exc: Exception) -> ModelError:
    """The model inside a package file that unpacked cleanly cannot be loaded: the file itself is damaged."""
    if package.demo:
        fresh = "build a new one with `translate models build-demo`"
    else:
        fresh = (
            f"get a fresh copy from the Argos index (`translate models install --from-index {package.from_code} "
            f"{package.to_code}` when online) or from wherever this file came from"
        )
    return ModelError(f"{archive}: damaged package, its model cannot be loaded ({exc}); this file will not install: {fresh}")


def damaged_model_error(package: InstalledPackage, lang: str, exc: Exception, archive: Path | None = None) -> ModelError:
    """A package whose model (or tokenizer) cannot be loaded or run: name the .argosmodel file at install, the
    installed folder at run, and where a good copy comes from (reinstalling the same damaged file would not help)."""
    if archive is not None:
        return damaged_archive_error(archive, package, exc)
    if package.demo:
        fresh = "rebuild it with `translate models build-demo`"
    else:
        fresh = (
            f"install a fresh copy over it: `translate models install --from-index {package.from_code} "
            f"{package.to_code}` when online, or a newly downloaded .argosmodel file (not the one it came from, "
            "which may be damaged too)"
        )
    return ModelError(
        f"{lang}: installed package {package.name} ({package.path}) is damaged, its model cannot be loaded ({exc}); "
        f"{fresh}"
    )

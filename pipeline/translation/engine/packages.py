"""Argos Translate packages: where they live, which one serves a language, and safe installation.

We use `argostranslate.package` (fast to import) for the package format and the index, never
`argostranslate.translate` (imports spaCy/stanza, and downloads a sentence model at first use).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.core.errors import ModelError
from pipeline.core.limits import METADATA_MAX_BYTES, LimitExceeded, read_bounded
from pipeline.language import ALL as ALL_LANGUAGES

# Project language code → Argos target codes to try, in order, with the script converter each needs
# (the language registry's routes, pipeline/language/).
TARGET_CODES: dict[str, list[tuple[str, str | None]]] = {
    language.code: [(route.code, route.converter) for route in language.argos] for language in ALL_LANGUAGES
}

# A package larger than this when unpacked is refused: real Argos packages are ~100-300 MB.
MAX_UNPACKED_BYTES = 4 * 1024**3
# Model weights barely compress (~1.1×); an entry (or a whole archive) above this many bytes that expands more than
# MAX_COMPRESSION_RATIO times is a zip bomb. The sizes are the ones declared in the archive; Python's zipfile never
# writes more than the declared size of an entry (it stops there and fails the CRC check), so they bound the disk use.
MAX_COMPRESSION_RATIO = 200
BOMB_MIN_BYTES = 10 * 1024**2
# Free space kept on the packages folder's disk beyond the package's unpacked size.
SPACE_MARGIN_BYTES = 64 * 1024**2


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


def packages_dir() -> Path:
    """ARGOS_PACKAGES_DIR when set (read at call time, so tests and users may change it), else Argos' default."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env)
    return Path(argos_module("settings").package_data_dir)


def argos_module(name: str):
    """`argostranslate.<name>`, or a one-line error saying how to install it.

    scripts/setup.sh installs argostranslate with --no-deps (requirements/argostranslate.txt: its declared
    dependencies pull torch, stanza and spaCy for a translate() we never call), so a bare `pip install .` has
    everything but argostranslate, and an argostranslate upgrade could need something more at import."""
    import importlib

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


def _read_package(path: Path) -> InstalledPackage | None:
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


def _check_archive(archive: Path, zf: zipfile.ZipFile) -> str:
    """Refuse anything that could write outside the packages folder or fill the disk; return the top folder."""
    total = compressed = 0
    tops = set()
    for info in zf.infolist():
        name = info.filename
        posix = PurePosixPath(name)
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in posix.parts or "\\" in name:
            raise ModelError(f"{archive}: refused, entry {name!r} points outside the package; get the package from a trusted source")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ModelError(f"{archive}: refused, entry {name!r} is a symbolic link; get the package from a trusted source")
        total += info.file_size
        compressed += info.compress_size
        if info.file_size > BOMB_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(1, info.compress_size):
            ratio = info.file_size // max(1, info.compress_size)
            raise ModelError(f"{archive}: refused, entry {name!r} expands {ratio}× (zip bomb?); get the package from a trusted source")
        if posix.parts:
            tops.add(posix.parts[0])
    if total > MAX_UNPACKED_BYTES:
        raise ModelError(f"{archive}: refused, it would unpack to {total / 1024**3:.1f} GB")
    if total > BOMB_MIN_BYTES and total > MAX_COMPRESSION_RATIO * max(1, compressed):
        # many entries, each under the per-entry threshold, that together expand like a bomb
        raise ModelError(f"{archive}: refused, it expands {total // max(1, compressed)}× (zip bomb?); get the package from a trusted source")
    if len(tops) != 1:
        raise ModelError(f"{archive}: not an Argos package (expected one top folder, found {len(tops)}); check the file")
    top = tops.pop()
    names = set(zf.namelist())
    for required in ("metadata.json",):
        if f"{top}/{required}" not in names:
            raise ModelError(f"{archive}: not an Argos package (no {top}/{required}); check the file")
    return top


def _mb(size: int) -> str:
    return f"{size / 1024**2:.0f} MB" if size >= 1024**2 else f"{max(1, round(size / 1024))} kB"


def _check_space(archive: Path, zf: zipfile.ZipFile, folder: Path) -> None:
    needed = sum(info.file_size for info in zf.infolist())
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if needed + SPACE_MARGIN_BYTES > free:
        raise ModelError(
            f"{archive}: not enough disk space in {folder}: the package unpacks to {_mb(needed)} and "
            f"{_mb(SPACE_MARGIN_BYTES)} are kept free besides (needs {_mb(needed + SPACE_MARGIN_BYTES)}, "
            f"{_mb(free)} free); free some space or set ARGOS_PACKAGES_DIR to another disk"
        )


def _unwritable(archive: Path, folder: Path, exc: OSError) -> ModelError:
    why = exc.strerror or str(exc)
    return ModelError(
        f"{archive}: cannot write to the packages folder {folder} ({why}); make it writable or set "
        f"ARGOS_PACKAGES_DIR to a folder you can write to"
    )


def damaged_model_error(archive: Path, package: InstalledPackage, exc: Exception) -> ModelError:
    """The model inside a package file that unpacked cleanly cannot be loaded: the file itself is damaged."""
    if package.demo:
        fresh = "build a new one with `translate models build-demo`"
    else:
        fresh = (
            f"get a fresh copy from the Argos index (`translate models install --from-index {package.from_code} "
            f"{package.to_code}` when online) or from wherever this file came from"
        )
    return ModelError(f"{archive}: damaged package, its model cannot be loaded ({exc}); this file will not install: {fresh}")


def install_package_file(archive: Path, verify: bool = True) -> InstalledPackage:
    """Install a .argosmodel the way Argos does (unzip into the packages folder), but checked and atomic.

    Nothing is written before every entry has been checked (`_check_archive`); the package is unpacked into a
    hidden staging folder inside the packages folder and renamed into place only once it is complete and, unless
    `verify` is false, its model has been seen to translate into the language its metadata declares
    (`verify.verify_package`). The packages folder is checked to be writable (by creating the staging folder)
    before its free space is, so a read-only folder is reported as such.
    """
    if not archive.is_file():
        raise ModelError(f"{archive}: no such file; give the path of a .argosmodel package")
    if not zipfile.is_zipfile(archive):
        raise ModelError(f"{archive}: not an Argos package (not a zip archive); download it again")
    target_root = packages_dir()
    try:
        with zipfile.ZipFile(archive) as zf:
            top = _check_archive(archive, zf)
            try:
                target_root.mkdir(parents=True, exist_ok=True)
                staging = Path(tempfile.mkdtemp(prefix=".install-", dir=target_root))
            except OSError as exc:
                raise _unwritable(archive, target_root, exc) from exc
            try:
                _check_space(archive, zf, target_root)
                zf.extractall(staging)
                unpacked = staging / top
                package = _read_package(unpacked)
                if package is None:
                    raise ModelError(f"{archive}: metadata.json is not a translation package's; check the file")
                for needed in ("model/model.bin", "sentencepiece.model"):
                    if not (unpacked / needed).is_file():
                        raise ModelError(f"{archive}: incomplete package, {needed} is missing; download it again")
                from pipeline.translation.engine.verify import MARKER, verify_package

                (unpacked / MARKER).unlink(missing_ok=True)  # only our own check may vouch for a package
                if verify:
                    verify_package(package, str(archive), archive=archive)
                destination = target_root / top
                if destination.exists():
                    shutil.rmtree(destination)
                os.replace(unpacked, destination)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        # bad CRC, a damaged deflate stream ("invalid distance too far back"), a cut-off entry, an unknown method
        raise ModelError(f"{archive}: corrupt package ({exc or type(exc).__name__}); download it again") from exc
    except OSError as exc:
        raise ModelError(f"{archive}: cannot install into {target_root} ({exc.strerror or exc})") from exc
    installed = _read_package(destination)
    assert installed is not None
    return installed


def install_from_index(from_code: str, to_code: str) -> InstalledPackage:
    """Download a package from the Argos index (needs the network) and install it with the same checks."""
    argos_package = argos_module("package")
    settings = argos_module("settings")

    # update_package_index() logs and returns on a network error; get_available_packages() then recurses
    # forever when no index was ever downloaded, so the index file is checked first.
    import logging

    logging.getLogger("argostranslate.utils").setLevel(logging.CRITICAL)  # our one-line error says it all
    argos_package.update_package_index()
    if not Path(settings.local_package_index).exists():
        available, reason = [], "the Argos package index cannot be reached (offline?)"
    else:
        try:
            available = [
                p for p in argos_package.get_available_packages() if p.from_code == from_code and p.to_code == to_code
            ]
        except (OSError, ValueError) as exc:
            available, reason = [], f"the local copy of the index is unreadable ({exc})"
        else:
            reason = "no such package in the index"
    if not available:
        raise ModelError(
            f"Cannot install {from_code}→{to_code} from the Argos index: {reason}; "
            f"download translate-{from_code}_{to_code}.argosmodel on a connected machine and run "
            f"`translate models install FILE`"
        )
    try:
        downloaded = Path(available[0].download())
    except Exception as exc:  # argostranslate raises bare Exception on a failed download
        raise ModelError(f"Download of {from_code}→{to_code} failed ({exc}); try again or install from a file") from exc
    return install_package_file(downloaded)

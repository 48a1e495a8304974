"""Argos Translate packages: where they live, which one serves a language, and safe installation.

We use `argostranslate.package` (fast to import) for the package format and the index, never
`argostranslate.translate` (imports spaCy/stanza, and downloads a sentence model at first use).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ModelError

# Project language code → Argos target codes to try, in order, with the script converter each needs.
TARGET_CODES: dict[str, list[tuple[str, str | None]]] = {
    "zh-TW": [("zt", None), ("zh", "s2twp")],
    "zh-CN": [("zh", None)],
    "ja": [("ja", None)],
}

LANGUAGE_NAMES = {"zh-TW": "繁體中文", "zh-CN": "简体中文", "ja": "日本語", "en": "English"}

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
    from argostranslate import settings

    return Path(settings.package_data_dir)


def _read_package(path: Path) -> InstalledPackage | None:
    metadata_file = path / "metadata.json"
    try:
        metadata = json.loads(metadata_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        return None
    from_code, to_code = metadata.get("from_code"), metadata.get("to_code")
    if not isinstance(from_code, str) or not isinstance(to_code, str):
        return None
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


def installed_packages(directory: Path | None = None) -> list[InstalledPackage]:
    """Translation packages in the packages folder; folders that are not packages are skipped."""
    directory = directory or packages_dir()
    if not directory.is_dir():
        return []
    found = []
    for child in sorted(directory.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            package = _read_package(child)
            if package is not None:
                found.append(package)
    return found


def find_package(lang: str, from_code: str = "en") -> tuple[InstalledPackage, str | None]:
    """The package that translates into project language `lang`, and the script converter it needs."""
    candidates = TARGET_CODES.get(lang, [(lang, None)])
    # A real model always wins over a self-built demo copy model for the same pair.
    installed = sorted(installed_packages(), key=lambda p: p.demo)
    for to_code, converter in candidates:
        for package in installed:
            if package.from_code == from_code and package.to_code == to_code:
                return package, converter
    wanted = " or ".join(f"{from_code}→{code}" for code, _ in candidates)
    raise ModelError(
        f"No Argos package for {lang} ({wanted}) in {packages_dir()}: "
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


def _check_space(archive: Path, zf: zipfile.ZipFile, folder: Path) -> None:
    needed = sum(info.file_size for info in zf.infolist())
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if needed + SPACE_MARGIN_BYTES > free:
        raise ModelError(
            f"{archive}: not enough disk space in {folder} (needs {needed / 1024**2:.0f} MB, "
            f"{free / 1024**2:.0f} MB free); free some space or set ARGOS_PACKAGES_DIR to another disk"
        )


def install_package_file(archive: Path, verify: bool = True) -> InstalledPackage:
    """Install a .argosmodel the way Argos does (unzip into the packages folder), but checked and atomic.

    Nothing is written before every entry has been checked (`_check_archive`); the package is unpacked into a
    hidden staging folder inside the packages folder and renamed into place only once it is complete and, unless
    `verify` is false, its model has been seen to translate into the language its metadata declares
    (`verify.verify_package`).
    """
    if not archive.is_file():
        raise ModelError(f"{archive}: no such file; give the path of a .argosmodel package")
    if not zipfile.is_zipfile(archive):
        raise ModelError(f"{archive}: not an Argos package (not a zip archive); download it again")
    target_root = packages_dir()
    try:
        target_root.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(archive) as zf:
            top = _check_archive(archive, zf)
            _check_space(archive, zf, target_root)
            staging = Path(tempfile.mkdtemp(prefix=".install-", dir=target_root))
            try:
                zf.extractall(staging)
                unpacked = staging / top
                package = _read_package(unpacked)
                if package is None:
                    raise ModelError(f"{archive}: metadata.json is not a translation package's; check the file")
                for needed in ("model/model.bin", "sentencepiece.model"):
                    if not (unpacked / needed).is_file():
                        raise ModelError(f"{archive}: incomplete package, {needed} is missing; download it again")
                from .verify import MARKER, verify_package

                (unpacked / MARKER).unlink(missing_ok=True)  # only our own check may vouch for a package
                if verify:
                    verify_package(package, str(archive))
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
    from argostranslate import package as argos_package
    from argostranslate import settings

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

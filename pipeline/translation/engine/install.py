"""Installing an Argos Translate package: a .argosmodel file (or one downloaded from the Argos index) checked
entry by entry, unpacked into a staging folder, its model seen to translate into the language it declares
(`verify_package`), then renamed into the packages folder.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from pipeline.core.errors import ModelError
from pipeline.translation.engine.argos import ArgosEngine
from pipeline.translation.engine.base import DecodeOptions
from pipeline.translation.engine.packages import InstalledPackage, argos_module, packages_dir, read_package
from pipeline.translation.engine.verify import MARKER, check_engine

__all__ = ["install_from_index", "install_package_file", "verify_package"]

# A package larger than this when unpacked is refused: real Argos packages are ~100-300 MB.
MAX_UNPACKED_BYTES = 4 * 1024**3
# Model weights barely compress (~1.1×); an entry (or a whole archive) above this many bytes that expands more than
# MAX_COMPRESSION_RATIO times is a zip bomb. The sizes are the ones declared in the archive; Python's zipfile never
# writes more than the declared size of an entry (it stops there and fails the CRC check), so they bound the disk use.
MAX_COMPRESSION_RATIO = 200
BOMB_MIN_BYTES = 10 * 1024**2
# Free space kept on the packages folder's disk beyond the package's unpacked size.
SPACE_MARGIN_BYTES = 64 * 1024**2


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


def install_package_file(archive: Path, verify: bool = True) -> InstalledPackage:
    """Install a .argosmodel the way Argos does (unzip into the packages folder), but checked and atomic.

    Nothing is written before every entry has been checked (`_check_archive`); the package is unpacked into a
    hidden staging folder inside the packages folder and renamed into place only once it is complete and, unless
    `verify` is false, its model has been seen to translate into the language its metadata declares
    (`verify_package`). The packages folder is checked to be writable (by creating the staging folder)
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
                package = read_package(unpacked)
                if package is None:
                    raise ModelError(f"{archive}: metadata.json is not a translation package's; check the file")
                for needed in ("model/model.bin", "sentencepiece.model"):
                    if not (unpacked / needed).is_file():
                        raise ModelError(f"{archive}: incomplete package, {needed} is missing; download it again")
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
    installed = read_package(destination)
    assert installed is not None
    return installed


def install_from_index(from_code: str, to_code: str) -> InstalledPackage:
    """Download a package from the Argos index (needs the network) and install it with the same checks."""
    argos_package = argos_module("package")
    settings = argos_module("settings")

    # update_package_index() logs and returns on a network error; get_available_packages() then recurses
    # forever when no index was ever downloaded, so the index file is checked first.
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


def verify_package(package, where: str, archive: Path | None = None) -> None:
    """Load `package` (an InstalledPackage, installed or still in staging) and check it; ModelError if it lies or
    cannot be loaded. `archive`: the .argosmodel file it is being installed from, named in the errors."""
    options = DecodeOptions(beam_size=1, max_decoding_length=128)
    engine = ArgosEngine(package, package.to_code, None, options, archive=archive)
    check_engine(engine, package, where, archive=archive)

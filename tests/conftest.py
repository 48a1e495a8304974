"""Shared fixtures: identity Argos packages built once per session and installed the way users install them, and
the sample translated with them once per session (each test that uses it works on a copy)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from pipeline.cli import main
from support.paths import GLOSSARY, SAMPLE
from support.review_runs import Run, as_real_model_run, copy_run

# CI explores the same examples on every run, so a change fails CI only for what it broke; a developer's run
# explores new random examples each time (that is how stop 7's CI found the join bug now pinned by an @example).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session", autouse=True)
def no_workspace():
    """The suite runs as in a folder without a workspace, even where a developer's `translate init` (or
    scripts/demo.sh) left a translate.toml above it; the workspace tests (tests/cli/test_workspace_cli.py) lift this."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRANSLATE_NO_WORKSPACE", "1")
        yield


@pytest.fixture(scope="session")
def office_folder(tmp_path_factory) -> Path:
    """A folder laid out as the office's: `glossaries/` holds the tests' frozen copy of the office glossary."""
    folder = tmp_path_factory.mktemp("office")
    shutil.copytree(GLOSSARY, folder / "glossaries")
    return folder


@pytest.fixture(autouse=True)
def _in_the_office_folder(office_folder, monkeypatch):
    """Every test runs in an office folder of its own making, so a command that looks for ./glossaries finds the
    tests' copy, never the repository's glossaries/ (the office's data: an office edit must not turn tests red)."""
    monkeypatch.chdir(office_folder)


@pytest.fixture(scope="session")
def identity_packages(tmp_path_factory) -> dict[str, Path]:
    """.argosmodel files for en→zt and en→ja whose models copy their input exactly."""
    from pipeline.translation.engine.demo_model import build_identity_package

    folder = tmp_path_factory.mktemp("argosmodels")
    training = SAMPLE.read_text(encoding="utf-8")
    return {
        code: build_identity_package(folder / f"translate-en_{code}-test.argosmodel", to_code=code, training_text=training)
        for code in ("zt", "ja")
    }


@pytest.fixture
def argos_dir(tmp_path, monkeypatch) -> Path:
    """An empty ARGOS_PACKAGES_DIR for this test."""
    folder = tmp_path / "argos-packages"
    folder.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


@pytest.fixture
def installed(argos_dir, identity_packages) -> Path:
    """Identity packages installed through `translate models install`."""
    result = CliRunner().invoke(main, ["models", "install", *map(str, identity_packages.values())])
    assert result.exit_code == 0, result.output
    return argos_dir


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    target = tmp_path / "releases" / SAMPLE.name
    target.parent.mkdir()
    shutil.copy(SAMPLE, target)
    return target


@pytest.fixture
def cli():
    def invoke(*args: str):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    """One headless LibreOffice for the session, driven through UNO (see tests/support/libreoffice.py for the ops).

    Skipped WITH THE REASON (soffice missing, python3-uno missing for /usr/bin/python3, soffice did not start) where
    it cannot run; `pytest -ra` (the default addopts) lists the reason in the summary.
    """
    from support.libreoffice import LibreOffice, LibreOfficeUnavailable

    office = LibreOffice(tmp_path_factory.mktemp("libreoffice"))
    try:
        office.start()
    except LibreOfficeUnavailable as why:
        pytest.skip(f"LibreOffice cannot be driven through UNO here: {why}")
    yield office
    office.stop()


@pytest.fixture(scope="session")
def translated(identity_packages, tmp_path_factory) -> Path:
    """The sample translated once per session with the identity packages: an output folder that tests never change;
    copy it (`run`, `real_model_run`, `support.review_runs.copy_run`) to work on it."""
    base = tmp_path_factory.mktemp("translated")
    (base / "argos").mkdir()
    release = base / "releases" / SAMPLE.name
    release.parent.mkdir()
    shutil.copy(SAMPLE, release)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARGOS_PACKAGES_DIR", str(base / "argos"))
        patch.delenv("TRANSLATE_MEMORY", raising=False)
        runner = CliRunner()
        installed = runner.invoke(main, ["models", "install", *map(str, identity_packages.values())])
        assert installed.exit_code == 0, installed.output
        result = runner.invoke(main, ["run", str(release), "--out", str(base / "out"), "--glossary", str(GLOSSARY), "-q"])
        assert result.exit_code == 0, result.output
    return base / "out"


@pytest.fixture
def run(translated, tmp_path, monkeypatch) -> Run:
    """A copy of the translated sample's output folder; a new `translate run` needs the `installed` fixture."""
    monkeypatch.delenv("TRANSLATE_MEMORY", raising=False)
    return copy_run(translated, tmp_path)


@pytest.fixture
def real_model_run(translated, tmp_path, monkeypatch) -> Run:
    """A copy of the translated sample's output folder as a run with a REAL (non-demo) model would leave it."""
    monkeypatch.delenv("TRANSLATE_MEMORY", raising=False)
    return as_real_model_run(copy_run(translated, tmp_path))

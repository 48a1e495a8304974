"""The house rules of issue 18, as tests: the import layering (import-linter's contracts in pyproject.toml) and the
rules no linter states (scripts/house_check.py). Each fails naming what broke the rule."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from support.paths import ROOT


def test_the_house_rules_hold():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "house_check.py")], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 breach(es)" in result.stdout


def test_the_house_check_finds_a_breach(tmp_path, monkeypatch):
    """The checker itself: a test module importing another one, and a private name, are reported."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import house_check
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_a.py").write_text("from test_b import helper\nfrom pipeline.x import _private\n", encoding="utf-8")
    (tests / "test_b.py").write_text("def helper():\n    pass\n", encoding="utf-8")
    monkeypatch.setattr(house_check, "ROOT", tmp_path)
    report = house_check.Report()
    house_check.check_tests(report)
    assert any("imports the test module test_b" in b for b in report.breaches)
    assert any("private name pipeline.x._private" in b for b in report.breaches)


def test_stages_import_only_downward():
    lint_imports = shutil.which("lint-imports", path=str(ROOT / ".venv" / "bin")) or shutil.which("lint-imports")
    if lint_imports is None:
        pytest.skip("import-linter is not installed (scripts/setup.sh installs it with the test extras)")
    result = subprocess.run([lint_imports], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout

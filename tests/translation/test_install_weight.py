"""argostranslate is installed without its translate-time dependencies (requirements/argostranslate.txt).

What that rests on, checked here: `argostranslate.package` and `argostranslate.settings` import, and
`translate models install --from-index` works end to end, with torch, spaCy, stanza, minisbd, onnxruntime and
sacremoses made unimportable -- against a fake Argos index served on 127.0.0.1 (loopback only, bounded).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# argostranslate's declared dependencies that only argostranslate.translate and its sentence splitters use.
TRANSLATE_TIME_ONLY = ("torch", "spacy", "stanza", "minisbd", "onnxruntime", "sacremoses")

# Prepended to a child interpreter: importing any of TRANSLATE_TIME_ONLY raises ImportError, as in a venv set up
# by scripts/setup.sh, even though the shared development venv may still hold them.
BLOCKER = (
    "import sys\n"
    "class _Block:\n"
    f"    names = {TRANSLATE_TIME_ONLY!r}\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name.split('.')[0] in self.names:\n"
    "            raise ImportError(f'{name} is not installed (blocked by the test)')\n"
    "        return None\n"
    "sys.meta_path.insert(0, _Block())\n"
)


def _child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    # argostranslate.settings writes its index and downloads under these: keep them inside the test folder.
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(tmp_path / var.lower())
    env.update(extra)
    return env


def _run_blocked(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCKER + code], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_the_blocker_really_blocks(tmp_path):
    result = _run_blocked("import argostranslate.translate\n", _child_env(tmp_path))
    assert result.returncode != 0 and "blocked by the test" in result.stderr


def test_argostranslate_package_imports_without_translate_time_dependencies(tmp_path):
    code = (
        "import json, argostranslate.package, argostranslate.settings\n"
        "from pipeline.translation.engine.packages import packages_dir\n"
        "print(json.dumps({'dir': str(packages_dir()), 'loaded': sorted(m for m in sys.modules "
        f"if m.split('.')[0] in {TRANSLATE_TIME_ONLY!r})}}))\n"
    )
    result = _run_blocked(code, _child_env(tmp_path, ARGOS_PACKAGES_DIR=str(tmp_path / "pk")))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"dir": str(tmp_path / "pk"), "loaded": []}


def test_pinned_argostranslate_is_the_one_installed():
    """The pin names the version whose imports were read; a venv with another one was not set up by setup.sh."""
    from importlib.metadata import version

    pinned = [line.split("==")[1].strip() for line in (ROOT / "requirements" / "argostranslate.txt").read_text().splitlines()
              if line.startswith("argostranslate==")]
    assert pinned == [version("argostranslate")]


def test_pyproject_does_not_pull_torch():
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower() for d in deps}
    assert not names & {"argostranslate", *TRANSLATE_TIME_ONLY}
    assert {"packaging", "sentencepiece", "ctranslate2"} <= names  # what argostranslate.package and we need


def test_setup_script_installs_argostranslate_without_its_dependencies():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert "--no-deps -r requirements/argostranslate.txt" in setup
    commands = [line for line in setup.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in commands if "torch" in line]


def test_missing_argostranslate_is_a_one_line_error(tmp_path):
    code = (
        "class _NoArgos:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'argostranslate':\n"
        "            raise ImportError('No module named argostranslate')\n"
        "sys.meta_path.insert(0, _NoArgos())\n"
        "sys.argv = ['translate', 'models', 'list']\n"
        "from pipeline.cli import entry\n"
        "entry()\n"
    )
    env = _child_env(tmp_path)
    env.pop("ARGOS_PACKAGES_DIR", None)
    result = _run_blocked(code, env)
    assert result.returncode == 4
    assert "Traceback" not in result.stderr
    assert "argostranslate.settings cannot be imported" in result.stderr
    assert "pip install --no-deps -r requirements/argostranslate.txt" in result.stderr


class _QuietHandler(SimpleHTTPRequestHandler):
    requests: list[str]

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        self.requests.append(self.path)


@pytest.fixture
def fake_index(tmp_path, identity_packages):
    """An Argos index on 127.0.0.1 listing an en→ja package (the identity model) served from the same folder."""
    served = tmp_path / "served"
    served.mkdir()
    archive = served / "translate-en_ja-0_0.argosmodel"
    archive.write_bytes(identity_packages["ja"].read_bytes())
    with zipfile.ZipFile(archive) as zf:
        metadata = json.loads(next(zf.read(n) for n in zf.namelist() if n.endswith("/metadata.json")))
    requests: list[str] = []
    handler = type("Handler", (_QuietHandler,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(served)))
    server.timeout = 5
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    (served / "index.json").write_text(json.dumps([{**metadata, "links": [base + archive.name]}]), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield base, requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_models_install_from_index_works_from_a_local_index(tmp_path, fake_index):
    base, requests = fake_index
    packages = tmp_path / "packages"
    env = _child_env(tmp_path, ARGOS_PACKAGE_INDEX=base, ARGOS_PACKAGES_DIR=str(packages),
                     NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    install = "sys.argv = ['translate', 'models', 'install', '--from-index', 'en', 'ja']\nfrom pipeline.cli import entry\nentry()\n"
    result = _run_blocked(install, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert requests == ["/index.json", "/translate-en_ja-0_0.argosmodel"]
    listed = _run_blocked("sys.argv = ['translate', 'models', 'list']\nfrom pipeline.cli import entry\nentry()\n", env)
    assert listed.returncode == 0, listed.stderr
    assert "serves ja" in listed.stdout
    assert [p.name for p in packages.iterdir() if not p.name.startswith(".")] == ["translate-en_ja-0_0-demo"]


def test_models_install_from_index_names_a_pair_the_index_lacks(tmp_path, fake_index):
    base, requests = fake_index
    env = _child_env(tmp_path, ARGOS_PACKAGE_INDEX=base, ARGOS_PACKAGES_DIR=str(tmp_path / "packages"),
                     NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    code = "sys.argv = ['translate', 'models', 'install', '--from-index', 'en', 'ko']\nfrom pipeline.cli import entry\nentry()\n"
    result = _run_blocked(code, env)
    assert result.returncode == 4
    assert "no such package in the index" in result.stderr and "Traceback" not in result.stderr
    assert requests == ["/index.json"]

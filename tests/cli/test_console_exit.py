"""The `translate` command's fast exit (pipeline.cli.console): the process ends with the command's exit code as
soon as the command is done, with everything it printed delivered, and no tear-down noise on a closed pipe."""

from __future__ import annotations

import subprocess
import sys

from support.paths import ROOT, SAMPLE


def _translate(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, **kwargs)  # fmt: skip


def test_what_the_command_prints_arrives_whole_through_a_pipe(cli):
    # A pipe is block-buffered and the fast exit skips the interpreter's own flush: console() flushes first.
    result = _translate("run", "--help")
    assert result.returncode == 0, result.stderr
    in_process = cli("run", "--help").output
    words = lambda text: text.split("\n", 1)[1].split()  # noqa: E731  (line width and program name aside)
    assert words(result.stdout) == words(in_process) and "Examples" in result.stdout


def test_exit_codes_are_the_commands(tmp_path):
    assert _translate("--help").returncode == 0
    usage = _translate("run", "--no-such-option")
    assert usage.returncode == 2 and "No such option" in usage.stderr
    missing = _translate("review", "import", str(tmp_path / "missing.docx"))
    assert missing.returncode == 3 and "missing.docx" in missing.stderr and "Traceback" not in missing.stderr


def test_a_reader_that_stops_early_leaves_no_noise():
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--help"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    process.stdout.read(10)
    process.stdout.close()  # `translate run --help | head -c 10`
    _, stderr = process.communicate(timeout=120)
    assert b"Traceback" not in stderr and b"Exception ignored" not in stderr, stderr
    assert process.returncode in (0, 1)


def test_the_installed_command_is_the_fast_exit():
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["translate"] == "pipeline.cli:console"
    assert "console()" in (ROOT / "pipeline" / "__main__.py").read_text(encoding="utf-8")
    assert SAMPLE.exists()


def test_text_left_in_a_buffer_is_flushed_before_the_exit():
    import os

    script = (
        "import sys\n"
        "from pipeline import cli\n"
        "@cli.main.command('buffered')\n"
        "def buffered():\n"
        "    print('高雄醫學大學 ' * 50)\n"  # print() into a pipe stays in the buffer until flushed
        "sys.argv = ['translate', 'buffered']\n"
        "cli.console()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # a pipe block-buffered, as by default
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=env)  # fmt: skip
    assert result.returncode == 0 and result.stdout == "高雄醫學大學 " * 50 + "\n", result.stderr


def test_a_failed_or_interrupted_command_exits_the_interpreters_way():
    # Its clean-up may wait for the tear-down (a frame of an interrupted write holding a temporary file): only a
    # command that succeeded skips it.
    script = (
        "import sys, weakref\n"
        "from pipeline import cli\n"
        "class Held:\n"
        "    pass\n"
        "held = Held()\n"
        "weakref.finalize(held, print, 'finalized at tear-down', file=sys.stderr)\n"
        "@cli.main.command('fails')\n"
        "def fails():\n"
        "    sys.exit(6)\n"
        "sys.argv = ['translate', 'fails']\n"
        "cli.console()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 6 and "finalized at tear-down" in result.stderr

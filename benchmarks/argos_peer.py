"""The peer, measured in the repository (issue 23): Argos Translate 1.11 against `translate run`, whole processes.

    .venv/bin/python benchmarks/argos_peer.py                 # 3 pairs of 1 release, 3 pairs of 20 releases
    .venv/bin/python benchmarks/argos_peer.py --pairs 5 --releases 20 --decode-len 32

Sets up, once, Argos Translate 1.11 with all its own dependencies (spaCy, stanza, torch, minisbd, …) in a virtual
environment of its own, benchmarks/.cache/argos-peer/venv (git-ignored; reused while it is there). torch is the
newest CPU build pip can find (PyTorch's CPU index where it answers, else a +cpu wheel the index lists), not the
CUDA build. Both tools then translate the same releases into zh-TW and ja with the same model: the real-shape
package of benchmarks/real_shape_model.py (Transformer base, 32k vocabulary, int8, random weights), installed
into a temporary ARGOS_PACKAGES_DIR that both read; beam 2; every sentence decoded to exactly --decode-len tokens
(random weights would stop anywhere). Each tool keeps its own other settings (threads, batching): a user's run.

- ours: `translate run RELEASES --to zh-TW --to ja` in one process (through _fixed_length_cli.py, which fixes
  the decoding length and lets the model carry the glossary's placeholders through, as a real model does);
  it writes two review .docx files and a manifest per release.
- the peer: one process of _argos_peer_driver.py in the peer's environment: `argostranslate.translate.translate
  (text, "en", code)` per release and language, each result written to a .txt file. Offline: ARGOS_CHUNK_TYPE=SPACY
  with a blank spaCy pipeline where Argos caches its sentence model (so it downloads nothing), its data, cache
  and config folders inside benchmarks/.cache/argos-peer/.

Runs alternate (ours, peer, peer, ours, …) and each pair gives a ratio peer / ours, wall and CPU; the median,
min and max of the pairs are printed, with the load average. Prints one "skipped: …" line and exits 0 where Argos
cannot be installed. The 20 releases are distinct (synthetic_release.distinct_releases): copies of one release
would be translated once by the batching.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from real_shape_model import CACHE, SAMPLE, install_bench_packages  # noqa: E402

PEER = CACHE / "argos-peer"
VENV = PEER / "venv"
READY = PEER / "ready.json"
REQUIREMENT = "argostranslate==1.11.*"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
LANGS = (("zh-TW", "zt"), ("ja", "ja"))


class Skip(Exception):
    """The peer cannot be set up here; the message says why."""


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def _reachable(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except OSError:
        return False


def _pip(python: Path, *args: str) -> None:
    proc = subprocess.run([str(python), "-m", "pip", "install", "-q", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        lines = [line for line in (proc.stderr or proc.stdout).strip().splitlines() if line.strip()]
        raise Skip(f"pip install {' '.join(args)} failed for Python {platform.python_version()}: "
                   f"{lines[-1] if lines else 'exit ' + str(proc.returncode)}")


def _cpu_torch(python: Path, extra: list[str]) -> str:
    """`torch==<newest +cpu version pip lists>`, or plain `torch` where pip lists none."""
    proc = subprocess.run([str(python), "-m", "pip", "index", "versions", "torch", *extra], capture_output=True,
                          text=True)
    for line in proc.stdout.splitlines():
        if line.strip().startswith("Available versions:"):
            cpu = [v.strip() for v in line.split(":", 1)[1].split(",") if v.strip().endswith("+cpu")]
            if cpu:
                return f"torch=={cpu[0]}"
    return "torch"


def peer_env(packages_dir: Path, decode_len: int) -> dict[str, str]:
    """The peer's environment: offline, its folders inside PEER, nothing of the project on its path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(
        ARGOS_PACKAGES_DIR=str(packages_dir), ARGOS_CHUNK_TYPE="SPACY", ARGOS_BEAM_SIZE="2", ARGOS_DEVICE_TYPE="cpu",
        XDG_DATA_HOME=str(PEER / "xdg" / "data"), XDG_CACHE_HOME=str(PEER / "xdg" / "cache"),
        XDG_CONFIG_HOME=str(PEER / "xdg" / "config"), BENCH_DECODE_LEN=str(decode_len),
        BENCH_PEER_CODES=",".join(code for _, code in LANGS),
    )
    return env


def blank_spacy_pipeline(python: Path) -> None:
    """Where Argos 1.11 caches spaCy's xx_sent_ud_sm (networking.cache_spacy: <XDG cache>/argos-translate/spacy,
    downloaded unless spacy/senter/model exists), a blank multilingual pipeline; Argos adds its rule-based
    "sentencizer" to whatever it loads, so this splits sentences at punctuation and needs no download."""
    target = PEER / "xdg" / "cache" / "argos-translate" / "spacy"
    target.parent.mkdir(parents=True, exist_ok=True)
    code = ("import spacy, sys, pathlib; p = pathlib.Path(sys.argv[1]); spacy.blank('xx').to_disk(p); "
            "(p / 'senter' / 'model').mkdir(parents=True, exist_ok=True)")
    subprocess.run([str(python), "-c", code, str(target)], check=True, capture_output=True, text=True)


def ensure_peer() -> dict:
    """The peer's venv, made once (its figures kept in READY); raises Skip where it cannot be made."""
    if READY.is_file() and (VENV / "bin" / "python").is_file():
        return json.loads(READY.read_text(encoding="utf-8"))
    shutil.rmtree(VENV, ignore_errors=True)  # a half-made one from an interrupted set-up
    PEER.mkdir(parents=True, exist_ok=True)
    print(f"setting up the peer in {VENV} (once; minutes) …", flush=True)
    started = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        raise Skip(f"cannot create a virtual environment: {exc}") from exc
    python = VENV / "bin" / "python"
    # stanza needs torch; the public index's Linux torch is the CUDA build (GBs with its nvidia-* wheels): take the
    # newest CPU build pip can see (PyTorch's CPU index where it answers, a local wheel), else pip's choice.
    extra = ["--extra-index-url", CPU_INDEX] if _reachable(CPU_INDEX + "/torch/") else []
    torch = _cpu_torch(python, extra)
    _pip(python, torch, *extra)
    _pip(python, REQUIREMENT)
    seconds = time.perf_counter() - started
    try:
        blank_spacy_pipeline(python)
        versions = subprocess.run(
            [str(python), "-c", "import importlib.metadata as m, json; print(json.dumps({d: m.version(d) for d in "
             "('argostranslate', 'ctranslate2', 'torch', 'spacy', 'stanza', 'minisbd', 'sentencepiece')}))"],
            capture_output=True, text=True, check=True).stdout
    except subprocess.CalledProcessError as exc:
        lines = (exc.stderr or "").strip().splitlines()
        raise Skip(f"the installed peer does not start: {lines[-1] if lines else exc}") from exc
    info = {"versions": json.loads(versions), "install_s": round(seconds, 1), "venv_mb": round(_du_mb(VENV)),
            "torch_from": f"{torch} ({'PyTorch CPU index' if extra else 'PyTorch CPU index unreachable'})",
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    READY.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def measure(cmd: list[str], env: dict, cwd: Path) -> dict:
    """Wall, CPU (user + sys of the process and its children) and peak RSS of one fresh process (_measure.py)."""
    with tempfile.TemporaryDirectory(prefix="peer-measure-") as tmp:
        report = Path(tmp) / "report.json"
        proc = subprocess.run([sys.executable, str(HERE / "_measure.py"), str(report), *cmd], cwd=cwd, env=env,
                              capture_output=True, text=True)
        figures = json.loads(report.read_text()) if report.is_file() else {"rc": proc.returncode}
    if figures.get("rc") != 0:
        raise RuntimeError(f"{Path(cmd[1]).name} failed (exit {figures.get('rc')}): "
                           f"{(proc.stderr or proc.stdout).strip()[-600:]}")
    return {**figures, "stdout": proc.stdout}


def check_outputs(out: Path, releases: list[Path], ours: bool) -> None:
    """Every release got its documents from both tools (no run counts that wrote nothing)."""
    for release in releases:
        for lang, code in LANGS:
            expected = (out / release.stem / f"{release.stem}.{lang}.review.docx" if ours
                        else out / f"{release.stem}.{code}.txt")
            if not expected.is_file() or expected.stat().st_size == 0:
                raise RuntimeError(f"missing output {expected}")


def pairs(name: str, releases: list[Path], n_pairs: int, ours_env: dict, peer_python: Path, env: dict,
          work: Path) -> dict:
    ours_cmd = [sys.executable, str(HERE / "_fixed_length_cli.py"), "run", "--quiet",
                "--glossary", str(ROOT / "glossaries"), *[a for lang, _ in LANGS for a in ("--to", lang)]]
    peer_cmd = [str(peer_python), str(HERE / "_argos_peer_driver.py")]
    runs: dict[str, list[dict]] = {"ours": [], "peer": []}
    for i in range(n_pairs):
        order = ("ours", "peer") if i % 2 == 0 else ("peer", "ours")  # ABBA: drift in load hits both sides
        for side in order:
            out = work / f"{name}-{side}-{i}"
            if side == "ours":
                runs[side].append(measure(ours_cmd + [*map(str, releases), "--out", str(out)], ours_env, ROOT))
            else:
                runs[side].append(measure(peer_cmd + [str(out), *map(str, releases)], env, work))
            check_outputs(out, releases, side == "ours")
            shutil.rmtree(out, ignore_errors=True)
    wall = [p["wall"] / o["wall"] for o, p in zip(runs["ours"], runs["peer"])]
    cpu = [p["cpu"] / o["cpu"] for o, p in zip(runs["ours"], runs["peer"])]
    return {"runs": runs, "wall_ratio": wall, "cpu_ratio": cpu,
            "peer_sentences": json.loads(runs["peer"][0]["stdout"].strip().splitlines()[-1])}


def report(name: str, result: dict) -> None:
    def span(xs, unit="s"):
        return f"{statistics.median(xs):.2f} {unit} ({min(xs):.2f}–{max(xs):.2f})"

    ours, peer = result["runs"]["ours"], result["runs"]["peer"]
    print(f"\n== {name} (both languages, {len(ours)} pairs; median (min–max)) ==")
    for side, runs in (("translate run", ours), ("Argos 1.11   ", peer)):
        print(f"  {side}  wall {span([r['wall'] for r in runs])}   CPU {span([r['cpu'] for r in runs])}   "
              f"peak RSS {statistics.median([r['peak_rss_mib'] for r in runs]):.0f} MiB")
    print(f"  peer / ours:   wall {span(result['wall_ratio'], '×')}   CPU {span(result['cpu_ratio'], '×')}")
    print(f"  sentences the peer sent to the model: {result['peer_sentences']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=3, help="interleaved pairs per comparison (median reported)")
    parser.add_argument("--releases", type=int, default=20,
                        help="distinct releases in the many-releases comparison (0: one release only)")
    parser.add_argument("--decode-len", type=int, default=32, help="fixed decoding length (min = max), both tools")
    parser.add_argument("--json", type=Path, default=PEER / "last-results.json")
    args = parser.parse_args()
    try:
        info = ensure_peer()
    except Skip as exc:
        print(f"argos peer: skipped: {exc}")
        return
    v = info["versions"]
    print(f"peer: argostranslate {v['argostranslate']} (ctranslate2 {v['ctranslate2']}, torch {v['torch']}, spaCy "
          f"{v['spacy']}, stanza {v['stanza']}); venv {info['venv_mb']} MB, set up in {info['install_s']} s "
          f"(torch from {info['torch_from']})")
    print(f"machine: {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
          f"{datetime.now().astimezone().isoformat(timespec='seconds')}; "
          f"load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    from review_bench import compile_tree

    compile_tree(ROOT)  # as scripts/setup.sh does; the peer's venv was byte-compiled by pip
    results: dict = {"peer": info, "loadavg_start": os.getloadavg(), "args": {k: str(v) for k, v in vars(args).items()}}
    with tempfile.TemporaryDirectory(prefix="argos-peer-") as tmp:
        work = Path(tmp)
        packages = work / "packages"
        install_bench_packages(packages)
        ours_env = dict(os.environ, ARGOS_PACKAGES_DIR=str(packages), BENCH_DECODE_LEN=str(args.decode_len),
                        BENCH_KEEP_PLACEHOLDERS="1", PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        env = peer_env(packages, args.decode_len)
        from synthetic_release import distinct_releases

        many = distinct_releases(args.releases, work / "releases")
        python = VENV / "bin" / "python"
        comparisons = [("1 release", [SAMPLE])] + ([(f"{args.releases} distinct releases", many)] if many else [])
        for name, releases in comparisons:
            result = pairs(name.split()[0], releases, args.pairs, ours_env, python, env, work)
            report(name, result)
            results[name] = result
    results["loadavg_end"] = os.getloadavg()
    print(f"\nload average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"raw figures: {args.json}")


if __name__ == "__main__":
    main()

"""Issue 14, the install/start-up half: venv weight and set-up time, glossary CI install, fixed cost of one
invocation split by what it loads, placeholder token cost (stage vs raw CTranslate2 on plain and protected text),
many releases batched into one call per language.

Called by bench.py (sections run in its process, with its engines); also runnable alone:

    /work/main/.venv/bin/python benchmarks/bench_install.py [--install] [--install-before] [--rounds N]

Every comparison alternates its variants round by round in one run (the machine is shared: absolute figures are
noisy, ratios measured side by side are not), and reports medians; CPU seconds are given beside wall seconds
because on a loaded machine wall time is mostly waiting for a core.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def _du_mb(path: Path) -> float:
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total / 1e6


def _tree_copy(dest: Path) -> None:
    """The working tree's tracked and untracked-not-ignored files (what a fresh clone has, plus local edits)."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def _timed(cmd, cwd, env=None) -> tuple[float, int, str]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, proc.returncode, (proc.stdout + proc.stderr)[-2000:]


# ----------------------------------------------------------------------------------------------- install weight


def bench_install(results: dict, before: bool = False) -> None:
    """README's set-up (scripts/setup.sh) in a scratch copy: venv size and time, pip cache warm (a first set-up
    fills it, the second is timed); the glossary CI job's `pip install .`; with `before`, the old set-up
    (argostranslate with its dependencies, CPU torch first) side by side."""
    print("\n== install weight: scripts/setup.sh in a scratch copy (pip cache warm) ==")
    out = results.setdefault("install", {})
    with tempfile.TemporaryDirectory(prefix="bench-install-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        _tree_copy(tree)
        env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
        _timed(["bash", "scripts/setup.sh"], tree, env)  # fills the pip cache
        shutil.rmtree(tree / ".venv")
        seconds, rc, log = _timed(["bash", "scripts/setup.sh"], tree, env)
        size = _du_mb(tree / ".venv")
        check, rc2, _ = _timed([str(tree / ".venv/bin/translate"), "--help"], tree)
        out["setup"] = {"seconds": seconds, "venv_mb": size, "rc": rc, "help_rc": rc2}
        print(f"  setup.sh: {seconds:6.1f} s, .venv {size:6.0f} MB, exit {rc}; translate --help exit {rc2}"
              f"  (target: venv <= 400 MB: {'MET' if size <= 400 and rc == 0 else 'MISSED'})")
        if rc:
            print("  " + log.replace("\n", "\n  "))

        ci = Path(tmp) / "ci-venv"
        subprocess.run([sys.executable, "-m", "venv", str(ci)], check=True)
        seconds, rc, log = _timed([str(ci / "bin/python"), "-m", "pip", "install", "-q", "."], tree, env)
        gc_seconds, gc_rc, _ = _timed([str(ci / "bin/translate"), "glossary", "check", "--format", "github"], tree)
        out["glossary_ci"] = {"seconds": seconds, "venv_mb": _du_mb(ci), "rc": rc, "check_rc": gc_rc}
        print(f"  glossary CI `pip install .`: {seconds:6.1f} s, venv {_du_mb(ci):6.0f} MB, exit {rc}; "
              f"`translate glossary check` exit {gc_rc} ({gc_seconds:.2f} s)  (target < 60 s: "
              f"{'MET' if seconds < 60 and rc == 0 else 'MISSED'})")

        if before:
            old = Path(tmp) / "old-venv"
            subprocess.run([sys.executable, "-m", "venv", str(old)], check=True)
            py = str(old / "bin/python")
            started = time.perf_counter()
            for cmd in (
                [py, "-m", "pip", "install", "-q", "--upgrade", "pip"],
                [py, "-m", "pip", "install", "-q", "torch==2.13.0"],
                [py, "-m", "pip", "install", "-q", "-e", ".[test]"],
                [py, "-m", "pip", "install", "-q", "argostranslate==1.11.0"],  # with its dependencies, as before
            ):
                subprocess.run(cmd, cwd=tree, env=env, capture_output=True)
            seconds = time.perf_counter() - started
            out["before_setup"] = {"seconds": seconds, "venv_mb": _du_mb(old)}
            print(f"  before (argostranslate with its dependencies, CPU torch first): {seconds:6.1f} s, "
                  f"venv {_du_mb(old):6.0f} MB  -> size ratio {out['setup']['venv_mb'] / _du_mb(old):.2f}")


# ----------------------------------------------------------------------------------------------- fixed cost

_PIECES = r"""
import json, os, sys, time
sys.path.insert(0, os.environ["BENCH_ROOT"])
figures = {}
def timed(name, fn):
    w, c = time.perf_counter(), time.process_time()
    value = fn()
    figures[name] = (time.perf_counter() - w, time.process_time() - c)
    return value
def imports():
    import pipeline.cli.run, pipeline.run, pipeline.translation.stage, pipeline.review.write.writer  # noqa
    import ctranslate2, sentencepiece, docx, langdetect, opencc, yaml  # noqa
timed("imports", imports)
from pipeline.cli.run import load_run_glossary
timed("glossary", lambda: load_run_glossary(None))
from pipeline.translation.engine.argos import load_engine
from pipeline.translation.engine.base import DecodeOptions
for lang in ("zh-TW", "ja"):
    timed(f"engine {lang}", lambda: load_engine(lang, DecodeOptions()))
from pipeline import detect
timed("langdetect table", detect._langdetect_factory)
from pipeline.glossary import scripts
timed("OpenCC s2t + t2jp", lambda: (scripts._s2t("国"), scripts._t2jp("國")))
print(json.dumps(figures))
"""


def bench_fixed_cost(env: dict, rounds: int, results: dict) -> None:
    """What one invocation pays outside the stages, split by what it loads (fresh interpreter each round), with
    the derived caches on (now) and off (TRANSLATE_CACHE_DIR="": the langdetect and OpenCC paths as before),
    alternated; then whole `translate run` (one release) and `glossary check`, wall minus the stages."""
    print("\n== fixed cost of one invocation, by what it loads (fresh process; caches on vs off, alternated) ==")
    cache = tempfile.mkdtemp(prefix="bench-cache-")
    variants = {"cached": dict(env, TRANSLATE_CACHE_DIR=cache, BENCH_ROOT=str(ROOT)),
                "no cache": dict(env, TRANSLATE_CACHE_DIR="", BENCH_ROOT=str(ROOT))}
    subprocess.run([sys.executable, "-c", _PIECES], env=variants["cached"], capture_output=True)  # fills the cache
    pieces: dict[str, dict[str, list]] = {name: {} for name in variants}
    for r in range(rounds):
        for name in (list(variants) if r % 2 == 0 else list(variants)[::-1]):
            proc = subprocess.run([sys.executable, "-c", _PIECES], env=variants[name], capture_output=True, text=True)
            if proc.returncode:
                print(proc.stderr[-1500:])
                continue
            for piece, (wall, cpu) in json.loads(proc.stdout.strip().splitlines()[-1]).items():
                pieces[name].setdefault(piece, []).append((wall, cpu))
    out = results.setdefault("fixed_cost", {"pieces": {}})
    print(f"  {'piece':22} {'cached: wall':>13} {'cpu':>7}   {'no cache: wall':>15} {'cpu':>7}")
    for piece in pieces["cached"]:
        row = {}
        for name in variants:
            got = pieces[name].get(piece, [])
            row[name] = (median([w for w, _ in got]), median([c for _, c in got]))
        out["pieces"][piece] = row
        print(f"  {piece:22} {row['cached'][0]:12.3f}s {row['cached'][1]:6.3f}s   {row['no cache'][0]:14.3f}s "
              f"{row['no cache'][1]:6.3f}s")

    # whole commands: wall minus the stages (--timings), alternated
    runs: dict[str, list] = {name: [] for name in variants}
    checks: dict[str, list] = {name: [] for name in variants}
    driver = HERE / "_fixed_length_cli.py"
    with tempfile.TemporaryDirectory(prefix="bench-fixed-") as out_dir:
        for r in range(rounds):
            for name in (list(variants) if r % 2 == 0 else list(variants)[::-1]):
                e = variants[name]
                w, c0 = time.perf_counter(), _children_cpu()
                proc = subprocess.run([sys.executable, str(driver), "run", str(SAMPLE), "--out", out_dir, "--force",
                                       "--quiet", "--timings"], env=e, capture_output=True, text=True, cwd=ROOT)
                wall, cpu = time.perf_counter() - w, _children_cpu() - c0
                stages = sum(float(x) for x in _stage_seconds(proc.stderr))
                runs[name].append((wall, cpu, wall - stages))
                w = time.perf_counter()
                subprocess.run([sys.executable, "-m", "pipeline", "glossary", "check"], env=e, capture_output=True,
                               cwd=ROOT)
                checks[name].append(time.perf_counter() - w)
    shutil.rmtree(cache, ignore_errors=True)
    for name in variants:
        got = runs[name]
        out[name] = {"run_wall": median([g[0] for g in got]), "run_cpu": median([g[1] for g in got]),
                     "run_outside_stages": median([g[2] for g in got]), "glossary_check_wall": median(checks[name])}
    c, n = out["cached"], out["no cache"]
    print(f"  translate run, 1 release: wall {c['run_wall']:.2f} s vs {n['run_wall']:.2f} s, cpu {c['run_cpu']:.2f} s "
          f"vs {n['run_cpu']:.2f} s; outside the stages {c['run_outside_stages']:.2f} s vs "
          f"{n['run_outside_stages']:.2f} s (ratio {c['run_outside_stages'] / n['run_outside_stages']:.2f})")
    print(f"  glossary check: {c['glossary_check_wall']:.2f} s vs {n['glossary_check_wall']:.2f} s "
          f"(ratio {c['glossary_check_wall'] / n['glossary_check_wall']:.2f})")
    print(f"  (target: outside the stages <= 0.8 s: {'MET' if c['run_outside_stages'] <= 0.8 else 'MISSED'} on this "
          f"machine, load average {os.getloadavg()[0]:.1f})")


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _stage_seconds(stderr: str) -> list[str]:
    import re

    return re.findall(r"^\s*\w+: ([0-9.]+) s$", stderr, re.M)


# ----------------------------------------------------------------------------------------------- placeholders


def bench_placeholders(engines: dict, segments, glossary, options, rounds: int, results: dict) -> None:
    """Raw CTranslate2 on the plain sources vs on the sources protected with each placeholder form, and the stage
    with the form chosen per model; source tokens per variant."""
    from pipeline.translation.placeholders import form_costs, styles_for
    from pipeline.translation.protect import STYLES
    from pipeline.translation.stage import translate_segments

    print("\n== placeholders: raw CTranslate2 on plain vs protected text; the stage with the chosen form ==")
    translatable = [s for s in segments if not s.verbatim]
    out = results.setdefault("placeholders", {})
    for lang, engine in engines.items():
        translator, sp = engine._translator, engine._sp
        kwargs = dict(beam_size=options.beam_size, max_batch_size=options.max_batch_size, max_input_length=0,
                      max_decoding_length=options.max_decoding_length, min_decoding_length=options.min_decoding_length)
        chosen = styles_for(engine)
        texts = {"plain": [s.source for s in translatable]}
        for style in STYLES:
            engine._placeholder_styles = (style, *[s for s in STYLES if s is not style])
            probe = _Recorder(engine)
            translate_segments(segments, lang, probe, glossary)
            texts[f"protected {style.name}"] = probe.first or texts["plain"]
        engine._placeholder_styles = chosen
        tokens = {name: sp.encode(t, out_type=str) for name, t in texts.items()}
        counts = {name: sum(map(len, t)) for name, t in tokens.items()}
        times: dict[str, list[float]] = {name: [] for name in tokens}
        translator.translate_batch(tokens["plain"], **kwargs)
        names = list(tokens)
        for r in range(rounds):
            for name in names[r % len(names):] + names[: r % len(names)]:
                started = time.process_time()
                translator.translate_batch(tokens[name], **kwargs)
                times[name].append(time.process_time() - started)
        plain = median(times["plain"])
        entry = {"chosen": [s.name for s in chosen], "tokens": counts,
                 "cpu": {n: median(t) for n, t in times.items()},
                 "costs": {c.style.name: {"pieces": c.pieces, "survives": c.survives} for c in form_costs(engine)}}
        out[lang] = entry
        print(f"[{lang}] chosen order {entry['chosen']}; probe costs {entry['costs']}")
        for name in names:
            print(f"  raw, {name:22} {counts[name]:5d} tokens ({counts[name] / counts['plain']:.2f}×)  "
                  f"cpu {median(times[name]):.3f} s ({median(times[name]) / plain:.2f}× plain)")


class _Recorder:
    def __init__(self, engine):
        self._engine, self.first = engine, None

    def __getattr__(self, name):
        return getattr(self._engine, name)

    @property
    def joiner(self):
        return self._engine.joiner

    def translate(self, texts):
        if self.first is None:
            self.first = list(texts)
        return list(texts)  # a copy: every placeholder survives, one call


# ----------------------------------------------------------------------------------------------- batching


def short_releases(n: int, per_release: int = 4):
    """`n` short releases made of the sample's sentences, each with its own number in it (no two texts equal, so
    nothing is deduplicated): a press office's many short notices."""
    from dataclasses import replace

    from pipeline.core.release import TEXT, Span
    from pipeline.source.ingest import read_release
    from pipeline.source.segment import segment_release

    base = [s for s in segment_release(read_release(SAMPLE)).segments if not s.verbatim_spans() and not s.verbatim]
    releases = []
    for k in range(n):
        picked = [base[(k * per_release + j) % len(base)] for j in range(per_release)]
        release = []
        for s in picked:
            source = s.source.rstrip(".") + f" (notice {k + 1})."
            release.append(replace(s, source=source, spans=[Span(0, len(source), TEXT)]))
        releases.append(release)
    return releases


def bench_batching(engines: dict, glossary, rounds: int, results: dict, n_releases: int = 20) -> None:
    """The run's translate work for many short releases: release by release (one call per language each) vs
    pipeline/translation/batching.py (the first calls of a chunk's releases merged into one per language), alternated."""
    from bench import CountingEngine

    from pipeline.translation import batching as prefetch
    from pipeline.core.release import SENTENCE, Paragraph, Release
    from pipeline.run import StageTimes, translate_release

    print(f"\n== many releases: {n_releases} short releases, release by release vs merged first calls ==")
    releases = [Release(Path(f"notice-{k}.txt"), [" ".join(s.source for s in segs)], "en", 1.0,
                        [Paragraph(1, SENTENCE, segs)]) for k, segs in enumerate(short_releases(n_releases))]
    # random weights: placeholders carried through as a real model does (see bench.py CountingEngine)
    counted = {lang: CountingEngine(engine, keep_placeholders=True) for lang, engine in engines.items()}

    def one_by_one():
        for release in releases:
            translate_release(release, counted, glossary, None, StageTimes())

    def merged():
        for release, chunk_engines in prefetch.batched(releases, counted, translate_release, glossary, None,
                                                       StageTimes()):
            translate_release(release, chunk_engines, glossary, None, StageTimes())

    times = {"release by release": [], "merged": []}
    calls = {}
    for r in range(rounds):
        order = [("release by release", one_by_one), ("merged", merged)]
        for name, fn in (order if r % 2 == 0 else order[::-1]):
            before = sum(c.calls for c in counted.values())
            w, c0 = time.perf_counter(), time.process_time()
            fn()
            times[name].append((time.perf_counter() - w, time.process_time() - c0))
            calls[name] = sum(c.calls for c in counted.values()) - before
    a = (median([t[0] for t in times["release by release"]]), median([t[1] for t in times["release by release"]]))
    b = (median([t[0] for t in times["merged"]]), median([t[1] for t in times["merged"]]))
    segments = sum(len(r.segments) for r in releases)
    results["batching"] = {"segments": segments, "releases": n_releases, "one_by_one": a, "merged": b,
                           "calls": calls, "cpu_ratio": a[1] / b[1], "wall_ratio": a[0] / b[0]}
    print(f"  {segments} segments, zh-TW + ja: release by release {a[0]:.2f} s wall / {a[1]:.2f} s cpu "
          f"({calls['release by release']} engine calls); merged {b[0]:.2f} s / {b[1]:.2f} s ({calls['merged']} calls)"
          f" -> merged is {a[1] / b[1]:.2f}× less CPU, {a[0] / b[0]:.2f}× less wall")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--install", action="store_true", help="measure the set-up (scratch venvs, a few minutes)")
    parser.add_argument("--install-before", action="store_true", help="also the old set-up with torch (slow)")
    parser.add_argument("--decode-len", type=int, default=32)
    parser.add_argument("--json", type=Path, default=HERE / ".cache" / "last-results-install.json")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    results: dict = {"loadavg_start": os.getloadavg()}
    if args.install or args.install_before:
        bench_install(results, before=args.install_before)
    from bench import child_env, load_glossary, make_options, sample_segments
    from real_shape_model import install_bench_packages

    packages_dir = Path(tempfile.mkdtemp(prefix="bench-argos-packages-"))
    try:
        install_bench_packages(packages_dir)
        env = child_env(packages_dir, args.decode_len)
        bench_fixed_cost(env, args.rounds, results)
        from pipeline.translation.engine.argos import load_engine

        options = make_options(2, 0, 32, args.decode_len)
        engines = {lang: load_engine(lang, options) for lang in ("zh-TW", "ja")}
        segments, _ = sample_segments()
        glossary = load_glossary()
        bench_placeholders(engines, segments, glossary, options, args.rounds, results)
        bench_batching(engines, glossary, max(2, args.rounds // 2), results)
    finally:
        shutil.rmtree(packages_dir, ignore_errors=True)
    results["loadavg_end"] = os.getloadavg()
    print(f"\nload average: start {results['loadavg_start'][0]:.1f}, end {results['loadavg_end'][0]:.1f}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"raw figures: {args.json}")


if __name__ == "__main__":
    main()

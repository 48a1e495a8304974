"""Speed benchmark for issue #5: the pipeline against raw CTranslate2, startup, many releases, memory.

    /work/venv/bin/python benchmarks/bench.py            # everything, ~4 min on 2 cores
    /work/venv/bin/python benchmarks/bench.py --quick    # fewer rounds, no grid, 10 releases

Uses a model with the real Argos shape and random weights (benchmarks/real_shape_model.py, built once and
cached in benchmarks/.cache/), installed into a temporary ARGOS_PACKAGES_DIR. The decoding length is fixed
(min = max = --decode-len) so every run does the same work. Timings are medians over rounds that
interleave the variants, which evens out a noisy machine. This is a script, not a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from real_shape_model import SAMPLE, Shape, install_bench_packages  # noqa: E402
from synthetic_release import distinct_releases  # noqa: E402

HEAVY = ("torch", "spacy", "stanza", "argostranslate.translate", "ctranslate2", "docx")
ALSO_WATCHED = (
    "argostranslate", "argostranslate.package", "sentencepiece", "numpy", "langdetect", "opencc", "pysbd", "yaml",
    "lxml", "tqdm", "rapidfuzz", "sacrebleu", "translate", "ahocorasick", "charset_normalizer",
)
PAIRS = (("zh-TW", "zt"), ("ja", "ja"))


# ----------------------------------------------------------------------------------------------- helpers


def median(xs):
    return statistics.median(xs)


def fmt_s(xs):
    return f"{median(xs):7.3f} s (min {min(xs):.3f}, max {max(xs):.3f}, n={len(xs)})"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    import ctranslate2
    import sentencepiece

    flags = ""
    try:
        text = Path("/proc/cpuinfo").read_text()
        found = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni") if re.search(rf"\b{f}\b", text)]
        flags = " ".join(found)
    except OSError:
        pass
    return {
        "date": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "cpu_flags": flags,
        "memory": mem,
        "python": platform.python_version(),
        "ctranslate2": ctranslate2.__version__,
        "sentencepiece": sentencepiece.__version__,
        "platform": platform.platform(),
    }


def run_child_rss(cmd, env=None, cwd=ROOT) -> tuple[float, float, str, str, int]:
    """(wall seconds, peak RSS in MiB, stdout, stderr, exit code) of one fresh subprocess (see _measure.py)."""
    with tempfile.TemporaryDirectory(prefix="bench-measure-") as tmp:
        report = Path(tmp) / "report.json"
        proc = subprocess.run([sys.executable, str(HERE / "_measure.py"), str(report), *cmd], cwd=cwd, env=env,
                              capture_output=True, text=True)
        figures = json.loads(report.read_text()) if report.is_file() else {"wall": 0.0, "peak_rss_mib": 0.0, "rc": proc.returncode}
    return figures["wall"], figures["peak_rss_mib"], proc.stdout, proc.stderr, figures["rc"]


def parse_timings(stderr: str) -> dict[str, float]:
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^\s*(\w+): ([0-9.]+) s$", stderr, re.M)}


# ----------------------------------------------------------------------------------------------- inputs


def sample_segments():
    """The sample's segments through the project's own ingest + segment (a rough split as a fallback)."""
    try:
        from pipeline.source.ingest import read_release
        from pipeline.source.segment import segment_release

        release = segment_release(read_release(SAMPLE))
        return release.segments, "pipeline.source.segment"
    except ImportError:
        from pipeline.core.release import Segment

        text = SAMPLE.read_text(encoding="utf-8")
        sentences = [s for line in text.splitlines() for s in re.split(r"(?<=[.!?])\s+", line.strip()) if s.strip()]
        return [Segment(f"s{i}", "sentence", 1, i, s) for i, s in enumerate(sentences, 1)], "rough regex split"


def load_glossary():
    try:
        from pipeline.cli.run import load_run_glossary

        return load_run_glossary(None)
    except Exception as exc:  # the glossary package may be half-written while others work on it
        print(f"  (no glossary: {type(exc).__name__}: {exc})")
        return None


# ----------------------------------------------------------------------------------------------- engines


class CountingEngine:
    """Wraps an engine; counts calls and texts (to show retries the random model provokes)."""

    def __init__(self, engine, keep_placeholders=False):
        self._engine = engine
        self.info = engine.info
        self.calls = 0
        self.texts = 0
        self.first_call: list[str] | None = None
        self.keep_placeholders = keep_placeholders
        self.seconds = 0.0  # inside the wrapped engine: SentencePiece + CTranslate2 (+ script conversion)

    def __getattr__(self, name):
        return getattr(self._engine, name)

    @property
    def joiner(self):
        return self._engine.joiner

    def translate(self, texts):
        self.calls += 1
        self.texts += len(texts)
        if self.first_call is None:
            self.first_call = list(texts)
        started = time.perf_counter()
        outputs = self._engine.translate(texts)
        self.seconds += time.perf_counter() - started
        if self.keep_placeholders:
            # A real model carries placeholders through; random weights drop them, which sends every
            # protected segment into retry + recovery (3-4× the model work). Appending the source's
            # placeholders to the (full, fixed-length) model output gives the real model's workload.
            from pipeline.translation.protect import STYLES

            outputs = [
                out + "".join(m.group(0) for style in STYLES for m in style.tolerant.finditer(src))
                for src, out in zip(texts, outputs)
            ]
        return outputs


def make_options(beam, threads, batch, decode_len):
    from pipeline.translation.engine.base import DecodeOptions

    return DecodeOptions(
        beam_size=beam, threads=threads, max_batch_size=batch, max_decoding_length=decode_len, min_decoding_length=decode_len
    )


def raw_kwargs(options):
    return dict(
        beam_size=options.beam_size,
        max_batch_size=options.max_batch_size,
        max_input_length=0,
        max_decoding_length=options.max_decoding_length,
        min_decoding_length=options.min_decoding_length,
    )


# ----------------------------------------------------------------------------------------------- sections


def bench_pairs(engines, segments, glossary, options, rounds, results):
    """(a) raw translate_batch, (b) translate_segments, (c) one call per sentence; per language pair."""
    from pipeline.translation.stage import translate_segments

    print("\n== (a) raw translate_batch  vs  (b) translate stage  vs  (c) per-sentence loop ==")
    print("  (b)  = translate_segments with the glossary, ArgosEngine; the model's output carries the placeholders")
    print("         through as a real model does (random weights would drop them: see b-worst)")
    print("  (b0) = translate_segments without glossary: plain ArgosEngine, nothing wrapped")
    print("  (b-worst) = every placeholder lost (random output as is): retry + recovery calls")
    translatable = [s for s in segments if not s.verbatim]
    for lang, engine in engines.items():
        translator, sp = engine._translator, engine._sp
        # The texts the stage really sends (sources with placeholders where glossary terms/verbatim spans are).
        probe = CountingEngine(engine, keep_placeholders=True)
        translate_segments(segments, lang, probe, glossary)
        texts = probe.first_call or [s.source for s in translatable]
        tokens = sp.encode(texts, out_type=str)
        n_tokens = sum(len(t) for t in tokens)
        kwargs = raw_kwargs(options)
        kept = CountingEngine(engine, keep_placeholders=True)
        worst = CountingEngine(engine)

        variants = {  # name: (function, rounds)
            "a_raw": (lambda: translator.translate_batch(tokens, **kwargs), rounds),
            "b_stage": (lambda: translate_segments(segments, lang, kept, glossary), rounds),
            "b0_no_glossary": (lambda: translate_segments(segments, lang, engine, None), rounds),
            "c_loop": (
                lambda: [
                    sp.decode_pieces(translator.translate_batch([sp.encode(t, out_type=str)], **kwargs)[0].hypotheses[0])
                    for t in texts
                ],
                max(2, rounds - 2),
            ),
        }
        if glossary is not None:
            variants["b_worst"] = (lambda: translate_segments(segments, lang, worst, glossary), 2)
        times = {name: [] for name in variants}
        translator.translate_batch(tokens, **kwargs)  # warm-up (allocations, caches)
        names = list(variants)
        for r in range(rounds):  # interleaved and rotated, so other processes' load hits every variant alike
            for name in names[r % len(names):] + names[: r % len(names)]:
                fn, n = variants[name]
                if len(times[name]) < n:
                    started = time.perf_counter()
                    fn()
                    times[name].append(time.perf_counter() - started)
        a, b, c = median(times["a_raw"]), median(times["b_stage"]), median(times["c_loop"])
        b0 = median(times["b0_no_glossary"])
        entry = {
            "segments": len(texts),
            "source_tokens": n_tokens,
            "times": times,
            "b_over_a_throughput": a / b,
            "b0_over_a_throughput": a / b0,
            "c_over_b_time": c / b,
            "b_engine_calls_texts": (kept.calls / rounds, kept.texts / rounds),
        }
        if "b_worst" in times:
            entry["b_worst_engine_calls_texts"] = (worst.calls / 2, worst.texts / 2)
            entry["b_worst_over_a_throughput"] = a / median(times["b_worst"])
        results.setdefault("pairs", {})[lang] = entry
        print(f"\n[{lang}] {len(texts)} segments, {n_tokens} source tokens, decode {options.max_decoding_length} tokens, "
              f"beam {options.beam_size}, batch {options.max_batch_size}, threads {options.threads or os.cpu_count()}")
        print(f"  (a)  raw translate_batch    {fmt_s(times['a_raw'])}  {len(texts) / a:5.1f} seg/s")
        print(f"  (b)  translate_segments     {fmt_s(times['b_stage'])}  {len(texts) / b:5.1f} seg/s"
              f"  [{kept.calls / rounds:.0f} call, {kept.texts / rounds:.0f} texts]")
        print(f"  (b0) stage, no glossary     {fmt_s(times['b0_no_glossary'])}  {len(texts) / b0:5.1f} seg/s")
        if "b_worst" in times:
            bw = median(times["b_worst"])
            print(f"  (b-worst) placeholders lost {fmt_s(times['b_worst'])}  {len(texts) / bw:5.1f} seg/s"
                  f"  [{worst.calls / 2:.0f} calls, {worst.texts / 2:.0f} texts]")
        print(f"  (c)  per-sentence loop      {fmt_s(times['c_loop'])}  {len(texts) / c:5.1f} seg/s")
        print(f"  throughput (b)/(a) = {a / b:.3f}, (b0)/(a) = {a / b0:.3f}  (target >= 0.9: {'MET' if a / b >= 0.9 else 'MISSED'})")
        print(f"  time (c)/(b) = {c / b:.2f}×  (target >= 3: {'MET' if c / b >= 3 else 'MISSED'})")


def bench_run_inprocess(engines, glossary, rounds, results, load_seconds):
    """(d) the whole `translate run` for zh-TW and ja, in-process, split by stage."""
    from pipeline.run import StageTimes, run_releases

    print("\n== (d) whole run (in-process run_releases, zh-TW + ja, sample release, placeholders carried through) ==")
    walls, splits, in_engine = [], [], []
    cold = None
    engines = {lang: CountingEngine(engine, keep_placeholders=True) for lang, engine in engines.items()}
    for r in range(rounds + 1):
        for engine in engines.values():
            engine.seconds = 0.0
        with tempfile.TemporaryDirectory(prefix="bench-out-") as out:
            times = StageTimes()
            started = time.perf_counter()
            run_releases([SAMPLE], engines, Path(out), glossary=glossary, times=times)
            wall = time.perf_counter() - started
        if r == 0:  # first release in the process: lazy imports (python-docx, langdetect profiles) land here
            cold = (wall, dict(times.seconds))
            continue
        walls.append(wall)
        splits.append(dict(times.seconds))
        in_engine.append(sum(engine.seconds for engine in engines.values()))
    stages = list(splits[0])
    split = {stage: median([s.get(stage, 0.0) for s in splits]) for stage in stages}
    total = median(walls)
    print(f"  model load (both languages, once): {load_seconds:.3f} s")
    print(f"  first release in the process (cold): {cold[0]:.3f} s: "
          + ", ".join(f"{k} {v:.3f}" for k, v in cold[1].items()))
    print(f"  run_releases wall, warm: {fmt_s(walls)}")
    for stage in stages:
        print(f"    {stage:>10}: {split[stage]:7.3f} s  {100 * split[stage] / total:5.1f} %")
    other = total - sum(split.values())
    print(f"    {'(unlisted)':>10}: {other:7.3f} s  {100 * other / total:5.1f} %")
    model = median(in_engine)
    print(f"  inside the engine (SentencePiece + CTranslate2): {model:.3f} s = {100 * model / total:.1f} % of the run; "
          f"the pipeline's own work: {total - model:.3f} s")
    results["run_inprocess"] = {"wall": walls, "split_median": split, "model_load_s": load_seconds, "cold": cold,
                                "in_engine": in_engine}
    return total


def bench_language_check(engines, options, rounds, results):
    """What `load_engine`'s language check (verify.check_engine: 3 smoke sentences + detection) costs a real package.

    Benchmark packages are exempt from the check (their output is random), so it is timed here directly: the
    smoke sentences through the engine with a fixed decoding length of 20 tokens (a real model's translation of
    these 10-word sentences is ~12-20 tokens) with the run's beam size, then detect_language on the output."""
    import dataclasses

    from pipeline.source.detect import detect_language
    from pipeline.translation.engine.verify import SMOKE_SENTENCES

    engine = next(iter(engines.values()))
    saved = engine.options
    engine.options = dataclasses.replace(saved, max_decoding_length=20, min_decoding_length=20)
    try:
        ts = []
        for _ in range(rounds):
            started = time.perf_counter()
            outputs = engine.translate(list(SMOKE_SENTENCES))
            detect_language(" ".join(outputs))
            ts.append(time.perf_counter() - started)
    finally:
        engine.options = saved
    print(f"\n== load-time language check (verify.check_engine), per language and run ==\n  {fmt_s(ts)}")
    results["language_check_s"] = ts


def child_env(packages_dir, decode_len):
    env = dict(os.environ)
    env["ARGOS_PACKAGES_DIR"] = str(packages_dir)
    env["BENCH_DECODE_LEN"] = str(decode_len)
    env["BENCH_KEEP_PLACEHOLDERS"] = "1"  # see _fixed_length_cli.py
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def bench_startup(env, rounds, results):
    print("\n== startup: `translate --help` in a fresh interpreter ==")
    cmd = [sys.executable, "-m", "pipeline", "--help"]
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)  # warm the .pyc and page caches
    walls, rss = [], []
    for _ in range(rounds):
        wall, peak, out, err, rc = run_child_rss(cmd, env=env)
        if rc != 0:
            print(f"  --help failed (exit {rc}): {err.strip()[-500:]}")
            results["help"] = {"error": err[-2000:]}
            return
        walls.append(wall)
        rss.append(peak)
    bare = []
    for _ in range(rounds):
        wall, *_ = run_child_rss([sys.executable, "-c", "pass"], env=env)
        bare.append(wall)
    probe = (
        "import sys\n"
        "sys.argv = ['translate', '--help']\n"
        "import io, contextlib\n"
        "from pipeline.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main.main()\n    except SystemExit:\n        pass\n"
        f"print(','.join(m for m in {HEAVY + ALSO_WATCHED!r} if m in sys.modules))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    imported = [m for m in loaded.stdout.strip().split(",") if m]
    heavy = [m for m in imported if m in HEAVY]
    # Culprits: the slowest top-level imports (cumulative µs) under -X importtime.
    imp = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipeline", "--help"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    rows = []
    for line in imp.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), len(m.group(3)) // 2, m.group(4)))
    top_level = sorted((r for r in rows if r[1] <= 1), reverse=True)[:8]
    med = median(walls)
    print(f"  wall: {fmt_s(walls)}   (bare `python -c pass`: {median(bare):.3f} s)   peak RSS {median(rss):.0f} MiB")
    print(f"  target <= 0.3 s: {'MET' if med <= 0.3 else 'MISSED'}")
    print(f"  heavy modules imported by --help: {', '.join(heavy) or 'none'}  (checked: {', '.join(HEAVY)})")
    print(f"  other watched modules imported: {', '.join(m for m in imported if m not in HEAVY) or 'none'}")
    print("  slowest imports (cumulative, -X importtime):")
    for cumulative, depth, name in top_level:
        print(f"    {cumulative / 1000:7.1f} ms  {'  ' * depth}{name}")
    results["help"] = {
        "wall": walls, "bare_python": bare, "peak_rss_mib": median(rss), "heavy_imported": heavy,
        "watched_imported": imported, "slowest_imports_ms": [(n, c / 1000) for c, _, n in top_level],
    }


def bench_cli_runs(env, n_releases, rounds, results):
    """The real CLI in a fresh process: one release vs N releases in one invocation; wall and peak RSS."""
    print(f"\n== `translate run` subprocess: 1 release vs {n_releases} distinct releases in one invocation (zh-TW + ja) ==")
    driver = [sys.executable, str(HERE / "_fixed_length_cli.py"), "run", "--quiet", "--timings"]
    with tempfile.TemporaryDirectory(prefix="bench-releases-") as tmp:
        tmp = Path(tmp)
        many = tmp / "many"
        # Distinct releases: copies of the sample would be translated once by the batching (issue 23).
        distinct_releases(n_releases, many)
        one_walls, one_rss, one_timings = [], [], []

        def one_release(r):
            wall, peak, _, err, rc = run_child_rss(driver + [str(SAMPLE), "--out", str(tmp / f"out-one-{r}")], env=env)
            if rc != 0:
                raise RuntimeError(f"1-release run failed (exit {rc}): {err.strip()[-800:]}")
            one_walls.append(wall)
            one_rss.append(peak)
            one_timings.append(parse_timings(err))

        try:
            # Single-release runs before and after the long one, so drift in machine load hits both sides.
            for r in range(rounds):
                one_release(r)
            wall_many, rss_many, _, err, rc = run_child_rss(driver + [str(many), "--out", str(tmp / "out-many")], env=env)
            if rc != 0:
                raise RuntimeError(f"{n_releases}-release run failed (exit {rc}): {err.strip()[-800:]}")
            many_timings = parse_timings(err)
            for r in range(rounds, 2 * rounds):
                one_release(r)
        except RuntimeError as exc:
            print(f"  {exc}")
            results["cli"] = {"error": str(exc)}
            return
    one = median(one_walls)
    per_release_many = wall_many / n_releases
    ratio = one / per_release_many
    one_stage = {k: median([t.get(k, 0.0) for t in one_timings]) for k in one_timings[0]}
    stage_ratio_num = sum(one_stage.values())
    stage_ratio_den = sum(many_timings.values()) / n_releases
    print(f"  1 release:   wall {fmt_s(one_walls)}   peak RSS {median(one_rss):.0f} MiB")
    print("               stages: " + ", ".join(f"{k} {v:.3f}" for k, v in one_stage.items()))
    print(f"  {n_releases} releases: wall {wall_many:.3f} s = {per_release_many:.3f} s/release   peak RSS {rss_many:.0f} MiB")
    print("               stages per release: " + ", ".join(f"{k} {v / n_releases:.3f}" for k, v in many_timings.items()))
    print(f"  throughput {n_releases} releases / 1 release (wall, incl. startup + model load): {ratio:.2f}×  "
          f"(target >= 0.9: {'MET' if ratio >= 0.9 else 'MISSED'})")
    print(f"  throughput per release, staged work only (excl. startup/model load): {stage_ratio_num / stage_ratio_den:.2f}×")
    results["cli"] = {
        "one_walls": one_walls, "one_peak_rss_mib": median(one_rss), "one_stage": one_stage,
        "n_releases": n_releases, "many_wall": wall_many, "many_peak_rss_mib": rss_many, "many_stage": many_timings,
        "throughput_ratio_wall": ratio, "throughput_ratio_stages": stage_ratio_num / stage_ratio_den,
    }


def bench_grid(packages, segments, decode_len, rounds, results):
    """threads × max_batch_size × beam on the sample's segments (raw translate_batch: (b) tracks it within a few %)."""
    import ctranslate2
    import sentencepiece

    print("\n== grid: threads × max_batch_size × beam (raw translate_batch, sample segments, zt model) ==")
    package = packages["zt"]
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package.sentencepiece_model))
    texts = [s.source for s in segments if not s.verbatim]
    tokens = sp.encode(texts, out_type=str)
    # Two copies of the release: a batch of 40 sentences, so batch sizes 32 and 64 differ (one release of
    # ~20 segments fits in any batch >= 32; the stage makes one call per release and language).
    tokens3 = tokens * 2
    grid, cpu_time = {}, {}
    for threads in (1, 2):
        translator = ctranslate2.Translator(str(package.model_dir), device="cpu", compute_type="auto",
                                            inter_threads=1, intra_threads=threads)
        for beam in (1, 2, 4):
            for batch in (8, 16, 32, 64):
                kwargs = dict(beam_size=beam, max_batch_size=batch, max_input_length=0,
                              max_decoding_length=decode_len, min_decoding_length=decode_len)
                ts = []
                for _ in range(rounds):
                    started, cpu = time.perf_counter(), time.process_time()
                    translator.translate_batch(tokens3, **kwargs)
                    ts.append((time.perf_counter() - started, time.process_time() - cpu))
                grid[(threads, beam, batch)], cpu_time[(threads, beam, batch)] = min(ts)  # best of `rounds`
        del translator
    print(f"  seconds (best of {rounds}) for {len(tokens3)} segments (2 × the sample), decode {decode_len} tokens; seg/s in brackets")
    print("  threads beam |" + "".join(f"   batch {b:<3}      " for b in (8, 16, 32, 64)))
    for threads in (1, 2):
        for beam in (1, 2, 4):
            row = "".join(f" {grid[(threads, beam, b)]:6.2f} ({len(tokens3) / grid[(threads, beam, b)]:5.1f}) "
                          for b in (8, 16, 32, 64))
            print(f"  {threads:>7} {beam:>4} |{row}")
    two = [cpu_time[k] / grid[k] for k in grid if k[0] == 2]
    print(f"  CPU seconds / wall seconds with 2 threads: {median(two):.2f} (2.0 = both cores ours; ~1.0 = another "
          f"process held the second core, and 2 threads then only add synchronisation)")
    for beam in (1, 2, 4):
        best = min((k for k in grid if k[1] == beam), key=grid.get)
        print(f"  beam {beam}: fastest threads={best[0]} batch={best[2]} ({grid[best]:.2f} s)")
    results["grid"] = {f"threads={t} beam={bm} batch={bs}": v for (t, bm, bs), v in grid.items()}
    results["grid_cpu"] = {f"threads={t} beam={bm} batch={bs}": v for (t, bm, bs), v in cpu_time.items()}
    results["grid_segments"] = len(tokens3)


def bench_glossary_10k(results):
    script = HERE / "glossary_10k.py"
    if not script.is_file():
        print("\n== 10k-entry glossary: benchmarks/glossary_10k.py not there yet (another helper's) ==")
        return
    print("\n== 10k-entry glossary (benchmarks/glossary_10k.py) ==")
    proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    tail = (proc.stdout + proc.stderr).strip().splitlines()[-25:]
    for line in tail:
        print("  " + line)
    results["glossary_10k"] = {"exit": proc.returncode, "output_tail": tail}


# ----------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="rounds for (a)/(b)/(c) (median reported)")
    parser.add_argument("--decode-len", type=int, default=32, help="fixed decoding length (min = max)")
    parser.add_argument("--beam-size", type=int, default=None, help="default: the CLI's default")
    parser.add_argument("--threads", type=int, default=None, help="default: the CLI's default (0: one per core)")
    parser.add_argument("--batch-size", type=int, default=None, help="default: the CLI's default")
    parser.add_argument("--releases", type=int, default=50, help="releases in the many-releases run")
    parser.add_argument("--no-grid", action="store_true")
    parser.add_argument("--quick", action="store_true", help="3 rounds, 10 releases, no grid")
    parser.add_argument("--no-review", action="store_true", help="skip the review documents section (review_bench.py)")
    parser.add_argument("--json", type=Path, default=HERE / ".cache" / "last-results.json")
    parser.add_argument("--install", action="store_true", help="also set up scratch venvs (bench_install.py; minutes)")
    parser.add_argument("--install-before", action="store_true", help="--install plus the old torch set-up (slow)")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.releases, args.no_grid = 3, 10, True

    from pipeline.translation.engine.base import DecodeOptions

    defaults = DecodeOptions()
    beam = args.beam_size or defaults.beam_size
    threads = defaults.threads if args.threads is None else args.threads
    batch = args.batch_size or defaults.max_batch_size

    started_all = time.perf_counter()
    from review_bench import compile_tree

    compile_tree(ROOT)  # as scripts/setup.sh does: no process of the benchmark compiles pipeline/ from source
    results: dict = {"machine": machine(), "args": vars(args) | {"json": str(args.json)}}
    m = results["machine"]
    print(f"machine: {m['nproc']} CPU(s), {m['cpu']} [{m['cpu_flags']}], {m['memory']}, Python {m['python']}, "
          f"ctranslate2 {m['ctranslate2']}, {m['date']}")
    shape = Shape()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other processes share these cores)")
    results["loadavg_start"] = os.getloadavg()
    print(f"model: Transformer base {shape.layers}+{shape.layers} layers, d_model {shape.d_model}, {shape.heads} heads, "
          f"FFN {shape.ffn}, vocab {shape.vocab} ({shape.sp_vocab} SentencePiece pieces), {shape.quantization}, random weights")

    packages_dir = Path(tempfile.mkdtemp(prefix="bench-argos-packages-"))
    try:
        started = time.perf_counter()
        packages = install_bench_packages(packages_dir, shape=shape)
        print(f"packages installed in {packages_dir} ({time.perf_counter() - started:.1f} s incl. any build)")

        segments, how = sample_segments()
        print(f"segments: {len(segments)} from {SAMPLE.name} ({how}); "
              f"{sum(1 for s in segments if s.verbatim)} verbatim (not translated)")
        glossary = load_glossary()
        entries = len(getattr(glossary, "entries", []) or []) if glossary is not None else 0
        where = "none" if glossary is None else f"{getattr(glossary, 'path', '?')} ({entries} entries)"
        print(f"glossary: {where}")
        results["glossary"] = None if glossary is None else str(getattr(glossary, "path", "?"))

        from pipeline.translation.engine.argos import load_engine

        options = make_options(beam, threads, batch, args.decode_len)
        started = time.perf_counter()
        engines = {lang: load_engine(lang, options) for lang, _ in PAIRS}
        load_seconds = time.perf_counter() - started
        results["options"] = vars(options)

        bench_pairs(engines, segments, glossary, options, args.rounds, results)
        bench_run_inprocess(engines, glossary, max(3, args.rounds // 2), results, load_seconds)
        bench_language_check(engines, options, args.rounds, results)
        import bench_install  # issue 14: placeholders on plain vs protected text, many releases merged

        bench_install.bench_placeholders(engines, segments, glossary, options, args.rounds, results)
        bench_install.bench_batching(engines, glossary, max(2, args.rounds // 2), results)
        del engines

        env = child_env(packages_dir, args.decode_len)
        bench_startup(env, args.rounds, results)
        bench_install.bench_fixed_cost(env, args.rounds, results)
        if args.install or args.install_before:
            bench_install.bench_install(results, before=args.install_before)
        bench_cli_runs(env, args.releases, 2, results)
        if not args.no_grid:
            bench_grid(packages, segments, args.decode_len, 2, results)
        bench_glossary_10k(results)
        if not args.no_review:
            from review_bench import bench_review  # issue 14: review write curve, review import, publish

            bench_review(results, quick=args.quick, plot=HERE / "review-write-curve.svg")
    finally:
        shutil.rmtree(packages_dir, ignore_errors=True)

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nbenchmark process peak RSS: {own:.0f} MiB (two engines loaded); total benchmark time "
          f"{time.perf_counter() - started_all:.0f} s")
    results["bench_peak_rss_mib"] = own
    results["loadavg_end"] = os.getloadavg()
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    summary(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"raw figures: {args.json}")


def summary(results) -> None:
    print("\n== targets ==")
    rows = []
    for lang, entry in results.get("pairs", {}).items():
        r = entry["b_over_a_throughput"]
        rows.append((f"[{lang}] stage >= 0.9× raw CTranslate2 throughput", f"{r:.3f}×", r >= 0.9))
        rows.append((f"[{lang}] stage >= 3× faster than per-sentence loop", f"{entry['c_over_b_time']:.2f}×",
                     entry["c_over_b_time"] >= 3))
    if "wall" in results.get("help", {}):
        h = median(results["help"]["wall"])
        rows.append(("`translate --help` <= 0.3 s", f"{h:.3f} s", h <= 0.3))
        rows.append(("--help imports none of " + ", ".join(HEAVY), ", ".join(results["help"]["heavy_imported"]) or "none",
                     not results["help"]["heavy_imported"]))
    if "throughput_ratio_wall" in results.get("cli", {}):
        c = results["cli"]
        rows.append((f"{c['n_releases']} releases >= 0.9× per-release throughput of one",
                     f"{c['throughput_ratio_wall']:.2f}× (staged work only {c['throughput_ratio_stages']:.2f}×)",
                     c["throughput_ratio_wall"] >= 0.9))
    from review_bench import summary_rows

    rows += summary_rows(results)
    for what, value, ok in rows:
        print(f"  {'MET   ' if ok else 'MISSED'} {what}: {value}")
    results["targets"] = [{"target": w, "value": v, "met": ok} for w, v, ok in rows]


if __name__ == "__main__":
    main()

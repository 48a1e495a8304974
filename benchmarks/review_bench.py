"""Review documents at scale (issue 14): the code before against this checkout, alternated in one run.

    /work/main/.venv/bin/python benchmarks/review_bench.py            # ~10-25 min on 2 busy cores
    /work/main/.venv/bin/python benchmarks/review_bench.py --quick    # write curve to 2,000, import at 200 rows

* Write curve: one review document of N synthetic segments (benchmarks/synthetic_release.py: the sample's
  paragraphs repeated, glossary terms and verbatim spans as a real run has them) written by
  `write_review_docx` in a fresh process (_write_probe.py); seconds and CPU seconds of the write alone, per
  segment, and the process's peak RSS; N = 20 … 10,000.
* Review import and publish: a run folder of N rows written by the tree's own `write_release` (both languages),
  10 % of each document's rows edited in the target cell (_review_probe.py); then `translate review import` of
  both documents (fresh copy of the folder each round) and `translate publish --allow-unreviewed`, each a whole
  process (start-up included), measured by _measure.py (wall, CPU, peak RSS).

"Before" is BEFORE (main just before the issue-14 writer and scoring changes), unpacked with `git archive` into
a temporary folder and run with the same interpreter; "after" is this checkout. Variants alternate round by round
so that other processes' load hits both alike; CPU seconds are the robust figure on a shared machine.
This is a script, not a timed test.
"""

from __future__ import annotations

import argparse
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
BEFORE = "042ceb8c6e97cfa54a2fdbd5019a50953f55a31f"  # main before "Review writer linear and lean" (issue 14)
WRITE_SIZES = (1, 20, 200, 1000, 2000, 5000, 10000)
QUICK_WRITE_SIZES = (1, 20, 200, 1000, 2000)
ROWS = (200, 2000)
QUICK_ROWS = (200,)
LANGS = ("zh-TW", "ja")


def unpack(rev: str, into: Path) -> Path | None:
    """`rev`'s pipeline/, samples/ and glossaries/ under `into` (None if git cannot give them)."""
    into.mkdir(parents=True, exist_ok=True)
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "pipeline", "samples", "glossaries"],
                                 capture_output=True, check=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        print(f"  (no 'before' tree: git archive {rev[:10]} failed: {exc})")
        return None
    return into


def measure(cmd: list[str], env: dict, cwd: Path) -> dict:
    """Wall, CPU (user + sys) and peak RSS of one fresh process, through the bare launcher _measure.py."""
    with tempfile.TemporaryDirectory(prefix="review-bench-") as tmp:
        report = Path(tmp) / "report.json"
        proc = subprocess.run([sys.executable, str(HERE / "_measure.py"), str(report), *cmd], cwd=cwd, env=env,
                              capture_output=True, text=True)  # fmt: skip
        figures = json.loads(report.read_text()) if report.is_file() else {"wall": 0.0, "peak_rss_mib": 0.0, "rc": -1}
    figures.update(stdout=proc.stdout, stderr=proc.stderr)
    if figures["rc"] != 0:
        print(f"  ! exit {figures['rc']}: {' '.join(cmd[-4:])}\n{proc.stderr[-800:]}")
    return figures


def compile_tree(tree: Path) -> None:
    """Byte-compile a tree's pipeline/ as scripts/setup.sh does, so that neither side of a comparison compiles
    its source in every process (PYTHONDONTWRITEBYTECODE would otherwise keep Python from caching it)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "pipeline")], check=False,
                   capture_output=True)  # fmt: skip


def child_env(tree: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONHASHSEED="0")
    env.pop("TRANSLATE_MEMORY", None)
    return env


def _med(xs):
    return statistics.median(xs) if xs else float("nan")


# ----------------------------------------------------------------------------------------------- write curve


def write_curve(trees: dict[str, Path], sizes, rounds: int, scratch: Path, results: dict) -> None:
    print("\n== review document write: time per segment and peak RSS, 20 … 10,000 segments (zh-TW) ==")
    print("   write_review_docx in a fresh process; seconds of the write alone; peak RSS of the whole process")
    curve: dict[str, dict[int, dict]] = {name: {} for name in trees}
    for n in sizes:
        runs = {name: [] for name in trees}
        k = 1 if n >= 5000 else rounds
        for r in range(k):
            order = list(trees) if r % 2 == 0 else list(reversed(trees))
            for name in order:
                out = scratch / f"write-{name}-{n}.docx"
                probe = measure([sys.executable, str(HERE / "_write_probe.py"), str(trees[name]), str(n), "zh-TW", str(out)],
                                child_env(trees[name]), scratch)  # fmt: skip
                try:
                    runs[name].append(json.loads(probe["stdout"].strip().splitlines()[-1]))
                except (ValueError, IndexError):
                    runs[name].append({"seconds": float("nan"), "cpu_seconds": float("nan"), "peak_rss_mib": probe["peak_rss_mib"]})
                out.unlink(missing_ok=True)
        line = f"  {n:>6} segments:"
        for name in trees:
            xs = runs[name]
            entry = {
                "seconds": _med([x["seconds"] for x in xs]),
                "cpu_seconds": _med([x.get("cpu_seconds", float("nan")) for x in xs]),
                "peak_rss_mib": max(x["peak_rss_mib"] for x in xs),
                "rounds": len(xs),
            }
            entry["ms_per_segment"] = 1000 * entry["seconds"] / n
            entry["cpu_ms_per_segment"] = 1000 * entry["cpu_seconds"] / n
            curve[name][n] = entry
            line += (f"  {name}: {entry['ms_per_segment']:6.2f} ms/seg (cpu {entry['cpu_ms_per_segment']:5.2f}),"
                     f" peak {entry['peak_rss_mib']:6.0f} MiB")  # fmt: skip
        print(line, flush=True)
    # The cost of a segment: (T(N) - T(1)) / (N - 1), a one-segment document's time being the fixed cost of any
    # document (template, header block, save: ~40 ms CPU). Flat means it does not grow with the table.
    for name, c in curve.items():
        if 1 in c:
            for n, e in c.items():
                if n > 1:
                    e["cpu_ms_per_segment_marginal"] = 1000 * (e["cpu_seconds"] - c[1]["cpu_seconds"]) / (n - 1)
                    e["ms_per_segment_marginal"] = 1000 * (e["seconds"] - c[1]["seconds"]) / (n - 1)
    results["review_write"] = {name: {str(n): e for n, e in c.items()} for name, c in curve.items()}
    for name, c in curve.items():
        marginal = {n: e["cpu_ms_per_segment_marginal"] for n, e in c.items() if n >= 200 and "cpu_ms_per_segment_marginal" in e}
        if not marginal:
            continue
        print(f"  {name}: CPU ms per added segment (minus a 1-segment document's {1000 * c[1]['cpu_seconds']:.0f} ms): "
              + ", ".join(f"{n:,}: {v:.2f}" for n, v in marginal.items()))  # fmt: skip
        if name == "after":
            middle = statistics.median(marginal.values())
            spread = max(abs(v / middle - 1) for v in marginal.values())
            results["review_write_flatness"] = {"max_deviation_from_median": spread, "sizes": list(marginal)}
            print(f"  after: largest deviation from the median {middle:.2f} ms: {100 * spread:.0f} % (target ±20 %)")


def plot_curve(results: dict, path: Path) -> Path | None:
    """Two panels (CPU ms per segment, peak RSS) against segments on a log axis, as a plain SVG (no plotting
    library in the project's dependencies)."""
    import math

    curve = results.get("review_write") or {}
    series = {name: sorted((int(n), e) for n, e in (curve.get(name) or {}).items()) for name in ("before", "after")}
    points = [p for s in series.values() for p in s]
    if not points:
        return None
    width, height, pad = 420, 300, 55
    colours = {"before": "#c0392b", "after": "#1f6fb2"}
    xs = [n for n, _ in points]
    lo, hi = math.log10(min(xs)), math.log10(max(xs))
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * width}" height="{height + 30}" font-family="sans-serif" font-size="11">',
           f'<text x="{width}" y="16" text-anchor="middle" font-size="13">Review document write (zh-TW): before and after issue 14</text>']  # fmt: skip
    for panel, (key, label) in enumerate((("cpu_ms_per_segment", "CPU ms per segment"), ("peak_rss_mib", "peak RSS, MiB"))):
        x0, y0 = panel * width + pad, 30
        w, h = width - pad - 15, height - pad - 10
        top = max(e[key] for _, e in points) * 1.1 or 1
        if key == "peak_rss_mib":
            top = max(top, 650)
        def px(n):  # noqa: E306
            return x0 + (math.log10(n) - lo) / ((hi - lo) or 1) * w
        def py(v):  # noqa: E306
            return y0 + h - v / top * h
        svg.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#888"/>')
        svg.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 32}" text-anchor="middle">segments (log scale)</text>')
        svg.append(f'<text x="{x0 - 40}" y="{y0 + h / 2}" transform="rotate(-90 {x0 - 40} {y0 + h / 2})" text-anchor="middle">{label}</text>')
        for n in sorted(set(xs)):
            svg.append(f'<text x="{px(n):.1f}" y="{y0 + h + 14}" text-anchor="middle">{n:,}</text>')
        for k in range(5):
            v = top * k / 4
            svg.append(f'<text x="{x0 - 4}" y="{py(v) + 4:.1f}" text-anchor="end">{v:.0f}</text>' if top > 20 else
                       f'<text x="{x0 - 4}" y="{py(v) + 4:.1f}" text-anchor="end">{v:.1f}</text>')  # fmt: skip
        if key == "peak_rss_mib":
            svg.append(f'<line x1="{x0}" x2="{x0 + w}" y1="{py(600):.1f}" y2="{py(600):.1f}" stroke="#999" stroke-dasharray="4 3"/>')
            svg.append(f'<text x="{x0 + w - 4}" y="{py(600) - 4:.1f}" text-anchor="end" fill="#777">target 600 MiB</text>')
        for i, (name, pts) in enumerate(series.items()):
            if not pts:
                continue
            path_d = " ".join(f"{'M' if j == 0 else 'L'}{px(n):.1f},{py(e[key]):.1f}" for j, (n, e) in enumerate(pts))
            svg.append(f'<path d="{path_d}" fill="none" stroke="{colours[name]}" stroke-width="2"/>')
            svg += [f'<circle cx="{px(n):.1f}" cy="{py(e[key]):.1f}" r="3" fill="{colours[name]}"/>' for n, e in pts]
            svg.append(f'<text x="{x0 + 8}" y="{y0 + 16 + 14 * i}" fill="{colours[name]}">{name}</text>')
    svg.append("</svg>")
    path.write_text("\n".join(svg) + "\n", encoding="utf-8")
    print(f"  plot: {path}")
    return path


# ----------------------------------------------------------------------------------------------- import + publish


def import_publish(trees: dict[str, Path], rows_list, rounds: int, scratch: Path, results: dict) -> None:
    print("\n== review import (both languages, 10 % of rows edited) and publish: whole processes ==")
    table: dict[str, dict] = {}
    for rows in rows_list:
        prepared = {}
        for name, tree in trees.items():
            folder = scratch / f"prepared-{name}-{rows}"
            probe = subprocess.run([sys.executable, str(HERE / "_review_probe.py"), str(tree), str(rows), str(folder)],
                                   env=child_env(tree), cwd=scratch, capture_output=True, text=True)  # fmt: skip
            if probe.returncode != 0:
                print(f"  ! preparing {name} {rows} rows failed:\n{probe.stderr[-800:]}")
                continue
            prepared[name] = folder
        runs = {name: {"import": [], "publish": []} for name in prepared}
        k = rounds if rows < 2000 else max(1, rounds - 1)
        for r in range(k):
            order = list(prepared) if r % 2 == 0 else list(reversed(prepared))
            for name in order:
                work = scratch / f"work-{name}-{rows}"
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(prepared[name], work)
                release = next(p for p in work.iterdir() if p.is_dir())
                docs = [str(next(release.glob(f"*.{lang}.review.docx"))) for lang in LANGS]
                env = child_env(trees[name])
                # Trees with explicit approval (an OK? column) keep unmarked rows as drafts: approve them all, as a
                # reviewer who read every row would, so that publish has a whole release to write.
                approve = ["--approve-all"] if "approve-all" in (trees[name] / "pipeline/cli/review.py").read_text() else []
                imported = measure([sys.executable, "-m", "pipeline", "review", "import", *docs, "--quiet", *approve],
                                   env, work)  # fmt: skip
                published = measure([sys.executable, "-m", "pipeline", "publish", str(release), "--allow-unreviewed"],
                                    env, work)  # fmt: skip
                runs[name]["import"].append(imported)
                runs[name]["publish"].append(published)
        entry = {}
        for name, kinds in runs.items():
            entry[name] = {
                kind: {
                    "wall": _med([m["wall"] for m in ms]),
                    "cpu": _med([m.get("cpu", float("nan")) for m in ms]),
                    "peak_rss_mib": max(m["peak_rss_mib"] for m in ms),
                    "rounds": len(ms),
                    "ok": all(m["rc"] == 0 for m in ms),
                }
                for kind, ms in kinds.items()
            }
        table[str(rows)] = entry
        for kind in ("import", "publish"):
            line = f"  {kind:>7} {rows:>5} rows:"
            for name in entry:
                e = entry[name][kind]
                line += f"  {name}: wall {e['wall']:6.2f} s, cpu {e['cpu']:6.2f} s, peak {e['peak_rss_mib']:4.0f} MiB"
            if {"before", "after"} <= set(entry):
                b, a = entry["before"][kind]["cpu"], entry["after"][kind]["cpu"]
                line += f"  → cpu before/after {b / a:.1f}×" if a else ""
            print(line, flush=True)
    results["review_import_publish"] = table


# ----------------------------------------------------------------------------------------------- entry points


def bench_review(results: dict, *, quick: bool = False, before: str = BEFORE, rounds: int = 3, plot: Path | None = None) -> None:
    """Every section above into `results` (bench.py calls this)."""
    with tempfile.TemporaryDirectory(prefix="review-bench-") as tmp:
        scratch = Path(tmp)
        trees = {}
        old = unpack(before, scratch / "before")
        if old is not None:
            trees["before"] = old
        trees["after"] = ROOT
        for tree in trees.values():
            compile_tree(tree)
        results["review_before_rev"] = before
        write_curve(trees, QUICK_WRITE_SIZES if quick else WRITE_SIZES, rounds, scratch, results)
        import_publish(trees, QUICK_ROWS if quick else ROWS, rounds, scratch, results)
    if plot is not None:
        plot_curve(results, plot)


def summary_rows(results: dict) -> list[tuple[str, str, bool]]:
    """(target, value, met) rows for bench.py's summary."""
    rows = []
    flat = results.get("review_write_flatness")
    after = (results.get("review_write") or {}).get("after") or {}
    if flat:
        spread = flat["max_deviation_from_median"]
        rows.append((f"review write CPU per segment flat ±20 % over {min(flat['sizes'])} … {max(flat['sizes'])} segments",
                     f"±{100 * spread:.0f} %", spread <= 0.2))  # fmt: skip
    if "10000" in after:
        peak = after["10000"]["peak_rss_mib"]
        rows.append(("review write peak RSS at 10,000 segments <= 600 MiB", f"{peak:.0f} MiB", peak <= 600))
    imported = ((results.get("review_import_publish") or {}).get("2000") or {}).get("after", {}).get("import")
    if imported:
        rows.append(("review import of 2,000 rows (both languages) <= 5 s", f"wall {imported['wall']:.2f} s, cpu "
                     f"{imported['cpu']:.2f} s", imported["wall"] <= 5))  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="write curve to 2,000 segments; import/publish at 200 rows")
    parser.add_argument("--before", default=BEFORE, help="git revision of the 'before' code [default: %(default).10s]")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=HERE / ".cache" / "review-results.json")
    parser.add_argument("--plot", type=Path, default=HERE / "review-write-curve.svg")
    args = parser.parse_args()
    started = time.perf_counter()
    results: dict = {"loadavg_start": os.getloadavg()}
    bench_review(results, quick=args.quick, before=args.before, rounds=args.rounds, plot=args.plot)
    results["loadavg_end"] = os.getloadavg()
    print("\n== targets ==")
    for what, value, ok in summary_rows(results):
        print(f"  {'MET   ' if ok else 'MISSED'} {what}: {value}")
    print(f"load average {results['loadavg_start'][0]:.1f} → {results['loadavg_end'][0]:.1f}; "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"raw figures: {args.json}")


if __name__ == "__main__":
    main()

"""Languages side by side (issue 23): paired whole-process runs of `translate run`, printed as ratios.

    .venv/bin/python benchmarks/side_by_side.py                    # 5 pairs (3 for 20 releases), ~15 min
    .venv/bin/python benchmarks/side_by_side.py --rounds 3 --many-rounds 2

Each figure is a pair of fresh processes run one after the other, the order alternating round by round, so that
drift in a shared machine's load hits both sides; the ratio printed is the median of the per-pair ratios. The load
average is printed with each comparison. Wall time and CPU time come from benchmarks/_measure.py (the command's
own, not this script's), as does the peak RSS.

1. both languages vs zh-TW alone, one release: with the identity ("copy") test models (pipeline's demo_model: real
   CTranslate2 models, tiny) and with the real-shape model (benchmarks/real_shape_model.py: Transformer base,
   random weights, decoding fixed at $BENCH_DECODE_LEN tokens);
2. side by side vs one language at a time (--one-language-at-a-time), real-shape model: one release and 20
   distinct releases in one process (the sample's sentences, each made distinct per release: no two releases
   share a segment, so the merged calls translate them all); the 20 releases' manifests of the two are compared;
3. --draft (beam 1) vs the default beam 2, side by side, real-shape model: one release and 20 releases.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from real_shape_model import SAMPLE, build_package  # noqa: E402

GLOSSARY = ROOT / "glossaries"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def measure(cmd: list[str], env: dict) -> dict:
    """wall, cpu (seconds) and peak_rss_mib of one fresh process (benchmarks/_measure.py)."""
    with tempfile.TemporaryDirectory(prefix="side-measure-") as tmp:
        report = Path(tmp) / "report.json"
        proc = subprocess.run([sys.executable, str(HERE / "_measure.py"), str(report), *cmd], cwd=ROOT, env=env,
                              capture_output=True, text=True)  # fmt: skip
        figures = json.loads(report.read_text())
    if figures["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (exit {figures['rc']}): {proc.stderr.strip()[-800:]}")
    return figures


def distinct_releases(folder: Path, count: int) -> Path:
    """`count` releases made from the sample, every sentence of each different from every other release's."""
    folder.mkdir(parents=True)
    paragraphs = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for k in range(count):
        lines = []
        for n, paragraph in enumerate(paragraphs):
            if n == 0:
                lines.append(f"{paragraph.strip()} ({k + 1})")  # the title
                continue
            sentences = re.split(r"(?<!Prof\.)(?<!Dr\.)(?<=[.!?])\s+", paragraph.strip())
            when = [f"In {MONTHS[(k + j) % 12]} {2001 + k}, {sentence}" for j, sentence in enumerate(sentences)]
            lines.append(" ".join(when))
        (folder / f"release-{k:02d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return folder


def install(packages: dict[str, Path], folder: Path) -> None:
    from pipeline.translation.engine.install import install_package_file

    folder.mkdir(parents=True)
    os.environ["ARGOS_PACKAGES_DIR"] = str(folder)
    for archive in packages.values():
        install_package_file(archive)


def environment(packages_dir: Path, fixed_length: bool) -> dict:
    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(packages_dir), PYTHONPATH=str(ROOT))
    if fixed_length:
        env.setdefault("BENCH_DECODE_LEN", "32")
        env["BENCH_KEEP_PLACEHOLDERS"] = "1"  # see _fixed_length_cli.py
    return env


def command(fixed_length: bool, release: Path, out: Path, *options: str) -> list[str]:
    driver = [str(HERE / "_fixed_length_cli.py")] if fixed_length else ["-m", "pipeline"]
    return [sys.executable, *driver, "run", str(release), "--out", str(out), "--glossary", str(GLOSSARY),
            "--no-memory", "--quiet", *options]  # fmt: skip


def paired(name: str, a: tuple[str, list[str]], b: tuple[str, list[str]], env: dict, rounds: int) -> dict:
    """`rounds` pairs of A and B, alternating which goes first; prints B/A as the median of the pairs' ratios."""
    runs = {a[0]: [], b[0]: []}
    load_before = os.getloadavg()[0]
    for r in range(rounds):
        order = (a, b) if r % 2 == 0 else (b, a)
        for label, cmd in order:
            runs[label].append(measure(cmd, env))
    load_after = os.getloadavg()[0]
    ratio = {key: statistics.median(y[key] / x[key] for x, y in zip(runs[a[0]], runs[b[0]]))
             for key in ("wall", "cpu", "peak_rss_mib")}  # fmt: skip
    print(f"\n{name}  (load average {load_before:.2f} → {load_after:.2f}; {rounds} pairs)")
    for label in (a[0], b[0]):
        med = {key: statistics.median(run[key] for run in runs[label]) for key in ("wall", "cpu", "peak_rss_mib")}
        print(f"  {label:<34} wall {med['wall']:6.2f} s   cpu {med['cpu']:6.2f} s   peak RSS {med['peak_rss_mib']:4.0f} MiB")
    print(f"  {b[0]} / {a[0]}: wall {ratio['wall']:.2f}×, cpu {ratio['cpu']:.2f}×, peak RSS {ratio['peak_rss_mib']:.2f}×")
    return {"runs": runs, "ratio": ratio, "load": (load_before, load_after)}


def same_manifests(first: Path, second: Path) -> str:
    """'identical' when every manifest of two output folders holds the same translations and flags."""

    def content(folder: Path) -> dict:
        found = {}
        for path in sorted(folder.rglob("*.manifest.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            for key in ("run_id", "generated_at", "documents", "memory"):
                data.pop(key, None)
            found[path.name] = data
        return found

    a, b = content(first), content(second)
    differing = [name for name in a if a[name] != b.get(name)]
    return f"identical ({len(a)} manifests)" if a == b else f"DIFFERENT: {', '.join(differing[:5])}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--many-rounds", type=int, default=3, help="pairs for the runs of many releases")
    parser.add_argument("--releases", type=int, default=20)
    args = parser.parse_args()
    from pipeline.translation.engine.demo_model import build_identity_package

    with tempfile.TemporaryDirectory(prefix="side-by-side-") as tmp:
        tmp = Path(tmp)
        training = SAMPLE.read_text(encoding="utf-8")
        identity = {code: build_identity_package(tmp / f"translate-en_{code}-copy.argosmodel", to_code=code,
                                                 training_text=training) for code in ("zt", "ja")}  # fmt: skip
        install(identity, tmp / "identity")
        install({code: build_package(code) for code in ("zt", "ja")}, tmp / "real-shape")
        many = distinct_releases(tmp / "many", args.releases)
        print(f"{os.cpu_count()} cores; identity models and the real-shape model; {args.releases} distinct releases")
        counter = iter(range(10**6))

        def out() -> Path:
            return tmp / f"out-{next(counter)}"

        for label, fixed in (("identity models", False), ("real-shape model", True)):
            env = environment(tmp / ("real-shape" if fixed else "identity"), fixed)
            paired(f"both languages vs zh-TW alone, one release, {label}",
                   ("zh-TW alone", command(fixed, SAMPLE, out(), "--to", "zh-TW")),
                   ("zh-TW + ja side by side", command(fixed, SAMPLE, out())), env, args.rounds)  # fmt: skip
        env = environment(tmp / "real-shape", True)
        plans = (("one release", SAMPLE, args.rounds), (f"{args.releases} releases", many, args.many_rounds))
        for what, release, rounds in plans:
            paired(f"side by side vs one language at a time, {what}, real-shape model",
                   ("one language at a time", command(True, release, out(), "--one-language-at-a-time")),
                   ("side by side", command(True, release, out())), env, rounds)  # fmt: skip
        in_turn, side = out(), out()
        for folder, options in ((in_turn, ["--one-language-at-a-time"]), (side, [])):
            measure(command(True, many, folder, *options), env)
        print(f"  {args.releases} releases, manifests one at a time vs side by side: {same_manifests(in_turn, side)}")
        for what, release, rounds in plans:
            paired(f"--draft (beam 1) vs beam 2, side by side, {what}, real-shape model",
                   ("beam 2", command(True, release, out())),
                   ("--draft", command(True, release, out(), "--draft")), env, rounds)  # fmt: skip


if __name__ == "__main__":
    main()

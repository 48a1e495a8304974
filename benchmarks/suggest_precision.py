"""How much of what `translate glossary suggest` lists is a real name the glossary lacks (precision), and how many
of those it finds (recall): on the shared sample (../shared/samples/kmu-kumamoto-mou-2025.txt beside the
repository; skipped, saying so, where it is absent) and the five releases of tests/fixtures/releases/, each
against its hand-made answer key and the fixture glossary (tests/support/suggest_keys.py says how it is scored);
then, apart, the two releases of tests/fixtures/releases/second-set/, written after the rules were settled.

Run:  python benchmarks/suggest_precision.py [--code DIR] [--details]

`--code DIR` runs the suggest of another checkout (e.g. a `git worktree` of an older commit) on the same
releases and keys, for a before/after comparison; `--details` lists each release's junk, misses and wrong
institutions.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.suggest_keys import (  # noqa: E402
    GLOSSARY,
    SECOND_SET,
    SAMPLE_KEY,
    SHARED_SAMPLE,
    Score,
    keyed_releases,
    load_key,
    score,
    total,
)


def suggest(code: Path, releases: list[Path]) -> dict:
    """`translate glossary suggest --format json` of `code`'s checkout on the releases, with the fixture glossary."""
    env = {**os.environ, "PYTHONPATH": str(code), "TRANSLATE_NO_WORKSPACE": "1"}
    command = [sys.executable, "-m", "pipeline", "glossary", "suggest", "--glossary", str(GLOSSARY),
               "--format", "json", *map(str, releases)]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=code)
    if done.returncode != 0:
        sys.exit(f"suggest failed (exit {done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)


def line(s: Score) -> str:
    institutions = f"{s.institutions_right}/{s.institutions_expected}" if s.institutions_expected else "-"
    return (f"{s.release:<28} {s.found:>6} {len(s.hits):>5} {len(s.junk):>5} {len(s.missed):>7} "
            f"{s.precision:>10.0%} {s.recall:>7.0%} {institutions:>13}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose suggest runs (default: this one)")
    parser.add_argument("--details", action="store_true", help="list junk, misses and wrong institutions")
    args = parser.parse_args()
    pairs = [(release, load_key(key)) for release, key in keyed_releases()]
    if SHARED_SAMPLE.is_file():
        pairs.insert(0, (SHARED_SAMPLE, load_key(SAMPLE_KEY)))
    else:
        print(f"shared sample skipped: {SHARED_SAMPLE} not found (it lies beside the repository, in ../shared/)")
    held_out = [(release, load_key(key)) for release, key in keyed_releases(SECOND_SET)]
    results = suggest(args.code.resolve(), [release for release, _ in pairs + held_out])
    scores = [score(release.name, results[str(release)], key) for release, key in pairs]
    unseen = [score(release.name, results[str(release)], key) for release, key in held_out]
    print(f"suggest of {args.code.resolve()} against the hand-made keys (fixture glossary {GLOSSARY.relative_to(ROOT)})")
    print(f"{'release':<28} {'listed':>6} {'hits':>5} {'junk':>5} {'missed':>7} {'precision':>10} {'recall':>7} "
          f"{'institutions':>13}")  # fmt: skip
    for s in scores:
        print(line(s))
    print(line(total(scores)))
    print("second set (written after the rules were settled; see its keys):")
    for s in unseen:
        print(line(s))
    print(line(total(unseen)))
    if args.details:
        for s in scores + unseen:
            print(f"\n{s.release}")
            for label, items in (("junk", s.junk), ("missed", s.missed), ("institution", s.wrong_institutions)):
                for item in items:
                    print(f"  {label}: {item}")


if __name__ == "__main__":
    main()

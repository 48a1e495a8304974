"""How fast is the glossary with a real termbase? Generates a 10,000-entry glossary (the shipped entries plus
generated institution names with variants and abbreviations), then measures, on the sample release:

* load: reading and checking the YAML file (libyaml) and building the Aho-Corasick automaton;
* find: matching every segment-sized line of the release (and the whole text once);
* the same for the CSV and TBX forms of the glossary;
* each without and with the parsed-glossary cache (pipeline/glossary/load.py).

Run:  python benchmarks/glossary_10k.py [--entries 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.glossary import load_glossary  # noqa: E402
from pipeline.glossary.formats import FORMATS  # noqa: E402

SAMPLE = ROOT / "samples" / "kmu-kumamoto-mou-2025.txt"
SHIPPED = ROOT / "glossaries" / "kmu.yaml"

WORDS = (
    "Advanced Applied Biomedical Cancer Cardiac Clinical Community Dental Digital Environmental Genomic Global "
    "Health Immunology Infectious Integrated Life Marine Medical Molecular Neuroscience Nursing Oral Pacific "
    "Pharmacy Precision Public Regional Rehabilitation Research Science Surgical Technology Translational "
    "Tropical Veterinary Wellness"
).split()
HEADS = "University Institute Center Hospital Foundation College Academy Laboratory Society Association".split()
PLACES = (
    "Osaka Kobe Nagoya Sapporo Sendai Fukuoka Hiroshima Okayama Niigata Kanazawa Taipei Tainan Taichung Hsinchu "
    "Chiayi Hualien Busan Daegu Incheon Manila Hanoi Bangkok Penang Cebu Jakarta Surabaya Perth Auckland"
).split()
HANZI = "醫學大研究中心臨床健康科技藥護理生命海洋國際區域公共精準"


def generate(n: int, seed: int = 7) -> list:
    from pipeline.glossary import Entry

    rng = random.Random(seed)
    shipped, _ = FORMATS["yaml"].read(SHIPPED)
    entries = list(shipped)
    seen = {e.english for e in entries}
    i = 0
    while len(entries) < n:
        i += 1
        name = f"{rng.choice(PLACES)} {rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(HEADS)}"
        if rng.random() < 0.5:
            name += f" {i}"
        if name in seen:
            continue
        seen.add(name)
        zh = "".join(rng.choice(HANZI) for _ in range(6)) + str(i)
        ja = "".join(rng.choice(HANZI) for _ in range(6)) + f"第{i}"
        abbreviation = "".join(w[0] for w in name.split() if w[0].isalpha()) + str(i)
        entries.append(
            Entry(
                id=f"gen-{i}",
                english=name,
                variants=[name.replace(" ", "-", 1)] if i % 3 == 0 else [],
                abbreviations={abbreviation: {}} if i % 4 == 0 else {},
                kind="institution",
                status="approved" if i % 5 else "proposed",
                targets={"zh-TW": zh, "ja": ja},
            )
        )
    return entries


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of `repeat` calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = SAMPLE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    entries = generate(args.entries)
    print(f"sample: {SAMPLE.name}, {len(text)} characters, {len(lines)} paragraphs; median of {args.repeat} runs")
    print("load = read + check every entry + build the automaton; find = every paragraph of the release")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("yaml", "csv", "tbx"):
            path = Path(tmp) / f"big.{name}"
            path.write_bytes(FORMATS[name].dumps(entries))
            for label, cache in (("no cache", ""), ("cached", str(Path(tmp) / "cache"))):
                os.environ["TRANSLATE_CACHE_DIR"] = cache

                def load_and_build(path=path):
                    glossary = load_glossary(path)
                    glossary.find("x")  # builds the automaton
                    return glossary

                load_and_build()  # fills the cache for the "cached" row
                load_wall, load_cpu, glossary = timed(load_and_build, args.repeat)
                find_wall, find_cpu, found = timed(
                    lambda g=glossary: [m for line in lines for m in g.find(line)], args.repeat
                )
                print(
                    f"{name:4} {label:8}: {len(glossary.entries)} entries ({path.stat().st_size / 1e6:.1f} MB): "
                    f"load {load_wall * 1000:6.1f} ms (cpu {load_cpu * 1000:6.1f}), "
                    f"find {find_wall * 1000:5.2f} ms ({len(found)} matches); "
                    f"load+find {(load_wall + find_wall) * 1000:6.1f} ms"
                )


if __name__ == "__main__":
    main()

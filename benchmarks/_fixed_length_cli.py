"""`translate` CLI with the decoding length fixed (min = max = $BENCH_DECODE_LEN), for benchmark subprocesses.

The benchmark model has random weights: left alone it would stop at a random </s> or run to 512 tokens, so
every run would do different work. The CLI does not expose min/max decoding length, so this driver changes
the DecodeOptions defaults before handing over to the real entry point; nothing else differs from
`translate ...` (same imports, same code path).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.translation.engine import base  # noqa: E402  (light: dataclasses + the document model)

length = int(os.environ.get("BENCH_DECODE_LEN", "32"))
defaults = list(base.DecodeOptions.__init__.__defaults__)
defaults[-2:] = [length, length]  # max_decoding_length, min_decoding_length
base.DecodeOptions.__init__.__defaults__ = tuple(defaults)
options = base.DecodeOptions()
assert options.max_decoding_length == options.min_decoding_length == length, options

if os.environ.get("BENCH_KEEP_PLACEHOLDERS") == "1":
    # Random weights drop the glossary placeholders, which sends every protected segment through retry and
    # recovery (3 model calls instead of 1). A real model carries them through: append the source's
    # placeholders to the model's (full, fixed-length) output so the run does a real model's work.
    from pipeline.translation.engine.argos import ArgosEngine
    from pipeline.translation.protect import STYLES

    _translate = ArgosEngine.translate

    def translate(self, texts):
        outputs = _translate(self, texts)
        return [
            out + "".join(m.group(0) for style in STYLES for m in style.tolerant.finditer(src))
            for src, out in zip(texts, outputs)
        ]

    ArgosEngine.translate = translate

from pipeline import cli  # noqa: E402

sys.argv[0] = "translate"
getattr(cli, "console", cli.entry)()  # the installed command's own entry point (a tree before `console`: entry)

"""The peer's side of benchmarks/argos_peer.py: Argos Translate's own API, run by the peer's virtual environment.

    <peer venv>/bin/python benchmarks/_argos_peer_driver.py OUT RELEASE.txt [RELEASE.txt ...]

What a user of Argos Translate writes to translate press releases: `argostranslate.translate.translate(text, "en",
code)` once per release and language, each result written to OUT/<release>.<code>.txt. Argos splits the text into
paragraphs and sentences itself (ARGOS_CHUNK_TYPE, set by argos_peer.py) and decodes with its own options
(ARGOS_BEAM_SIZE, batch size, length penalty). One thing is changed, as `_fixed_length_cli.py` changes it for
`translate run`: the benchmark model has random weights, so every decoding is fixed at $BENCH_DECODE_LEN tokens
(min = max) and both tools do the same work per sentence. Prints one JSON line: sentences sent to the model per
target code and CTranslate2 calls.

Runs in the peer's environment only (argostranslate, ctranslate2 and their dependencies); no project import.
"""

import json
import os
import sys
from pathlib import Path

import ctranslate2

LENGTH = int(os.environ.get("BENCH_DECODE_LEN", "32"))
CODES = tuple(os.environ.get("BENCH_PEER_CODES", "zt,ja").split(","))
_Translator = ctranslate2.Translator


class FixedLengthTranslator:
    """ctranslate2.Translator with the decoding length fixed; everything else as Argos asks for it."""

    sentences: dict[str, int] = {}
    calls = 0

    def __init__(self, model_path, *args, **kwargs):
        self._translator = _Translator(model_path, *args, **kwargs)
        self._model = model_path

    def translate_batch(self, source, *args, **kwargs):
        kwargs["max_decoding_length"] = LENGTH
        kwargs["min_decoding_length"] = LENGTH
        FixedLengthTranslator.calls += 1
        counts = FixedLengthTranslator.sentences
        counts[self._model] = counts.get(self._model, 0) + len(source)
        return self._translator.translate_batch(source, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._translator, name)


# argostranslate.translate looks up `ctranslate2.Translator` when it first translates with a package.
ctranslate2.Translator = FixedLengthTranslator

from argostranslate import translate  # noqa: E402  (after the patch: imports spaCy, stanza, torch, minisbd)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name in sys.argv[2:]:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        for code in CODES:
            result = translate.translate(text, "en", code)
            (out / f"{path.stem}.{code}.txt").write_text(result, encoding="utf-8")
    by_code = {Path(model).parent.name: n for model, n in FixedLengthTranslator.sentences.items()}
    print(json.dumps({"sentences": by_code, "calls": FixedLengthTranslator.calls}))


if __name__ == "__main__":
    main()

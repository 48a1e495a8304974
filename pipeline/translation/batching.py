"""Many releases in one run: the first model call of every release in a chunk, made as ONE call per language.

A run translates release by release (pipeline/run/), one batched call per language each. For short releases that call is
small (a 4-sentence notice fills an eighth of a 32-example batch), and CTranslate2 does its best work on full
batches sorted by length: measured 1.7× less CPU for 20 four-sentence releases (benchmarks/RESULTS.md). So before
the releases of a chunk are translated, each is run through the translate stage once with a *recording* engine
that only notes the texts the stage sends and hands them back (every placeholder survives, so exactly the first
call is seen: everything before it is deterministic); all those texts go to the real engine in one call; then each
release is translated as before, by the same code, with an engine that answers from those results and sends
anything else (a retry with the other placeholder form, a recovery call) to the real engine. The stage's logic,
its checks and its flags are untouched; only the first call of each release is merged.

A chunk holds consecutive releases up to CHUNK_SEGMENTS segments, so an archive backfill writes its documents as it
goes (a chunk is translated before any of its releases is written). A run of one release is not chunked at all --
except with languages side by side (side_by_side.py): then a lone release's first call is recorded too, decoded for
every language at once, and answered as that one call (FirstCallAnswered), so the engines see the calls they see
one language after the other.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from pipeline.translation.engine.base import Engine
from pipeline.translation.placeholders import styles_for
from pipeline.translation.side_by_side import translate_each

CHUNK_SEGMENTS = 256  # 8 batches of 32: full batches, and a failure loses little


class _Recording(Engine):
    """Notes the texts of each call and returns them unchanged (a copy model: every placeholder comes back)."""

    def __init__(self, real: Engine):
        self._real = real
        self.info = real.info
        self.calls: list[list[str]] = []

    @property
    def texts(self) -> list[str]:
        return [text for call in self.calls for text in call]

    def translate(self, texts: list[str]) -> list[str]:
        self.calls.append(list(texts))
        return list(texts)

    def max_input_tokens(self):
        return self._real.max_input_tokens()

    def count_tokens(self, text: str) -> int:
        return self._real.count_tokens(text)

    def tokenizes_losslessly(self, text: str) -> bool:
        return self._real.tokenizes_losslessly(text)

    @property
    def joiner(self) -> str:
        return self._real.joiner

    @property
    def _placeholder_styles(self):  # the real engine's choice (placeholders.py), computed once there
        return styles_for(self._real)


class Prefetched(_Recording):
    """Answers texts translated in the chunk's merged call; anything else goes to the real engine."""

    def __init__(self, real: Engine, answers: dict[str, str]):
        super().__init__(real)
        self._answers = answers

    def translate(self, texts: list[str]) -> list[str]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._answers]
        if missing:
            self._answers.update(zip(missing, self._real.translate(missing)))
        return [self._answers[t] for t in texts]

    def align(self, sources: list[str], targets: list[str]):
        return self._real.align(sources, targets)  # tag recovery asks the model itself (marks.py)

    def __getattr__(self, name: str):  # anything else an engine offers, now or later: the real engine's
        return getattr(self._real, name)


class FirstCallAnswered(Prefetched):
    """A lone release side by side: its first call answered with the outputs decoded for exactly those texts (in
    that order, one call: what the real engine would have been sent); every later call goes to the real engine."""

    def __init__(self, real: Engine, texts: list[str], outputs: list[str]):
        super().__init__(real, {})
        self._first: tuple[list[str], list[str]] | None = (texts, outputs) if texts else None

    def translate(self, texts: list[str]) -> list[str]:
        first, self._first = self._first, None
        if first is not None and first[0] == list(texts):
            return list(first[1])
        return self._real.translate(texts)


def _chunks(releases: list) -> Iterator[list]:
    chunk: list = []
    size = 0
    for release in releases:
        chunk.append(release)
        size += len(release.segments)
        if size >= CHUNK_SEGMENTS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def batched(
    releases: list,
    engines: dict[str, Engine],
    record_release: Callable[[object, dict[str, Engine]], object],
    times,
    at_once: int = 1,
) -> Iterator:
    """(release, engines to translate it with) for each release in order; for a chunk of several releases the
    engines answer the first call of each from one merged call per language (made before the chunk's first
    release is yielded). `record_release(release, engines)` runs the translate stage of one release with the
    given (recording) engines, its result and timings thrown away; `times` (run.StageTimes) gets the merged
    calls' seconds as "translate". `at_once` > 1: the merged calls of that many languages run side by side
    (side_by_side.py), and a lone release's first call is merged too."""
    if len(releases) < 2 and at_once < 2:
        for release in releases:
            yield release, engines
        return
    for chunk in _chunks(releases):
        if len(chunk) < 2 and at_once < 2:
            yield chunk[0], engines
            continue
        recorders = {lang: _Recording(engine) for lang, engine in engines.items()}
        for release in chunk:
            record_release(release, recorders)
        lone = len(chunk) < 2
        texts = {
            lang: list(recorder.calls[0]) if lone and recorder.calls else list(dict.fromkeys(recorder.texts))
            for lang, recorder in recorders.items()
        }
        started = time.perf_counter()
        outputs = translate_each(engines, texts, at_once)
        times.add("translate", started)
        if lone:
            proxies = {lang: FirstCallAnswered(engine, texts[lang], outputs.get(lang, [])) for lang, engine in engines.items()}
        else:
            proxies = {lang: Prefetched(engine, dict(zip(texts[lang], outputs.get(lang, [])))) for lang, engine in engines.items()}
        for release in chunk:
            yield release, proxies

"""Target languages side by side: each language's batched model call on its own thread, with its share of the cores.

One CTranslate2 model uses two threads poorly: decoding on 2 threads costs 1.22x the CPU of one thread for the same
work (issue 23). So with two languages on two cores each model gets one thread and the two batched calls run at the
same time (CTranslate2 releases the GIL while it decodes), instead of one model after the other on two threads each.

Only the model call runs in a thread. The translate stage itself (placeholders, memory, retries, recovery, checks)
stays in the main thread, language after language, as before: the run first notes the texts of each release's first
call (batching.py records them with a copy engine), the threads decode those texts, and the stage then finds its
first call answered -- the same texts, in the same order, sent to the same model in one call, so what it writes is
what the one-after-the-other path writes (tests/translation/test_side_by_side.py). Retries and recovery calls go to
the model from the main thread, per language, in order: deterministic.

The models are loaded in the main thread, before any of this: loading them in threads cost 3-4x the CPU.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pipeline.translation.engine.base import Engine


# Side by side, a language's batches are bounded in source tokens, not segments: what a batch holds while it
# decodes (the encoder's output and each decoder layer's attention cache, for every beam) grows with its segments'
# length, and two languages hold two batches at once. --batch-size segments of this many tokens, shared out among
# the languages decoding at once, keep all of them together within what one language at a time held with
# --batch-size segments of this length (20 distinct releases in one process: 572 MiB, against 677 MiB one language at
# a time and 712-737 MiB side by side with 32 segments a batch each; benchmarks/side_by_side.py).
TOKENS_PER_SEGMENT = 64


@dataclass(frozen=True)
class Plan:
    """How a run drives its models: how many languages decode at once (1: one after the other) and how many
    threads each model gets (CTranslate2's intra_threads, fixed when the model is loaded)."""

    languages_at_once: int
    threads_per_model: int

    @property
    def side_by_side(self) -> bool:
        return self.languages_at_once > 1

    def batches(self, batch_size: int) -> tuple[int, str]:
        """CTranslate2's (max_batch_size, batch_type) for each model, given --batch-size: in turn, `batch_size`
        segments; side by side, `batch_size` segments' worth of tokens (TOKENS_PER_SEGMENT) shared out."""
        if not self.side_by_side:
            return batch_size, "examples"
        return max(TOKENS_PER_SEGMENT, batch_size * TOKENS_PER_SEGMENT // self.languages_at_once), "tokens"


def plan(languages: int, threads: int = 0, in_turn: bool = False, cores: int | None = None) -> Plan:
    """The plan for `languages` target languages. `threads`: the user's CPU threads for the run (0: one per core);
    `in_turn`: one language after the other, on purpose (--one-language-at-a-time).

    Side by side, the threads are shared out: max(1, threads // languages) per model, and at most as many languages
    at once as there are threads, so the run never uses more threads than it was given (three languages on two
    cores: two at a time, one thread each). One thread in all, one language, or `in_turn`: one after the other,
    each model with all the threads."""
    budget = threads or cores or os.cpu_count() or 1
    if in_turn or languages < 2 or budget < 2:
        return Plan(1, budget)
    return Plan(min(languages, budget), max(1, budget // languages))


def translate_each(engines: dict[str, Engine], texts: dict[str, list[str]], at_once: int) -> dict[str, list[str]]:
    """`engines[lang].translate(texts[lang])` for each language: `at_once` languages at a time, each call in a
    thread of its own (at_once 1: in turn, in this thread). A language with no texts is not called.

    An error (a model that fails while decoding: ModelError) is raised here, in the calling thread, for the first
    language in order that had one, once every call has ended. Ctrl-C lands in the calling thread; the calls
    under way finish their batch first, as a call in the main thread would."""
    wanted = {lang: batch for lang, batch in texts.items() if batch}
    if at_once < 2 or len(wanted) < 2:
        return {lang: engines[lang].translate(batch) for lang, batch in wanted.items()}
    with ThreadPoolExecutor(max_workers=min(at_once, len(wanted)), thread_name_prefix="translate") as pool:
        calls = {lang: pool.submit(engines[lang].translate, batch) for lang, batch in wanted.items()}
        return {lang: call.result() for lang, call in calls.items()}

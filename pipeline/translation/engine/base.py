"""What the translate stage needs from a machine-translation engine."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.core.release import ModelInfo
from pipeline.language import languages_for_argos


@dataclass
class DecodeOptions:
    """Knobs a user may turn; defaults suit a 2-core laptop (README, "Performance")."""

    beam_size: int = 2
    threads: int = 0  # 0: one per core
    max_batch_size: int = 32  # examples (or tokens: batch_type) per batch after CTranslate2 sorts them by length
    batch_type: str = "examples"  # "tokens" with languages side by side (translation/side_by_side.py)
    max_decoding_length: int = 512  # tokens; stops a model that loops
    min_decoding_length: int = 1  # benchmarks set min = max so every run does the same work


class Engine(ABC):
    """Translates plain text from English into one target language."""

    info: ModelInfo
    # Called as progress(done, total) while one `translate` call runs (the CLI's progress bar); None: not asked.
    progress: Callable[[int, int], None] | None = None

    @abstractmethod
    def translate(self, texts: list[str]) -> list[str]:
        """Translate all `texts` in one batched call. The output has the same length and order."""

    def align(self, sources: list[str], targets: list[str]) -> list[list[tuple[int, int, int, int]]] | None:
        """Where each target token came from: per pair, (target start, end, source start, end) character spans,
        one per target token, from the model's attention; None when the engine cannot say (inline_tags recovery).
        """
        return None

    def max_input_tokens(self) -> int | None:
        """Longest source the model accepts (in its own tokens), or None when unbounded."""
        return None

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def tokenizes_losslessly(self, text: str) -> bool:
        """Do the model's pieces for `text` decode back to `text` (no unknown pieces)? Used to choose placeholders."""
        return True

    @property
    def joiner(self) -> str:
        """What joins the translations of pieces of one over-long sentence: nothing for a language written without
        spaces (zh, ja), a space otherwise (Korean, and any language without a record)."""
        served = languages_for_argos(self.info.to_code)
        return served[0].joiner if served else " "

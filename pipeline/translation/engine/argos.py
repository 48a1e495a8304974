"""An installed Argos package driven directly through CTranslate2: one model load, one batched call."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pipeline.core.errors import ModelError
from pipeline.core.release import ModelInfo
from pipeline.translation.engine.base import DecodeOptions, Engine
from pipeline.translation.engine.packages import InstalledPackage, damaged_model_error, find_package
from pipeline.translation.engine.script import convert
from pipeline.translation.engine.verify import check_engine


class ArgosEngine(Engine):
    def __init__(
        self,
        package: InstalledPackage,
        lang: str,
        converter: str | None,
        options: DecodeOptions,
        archive: Path | None = None,
    ):
        """`archive`: the .argosmodel file `package` is being installed from (it is still in a staging folder), so
        that an error names that file rather than the staging folder."""
        import ctranslate2
        import sentencepiece

        self.package = package
        self.options = options
        self.info = ModelInfo(
            lang=lang,
            package=package.name,
            version=package.version,
            from_code=package.from_code,
            to_code=package.to_code,
            converter=f"opencc:{converter}" if converter else None,
            demo=package.demo,
        )
        self._converter = converter
        threads = options.threads or os.cpu_count() or 1
        try:
            self._translator = ctranslate2.Translator(
                str(package.model_dir), device="cpu", compute_type="auto", inter_threads=1, intra_threads=threads
            )
            self._sp = sentencepiece.SentencePieceProcessor(model_file=str(package.sentencepiece_model))
        except (RuntimeError, OSError, ValueError) as exc:
            raise damaged_model_error(package, lang, exc, archive) from exc
        self._target_prefix = self._read_target_prefix()

    def _read_target_prefix(self) -> list[str] | None:
        metadata = json.loads((self.package.path / "metadata.json").read_text(encoding="utf-8"))
        prefix = metadata.get("target_prefix") or ""
        return [prefix] if prefix else None

    def max_input_tokens(self) -> int:
        # Argos models are trained on sentences; CTranslate2 would silently truncate past its limit.
        return 400

    def count_tokens(self, text: str) -> int:
        return len(self._sp.encode(text))

    def tokenizes_losslessly(self, text: str) -> bool:
        ids = self._sp.encode(text)
        return self._sp.unk_id() not in ids and self._sp.decode(ids) == text

    def _decode(self, batch: list[list[str]], max_decoding_length: int) -> list[list[str]]:
        prefixes = [self._target_prefix] * len(batch) if self._target_prefix else None
        progress = self.progress
        results = self._translator.translate_batch(
            batch,
            target_prefix=prefixes,
            beam_size=self.options.beam_size,
            max_batch_size=self.options.max_batch_size,
            batch_type=self.options.batch_type,
            max_input_length=0,
            max_decoding_length=max_decoding_length,
            min_decoding_length=self.options.min_decoding_length,
            # Still one call, batched the same way; asynchronous only so finished examples can be counted.
            asynchronous=progress is not None,
        )
        if progress is None:
            return [list(result.hypotheses[0]) for result in results]
        hypotheses = []
        for done, pending in enumerate(results, start=1):
            hypotheses.append(list(pending.result().hypotheses[0]))
            progress(done, len(results))
        return hypotheses

    def translate(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        batch = self._sp.encode(texts, out_type=str)
        limit = self.options.max_decoding_length
        try:
            hypotheses = self._decode(batch, limit)
        except (RuntimeError, ValueError, IndexError, MemoryError) as exc:  # CTranslate2's errors while decoding
            raise ModelError(
                f"{self.info.lang}: the model of package {self.info.package} failed while translating "
                f"({type(exc).__name__}: {' '.join(str(exc).split())[:300]}); try --batch-size 1 or --beam-size 1, "
                "or install a fresh copy of the package"
            ) from exc
        self.cut_off = set()
        if self.options.min_decoding_length < limit:
            # A translation as long as max_decoding_length was cut off there (or the model loops): CTranslate2 says
            # nothing. Those are decoded once more with twice the room, so a long output is not silently truncated.
            cut = [k for k, pieces in enumerate(hypotheses) if len(pieces) >= limit]
            if cut:
                try:
                    for k, pieces in zip(cut, self._decode([batch[k] for k in cut], 2 * limit)):
                        hypotheses[k] = pieces
                except (RuntimeError, ValueError, IndexError) as exc:
                    # A model with learned positions cannot decode past them (CTranslate2 raises): it has given all
                    # it can. Keep those outputs, and have the translate stage flag each one (`cut_off`).
                    self.cut_off = {texts[k] for k in cut}
                    self.cut_off_reason = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        outputs = []
        for pieces in hypotheses:
            if self._target_prefix and pieces[: len(self._target_prefix)] == self._target_prefix:
                pieces = pieces[len(self._target_prefix) :]
            # decode_pieces, not argostranslate's tokenizer.decode: that one turns "_" into spaces.
            text = self._sp.decode_pieces(pieces)
            outputs.append(convert(text, self._converter) if self._converter else text)
        return outputs


    def align(self, sources: list[str], targets: list[str]) -> list[list[tuple[int, int, int, int]]] | None:
        """Attention of the model forced to write `targets` (CTranslate2 `return_attention` with the target as
        prefix, one batched call): each target token is aligned with the source token it attends most."""
        if not sources:
            return []
        if self._converter:
            return None  # the target went through OpenCC after decoding: the model never wrote these characters
        src = [self._sp.encode(s, out_type="proto") for s in sources]
        tgt = [self._sp.encode(t, out_type="proto") for t in targets]
        prefix = [list(self._target_prefix or []) + [p.piece for p in t.pieces] for t in tgt]
        results = self._translator.translate_batch(
            [[p.piece for p in s.pieces] for s in src],
            target_prefix=prefix,
            return_attention=True,
            beam_size=1,
            max_batch_size=self.options.max_batch_size,
            batch_type=self.options.batch_type,
            max_input_length=0,
            max_decoding_length=max(len(p) for p in prefix) + 2,
        )
        aligned = []
        skip = len(self._target_prefix or [])
        for source, target, s_proto, t_proto, result in zip(sources, targets, src, tgt, results):
            attention = result.attention[0] if result.attention else []
            s_chars, t_chars = _char_offsets(source), _char_offsets(target)
            s_spans = [(s_chars[p.begin], s_chars[p.end]) for p in s_proto.pieces]
            pairs = []
            for k, piece in enumerate(t_proto.pieces):
                row = attention[skip + k] if skip + k < len(attention) else None
                if not row:
                    continue
                best = max(range(min(len(row), len(s_spans))), key=row.__getitem__, default=None)
                if best is None:
                    continue
                pairs.append((t_chars[piece.begin], t_chars[piece.end], *s_spans[best]))
            aligned.append(pairs)
        return aligned


def _char_offsets(text: str) -> list[int]:
    """UTF-8 byte offset → character offset (SentencePiece reports byte offsets)."""
    offsets = []
    for k, ch in enumerate(text):
        offsets.extend([k] * len(ch.encode("utf-8")))
    offsets.append(len(text))
    return offsets


def load_engine(lang: str, options: DecodeOptions, from_code: str = "en", verify: bool = True) -> ArgosEngine:
    """The engine for project language `lang`; unless `verify` is false, checked to write the language its
    package declares (one batch of three short sentences, see `verify.py`): ModelError (exit 4) if not."""
    package, converter = find_package(lang, from_code)
    engine = ArgosEngine(package, lang, converter, options)
    if verify:
        check_engine(engine, package, f"{lang}: {package.path}", lang=lang)
    return engine

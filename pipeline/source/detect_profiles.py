"""langdetect's language profiles, kept ready in a cache: ~20 ms to load instead of ~0.35 s to build.

From its 55 JSON profiles langdetect builds one table, n-gram → probability in each language (87,598 n-grams ×
55 languages, 184,129 of them non-zero); building it is the whole 0.3 s and the 64 MiB. A detection then looks up
only the n-grams of the text at hand. This module stores the table's non-zero numbers once (as the exact float64
values langdetect computes, in its language order) and hands the detector a mapping that builds a row the first time
it is looked up. The detector is langdetect's own, unchanged, and sees the same numbers: same answers, bit for bit
(tests/source/test_detect_profiles.py compares every row against a table built the usual way).

The cache follows pipeline/files/derived_cache.py's rules (key from the profile files and langdetect's code, written whole or not
at all, CRC-checked); on top, the key, the language count and every block's lengths are checked before use. A cache
that fails any check is ignored and rebuilt, never half-used. Folder: $TRANSLATE_CACHE_DIR/langdetect, else
~/.cache/translate/langdetect; TRANSLATE_CACHE_DIR="" switches it off.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path

from pipeline.files import derived_cache

FORMAT = 1
KIND = "langdetect"


def cache_dir() -> Path | None:
    return derived_cache.cache_dir(KIND)


def profiles_key(files: list[Path]) -> str:
    """What the table is derived from: each profile file's and langdetect's detector_factory.py's name, size and
    modification time (langdetect's code stands for its version), and FORMAT."""
    from langdetect import detector_factory

    return derived_cache.files_key(f"langdetect table, format {FORMAT}", [Path(detector_factory.__file__), *files])


def _block(word: str) -> int:
    """The 256-code-point block of a word's first character: the table is split by it, so an English text decodes
    the Latin n-grams (a third of the table) and never the Han, kana or Hangul ones."""
    return ord(word[0]) >> 8


class ProbabilityTable(Mapping):
    """langdetect's `word_lang_prob_map` (n-gram → list of one probability per language) from its non-zero values.

    Each block of words (checked whole when the cache was read) is decoded on its first lookup, each row built as a list on its first lookup and kept (as
    langdetect's own dict holds it)."""

    def __init__(self, blocks: dict[int, tuple[bytes, bytes, bytes, bytes]], languages: int):
        self._packed = blocks
        self._languages = languages
        self._blocks: dict[int, tuple[dict[str, int], array, bytes, array]] = {}
        self._rows: dict[str, list[float]] = {}

    def _unpacked(self, block: int):
        found = self._blocks.get(block)
        if found is None:
            words, offsets_bytes, columns, values_bytes = self._packed[block]
            found = _unpack(words, offsets_bytes, columns, values_bytes, self._languages)
            self._blocks[block] = found
        return found

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        block = _block(word)
        return block in self._packed and word in self._unpacked(block)[0]

    def __getitem__(self, word: str) -> list[float]:
        row = self._rows.get(word)
        if row is None:
            if word not in self:
                raise KeyError(word)
            index, offsets, columns, values = self._unpacked(_block(word))
            k = index[word]
            row = [0.0] * self._languages
            for i in range(offsets[k], offsets[k + 1]):
                row[columns[i]] = values[i]
            self._rows[word] = row
        return row

    def __iter__(self) -> Iterator[str]:
        for block in self._packed:
            yield from self._unpacked(block)[0]

    def __len__(self) -> int:
        return sum(len(self._unpacked(block)[0]) for block in self._packed)


def _unpack(words: bytes, offsets_bytes: bytes, columns: bytes, values_bytes: bytes, languages: int):
    """One block's (word → row number, offsets, columns, values), checked by `_fits` when the cache was read."""
    names = words.decode("utf-8").split("\n")
    offsets, values = array("I"), array("d")
    offsets.frombytes(offsets_bytes)
    values.frombytes(values_bytes)
    return dict(zip(names, range(len(names)))), offsets, columns, values


def _fits(words: bytes, offsets_bytes: bytes, columns: bytes, values_bytes: bytes, languages: int) -> bool:
    """Do a block's parts fit together (counts, last offset, columns in range)? Checked without decoding it."""
    if len(offsets_bytes) % 4 or len(values_bytes) % 8 or not words:
        return False
    offsets = array("I")
    offsets.frombytes(offsets_bytes)
    return (
        len(offsets) == words.count(b"\n") + 2
        and offsets[0] == 0
        and offsets[-1] == len(values_bytes) // 8 == len(columns)
        and (not columns or max(columns) < languages)
    )


def sparse_table(languages: list[str], word_lang_prob_map: Mapping[str, list[float]]) -> dict:
    """The non-zero entries of langdetect's table (as its DetectorFactory built it), as plain data for the cache:
    per block of first characters, the words ("\\n"-joined UTF-8), per-word offsets, language columns and the float64
    values themselves."""
    import numpy as np

    words = list(word_lang_prob_map)
    if any("\n" in word or not word for word in words):  # cannot happen (n-grams of letters): not cached
        raise ValueError("unexpected n-gram in langdetect's table")
    dense = np.array([word_lang_prob_map[word] for word in words], dtype=np.float64).reshape(len(words), len(languages))
    grouped: dict[int, list[int]] = {}
    for k, word in enumerate(words):
        grouped.setdefault(_block(word), []).append(k)
    blocks = {}
    for block, rows in grouped.items():
        part = dense[rows]
        mask = part != 0.0
        offsets = np.concatenate(([0], np.cumsum(mask.sum(axis=1)))).astype(np.uint32)
        columns = np.nonzero(mask)[1].astype(np.uint8)  # row-major: each row's columns in order, as langdetect's
        blocks[block] = (
            "\n".join(words[k] for k in rows).encode("utf-8"),
            array("I", offsets.tolist()).tobytes(),
            columns.tobytes(),
            part[mask].tobytes(),
        )
    return {"format": FORMAT, "languages": list(languages), "blocks": blocks}


def table_from(data: dict) -> ProbabilityTable:
    """A ProbabilityTable from `sparse_table` data; ValueError if any block's parts do not fit together."""
    blocks, languages = data["blocks"], len(data["languages"])
    if not isinstance(blocks, dict) or not all(
        isinstance(b, int)
        and isinstance(parts, tuple)
        and len(parts) == 4
        and all(isinstance(p, bytes) for p in parts)
        and _fits(*parts, languages)
        for b, parts in blocks.items()
    ):
        raise ValueError("inconsistent langdetect table")
    return ProbabilityTable(blocks, languages)


def _name(key: str) -> str:
    return f"profiles-{key}.bin"


def load_cached(key: str, count: int) -> tuple[list[str], ProbabilityTable] | None:
    """(languages, table) cached for `key` with `count` languages, or None when there is none or it fails a check."""
    payload = derived_cache.read(KIND, _name(key))
    if payload is None:
        return None
    try:
        data = marshal.loads(payload)
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return None
        languages = data.get("languages")
        if not isinstance(languages, list) or len(languages) != count or len(set(languages)) != count:
            return None
        return list(languages), table_from(data)
    except (ValueError, EOFError, TypeError, KeyError):
        return None


def store(key: str, data: dict) -> None:
    """Write the cache for `key`; a cache that cannot be written is simply absent."""
    derived_cache.write(KIND, _name(key), marshal.dumps({**data, "key": key}))

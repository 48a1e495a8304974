"""OpenCC's answers for single ideographs (`s2t`, `s2tw`, `t2jp`), kept in a cache: a few ms instead of building converters.

The glossary check and the run's script checks ask OpenCC about one character at a time (scripts.py). Building the
two OpenCC converters costs ~0.3 s per process (s2t loads its 50,000-phrase dictionary), for answers that never
change while OpenCC's data does not. So the answer for every ideograph in `IDEOGRAPH_RANGES` is computed once (one
`convert` call per table, characters separated by newlines so no phrase spans two of them) and the characters that
change are stored: {character: converted}. A character not in the table converts to itself, exactly as OpenCC said.

The cache follows pipeline/files/derived_cache.py's rules; its key covers OpenCC's configuration and dictionary files and its
compiled library. Anything unexpected while building (a different number of lines back) means no table: callers
then ask OpenCC directly, as before.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.files import derived_cache

FORMAT = 1
KIND = "opencc"

# The ranges scripts._ideograph accepts (CJK unified ideographs, extension A, compatibility, extensions B-G).
IDEOGRAPH_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


def _sources() -> list[Path]:
    import opencc

    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    compiled = sorted(Path(opencc.__file__).parent.glob("clib/opencc_clib*"))
    data = sorted(p for p in share.iterdir() if p.suffix in (".json", ".ocd2")) if share.is_dir() else []
    return [Path(opencc.__file__), *compiled, *data]


def _ideographs() -> list[str]:
    return [chr(c) for lo, hi in IDEOGRAPH_RANGES for c in range(lo, hi + 1)]


def build(config: str) -> dict[str, str] | None:
    """{ideograph: what OpenCC `config` makes of it} for every ideograph it changes; None if OpenCC's answer
    cannot be read one line per character."""
    import opencc

    chars = _ideographs()
    converted = opencc.OpenCC(config).convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        return None
    return {ch: out for ch, out in zip(chars, converted) if out != ch}


def table(config: str) -> dict[str, str] | None:
    """The table for `config`, from the cache when a sound one is there, else built (and cached); None if it
    cannot be built or caches are switched off (the caller then asks OpenCC itself)."""
    if derived_cache.cache_dir(KIND) is None:
        return None  # caches switched off: OpenCC is asked directly, as before there was a cache
    sources = _sources()
    key = derived_cache.files_key(f"opencc {config} single ideographs, format {FORMAT}", sources)
    name = f"{config}-{key}.json"
    payload = derived_cache.read(KIND, name)
    if payload is not None:
        try:
            data = json.loads(payload)
            if isinstance(data, dict) and data.get("key") == key and isinstance(data.get("table"), dict):
                found = data["table"]
                if all(isinstance(k, str) and len(k) == 1 and isinstance(v, str) for k, v in found.items()):
                    return found
        except ValueError:
            pass
    built = build(config)
    if built is not None:
        derived_cache.write(KIND, name, json.dumps({"key": key, "table": built}, ensure_ascii=False).encode("utf-8"))
    return built

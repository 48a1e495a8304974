"""Web addresses and e-mail addresses of the English kept letter for letter: a model that translates, re-spaces or
drops one sends readers nowhere (`url-missing`, an error). Compared after width folding, so a full-width copy of
the address (ｈｔｔｐｓ：／／…) is still the address; trailing sentence punctuation is not part of it."""

from __future__ import annotations

import re
import unicodedata

from pipeline.qa.base import ERROR, Finding

_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"“”「」（）]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'’。，、；：！？"


def addresses(text: str) -> list[str]:
    """The web and e-mail addresses in `text`, without the punctuation that ends the sentence around them."""
    return [match.group(0).rstrip(_TRAILING) for match in _ADDRESS.finditer(text)]


def check(source: str, target: str, lang: str, terms) -> list[Finding]:
    wanted = addresses(source)
    if not wanted or not target.strip():
        return []
    folded = unicodedata.normalize("NFKC", target).casefold()
    missing = [address for address in dict.fromkeys(wanted) if address.casefold() not in folded]
    if not missing:
        return []
    return [Finding("url-missing", ERROR, f"address(es) of the English not in the translation: {', '.join(missing)}")]

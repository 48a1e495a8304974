"""Lines of a press release that carry release information, not content: the embargo line, "For immediate
release", the end mark.

    EMBARGOED UNTIL 10:00 TAIPEI TIME, DECEMBER 3, 2025
    Embargoed until 10 a.m. Taiwan time, Wednesday, Dec. 3
    FOR IMMEDIATE RELEASE
    HOLD FOR RELEASE UNTIL 3 DECEMBER 2025
    ###          -30-          - END -

Such a line names nothing a glossary holds (its capitals are typography: `TAIPEI TIME`). It is still translated
like any other line; `glossary suggest` reads no names from it (pipeline/glossary/name_layout.py).
"""

from __future__ import annotations

import re

__all__ = ["is_release_information"]

_RELEASE_INFORMATION = re.compile(
    r"""\s*(?:
        (?:under\s+)?embargo(?:ed)?\b                      # EMBARGOED UNTIL …, Embargo: …, Under embargo until …
      | (?:for\s+)?immediate\s+release\b                   # FOR IMMEDIATE RELEASE
      | (?:hold\s+)?for\s+release\b                        # FOR RELEASE …, HOLD FOR RELEASE UNTIL …
      | hold\s+until\b
      | not\s+for\s+(?:publication|broadcast|distribution)\b
      | release\s+(?:date|time)\b\s*:
      | (?:\#{3}|-\s*30\s*-|-+\s*end\s*-+|\[?\s*end\s*\]?)\s*$   # ###, -30-, - END -, [END]
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def is_release_information(line: str) -> bool:
    """Is this paragraph an embargo line, a release-time line or an end mark (see the module doc)?"""
    return _RELEASE_INFORMATION.match(line) is not None

"""Earlier published files that the current publication does not replace are withdrawn: moved aside, never left
looking current and never deleted.

A language the gate refuses now loses every published file it had (`<release>.<lang>.docx`, `.bilingual.docx`,
`.md`, `.html` and the web page's images `<release>.<lang>.files/`): after a glossary change its old .docx and web
page would otherwise stay beside the new files of the other language, looking current. A language published
without a format it had before (a web page from an earlier `--format html` or `--allow-unreviewed` draft, now a
docx-only publish) loses the files of that format. What is withdrawn is moved, names unchanged, into
`<release folder>/.withdrawn/<UTC time>/` (a hidden folder: not what the site serves, not what `glossary check
--against` reads), as part of the publication unit (`atomic.move_aside` inside `atomic.one_unit`): only when every
new file is complete, together with their renames. Languages not asked for (`--to`) are not judged, and not touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pipeline.files.atomic import move_aside
from pipeline.publish.formats import PUBLISHED, html, markdown
from pipeline.publish.formats.base import IMAGES_SUFFIX, ReleaseFiles

__all__ = ["PUBLISHED_SUFFIXES", "WITHDRAWN_FOLDER", "Withdrawal", "withdraw_stale"]

# What the formats of the registry write per language, after `<release>.<lang>`, and the images beside a page; a
# test checks that every file a publication writes is one of these.
PUBLISHED_SUFFIXES = (*PUBLISHED, IMAGES_SUFFIX)
WEB = (html.SUFFIX, IMAGES_SUFFIX)
WITHDRAWN_FOLDER = ".withdrawn"


@dataclass(frozen=True)
class Withdrawal:
    """One language's earlier published files moved aside, where to, and why."""

    lang: str
    names: list[str]  # the file (and folder) names as they were published
    folder: Path  # where they are now
    reason: str

    def line(self) -> str:
        return f"withdrawn: {', '.join(self.names)} (moved to {self.folder}/): {self.reason}"


def withdraw_stale(
    release: ReleaseFiles, langs: list[str], written: dict[str, dict[str, Path]], refused: set[str], web_asked: bool
) -> list[Withdrawal]:
    """Move aside (inside the caller's publication unit, under the release's lock) the published files of `langs`
    that this publication does not write: all of a refused language's, the formats a published one lacks now.
    `written`: lang → format → the path this publication writes."""
    folder: Path | None = None
    result = []
    for lang in langs:
        replaced = {Path(path).name for path in written.get(lang, {}).values()}
        if any(name.endswith((html.SUFFIX, markdown.SUFFIX)) for name in replaced):
            replaced.add(release.output(lang, IMAGES_SUFFIX).name)  # rewritten by the page that copies images into it
        stale = [
            path
            for path in (release.output(lang, suffix) for suffix in PUBLISHED_SUFFIXES)
            if path.name not in replaced and (path.is_file() or path.is_dir()) and not path.is_symlink()
        ]
        if not stale:
            continue
        folder = folder or _new_folder(release.folder / WITHDRAWN_FOLDER)
        for path in stale:
            move_aside(path, folder / path.name)
        result.append(Withdrawal(lang, [p.name + ("/" if p.is_dir() else "") for p in stale], folder,
                                 _reason(lang, stale, refused, web_asked)))
    return result


def _reason(lang: str, stale: list[Path], refused: set[str], web_asked: bool) -> str:
    if lang in refused:
        return f"the current gate refuses {lang}"
    said = f"this publication of {lang} does not write {'it' if len(stale) == 1 else 'them'}"
    if not web_asked and any(path.name.endswith(WEB) for path in stale):
        said += " (no --format html: publish with it for the web page)"
    return said


def _new_folder(under: Path) -> Path:
    """`under/<UTC time>`, one that does not exist yet (a second publish within the same second gets `-2`)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate, number = under / stamp, 1
    while candidate.exists():
        number += 1
        candidate = under / f"{stamp}-{number}"
    return candidate

"""What a publish format receives and returns.

A format is a `PublishFormat`: whether it applies to a release (and to what `--format` asked for), what it builds
in memory before anything is written (optional), and how it writes its file for one language, returning the path
it wrote (images it copies go beside it, into `<release>.<lang>.files/`). The publisher (publisher.py) calls every
format of the registry (formats/__init__.py) that applies, in the registry's order, under the release's lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.files.release_folder import ReleasePaths
from pipeline.publish.plan import LanguagePlan

__all__ = ["DOCUMENT", "IMAGES_SUFFIX", "Publication", "PublishFormat", "PublishOptions", "ReleaseFiles"]

# The name of the publishable Word document of a language (one format of the registry builds it): its hyperlinks
# are checked before anything is written (links.check_links), and the web page of a Word release is made from it.
DOCUMENT = "document"
# The folder beside a web page or a published .md holding the images it shows: `<release>.<lang>.files/`.
IMAGES_SUFFIX = ".files"


@dataclass(frozen=True)
class ReleaseFiles:
    """The release being published: its manifest, where its outputs go, the copy of its source the run kept."""

    manifest_path: Path
    manifest: dict[str, Any]
    name: str  # of the outputs: <name>.<lang>.docx ...
    source_suffix: str  # of the source the run read (".docx", ".md", ".txt"...), lower case
    kept_source: Path | None  # the run's copy of its source, when it kept one and recorded its layout

    @classmethod
    def of(cls, manifest_path: Path, manifest: dict[str, Any]) -> ReleaseFiles:
        folder = manifest_path.parent
        source = manifest.get("source") or {}
        sha = source.get("sha256")
        suffix = Path(str(source.get("path", ""))).suffix.lower()
        kept = None
        if sha and manifest.get("layout"):
            kept = ReleasePaths(folder, manifest.get("release", "")).source_copy(sha, suffix)
        return cls(
            manifest_path,
            manifest,
            manifest.get("release") or manifest_path.name.split(".")[0],
            suffix,
            kept if kept is not None and kept.is_file() else None,
        )

    @property
    def folder(self) -> Path:
        return self.manifest_path.parent

    def output(self, lang: str, suffix: str) -> Path:
        """`<folder>/<release>.<lang><suffix>`."""
        return self.folder / f"{self.name}.{lang}{suffix}"

    def kept(self, *suffixes: str) -> Path | None:
        """The kept copy of the source, when the source was one of these kinds."""
        return self.kept_source if self.source_suffix in suffixes else None


@dataclass(frozen=True)
class PublishOptions:
    formats: tuple[str, ...] = ("docx",)  # what `--format` asked for ("docx" always)

    def asked(self, name: str) -> bool:
        return name in self.formats


@dataclass
class Publication:
    """What a format receives: one language's plan, the release, the options, and what the formats built."""

    plan: LanguagePlan
    release: ReleaseFiles
    options: PublishOptions
    built: dict[str, Any] = field(default_factory=dict)  # format name → what its `build` made (in memory)
    notes: list[str] = field(default_factory=list)  # what a format left out and why (an image refused): printed

    @property
    def lang(self) -> str:
        return self.plan.lang

    @property
    def manifest(self) -> dict[str, Any]:
        return self.plan.manifest


@dataclass(frozen=True)
class PublishFormat:
    name: str  # its key in PublishResult.paths (DOCUMENT for the publishable Word document)
    suffix: str  # what its file is called after `<release>.<lang>` (".docx", ".bilingual.docx", ".html"...)
    applies: Callable[[ReleaseFiles, PublishOptions], bool]
    write: Callable[[Publication], Path]  # writes its file (atomically); returns its path
    # in memory, before anything of any language is written (a refusal then leaves the folder as it was)
    build: Callable[[Publication], Any] | None = None

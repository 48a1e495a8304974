"""The registry: every publish format, in the order its files are written and listed. A new format is a new file
in this folder (a `PublishFormat`, formats/base.py) listed here."""

from __future__ import annotations

from pipeline.publish.formats import bilingual, docx_inplace, docx_plain, html, markdown
from pipeline.publish.formats.base import PublishFormat

REGISTRY: tuple[PublishFormat, ...] = (
    docx_inplace.FORMAT,  # the publishable document of a Word release: the source translated in place
    docx_plain.FORMAT,  # the publishable document of any other release
    bilingual.FORMAT,
    markdown.FORMAT,
    html.FORMAT,
)

# What each format's file is called after `<release>.<lang>`, and the format's name (status, withdrawal)
PUBLISHED: dict[str, str] = {publish_format.suffix: publish_format.name for publish_format in REGISTRY}

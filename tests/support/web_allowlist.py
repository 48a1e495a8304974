"""The web page's allow-list, as a sanitiser would hold it, written here independently of the code it checks.

`check_fragment` parses a published fragment with html5lib (strictly: any parse error fails) and fails on any
element, attribute, class, role or URL the page may not hold (docs/robustness.md, "The web page"). `check_images`
checks the files beside it: raster images only, each named by the type its bytes declare, within the size limit.
"""

from __future__ import annotations

import re
from pathlib import Path

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"
ALLOWED_TAGS = {
    "article", "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "ul", "ol", "li", "blockquote", "table", "tbody", "tr",
    "td", "figure", "figcaption", "img", "aside", "strong", "em", "u", "sup", "sub", "a", "mark",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "article": {"class", "lang"},
    "p": {"class", "role"},
    "a": {"href", "id"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"class", "start", "type"},
    "li": {"id"},
}
ALLOWED_CLASSES = {"press-release", "translate-warning", "notes"}
NOTE_ID = re.compile(r"fn(ref)?[1-9][0-9]*(-[1-9][0-9]*)?")  # a note and its references: the only ids
LIST_TYPES = {"1", "a", "A", "i", "I"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
RASTER = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg", b"GIF87a": ".gif", b"GIF89a": ".gif"}
IMAGE_LIMIT = 32 * 1024 * 1024


def browser_scheme(url: str) -> str | None:
    """The scheme a browser reads in `url` (WHATWG: C0 controls and spaces trimmed, tabs and newlines removed)."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else None


def parse_fragment(text: str):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parseFragment(text, container="div")


def check_fragment(text: str):
    """The fragment's root (a container holding one `article`) after every allow-list check passed: elements,
    attributes and their values; ids unique, and every link inside the page (`#id`) to one of them."""
    root = parse_fragment(text)
    ids: list[str] = []
    articles = list(root)
    assert len(articles) == 1 and articles[0].tag == NS + "article", [a.tag for a in articles]
    for element in root.iter():
        if element is root:
            continue
        assert isinstance(element.tag, str) and element.tag.startswith(NS), element.tag  # no comment, no SVG/MathML
        tag = element.tag[len(NS) :]
        assert tag in ALLOWED_TAGS, tag
        for name, value in element.attrib.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()), (tag, name, value)
            if name == "class":
                assert set(value.split()) <= ALLOWED_CLASSES, value
            if name == "role":
                assert value == "alert", value
            if name in ("href", "src"):
                assert not re.search(r"[\x00-\x1f\x7f]", value), repr(value)
                scheme = browser_scheme(value)
                assert scheme is None or scheme in ALLOWED_SCHEMES, (tag, name, value)
            if name in ("width", "height", "start"):
                assert value.isdigit(), value
            if name == "type":
                assert value in LIST_TYPES, value
            if name == "id":
                assert NOTE_ID.fullmatch(value), value
                ids.append(value)
    assert len(ids) == len(set(ids)), ids
    for href in page_urls(root, "a", "href"):
        if href.startswith("#"):
            assert href[1:] in ids, href
    return root


def page_urls(root, tag: str, attribute: str) -> list[str]:
    return [element.get(attribute) for element in root.iter(NS + tag)]


def check_images(page: Path, root) -> list[Path]:
    """Every `img` of the page that is beside it is a raster image named by its type, within the limit; and every
    file beside the page is such an image. Returns the image files."""
    files = page.parent / f"{page.stem}.files"
    present = sorted(files.iterdir()) if files.is_dir() else []
    for path in present:
        head = path.read_bytes()[:16]
        suffixes = {suffix for signature, suffix in RASTER.items() if head.startswith(signature)}
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            suffixes.add(".webp")
        assert suffixes == {path.suffix}, (path.name, head)
        assert path.stat().st_size <= IMAGE_LIMIT, path
    for src in page_urls(root, "img", "src"):
        if browser_scheme(src) is None:
            assert (page.parent / src).resolve().parent == files.resolve(), src
            assert (page.parent / src).is_file(), src
    return present

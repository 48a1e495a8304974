"""Moving the memory to and from CAT tools: TMX 1.4 and XLIFF 2.0, through translate-toolkit.

TMX (`translate.storage.tmx`): one `<tu>` per entry, `<tuv xml:lang="en">` + `<tuv xml:lang="zh-TW">`; the
reviewer's comment is a `<note>`; status, document, release, run, segment and origin are `<prop type="x-…">`
(TMX's extension mechanism); `tuid`, `creationdate`/`changedate` (approval time) and `changeid` (reviewer) are
attributes. A whole memory (all languages) fits in one file. On import a `<tu>` gives one entry per non-English
`<tuv>`; without an `x-status` prop it counts as approved (that is what a CAT tool's memory holds). Inline codes
(`<bpt>`, `<ept>`, `<it>`, `<ph>`, `<ut>`: another tool's formatting tags such as `<b>`, with any `<sub>` inside
them) are not text: they are removed and the text between them kept (`<hi>` keeps its text), spaces left doubled
by a removed code become one, and the import notes each unit that had them. The memory holds plain text (our
review documents and exports carry no inline markup), so keeping the codes would put literal `<b>` into
translations.
An XML entity reference in a `<seg>` (`&co;`, declared in the file's DOCTYPE or in an external DTD never read) is
replaced by its declared text when that is short plain text (the rule of pipeline/docx/xml_entities.py), else
kept as written (`&co;`) and the unit noted: never silently dropped (before, "The &co; signed" was stored as
"The  signed").

XLIFF 2.0 (`translate.storage.xliff2`; translate-toolkit 3.20 reads and writes 2.0): one target language per
file (`trgLang`), so `--lang` picks it when the memory holds several. The toolkit puts `xml:space` and `<notes>`
on `<segment>`, which the XLIFF 2.0 core schema does not allow there; they are moved to `<unit>` (where they
belong) before writing, and our fields go into the Metadata module (`<mda:metadata>`), first child of `<unit>`.
State: approved → `final`; needs-glossary-review → `translated` with `subState="kmu:needs-glossary-review"`.
On import `reviewed`/`final` units are approved, `initial`/`translated` ones are skipped (not approved) unless
they carry our subState. XLIFF 1.2 files are read too (approved units only), never written.

Importing a file twice adds nothing the second time (the memory's UNIQUE key).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.core.limits import LimitExceeded, read_bounded
from pipeline.files.atomic import atomic_write_bytes
from pipeline.memory.store import (
    APPROVED,
    NEEDS_GLOSSARY_REVIEW,
    STATUSES,
    AddResult,
    MemoryEntry,
    MemoryStore,
    NewEntry,
)

__all__ = [
    "FORMATS",
    "ExchangeResult",
    "export_memory",
    "import_memory",
    "read_tmx",
    "read_tmx_notes",
    "read_xliff",
    "tmx_bytes",
    "xliff_bytes",
]

FORMATS = ("tmx", "xliff")
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SUBSTATE_PREFIX = "kmu:"
_META_FIELDS = ("status", "document", "release", "run_id", "segment_id", "reviewer", "origin", "approved_at")


@dataclass
class ExchangeResult:
    added: AddResult
    read: int = 0
    skipped: list[str] = field(default_factory=list)  # one line per unit not imported, with the reason
    notes: list[str] = field(default_factory=list)  # one line per unit imported with a change (inline codes removed)


# --------------------------------------------------------------------------------------------- languages


_KNOWN = {
    "zh-tw": "zh-TW", "zh-hant": "zh-TW", "zh-hant-tw": "zh-TW", "zh_tw": "zh-TW",
    "ja": "ja", "ja-jp": "ja", "ja_jp": "ja",
    "en": "en", "en-us": "en", "en-gb": "en",
}  # fmt: skip


def normalize_lang(code: str | None) -> str | None:
    """A file's language code as the pipeline writes it: zh-TW, ja; others as BCP 47 (language-REGION)."""
    if not code:
        return None
    code = code.strip()
    known = _KNOWN.get(code.lower())
    if known:
        return known
    parts = re.split(r"[-_]", code)
    return "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p.title() for p in parts[1:])])


def _is_english(code: str | None) -> bool:
    return bool(code) and code.lower().split("-")[0].split("_")[0] == "en"


# --------------------------------------------------------------------------------------------- dates


def _tmx_date(iso: str | None) -> str | None:
    if not iso:
        return None
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _iso_from_tmx(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc).isoformat(timespec="seconds")
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------- TMX


def tmx_bytes(entries: list[MemoryEntry]) -> bytes:
    from lxml import etree
    from translate.storage import tmx

    store = tmx.tmxfile(sourcelanguage="en")
    for entry in entries:
        unit = store.addsourceunit(entry.source, "en")
        unit.settarget(entry.target, entry.lang, append=True)
        if entry.comment:
            unit.addnote(entry.comment)
        element = unit.xmlelement
        element.set("tuid", f"{entry.source_hash}.{entry.lang}.{entry.seq}")
        date = _tmx_date(entry.approved_at)
        if date:
            element.set("creationdate", date)
            element.set("changedate", date)
        if entry.reviewer:
            element.set("changeid", entry.reviewer)
        first_tuv = element.find("tuv")
        for name in ("status", "document", "release", "run_id", "segment_id", "origin"):
            value = getattr(entry, name)
            if value:
                prop = etree.Element("prop", type=f"x-{name.replace('_', '-')}")
                prop.text = value
                first_tuv.addprevious(prop)  # TMX 1.4: (note | prop)* before the tuvs
    return bytes(store)


TMX_INLINE_CODES = ("bpt", "ept", "it", "ph", "ut")


def _strip_inline_codes(tuv) -> list[str]:
    """Remove TMX inline codes (`<bpt>`, `<ept>`, `<it>`, `<ph>`, `<ut>`: a CAT tool's formatting tags, with
    their `<sub>` sub-flows) from a `<tuv>` in place, keeping the text around them (and inside `<hi>`); the
    names of the codes removed."""
    removed: list[str] = []
    for element in list(tuv.iter()):
        tag = element.tag if isinstance(element.tag, str) else ""
        name = tag.rsplit("}", 1)[-1]
        if name not in TMX_INLINE_CODES or element.getparent() is None:
            continue
        if any(a is not None and a.tag.rsplit("}", 1)[-1] in TMX_INLINE_CODES for a in element.iterancestors()):
            continue  # inside a code already removed
        parent = element.getparent()
        tail = element.tail or ""
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(element)
        removed.append(name)
    return sorted(set(removed))


def _declared_entities(element) -> dict[str, str]:
    """Entities the file's own DOCTYPE declares as short plain text (`SHORT` characters at most, no markup)."""
    from pipeline.docx.xml_entities import SHORT  # lazy: one constant, the rule docx parts follow too

    dtd = element.getroottree().docinfo.internalDTD
    found = {}
    for entity in dtd.iterentities() if dtd is not None else ():
        content = entity.content
        if isinstance(content, str) and len(content) <= SHORT and "&" not in content and "<" not in content:
            found[entity.name] = content
    return found


def _seg_text(tuv, kept: set[str]) -> str:
    """The text of a `<tuv>`'s `<seg>` (that of its `<hi>` too), entity references resolved or kept as written
    (their names added to `kept`); whitespace normalized where xml:space="default" says so, as translate-toolkit does."""
    from lxml import etree

    seg = next(tuv.iter("{*}seg", "seg"), None)
    if seg is None:
        return ""
    declared = _declared_entities(seg) if any(isinstance(e, etree._Entity) for e in seg.iter()) else {}

    def text_of(element) -> str:
        parts = [element.text or ""]
        for child in element:
            if isinstance(child, etree._Entity):
                if child.name in declared:
                    parts.append(declared[child.name])
                else:
                    kept.add(child.name)
                    parts.append(f"&{child.name};")
            elif isinstance(child.tag, str):
                parts.append(text_of(child))
            parts.append(child.tail or "")
        return "".join(parts)

    text = text_of(seg)
    space = [v for v in seg.xpath("ancestor-or-self::*/@xml:space")]
    return " ".join(text.split()) if space and space[-1] == "default" else text


def _tidy_after_codes(text: str) -> str:
    """Spaces that stood on both sides of a removed code become one; ends trimmed."""
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def read_tmx(path: Path) -> tuple[list[NewEntry], list[str]]:
    """(entries, skipped) of a TMX file; see `read_tmx_notes` for the notes on inline codes removed."""
    entries, skipped, _ = read_tmx_notes(path)
    return entries, skipped


EXCHANGE_MAX_BYTES = 512 * 1024 * 1024  # a TMX/XLIFF file: a whole office's memory of 100,000 units is ~50 MB


def _read_exchange_file(path: Path) -> bytes:
    """The bytes of a TMX/XLIFF file; InputError for a FIFO, a device or a file over the limit (never waits)."""
    try:
        return read_bounded(Path(path), EXCHANGE_MAX_BYTES, "a TMX or XLIFF file")
    except LimitExceeded as exc:
        raise InputError(f"{path} {exc}; give the exported memory file itself") from None


def read_tmx_notes(path: Path) -> tuple[list[NewEntry], list[str], list[str]]:
    """(entries, skipped units with the reason, notes): inline codes are stripped (the text between them kept)
    and each unit that had some is noted."""
    from translate.storage import tmx

    try:
        store = tmx.tmxfile.parsestring(_read_exchange_file(path))
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    except Exception as exc:  # lxml syntax errors
        raise InputError(f"{path} is not a TMX file ({type(exc).__name__}: {exc}).") from None
    source_lang = store.sourcelanguage or "en"
    entries: list[NewEntry] = []
    skipped: list[str] = []
    notes: list[str] = []
    for number, unit in enumerate(store.units, 1):
        element = unit.xmlelement
        props = {p.get("type"): (p.text or "") for p in element.iter("prop")}
        texts = []
        codes: set[str] = set()
        kept: set[str] = set()
        for node in unit.getlanguageNodes():
            lang = node.get(f"{{{XML_NS}}}lang") or node.get("lang")
            removed = _strip_inline_codes(node)
            text = _seg_text(node, kept)
            if removed:
                codes.update(removed)
                text = _tidy_after_codes(text)
            texts.append((lang, text))
        if codes:
            notes.append(f"tu {number}: inline codes removed ({', '.join(sorted(codes))}), the text between them kept")
        if kept:
            names = ", ".join(f"&{name};" for name in sorted(kept))
            notes.append(f"tu {number}: entity reference {names} kept as written (the file does not declare it as short text)")
        unit_source_lang = element.get("srclang") or source_lang
        sources = [t for lang, t in texts if _is_english(lang)]
        if not _is_english(unit_source_lang) and unit_source_lang != "*all*" or not sources:
            skipped.append(f"tu {number}: no English source")
            continue
        status = props.get("x-status") or APPROVED
        if status not in STATUSES:
            skipped.append(f"tu {number}: unknown status {status!r}")
            continue
        for lang, text in texts:
            if _is_english(lang):
                continue
            if not text.strip() or not sources[0].strip():
                skipped.append(f"tu {number} ({lang}): empty text")
                continue
            entries.append(
                NewEntry(
                    source=sources[0],
                    lang=normalize_lang(lang) or lang,
                    target=text,
                    status=status,
                    document=props.get("x-document") or Path(path).name,
                    release=props.get("x-release") or None,
                    run_id=props.get("x-run-id") or None,
                    segment_id=props.get("x-segment-id") or None,
                    reviewer=element.get("changeid") or element.get("creationid") or None,
                    comment=unit.getnotes() or None,
                    origin=props.get("x-origin") or "tmx",
                    approved_at=_iso_from_tmx(element.get("changedate") or element.get("creationdate")),
                )
            )
    return entries, skipped, notes


# --------------------------------------------------------------------------------------------- XLIFF 2.0


def xliff_bytes(entries: list[MemoryEntry], lang: str) -> bytes:
    from lxml import etree
    from translate.storage import xliff2

    store = xliff2.Xliff2File(sourcelanguage="en", targetlanguage=lang)
    units = []
    for entry in entries:
        unit = store.addsourceunit(entry.source)
        unit.target = entry.target
        unit.setid(f"tm-{entry.source_hash}-{entry.seq}")
        if entry.status == APPROVED:
            unit.xmlelement.set("state", "final")
        else:
            unit.xmlelement.set("state", "translated")
            unit.xmlelement.set("subState", SUBSTATE_PREFIX + entry.status)
        units.append((unit, entry))
    root = etree.fromstring(bytes(store))
    new_root = etree.Element(root.tag, nsmap={None: XLIFF2_NS, "mda": MDA_NS})
    for key, value in root.attrib.items():
        new_root.set(key, value)
    for child in root:
        new_root.append(child)
    by_id = {e_unit.getid(): entry for e_unit, entry in units}
    for unit in new_root.iter(f"{{{XLIFF2_NS}}}unit"):
        entry = by_id[unit.get("id")]
        segment = unit.find(f"{{{XLIFF2_NS}}}segment")
        space = segment.attrib.pop(f"{{{XML_NS}}}space", None)
        if space:
            unit.set(f"{{{XML_NS}}}space", space)
        for notes in segment.findall(f"{{{XLIFF2_NS}}}notes"):
            segment.remove(notes)
        metadata = etree.Element(f"{{{MDA_NS}}}metadata")
        group = etree.SubElement(metadata, f"{{{MDA_NS}}}metaGroup", category="kmu-translation-memory")
        for name in _META_FIELDS:
            value = getattr(entry, name)
            if value:
                meta = etree.SubElement(group, f"{{{MDA_NS}}}meta", type=name)
                meta.text = value
        segment.addprevious(metadata)
        if entry.comment:
            notes = etree.Element(f"{{{XLIFF2_NS}}}notes")
            note = etree.SubElement(notes, f"{{{XLIFF2_NS}}}note", category="comment")
            note.text = entry.comment
            segment.addprevious(notes)
    etree.indent(new_root, space="  ")
    # Re-indentation must not touch text inside source/target/note: they have no element children here.
    return etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _xliff_version(data: bytes) -> str:
    match = re.search(rb"<xliff[^>]*\bversion\s*=\s*['\"]([^'\"]+)['\"]", data[:4096])
    return match.group(1).decode("ascii", "replace") if match else ""


def read_xliff(path: Path) -> tuple[list[NewEntry], list[str]]:
    try:
        data = _read_exchange_file(path)
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    version = _xliff_version(data)
    try:
        if version.startswith("1."):
            return _read_xliff1(path, data)
        return _read_xliff2(path, data)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path} is not an XLIFF file ({type(exc).__name__}: {exc}).") from None


def _read_xliff2(path: Path, data: bytes) -> tuple[list[NewEntry], list[str]]:
    from translate.storage import xliff2

    store = xliff2.Xliff2File.parsestring(data)
    src = store.getsourcelanguage()
    lang = normalize_lang(store.gettargetlanguage())
    if not _is_english(src):
        raise InputError(f"{path}: source language {src!r}; this memory holds English sources.")
    if not lang:
        raise InputError(f"{path}: no target language (trgLang) in the XLIFF file.")
    entries: list[NewEntry] = []
    skipped: list[str] = []
    for unit in store.units:
        segment = unit.xmlelement
        unit_element = unit.getunitelement()
        meta = {
            m.get("type"): (m.text or "")
            for m in unit_element.iter(f"{{{MDA_NS}}}meta")
            if m.getparent() is not None and m.getparent().get("category") == "kmu-translation-memory"
        }
        notes = [
            n.text
            for n in unit_element.iter(f"{{{XLIFF2_NS}}}note")
            if n.text and (n.get("category") in (None, "comment"))
        ]
        state = segment.get("state") or "initial"
        sub = segment.get("subState") or ""
        if sub.startswith(SUBSTATE_PREFIX) and sub[len(SUBSTATE_PREFIX) :] in STATUSES:
            status = sub[len(SUBSTATE_PREFIX) :]
        elif state in ("reviewed", "final"):
            status = APPROVED
        else:
            skipped.append(f"unit {unit.getid()}: state {state!r}, not reviewed")
            continue
        source, target = unit.source or "", unit.target or ""
        if not source.strip() or not target.strip():
            skipped.append(f"unit {unit.getid()}: empty source or target")
            continue
        entries.append(
            NewEntry(
                source=source,
                lang=lang,
                target=target,
                status=status,
                document=meta.get("document") or Path(path).name,
                release=meta.get("release") or None,
                run_id=meta.get("run_id") or None,
                segment_id=meta.get("segment_id") or None,
                reviewer=meta.get("reviewer") or None,
                comment="\n".join(notes) or None,
                origin=meta.get("origin") or "xliff",
                approved_at=meta.get("approved_at") or None,
            )
        )
    return entries, skipped


def _read_xliff1(path: Path, data: bytes) -> tuple[list[NewEntry], list[str]]:
    from translate.storage import xliff

    store = xliff.xlifffile.parsestring(data)
    src = store.getsourcelanguage()
    lang = normalize_lang(store.gettargetlanguage())
    if src and not _is_english(src):
        raise InputError(f"{path}: source language {src!r}; this memory holds English sources.")
    if not lang:
        raise InputError(f"{path}: no target language (target-language) in the XLIFF file.")
    entries: list[NewEntry] = []
    skipped: list[str] = []
    for unit in store.units:
        if not unit.isapproved():
            skipped.append(f"trans-unit {unit.getid()}: not approved")
            continue
        source, target = unit.source or "", unit.target or ""
        if not source.strip() or not target.strip():
            skipped.append(f"trans-unit {unit.getid()}: empty source or target")
            continue
        entries.append(
            NewEntry(source=source, lang=lang, target=target, document=Path(path).name, comment=unit.getnotes() or None, origin="xliff")
        )
    return entries, skipped


# --------------------------------------------------------------------------------------------- commands


def format_of(path: Path, given: str | None = None) -> str:
    if given:
        return given
    suffix = Path(path).suffix.lower()
    if suffix == ".tmx":
        return "tmx"
    if suffix in (".xlf", ".xliff", ".xlif"):
        return "xliff"
    raise InputError(f"{path}: cannot tell the format from the name; add --format tmx or --format xliff.")


def export_memory(
    store: MemoryStore, path: Path, fmt: str, *, lang: str | None = None, all_entries: bool = False
) -> int:
    """Write the memory (current entries; every entry with `all_entries`) to `path` atomically; the count."""
    entries = store.entries(lang, current_only=not all_entries)
    if fmt == "tmx":
        data = tmx_bytes(entries)
    elif fmt == "xliff":
        langs = sorted({e.lang for e in entries}) if lang is None else [lang]
        if len(langs) > 1:
            raise InputError(
                f"XLIFF 2.0 holds one target language and the memory holds {', '.join(langs)}: "
                f"add --lang {langs[0]} (one file per language), or export --format tmx."
            )
        data = xliff_bytes(entries, langs[0] if langs else (lang or "und"))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    atomic_write_bytes(path, data)
    return len(entries)


def import_memory(store: MemoryStore, path: Path, fmt: str | None = None) -> ExchangeResult:
    """Add a TMX or XLIFF file's approved pairs to the memory (one transaction)."""
    fmt = format_of(path, fmt)
    if fmt == "tmx":
        entries, skipped, notes = read_tmx_notes(path)
    else:
        (entries, skipped), notes = read_xliff(path), []
    added = store.add(entries)
    return ExchangeResult(added=added, read=len(entries), skipped=skipped, notes=notes)


__all__ += ["NEEDS_GLOSSARY_REVIEW", "format_of", "normalize_lang"]

"""TBX (ISO 30042, the TBX-Basic dialect of TBX 2008: `<martif type="TBX-Basic">`), the termbase format other
translation tools read. Written and read with lxml so that every field survives a round trip:

    <termEntry id="kmu">                                    entry id
      <descrip type="subjectField">institution</descrip>    kind
      <admin type="x-caseSensitive">yes</admin>             case_sensitive (only when set)
      <admin type="x-allowTraditionalInJa">yes</admin>      allow_traditional_in_ja (only when set)
      <admin type="x-institutionType">university</admin>    institution_type (only when set)
      <admin type="x-person">{"family": "Yu", ...}</admin>   person, as JSON (only when set)
      <note>...</note>                                      note
      <langSet xml:lang="en">
        <tig><term>Kaohsiung Medical University</term>
             <termNote type="termType">fullForm</termNote>
             <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>  status approved
                                                       (admittedTerm-admn-sts: status proposed)
        (each target's fullForm tig carries the status of its language: `Entry.status_for(lang)`, so
        `target_status` survives the round trip)
        <tig id="kmu.abbr.1"><term>KMU</term><termNote type="termType">abbreviation</termNote></tig>
        <tig><term>...</term><termNote type="termType">variant</termNote></tig>
      </langSet>
      <langSet xml:lang="zh-TW">
        <tig><term>高雄醫學大學</term><termNote type="termType">fullForm</termNote>...</tig>
        <tig><term>高醫</term><termNote type="termType">abbreviation</termNote>
             <ref type="crossReference" target="kmu.abbr.1">KMU</ref></tig>   the abbreviation it renders
      </langSet>
    </termEntry>

translate-toolkit's `translate.storage.tbx` reads these files (source and target terms); it cannot carry variants,
abbreviation targets, kinds or statuses itself, which is why this module writes the XML.

Reading TBX from other tools: a termEntry without an `id` (translate-toolkit writes none) gets one made from its
English term (`generated_id`: slugified, `-2`, `-3` ... when taken), so the same file always gives the same ids;
`xml:lang="zh_TW"` is read as zh-TW.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.glossary.formats.base import GlossaryFormat, Record, build_entry, one_line
from pipeline.glossary.model import Entry, Problem

__all__ = ["TbxFormat", "generated_id", "slug"]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_TO_TBX = {"approved": "preferredTerm-admn-sts", "proposed": "admittedTerm-admn-sts"}
TBX_TO_STATUS = {v: k for k, v in STATUS_TO_TBX.items()}
SOURCE_LANG = "en"


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _term_note(tig, kind: str) -> str | None:
    for note in _children(tig, "termNote"):
        if note.get("type") == kind:
            return note.text or ""
    return None


def _text(element) -> str:
    return "".join(element.itertext())


def slug(english: str) -> str:
    """An entry id from an English term: ASCII letters and digits joined by '-', lowercase, starting with a letter
    (`Shibasaburō Kitasato` → `shibasaburo-kitasato`, `1,000-yen note` → `term-1-000-yen-note`)."""
    decomposed = unicodedata.normalize("NFKD", re.sub("['’ʼ]", "", english))
    ascii_text = "".join(ch if ch.isascii() else "" if unicodedata.combining(ch) else "-" for ch in decomposed)
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not text:
        return "term"
    return text if text[0].isalpha() else f"term-{text}"


def generated_id(english: str, used: set[str]) -> str:
    """`slug(english)`, with `-2`, `-3`, ... added when another entry of the file already has it: the same file
    always gives the same ids."""
    base = slug(english)
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# The termEntry's plain-text fields: (element, its type) → the entry's field.
_TEXT_FIELDS = {
    ("descrip", "subjectField"): "kind",
    ("admin", "x-caseSensitive"): "case_sensitive",
    ("admin", "x-allowTraditionalInJa"): "allow_traditional_in_ja",
    ("admin", "x-institutionType"): "institution_type",
}


def _read_entry_fields(term_entry, values: dict, lines: dict[str, int]) -> None:
    """The termEntry's own fields (kind, flags, institution type, person, note) into `values`, with their lines."""
    for child in term_entry:
        name, kind = _local(child.tag), child.get("type")
        field_name = _TEXT_FIELDS.get((name, kind))
        if field_name is not None:
            values[field_name] = _text(child)
            lines[field_name] = child.sourceline
        elif name == "admin" and kind == "x-person":
            # a person's parts (family name and its forms, titles) as JSON: no TBX data category holds them
            try:
                values["person"] = json.loads(_text(child))
            except ValueError:
                values["person"] = _text(child)  # build_entry reports it as not a mapping
            lines["person"] = child.sourceline
        elif name == "note":
            values["note"] = _text(child)
            lines["note"] = child.sourceline


@dataclass
class _Terms:
    """The terms of one termEntry's langSets, gathered before they become the Record's values."""

    targets: dict[str, str] = field(default_factory=dict)
    variants: list[str] = field(default_factory=list)
    abbreviations: dict[str, dict[str, str]] = field(default_factory=dict)
    abbreviation_ids: dict[str, str] = field(default_factory=dict)  # English abbreviation tig id → abbreviation
    target_abbreviations: list[tuple[str, object, str]] = field(default_factory=list)  # (lang, its <ref>, text)
    target_status: dict[str, str] = field(default_factory=dict)  # build_entry keeps those that differ from `status`


def _read_english_term(tig, term, terms: _Terms, values: dict, lines: dict[str, int]) -> None:
    """An English tig: the abbreviation, the English term (the first full form, with the status) or a variant."""
    text = _text(term)
    term_type = _term_note(tig, "termType")
    status = _term_note(tig, "administrativeStatus")
    if term_type == "abbreviation" or term_type == "acronym":
        terms.abbreviations[text] = {}
        if tig.get("id"):
            terms.abbreviation_ids[tig.get("id")] = text
        lines[f"abbreviations.{text}"] = tig.sourceline
    elif "english" not in values and term_type in (None, "fullForm"):
        values["english"] = text
        lines["english"] = term.sourceline
        if status is not None:
            values["status"] = TBX_TO_STATUS.get(status, "approved")
    else:
        lines[f"variants[{len(terms.variants)}]"] = term.sourceline
        terms.variants.append(text)


def _read_target_term(
    tig, term, lang: str, terms: _Terms, entry: str | None, lines: dict[str, int], file: str, problems: list[Problem]
) -> None:
    """A target language's tig: its abbreviation (linked later) or its one target, with the status."""
    text = _text(term)
    term_type = _term_note(tig, "termType")
    status = _term_note(tig, "administrativeStatus")
    if term_type in ("abbreviation", "acronym"):
        ref = next((r for r in tig.iter() if _local(r.tag) == "ref"), None)
        terms.target_abbreviations.append((lang, ref, text))
        return
    if lang in terms.targets:
        problems.append(
            Problem(
                "schema",
                f"two {lang} terms in one entry ({terms.targets[lang]!r} and {text!r}): "
                "a glossary has exactly one target per language",
                file=file,
                line=term.sourceline,
                entry=entry,
            )
        )
        return
    terms.targets[lang] = text
    lines[f"targets.{lang}"] = term.sourceline
    if status in TBX_TO_STATUS:
        terms.target_status[lang] = TBX_TO_STATUS[status]
        lines[f"target_status.{lang}"] = term.sourceline


def _link_target_abbreviations(
    terms: _Terms, entry: str | None, line: int, lines: dict[str, int], file: str, problems: list[Problem]
) -> None:
    """Each target abbreviation under the English abbreviation its <ref> names; a problem where it names none."""
    for lang, ref, text in terms.target_abbreviations:
        abbreviation = None
        if ref is not None:
            abbreviation = terms.abbreviation_ids.get(ref.get("target") or "") or _text(ref)
        if abbreviation not in terms.abbreviations:
            problems.append(
                Problem(
                    "schema",
                    f"{lang} abbreviation {text!r} does not say which English abbreviation it renders "
                    '(<ref type="crossReference" target="ID of the English abbreviation\'s tig">)',
                    file=file,
                    line=line,
                    entry=entry,
                )
            )
            continue
        terms.abbreviations[abbreviation][lang] = text
        lines[f"abbreviations.{abbreviation}.{lang}"] = line


class TbxFormat(GlossaryFormat):
    name = "tbx"
    suffixes = (".tbx",)

    def read(self, path: Path) -> tuple[list[Entry], list[Problem]]:
        from lxml import etree

        file = str(path)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=True)
        try:
            root = etree.parse(str(path), parser).getroot()
        except etree.XMLSyntaxError as exc:
            line = exc.lineno or 1
            # lxml's message ends with "\n, line L, column C" (two lines): the line is in file:line already
            message = re.sub(r"\s*,\s*line \d+, column \d+\s*$", "", exc.msg or "")
            return [], [Problem("parse", one_line(f"XML error: {message}"), file=file, line=line)]
        if _local(root.tag) not in ("martif", "tbx"):
            return [], [Problem("parse", f"not a TBX file (root element <{_local(root.tag)}>)", file=file, line=1)]
        problems: list[Problem] = []
        entries = []
        term_entries = [e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")]
        used = {e.get("id") for e in term_entries if e.get("id")}
        for term_entry in term_entries:
            record = self._record(term_entry, path, problems)
            if record is None:
                continue
            if not record.values.get("id") and isinstance(record.values.get("english"), str):
                # TBX from other tools (translate-toolkit's tbxfile) has no termEntry/@id: one from the English.
                record.values["id"] = generated_id(record.values["english"], used)
                used.add(record.values["id"])
            entry = build_entry(record, problems)
            if entry is not None:
                entries.append(entry)
        return entries, problems

    def _record(self, term_entry, path: Path, problems: list[Problem]) -> Record | None:
        line = term_entry.sourceline or 1
        values: dict = {}
        lines: dict[str, int] = {}
        if term_entry.get("id") is not None:
            values["id"] = term_entry.get("id")
        _read_entry_fields(term_entry, values, lines)
        terms = _Terms()
        for lang_set in _children(term_entry, "langSet"):
            lang = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").replace("_", "-")  # zh_TW → zh-TW
            tigs = [t for t in lang_set if _local(t.tag) in ("tig", "ntig", "termSec")]
            for tig in tigs:
                term = next((t for t in tig.iter() if _local(t.tag) == "term"), None)
                if term is None:
                    continue
                if lang.lower().split("-")[0] == SOURCE_LANG:
                    _read_english_term(tig, term, terms, values, lines)
                else:
                    _read_target_term(tig, term, lang, terms, values.get("id"), lines, str(path), problems)
        _link_target_abbreviations(terms, values.get("id"), line, lines, str(path), problems)
        if terms.variants:
            values["variants"] = terms.variants
        if terms.abbreviations:
            values["abbreviations"] = terms.abbreviations
        if terms.targets:
            values["targets"] = terms.targets
        if terms.target_status:
            values["target_status"] = terms.target_status
        return Record(values, path, line, lines)

    def dumps(self, entries: list[Entry]) -> bytes:
        from lxml import etree

        root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: SOURCE_LANG})
        header = etree.SubElement(root, "martifHeader")
        file_desc = etree.SubElement(header, "fileDesc")
        source_desc = etree.SubElement(file_desc, "sourceDesc")
        etree.SubElement(source_desc, "p").text = "Exported by `translate glossary export` (docs/glossary.md)"
        encoding_desc = etree.SubElement(header, "encodingDesc")
        etree.SubElement(encoding_desc, "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
        body = etree.SubElement(etree.SubElement(root, "text"), "body")
        for e in entries:
            term_entry = etree.SubElement(body, "termEntry", id=e.id)
            etree.SubElement(term_entry, "descrip", type="subjectField").text = e.kind
            if e.case_sensitive is not None:
                etree.SubElement(term_entry, "admin", type="x-caseSensitive").text = "yes" if e.case_sensitive else "no"
            if e.allow_traditional_in_ja:
                etree.SubElement(term_entry, "admin", type="x-allowTraditionalInJa").text = "yes"
            if e.institution_type:
                etree.SubElement(term_entry, "admin", type="x-institutionType").text = e.institution_type
            if e.person:
                etree.SubElement(term_entry, "admin", type="x-person").text = json.dumps(e.person, ensure_ascii=False)
            if e.note:
                etree.SubElement(term_entry, "note").text = e.note
            english = etree.SubElement(term_entry, "langSet", {XML_LANG: SOURCE_LANG})
            self._tig(english, e.english, "fullForm", STATUS_TO_TBX[e.status])
            ids = {}
            for i, abbreviation in enumerate(e.abbreviations, 1):
                ids[abbreviation] = f"{e.id}.abbr.{i}"
                self._tig(english, abbreviation, "abbreviation", None, tig_id=ids[abbreviation])
            for variant in e.variants:
                self._tig(english, variant, "variant", None)
            langs = list(e.targets)
            langs += [lang for own in e.abbreviations.values() for lang in own if lang not in langs]
            for lang in langs:
                lang_set = etree.SubElement(term_entry, "langSet", {XML_LANG: lang})
                if lang in e.targets:
                    self._tig(lang_set, e.targets[lang], "fullForm", STATUS_TO_TBX[e.status_for(lang)])
                for abbreviation, own in e.abbreviations.items():
                    if lang in own:
                        tig = self._tig(lang_set, own[lang], "abbreviation", None)
                        ref = etree.SubElement(tig, "ref", type="crossReference", target=ids[abbreviation])
                        ref.text = abbreviation
        etree.indent(root, space="  ")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    @staticmethod
    def _tig(parent, text: str, term_type: str, status: str | None, tig_id: str | None = None):
        from lxml import etree

        tig = etree.SubElement(parent, "tig")
        if tig_id:
            tig.set("id", tig_id)
        etree.SubElement(tig, "term").text = text
        etree.SubElement(tig, "termNote", type="termType").text = term_type
        if status:
            etree.SubElement(tig, "termNote", type="administrativeStatus").text = status
        return tig

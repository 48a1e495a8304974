"""The titles table and the house style as a glossary's YAML files give them: the top-level `titles:` and
`house_style:` sections (docs/glossary.md, "People and titles"), read with the entries reader's loader and limits."""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml

from pipeline.core.limits import GLOSSARY_MAX_BYTES, LimitExceeded, read_bounded
from pipeline.glossary.formats.yaml_bounds import expansion_problem
from pipeline.glossary.formats.yaml_format import GlossaryLoader, ShapeError, plain_data
from pipeline.glossary.language_keys import language_key_problem
from pipeline.glossary.model import Problem
from pipeline.glossary.people.titles import COLLEGE, INSTITUTION_TYPES, TYPOGRAPHY, HouseStyle, Title, TitleTable, default_table

__all__ = ["read_titles"]

_HAS_SECTION = re.compile(r"^(?:titles|house_style)\s*:", re.MULTILINE)


def read_titles(files: list[Path]) -> tuple[TitleTable, HouseStyle, list[Problem]]:
    """The titles table and house style of a glossary's YAML files (`titles:` and `house_style:` at the top).

    A glossary that gives no `titles:` gets the shipped `DEFAULT_TITLES`; one that does gets exactly its own.
    Problems are "parse"/"schema" (fatal) for a section that cannot be used.
    """
    titles: list[Title] = []
    style = HouseStyle()
    problems: list[Problem] = []
    found_titles = False
    for path in files:
        if Path(path).suffix.lower() not in (".yaml", ".yml"):
            continue
        try:
            text = read_bounded(Path(path), GLOSSARY_MAX_BYTES, "a glossary file").decode("utf-8-sig")
        except (OSError, UnicodeDecodeError, LimitExceeded):
            continue  # the entries reader reports it (a FIFO, a file over the limit: never read here either)
        if not _HAS_SECTION.search(text):
            continue  # the common case: no second parse
        data, lines, problem = _compose_sections(text, str(path))
        if problem:
            problems.append(problem)
            continue
        if "titles" in data:
            found_titles = True
            titles += _read_title_list(data["titles"], lines, str(path), problems)
        if "house_style" in data:
            style = _read_style(data["house_style"], lines, str(path), problems)
    table = TitleTable(titles) if found_titles else default_table()
    return table, style, problems


def _compose_sections(text: str, file: str):
    """The `titles` and `house_style` values of a YAML file with the line of every key (the entries reader's
    loader, so the same limits apply)."""
    try:
        root = yaml.compose(text, Loader=GlossaryLoader)
    except (yaml.YAMLError, RecursionError):
        return {}, {}, None  # the entries reader reports the syntax error with its line
    if not isinstance(root, yaml.MappingNode) or expansion_problem(root) is not None:
        return {}, {}, None  # an alias bomb: the entries reader refuses the file (issue 13's bound)
    data: dict = {}
    lines: dict[str, int] = {}
    for key_node, value_node in root.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value in ("titles", "house_style"):
            lines[key_node.value] = key_node.start_mark.line + 1
            try:
                data[key_node.value] = plain_data(value_node, key_node.value, lines)
            except ShapeError as bad:
                return {}, {}, Problem("schema", bad.message, file=file, line=bad.line)
    return data, lines, None


def _read_title_list(raw, lines: dict[str, int], file: str, problems: list[Problem]) -> list[Title]:
    def bad(key: str, message: str) -> None:
        problems.append(Problem("schema", message, file=file, line=lines.get(key, lines.get("titles", 1))))

    if not isinstance(raw, list):
        bad("titles", "'titles' must be a list of titles (english:, forms:)")
        return []
    result = []
    for i, item in enumerate(raw):
        key = f"titles[{i}]"
        if not isinstance(item, dict):
            bad(key, "a title must be a mapping (english:, variants:, forms:)")
            continue
        unknown = set(item) - {"english", "variants", "forms", "courtesy", "note"}
        if unknown:
            bad(key, f"unknown field(s) {', '.join(sorted(map(str, unknown)))} in a title (english, variants, forms, courtesy, note)")
            continue
        english = item.get("english")
        if not isinstance(english, str) or not english.strip():
            bad(key, "a title needs its English form (english: President)")
            continue
        variants = item.get("variants") or []
        if isinstance(variants, str):
            variants = [variants]
        if not isinstance(variants, list) or not all(isinstance(v, str) and v for v in variants):
            bad(f"{key}.variants", f"title {english!r}: 'variants' must be a list of English forms")
            continue
        raw_forms = item.get("forms") or {}
        if not isinstance(raw_forms, dict):
            bad(f"{key}.forms", f"title {english!r}: 'forms' must map an institution type to language → form")
            continue
        forms: dict[str, dict[str, str]] = {}
        ok = True
        for kind, by_lang in raw_forms.items():
            where = f"{key}.forms.{kind}"
            if kind not in INSTITUTION_TYPES and kind != "default":
                bad(where, f"title {english!r}: institution type {kind!r} is not one of: default, {', '.join(INSTITUTION_TYPES)}")
                ok = False
                continue
            if not isinstance(by_lang, dict):
                bad(where, f"title {english!r}: forms for {kind} must map language → form")
                ok = False
                continue
            forms[kind] = {}
            for lang, form in by_lang.items():
                if language_key_problem(lang) is not None:
                    bad(f"{where}.{lang}", f"title {english!r}: {language_key_problem(lang)}")
                    ok = False
                elif not isinstance(form, str) or not form.strip():
                    bad(f"{where}.{lang}", f"title {english!r}: the {lang} form for {kind} must be non-empty text")
                    ok = False
                else:
                    forms[kind][lang] = form
        courtesy = item.get("courtesy", False)
        if not isinstance(courtesy, bool):
            bad(f"{key}.courtesy", f"title {english!r}: 'courtesy' must be true or false")
            ok = False
        if ok:
            own_lines = {k[len(key) + 1 :]: v for k, v in lines.items() if k.startswith(key + ".")}
            result.append(Title(english, list(variants), forms, courtesy, file, lines.get(key, 0), own_lines))
    return result


def _read_style(raw, lines: dict[str, int], file: str, problems: list[Problem]) -> HouseStyle:
    style = HouseStyle(source=file, line=lines.get("house_style", 0))

    def bad(key: str, message: str) -> None:
        problems.append(Problem("schema", message, file=file, line=lines.get(key, style.line)))

    if not isinstance(raw, dict):
        bad("house_style", "'house_style' must be a mapping (default_institution:, later_mentions:, patterns:, typography:)")
        return style
    for key, value in raw.items():
        where = f"house_style.{key}"
        if key == "default_institution":
            if value not in INSTITUTION_TYPES or value == COLLEGE:
                kinds = ", ".join(k for k in INSTITUTION_TYPES if k != COLLEGE)
                bad(where, f"default_institution {value!r} is not one of: {kinds} (a college's title needs its name)")
            else:
                style.default_institution = value
        elif key == "later_mentions":
            if value not in ("family", "full"):
                bad(where, f"later_mentions {value!r} must be 'family' (余校長) or 'full' (余明隆校長)")
            else:
                style.later_mentions = value
        elif key == "typography":
            if value not in TYPOGRAPHY:
                bad(where, f"typography {value!r} must be 'apply' (publish typesets a reviewer's text too, and "
                           "review import shows what changes) or 'keep' (a reviewer's text is published as typed)")
            else:
                style.typography = value
        elif key == "patterns":
            if not isinstance(value, dict):
                bad(where, "'patterns' must map a language to {name: ..., with_institution: ...}")
                continue
            for lang, pats in value.items():
                pwhere = f"{where}.{lang}"
                if language_key_problem(lang) is not None or not isinstance(pats, dict):
                    bad(pwhere, f"patterns: {lang!r} must be a language code with a mapping of patterns")
                    continue
                for kind, pattern in pats.items():
                    needed = {"name", "title"} | ({"institution"} if kind == "with_institution" else set())
                    if kind not in ("name", "with_institution"):
                        bad(f"{pwhere}.{kind}", f"pattern {kind!r} is not one of: name, with_institution")
                    elif not isinstance(pattern, str) or not _placeholders_ok(pattern, needed):
                        bad(f"{pwhere}.{kind}",
                            f"pattern {pattern!r} must use exactly {', '.join('{' + n + '}' for n in sorted(needed))}")  # fmt: skip
                    else:
                        style.patterns.setdefault(lang, {})[kind] = pattern
        else:
            bad(where, f"unknown house_style field {key!r} (default_institution, later_mentions, patterns, typography)")
    return style


def _placeholders_ok(pattern: str, needed: set[str]) -> bool:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        return False
    return names == needed

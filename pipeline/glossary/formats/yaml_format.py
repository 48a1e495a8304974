"""The project's own glossary format: YAML, one mapping per concept (docs/glossary.md).

Read with `yaml.compose` (libyaml when available) so that every value keeps its line: errors say file:line.
Duplicate keys, which plain YAML loading silently resolves to the last value, are reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipeline.glossary.model import Entry, Problem
from pipeline.glossary.formats.base import CONTROL_CHARACTERS as _CONTROL
from pipeline.glossary.formats.base import GlossaryFormat, Record, build_entry, control_character_message, entry_record, one_line
from pipeline.glossary.formats.yaml_bounds import expansion_problem

__all__ = ["GlossaryLoader", "ShapeError", "YamlFormat", "plain_data"]

TOP_LEVEL = ("version", "name", "description", "entries", "titles", "house_style")  # the last two: yaml_titles.py

_BOOLS = frozenset("yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF".split())
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: same result, faster


class GlossaryLoader(_BaseLoader):
    """The safe loader with a quicker tag resolver for the common case (plain text that is not a number)."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:
            if value in _BOOLS:
                return "tag:yaml.org,2002:bool"
            if value in _NULLS:
                return "tag:yaml.org,2002:null"
            if value[:1] not in "0123456789+-.=<":
                return "tag:yaml.org,2002:str"
        return super().resolve(kind, value, implicit)


_constructor = yaml.constructor.SafeConstructor()
_scalar_constructors = yaml.constructor.SafeConstructor.yaml_constructors


class ShapeError(Exception):
    """A YAML node the glossary cannot use (a non-text key, a duplicate key), with its line."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.ScalarNode) -> Any:
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    build = _scalar_constructors.get(node.tag)
    if build is None:
        return node.value
    value = build(_constructor, node)
    if not isinstance(value, (str, bool, int, float)) and value is not None:
        return str(node.value)  # timestamps and other YAML types: keep the text
    return value


_STR = "tag:yaml.org,2002:str"
_Scalar, _Sequence, _Mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode


def plain_data(node: yaml.Node, path: str, lines: dict[str, int]) -> Any:
    """The node as Python data; `lines[path]` gets the line of every mapping key and list item below it."""
    cls = node.__class__
    if cls is _Scalar:
        return node.value if node.tag == _STR else _scalar(node)
    if cls is _Mapping:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not _Scalar:
                raise ShapeError(_line(key_node), "a key must be plain text")
            key = key_node.value
            if key in result:
                where = f" in {path}" if path else ""
                raise ShapeError(_line(key_node), f"duplicate key {key!r}{where} (YAML would silently keep only the last)")
            sub = f"{path}.{key}" if path else key
            lines[sub] = key_node.start_mark.line + 1
            if value_node.__class__ is _Scalar and value_node.tag == _STR:
                result[key] = value_node.value
            else:
                result[key] = plain_data(value_node, sub, lines)
        return result
    if cls is _Sequence:
        result = []
        for i, item in enumerate(node.value):
            sub = f"{path}[{i}]"
            lines[sub] = item.start_mark.line + 1
            result.append(plain_data(item, sub, lines))
        return result
    raise ShapeError(_line(node), "unsupported YAML node")


class YamlFormat(GlossaryFormat):
    name = "yaml"
    suffixes = (".yaml", ".yml")

    def read(self, path: Path) -> tuple[list[Entry], list[Problem]]:
        file = str(path)
        problems: list[Problem] = []
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            return [], [Problem("parse", "not UTF-8 text; save the file as UTF-8", file=file, line=line)]
        bad = _CONTROL.search(text)
        if bad is not None:
            # YAML refuses these anyway, with a two-line message and a character offset; say it in one line, by line.
            line = text.count("\n", 0, bad.start()) + 1
            return [], [Problem("parse", control_character_message(bad.group()), file=file, line=line)]
        try:
            root = yaml.compose(text, Loader=GlossaryLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            last_line = max(1, len(text.rstrip("\n").split("\n")))
            line = min(mark.line + 1, last_line) if mark else 1
            context = exc.context or ""
            if context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
                context += f" (line {exc.context_mark.line + 1})"
            what = " ".join(str(x) for x in (context, exc.problem) if x)
            return [], [Problem("parse", one_line(f"YAML syntax error: {what}"), file=file, line=line)]
        except yaml.YAMLError as exc:
            # e.g. a ReaderError: "unacceptable character ...\n  in "<unicode string>", position N"
            position = getattr(exc, "position", None)
            line = text.count("\n", 0, position) + 1 if isinstance(position, int) else 1
            what = getattr(exc, "reason", None) or str(exc).split("\n")[0]
            return [], [Problem("parse", one_line(f"YAML error: {what}"), file=file, line=line)]
        except RecursionError:
            return [], [Problem("parse", "the YAML is nested too deeply; check the file's brackets", file=file, line=1)]
        if root is None:
            return [], []
        too_costly = expansion_problem(root)  # before anything walks the document as a tree
        if too_costly is not None:
            return [], [Problem("parse", too_costly[1], file=file, line=too_costly[0])]
        items = root
        if isinstance(root, yaml.MappingNode):
            items = None
            seen = set()
            for key_node, value_node in root.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key in seen:
                    problems.append(Problem("schema", f"duplicate key {key!r}", file=file, line=_line(key_node)))
                seen.add(key)
                if key == "entries":
                    items = value_node
                elif key not in TOP_LEVEL:
                    problems.append(
                        Problem(
                            "schema",
                            f"unknown top-level key {key!r} (expected: {', '.join(TOP_LEVEL)})",
                            file=file,
                            line=_line(key_node),
                        )
                    )
            if items is None:
                problems.append(Problem("schema", "no 'entries:' list in the file", file=file, line=_line(root)))
                return [], problems
        if isinstance(items, yaml.ScalarNode) and items.value in ("", "~", "null"):
            return [], problems
        if not isinstance(items, yaml.SequenceNode):
            problems.append(Problem("schema", "'entries' must be a list of entries", file=file, line=_line(items)))
            return [], problems
        entries = []
        for node in items.value:
            if not isinstance(node, yaml.MappingNode):
                problems.append(
                    Problem("schema", "an entry must be a mapping (id:, english:, ...)", file=file, line=_line(node))
                )
                continue
            lines: dict[str, int] = {}
            try:
                values = plain_data(node, "", lines)
            except ShapeError as bad:
                problems.append(Problem("schema", bad.message, file=file, line=bad.line))
                continue
            entry = build_entry(Record(values, path, _line(node), lines), problems)
            if entry is not None:
                entries.append(entry)
        return entries, problems

    def dumps(self, entries: list[Entry]) -> bytes:
        data = {"version": 1, "entries": [entry_record(e) for e in entries]}
        text = yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**6, indent=2
        )
        # A blank line between entries keeps diffs readable.
        out = []
        for line in text.splitlines():
            if line.startswith("- id:") and out and out[-1] != "entries:":
                out.append("")
            out.append(line)
        header = "# Glossary: see docs/glossary.md for the format.\n"
        return (header + "\n".join(out) + "\n").encode("utf-8")

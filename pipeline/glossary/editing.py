"""Changing a glossary YAML file the office maintains by hand, keeping it as they wrote it.

`glossary import FILE -o glossaries/kmu.yaml` into an existing file and `glossary suggest --write FILE` into an
existing file go through `merge_into_yaml`: the file is read with ruamel.yaml's round-trip loader, so comments,
the order of entries and keys, flow mappings (`{zh-TW: 余, ja: 余}`), quoting and blank lines stay as they were;
only the values that differ are changed, entries are added at the end, and the file before the change is kept as
`<file>.backup-<time>` (a name no glossary folder reads). A syntax error in the existing file names its line.

ruamel.yaml is imported here only (lazily, by the commands that write YAML): reading a glossary uses PyYAML.
"""

from __future__ import annotations

import io
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core.errors import GlossaryError, OutputError
from pipeline.core.limits import GLOSSARY_MAX_BYTES, LimitExceeded, read_bounded
from pipeline.files.atomic import atomic_write_bytes
from pipeline.glossary.formats.base import Record, build_entry, entry_record
from pipeline.glossary.formats.yaml_bounds import expansion_problem
from pipeline.glossary.model import FIELDS, Entry

__all__ = ["MergeReport", "merge_into_yaml"]


@dataclass
class MergeReport:
    updated: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # in the file, not in what was merged: left as they are
    backup: Path | None = None

    def summary(self) -> str:
        parts = [f"{len(self.updated)} updated", f"{len(self.added)} added", f"{len(self.unchanged)} unchanged"]
        if self.kept:
            parts.append(f"{len(self.kept)} only in the file kept")
        return ", ".join(parts)


def _round_trip():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long note
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _load(path: Path, text: str):
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = _round_trip()
    try:
        node = yaml.compose(text)
        problem = expansion_problem(node)
        if problem is not None:
            raise GlossaryError(f"{path}:{problem[0]}: {problem[1]}")
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x).replace("\n", " ")
        raise GlossaryError(
            f"{path}:{line}: YAML syntax error ({what}); fix that line in the file (or restore it from a backup) "
            "and import again — nothing was changed"
        ) from None
    except (YAMLError, RecursionError) as exc:
        raise GlossaryError(f"{path}: YAML error ({str(exc).splitlines()[0] if str(exc) else 'cannot parse'}); "
                            "nothing was changed") from None  # fmt: skip
    return yaml, data


def _detect_indent(text: str) -> tuple[int, int]:
    """(sequence indent, offset) of the file's entries list: `  - id:` (4, 2) or `- id:` (2, 0)."""
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if stripped.startswith("- id:"):
            offset = len(line) - len(stripped)
            return offset + 2, offset
    return 4, 2


def merge_into_yaml(path: Path, entries: list[Entry], *, update_existing: bool = True) -> MergeReport:
    """Merge `entries` into the glossary YAML file `path` in place (see the module doc); the report says what changed.

    An entry whose id is in the file has the fields that differ changed (or nothing, with `update_existing=False`);
    an entry whose id is not is added at the end. Entries only in the file are kept.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    path = Path(path)
    try:
        raw = read_bounded(path, GLOSSARY_MAX_BYTES, "a glossary file")
        text = raw.decode("utf-8-sig")
    except LimitExceeded as exc:
        raise GlossaryError(f"{path}: the file {exc}; nothing was changed") from None
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise GlossaryError(f"{path}: not UTF-8 text; save it as UTF-8 and import again") from None
    yaml, data = _load(path, text)
    sequence, offset = _detect_indent(text)
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    if data is None:
        data = CommentedMap([("version", 1), ("entries", CommentedSeq())])
    if not isinstance(data, dict) or not isinstance(data.get("entries", CommentedSeq()), list):
        raise GlossaryError(f"{path}: not a glossary file (a mapping with an 'entries:' list); nothing was changed")
    items = data.setdefault("entries", CommentedSeq())
    _refuse_duplicate_ids(path, items)
    by_id = {item.get("id"): item for item in items if isinstance(item, dict)}
    report = MergeReport()
    # Comments after the last entry (the next section's heading) belong to that entry in ruamel's model: they are
    # moved to the end of the last added entry, so that new entries go before them.
    tail = _tail_comment(items[-1]) if len(items) else None
    trailing = tail[0][tail[1]][2].value if tail else None
    for entry in entries:
        record = entry_record(entry)
        node = by_id.get(entry.id)
        if node is None:
            if len(items):
                _set_tail(items[-1], "\n\n")  # a blank line between entries, as the file has them
            items.append(_commented(record))
            report.added.append(entry.id)
            continue
        if not update_existing:
            report.unchanged.append(entry.id)
            continue
        current = build_entry(Record(_plain(node), path, 0), [])
        changed = False
        for name in FIELDS:
            if current is not None and getattr(current, name) == getattr(entry, name):
                continue
            if name in record:
                changed |= _set(node, name, record[name])
            elif name in node:
                del node[name]
                changed = True
        (report.updated if changed else report.unchanged).append(entry.id)
    if report.added and trailing is not None:
        _set_tail(items[-1], trailing)
    elif report.added and trailing is None:
        _set_tail(items[-1], "\n")
    merged = {e.id for e in entries}
    report.kept = [i for i in by_id if i not in merged]
    if not report.added and not report.updated:
        return report
    out = io.StringIO()
    yaml.dump(data, out)
    new_text = out.getvalue()
    if raw.startswith(b"\xef\xbb\xbf"):
        new_text = "\ufeff" + new_text
    report.backup = _backup(path)
    atomic_write_bytes(path, new_text.encode("utf-8"))
    return report


def _refuse_duplicate_ids(path: Path, items: list) -> None:
    """Stop before anything is written when the file holds one id twice: merging would update one of them and leave
    the other, and which one the reviewer meant is not ours to guess."""
    lines: dict[str, list[int]] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            lines.setdefault(item["id"], []).append(item.lc.line + 1 if hasattr(item, "lc") else 0)
    twice = {entry_id: where for entry_id, where in lines.items() if len(where) > 1}
    if twice:
        named = "; ".join(f"{entry_id!r} at lines {', '.join(map(str, where))}" for entry_id, where in twice.items())
        raise GlossaryError(
            f"{path}:{next(iter(twice.values()))[1]}: the file already uses an id twice ({named}); give each entry its "
            "own id or merge them (`translate glossary check` names them), then import again — nothing was changed"
        )


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def _set(node, key: str, value: Any) -> bool:
    """Set `node[key]` to plain `value`, changing only what differs (so comments on untouched keys stay)."""
    current = node.get(key)
    if isinstance(current, dict) and isinstance(value, dict):
        changed = False
        for k, v in value.items():
            changed |= _set(current, k, v)
        for k in [k for k in current if k not in value]:
            del current[k]
            changed = True
        return changed
    if _plain(current) == value:
        return False
    node[key] = _commented(value) if isinstance(value, (dict, list)) else value
    return True


def _commented(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _commented(v)
        return out
    if isinstance(value, list):
        return CommentedSeq([_commented(v) for v in value])
    return value


def _backup(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.backup-{stamp}")
    number = 1
    while backup.exists():
        number += 1
        backup = path.with_name(f"{path.name}.backup-{stamp}-{number}")
    try:
        shutil.copy2(path, backup)
    except OSError as exc:
        raise OutputError(f"{path}: cannot keep a backup ({exc.strerror or exc}); nothing was changed") from None
    return backup


def _last_path(node) -> list[tuple[Any, Any]]:
    """(container, key) from an entry down to its last scalar value: where ruamel keeps a comment that follows it."""
    path = []
    while isinstance(node, (dict, list)) and len(node):
        key = list(node.keys())[-1] if isinstance(node, dict) else len(node) - 1
        path.append((node, key))
        node = node[key]
    return path


def _tail_comment(node):
    """The ca.items list holding the comment after `node`'s last line, as (items dict, key), or None."""
    for container, key in reversed(_last_path(node)):
        ca = getattr(container, "ca", None)
        got = ca.items.get(key) if ca is not None else None
        if got and len(got) > 2 and got[2] is not None:
            return ca.items, key
    return None


def _set_tail(node, text: str) -> None:
    """Put `text` (newlines and comment lines) after `node`'s last line, replacing what was there."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    existing = _tail_comment(node)
    if existing is not None:
        items, key = existing
        items[key][2] = CommentToken(text, CommentMark(0), None)
        return
    path = _last_path(node)
    if not path:
        return
    container, key = path[-1]
    if not hasattr(container, "ca"):
        return
    slot = container.ca.items.setdefault(key, [None, None, None, None])
    while len(slot) < 4:
        slot.append(None)
    slot[2] = CommentToken(text, CommentMark(0), None)

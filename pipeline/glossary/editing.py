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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.core.errors import GlossaryError, OutputError
from pipeline.core.limits import GLOSSARY_MAX_BYTES, LimitExceeded, read_bounded
from pipeline.files.atomic import atomic_write_bytes
from pipeline.glossary.formats.base import Record, build_entry, entry_record
from pipeline.glossary.formats.yaml_bounds import expansion_problem
from pipeline.glossary.model import FIELDS, Entry

__all__ = ["MergeReport", "merge_into_yaml", "read_yaml_text", "verify_yaml_text", "with_entry_added"]


@dataclass
class MergeReport:
    updated: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # in the file, not in what was merged: left as they are
    removed: list[str] = field(default_factory=list)  # in the file, not in what was merged: removed (delete_missing)
    removed_english: dict[str, str] = field(default_factory=dict)  # their English names, for the listing
    backup: Path | None = None

    def summary(self) -> str:
        parts = [f"{len(self.updated)} updated", f"{len(self.added)} added", f"{len(self.unchanged)} unchanged"]
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
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


def merge_into_yaml(
    path: Path, entries: list[Entry], *, update_existing: bool = True, delete_missing: bool = False
) -> MergeReport:
    """Merge `entries` into the glossary YAML file `path` in place (see the module doc); the report says what changed.

    An entry whose id is in the file has the fields that differ changed (or nothing, with `update_existing=False`);
    an entry whose id is not is added at the end. Entries only in the file are kept, or with `delete_missing` removed
    (their lines; the comments and blank lines around them stay), the file before kept as a backup.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    path = Path(path)
    raw, text = read_yaml_text(path)
    removed: dict[str, str] = {}
    if delete_missing:
        before = len(_file_ids(path, text))
        text, removed = _without_entries(path, text, {e.id for e in entries})
        if removed and len(removed) == before:
            # every entry would go: a spreadsheet of another file, not this one with rows deleted
            raise GlossaryError(f"{path}: none of its {before} entries is in what was imported; is it the spreadsheet "
                                "of this file? Nothing was changed")  # fmt: skip
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
    order = _file_ids(path, text) if len(items) else []
    report = MergeReport()
    additions = []
    for entry in entries:
        node = by_id.get(entry.id)
        if node is None:
            additions.append(entry)
            report.added.append(entry.id)
        elif not update_existing or not _update(path, node, entry):
            report.unchanged.append(entry.id)
        else:
            report.updated.append(entry.id)
    merged = {e.id for e in entries}
    report.kept = [i for i in by_id if i not in merged]
    report.removed, report.removed_english = list(removed), removed
    if not report.added and not report.updated and not report.removed:
        return report
    if report.updated:
        out = io.StringIO()
        yaml.dump(data, out)
        text = out.getvalue()
    if additions:
        # as lines after the last entry, not through ruamel: a flow mapping or a comment ending the list stays whole
        text, _ = _with_entries_added(path, text, additions, after_kind=None)
    new_text = ("\ufeff" if raw.startswith(b"\xef\xbb\xbf") else "") + text
    verify_yaml_text(path, new_text, order + report.added)
    report.backup = _backup(path)
    atomic_write_bytes(path, new_text.encode("utf-8"))
    return report


def _update(path: Path, node, entry: Entry) -> bool:
    """Change the fields of the file's `node` that differ from `entry` (only those: comments on the others stay);
    whether anything changed."""
    record = entry_record(entry)
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
    return changed


def read_yaml_text(path: Path) -> tuple[bytes, str]:
    """The bytes and text of a glossary YAML file about to be changed; GlossaryError (nothing changed) if it cannot
    be read."""
    try:
        raw = read_bounded(path, GLOSSARY_MAX_BYTES, "a glossary file")
        return raw, raw.decode("utf-8-sig")
    except LimitExceeded as exc:
        raise GlossaryError(f"{path}: the file {exc}; nothing was changed") from None
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise GlossaryError(f"{path}: not UTF-8 text; save it as UTF-8 and try again; nothing was changed") from None


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


# ------------------------------------------------------------------------------------ entries as lines of the file
# Adding one entry (`glossary add`) and removing entries (`glossary import --delete-missing`) work on the file's
# lines, not through ruamel's dump: every other line stays byte for byte (comments, flow mappings, quoting, blank
# lines), and what was written is read back (`verify_yaml_text`) before the file is replaced.


@dataclass(frozen=True)
class _Span:
    id: str | None
    kind: str
    english: str
    first: int  # the entry's first line (its `- ` line), 0-based
    last: int  # its last line of content: comment and blank lines after it belong to what follows


def _entry_spans(path: Path, text: str) -> tuple[list[_Span], int]:
    """Each entry's lines, and the line where the entries list ends (the next top-level key, or the end)."""
    _, data = _load(path, text)
    lines = text.splitlines(keepends=True)
    items = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return [], len(lines)
    end = len(lines)
    if isinstance(data, dict) and "entries" in data:
        after = data.lc.key("entries")[0]
        following = [data.lc.key(k)[0] for k in data if data.lc.key(k)[0] > after]
        end = min(following, default=len(lines))
    starts = []
    for i, item in enumerate(items):
        first = items.lc.item(i)[0]
        while first > 0 and lines[first - 1].strip() == "-":  # `-` alone on its line, the mapping below it
            first -= 1
        values = item if isinstance(item, dict) else {}
        starts.append((values.get("id"), str(values.get("kind") or "term"), str(values.get("english") or ""), first))
    spans = []
    for k, (entry_id, kind, english, first) in enumerate(starts):
        stop = starts[k + 1][3] if k + 1 < len(starts) else end
        last = stop - 1
        while last > first and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
            last -= 1
        spans.append(_Span(str(entry_id) if entry_id is not None else None, kind, english, first, last))
    return spans, end


def _file_ids(path: Path, text: str) -> list[str]:
    return [span.id for span in _entry_spans(path, text)[0] if span.id is not None]


def _blank(line: str) -> bool:
    return not line.strip()


def _without_entries(path: Path, text: str, keep: set[str]) -> tuple[str, dict[str, str]]:
    """`text` without the entries whose id is not in `keep` (their lines only), and those entries (id → English) in
    file order."""
    spans, _ = _entry_spans(path, text)
    lines = text.splitlines(keepends=True)
    removed = [span for span in spans if span.id is not None and span.id not in keep]
    for span in reversed(removed):
        del lines[span.first : span.last + 1]
        # one blank line where the entry was, not two; none right under `entries:` or a comment that was right
        # above the entry (a section's heading stays on the entry now first in it)
        at = span.first
        above = lines[at - 1] if at > 0 else ""
        if at < len(lines) and _blank(lines[at]) and (
            at == 0 or _blank(above) or above.rstrip().endswith(":") or above.lstrip().startswith("#")
        ):
            del lines[at]
        elif at > 0 and _blank(lines[at - 1]) and (at == len(lines) or _blank(lines[at])):
            del lines[at - 1]
    return "".join(lines), {span.id: span.english for span in removed}


def with_entry_added(path: Path, text: str, entry: Entry) -> tuple[str, int]:
    """`text` with `entry` written after the file's last entry of the same kind (its section), else after its last
    entry, in the file's indentation, with a blank line before it where the file separates its entries so; every
    other line (comments, the titles: after the entries) stays as it is. Also returns the new entry's place in
    the list."""
    return _with_entries_added(path, text, [entry], after_kind=entry.kind)


def _with_entries_added(path: Path, text: str, entries: list[Entry], *, after_kind: str | None) -> tuple[str, int]:
    """`text` with `entries` written after the last entry of kind `after_kind` (None, or none of that kind: after
    the last entry); the place of the first of them in the list."""
    import yaml as pyyaml  # lazy: PyYAML writes the new entries; ruamel (above) reads the file's shape

    spans, _ = _entry_spans(path, text)
    lines = text.splitlines(keepends=True)
    if not spans:
        return _added_by_ruamel(path, text, entries), 0
    sequence, offset = _detect_indent(text)
    separated = len(spans) < 2 or any(_blank(lines[a.last + 1]) for a in spans[:-1] if a.last + 1 < len(lines))
    block: list[str] = []
    for entry in entries:
        dumped = pyyaml.safe_dump([entry_record(entry)], allow_unicode=True, sort_keys=False,
                                  default_flow_style=False, width=10**6, indent=sequence - offset)  # fmt: skip
        block += (["\n"] if separated else []) + [" " * offset + line + "\n" for line in dumped.splitlines()]
    after = [span for span in spans if span.kind == after_kind] or spans
    at = after[-1].last + 1
    if not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    lines[at:at] = block
    return "".join(lines), spans.index(after[-1]) + 1


def _added_by_ruamel(path: Path, text: str, entries: list[Entry]) -> str:
    """A file with no entry yet (`entries: []`, `entries:`): the list written by ruamel, the rest kept."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml, data = _load(path, text)
    sequence, offset = _detect_indent(text)
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    if data is None:
        data = CommentedMap([("version", 1)])
    if not isinstance(data, dict):
        raise GlossaryError(f"{path}: not a glossary file (a mapping with an 'entries:' list); nothing was changed")
    items = CommentedSeq(_commented(entry_record(entry)) for entry in entries)
    items.fa.set_block_style()
    data["entries"] = items
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def verify_yaml_text(path: Path, text: str, expected_ids: list[str]) -> list[Entry]:
    """Read `text` back as the glossary file `path` would be read (PyYAML, the schema check) and check that it holds
    exactly the entries `expected_ids`, in order: nothing is written otherwise (GlossaryError names the file)."""
    import tempfile

    from pipeline.glossary.formats.yaml_format import YamlFormat  # lazy: the reader, for the read-back only

    with tempfile.TemporaryDirectory(prefix="translate-glossary-") as folder:
        copy = Path(folder) / path.name
        copy.write_text(text, encoding="utf-8")
        entries, problems = YamlFormat().read(copy)
    ids = [e.id for e in entries]
    if problems or ids != expected_ids:
        what = str(problems[0]).replace(str(copy), str(path)) if problems else f"it would hold {len(ids)} entries, not {len(expected_ids)}"
        raise GlossaryError(f"{path}: the file could not be changed safely ({what}); nothing was changed")
    return [replace(e, source=path) for e in entries]

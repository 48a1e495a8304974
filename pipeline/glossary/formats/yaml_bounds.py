"""Bounds on a composed YAML document, checked before it is turned into Python data.

YAML's anchors and aliases let a few hundred bytes stand for billions of nodes ("billion laughs": each level's
list holds the previous level's alias ten times). Composing is cheap — an alias is the same node object again —
but every step that walks the document as a tree (building the entries, recording each value's line) pays for
the expanded size. A 593-byte glossary grew to 7.3 GB that way. So the composed graph is measured first, each
node once (memoised by identity), and refused when aliases would add more than `MAX_ALIAS_NODES` nodes, when it
refers to itself (a recursive anchor), or when it nests deeper than `MAX_DEPTH`.

The walk is iterative and needs only the node classes' shape (a scalar's `value` is a string, a sequence's a list
of nodes, a mapping's a list of (key, value) pairs), so it holds for any YAML library's composed nodes (PyYAML,
ruamel.yaml): every load path of a glossary should call `expansion_problem` before constructing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_ALIAS_NODES", "MAX_DEPTH", "expansion_problem"]

MAX_ALIAS_NODES = 100_000  # nodes that aliases may add in all; merge keys (`<<: *defaults`) in every entry fit
MAX_DEPTH = 64  # a glossary entry is 4 levels deep


def _children(node: Any) -> list[Any]:
    value = getattr(node, "value", None)
    if not isinstance(value, list):
        return []
    out: list[Any] = []
    for item in value:
        if isinstance(item, tuple):
            out.extend(item)
        else:
            out.append(item)
    return out


def _line(node: Any) -> int:
    mark = getattr(node, "start_mark", None)
    return (getattr(mark, "line", 0) or 0) + 1


def expansion_problem(root: Any) -> tuple[int, str] | None:
    """(line, message) when the document behind `root` is too costly to expand, else None."""
    if root is None:
        return None
    size: dict[int, int] = {}  # id(node) -> nodes of its expanded tree, once known
    open_nodes: set[int] = set()  # on the current path: seeing one again is a recursive anchor
    distinct = 0
    # (node, children still to visit, depth); sizes are summed when a node is left
    stack: list[tuple[Any, list[Any], int]] = [(root, _children(root), 1)]
    open_nodes.add(id(root))
    distinct += 1
    while stack:
        node, todo, depth = stack[-1]
        if todo:
            child = todo.pop()
            key = id(child)
            if key in size:
                continue
            if key in open_nodes:
                return _line(child), "a YAML alias refers to a node that contains it (a recursive anchor); remove it"
            if depth + 1 > MAX_DEPTH:
                return _line(child), (
                    f"the YAML is nested more than {MAX_DEPTH} levels deep (a glossary entry is 4); "
                    "check the file's indentation and brackets"
                )
            open_nodes.add(key)
            distinct += 1
            stack.append((child, _children(child), depth + 1))
            continue
        stack.pop()
        open_nodes.discard(id(node))
        size[id(node)] = 1 + sum(size[id(c)] for c in _children(node))
        if size[id(node)] - distinct > MAX_ALIAS_NODES:
            return _line(node), (
                f"YAML aliases (*name) here expand the glossary by more than {MAX_ALIAS_NODES:,} nodes "
                "(an alias bomb?); write the entries out instead of repeating anchors"
            )
    return None

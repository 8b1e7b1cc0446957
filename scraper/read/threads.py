"""Comment trees from stored rows: the one place exports learn who replied to whom.

Rows come from the `comments` table (any order). Children are ordered by commentid (the site
hands out ids in posting order). A comment whose parent is not stored becomes a root marked
`orphan`; a loop in parent links (a damaged archive) is broken the same way, so every row appears
exactly once whatever the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CommentNode:
    """One comment and its replies."""

    row: Mapping[str, Any]
    children: list[CommentNode] = field(default_factory=list)
    depth: int = 1  # 1 for a top-level comment, as computed from parent links
    orphan: bool = False  # its parent is not in the archive (or parent links loop)

    @property
    def commentid(self) -> int:
        return int(self.row["commentid"])

    @property
    def parent_id(self) -> int | None:
        value = self.row.get("parent_commentid")
        return None if value is None else int(value)


def _link(nodes: dict[int, CommentNode]) -> list[CommentNode]:
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id) if node.parent_id not in (None, node.commentid) else None
        if parent is None:
            node.orphan = node.parent_id is not None
            roots.append(node)
        else:
            parent.children.append(node)
    return roots


def _set_depths(root: CommentNode, seen: set[int]) -> None:
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        seen.add(node.commentid)
        node.depth = depth
        stack.extend((child, depth + 1) for child in node.children)


def _break_loops(nodes: dict[int, CommentNode], roots: list[CommentNode], seen: set[int]) -> None:
    """Nodes unreachable from any root sit on a parent loop: detach one and make it a root."""
    while unseen := set(nodes) - seen:
        node = nodes[min(unseen)]
        parent = nodes[node.parent_id]  # type: ignore[index]
        parent.children.remove(node)
        node.orphan = True
        roots.append(node)
        _set_depths(node, seen)


def build_threads(rows: Iterable[Mapping[str, Any]]) -> list[CommentNode]:
    """Top-level comments (with replies nested), ordered by commentid."""
    nodes = {
        int(r["commentid"]): CommentNode(r) for r in sorted(rows, key=lambda r: r["commentid"])
    }
    roots = _link(nodes)
    seen: set[int] = set()
    for root in roots:
        _set_depths(root, seen)
    _break_loops(nodes, roots, seen)
    roots.sort(key=lambda n: n.commentid)
    return roots


def walk_threads(roots: Iterable[CommentNode]) -> Iterator[CommentNode]:
    """Every comment, depth first in reading order (a comment, then its replies)."""
    stack = list(reversed(list(roots)))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


__all__ = ["CommentNode", "build_threads", "walk_threads"]

"""JSON Lines export: one entry per line with its tags, earlier versions and comments nested
(each comment's replies in its `replies` list).

Written to `<out>/entries.jsonl`; images stored locally are copied to `<out>/images/` and each
entry's `local_images` maps an image URL to its copy.

Replies nest `MAX_NESTING` levels deep; the replies of a comment at that level are listed in
reading order in its `replies` (each keeps its `parent_commentid` and real `thread_depth`), so a
10,000-deep thread is a line every JSON reader can read (Python's json, jq...), not a
20,000-level document. Bodies are the archived HTML as data (not sanitised: nothing renders it).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from . import paths
from .load import EntryView, ImageCopier, entry_image_urls, iter_entries
from .threads import CommentNode, walk_threads

JSONL_NAME = "entries.jsonl"
MAX_NESTING = 100
_COMMENT_DROP = ("journal", "itemid")  # the same as the entry's


def comment_dict(root: CommentNode) -> dict[str, Any]:
    """A comment with its replies nested, MAX_NESTING levels at most (built without recursion)."""
    top = _plain(root)
    stack = [(root, top, 1)]
    while stack:
        node, out, level = stack.pop()
        if level >= MAX_NESTING:
            out["replies"].extend(_plain(d) for d in walk_threads(node.children))
            continue
        for child in node.children:
            child_out = _plain(child)
            out["replies"].append(child_out)
            stack.append((child, child_out, level + 1))
    return top


def _plain(node: CommentNode) -> dict[str, Any]:
    out = {k: v for k, v in node.row.items() if k not in _COMMENT_DROP}
    out["thread_depth"] = node.depth
    if node.orphan:
        out["orphan"] = True
    out["replies"] = []
    return out


def entry_dict(view: EntryView, local_images: dict[str, str] | None = None) -> dict[str, Any]:
    """One JSON line's object."""
    out: dict[str, Any] = dict(view.entry)
    out["tags"] = view.tags
    out["revisions"] = [
        {k: v for k, v in r.items() if k not in ("journal", "itemid")} for r in view.revisions
    ]
    out["comments"] = [comment_dict(root) for root in view.comments]
    if local_images:
        out["local_images"] = local_images
    return out


def export_json(conn: sqlite3.Connection, out_dir: Path, journal: str | None = None) -> int:
    """Write entries.jsonl; returns the number of entries written."""
    out = paths.OutDir(out_dir)
    copier = ImageCopier(conn, out)
    count = 0
    with open(out.path(JSONL_NAME), "w", encoding="utf-8") as fh:
        for view in iter_entries(conn, journal):
            local = copier.local_map(entry_image_urls(view))
            fh.write(json.dumps(entry_dict(view, local), ensure_ascii=False) + "\n")
            count += 1
    return count


__all__ = ["JSONL_NAME", "MAX_NESTING", "comment_dict", "entry_dict", "export_json"]

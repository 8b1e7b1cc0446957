"""Markdown export: one file per entry with front matter, the body converted to Markdown and the
comments below it, each reply quoted one level deeper than the comment it answers.

Layout: `<out>/<journal>/<YYYY-MM-DD>-<itemid>.md`, locally stored images in `<out>/images/`.
Front matter values are JSON scalars and lists, which YAML reads as they are; `<`, `>`, `&`,
brackets and backticks in them are written as \\u escapes, so a Markdown renderer that shows the
front matter as text finds no markup in it either.

Everything from the archive is escaped (see to_markdown.py); the output is linear in the size of
the archive whatever the thread depth: replies nest as quotes up to `MAX_QUOTE_DEPTH` levels,
deeper ones stay at that level and name the comment they answer.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from . import paths
from .load import EntryView, ImageCopier, iter_entries
from .sanitize import absolute_url
from .threads import CommentNode, walk_threads
from .to_markdown import ImageSrc, escape, html_to_markdown, md_url, one_line, quote_block

MAX_QUOTE_DEPTH = 8

FRONT_MATTER_FIELDS = (
    "journal",
    "itemid",
    "url",
    "poster",
    "security",
    "mood",
    "music",
    "location",
    "userpic_keyword",
    "comment_count",
    "deleted_at",
)
# Characters Markdown (or a YAML reader) could act on, written as JSON \u escapes.
_JSON_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&[]`*_\u2028\u2029\x85"}


def _json_value(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_json_value(v) for v in value) + "]"
    text = json.dumps(value, ensure_ascii=False)
    return text.translate(_JSON_ESCAPES) if isinstance(value, str) else text


# --- entries --------------------------------------------------------------------------------------


def front_matter(view: EntryView) -> str:
    e = view.entry
    fields: dict[str, object] = {"title": e.get("subject") or "", "date": e.get("posted_at")}
    fields.update({k: e.get(k) for k in FRONT_MATTER_FIELDS if e.get(k) not in (None, "")})
    fields["tags"] = view.tags
    fields["comments_archived"] = sum(1 for _ in walk_threads(view.comments))
    if view.revisions:
        fields["revisions"] = len(view.revisions)
    lines = [f"{key}: {_json_value(value)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _comment_header(node: CommentNode) -> str:
    row = node.row
    author = row.get("author")
    if author:
        who = f"**{one_line(str(author))}**"
    else:  # anonymous commenters are named so; deleted/screened placeholders show no author
        who = "*(anonymous)*" if row.get("author_kind") == "anonymous" else ""
    when = one_line(str(row.get("posted_at") or row.get("date_text") or ""))
    parts = [who, when, f"#cmt{node.commentid}"]
    if node.depth > MAX_QUOTE_DEPTH and node.parent_id is not None:
        parts.append(f"reply to #cmt{node.parent_id}")
    if row.get("state") not in (None, "visible"):
        parts.append(f"({one_line(str(row['state']))})")
    header = " · ".join(p for p in parts if p)
    subject = one_line(str(row.get("subject") or ""))
    return header + (f"  \n**{subject}**" if subject else "")


def _comment_body(
    node: CommentNode, entry_url: str | None, image_src: ImageSrc, remote: bool
) -> str:
    row = node.row
    if row.get("body_html") is not None:
        body = html_to_markdown(str(row["body_html"]), entry_url, image_src, remote_images=remote)
        return body or "*(empty)*"
    state = one_line(str(row.get("state") or "visible"))
    return f"*({state} comment)*" if state != "visible" else "*(text not archived)*"


def comments_markdown(view: EntryView, image_src: ImageSrc, remote_images: bool = False) -> str:
    blocks = []
    entry_url = view.entry.get("url")
    for node in walk_threads(view.comments):
        text = (
            _comment_header(node)
            + "\n\n"
            + _comment_body(node, entry_url, image_src, remote_images)
        )
        blocks.append(quote_block(text, min(node.depth, MAX_QUOTE_DEPTH)))
    if not blocks:
        return ""
    return f"## Comments ({len(blocks)})\n\n" + "\n\n".join(blocks) + "\n"


def entry_markdown(
    view: EntryView, image_src: ImageSrc | None = None, *, remote_images: bool = False
) -> str:
    """The whole file for one entry."""
    image_src = image_src or (lambda url: None)
    e = view.entry
    title = one_line(str(e.get("subject") or "")) or escape("(no subject)")
    body = html_to_markdown(
        e.get("body_html"), e.get("url"), image_src, remote_images=remote_images
    )
    if not body:
        body = "*(the body of this entry is not archived)*"
    parts = [front_matter(view), f"# {title}\n", body + "\n"]
    original = absolute_url(e.get("url"), None)
    if original:
        parts.append(f"[Original]({md_url(original)})\n")
    comments = comments_markdown(view, image_src, remote_images)
    if comments:
        parts.append(comments)
    return "\n".join(parts)


def entry_filename(view: EntryView) -> str:
    """`<journal>/<YYYY-MM-DD>-<itemid>.md`, from validated values only."""
    return f"{paths.journal(view.journal)}/{view.day or 'undated'}-{view.itemid}.md"


def export_markdown(
    conn: sqlite3.Connection,
    out_dir: Path,
    journal: str | None = None,
    *,
    remote_images: bool = False,
) -> int:
    """Write every entry (of `journal`, or all) as Markdown; returns the number of files."""
    out = paths.OutDir(out_dir)
    copier = ImageCopier(conn, out)
    image_src = copier.resolver(prefix="../")
    count = 0
    for view in iter_entries(conn, journal):
        name = entry_filename(view)
        out.write_text(name, entry_markdown(view, image_src, remote_images=remote_images))
        count += 1
    return count


__all__ = [
    "MAX_QUOTE_DEPTH",
    "entry_filename",
    "entry_markdown",
    "export_markdown",
    "html_to_markdown",
]

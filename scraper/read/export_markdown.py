"""Markdown export: one file per entry with front matter, the body converted to Markdown and the
comments below it, each reply quoted one level deeper than the comment it answers.

Layout: `<out>/<journal>/<YYYY-MM-DD>-<itemid>.md`, locally stored images in `<out>/images/`.
Front matter values are JSON scalars and lists, which YAML reads as they are.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .load import EntryView, ImageCopier, entry_image_urls, iter_entries
from .threads import CommentNode, walk_threads

_ESCAPE = re.compile(r"([\\`*_\[\]<>])")
_WS = re.compile(r"\s+")
_PAD = "\x00"  # a space that whitespace tidying keeps (list indentation, code blocks)
_NL = "\x01"  # a newline inside a code block
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "center",
    "figure",
    "figcaption",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
    "details",
    "summary",
    "address",
    "header",
    "footer",
}
_SKIP = {"script", "style", "template", "noscript", "head", "title"}
MAX_DEPTH = 200

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

ImageSrc = Callable[[str], str]


# --- HTML -> Markdown -----------------------------------------------------------------------------


class _Converter:
    """Walks a parsed fragment and writes Markdown; unknown elements pass their content through."""

    def __init__(self, base_url: str | None, image_src: ImageSrc) -> None:
        self.base_url = base_url or ""
        self.image_src = image_src

    def children(self, node: LexborNode, depth: int) -> str:
        return "".join(self.node(child, depth + 1) for child in _child_nodes(node))

    def node(self, node: LexborNode, depth: int) -> str:
        tag = node.tag or ""
        if tag == "-text":
            return escape(_WS.sub(" ", node.text_content or ""))
        if tag in _SKIP or tag.startswith("#") or tag == "-comment":
            return ""
        if depth > MAX_DEPTH:
            return escape(_WS.sub(" ", node.text(deep=True)))
        handler = getattr(self, f"tag_{tag}", None)
        if handler is not None:
            return handler(node, depth)
        if tag in _BLOCK:
            return f"\n\n{self.children(node, depth).strip()}\n\n"
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return f"\n\n{'#' * int(tag[1])} {self.children(node, depth).strip()}\n\n"
        return self.children(node, depth)

    def _wrap(self, node: LexborNode, depth: int, mark: str) -> str:
        inner = self.children(node, depth)
        return f"{mark}{inner.strip()}{mark}" if inner.strip() else inner

    def tag_b(self, node: LexborNode, depth: int) -> str:
        return self._wrap(node, depth, "**")

    tag_strong = tag_b

    def tag_i(self, node: LexborNode, depth: int) -> str:
        return self._wrap(node, depth, "*")

    tag_em = tag_i

    def tag_s(self, node: LexborNode, depth: int) -> str:
        return self._wrap(node, depth, "~~")

    tag_del = tag_strike = tag_s

    def tag_code(self, node: LexborNode, depth: int) -> str:
        text = node.text(deep=True)
        return f"`{text}`" if "`" not in text else f"`` {text} ``"

    def tag_pre(self, node: LexborNode, depth: int) -> str:
        code = node.text(deep=True).rstrip().replace(" ", _PAD).replace("\n", _NL)
        return f"\n\n```{_NL}{code}{_NL}```\n\n"

    def tag_br(self, node: LexborNode, depth: int) -> str:
        return "  \n"

    def tag_hr(self, node: LexborNode, depth: int) -> str:
        return "\n\n---\n\n"

    def tag_a(self, node: LexborNode, depth: int) -> str:
        href = (node.attrs.get("href") or "").strip()
        text = self.children(node, depth).strip()
        if not href:
            return text
        href = urljoin(self.base_url, href).replace(" ", "%20").replace(")", "%29")
        return f"[{text}]({href})" if text else f"<{href}>"

    def tag_img(self, node: LexborNode, depth: int) -> str:
        src = (node.attrs.get("src") or "").strip()
        if not src:
            return ""
        alt = escape(node.attrs.get("alt") or "")
        url = self.image_src(urljoin(self.base_url, src))
        return f"![{alt}]({url.replace(' ', '%20').replace(')', '%29')})"

    def tag_span(self, node: LexborNode, depth: int) -> str:
        user = node.attrs.get("lj:user")
        if user or "ljuser" in (node.attrs.get("class") or "").split():
            name = user or node.text(deep=True).strip()
            return f"**{escape(name)}**"
        return self.children(node, depth)

    def tag_blockquote(self, node: LexborNode, depth: int) -> str:
        return "\n\n" + quote_block(_tidy(self.children(node, depth)), 1) + "\n\n"

    def tag_ul(self, node: LexborNode, depth: int) -> str:
        return self._list(node, depth, ordered=False)

    def tag_ol(self, node: LexborNode, depth: int) -> str:
        return self._list(node, depth, ordered=True)

    def _list(self, node: LexborNode, depth: int, *, ordered: bool) -> str:
        items = []
        for n, child in enumerate((c for c in _child_nodes(node) if c.tag == "li"), start=1):
            marker = f"{n}. " if ordered else "- "
            text = _tidy(self.children(child, depth + 1))
            lines = text.split("\n") or [""]
            pad = _PAD * len(marker)
            items.append(
                marker + lines[0] + "".join(f"\n{pad}{ln}" if ln else "\n" for ln in lines[1:])
            )
        return "\n\n" + "\n".join(items) + "\n\n"


def _child_nodes(node: LexborNode) -> list[LexborNode]:
    return list(node.iter(include_text=True))


def escape(text: str) -> str:
    """Text with Markdown's special characters backslash-escaped."""
    return _ESCAPE.sub(r"\\\1", text)


def _tidy(text: str) -> str:
    """Strip spaces around each line (keeping hard breaks) and collapse blank-line runs."""
    lines = []
    for line in text.split("\n"):
        hard_break = line.endswith("  ") and line.strip() != ""
        line = line.strip(" ")
        lines.append(line + "  " if hard_break else line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def html_to_markdown(
    html: str | None, base_url: str | None = None, image_src: ImageSrc | None = None
) -> str:
    """Markdown for an HTML fragment; `image_src` maps an image's absolute URL to the link used."""
    if not html or not html.strip():
        return ""
    body = LexborHTMLParser(html).body
    if body is None:
        return ""
    converter = _Converter(base_url, image_src or (lambda url: url))
    return _tidy(converter.children(body, 0)).replace(_PAD, " ").replace(_NL, "\n")


def quote_block(text: str, level: int) -> str:
    """`text` as a Markdown block quote `level` deep."""
    prefix = "> " * level
    return "\n".join((prefix + ln).rstrip() for ln in text.split("\n"))


# --- entries --------------------------------------------------------------------------------------


def front_matter(view: EntryView) -> str:
    e = view.entry
    fields: dict[str, object] = {"title": e.get("subject") or "", "date": e.get("posted_at")}
    fields.update({k: e.get(k) for k in FRONT_MATTER_FIELDS if e.get(k) not in (None, "")})
    fields["tags"] = view.tags
    fields["comments_archived"] = sum(1 for _ in walk_threads(view.comments))
    if view.revisions:
        fields["revisions"] = len(view.revisions)
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _comment_header(node: CommentNode) -> str:
    row = node.row
    author = row.get("author")
    if author:
        who = f"**{escape(author)}**"
    else:  # anonymous commenters are named so; deleted/screened placeholders show no author
        who = "*(anonymous)*" if row.get("author_kind") == "anonymous" else ""
    parts = [who, row.get("posted_at") or row.get("date_text") or "", f"#cmt{node.commentid}"]
    if row.get("state") not in (None, "visible"):
        parts.append(f"({row['state']})")
    header = " · ".join(p for p in parts if p)
    subject = (row.get("subject") or "").strip()
    return header + (f"  \n**{escape(subject)}**" if subject else "")


def _comment_body(node: CommentNode, entry_url: str | None, image_src: ImageSrc) -> str:
    row = node.row
    if row.get("body_html") is not None:
        return html_to_markdown(row["body_html"], entry_url, image_src) or "*(empty)*"
    state = row.get("state") or "visible"
    return f"*({state} comment)*" if state != "visible" else "*(text not archived)*"


def comments_markdown(view: EntryView, image_src: ImageSrc) -> str:
    blocks = []
    for node in walk_threads(view.comments):
        text = (
            _comment_header(node) + "\n\n" + _comment_body(node, view.entry.get("url"), image_src)
        )
        blocks.append(quote_block(text, node.depth))
    if not blocks:
        return ""
    return f"## Comments ({len(blocks)})\n\n" + "\n\n".join(blocks) + "\n"


def entry_markdown(view: EntryView, image_src: ImageSrc | None = None) -> str:
    """The whole file for one entry."""
    image_src = image_src or (lambda url: url)
    e = view.entry
    title = e.get("subject") or "(no subject)"
    body = html_to_markdown(e.get("body_html"), e.get("url"), image_src)
    if not body:
        body = "*(the body of this entry is not archived)*"
    parts = [front_matter(view), f"# {title}\n", body + "\n"]
    if e.get("url"):
        parts.append(f"[Original]({e['url']})\n")
    comments = comments_markdown(view, image_src)
    if comments:
        parts.append(comments)
    return "\n".join(parts)


def entry_filename(view: EntryView) -> str:
    day = (view.entry.get("posted_at") or "")[:10] or "undated"
    return f"{_safe(view.journal)}/{day}-{view.itemid}.md"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "_"


def _image_links(local: dict[str, str]) -> ImageSrc:
    """An image_src that uses the local copy when there is one."""
    return lambda url: local.get(url, url)


def export_markdown(conn: sqlite3.Connection, out_dir: Path, journal: str | None = None) -> int:
    """Write every entry (of `journal`, or all) as Markdown; returns the number of files."""
    out_dir = Path(out_dir)
    copier = ImageCopier(conn, out_dir)
    count = 0
    for view in iter_entries(conn, journal):
        local = copier.local_map(entry_image_urls(view), prefix="../")
        target = out_dir / entry_filename(view)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(entry_markdown(view, _image_links(local)), encoding="utf-8")
        count += 1
    return count


__all__ = ["entry_filename", "entry_markdown", "export_markdown", "html_to_markdown"]

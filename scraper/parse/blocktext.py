"""Readable text of user HTML (the `body_text` of entries, comments and the profile's bio): block
elements and <br> on their own lines, whitespace normalised, iterative at any depth. Owner mode
renders its text with the same function, so the two paths store the same text."""

from __future__ import annotations

from collections.abc import Iterable

from .html import Node, children, norm

# Tags that start a new line in block_text().
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "thead", "tfoot", "tr", "ul", "caption",
    }
)  # fmt: skip
SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})


def block_text(node: Node | None, skip: Iterable[Node] = ()) -> str:
    """Readable text of user HTML: block elements and <br> on their own lines, spaces normalised.

    Iterative (user HTML can nest deeper than the recursion limit). `skip` subtrees are left out.
    """
    if node is None:
        return ""
    skip_ids = {n.mem_id for n in skip}
    parts: list[str] = []
    # stack of (node, entering?, block?); exit markers add the line break after blocks
    stack: list[tuple[Node | None, bool, bool]] = [(node, True, False)]
    first = True
    while stack:
        cur, entering, is_block = stack.pop()
        if cur is None:
            if is_block:
                parts.append("\n")
            continue
        if not entering:
            continue
        if cur.is_text_node:
            parts.append(cur.text_content or "")
            continue
        if not cur.is_element_node:
            continue
        tag = (cur.tag or "").lower()
        if not first:
            if tag in SKIP_TAGS or cur.mem_id in skip_ids:
                continue
            if tag == "br":
                parts.append("\n")
                continue
            if tag == "img":
                continue
        cell = tag in ("td", "th")
        block = tag in BLOCK_TAGS or cell
        if block and not first:
            parts.append(" " if cell else "\n")
        first = False
        stack.append((None, False, block and not cell))
        for kid in reversed(children(cur, include_text=True)):
            stack.append((kid, True, False))
    lines = (norm(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)

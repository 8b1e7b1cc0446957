"""HTML to Markdown for the Markdown export: every character from the archive is escaped, so the
Markdown never carries raw HTML, and the walk is iterative, so nesting depth costs no recursion.

Guarantees, whatever the archived HTML (tests/test_hostile_markdown.py renders the output with a
CommonMark renderer to check them):

* Text: every character Markdown could read as syntax is backslash-escaped (`\\ ` * _ [ ] < > &
  # | ~`, `- + = 1.` where they start a text run, `!` where it ends one, as a link of ours may
  follow), control characters are dropped and
  whitespace collapsed, so archived text can start no HTML block, inline tag, entity, autolink,
  link, image, emphasis, heading or list.
* Code: `<code>` becomes a code span fenced by more backticks than any run inside it, on one
  line; `<pre>` a fenced block whose fence is longer than any backtick run inside; every line of
  a block inside a list item or a quote carries the item's indentation or the `> `.
* Links: only http(s) and mailto targets (relative ones resolved against the entry's address),
  percent-encoded so they cannot end early. Images point at the local copy stored by
  `archive --images`, else become a link `[image: alt](url)` (the alt text inside a link);
  `remote_images=True` keeps remote http(s) images. Video, audio and frames become links.
* Bounded work: formatting marks nest at most `MAX_WRAPS` deep (an emphasis inside the same
  emphasis adds nothing), quotes `MAX_QUOTES` and lists `MAX_LISTS` deep, elements below
  `MAX_DEPTH` are flattened to their text, and HTML nested deeper than sanitize.MAX_NESTING is
  not parsed at all (shown as text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .sanitize import absolute_url, plain_text, too_deep, web_url

ImageSrc = Callable[[str], str | None]  # absolute image URL -> local copy's link, or None

MAX_DEPTH = 100
MAX_WRAPS = 8
MAX_QUOTES = 8
MAX_LISTS = 8

_PAD = "\x00"  # a space that whitespace tidying keeps (list indentation, code blocks)
_NL = "\x01"  # a newline inside a code block (kept through tidying)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WS = re.compile(r"\s+")
_INLINE = re.compile(r"[\\`*_\[\]<>&#|~]")
_RUN_START = re.compile(r"^(\s*)([-+=]|\d{1,9}[.)])")
_BACKTICKS = re.compile(r"`+")
_LINES = re.compile(r"(\n|\x01)")
_URL_SAFE = "/:?#@!$&'*+,;=%~-._"

_MARKS = {
    "b": "**", "strong": "**", "i": "*", "em": "*", "cite": "*", "s": "~~", "del": "~~",
    "strike": "~~",
}  # fmt: skip
_MARKS_TAGS = frozenset(_MARKS)
_BLOCK = frozenset(
    {
        "p", "div", "section", "article", "center", "figure", "figcaption", "table", "tr", "dl",
        "dt", "dd", "details", "summary", "address", "header", "footer", "aside", "nav", "main",
        "caption", "thead", "tbody", "tfoot", "li",
    }
)  # fmt: skip
_SKIP = frozenset(
    {
        "script", "style", "template", "noscript", "noembed", "noframes", "head", "title",
        "svg", "math", "textarea", "select", "button", "input", "form", "meta", "link", "base",
        "source", "track", "canvas", "dialog", "map", "area", "applet",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_INLINE_CONTAINERS = frozenset({"a", "td", "th", *_HEADINGS, *_MARKS_TAGS})
_MEDIA = frozenset({"video", "audio", "iframe", "frame", "embed", "object"})


# --- escaping -------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Plain text as Markdown that renders as exactly that text (whitespace collapsed)."""
    text = _WS.sub(" ", _CONTROL.sub("", text))
    text = _INLINE.sub(r"\\\g<0>", text)
    if text.endswith("!"):  # a "!" right before a link of ours would make it an image
        text = text[:-1] + "\\!"
    return _RUN_START.sub(_escape_run_start, text)


def _escape_run_start(match: re.Match[str]) -> str:
    lead, mark = match.group(1), match.group(2)
    return f"{lead}{mark[:-1]}\\{mark[-1]}"


def one_line(text: str) -> str:
    """Escaped text on a single line (titles, headers)."""
    return escape(_WS.sub(" ", text).strip())


def md_url(url: str) -> str:
    """A link destination that cannot end early: spaces, brackets, quotes... percent-encoded."""
    return quote(url, safe=_URL_SAFE)


def code_span(text: str) -> str:
    """`text` as an inline code span on one line."""
    text = _WS.sub(" ", _CONTROL.sub("", text))
    if not text.strip():
        return escape(text)
    fence = "`" * (max((len(r) for r in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(text: str) -> str:
    """`text` as a fenced code block (newlines and spaces protected from tidying)."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).rstrip()
    fence = "`" * max(3, max((len(r) for r in _BACKTICKS.findall(text)), default=0) + 1)
    code = text.replace(" ", _PAD).replace("\n", _NL)
    return f"\n\n{fence}{_NL}{code}{_NL}{fence}\n\n"


def prefix_lines(text: str, first: str, rest: str) -> str:
    """`first` before the first line of `text`, `rest` before every other line (code lines
    included); blank lines get the prefix without trailing spaces."""
    pieces = _LINES.split(text)
    out = []
    for n, piece in enumerate(pieces):
        if n % 2:  # a separator
            out.append(piece)
            continue
        lead = first if n == 0 else rest
        out.append(lead + piece if piece else lead.rstrip(" " + _PAD))
    return "".join(out)


def quote_block(text: str, level: int) -> str:
    """`text` as a Markdown block quote `level` deep."""
    return prefix_lines(text, "> " * level, "> " * level)


def tidy(text: str) -> str:
    """Strip spaces around each line (keeping hard breaks) and collapse blank-line runs."""
    lines = []
    for line in text.split("\n"):
        hard_break = line.endswith("  ") and line.strip() != ""
        line = line.strip(" ")
        lines.append(line + "  " if hard_break else line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


# --- the walk -------------------------------------------------------------------------------------


@dataclass
class _Frame:
    """An element being converted: its children's Markdown so far and the context it sets."""

    tag: str
    node: LexborNode
    next_child: LexborNode | None
    depth: int = 0
    quotes: int = 0
    lists: int = 0
    marks: frozenset[str] = frozenset()  # emphasis marks applied by the ancestors
    in_link: bool = False
    as_list: bool = False  # a <ul>/<ol> whose <li> children become list items
    list_item: bool = False  # an <li> of such a list
    parts: list[str] = field(default_factory=list)


class _Converter:
    def __init__(self, base_url: str | None, image_src: ImageSrc, remote_images: bool) -> None:
        self.base_url = base_url
        self.image_src = image_src
        self.remote_images = remote_images

    def convert(self, body: LexborNode) -> str:
        stack = [_Frame("", body, body.child)]
        while True:
            frame = stack[-1]
            node = frame.next_child
            if node is None:
                stack.pop()
                text = self.finish(frame)
                if not stack:
                    return text
                stack[-1].parts.append(text)
                continue
            frame.next_child = node.next
            if frame.as_list and node.tag != "li":
                continue
            leaf = self.leaf(node, frame)
            if leaf is not None:
                frame.parts.append(leaf)
            else:
                stack.append(self.enter(node, frame))

    # -- nodes without children to walk --

    def leaf(self, node: LexborNode, frame: _Frame) -> str | None:
        tag = node.tag or ""
        if tag == "-text":
            return escape(node.text_content or "")
        if tag in _SKIP or tag.startswith(("#", "-")):
            return ""
        if frame.depth >= MAX_DEPTH:
            return " " + escape(node.text(deep=True)) + " "
        if tag == "br":
            return "  \n"
        if tag == "hr":
            return "\n\n---\n\n"
        if tag in ("code", "kbd", "samp", "tt"):
            return code_span(node.text(deep=True))
        if tag in ("pre", "xmp", "plaintext", "listing"):
            return code_block(node.text(deep=True))
        if tag == "img":
            return self.image(node, frame)
        if tag in _MEDIA:
            return self.media(node, frame)
        if tag == "span" and (
            node.attrs.get("lj:user") or "ljuser" in (node.attrs.get("class") or "").split()
        ):
            name = node.attrs.get("lj:user") or node.text(deep=True)
            return f"**{one_line(name)}**" if name.strip() else ""
        return None

    def image(self, node: LexborNode, frame: _Frame) -> str:
        url = web_url(node.attrs.get("src"), self.base_url)
        alt = one_line(node.attrs.get("alt") or "")
        local = self.image_src(url) if url else None
        if local:
            return f"![{alt}]({md_url(local)})"
        if url and self.remote_images:
            return f"![{alt}]({md_url(url)})"
        if frame.in_link or not url:
            return alt
        return f"[image{': ' + alt if alt else ''}]({md_url(url)})"

    def media(self, node: LexborNode, frame: _Frame) -> str:
        source = node.attrs.get("data") if node.tag == "object" else node.attrs.get("src")
        if not source and node.tag in ("video", "audio"):
            first = node.css_first("source[src]")
            source = first.attrs.get("src") if first is not None else None
        url = web_url(source, self.base_url)
        if not url or frame.in_link:
            return ""
        return f"[{node.tag}: {escape(url)}]({md_url(url)})"

    # -- elements whose children are walked --

    def enter(self, node: LexborNode, parent: _Frame) -> _Frame:
        tag = node.tag or ""
        frame = _Frame(
            tag,
            node,
            node.child,
            parent.depth + 1,
            parent.quotes,
            parent.lists,
            parent.marks,
            parent.in_link,
        )
        if tag == "blockquote":
            frame.quotes += 1
        elif tag in ("ul", "ol") and parent.lists < MAX_LISTS:
            frame.lists += 1
            frame.as_list = True
        elif tag == "li":
            frame.list_item = parent.as_list
        elif tag == "a":
            frame.in_link = True
        if parent.tag in _MARKS:
            frame.marks = parent.marks | {_MARKS[parent.tag]}
        return frame

    def finish(self, frame: _Frame) -> str:
        inner = "".join(frame.parts)
        tag = frame.tag
        if tag in _INLINE_CONTAINERS:
            # a code block inside inline markup (a cell, a link, emphasis) cannot start a line
            # of its own: it becomes a code span (its fence is longer than any run inside)
            inner = inner.replace(_NL, " ")
        if frame.as_list:
            return self.finish_list(frame)
        if frame.list_item:
            return tidy(inner)
        if tag == "blockquote":
            if frame.quotes > MAX_QUOTES:
                return f"\n\n{inner.strip()}\n\n"
            return "\n\n" + quote_block(tidy(inner), 1) + "\n\n"
        if tag in _BLOCK:
            return f"\n\n{inner.strip()}\n\n"
        if tag in _HEADINGS:
            heading = _WS.sub(" ", inner).strip()
            return f"\n\n{'#' * int(tag[1])} {heading}\n\n" if heading else ""
        if tag in _MARKS:
            return self.wrap(inner, _MARKS[tag], frame)
        if tag == "a":
            return self.link(frame.node, inner)
        if tag in ("td", "th"):
            return f" {inner.strip()} "
        return inner

    @staticmethod
    def wrap(inner: str, mark: str, frame: _Frame) -> str:
        """`inner` emphasised, unless an ancestor already applies the same mark (<b><b>: one
        ** is enough) or MAX_WRAPS marks are open."""
        core = inner.strip()
        if not core or mark in frame.marks or len(frame.marks) >= MAX_WRAPS:
            return inner
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        return f"{lead}{mark}{core}{mark}{trail}"

    def link(self, node: LexborNode, inner: str) -> str:
        url = absolute_url(node.attrs.get("href"), self.base_url)
        text = _WS.sub(" ", inner).strip()
        if not url:
            return inner
        return f"[{text or escape(url)}]({md_url(url)})"

    def finish_list(self, frame: _Frame) -> str:
        ordered = frame.tag == "ol"
        items = []
        for n, text in enumerate(frame.parts, start=1):
            marker = f"{n}. " if ordered else "- "
            items.append(prefix_lines(text, marker, _PAD * len(marker)))
        return "\n\n" + "\n".join(items) + "\n\n"


def html_to_markdown(
    html: str | None,
    base_url: str | None = None,
    image_src: ImageSrc | None = None,
    *,
    remote_images: bool = False,
) -> str:
    """Markdown for an HTML fragment; `image_src` maps an image's absolute URL to the link of
    its local copy (None: not stored)."""
    if not html or not html.strip():
        return ""
    if too_deep(html):
        return escape(plain_text(html))
    body = LexborHTMLParser(html).body
    if body is None:
        return ""
    converter = _Converter(base_url, image_src or (lambda url: None), remote_images)
    return tidy(converter.convert(body)).replace(_PAD, " ").replace(_NL, "\n")


__all__ = [
    "code_block",
    "code_span",
    "escape",
    "html_to_markdown",
    "md_url",
    "one_line",
    "prefix_lines",
    "quote_block",
    "tidy",
]

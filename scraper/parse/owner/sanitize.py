"""The last pass over rendered source: nh3 (ammonia) with an allow-list, and the text of it.

Dreamwidth's own cleaner decides what a reader sees (scraper.parse.owner.cleaner); this pass
makes the stored HTML safe to open in a browser whatever the source was: only the tags
Dreamwidth keeps for that kind of text (entries: all HTML but the eaten/removed tags of
LJ::CleanHTML::clean_event; comments: @comment_all; subjects: a b i u em strong cite), no
script or event handlers, URLs only http(s)/mailto/ftp/relative, styles limited to
presentational properties. The plain text is then read with the very function the HTML path
uses (scraper.parse.blocktext.block_text), so owner-mode and page-mode text agree.
"""

from __future__ import annotations

import nh3

from ..blocktext import block_text
from ..html import parse_html, text_of

_BLOCKS = {
    "address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot",
    "tr", "td", "th", "ul", "caption", "colgroup", "col",
}  # fmt: skip
_INLINE = {
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "del", "dfn", "em",
    "font", "i", "img", "ins", "kbd", "map", "area", "mark", "q", "rp", "rt", "ruby", "s",
    "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
    "nobr", "blink", "marquee",
}  # fmt: skip
ENTRY_TAGS = frozenset(_BLOCKS | _INLINE)
COMMENT_TAGS = frozenset(
    {
        "table",
        "tr",
        "td",
        "th",
        "tbody",
        "tfoot",
        "thead",
        "colgroup",
        "caption",
        "col",
        "a",
        "sub",
        "sup",
        "bdo",
        "q",
        "span",
        "b",
        "i",
        "u",
        "tt",
        "s",
        "strike",
        "big",
        "small",
        "font",
        "abbr",
        "acronym",
        "cite",
        "code",
        "dfn",
        "em",
        "kbd",
        "samp",
        "strong",
        "var",
        "del",
        "ins",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "div",
        "blockquote",
        "address",
        "pre",
        "center",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "area",
        "map",
        "img",
        "br",
        "hr",
        "p",
        "summary",
        "details",
        "ruby",
        "rt",
        "rp",
    }
)  # fmt: skip  (@comment_all without form/textarea/xmp: their text is kept, not the control)
SUBJECT_TAGS = frozenset({"a", "b", "i", "u", "em", "strong", "cite"})
EATEN = frozenset(
    {
        "script", "style", "head", "title", "layer", "iframe", "applet", "object", "xml",
        "param", "base", "noscript", "noframes", "plaintext", "template",
    }
)  # fmt: skip

_GENERIC = {
    "class", "title", "lang", "dir", "style", "align", "valign", "width", "height", "border",
    "bgcolor", "color", "nowrap", "clear", "hspace", "vspace",
}  # fmt: skip
_PER_TAG = {
    "a": {"href", "name", "rel", "hreflang"},
    "img": {"src", "alt", "usemap", "ismap"},
    "area": {"href", "alt", "shape", "coords"},
    "map": {"name"},
    "font": {"face", "size"},
    "span": {"lj:user"},
    "table": {"cellpadding", "cellspacing", "summary", "frame", "rules"},
    "td": {"colspan", "rowspan", "headers", "scope", "abbr", "axis", "char", "charoff"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr", "axis", "char", "charoff"},
    "col": {"span", "char", "charoff"},
    "colgroup": {"span", "char", "charoff"},
    "ol": {"start", "type", "reversed"},
    "ul": {"type"},
    "li": {"value", "type"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "details": {"open"},
    "bdo": {"dir"},
}
_STYLE_PROPERTIES = {
    "color", "background", "background-color", "font", "font-family", "font-size",
    "font-style", "font-variant", "font-weight", "line-height", "letter-spacing",
    "word-spacing", "text-align", "text-decoration", "text-indent", "text-transform",
    "white-space", "vertical-align", "margin", "margin-top", "margin-right", "margin-bottom",
    "margin-left", "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border", "border-top", "border-right", "border-bottom", "border-left", "border-color",
    "border-style", "border-width", "border-radius", "border-collapse", "border-spacing",
    "width", "height", "max-width", "max-height", "min-width", "min-height", "float", "clear",
    "list-style", "list-style-type", "direction", "unicode-bidi", "overflow",
}  # fmt: skip
URL_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})


def _attributes(tags: frozenset[str], *, classes: bool) -> dict[str, set[str]]:
    generic = set(_GENERIC) if classes else _GENERIC - {"class"}
    out: dict[str, set[str]] = {"*": generic}
    for tag, names in _PER_TAG.items():
        if tag in tags:
            out[tag] = set(names)
    return out


def _cleaner(tags: frozenset[str], *, classes: bool) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(tags),
        clean_content_tags=set(EATEN - tags),
        attributes=_attributes(tags, classes=classes),
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        filter_style_properties=set(_STYLE_PROPERTIES),
    )


_ENTRY = _cleaner(ENTRY_TAGS, classes=True)
_COMMENT = _cleaner(COMMENT_TAGS, classes=False)  # strongcleancss drops class attributes
_SUBJECT = _cleaner(SUBJECT_TAGS, classes=True)


def sanitize_entry(html: str) -> str:
    return _ENTRY.clean(html)


def sanitize_comment(html: str) -> str:
    return _COMMENT.clean(html)


def sanitize_subject(html: str) -> str:
    return _SUBJECT.clean(html)


def html_text(html: str) -> str:
    """The plain text of a body, exactly as the HTML path computes it from a page: block
    elements and <br> on their own lines, whitespace normalised (scraper.parse.blocktext.block_text
    over the body's container element)."""
    tree = parse_html(f"<div>{html}</div>")
    body = tree.body
    container = body.child if body is not None else None
    while container is not None and not container.is_element_node:
        container = container.next
    return block_text(container)


def inline_text(html: str) -> str:
    """The normalised text of a subject (scraper.parse.html.text_of, as the HTML path does)."""
    tree = parse_html(f"<div>{html}</div>")
    body = tree.body
    container = body.child if body is not None else None
    while container is not None and not container.is_element_node:
        container = container.next
    return text_of(container)

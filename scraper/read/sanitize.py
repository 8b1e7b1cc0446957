"""Archived HTML made safe to show: the HTML export's allow-list sanitiser (nh3).

A journal's owner and every commenter wrote the HTML in the archive, so the export treats it as
hostile. `clean_html` keeps formatting and links and drops everything that acts by itself when a
page is opened:

* Elements: only `ALLOWED_TAGS` (text formatting, lists, tables, quotes, headings, links, images).
  `meta` (refresh), `base`, `form`/`input`/`button`, `link` (prefetch, stylesheets, icons),
  `style`, `script`, frames, `object`/`embed`, `svg`/`math`, `video`/`audio`/`source`, `dialog`,
  `template`... are removed; the content of `DROP_CONTENT_TAGS` goes with them.
* Attributes: only `ALLOWED_ATTRIBUTES`, each value checked (`_attribute_filter`): numbers for
  sizes, a short list of `align` words, URLs for `href`/`cite`. No event handlers, `id`, `class`,
  `srcset`, `poster`, `background`, `ping`, `target`, `formaction`...
* `style`: only the `STYLE_PROPERTIES` (colours, fonts, text alignment and decoration), and only
  values of letters, digits, `#`, `%`, commas, quotes and `rgb()`/`hsl()` (font sizes up to
  99px, 5.9em or 999 %): no `position`,
  `float`, `margin`, `z-index`, `transform`, `display` (no overlay, nothing hidden or moved),
  no `url()`.
* URLs: `http`, `https` and `mailto` only; relative links are resolved against the entry's own
  address. Links get `rel="noopener noreferrer nofollow"`.
* Images and media never load from another host unless asked: an `<img>` whose picture was
  stored by `archive --images` points at the local copy; otherwise it becomes a link to the
  picture (or, inside a link already, its alt text). `video`/`audio`/`iframe`/`embed`/`object`
  become links to what they would have loaded. `remote_images=True` keeps remote `http(s)`
  images instead.
* Work is bounded: HTML nested deeper than `MAX_NESTING` (browser-grade parsers take time
  growing with the square of the depth) is shown as plain text instead of being parsed.

The export's pages add a strict Content-Security-Policy on top (see export_html.CSP).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import nh3
from selectolax.lexbor import LexborHTMLParser, LexborNode

ImageSrc = Callable[[str], str | None]  # absolute image URL -> local copy's relative path

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "address", "b", "bdi", "bdo", "big", "blockquote", "br",
        "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn",
        "div", "dl", "dt", "em", "figcaption", "figure", "font", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt",
        "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var", "wbr",
    }
)  # fmt: skip
# Removed together with everything inside them (not shown as text either).
DROP_CONTENT_TAGS = frozenset(
    {
        "script", "style", "template", "noscript", "noembed", "noframes", "iframe", "frame",
        "frameset", "object", "embed", "applet", "svg", "math", "textarea", "select", "title",
        "head", "xmp", "plaintext", "audio", "video", "canvas", "dialog",
    }
)  # fmt: skip
_GLOBAL_ATTRIBUTES = frozenset({"title", "lang", "dir", "style"})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": set(_GLOBAL_ATTRIBUTES),
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "align"},
    "font": {"color", "face", "size"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "align", "valign"},
    "th": {"colspan", "rowspan", "align", "valign"},
    "col": {"span"},
    "colgroup": {"span"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite"},
    "ins": {"cite"},
    "details": {"open"},
    **{tag: {"align"} for tag in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr")},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
STYLE_PROPERTIES = frozenset(
    {
        "color", "background-color", "font-family", "font-size", "font-style", "font-variant",
        "font-weight", "text-align", "text-decoration", "text-decoration-line",
        "text-decoration-style", "text-decoration-color", "text-transform",
    }
)  # fmt: skip
LINK_REL = "noopener noreferrer nofollow"
MAX_NESTING = 2000

_STYLE_VALUE = re.compile(r"(?:[\w\s#.,%'\"+-]|(?:rgba?|hsla?)\([\d\s.,%/+-]*\))*", re.ASCII)
_FONT_SIZE_VALUE = re.compile(
    r"(?:xx?-small|small|medium|large|xx?x?-large|smaller|larger"
    r"|\d{1,2}(?:\.\d+)?(?:px|pt)|[0-5](?:\.\d+)?r?em|\d{1,3}(?:\.\d+)?%)"
)
_NUMBER = re.compile(r"\d{1,4}")
_SIZE = re.compile(r"\d{1,4}%?")
_FONT_SIZE = re.compile(r"[+-]?[1-7]")
_COLOR = re.compile(r"#?[0-9A-Za-z]{1,20}")
_FACE = re.compile(r"[\w\s,'\"-]{1,100}")
_FONT = {"color": _COLOR, "size": _FONT_SIZE, "face": _FACE}
_ALIGN = frozenset({"left", "right", "center", "justify", "top", "middle", "bottom", "baseline"})
_WORDS = {"dir": {"ltr", "rtl", "auto"}, "type": {"1", "a", "A", "i", "I"}}
# A local image copy as the exports name it: images/<sha256>.<ext>, possibly below ../
LOCAL_IMAGE = re.compile(r"(?:\.\./)*images/[0-9a-f]{64}\.[a-z0-9]{1,10}")

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_NOT_NESTING = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option",
        "optgroup", "rb", "rt", "rp", "tbody", "thead", "tfoot", "colgroup", "image",
    }
)  # fmt: skip
_URL_TRIM = "".join(chr(c) for c in range(0x21))  # C0 controls and space
_URL_INSIDE = re.compile(r"[\t\n\r]")
_MARKUP = re.compile(r"<[^<>]*>")
_WS = re.compile(r"\s+")


# --- bounded work ---------------------------------------------------------------------------------


def nesting_depth(fragment: str) -> int:
    """How deep `fragment`'s elements nest, estimated in one linear scan of its tags (void and
    self-closing-by-parser elements like <p> and <li> are not counted)."""
    depth = deepest = 0
    for match in _TAG.finditer(fragment):
        if match.group(2).lower() in _NOT_NESTING:
            continue
        if match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def too_deep(fragment: str) -> bool:
    return nesting_depth(fragment) > MAX_NESTING


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment without parsing it (linear time): tags removed, character
    references decoded, whitespace collapsed."""
    return _WS.sub(" ", html.unescape(_MARKUP.sub(" ", fragment))).strip()


# --- URLs -----------------------------------------------------------------------------------------


def absolute_url(url: str | None, base_url: str | None) -> str | None:
    """`url` resolved against `base_url`, if the result is http(s) or mailto; else None."""
    url = _URL_INSIDE.sub("", (url or "").strip(_URL_TRIM))  # as browsers read href/src
    if not url:
        return None
    try:
        resolved = urljoin(base_url or "", url)
        scheme = urlsplit(resolved).scheme.lower()
    except ValueError:
        return None
    return resolved if scheme in URL_SCHEMES else None


def web_url(url: str | None, base_url: str | None) -> str | None:
    """Like absolute_url, http(s) only (what an image or a media element may point at)."""
    resolved = absolute_url(url, base_url)
    return resolved if resolved and not resolved.lower().startswith("mailto:") else None


# --- images and media: local copies, or links -----------------------------------------------------


def _link(tree: LexborHTMLParser, url: str, text: str) -> LexborNode:
    node = LexborHTMLParser(f'<a href="{html.escape(url)}">{html.escape(text)}</a>').css_first("a")
    assert node is not None
    return node


def _inside_link(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "a":
            return True
        parent = parent.parent
    return False


def _rewrite_images(
    tree: LexborHTMLParser, base_url: str | None, image_src: ImageSrc, remote: bool
) -> None:
    for img in tree.css("img, input"):
        if img.tag == "input" and (img.attrs.get("type") or "").lower() != "image":
            continue
        url = web_url(img.attrs.get("src"), base_url)
        local = image_src(url) if url else None
        alt = _WS.sub(" ", img.attrs.get("alt") or "").strip()
        if local and img.tag == "img":
            img.attrs["src"] = local
        elif remote and url and img.tag == "img":
            img.attrs["src"] = url
        elif _inside_link(img) or not url:
            img.replace_with(alt)
        else:
            img.replace_with(_link(tree, url, f"[image: {alt}]" if alt else "[image]"))


def _rewrite_media(tree: LexborHTMLParser, base_url: str | None) -> None:
    for node in tree.css("video, audio, iframe, frame, embed, object"):
        source = node.attrs.get("data") if node.tag == "object" else node.attrs.get("src")
        if not source and node.tag in ("video", "audio"):
            first = node.css_first("source[src]")
            source = first.attrs.get("src") if first is not None else None
        url = web_url(source, base_url)
        if url and not _inside_link(node):
            node.replace_with(_link(tree, url, f"[{node.tag}: {url}]"))


def _prepare(fragment: str, base_url: str | None, image_src: ImageSrc, remote: bool) -> str:
    tree = LexborHTMLParser(fragment)
    _rewrite_media(tree, base_url)
    _rewrite_images(tree, base_url, image_src, remote)
    body = tree.body
    return (body.inner_html or "") if body is not None else ""


# --- the sanitiser --------------------------------------------------------------------------------


def _clean_style(value: str) -> str | None:
    kept = []
    for declaration in value.split(";"):
        name, _, val = declaration.partition(":")
        name, val = name.strip().lower(), val.strip()
        if name not in STYLE_PROPERTIES or not val or not _STYLE_VALUE.fullmatch(val):
            continue
        if name == "font-size" and not _FONT_SIZE_VALUE.fullmatch(val.lower()):
            continue  # no text blown up to cover the screen
        kept.append(f"{name}: {val}")
    return "; ".join(kept) or None


def _attribute_filter(remote: bool) -> Callable[[str, str, str], str | None]:
    def check(tag: str, name: str, value: str) -> str | None:
        value = value.strip()
        if name == "style":
            return _clean_style(value)
        if name == "src":  # img only: a local copy (or, when asked, a remote http(s) picture)
            if LOCAL_IMAGE.fullmatch(value):
                return value
            return value if remote and web_url(value, None) == value else None
        if name in ("width", "height"):
            return value if _SIZE.fullmatch(value) else None
        if name in ("colspan", "rowspan", "span", "start", "value"):
            return value if _NUMBER.fullmatch(value) else None
        if name in ("align", "valign"):
            return value.lower() if value.lower() in _ALIGN else None
        if name in _WORDS:
            return value if value in _WORDS[name] else None
        if tag == "font" and name in _FONT:
            return value if _FONT[name].fullmatch(value) else None
        if name == "lang":
            return value if re.fullmatch(r"[A-Za-z0-9-]{1,35}", value) else None
        if name in ("open", "reversed"):
            return ""
        return value  # title, alt, href, cite (URLs are checked by nh3 against URL_SCHEMES)

    return check


def _relative(base_url: str | None) -> Callable[[str], str | None]:
    def resolve(url: str) -> str | None:
        if LOCAL_IMAGE.fullmatch(url):
            return url
        return absolute_url(url, base_url) if base_url else None

    return resolve


def clean_html(
    fragment: str | None,
    base_url: str | None = None,
    image_src: ImageSrc | None = None,
    *,
    remote_images: bool = False,
) -> str:
    """Archived HTML as safe, balanced HTML to embed in an export page (see the module doc)."""
    if not fragment or not fragment.strip():
        return ""
    if too_deep(fragment):
        text = html.escape(plain_text(fragment))
        return f'<p title="shown as text: nested over {MAX_NESTING} levels deep">{text}</p>'
    prepared = _prepare(fragment, base_url, image_src or (lambda url: None), remote_images)
    return nh3.clean(
        prepared,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter(remote_images),
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
        url_relative=_relative(base_url),
        filter_style_properties=set(STYLE_PROPERTIES),
    )


__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "DROP_CONTENT_TAGS",
    "LOCAL_IMAGE",
    "MAX_NESTING",
    "STYLE_PROPERTIES",
    "URL_SCHEMES",
    "absolute_url",
    "clean_html",
    "nesting_depth",
    "plain_text",
    "too_deep",
    "web_url",
]

"""Small selectolax (Lexbor) helpers shared by the page parsers: parsing, text, links, ljusers.

Everything here is defensive: attribute access never raises, missing nodes give None, and text is
whitespace-normalised the same way everywhere. Parsers work on one parsed tree per page.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, unquote_plus, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import ParseError

Node = LexborNode
Tree = LexborHTMLParser

_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_INT = re.compile(r"\d[\d,]*")

# Tags that start a new line in block_text().
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
    ]
)
SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})

# Classes whose subtree is user-written HTML: page chrome is never looked up inside these.
USER_CONTENT_CLASSES = ("entry-content", "comment-content", "usercontent")

F = TypeVar("F", bound=Callable[..., Any])


def guarded(fn: F) -> F:
    """Decorator for public parsers: any failure becomes ParseError, nothing else escapes."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ParseError:
            raise
        except Exception as exc:
            raise ParseError(
                f"{fn.__name__}: could not parse page ({type(exc).__name__}: {exc})"
            ) from exc

    return wrapper  # type: ignore[return-value]


@guarded
def parse_html(html: str | bytes | Tree) -> Tree:
    """Parse page text once (or pass an already parsed tree through)."""
    if isinstance(html, LexborHTMLParser):
        return html
    if isinstance(html, str):
        kept = getattr(_kept, "page", None)
        if kept is not None and kept[0] is html:
            _kept.page = None  # handed over once: a later parse of the text parses afresh
            return kept[1]
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not isinstance(html, str):
        raise ParseError("page is not text")
    # Lexbor stops at NUL in some paths; replace it the way browsers do.
    if "\x00" in html:
        html = html.replace("\x00", "\ufffd")
    return LexborHTMLParser(html)


# One parsed page kept for the next parser (see parse_and_keep), per thread.
_kept = threading.local()


def parse_and_keep(html: str | bytes | Tree) -> Tree:
    """parse_html(html), keeping the tree for the next parse_html of the very same str object.

    The crawl asks page_kind(text) and then parse_entry_page(text) (or another parser) of one
    fetched text; without this every page was parsed by Lexbor twice. The tree is handed over
    once and only for the identical object (`is`), so nothing else ever sees a kept tree, and no
    parser changes a tree."""
    tree = parse_html(html)
    if isinstance(html, str):
        _kept.page = (html, tree)
    return tree


_END_WINDOW = 4096  # the closing </html> of a whole page is within this many characters of its end


def parse_page(html: str | bytes | Tree) -> Tree:
    """parse_html for a whole journal or profile page, refusing text cut short.

    An HTML parser repairs a page that stops half way without a complaint, and the records read
    from it would be missing entries, comments or text; the one sign it ends early is the missing
    closing </html>. (A parsed tree is taken as the caller's whole page.)"""
    if isinstance(html, str | bytes):
        tail = html[-_END_WINDOW:].lower()
        if (b"</html" if isinstance(tail, bytes) else "</html") not in tail:
            raise ParseError("page is cut short: no closing </html>")
    return parse_html(html)


def root_of(tree: Tree | Node) -> Node | None:
    """The node to search from: the tree's <html> (or the node itself)."""
    if isinstance(tree, LexborHTMLParser):
        return tree.root
    return tree


# --- text -------------------------------------------------------------------------------------


def norm(text: str | None) -> str:
    """Collapse every run of whitespace (including no-break spaces) to one space and strip."""
    if not text:
        return ""
    return _WS.sub(" ", text).strip()


def text_of(node: Node | None) -> str:
    """Normalised text of a node ('' for None)."""
    if node is None:
        return ""
    try:
        return norm(node.text(deep=True, separator="", strip=False))
    except Exception:  # noqa: BLE001
        return ""


def inner_html(node: Node | None) -> str:
    if node is None:
        return ""
    try:
        return node.inner_html or ""
    except Exception:  # noqa: BLE001
        return ""


def outer_html(node: Node | None) -> str:
    if node is None:
        return ""
    try:
        return node.html or ""
    except Exception:  # noqa: BLE001
        return ""


def children(node: Node, include_text: bool = False) -> list[Node]:
    try:
        return list(node.iter(include_text=include_text))
    except Exception:  # noqa: BLE001
        return []


def block_text(node: Node | None, skip: Iterable[Node] = ()) -> str:
    """Readable text of user HTML: block elements and <br> on their own lines, spaces normalised.

    Iterative (user HTML can nest deeper than the recursion limit). `skip` subtrees are left out.
    """
    if node is None:
        return ""
    skip_ids = {n.mem_id for n in skip}
    parts: list[str] = []
    # stack of (node, entering?) ; exit markers add the line break after blocks
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
        block = tag in BLOCK_TAGS or tag in ("td", "th")
        if block and not first:
            parts.append("\n" if tag not in ("td", "th") else " ")
        first = False
        stack.append((None, False, block and tag not in ("td", "th")))
        kids = children(cur, include_text=True)
        for kid in reversed(kids):
            stack.append((kid, True, False))
    lines = (norm(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


# --- attributes and classes -------------------------------------------------------------------


def attr(node: Node | None, name: str) -> str | None:
    """An attribute's value, or None (never raises; valueless attributes give '')."""
    if node is None:
        return None
    try:
        attrs = node.attributes
    except Exception:  # noqa: BLE001
        return None
    if name not in attrs:
        return None
    value = attrs.get(name)
    return "" if value is None else str(value)


def classes(node: Node | None) -> list[str]:
    value = attr(node, "class")
    return value.split() if value else []


def has_class(node: Node | None, name: str) -> bool:
    return name in classes(node)


def ancestors(node: Node, stop: Node | None = None) -> Iterator[Node]:
    """Parents of `node`, nearest first, up to (not including) `stop`."""
    stop_id = stop.mem_id if stop is not None else None
    cur = node.parent
    while cur is not None:
        if stop_id is not None and cur.mem_id == stop_id:
            return
        if not cur.is_element_node:
            return
        yield cur
        cur = cur.parent


def closest(
    node: Node, class_name: str, stop: Node | None = None, include_self: bool = True
) -> Node | None:
    """Nearest ancestor (or the node itself) carrying `class_name`, below `stop`."""
    if include_self and has_class(node, class_name):
        return node
    for anc in ancestors(node, stop):
        if has_class(anc, class_name):
            return anc
    return None


def is_inside(node: Node, container: Node) -> bool:
    cid = container.mem_id
    if node.mem_id == cid:
        return True
    return any(a.mem_id == cid for a in ancestors(node))


def in_user_content(node: Node, stop: Node | None = None) -> bool:
    """True when `node` sits inside user-written HTML (an entry/comment body) below `stop`.

    The same walk as `ancestors()` + `classes()`, inlined: parsers call this for nearly every
    node they look at, through some 20 ancestors each (it was the parsers' top Python cost)."""
    stop_id = stop.mem_id if stop is not None else None
    cur = node.parent
    while cur is not None:
        if stop_id is not None and cur.mem_id == stop_id:
            return False
        if not cur.is_element_node:
            return False
        try:
            value = cur.attributes.get("class")
        except Exception:  # noqa: BLE001
            value = None
        # every USER_CONTENT_CLASSES name contains "content": split only when it can match
        if value and "content" in value:
            cls = value.split()
            if any(c in cls for c in USER_CONTENT_CLASSES):
                return True
        cur = cur.parent
    return False


def css_all(scope: Node | Tree | None, selector: str) -> list[Node]:
    if scope is None:
        return []
    try:
        return list(scope.css(selector))
    except Exception:  # noqa: BLE001
        return []


def own_all(scope: Node | None, selector: str, exclude: Iterable[Node] = ()) -> list[Node]:
    """Matches of `selector` under `scope` that are page chrome, not inside user content.

    `exclude` subtrees are also skipped (e.g. nested comment threads).
    """
    if scope is None:
        return []
    excl = [e for e in exclude if e is not None]
    out = []
    for n in css_all(scope, selector):
        if in_user_content(n, scope):
            continue
        if excl and any(is_inside(n, e) for e in excl):
            continue
        out.append(n)
    return out


def own_first(scope: Node | None, selector: str, exclude: Iterable[Node] = ()) -> Node | None:
    if scope is None:
        return None
    excl = [e for e in exclude if e is not None]
    for n in css_all(scope, selector):
        if in_user_content(n, scope):
            continue
        if excl and any(is_inside(n, e) for e in excl):
            continue
        return n
    return None


def first_int(text: str | None) -> int | None:
    """The first integer in `text` (thousands separators allowed), or None."""
    if not text:
        return None
    m = _INT.search(text)
    if not m:
        return None
    digits = m.group(0).replace(",", "")
    if not digits:
        return None
    try:
        return int(digits)
    except ValueError:
        return None


def all_ints(text: str | None) -> list[int]:
    if not text:
        return []
    out = []
    for m in _INT.finditer(text):
        digits = m.group(0).replace(",", "")
        if digits:
            out.append(int(digits))
    return out


# --- URLs -------------------------------------------------------------------------------------

_ITEM_PATH = re.compile(r"/(\d+)\.html$")
_DAY_PATH = re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/?$")
_MONTH_PATH = re.compile(r"/(\d{4})/(\d{1,2})/?$")
_YEAR_PATH = re.compile(r"/(\d{4})/?$")
_TAG_PATH = re.compile(r"/tag/([^/]+)/?$")


def split_url(url: str | None):
    if not url:
        return None
    try:
        return urlsplit(url.strip())
    except ValueError:
        return None


def url_path(url: str | None) -> str:
    parts = split_url(url)
    return parts.path if parts else ""


def query_param(url: str | None, name: str) -> str | None:
    parts = split_url(url)
    if not parts or not parts.query:
        return None
    try:
        values = parse_qs(parts.query, keep_blank_values=True).get(name)
    except ValueError:
        return None
    return values[0] if values else None


def query_int(url: str | None, name: str) -> int | None:
    value = query_param(url, name)
    if value is None:
        return None
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


def fragment(url: str | None) -> str:
    parts = split_url(url)
    return parts.fragment if parts else ""


def itemid_from_url(url: str | None) -> int | None:
    """NNN of a permalink .../NNN.html (any host, any prefix)."""
    m = _ITEM_PATH.search(url_path(url))
    if not m or len(m.group(1)) > 18:
        return None
    return int(m.group(1))


def day_from_url(url: str | None) -> str | None:
    """'YYYY-MM-DD' of a day archive link .../YYYY/MM/DD/ (validated)."""
    m = _DAY_PATH.search(url_path(url))
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return valid_date(y, mo, d)


def month_from_url(url: str | None) -> str | None:
    m = _MONTH_PATH.search(url_path(url))
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    if not (1 <= mo <= 12) or y < 1:
        return None
    return f"{y:04d}-{mo:02d}"


def year_from_url(url: str | None) -> int | None:
    m = _YEAR_PATH.search(url_path(url))
    if not m:
        return None
    y = int(m.group(1))
    return y if y >= 1 else None


def tag_from_url(url: str | None) -> str | None:
    """Tag name of a /tag/NAME or ?tag=NAME link (Dreamwidth's form for names with / or +)."""
    path = url_path(url)
    m = _TAG_PATH.search(path)
    if m:
        try:
            name = unquote_plus(m.group(1))
        except Exception:  # noqa: BLE001
            return None
        return name or None
    value = query_param(url, "tag")
    if value:
        return value
    return None


def valid_date(y: int, mo: int, d: int) -> str | None:
    import datetime as _dt

    try:
        _dt.date(y, mo, d)
    except (ValueError, OverflowError):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def absolute(url: str | None, base: str | None) -> str | None:
    if url is None:
        return None
    url = url.strip()
    if not base:
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def strip_fragment(url: str | None) -> str | None:
    if url is None:
        return None
    return url.split("#", 1)[0]


# --- users ------------------------------------------------------------------------------------

_USERNAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def canonical_username(name: str | None) -> str | None:
    """Dreamwidth's canonical form: lowercase, hyphens as underscores."""
    if not name:
        return None
    name = name.strip()
    if not _USERNAME.match(name):
        return None
    return name.lower().replace("-", "_")


def ljuser_name(span: Node | None) -> str | None:
    """The username of an ljuser span: its lj:user attribute, else its bold text."""
    if span is None:
        return None
    value = attr(span, "lj:user")
    if value:
        return norm(value) or None
    b = span.css_first("b")
    name = text_of(b) if b is not None else text_of(span)
    return name or None


def ljuser_kind(span: Node | None) -> str | None:
    """'personal' | 'community' | 'feed' | 'openid' | None from the ljuser head icon."""
    if span is None:
        return None
    img = span.css_first("img")
    alt = (attr(img, "alt") or "").lower()
    src = (attr(img, "src") or "").lower()
    if "openid" in src or "identity profile" in alt or "openid" in alt:
        return "openid"
    if "community" in src or "comm_staff" in src or "community" in alt:
        return "community"
    if "feed" in src or "syndicated" in alt or "feed" in alt:
        return "feed"
    if "user" in src or "personal" in alt or "staff" in alt:
        return "personal"
    return None


def ljuser_spans(scope: Node | None) -> list[Node]:
    """Top-level ljuser spans under scope (not ljusers nested in other ljusers)."""
    out = []
    for span in css_all(scope, "span.ljuser, span[lj\\:user]"):
        if any(
            has_class(a, "ljuser") or attr(a, "lj:user") is not None for a in ancestors(span, scope)
        ):
            continue
        out.append(span)
    return out


def userpic_keyword(img: Node | None) -> str | None:
    """Keyword of an icon <img>: alt 'USER: [DESCRIPTION] (KEYWORD)' -> KEYWORD ('Default')."""
    if img is None:
        return None
    alt = attr(img, "alt")
    if alt:
        kw = _last_paren_group(alt)
        if kw is not None:
            return kw
    title = attr(img, "title")
    if title:
        t = norm(title)
        if ": " in t:
            t = t.split(": ", 1)[1]
        kw = _last_paren_group(t) if t.startswith("(") and t.endswith(")") else None
        if kw is not None:
            return kw
        if t:
            # 'USER: KEYWORD (DESCRIPTION)' - the keyword comes first
            return t.split(" (", 1)[0].strip() or None
    return None


def _last_paren_group(text: str) -> str | None:
    t = norm(text)
    if not t.endswith(")"):
        return None
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        ch = t[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                inner = t[i + 1 : -1].strip()
                return inner or None
    return None


def unquote_path(s: str) -> str:
    try:
        return unquote(s)
    except Exception:  # noqa: BLE001
        return s

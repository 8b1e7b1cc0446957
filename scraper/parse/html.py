"""The parsed page every parser takes, the one guard around the public parsers, and the small
selectolax (Lexbor) helpers shared by them: text, classes, ancestry, scoped lookups.

A page is parsed once: `page = parse_html(text)` gives a frozen `ParsedPage` (after the guard of
guard.py has measured the text: bounded work per page), and `page_kind(page)`
and every `parse_*_page(page, url)` read that same tree (they also take the text and parse it
themselves). The helpers do not catch anything: a missing node is None or [] because the page has
no such node, never because an error was swallowed. Only the outermost public parser call turns an
unexpected exception into `InternalParseError` (a ParseError naming the exception and where it was
raised), so a crawl records it and goes on, while the tests see it as the bug it is.
"""

from __future__ import annotations

import contextvars
import functools
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import DwArchiveError, ParseError
from .guard import check_page

if TYPE_CHECKING:
    from .rendering import Rendering

Node = LexborNode
Tree = LexborHTMLParser

_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")

# The classes of the nodes S2 prints user-written HTML into (EntryLite::print_text, core2.s2:5195):
# page chrome is never looked up inside these.
USER_CONTENT_CLASSES = ("entry-content", "comment-content")

_END_WINDOW = 4096  # the closing </html> of a whole page is within this many characters of its end


class InternalParseError(ParseError):
    """A parser failed in a way it does not anticipate (an exception other than ParseError).

    The crawl records it like any ParseError; the tests treat it as a bug: every page the parsers
    cannot read must be refused with a deliberate ParseError and a reason."""


@dataclass(frozen=True, eq=False)
class ParsedPage:
    """One page, parsed once by Lexbor, with what is known of the text it came from.

    `complete` is False when the text does not end with `</html>`: a page cut short in transit,
    which an HTML parser would silently repair (the page parsers refuse it)."""

    tree: Tree
    complete: bool

    @property
    def root(self) -> Node | None:
        return self.tree.root

    @property
    def body(self) -> Node | None:
        return self.tree.body

    def css(self, selector: str) -> list[Node]:
        return self.tree.css(selector)

    def css_first(self, selector: str) -> Node | None:
        return self.tree.css_first(selector)

    @functools.cached_property
    def rendering(self) -> Rendering:
        """Which S2 rendering printed the page (rendering.rendering), worked out once per page."""
        from .rendering import rendering

        return rendering(self)


PageInput = str | bytes | ParsedPage

F = TypeVar("F", bound=Callable[..., Any])
_inside_guard: contextvars.ContextVar[bool] = contextvars.ContextVar("parse_guard", default=False)


def guarded(fn: F) -> F:
    """Decorator for the public parsers: our own errors pass (ParseError; a protocol fault's
    typed error), anything else becomes InternalParseError, once, at the outermost call."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _inside_guard.get():
            return fn(*args, **kwargs)
        token = _inside_guard.set(True)
        try:
            return fn(*args, **kwargs)
        except DwArchiveError:
            raise
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
            raise InternalParseError(
                f"{fn.__name__}: unexpected page structure ({type(exc).__name__} at {where}: {exc})"
            ) from exc
        finally:
            _inside_guard.reset(token)

    return wrapper  # type: ignore[return-value]


@guarded
def parse_html(html: PageInput) -> ParsedPage:
    """Parse page text once (a ParsedPage is passed through).

    Every parse of page text goes through here, and first through the guard of
    scraper.parse.guard: a page that would nest too deep, make too many elements or cost the
    parser too much is refused with a one-line ParseError before Lexbor sees it."""
    if isinstance(html, ParsedPage):
        return html
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not isinstance(html, str):
        raise ParseError(f"page is not text ({type(html).__name__})")
    # Lexbor stops at NUL in some paths; replace it the way browsers do.
    if "\x00" in html:
        html = html.replace("\x00", "\ufffd")
    check_page(html)
    complete = "</html" in html[-_END_WINDOW:].lower()
    return ParsedPage(LexborHTMLParser(html), complete)


def parse_page(html: PageInput) -> ParsedPage:
    """parse_html for a whole journal or profile page, refusing text cut short."""
    page = parse_html(html)
    if not page.complete:
        raise ParseError("page is cut short: no closing </html>")
    return page


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
    return norm(node.text(deep=True, separator="", strip=False))


_INT = re.compile(r"\d[\d,]*")


def first_int(text: str | None) -> int | None:
    """The first integer in `text` (thousands separators allowed), or None."""
    found = all_ints(text)
    return found[0] if found else None


def all_ints(text: str | None) -> list[int]:
    if not text:
        return []
    out = []
    for m in _INT.finditer(text):
        digits = m.group(0).replace(",", "")
        if digits and len(digits) < 19:
            out.append(int(digits))
    return out


def inner_html(node: Node | None) -> str:
    return (node.inner_html or "") if node is not None else ""


def outer_html(node: Node | None) -> str:
    return (node.html or "") if node is not None else ""


def children(node: Node, include_text: bool = False) -> list[Node]:
    return list(node.iter(include_text=include_text))


# --- attributes and classes -------------------------------------------------------------------


def attr(node: Node | None, name: str) -> str | None:
    """An attribute's value, or None (valueless attributes give '')."""
    if node is None:
        return None
    attrs = node.attributes
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


def inside_any(
    node: Node, container_ids: set[int] | frozenset[int], stop: Node | None = None
) -> bool:
    """`node` is one of, or lies inside one of, the nodes whose mem_ids are given (looking no
    further up than `stop`)."""
    if not container_ids:
        return False
    stop_id = stop.mem_id if stop is not None else None
    cur: Node | None = node
    while cur is not None and cur.is_element_node:
        cid = cur.mem_id
        if cid in container_ids:
            return True
        if cid == stop_id:
            return False
        cur = cur.parent
    return False


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
        value = cur.attributes.get("class")
        # every USER_CONTENT_CLASSES name contains "content": split only when it can match
        if value and "content" in value:
            cls = value.split()
            if any(c in cls for c in USER_CONTENT_CLASSES):
                return True
        cur = cur.parent
    return False


def css_all(scope: Node | ParsedPage | None, selector: str) -> list[Node]:
    """Matches of `selector` under scope ([] without a scope). An invalid selector raises."""
    if scope is None:
        return []
    return list(scope.css(selector))


def _ids(nodes: Iterable[Node | None]) -> frozenset[int]:
    return frozenset(n.mem_id for n in nodes if n is not None) if nodes else frozenset()


def own_all(scope: Node | None, selector: str, exclude: Iterable[Node | None] = ()) -> list[Node]:
    """Matches of `selector` under `scope` that are page chrome, not inside user content.

    `exclude` subtrees are also skipped (e.g. nested comment threads).
    """
    if scope is None:
        return []
    excl = _ids(exclude)
    return [
        n
        for n in css_all(scope, selector)
        if not in_user_content(n, scope) and not (excl and inside_any(n, excl, scope))
    ]


def own_first(
    scope: Node | None, selector: str, exclude: Iterable[Node | None] = ()
) -> Node | None:
    if scope is None:
        return None
    excl = _ids(exclude)
    for n in css_all(scope, selector):
        if not in_user_content(n, scope) and not (excl and inside_any(n, excl, scope)):
            return n
    return None


def outside_all(scope: Node | None, selector: str, excluded: Iterable[Node | None]) -> list[Node]:
    """Matches of `selector` under `scope` outside the `excluded` subtrees (and nothing else:
    for lookups whose user content is known exactly, like one comment's body)."""
    if scope is None:
        return []
    excl = _ids(excluded)
    return [n for n in css_all(scope, selector) if not inside_any(n, excl, scope)]


def outside_first(
    scope: Node | None, selector: str, excluded: Iterable[Node | None]
) -> Node | None:
    if scope is None:
        return None
    excl = _ids(excluded)
    for n in css_all(scope, selector):
        if not inside_any(n, excl, scope):
            return n
    return None


def direct_text(node: Node | None) -> str:
    """The node's own text nodes (not its elements' text), normalised."""
    if node is None:
        return ""
    return norm(" ".join(k.text_content or "" for k in children(node, True) if k.is_text_node))

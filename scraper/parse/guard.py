"""Bounded work per page: a linear pre-scan refuses a page before the HTML parser reads it.

Lexbor's tree builder is linear in most input, not in all of it. Every tag that asks whether an
element is "in scope" walks the stack of open elements, so a page costs the sum over its tags of
the nesting depth: 100,000 nested `<div>` (1.1 MB, far under the 10 MB response cap) take ~10 s
to parse and as long again in our parsers, and the time grows with the square of the depth.
Formatting elements are reopened whenever text follows a block that closed them: `<div><b
id=N></div>` 5,000 times (100 KB) makes 12.5 million elements in 13 s, 20,000 times exhausts the
memory; `<p><b id=1>`..`<b id=600>` then `<p>x` 600 times (1,200 tags) makes 360,000.

`check_page(text)` measures the tree the text would make, without making it, and refuses with a
ParseError of one line a page over a limit. In order:

1. more than MAX_TAGS '<' in the text (one `str.count`): not scanned at all;
2. at most SMALL_PAGE_TAGS: no arrangement of so few tags passes the limits, nothing to scan;
3. scraper.parse.plainscan: the page as written, for markup the parser takes as written (every
   end tag closes the current element, nothing implied but a table's tbody/tr): Dreamwidth's
   pages and every fixture; ~0.9 us a tag (a 150 KB entry page with 86 comments: 4 ms, 10 MB
   of such markup: 0.3 s);
4. otherwise scraper.parse.treescan: the HTML standard's tokenizer and tree construction, as far
   as depth and element counts go (~2 us a tag, 10 MB: 0.6 s; it stops at MAX_ELEMENTS).

Both scans count what Lexbor builds: on every fixture page, the fake site's pages (614, all
layouts and the hostile journal) and thousands of random tag soups they agree with the tree
Lexbor makes, or count more (tests/test_parse_guard.py). The limits, measured:

* real pages: at most 30 deep, ~7,500 elements, 2 million steps; the deepest is a comment thread
  (core2 stops nesting threads at 180 levels, styles/core2.s2:6366-6370; the fake site's
  300-deep thread page nests 582);
* at the limits Lexbor and the parsers take about two seconds: 5,000 deep costs little by
  itself, 400,000 plain elements ~1-2 s of parsing, 400 million steps ~0.5 s of Lexbor's walks
  and ~1.3 s of the parsers' (measured with 5,000-deep and 10,000-deep pages of links).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import PageTooComplex
from .plainscan import plain_shape
from .treescan import TreeScan

MAX_TAGS = 500_000
"""Most '<' in one page (tags, comments, '<' in text): what the scans read at 1-2 us a tag. A
150 KB entry page with 86 comments has 4,700; 10 MB of such markup ~320,000."""

SMALL_PAGE_TAGS = 1_200
"""A page with at most this many '<' is not scanned: no arrangement of so few tags passes the
limits below (the worst, formatting elements reopened in every paragraph, <p><b id=1>..
<b id=600> then 600 times <p>x, makes 360,000 elements, ~600 deep, in 0.08 s of Lexbor's time)."""

MAX_DEPTH = 5_000
"""Deepest nesting read (elements from <html> down). Real pages: ~30; a comment thread nests
deepest (582 for the fake site's 300-deep thread); owner-mode sources 3,000 deep are rendered
(tests/test_owner_render.py). Depth costs through the steps below: 5,000 deep with 70,000 links
takes Lexbor 0.06 s and the parsers 1.3 s; 100,000 deep, 10 s each."""

MAX_ELEMENTS = 400_000
"""Most elements in one page, counting those the parser would clone. Real pages: ~7,500 at most
(10 MB of ordinary markup would hold ~160,000)."""

MAX_WORK = 400_000_000
"""Most stack frames the tree builder may walk (the sum over tags of the depth they are read
at, and a stack lookup per reopened formatting element). Real pages: 2 million at most; at the
limit Lexbor spends about half a second walking."""


@dataclass(frozen=True)
class PageShape:
    """What the pre-scan found: the deepest nesting, the elements the parser would make, the
    stack frames it would walk, and the limit passed first ('' when none)."""

    depth: int
    elements: int
    work: int
    over: str = ""
    tags: int = 0

    def refusal(self) -> str | None:
        """One line saying why the page is not read, or None when it may be."""
        if self.over == "tags":
            return f"page has {self.tags} tags, over the {MAX_TAGS} the parsers read: not read"
        if self.over == "depth":
            return (
                f"page nests {self.depth} elements deep, over the {MAX_DEPTH} the parsers read: "
                "not read"
            )
        if self.over == "elements":
            return (
                f"page makes more than {MAX_ELEMENTS} elements, over what the parsers read: "
                "not read"
            )
        if self.over == "work":
            return (
                f"page would take the HTML parser {self.work} steps (tags times nesting), over "
                f"the {MAX_WORK} it is given: not read"
            )
        return None


def measure(
    text: str,
    max_depth: int = MAX_DEPTH,
    max_elements: int = MAX_ELEMENTS,
    max_work: int = MAX_WORK,
    max_tags: int = MAX_TAGS,
    small_page_tags: int = SMALL_PAGE_TAGS,
) -> PageShape:
    """The shape of the tree an HTML parser builds from `text` (see scraper.parse.treescan);
    a page with more than `max_tags` '<' is not scanned at all."""
    tags = text.count("<")
    if tags > max_tags:
        return PageShape(0, 0, 0, "tags", tags)
    if tags <= small_page_tags:
        return PageShape(0, 0, 0, "", tags)  # no arrangement of so few tags costs much
    plain = plain_shape(text)
    if plain is not None:
        depth, elements, work = plain
    else:
        scan = TreeScan(max_depth, max_elements)
        scan.run(text)
        depth, elements, work = scan.max_depth, scan.elements, scan.work
    over = ""
    if elements > max_elements:
        over = "elements"
    elif depth > max_depth:
        over = "depth"
    elif work > max_work:
        over = "work"
    return PageShape(depth, elements, work, over, tags)


def check_page(text: str) -> PageShape:
    """`measure(text)`, raising PageTooComplex (one line) when the page is over a limit."""
    shape = measure(text)
    reason = shape.refusal()
    if reason is not None:
        raise PageTooComplex(reason)
    return shape

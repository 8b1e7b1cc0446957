"""Element kinds for scraper.parse.treescan, as the HTML standard's tree construction
(13.2.4, 13.2.6) sorts them: void, formatting, special, the scopes' boundaries, the elements
that close an open <p>, the tags that leave svg and math; and the frames of the scan's stack of
open elements, which carry for each kind of scope the index of its nearest boundary below them
(so "is x in scope?" is one comparison)."""

from __future__ import annotations

import re

WS = "\t\n\f\r "  # the tokenizer's whitespace
_ATTR_NAME = re.compile(
    r"([^\t\n\f\r />][^\t\n\f\r /=>]*+)"
    r"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:\"[^\"]*+\"|'[^']*+'|[^\t\n\f\r >]++)?+)?+"
)
_UPPER = re.compile("[A-Z]+")


def ascii_lower(name: str) -> str:
    """ASCII lowercase, as the tokenizer does it (str.lower() turns the Kelvin sign into k)."""
    return name.lower() if name.isascii() else _UPPER.sub(lambda m: m.group(0).lower(), name)


def font_breaks_out(attrs: str) -> bool:
    """<font> leaves foreign content only with a color, face or size attribute."""
    return any(
        ascii_lower(m.group(1)) in ("color", "face", "size") for m in _ATTR_NAME.finditer(attrs)
    )


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


HTML, SVG, MATH, UNSURE = 0, 1, 2, 3  # an UNSURE element's namespace depends on attributes

VOID = _names(
    "area base basefont bgsound br embed frame hr image img input keygen link meta param source "
    "track wbr"
)
FORMATTING = _names("a b big code em font i nobr s small strike strong tt u")
CLOSES_P = _names(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 "
    "h5 h6 pre listing plaintext xmp li dd dt"
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
RAWTEXT = _names("script style xmp iframe noembed noframes textarea title")
TABLE_PARTS = _names("caption colgroup col tbody thead tfoot tr td th")
IGNORED_START = _names("html head body")
SPECIAL = _names(
    "address applet area article aside base basefont bgsound blockquote body br button caption "
    "center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form "
    "frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link "
    "listing main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre "
    "script search section select source style summary table tbody td template textarea tfoot "
    "th thead title tr track ul wbr xmp"
)
# End tags that close their element when it is in scope (the others: "any other end tag").
END_IN_SCOPE = _names(
    "address article aside blockquote button center details dialog dir div dl fieldset figcaption "
    "figure footer header hgroup listing main menu nav ol pre search section summary ul applet "
    "marquee object dd dt select"
)
# Start tags that leave foreign content: the standard's list less "sup", which Lexbor keeps.
BREAKOUT = _names(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img "
    "li listing menu meta nobr ol p pre ruby s small span strong strike sub table tt u ul "
    "var"
)
SVG_IP = frozenset({"foreignobject", "desc", "title"})  # HTML integration points
MATH_TEXT_IP = frozenset({"mi", "mo", "mn", "ms", "mtext"})
HEAD_TAGS = _names(
    "html head base basefont bgsound link meta title noscript noframes style script template"
)
HEAD_NOSCRIPT = _names("basefont bgsound link meta noframes style")
IMPLIED_END = _names("dd dt li optgroup option p rb rp rt rtc")
CELLS = ("td", "th", "caption")
MARKER_NAMES = _names("applet marquee object template td th caption")
TMODE_NAMES = _names("table tbody thead tfoot tr td th caption colgroup template")
TABLE_MODES = ("table", "tbody", "thead", "tfoot", "tr", "colgroup")

# Start tags the scan's fast path cannot take: any that closes, reopens or opens something
# besides itself, or whose element is special in some way.
NOT_PLAIN = (
    VOID
    | FORMATTING
    | CLOSES_P
    | RAWTEXT
    | TABLE_PARTS
    | IGNORED_START
    | SPECIAL
    | {"table", "template", "button", "option", "optgroup", "input", "select", "svg", "math"}
    | {"rb", "rtc", "rp", "rt", "plaintext", "frameset", "noscript", "a", "nobr", "hr"}
)
# The scan's fast paths (treescan.run), for start tags in HTML content outside the head: a plain
# element (opens itself only), a formatting element (and its active formatting entry), a block
# (closes an open <p> first), a void element. Other start tags take the full rules.
FAST_PLAIN, FAST_FORMAT, FAST_BLOCK, FAST_VOID = 1, 2, 3, 4
FAST_START = {
    **dict.fromkeys(FORMATTING - {"a", "nobr"}, FAST_FORMAT),
    **dict.fromkeys(
        CLOSES_P - {"li", "dd", "dt", "form", "xmp", "plaintext", *HEADINGS}, FAST_BLOCK
    ),
    **dict.fromkeys(VOID - {"hr", "input"}, FAST_VOID),
}

# Frame category bits.
K_SCOPE, K_BUTTON, K_LIST, K_TABLE, K_SPECIAL, K_SPECIAL_LI, K_HTMLNS, K_TMODE, K_MARKER = (
    1 << n for n in range(9)
)
DEFAULT_SCOPE = _names("applet caption html table td th marquee object template")


def _html_bits(name: str) -> int:
    bits = K_HTMLNS
    # select has an insertion mode of its own, a frameset document ignores most tags: the scan
    # lets nothing pop through either
    if name in DEFAULT_SCOPE or name in ("select", "frameset"):
        bits |= K_SCOPE | K_BUTTON | K_LIST
    if name == "button":
        bits |= K_BUTTON
    if name in ("ol", "ul"):
        bits |= K_LIST
    if name in ("html", "table", "template", "frameset"):
        bits |= K_TABLE
    if name in SPECIAL:
        bits |= K_SPECIAL
        if name not in ("address", "div", "p"):
            bits |= K_SPECIAL_LI
    if name in TMODE_NAMES:
        bits |= K_TMODE
    if name in MARKER_NAMES:
        bits |= K_MARKER
    return bits


HTML_BITS = {
    name: _html_bits(name) for name in SPECIAL | TMODE_NAMES | {"button", "select", "frameset"}
}
# Foreign elements that bound scopes and are special; an UNSURE element is treated as all of it
# (scope boundary, special, the end of a foreign end tag's walk): it can only stop a pop.
FOREIGN_SCOPING = K_SCOPE | K_BUTTON | K_LIST | K_SPECIAL | K_SPECIAL_LI
UNSURE_BITS = FOREIGN_SCOPING | K_TABLE | K_HTMLNS


def element_bits(name: str, ns: int) -> int:
    if ns == HTML:
        return HTML_BITS.get(name, K_HTMLNS)
    if ns == UNSURE:
        return UNSURE_BITS
    if (ns == SVG and name in SVG_IP) or (
        ns == MATH and (name in MATH_TEXT_IP or name == "annotation-xml")
    ):
        return FOREIGN_SCOPING
    return 0


def integration_point(frame: tuple) -> bool:
    name, ns = frame[F_NAME], frame[F_NS]
    return (ns == SVG and name in SVG_IP) or (
        ns == MATH and (name in MATH_TEXT_IP or name == "annotation-xml")
    )


# A frame: name ('' once the parser took it out of the stack), namespace, unique id, category
# bits, then the index of the nearest frame at or below it of each kind (-1: none), and how many
# special frames lie at or below it.
F_NAME, F_NS, F_UID, F_BITS, F_SCOPE, F_BUTTON, F_LIST, F_TABLE = range(8)
F_SPECIAL, F_SPECIAL_LI, F_HTML, F_TMODE, F_NSPECIAL = range(8, 13)
ROOT_FRAME = ("#root", HTML, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, 0)


def make_frame(name: str, ns: int, uid: int, bits: int, below: tuple, i: int) -> tuple:
    return (
        name,
        ns,
        uid,
        bits,
        i if bits & K_SCOPE else below[F_SCOPE],
        i if bits & K_BUTTON else below[F_BUTTON],
        i if bits & K_LIST else below[F_LIST],
        i if bits & K_TABLE else below[F_TABLE],
        i if bits & K_SPECIAL else below[F_SPECIAL],
        i if bits & K_SPECIAL_LI else below[F_SPECIAL_LI],
        i if bits & K_HTMLNS else below[F_HTML],
        i if bits & K_TMODE else below[F_TMODE],
        below[F_NSPECIAL] + (1 if bits & K_SPECIAL else 0),
    )

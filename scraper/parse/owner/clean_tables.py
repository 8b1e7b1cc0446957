"""The cleaner's tables: Dreamwidth's tag renames (CleanHTML.pm:295-306), the tags that close
themselves, form fields and table parts, what clean_event and clean_comment eat, remove and allow
(l.486-490, 974-1064, 1629-1640), the error texts (bin/upgrading/en.dat), and CleanPolicy with
the three policies: entries, comments, anonymous comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TAG_UPDATES = {
    "cut": "lj-cut",
    "poll": "lj-poll",
    "poll-item": "lj-pi",
    "poll-question": "lj-pq",
    "raw-code": "lj-raw",
    "site-embed": "lj-embed",
    "user": "lj",
}
VOID_TAGS = re.compile(
    r"^(?:area|base|basefont|br|col|embed|frame|hr|img|input|isindex|link|meta|param|source|"
    r"track|wbr|lj-embed|site-embed|poll-\d+|lj-poll-\d+)$"
)  # $slashclose_tags, l.81-82
FORM_TAGS = frozenset({"input", "select", "option"})
TABLE_PARTS = frozenset({"tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup", "col"})

ENTRY_EAT = (
    "head",
    "title",
    "style",
    "layer",
    "iframe",
    "applet",
    "object",
    "xml",
    "param",
    "base",
)
ENTRY_REMOVE = ("bgsound", "embed", "object", "link", "body", "meta", "noscript", "plaintext",
                "noframes")  # fmt: skip
COMMENT_EAT = ("head", "title", "style", "layer", "iframe", "applet", "object")
COMMENT_ANON_EAT = (*COMMENT_EAT, "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption",
                    "colgroup", "col", "font")  # fmt: skip
COMMENT_ALLOW = (
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
    "xmp",
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
    "form",
    "textarea",
    "img",
    "br",
    "hr",
    "p",
    "col",
    "summary",
    "details",
    "ruby",
    "rt",
    "rp",
)  # fmt: skip  (@comment_all, l.1629-1640)

ERROR_MARKUP = (
    "[<strong>Error:</strong> Irreparable invalid markup ('&lt;{tag}&gt;') in entry. "
    "Owner must fix manually. Raw contents below.]"
)  # cleanhtml.error.markup.extra (bin/upgrading/en.dat:36)
ERROR_TEMPLATE = "[Error: unknown template {name}]"  # cleanhtml.error.template (en.dat:38)
ERROR_VIDEO = "[Error: unknown template 'video']"  # cleanhtml.error.template.video (en.dat:40)


@dataclass(frozen=True)
class CleanPolicy:
    """Which cleaner call this is: clean_event (entries) or clean_comment."""

    mode: str  # 'allow' (everything but `remove`) | 'deny' (only `allow`)
    eat: tuple[str, ...]
    remove: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    strongcleancss: bool = False
    nocss: bool = False
    extractlinks: bool = False
    extractimages: bool = False


ENTRY_POLICY = CleanPolicy(mode="allow", eat=ENTRY_EAT, remove=ENTRY_REMOVE)
COMMENT_POLICY = CleanPolicy(mode="deny", eat=COMMENT_EAT, allow=COMMENT_ALLOW, strongcleancss=True)
ANON_COMMENT_POLICY = CleanPolicy(
    mode="deny",
    eat=COMMENT_ANON_EAT,
    allow=COMMENT_ALLOW,
    strongcleancss=True,
    nocss=True,
    extractlinks=True,
    extractimages=True,
)

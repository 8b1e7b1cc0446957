"""Dreamwidth's comment export (/export_comments): request paths in, typed pages out.

DW::Controller::Export::comment_handler (cgi-bin/DW/Controller/Export.pm:269-443):

- `get=comment_meta`: `<maxid>`, `<nextid>` (printed only while startid+numitems <= maxid,
  l.353-354), one `<comment id= [posterid=] [state=]/>` per comment in the id window (no
  state = active, l.363) and a `<usermap id= user=/>` per poster (l.371-375). Up to 10,000 ids.
- `get=comment_body&props=1`: `<comment id= jitemid= [posterid=] [state=] [parentid=]>` with
  `<subject>` and `<body>` (only when non-empty, l.424-425), `<date>` in UTC
  (`YYYY-MM-DDTHH:MM:SSZ`, l.409-410) and `<property name=>` elements; a deleted comment is an
  empty element without date (l.419-421). Up to 1,000 ids. No usermap.
- The window is the id range startid <= jtalkid < startid+numitems (l.304-313): an id gap gives
  an empty page. Comments by suspended posters are shown as deleted (l.334-342).

A GET with a Referer header, or without a logged-in session, gets an HTML page instead of XML
(l.270-278): that is a ParseError here, with a message that says so.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urlencode

from ...errors import ParseError

EXPORT_PATH = "/export_comments"
META_WINDOW = 10_000  # most ids one comment_meta answer covers (Export.pm:296)
BODY_WINDOW = 1_000  # most ids one comment_body answer covers (Export.pm:296)
STATES = ("A", "S", "D", "F")  # active, screened, deleted, frozen (LJ::Comment::is_*)


@dataclass(frozen=True)
class MetaComment:
    jtalkid: int
    posterid: int | None  # None: anonymous
    state: str  # 'A' | 'S' | 'D' | 'F' (letter as sent; 'A' when absent)


@dataclass(frozen=True)
class CommentMetaPage:
    maxid: int | None  # highest jtalkid of the journal; None when the answer has none
    nextid: int | None  # the next window's startid; None on the last window
    comments: tuple[MetaComment, ...]  # sorted by jtalkid
    usermap: dict[int, str] = field(hash=False)  # posterid -> username (ext_NNN for OpenID)


@dataclass(frozen=True)
class BodyComment:
    jtalkid: int
    jitemid: int
    posterid: int | None
    state: str
    parentid: int | None  # parent's jtalkid; None for a top-level comment
    subject: str | None  # None when the export has no <subject>
    body: str | None  # the raw markup; None when the export has no <body>
    date: str | None  # 'YYYY-MM-DDTHH:MM:SSZ' (UTC); None for deleted comments
    props: dict[str, str] = field(hash=False)


@dataclass(frozen=True)
class CommentBodyPage:
    comments: tuple[BodyComment, ...]  # sorted by jtalkid


def export_path(
    kind: str,
    startid: int,
    numitems: int | None = None,
    *,
    authas: str | None = None,
) -> str:
    """The path and query of one export window ('comment_meta' or 'comment_body').

    Body windows ask for props (props=1). `authas` names a community the account manages."""
    if kind not in ("comment_meta", "comment_body"):
        raise ValueError(f"unknown export kind {kind!r}")
    limit = META_WINDOW if kind == "comment_meta" else BODY_WINDOW
    n = limit if numitems is None else int(numitems)
    if not 1 <= n <= limit:
        raise ValueError(f"numitems for {kind} is 1..{limit}, not {n}")
    if startid < 0:
        raise ValueError("startid is not negative")
    query: list[tuple[str, str]] = [
        ("get", kind),
        ("startid", str(int(startid))),
        ("numitems", str(n)),
    ]
    if kind == "comment_body":
        query.append(("props", "1"))
    if authas:
        query.append(("authas", authas))
    return f"{EXPORT_PATH}?{urlencode(query)}"


def _root(body: str | bytes, kind: str) -> ET.Element:
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    head = text[:2048].lstrip().lower()
    if "<!doctype" in head or "<!entity" in head:
        if "<livejournal" not in text[:4096]:
            raise ParseError(
                f"{kind}: the export answered an HTML page, not XML (not logged in, no access, "
                "or a Referer header was sent)"
            )
        raise ParseError(f"{kind}: export XML carries a DTD; refused")
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise ParseError(f"{kind}: unreadable export XML ({exc})") from None
    if root.tag != "livejournal":
        raise ParseError(f"{kind}: export answer is <{root.tag}>, not <livejournal>")
    return root


def _int_attr(el: ET.Element, name: str, kind: str, *, required: bool = False) -> int | None:
    value = el.get(name)
    if value is None or value.strip() == "":
        if required:
            raise ParseError(f"{kind}: <{el.tag}> without {name}")
        return None
    value = value.strip()
    if not value.isdigit() or len(value) > 18:
        raise ParseError(f"{kind}: <{el.tag}> {name}={value[:20]!r} is not a number")
    return int(value)


def _int_text(el: ET.Element | None, kind: str) -> int | None:
    if el is None:
        return None
    value = (el.text or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise ParseError(f"{kind}: <{el.tag}> {value[:20]!r} is not a number")
    return int(value)


def _state(el: ET.Element) -> str:
    state = (el.get("state") or "A").strip().upper() or "A"
    return state


def parse_comment_meta(body: str | bytes) -> CommentMetaPage:
    kind = "comment_meta"
    root = _root(body, kind)
    maxid = _int_text(root.find("maxid"), kind)
    nextid = _int_text(root.find("nextid"), kind)
    comments = []
    for el in root.iterfind("comments/comment"):
        posterid = _int_attr(el, "posterid", kind)
        comments.append(
            MetaComment(
                jtalkid=_int_attr(el, "id", kind, required=True) or 0,
                posterid=posterid or None,
                state=_state(el),
            )
        )
    usermap: dict[int, str] = {}
    for el in root.iterfind("usermaps/usermap"):
        uid = _int_attr(el, "id", kind, required=True)
        user = (el.get("user") or "").strip()
        if uid and user:
            usermap[uid] = user
    comments.sort(key=lambda c: c.jtalkid)
    return CommentMetaPage(maxid=maxid, nextid=nextid, comments=tuple(comments), usermap=usermap)


def parse_comment_body(body: str | bytes) -> CommentBodyPage:
    kind = "comment_body"
    root = _root(body, kind)
    comments = []
    for el in root.iterfind("comments/comment"):
        subject_el = el.find("subject")
        body_el = el.find("body")
        date_el = el.find("date")
        props: dict[str, str] = {}
        for prop in el.iterfind("property"):
            name = (prop.get("name") or "").strip()
            if name:
                props[name] = prop.text or ""
        posterid = _int_attr(el, "posterid", kind)
        comments.append(
            BodyComment(
                jtalkid=_int_attr(el, "id", kind, required=True) or 0,
                jitemid=_int_attr(el, "jitemid", kind, required=True) or 0,
                posterid=posterid or None,
                state=_state(el),
                parentid=_int_attr(el, "parentid", kind) or None,
                subject=None if subject_el is None else (subject_el.text or ""),
                body=None if body_el is None else (body_el.text or ""),
                date=None if date_el is None else ((date_el.text or "").strip() or None),
                props=props,
            )
        )
    comments.sort(key=lambda c: c.jtalkid)
    return CommentBodyPage(comments=tuple(comments))

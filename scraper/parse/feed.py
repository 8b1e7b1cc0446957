"""The journal's Atom feed (/data/atom, cgi-bin/LJ/Feed.pm create_view_atom) -> FeedEntry list.

Site-namespaced elements (dw:reply-count, dw:poster, dw:security, ...) are matched by local name,
whatever namespace URI (or none) the feed declares for them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..errors import ParseError
from .html import guarded, norm
from .urls import itemid_from_url

_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class FeedEntry:
    itemid: int | None  # NNN of the alternate link NNN.html
    url: str | None  # the alternate (permalink) link
    title: str
    published: str | None  # as in the feed: W3C UTC, e.g. '2025-07-04T08:20:11Z'
    updated: str | None
    reply_count: int | None
    tags: tuple[str, ...] = ()
    security: str | None = None
    poster: str | None = None  # dw:poster user= (community posts)
    mood: str | None = None
    music: str | None = None
    content_html: str | None = None  # <content type="html"> (or <summary>), unescaped


@dataclass(frozen=True)
class AtomFeed:
    updated: str | None  # feed-level <updated>
    title: str | None
    journal: str | None  # dw:journal username=
    journal_type: str | None  # dw:journal type=
    entries: tuple[FeedEntry, ...]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1]


def _parse_xml(text: str) -> ET.Element:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        raise ParseError("feed is not text")
    text = text.lstrip("\ufeff")
    try:
        return ET.fromstring(text)
    except ET.ParseError as first:
        # Undeclared prefixes (e.g. a feed printing dw:reply-count without xmlns:dw): declare them.
        prefixes = set(re.findall(r"<\s*/?\s*([A-Za-z_][\w.-]*):[A-Za-z_]", text))
        prefixes -= {"xml"}
        m = re.search(r"<(?!\?|!)([A-Za-z_][\w:.-]*)", text)
        if not prefixes or not m:
            raise ParseError(f"feed is not well-formed XML: {first}") from first
        decl = "".join(
            f' xmlns:{p}="urn:dwarchive:undeclared:{p}"'
            for p in sorted(prefixes)
            if f"xmlns:{p}=" not in text
        )
        fixed = text[: m.end()] + decl + text[m.end() :]
        try:
            return ET.fromstring(fixed)
        except ET.ParseError as exc:
            raise ParseError(f"feed is not well-formed XML: {exc}") from exc


def _text(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    return "".join(el.itertext())


def _entry(el: ET.Element) -> FeedEntry:
    url = None
    title = ""
    published = updated = None
    reply_count = None
    tags: list[str] = []
    extras: dict[str, str] = {}
    poster = None
    content = None
    for child in el:
        name = _local(child.tag) if isinstance(child.tag, str) else ""
        if name == "link":
            rel = child.get("rel", "alternate")
            if rel == "alternate" and url is None:
                url = child.get("href")
        elif name == "title":
            title = norm(_text(child))
        elif name == "published":
            published = norm(_text(child)) or None
        elif name == "updated":
            updated = norm(_text(child)) or None
        elif name == "reply-count":
            t = norm(_text(child))
            reply_count = int(t) if t.isdigit() else None
        elif name == "category":
            term = child.get("term")
            if term and term not in tags:
                tags.append(term)
        elif name in ("security", "mood", "music"):
            extras[name] = norm(_text(child))
        elif name == "poster":
            poster = child.get("user") or norm(_text(child)) or None
        elif name in ("content", "summary") and content is None:
            content = _text(child)
    return FeedEntry(
        itemid=itemid_from_url(url),
        url=url,
        title=title,
        published=published,
        updated=updated,
        reply_count=reply_count,
        tags=tuple(tags),
        security=extras.get("security") or None,
        poster=poster,
        mood=extras.get("mood") or None,
        music=extras.get("music") or None,
        content_html=content,
    )


@guarded
def parse_atom_feed(xml_text: str) -> AtomFeed:
    """The whole feed: feed-level <updated>, title, journal and the entries (newest first)."""
    root = _parse_xml(xml_text)
    if _local(root.tag) != "feed":
        if _local(root.tag) == "entry":
            return AtomFeed(None, None, None, None, (_entry(root),))
        raise ParseError("not an Atom feed (root element is not <feed>)")
    updated = title = journal = jtype = None
    entries = []
    for child in root:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        if name == "entry":
            entries.append(_entry(child))
        elif name == "updated":
            updated = norm(_text(child)) or None
        elif name == "title":
            title = norm(_text(child)) or None
        elif name == "journal":
            journal = child.get("username")
            jtype = child.get("type")
    return AtomFeed(updated, title, journal, jtype, tuple(entries))


@guarded
def parse_atom(xml_text: str) -> list[FeedEntry]:
    """The feed's entries: itemid, url, title, published, updated, reply_count, tags, ..."""
    return list(parse_atom_feed(xml_text).entries)

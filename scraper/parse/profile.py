"""The profile page (/profile, views/profile/main.tt) -> ProfileRecord.

A site-skinned page: `#profile_top` (ljuser, icon, title, stats lines) and section pairs
`div.section` + `div.section_body#NAME_body` (basics, bio, connect, admins, people...).
Stats are English phrases with thousands separators; numbers are matched by the words next to them.
Basics rows are matched by their <th> label text.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..records import ProfileRecord
from .blocktext import block_text
from .html import (
    Node,
    PageInput,
    attr,
    children,
    css_all,
    guarded,
    has_class,
    inner_html,
    parse_page,
    text_of,
)
from .journal import name_from_host
from .urls import query_param, url_path
from .users import canonical_username, is_ljuser, ljuser_kind, ljuser_name, ljuser_spans

_NUM_WORDS = re.compile(r"(\d[\d,]*)\s+([A-Za-z][A-Za-z ]*)")
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_USER_NO = re.compile(r"\(#\s*([\d,]+)\)")
_STAT_KEYS = (
    ("received", "comments_received"),
    ("posted", "comments_posted"),
    ("entr", "entries_count"),
    ("memor", "memories_count"),
    ("icon", "icons_count"),
    ("userpic", "icons_count"),
    ("tag", "tags_count"),
)
_TYPE_BY_KIND = {
    "personal": "personal",
    "community": "community",
    "feed": "feed",
    "openid": "openid",
}


def _int(s: str) -> int | None:
    digits = s.replace(",", "")
    return int(digits) if digits.isdigit() else None


def _stats(details: Node | None) -> dict:
    out: dict = {}
    if details is None:
        return out
    lines = [p for p in children(details) if (p.tag or "").lower() == "p"] or css_all(details, "p")
    for i, p in enumerate(lines):
        text = text_of(p)
        if not text:
            continue
        numbered = False
        m = _USER_NO.search(text)
        if m:
            numbered = True
            out.setdefault("user_number", _int(m.group(1)))
            before, after = text[: m.start()], text[m.end() :]
            d1 = _ISO_DATE.search(before)
            d2 = _ISO_DATE.search(after)
            if d1:
                out.setdefault("created_on", d1.group(1))
            if d2:
                out.setdefault("last_updated", d2.group(1))
            continue
        for num, words in _NUM_WORDS.findall(text):
            w = words.lower()
            for key, field in _STAT_KEYS:
                if key in w:
                    numbered = True
                    if field not in out:
                        out[field] = _int(num)
                    break
        if (
            not numbered
            and "account_type" not in out
            and p.css_first("a") is None
            and not re.search(r"\d", text)
            and i == 0
        ):
            out["account_type"] = text
    return out


def _user_from_link(a: Node) -> str | None:
    """Username of a link to a profile/journal: ?user=NAME, host NAME.site, /~NAME, or its text."""
    href = attr(a, "href") or ""
    q = query_param(href, "user")
    if q:
        return canonical_username(q)
    host_name = name_from_host(href)
    if host_name:
        return host_name
    m = re.search(r"/(?:~|users/|community/)([A-Za-z0-9_-]+)", url_path(href))
    if m:
        return canonical_username(m.group(1))
    return canonical_username(text_of(a)) or (text_of(a) or None)


def _users_in(node: Node | _Fragment | None) -> list[str]:
    if node is None:
        return []
    out: list[str] = []
    if isinstance(node, _Fragment):
        for part in node.nodes:
            if not part.is_element_node:
                continue
            names = [ljuser_name(part)] if is_ljuser(part) else _users_in(part)
            out.extend(n for n in names if n and n not in out)
        return out
    spans = ljuser_spans(node)
    if spans:
        for s in spans:
            n = ljuser_name(s)
            if n and n not in out:
                out.append(n)
        return out
    for a in css_all(node, "a[href]"):
        n = _user_from_link(a)
        if n and n not in out:
            out.append(n)
    return out


def _inner_sections(body: Node | None) -> list[tuple[str, Node | _Fragment]]:
    """(header text, body node) pairs of content_inner_block sections inside a section body."""
    if body is None:
        return []
    out: list[tuple[str, Node | _Fragment]] = []
    headers = css_all(body, "p.inner_section_header")
    for h in headers:
        sib = h.next
        while sib is not None and not sib.is_element_node:
            sib = sib.next
        if sib is not None and has_class(sib, "inner_section_body"):
            out.append((text_of(h), sib))
            continue
        # non-collapsible inner blocks put the body right after the header paragraph
        parts = []
        cur = h.next
        while cur is not None:
            if cur.is_element_node and (has_class(cur, "inner_section_header")):
                break
            parts.append(cur)
            cur = cur.next
        out.append((text_of(h), _Fragment(parts)))
    return out


class _Fragment:
    """A run of sibling nodes treated as one container (for css/text lookups)."""

    def __init__(self, nodes: list[Node]):
        self.nodes = nodes

    def css(self, selector: str) -> list[Node]:
        out = []
        for n in self.nodes:
            if n.is_element_node:
                if n.css_matches(selector):
                    out.append(n)
                out.extend(n.css(selector))
        return out

    def css_first(self, selector: str) -> Node | None:
        found = self.css(selector)
        return found[0] if found else None


@guarded
def parse_profile_page(html: PageInput, url: str | None = None) -> ProfileRecord:
    tree = parse_page(html)
    page = tree.css_first("#profile_page")
    top = tree.css_first("#profile_top")
    scope = page if page is not None else top
    if scope is None:
        raise ParseError("not a profile page: no #profile_page")

    # who
    username_box = scope.css_first(".username")
    spans = ljuser_spans(username_box) if username_box is not None else []
    if not spans:
        spans = ljuser_spans(top if top is not None else scope)[:1]
    name = ljuser_name(spans[0]) if spans else None
    kind = ljuser_kind(spans[0]) if spans else None
    jtype = _TYPE_BY_KIND.get(kind or "")
    window_title = text_of(tree.css_first("title"))
    if jtype is None:
        wt = window_title.lower()
        if "community profile" in wt:
            jtype = "community"
        elif "feed account" in wt:
            jtype = "feed"
        elif "openid" in wt:
            jtype = "openid"
        elif wt.endswith("profile"):
            jtype = "personal"

    # basics table
    basics: list[tuple[str, str]] = []
    rows_html: dict[str, Node] = {}
    basics_body = scope.css_first("#basics_body")
    for tr in css_all(basics_body if basics_body is not None else scope, "tr"):
        th = tr.css_first("th")
        td = tr.css_first("td")
        if th is None or td is None:
            continue
        label = text_of(th).rstrip(":").strip()
        if not label:
            continue
        basics.append((label, text_of(td)))
        rows_html.setdefault(label.lower(), td)

    def row(*labels: str) -> Node | None:
        for lab in labels:
            if lab in rows_html:
                return rows_html[lab]
        return None

    name_td = row("name")
    display_name = text_of(name_td) or None if name_td is not None else None
    if display_name is None and " - " in window_title:
        display_name = window_title.rsplit(" - ", 1)[0].strip() or None
    loc_td = row("location")
    web_td = row("website")
    web_a = web_td.css_first("a[href]") if web_td is not None else None
    bday_td = row("birthdate", "birthday")
    known = {"name", "location", "website", "birthdate", "birthday"}
    extra = {lab: txt for lab, txt in basics if lab.lower() not in known}

    # stats
    details = scope.css_first(".details_stats")
    stats = _stats(details)

    jt = scope.css_first(".journal_title")
    js = scope.css_first(".journal_subtitle")
    pic = scope.css_first(".userpicdiv img")

    bio_body = scope.css_first("#bio_body")
    bio = None
    if bio_body is not None:
        bio = bio_body.css_first(".usercontent") or bio_body

    interests = []
    for a in css_all(scope, "a[href]"):
        href = attr(a, "href") or ""
        if "int=" in href and "interests" in href:
            t = text_of(a)
            if t and t not in interests:
                interests.append(t)

    admins, moderators, members = _community_lists(scope)

    return ProfileRecord(
        name=name,
        journal_type=jtype,
        display_name=display_name,
        journal_title=text_of(jt) or None,
        journal_subtitle=text_of(js) or None,
        account_type=stats.get("account_type"),
        created_on=stats.get("created_on"),
        last_updated=stats.get("last_updated"),
        user_number=stats.get("user_number"),
        comments_received=stats.get("comments_received"),
        comments_posted=stats.get("comments_posted"),
        entries_count=stats.get("entries_count"),
        tags_count=stats.get("tags_count"),
        memories_count=stats.get("memories_count"),
        icons_count=stats.get("icons_count"),
        userpic_url=attr(pic, "src") if pic is not None else None,
        bio_html=inner_html(bio).strip() if bio is not None else None,
        bio_text=block_text(bio) if bio is not None else None,
        birthdate=text_of(bday_td) or None if bday_td is not None else None,
        location=text_of(loc_td) or None if loc_td is not None else None,
        website_name=text_of(web_a) or None if web_a is not None else None,
        website_url=attr(web_a, "href") if web_a is not None else None,
        interests=tuple(interests),
        basics=tuple(basics),
        admins=tuple(admins),
        moderators=tuple(moderators),
        members=tuple(members),
        extra=extra,
    )


def _community_lists(scope: Node) -> tuple[list[str], list[str], list[str]]:
    admins = _users_in(scope.css_first("#maints_body"))
    moderators = _users_in(scope.css_first("#mods_body"))
    admins_body = scope.css_first("#admins_body")
    if admins_body is not None and not admins and not moderators:
        for header, body in _inner_sections(admins_body):
            h = header.lower()
            if "moderator" in h:
                moderators.extend(u for u in _users_in(body) if u not in moderators)
            else:
                admins.extend(u for u in _users_in(body) if u not in admins)
    members = _users_in(scope.css_first("#members_people_body"))
    if not members:
        for body_id in ("#people_body", "#members_body"):
            section = scope.css_first(body_id)
            if section is None:
                continue
            sections = _inner_sections(section)
            for header, sec in sections:
                if "member" in header.lower():
                    members.extend(u for u in _users_in(sec) if u not in members)
            if not sections and body_id == "#members_body":
                members = _users_in(section)
            if members:
                break
    return admins, moderators, members

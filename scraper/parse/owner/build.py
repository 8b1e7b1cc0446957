"""Owner-mode records: getevents entries and exported comments -> EntryRecord / CommentRecord.

The records carry the same numbers and words as the HTML path's, so both kinds of run fill
the same rows: `itemid` is the ditemid (jitemid*256 + anum, LJ::item_link), `commentid` the
dtalkid (jtalkid*256 + the entry's anum, LJ::Comment::dtalkid), security and comment states
in scraper.records' words, times 'YYYY-MM-DDTHH:MM' (entries as the poster typed them, from
`eventtime`; comments in UTC), body_html/body_text rendered from the source as the entry page
shows it (scraper.parse.owner.render). The owner-only facts go in the additive fields:
allowmask, body_source, props, editor.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field

from ...records import CommentRecord, EntryRecord
from ..html import guarded, norm
from .export import BodyComment, CommentMetaPage, parse_comment_body, parse_comment_meta
from .protocol import ProtocolEvent, parse_getevents
from .render import (
    DEFAULT_LINKS,
    render_comment,
    render_comment_subject,
    render_entry,
    render_entry_subject,
)
from .userlink import SiteLinks, canonical_username

PRIVATE_COMMENT_PROPS = ("poster_ip", "useragent")  # stripped from stored comment props
_STATES = {"A": "visible", "S": "screened", "F": "frozen", "D": "deleted"}
_ADULT = {"explicit": "18", "concepts": "nsfw"}  # LJ::S2 Entry adult_content_level (S2.pm:2145)
_DATETIME = re.compile(r"^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d)")


def minute(value: str | None) -> str | None:
    """'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DDTHH:MM:SSZ' -> 'YYYY-MM-DDTHH:MM' (None if neither)."""
    m = _DATETIME.match(value or "")
    return f"{m.group(1)}T{m.group(2)}" if m else None


def entry_security(security: str, allowmask: int | None) -> str:
    """public / access / private / custom (LJ::S2's rule, cgi-bin/LJ/S2.pm:2121-2143): usemask
    with mask 0 is private, mask 1 the access list, any other group bit custom."""
    if security in ("", "public"):
        return "public"
    if security == "usemask":
        mask = allowmask or 0
        if mask == 0:
            return "private"
        return "access" if mask == 1 else "custom"
    return "private"  # 'private', and anything unknown: the safe reading


def _tags(taglist: str | None) -> tuple[str, ...]:
    """The taglist prop ('a, b c') as the entry page lists tags: sorted by name (LJ::S2::TagList
    sorts with cmp, S2.pm:2066). Tag names cannot contain commas."""
    if not taglist:
        return ()
    names = {norm(t) for t in taglist.split(",")}
    return tuple(sorted(n for n in names if n))


def _current(value: str | None, links: SiteLinks) -> str | None:
    """A current-mood/music/location prop as the page prints it (LJ::currents cleans each with
    clean_subject, cgi-bin/LJ/Entry.pm:2820-2885)."""
    if not value:
        return None
    text, _ = render_entry_subject(value, links=links)
    return text or None


@guarded
def entry_record(
    event: ProtocolEvent,
    *,
    journal: str,
    journal_url: str | None = None,
    links: SiteLinks = DEFAULT_LINKS,
    default_userpic: str | None = None,
    mood_names: Mapping[int, str] | None = None,
    syndicated: bool = False,
) -> EntryRecord:
    """One getevents entry as an EntryRecord.

    `journal` is the journal's username; `journal_url` its root URL (for the permalink when the
    answer has no `url`); `default_userpic` the keyword the page shows for an entry without an
    icon keyword ('Default' when the poster has a default icon, as the page says); `mood_names`
    maps mood ids to names (the protocol's getmoods) for entries with only current_moodid."""
    props = event.props
    ditemid = event.ditemid
    url = event.url or f"{(journal_url or links.journal_url(journal)).rstrip('/')}/{ditemid}.html"
    subject, subject_html = render_entry_subject(event.subject, links=links)
    rendered = render_entry(
        event.event,
        editor=props.get("editor") or None,
        preformatted=props.get("opt_preformatted"),
        imported="import_source" in props,
        logtime=event.logtime,
        syndicated=syndicated,
        links=links,
    )
    mood = _current(props.get("current_mood"), links)
    if mood is None and mood_names and (props.get("current_moodid") or "").isdigit():
        mood = mood_names.get(int(props["current_moodid"] or 0))
    poster = canonical_username(event.poster) if event.poster else ""
    keyword = (props.get("picture_keyword") or "").strip() or default_userpic
    return EntryRecord(
        itemid=ditemid,
        url=url,
        subject=subject,
        subject_html=subject_html,
        body_html=rendered.html,
        body_text=rendered.text,
        poster=poster or journal,
        journal=journal,
        posted_at=minute(event.eventtime),
        date_text=event.eventtime,
        userpic_keyword=keyword,
        userpic_url=None,
        tags=_tags(props.get("taglist")),
        mood=mood,
        music=_current(props.get("current_music"), links),
        location=_current(props.get("current_location"), links),
        security=entry_security(event.security, event.allowmask),
        comment_count=None,
        has_cut=False,
        restrictions=_ADULT.get((props.get("adult_content") or "").strip()),
        allowmask=event.allowmask,
        body_source=event.event,
        props=dict(props),
        editor=rendered.format,
    )


@dataclass(frozen=True)
class OwnerComments:
    """Exported comments as records, grouped by the entry (ditemid) they belong to."""

    by_itemid: dict[int, tuple[CommentRecord, ...]] = field(hash=False)
    unknown_entries: tuple[int, ...] = ()  # jitemids with comments but no known anum


def comment_state(letter: str | None) -> str:
    """The export's state letter in scraper.records' words. Comments by suspended posters are
    exported as D (Export.pm:334-342) and so come out 'deleted'."""
    return _STATES.get((letter or "A").upper(), "screened")


def _depths(parents: Mapping[int, int | None]) -> dict[int, int]:
    """Nesting level of every comment (1 = top level), iteratively (threads can be deep); a
    parent that is not in the set (not exported) counts as one level above; cycles stop."""
    depth: dict[int, int] = {}
    for start in parents:
        chain: list[int] = []
        on_path: set[int] = set()
        node: int | None = start
        while True:
            if node is None:
                base = 0
                break
            if node in depth:
                base = depth[node]
                break
            if node not in parents:
                base = 1
                break
            if node in on_path:
                base = 0
                break
            on_path.add(node)
            chain.append(node)
            node = parents[node]
        for i, cid in enumerate(reversed(chain), start=1):
            depth[cid] = base + i
    return depth


@guarded
def comment_records(
    comments: Iterable[BodyComment],
    *,
    anums: Mapping[int, int],
    usermap: Mapping[int, str],
    states: Mapping[int, str] | None = None,
    links: SiteLinks = DEFAULT_LINKS,
    trusted_openid: Container[str] = (),
) -> OwnerComments:
    """CommentRecords from comment_body windows.

    `anums` maps jitemid -> anum (from getevents, or itemid & 255 of stored entries); `usermap`
    posterid -> username (comment_meta's usermaps); `states` jtalkid -> state letter from the
    latest comment_meta (fresher than the bodies); `trusted_openid` the OpenID accounts
    (ext_NNN) the journal trusts, whose links the page shows as links (LJ::Talk::treat_as_anon)."""
    states = states or {}
    rows: dict[int, list[BodyComment]] = {}
    unknown: set[int] = set()
    for c in comments:
        if c.jitemid not in anums:
            unknown.add(c.jitemid)
            continue
        rows.setdefault(c.jitemid, []).append(c)
    out: dict[int, tuple[CommentRecord, ...]] = {}
    for jitemid, group in rows.items():
        anum = anums[jitemid]
        depth = _depths({c.jtalkid: c.parentid for c in group})
        records = []
        for c in sorted(group, key=lambda c: c.jtalkid):
            records.append(
                _comment(c, anum, depth[c.jtalkid], usermap, states, links, trusted_openid)
            )
        out[jitemid * 256 + anum] = tuple(records)
    return OwnerComments(by_itemid=out, unknown_entries=tuple(sorted(unknown)))


def _comment(
    c: BodyComment,
    anum: int,
    depth: int,
    usermap: Mapping[int, str],
    states: Mapping[int, str],
    links: SiteLinks,
    trusted_openid: Container[str],
) -> CommentRecord:
    author = usermap.get(c.posterid) if c.posterid else None
    if c.posterid is None:
        kind = "anonymous"
    elif author and author.startswith("ext_"):
        kind = "openid"
    else:
        kind = "user"
    state = comment_state(states.get(c.jtalkid, c.state))
    props = {k: v for k, v in c.props.items() if k not in PRIVATE_COMMENT_PROPS}
    anonymous = kind == "anonymous" or (kind == "openid" and author not in trusted_openid)
    subject, subject_html = render_comment_subject(c.subject)
    body_html: str | None = None
    body_text: str | None = None
    fmt: str | None = None
    if c.body is not None and state != "deleted":
        rendered = render_comment(
            c.body,
            editor=props.get("editor") or None,
            preformatted=props.get("opt_preformatted"),
            imported="import_source" in props,
            datepost=c.date,
            anonymous=anonymous,
            links=links,
        )
        body_html, body_text, fmt = rendered.html, rendered.text, rendered.format
    elif state != "deleted":
        body_html, body_text = "", ""
    return CommentRecord(
        commentid=c.jtalkid * 256 + anum,
        parent_commentid=(c.parentid * 256 + anum) if c.parentid else None,
        depth=depth,
        author=author,
        author_kind=kind,
        subject=subject,
        subject_html=subject_html,
        body_html=body_html,
        body_text=body_text,
        posted_at=minute(c.date),
        date_text=c.date,
        state=state,
        full=body_html is not None,
        collapsed=False,
        userpic_keyword=(props.get("picture_keyword") or "").strip() or None,
        props=props,
        body_source=c.body,
        editor=fmt,
    )


@dataclass(frozen=True)
class MetaState:
    """What comment_meta says about one comment: enough to refresh a stored comment's state
    and author without its body (incremental runs). A stored comment's jtalkid is its
    commentid >> 8 (dtalkid = jtalkid*256 + anum)."""

    state: str  # scraper.records' word
    author: str | None
    author_kind: str  # 'user' | 'openid' | 'anonymous'


def merged_usermap(pages: Iterable[CommentMetaPage]) -> dict[int, str]:
    """posterid -> username over every comment_meta window read."""
    out: dict[int, str] = {}
    for page in pages:
        out.update(page.usermap)
    return out


def meta_states(pages: Iterable[CommentMetaPage]) -> dict[int, MetaState]:
    """jtalkid -> MetaState over every comment_meta window read."""
    pages = list(pages)
    usermap = merged_usermap(pages)
    out: dict[int, MetaState] = {}
    for page in pages:
        for c in page.comments:
            author = usermap.get(c.posterid) if c.posterid else None
            if c.posterid is None:
                kind = "anonymous"
            elif author and author.startswith("ext_"):
                kind = "openid"
            else:
                kind = "user"
            out[c.jtalkid] = MetaState(comment_state(c.state), author, kind)
    return out


def visible_comment_count(records: Iterable[CommentRecord]) -> int:
    """What the entry's 'N comments' link counts: the replycount, which screening and deleting
    take away from and freezing leaves alone (LJ::Talk screen/unscreen/delete_comments)."""
    return sum(1 for r in records if r.state in ("visible", "frozen"))


# --- stored answers in, records out (what `reparse` needs) ---------------------------------------


def entries_from_getevents(
    body: str | bytes,
    *,
    journal: str,
    journal_url: str | None = None,
    links: SiteLinks = DEFAULT_LINKS,
    default_userpic: str | None = None,
    mood_names: Mapping[int, str] | None = None,
) -> tuple[EntryRecord, ...]:
    """Every entry of one stored getevents answer (XML-RPC or flat) as EntryRecords."""
    return tuple(
        entry_record(
            event,
            journal=journal,
            journal_url=journal_url,
            links=links,
            default_userpic=default_userpic,
            mood_names=mood_names,
        )
        for event in parse_getevents(body)
    )


def comments_from_export(
    meta_bodies: Iterable[str | bytes],
    body_bodies: Iterable[str | bytes],
    *,
    anums: Mapping[int, int],
    links: SiteLinks = DEFAULT_LINKS,
    trusted_openid: Container[str] = (),
) -> OwnerComments:
    """CommentRecords from stored comment_meta and comment_body answers (all windows read)."""
    metas = [parse_comment_meta(b) for b in meta_bodies]
    comments = [c for b in body_bodies for c in parse_comment_body(b).comments]
    states = {c.jtalkid: c.state for page in metas for c in page.comments}
    return comment_records(
        comments,
        anums=anums,
        usermap=merged_usermap(metas),
        states=states,
        links=links,
        trusted_openid=trusted_openid,
    )

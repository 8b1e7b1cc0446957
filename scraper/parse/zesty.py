"""zesty's entries and listings (styles/zesty/layout.s2), read to the same records as core2.

zesty prints none of core2's entry markup. An entry (Page::lay_print_entry, :1445):

    div.entry
      div.left > div.userpic > img                              (:1420; entry page :2389)
      div.right
        div.header > div.title > h2#entry-ITEMID > a[href=PERMALINK] SUBJECT   (:1403)
                                 [span.security > img[alt="[protected]"]]
                   > div.posted "posted by USER at TIME on DATE[ under TAG, TAG]"  (:1238)
        div.text > div.entry-content                            (:1278, core2 print_text)
        [div.meta > div.meta-item > span.meta-label + value]    (:1367)
        div.links "There are <a>N comments</a> on this entry. (<a>Reply</a>.)"  (:1433)

The date exists only as text, in the journal's posted_time_format / posted_date_format
(default %%hh%%:%%min%%%%a%%m and %%dd%%/%%mm%%/%%yyyy%%, :244-260), so its d/m order is settled
per page (dates.resolve_dayfirst: a day > 12, the day page's URL, the newest-first order of a
recent page, replies after their parents), zesty's day-first by default. Recent and day pages
(:1896, :2055) print the entries into `#entries` / the body, with `div.back-forward` arrows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import ParseError
from ..records import EntryRecord, ListingPage, Navigation
from .blocktext import block_text
from .dates import DateReading, choose_reading, date_readings, resolve_dayfirst
from .entry import NO_SUBJECT_TEXTS, _has_cut
from .html import (
    Node,
    ParsedPage,
    attr,
    children,
    classes,
    css_all,
    first_int,
    has_class,
    in_user_content,
    inner_html,
    norm,
    text_of,
)
from .journal import parse_journal_info
from .listing import check_entry_links
from .modules import parse_sidebar
from .rendering import zesty_view
from .urls import day_from_url, itemid_from_url, query_int, tag_from_url
from .users import canonical_username, is_ljuser, ljuser_name, ljuser_spans, userpic_keyword

_ENTRY_ID = re.compile(r"^entry-(\d{1,18})$")
_SECURITY = {"protected": "access", "private": "private", "custom": "custom"}
_META_KEYS = ("mood", "music", "location")
# zesty's page chrome around the entries: header, view tabs, arrows, footer boxes and footer.
CHROME = "#header, #navi, #extra, #footer, .back-forward"


def zesty_entry_nodes(tree: ParsedPage) -> list[Node]:
    """The div.entry of every entry: the one around each h2#entry-ITEMID title (:1408)."""
    out: list[Node] = []
    seen: set[int] = set()
    for h2 in css_all(tree, "h2[id^='entry-']"):
        if not _ENTRY_ID.match(attr(h2, "id") or "") or in_user_content(h2):
            continue
        node = h2.parent
        while node is not None and not has_class(node, "entry"):
            node = node.parent
        if node is not None and node.mem_id not in seen:
            seen.add(node.mem_id)
            out.append(node)
    return out


def zesty_entry_node(tree: ParsedPage) -> Node | None:
    nodes = zesty_entry_nodes(tree)
    return nodes[0] if nodes else None


def posted_text(posted: Node | None) -> str:
    """The 'posted by USER at TIME on DATE under TAGS' line without the user and the tags: the
    date and time (the words are the journal's own posted_by_at_on* properties, :220-236)."""
    if posted is None:
        return ""
    parts = []
    for kid in children(posted, include_text=True):
        if kid.is_text_node:
            parts.append(kid.text_content or "")
        elif kid.is_element_node and not is_ljuser(kid) and attr(kid, "rel") != "tag":
            parts.append(kid.text(deep=True) or "")
    return norm(" ".join(parts))


def zesty_readings(text: str) -> list[DateReading]:
    return date_readings(text, four_digit_both=True)


def zesty_posted_at(text: str, dayfirst: bool | None) -> str | None:
    readings = zesty_readings(text)
    return choose_reading(readings, dayfirst).value if readings else None


def resolve_zesty_order(
    texts: Sequence[str],
    pairs: Sequence[tuple[int, int]] = (),
    known_day: str | None = None,
) -> bool | None:
    """Day-first or month-first for the page's zesty dates (see the module docstring); a day
    page's own date (`known_day`, from its URL) settles it."""
    if known_day:
        for t in texts:
            for r in zesty_readings(t):
                if r.date == known_day and r.dayfirst is not None:
                    return r.dayfirst
    return resolve_dayfirst(texts, pairs=pairs, four_digit_both=True, default=True)


def _metadata(node: Node) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in css_all(node, ".meta .meta-item"):
        if in_user_content(item, node):
            continue
        label = item.css_first(".meta-label")
        key = text_of(label).lower().rstrip(":").strip()
        value = text_of(item)
        if label is not None and value.startswith(text_of(label)):
            value = value[len(text_of(label)) :].strip()
        for known in _META_KEYS:
            if known in key and value:
                out.setdefault(known, value)
    return out


def _comment_count(node: Node | None) -> int | None:
    """N of 'There are <a>N comments</a> on this entry.' (CommentInfo::lay_get_details, :1298);
    0 for 'no comments' while the Reply link (post_url, NNN.html?mode=reply; :1344) is there,
    None when it is not (comments disabled)."""
    if node is None:
        return None
    texts = []
    reply = False
    for kid in children(node, include_text=True):
        if kid.is_element_node:
            if "mode=reply" in (attr(kid.css_first("a[href]") or kid, "href") or ""):
                reply = True
                continue
            texts.append(kid.text(deep=True) or "")
        else:
            texts.append(kid.text_content or "")
    n = first_int(" ".join(texts))
    if n is not None:
        return n
    return 0 if reply else None


def zesty_parse_entry(
    tree: ParsedPage,
    node: Node,
    page_url: str | None,
    journal: str | None,
    entry_page: bool = False,
    dayfirst: bool | None = None,
) -> EntryRecord:
    """One zesty div.entry -> EntryRecord (same fields as core2's; sticky and adult-content
    flags are not printed by zesty)."""
    h2 = node.css_first("h2[id^='entry-']")
    link = h2.css_first("a[href]") if h2 is not None else None
    href = attr(link, "href")
    m = _ENTRY_ID.match(attr(h2, "id") or "")
    itemid = int(m.group(1)) if m else itemid_from_url(href)
    if itemid is None:
        raise ParseError("zesty entry without an item id (h2#entry-NNN)")
    content = None
    for c in css_all(node, ".entry-content"):
        if not in_user_content(c, node):
            content = c
            break
    if content is None:
        raise ParseError(f"entry {itemid} without a body (div.text > .entry-content)")
    posted = node.css_first(".header .posted")
    shown = posted_text(posted)
    if dayfirst is None:
        dayfirst = resolve_zesty_order([shown])
    posted_at = zesty_posted_at(shown, dayfirst)
    if posted_at is None:
        raise ParseError(f"entry {itemid} without a readable date ({shown or 'none shown'})")
    subject = text_of(link)
    subject_html = inner_html(link).strip()
    if subject in NO_SUBJECT_TEXTS:
        subject, subject_html = "", ""
    users = ljuser_spans(posted)
    poster = canonical_username(ljuser_name(users[0])) if users else None
    tags = []
    for a in css_all(posted, "a[rel~=tag]"):
        name = text_of(a) or tag_from_url(attr(a, "href"))
        if name and name not in tags:
            tags.append(name)
    security = "public"
    for img in css_all(node.css_first(".header .title"), ".security img"):
        security = _SECURITY.get(norm(attr(img, "alt")).strip("[]").lower(), security)
    pic = node.css_first(".left .userpic img")
    meta = _metadata(node)
    if entry_page:
        count = _comment_count(tree.css_first(".entry-comments-bar .comments-title"))
    else:
        count = _comment_count(node.css_first(".right > .links"))
    return EntryRecord(
        itemid=itemid,
        url=href or f"/{itemid}.html",
        subject=subject,
        subject_html=subject_html,
        body_html=inner_html(content),
        body_text=block_text(content),
        poster=poster or journal,
        journal=journal,
        posted_at=posted_at,
        date_text=text_of(posted),  # the whole 'posted by ...' line: the only place the date is
        userpic_keyword=userpic_keyword(pic),
        userpic_url=attr(pic, "src") if pic is not None else None,
        tags=tuple(tags),
        mood=meta.get("mood"),
        music=meta.get("music"),
        location=meta.get("location"),
        security=security,
        comment_count=count,
        has_cut=_has_cut(content, itemid),
    )


def _navigation(tree: ParsedPage) -> Navigation:
    """The arrows of lay_back_forward (RecentPage :1866, DayPage :2027): div.back / div.forward."""
    back = tree.css_first(".back-forward .back a[href]")
    forward = tree.css_first(".back-forward .forward a[href]")
    back_url = attr(back, "href")
    return Navigation(
        back_url=back_url, forward_url=attr(forward, "href"), skip_back=query_int(back_url, "skip")
    )


def zesty_listing(tree: ParsedPage, url: str | None) -> ListingPage:
    journal = parse_journal_info(tree, url)
    nodes = zesty_entry_nodes(tree)
    day = day_from_url(url)
    texts = [posted_text(n.css_first(".header .posted")) for n in nodes]
    # newest first on a recent page: each entry is not older than the next one
    pairs = [(i + 1, i) for i in range(len(nodes) - 1)] if day is None else []
    dayfirst = resolve_zesty_order(texts, pairs, day)
    entries = []
    seen = set()
    for n in nodes:
        e = zesty_parse_entry(tree, n, url, journal.name, dayfirst=dayfirst)
        if e.itemid not in seen:
            seen.add(e.itemid)
            entries.append(e)
    area = tree.css_first("#entries") or tree.body
    check_entry_links(area, nodes, seen, lambda: css_all(tree, CHROME))
    tag = tag_from_url(url)
    view = zesty_view(classes(tree.body))
    day_view = day is not None or (view is not None and view[1] == "day")
    if day is None and day_view:
        dates = {e.posted_at[:10] for e in entries if e.posted_at}
        day = dates.pop() if len(dates) == 1 else None
    kind = "day" if day_view else ("tag" if tag else "recent")
    return ListingPage(
        journal=journal,
        kind=kind,
        entries=tuple(entries),
        navigation=_navigation(tree),
        day=day,
        sidebar=parse_sidebar(tree, dayfirst),
        tag=tag,
        rendering=str(tree.rendering),
    )

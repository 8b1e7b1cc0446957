"""One entry node (core2 Page::print_entry markup) -> EntryRecord.

Works on the entry wrapper (`div.entry-wrapper`, `div.sticky-entry-wrapper`) or the inner
`div.entry`. Every piece of page chrome (title, date, poster, metadata, tags, links) is looked up
outside the entry's body, and the body is the first (outermost) `.entry-content`: entry text is
user HTML and may contain any of the same class names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import ParseError
from ..records import EntryRecord
from .blocktext import block_text
from .dates import parse_entry_datetime
from .html import (
    Node,
    all_ints,
    attr,
    children,
    classes,
    closest,
    css_all,
    guarded,
    has_class,
    in_user_content,
    inner_html,
    norm,
    own_all,
    own_first,
    text_of,
)
from .journal import journal_from_classes
from .urls import absolute, itemid_from_url, strip_fragment
from .users import canonical_username, ljuser_name, ljuser_spans, userpic_keyword

_ID = re.compile(r"^(?:sticky-)?entry-(?:wrapper-)?(\d{1,18})$")
_POSTER_CLASS = re.compile(r"^poster-([a-z0-9_]+)$")
_CUT_FRAGMENT = re.compile(r"^cutid\d+$")
_CUT_MARKUP = ("cuttag_container", "cut-wrapper", "cut-text")
_SECURITY = {
    "public": "public",
    "protected": "access",
    "access": "access",
    "friends": "access",
    "private": "private",
    "custom": "custom",
    "usemask": "custom",
    "groups": "custom",
}
NO_SUBJECT_TEXTS = ("(no subject)", "no subject")
_ICON_CLASSES = ("sticky-entry-icon", "admin-post-icon", "echi")


def _itemid(node: Node) -> int | None:
    for n in [node, *css_all(node, "[id]")[:4]]:
        m = _ID.match(attr(n, "id") or "")
        if m:
            return int(m.group(1))
    return None


def _content_node(root: Node) -> Node | None:
    for n in css_all(root, ".entry-content"):
        if in_user_content(n, root):
            continue
        return n
    return None


def subject_parts(title: Node | None, wrapper_classes: Sequence[str] = ()) -> tuple[str, str]:
    """(text, inner html) of an entry/comment title (h3.entry-title / h4.comment-title).

    The formatted subject is the title's link (or <span> for subjects that contain a link);
    state prefixes like '(screened comment) ' and sticky/admin icons are loose text around it.
    """
    if title is None:
        return "", ""
    chosen = None
    for kid in children(title):
        tag = (kid.tag or "").lower()
        cls = classes(kid)
        if any(c in cls for c in _ICON_CLASSES):
            continue
        if tag in ("a", "span"):
            chosen = kid
            break
    if chosen is not None:
        if has_class(chosen, "invisible"):
            return "", ""
        text = text_of(chosen)
        html = inner_html(chosen).strip()
    else:
        text = text_of(title)
        html = inner_html(title).strip()
        for prefix in ("(screened comment)", "(frozen)"):
            while text.startswith(prefix):
                text = text[len(prefix) :].lstrip()
                html = html.replace(prefix, "", 1).lstrip()
    if text in NO_SUBJECT_TEXTS:
        return "", ""
    if "no-subject" in wrapper_classes and not text:
        return "", ""
    return text, html


def _security(wrapper_cls: list[str], root: Node) -> str:
    for c in wrapper_cls:
        if c.startswith("security-"):
            sec = _SECURITY.get(c[len("security-") :].lower())
            if sec:
                return sec
    filt = own_first(root, ".access-filter img")
    if filt is not None:
        sec = _SECURITY.get(norm(attr(filt, "alt")).lower())
        if sec:
            return sec
    filt = own_first(root, ".access-filter")
    if filt is not None:
        sec = _SECURITY.get(text_of(filt).lower())
        if sec:
            return sec
    return "public"


def _restrictions(wrapper_cls: list[str], root: Node) -> str | None:
    for c in wrapper_cls:
        if c.startswith("restrictions-"):
            level = c[len("restrictions-") :].lower()
            if level in ("18", "nsfw"):
                return level
            if level == "none":
                return None
    span = own_first(root, ".restrictions img")
    if span is not None:
        level = norm(attr(span, "alt")).lower()
        if level in ("18", "nsfw"):
            return level
    return None


def _metadata(root: Node, key: str) -> str | None:
    item = own_first(root, f".metadata-item-{key}")
    if item is not None:
        return text_of(item) or None
    li = own_first(root, f"#metadata-{key}")
    if li is not None:
        label = li.css_first(".metadata-label")
        text = text_of(li)
        if label is not None:
            lt = text_of(label)
            if text.startswith(lt):
                text = text[len(lt) :].strip()
        return text or None
    return None


def _comment_count(root: Node) -> tuple[int | None, int | None]:
    read = own_first(root, ".entry-readlink")
    if read is not None:
        a = read.css_first("a") or read
        nums = all_ints(text_of(a))
        if nums:
            return nums[0], (nums[1] if len(nums) > 1 else None)
        return 0, None
    if own_first(root, ".entry-replylink") is not None:
        # comments enabled, none shown yet (the read link only appears with comments)
        return 0, None
    return None, None


def _has_cut(content: Node | None, itemid: int) -> bool:
    """The body is cut short here: a link to this entry's NNN.html#cutidN, or a cut link inside
    the cleaner's cut markup (span.cut-wrapper / span.cuttag_container). Entry pages show the
    whole text with <a name="cutidN"> anchors only, which are not links."""
    if content is None:
        return False
    for a in css_all(content, "a[href]"):
        href = attr(a, "href") or ""
        base, _, frag = href.partition("#")
        if not _CUT_FRAGMENT.match(frag):
            continue
        if itemid_from_url(base) == itemid:
            return True
        if any(closest(a, c, content) is not None for c in _CUT_MARKUP):
            return True
    return False


def _poster_and_journal(
    root: Node, wrapper_cls: list[str], journal_hint: str | None
) -> tuple[str | None, str | None]:
    journal = journal_from_classes(wrapper_cls)
    poster_cls = None
    for c in wrapper_cls:
        m = _POSTER_CLASS.match(c)
        if m:
            poster_cls = m.group(1)
            break
    poster = None
    span = own_first(root, ".entry-poster") or own_first(root, ".poster")
    users = ljuser_spans(span) if span is not None else []
    names = [ljuser_name(u) for u in users]
    names = [n for n in names if n]
    if names:
        poster = names[0]
        if len(names) > 1 and journal is None:
            journal = names[1]
    if journal is None:
        journal = journal_hint
    if poster is None:
        poster = poster_cls or journal
    return canonical_username(poster) or poster, journal


def datetime_node(root: Node, exclude: Sequence[Node | None] = ()) -> Node | None:
    """The span.datetime core2 prints (Entry::time_display core2.s2:5793, Comment::time_display
    :5832); negatives wraps it in a div.datetime of its own (negatives/layout.s2:871, :999)."""
    return own_first(root, "span.datetime", exclude) or own_first(root, ".datetime", exclude)


@guarded
def parse_entry(
    node: Node,
    page_url: str | None = None,
    journal_hint: str | None = None,
    dayfirst: bool | None = None,
) -> EntryRecord:
    """One entry (wrapper or div.entry) -> EntryRecord. Raises ParseError without an item id.

    `journal_hint` names the journal when the markup doesn't (entries without journal-NAME class).
    """
    if node is None:
        raise ParseError("no entry node")
    wrapper = node
    wrapper_cls = classes(wrapper)
    if "entry-wrapper" not in wrapper_cls:
        # a div.entry: look for wrapper classes on its parent
        parent = node.parent
        if parent is not None and has_class(parent, "entry-wrapper"):
            wrapper = parent
            wrapper_cls = classes(parent)
    root = wrapper

    content = _content_node(root)
    title = own_first(root, ".entry-title")
    permalink: str | None = None
    if title is not None:
        for a in css_all(title, "a[href]"):
            if itemid_from_url(attr(a, "href")) is not None:
                permalink = attr(a, "href")
                break
    if permalink is None:
        for sel in (
            ".entry-permalink a[href]",
            ".entry-readlink a[href]",
            ".entry-interaction-links a[href]",
        ):
            for a in own_all(root, sel):
                if itemid_from_url(strip_fragment(attr(a, "href"))) is not None:
                    permalink = strip_fragment(attr(a, "href"))
                    break
            if permalink:
                break

    itemid = _itemid(root)
    if itemid is None and permalink:
        itemid = itemid_from_url(permalink)
    if itemid is None and page_url:
        itemid = itemid_from_url(page_url)
    if itemid is None:
        raise ParseError("entry without an item id (#entry-NNN or NNN.html link)")
    if permalink is None:
        base = strip_fragment(page_url) or ""
        base = base.split("?", 1)[0]
        if itemid_from_url(base) == itemid:
            permalink = base
        else:
            permalink = absolute(f"/{itemid}.html", page_url) or f"/{itemid}.html"

    subject, subject_html = subject_parts(title, wrapper_cls)

    if content is None:
        raise ParseError(f"entry {itemid} without a body (.entry-content)")
    dt = datetime_node(root)
    posted_at, date_text = parse_entry_datetime(dt, dayfirst)
    if posted_at is None:
        raise ParseError(f"entry {itemid} without a readable date ({date_text or 'none shown'})")

    pic = own_first(root, ".userpic img")
    poster, journal = _poster_and_journal(root, wrapper_cls, journal_hint)

    tags: list[str] = []
    seen: set[str] = set()
    for a in own_all(root, ".tag a[rel~=tag]") or own_all(root, ".tag a[href]"):
        name = text_of(a)
        if name and name not in seen:
            seen.add(name)
            tags.append(name)

    count, screened = _comment_count(root)
    return EntryRecord(
        itemid=itemid,
        url=permalink or f"/{itemid}.html",
        subject=subject,
        subject_html=subject_html,
        body_html=inner_html(content),
        body_text=block_text(content),
        poster=poster,
        journal=journal,
        posted_at=posted_at,
        date_text=date_text,
        userpic_keyword=userpic_keyword(pic),
        userpic_url=attr(pic, "src") if pic is not None else None,
        tags=tuple(tags),
        mood=_metadata(root, "mood"),
        music=_metadata(root, "music"),
        location=_metadata(root, "location"),
        security=_security(wrapper_cls, root),
        comment_count=count,
        has_cut=_has_cut(content, itemid),
        restrictions=_restrictions(wrapper_cls, root),
        sticky="sticky-entry-wrapper" in wrapper_cls
        or has_class(root, "sticky-entry")
        or own_first(root, ".sticky-entry") is not None,
        screened_count=screened,
    )

"""One entry in core2 markup (Page::print_entry), as list pages and the entry page print it.

Covers the wrapper classes, subject link (EntryLite::formatted_subject), security/adult
metatypes, the linkified date, userpic, poster span, body with cut tags (LJ::CleanHTML:
a cut link on list pages, an anchor plus the full text on the entry page), metadata
(mood/location/music), tags and the footer links of list pages and of the entry page.
"""

from __future__ import annotations

import re

from ..comments import shown_count
from ..model import STANDARD_MOODS, FakeEntry
from .common import PageContext, esc, ljuser, plain_subject, tag_path, userpic_div
from .dates import format_date, format_time, plural

LINKIFIED_VIEWS = ("recent", "entry", "reply", "day", "tag")  # tag pages are recent views
SECURITY_CLASS = {
    "public": "public",
    "access": "protected",
    "private": "private",
    "custom": "protected",
}
ADULT_LEVEL = {"18": "18", "nsfw": "NSFW"}
ADULT_MESSAGE = {
    ("18", False): "You're about to view content that the journal owner has marked as possibly "
    "inappropriate for anyone under the age of 18.",
    ("18", True): "You're about to view content that the poster has marked as potentially "
    "inappropriate for anyone under the age of 18.",
    ("nsfw", False): "You're about to view content that the journal owner has advised should be "
    "viewed with discretion.",
    ("nsfw", True): "You're about to view content that the poster has advised should be viewed "
    "with discretion.",
}


def permalink(ctx: PageContext, entry: FakeEntry) -> str:
    return ctx.url(f"/{entry.itemid}.html")


def subject_html(ctx: PageContext, entry: FakeEntry, view: str) -> str:
    """<h3 class="entry-title"> with core2's subject rules."""
    subject, css = entry.subject, ""
    if not subject:
        if ctx.style.all_entrysubjects or view == "month":
            subject = "(no subject)"
        else:
            subject, css = "no subject", ' class=" invisible" '
    if "href" in subject and view in ("entry", "reply"):
        inner = f"<span {css}>{subject}</span>"
    else:
        linkless = re.sub(r"</?a\b[^>]*>", "", subject, flags=re.IGNORECASE)
        inner = f'<a title="{plain_subject(subject)}" href="{permalink(ctx, entry)}"{css}>{linkless}</a>'
    return f'<h3 class="entry-title">{inner}</h3>'


def metatypes_html(ctx: PageContext, entry: FakeEntry) -> str:
    out = ""
    if not entry.is_public:
        word = SECURITY_CLASS[entry.security]
        icon = "locked.png" if word == "protected" else "private.png"
        out += (
            f'<span class="access-filter"><img src="{ctx.img}/silk/entry/{icon}" title="" '
            f'alt="{word}" height="16" width="16" /></span>\n'
        )
    if entry.restrictions:
        level = ADULT_LEVEL[entry.restrictions]
        out += (
            f'<span class="restrictions"><img src="{ctx.img}/icon_{level.lower()}.png" title="" '
            f'alt="{level}" height="16" width="16" /></span>\n'
        )
    return out


def datetime_html(
    ctx: PageContext,
    entry: FakeEntry,
    view: str,
    date_format: str | None = None,
    time_format: str | None = None,
) -> str:
    """Entry::time_display(datefmt, timefmt); empty formats mean the style's properties."""
    style = ctx.style
    linkify = view in LINKIFIED_VIEWS
    date = format_date(entry.posted_at, date_format or style.entry_date_format, linkify)
    time = format_time(entry.posted_at, time_format or style.entry_time_format)
    return f'<span class="datetime"><span class="date">{date}</span> <span class="time">{time}</span></span>'


def time_only_html(ctx: PageContext, entry: FakeEntry) -> str:
    """Entry::time_display("none", ""): the month page's time-only datetime."""
    time = format_time(entry.posted_at, ctx.style.entry_time_format)
    return f'<span class="datetime"><span class="time">{time}</span></span>'


def poster_html(
    ctx: PageContext, entry: FakeEntry, view: str, posting_in: str = " posting in "
) -> str:
    """Entry::print_poster: empty on personal list pages, poster (+ journal) elsewhere.
    `posting_in` is text_posting_in (drifting sets it to "")."""
    journal = ctx.journal
    list_view = view in ("recent", "month", "day", "tag")
    empty = "empty" if list_view and not journal.is_community else ""
    inner = ""
    if view in ("entry", "reply"):
        inner = ljuser(ctx, entry.poster)
        if entry.poster != journal.name:
            inner += posting_in + ljuser(ctx, journal.name)
    elif entry.poster != journal.name:
        inner = ljuser(ctx, entry.poster)
    return f'<span class="poster entry-poster {empty}">{inner}</span>'


def cut_link(ctx: PageContext, entry: FakeEntry, number: int = 1) -> str:
    """The cut as LJ::CleanHTML prints it on list pages."""
    label = esc(entry.cut_label) if entry.cut_label else "Read more..."
    tag = f"{ctx.journal.name}_{entry.itemid}_{number}"
    return (
        f'<span class="cut-wrapper"><span style="display: none;" id="span-cuttag_{tag}" class="cuttag">'
        f'</span><b class="cut-open">(&nbsp;</b><b class="cut-text"><a href="'
        f'{ctx.with_args(permalink(ctx, entry))}#cutid{number}">{label}</a></b><b class="cut-close">&nbsp;)</b></span>'
        f'<div style="display: none;" id="div-cuttag_{tag}" aria-live="assertive"></div>'
    )


def adult_fake_cut(ctx: PageContext, entry: FakeEntry) -> str:
    by_poster = entry.poster != ctx.journal.name
    message = ADULT_MESSAGE[(entry.restrictions or "nsfw", by_poster)]
    return f'<b>( <a href="{permalink(ctx, entry)}">{message}</a> )</b>'


def body_html(ctx: PageContext, entry: FakeEntry, view: str) -> str:
    if entry.restrictions and not ctx.adult_ok and view not in ("entry", "reply"):
        text = adult_fake_cut(ctx, entry)
    elif entry.cut_html is None:
        text = entry.body_html
    elif view in ("entry", "reply"):
        text = entry.body_html + '<a name="cutid1"></a>' + entry.cut_html
    else:
        text = entry.body_html + cut_link(ctx, entry)
    return f'<div class="entry-content">{text}</div>'


def metadata_html(ctx: PageContext, entry: FakeEntry) -> str:
    rows = []
    if entry.mood:
        icon = ""
        if entry.mood in STANDARD_MOODS:
            icon = f'<img src="{ctx.img}/mood/default/{entry.mood}.gif" alt="" width="15" height="15" />'
        rows.append(
            '<li id="metadata-mood"><span class="metadata-label metadata-label-mood">Current Mood:</span> '
            f' {icon} <span class="metadata-item metadata-item-mood">{esc(entry.mood)}</span></li>\n'
        )
    for key, label, value in (
        ("location", "Current Location:", entry.location),
        ("music", "Current Music:", entry.music),
    ):
        if value:
            rows.append(
                f'<li id="metadata-{key}"><span class="metadata-label metadata-label-{key}">{label}</span> '
                f'<span class="metadata-item metadata-item-{key}">{esc(value)}</span></li>\n'
            )
    if not rows:
        return ""
    return '<div class="metadata bottom-metadata">\n<ul>\n' + "".join(rows) + "</ul>\n</div>\n"


def tags_html(ctx: PageContext, entry: FakeEntry, view: str, label: str = "Tags:") -> str:
    """Entry::print_tags; `label` is text_tags ("Entry tags:" in siteviews)."""
    if not entry.tags:
        return ""
    data = ""
    if view in ("entry", "reply"):
        data = f' data-journal="{ctx.journal.name}" data-ditemid="{entry.itemid}" '
    items = []
    tags = sorted(entry.tags)  # by name, as LJ::S2's entry tag list (S2.pm:2066)
    for i, tag in enumerate(tags):
        sep = "," if i < len(tags) - 1 else ""
        items.append(
            f'<li><a rel="tag" href="{ctx.url("/tag/" + tag_path(tag))}">{esc(tag)}</a>{sep}</li>\n'
        )
    return (
        f'<div class="tag"><span class="tag-text"{data}>{label}</span><ul>\n'
        + "".join(items)
        + "</ul></div>"
    )


def readlink(ctx: PageContext, entry: FakeEntry, count: int) -> str:
    """CommentInfo::print_readlink: read_url keeps the viewing-style arguments."""
    text = plural(count, "1 comment // # comments")
    return (
        f'<a href="{ctx.with_args(permalink(ctx, entry))}#comments" data-sing="1 comment" data-dual="2 comments" '
        f'data-plur="3 comments">{text}</a>'
    )


def reply_container(target: str) -> str:
    """print_reply_container({"target" => target}): the hidden quick-reply slot."""
    return f'<div id="{target}" class="quickreply" style="display: none;"></div>'


def list_target(ctx: PageContext, entry: FakeEntry) -> str:
    """The entry's dom_id + "-reply" (LJ::S2::Entry_from_entryobj)."""
    return f"entry-{ctx.journal.name}-{entry.itemid}-reply"


def list_interaction_links(
    ctx: PageContext,
    entry: FakeEntry,
    reply_text: str = "Reply",
    postlink: bool = True,
    target: str | None = None,
) -> str:
    """CommentInfo::print on recent/day pages: Link, N comments, Reply (text_post_comment);
    on a reply page CommentInfo::print() without the reply link (`postlink`) and target.
    permalink_url, read_url and post_url carry the viewing-style arguments (LJ::Entry::comment_info,
    LJ/S2.pm:2209)."""
    target = list_target(ctx, entry) if target is None else target
    link = ctx.with_args(permalink(ctx, entry))
    out = f'<ul class="entry-interaction-links text-links" data-quickreply-target="{target}">\n'
    out += f'<li class="entry-permalink first-item"><a href="{link}">Link</a></li>\n'
    if entry.comments_enabled:
        count = shown_count(entry)
        hidden = "" if count else ' style="display:none"'
        out += f'<li class="entry-readlink"{hidden}>{readlink(ctx, entry, count)}</li>\n'
        if postlink:
            reply = ctx.with_args(f"{permalink(ctx, entry)}?mode=reply")
            out += f'<li class="entry-replylink"><a href="{esc(reply)}">{reply_text}</a></li>\n'
    return out + "</ul>"


def list_footer(ctx: PageContext, entry: FakeEntry, reply_text: str = "Reply") -> str:
    """Page::print_entry_footer on recent/day pages: interaction links and reply container."""
    return list_interaction_links(ctx, entry, reply_text) + reply_container(list_target(ctx, entry))


def nav_url(ctx: PageContext, entry: FakeEntry, word: str) -> str:
    """The nav_prev / nav_next link (LJ/S2.pm:4364-4390): LJ::create_url("/go") with the
    viewing-style arguments, keys sorted, as the fake site prints it (&amp;-joined)."""
    args = {"dir": word, "itemid": str(entry.itemid), "journal": ctx.journal.name}
    for pair in ctx.style_args.split("&") if ctx.style_args else []:
        key, _, value = pair.partition("=")
        args.setdefault(key, value)
    return f"{ctx.site_root}go?" + "&amp;".join(f"{k}={args[k]}" for k in sorted(args))


def management_links(ctx: PageContext, entry: FakeEntry, text: bool = False) -> str:
    """Entry::print_management_links on the entry page (core2.s2:5559): previous/next entry
    links (www /go), as icons, or as text when the layout sets entry_management_links "text"
    (Entry::print_link_prev/next, core2.s2:5533-5550)."""
    items = []
    for css, word, icon in (
        ("link_prev first-item", "prev", "previous"),
        ("link_next", "next", "next"),
    ):
        label = "Previous Entry" if word == "prev" else "Next Entry"
        url = nav_url(ctx, entry, word)
        if text:
            items.append(f'<li class="link {css}"><a href="{url}">{label}</a></li>\n')
            continue
        items.append(
            f'<li class="link {css}"> <a href="{url}" ><img border=\'0\' width="24" height="24" '
            f'alt="{label}" title="{label}" src="{ctx.img}/silk/entry/{icon}.png"  /></a></li>\n'
        )
    kind = "text-links" if text else "icon-links"
    return f'<ul class="entry-management-links {kind}">' + "".join(items) + "</ul>"


def interaction_links(
    ctx: PageContext, entry: FakeEntry, top_level: int, target: str, reply_text: str = "Reply"
) -> str:
    """Entry::print_interaction_links on the entry page ("N comments", Reply)."""
    out, count = "", 0
    if entry.comments_enabled and top_level > 0:
        count += 1
        out += f'<li class="entry-readlink first-item">{readlink(ctx, entry, shown_count(entry))}</li>\n'
    if entry.comments_enabled:
        first = " first-item" if count == 0 else ""
        count += 1
        out += (
            f'<li class="entry-replylink{first}"><a href="'
            f'{esc(ctx.with_args(f"{permalink(ctx, entry)}?replyto=0"))}#{target}">{reply_text}</a></li>\n'
        )
    return f'<ul class="entry-interaction-links text-links">{out}</ul>' if count else ""


def entry_page_footer(ctx: PageContext, entry: FakeEntry, top_level: int) -> str:
    return (
        management_links(ctx, entry)
        + '<hr class="above-entry-interaction-links" />'
        + interaction_links(ctx, entry, top_level, "topcomment")
        + reply_container("topcomment")
        + '<hr class="below-reply-container" />'
    )


def wrapper_classes(ctx: PageContext, entry: FakeEntry, parity: str) -> str:
    journal = ctx.journal
    security = SECURITY_CLASS.get(entry.security, "public")
    adult = ADULT_LEVEL.get(entry.restrictions or "", "none")
    has_pic = "no-userpic" if entry.userpic_keyword == "" else "has-userpic"
    subject = "has-subject" if (entry.subject or ctx.style.all_entrysubjects) else "no-subject"
    return (
        f"entry-wrapper entry-wrapper-{parity} security-{security} restrictions-{adult} "
        f"journal-type-{journal.journal_type_letter} poster-{entry.poster} journal-{journal.name} "
        f"{has_pic}  {subject}"
    )


def entry_wrapper_start(ctx: PageContext, entry: FakeEntry, parity: str) -> str:
    """Entry::print_wrapper_start (core2.s2:5273): wrapper div, separator, div.entry, inner."""
    return (
        f'<div class="{wrapper_classes(ctx, entry, parity)}" id="entry-wrapper-{entry.itemid}">\n'
        '<div class="separator separator-before"><div class="inner"></div></div>\n'
        f'<div class="entry" id="entry-{entry.itemid}">\n<div class="inner">\n'
    )


# Entry::print_wrapper_end (core2.s2:5333).
ENTRY_WRAPPER_END = (
    "</div>\n</div>\n"
    '<div class="separator separator-after"><div class="inner"></div></div>\n'
    "</div>\n"
)


def entry_html(
    ctx: PageContext, entry: FakeEntry, view: str, parity: str, top_level: int = 0
) -> str:
    """Page::print_entry for list pages ('recent', 'day', 'tag') and the entry page ('entry')."""
    footer = (
        entry_page_footer(ctx, entry, top_level) if view == "entry" else list_footer(ctx, entry)
    )
    return (
        entry_wrapper_start(ctx, entry, parity)
        + '<div class="header">\n<div class="inner">\n'
        + subject_html(ctx, entry, view)
        + metatypes_html(ctx, entry)
        + datetime_html(ctx, entry, view)
        + '</div>\n</div>\n<div>\n<div class="contents">\n<div class="inner">\n'
        + userpic_div(ctx, entry.poster, entry.userpic_keyword, 100)
        + poster_html(ctx, entry, "tag" if view == "tag" else view)
        + body_html(ctx, entry, view)
        + metadata_html(ctx, entry)
        + "</div>\n</div>\n</div>\n"
        '<div class="footer">\n<div class="inner">\n'
        + tags_html(ctx, entry, view)
        + footer
        + "</div>\n</div>\n"
        + ENTRY_WRAPPER_END
    )

"""Shared core2 markup: the page frame, sidebar modules, ljuser spans and userpic images.

Everything here reproduces what styles/core2.s2 (Page::print, print_module_*), LJ::ljuser and
LJ::S2::Image_userpic print for a logged-out reader. `PageContext` carries what a page needs to
know besides the journal: its base URL (absolute links), the site root (www links) and how other
users' journals are addressed.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime

from ..model import NO_USERPIC, FakeJournal, StyleSettings, stable_number
from .dates import DAYS_SHORTER, format_date, format_month, format_time, plural

USERPIC_ROOT = "https://v.dreamwidth.org"
SITE_NAME = "Dreamwidth Studios"

# Usernames the fake site treats as communities/OpenID when they appear as posters/commenters.
DEFAULT_USER_TYPES: dict[str, str] = {}


def esc(text: str | None) -> str:
    """HTML-escape text like LJ::ehtml (& < > " and ' as &#39;)."""
    return html.escape(text or "", quote=True).replace("&#x27;", "&#39;")


def user_host_url(name: str) -> str:
    """The real site's journal URL for a username (underscores become hyphens in the host)."""
    return f"https://{name.replace('_', '-')}.dreamwidth.org/"


@dataclass(frozen=True)
class SiteviewsStyle:
    """The S2 properties siteviews pages are printed with, whatever the journal's own settings:
    the system style "siteviews" is core2 plus styles/siteviews/layout.s2, and no layer of the
    journal's is loaded (LJ::make_journal, cgi-bin/LJ/User/Styles.pm:660-672)."""

    entries_per_page: int = 20  # num_items_recent: core2.s2:1299 (RecentPage.pm:141-143)
    entry_date_format: str = "iso"  # siteviews/layout.s2:175
    entry_time_format: str = "short_24"  # siteviews/layout.s2:183
    comment_date_format: str = "iso"  # core2's default
    comment_time_format: str = "short_24"  # siteviews/layout.s2:184
    max_scrollback: int = 100  # $LJ::MAX_SCROLLBACK_LASTN: a site setting, copied from the model
    all_entrysubjects: bool = True  # core2.s2:1500
    tags_module_limit: int = 50
    layout_name: str = "Sitescheme views"
    theme_name: str = ""
    layout_author: str = ""

    @property
    def items_per_page(self) -> int:
        return min(50, max(1, self.entries_per_page))


@dataclass
class PageContext:
    """What a page renderer needs besides the journal itself."""

    journal: FakeJournal
    base_url: str  # the journal's root URL, with trailing slash
    site_root: str = "https://www.dreamwidth.org/"  # www pages (captcha, /go, profile?userid)
    user_urls: dict[str, str] = field(default_factory=dict)  # served journals: name -> base URL
    user_types: dict[str, str] = field(default_factory=dict)  # name -> 'P' | 'C' | 'I'
    adult_ok: bool = False  # the reader confirmed the adult-content interstitial
    now: datetime | None = None
    # Which markup the page is printed in: one of model.RENDERINGS (set per request by the router).
    rendering: str = "core2"
    # The viewing-style arguments of the request (LJ::viewing_style_args, e.g. "format=light")
    # that entry and comment links carry along; "" unless siteviews was asked for by argument.
    style_args: str = ""
    # The site skin a siteviews page is wrapped in: "lynx" (format=light) or "celerity".
    skin: str = "celerity"
    # The style properties when they are not the journal's own (siteviews).
    style_override: SiteviewsStyle | None = None

    @property
    def style(self) -> StyleSettings | SiteviewsStyle:
        """The S2 properties this page is printed with."""
        return self.style_override or self.journal.style

    @property
    def base(self) -> str:
        """Base URL without the trailing slash (how the site concatenates paths)."""
        return self.base_url.rstrip("/")

    @property
    def img(self) -> str:
        return self.site_root.rstrip("/") + "/img"

    def url(self, path: str) -> str:
        return self.base + path

    def user_url(self, name: str) -> str:
        if name == self.journal.name:
            return self.base_url
        return self.user_urls.get(name) or user_host_url(name)

    def user_type(self, name: str) -> str:
        if name == self.journal.name:
            return self.journal.journal_type_letter
        return self.user_types.get(name) or DEFAULT_USER_TYPES.get(name, "P")

    def with_args(self, url: str) -> str:
        """LJ::Talk::talkargs(url, style_args): the URL with the viewing-style arguments."""
        if not self.style_args:
            return url
        base, hashmark, anchor = url.partition("#")
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}{self.style_args}{hashmark}{anchor}"


# --- users and icons ------------------------------------------------------------------------

_LJUSER_IMG_STYLE = "vertical-align: text-bottom; border: 0; padding-right: 1px;"


def ljuser(ctx: PageContext, name: str, kind: str | None = None, deleted: bool = False) -> str:
    """LJ::ljuser: the username span with profile icon link and journal link."""
    kind = kind or ctx.user_type(name)
    strike = " text-decoration: line-through;" if deleted else ""
    if kind == "I":
        return _openid_user(ctx, name, strike)
    icon, size, word = {
        "C": ("silk/identity/community.png", 16, "community"),
        "Y": ("silk/identity/feed.png", 16, "syndicated"),
    }.get(kind, ("silk/identity/user.png", 17, "personal"))
    url = ctx.user_url(name)
    return (
        f"<span lj:user='{name}' style='white-space: nowrap;{strike}' class='ljuser'>"
        f"<a href='{url}profile'><img src='{ctx.img}/{icon}' alt='[{word} profile] ' "
        f"width='{size}' height='{size}' style='{_LJUSER_IMG_STYLE}' /></a>"
        f"<a href='{url}'><b>{name}</b></a></span>"
    )


def _openid_user(ctx: PageContext, name: str, strike: str) -> str:
    userid = stable_number("openid:" + name, 9_000_000, 100_000)
    profile = f"{ctx.site_root}profile?userid={userid}&amp;t=I"
    return (
        f"<span lj:user='{esc(name)}' style='white-space: nowrap;{strike}' class='ljuser'>"
        f"<a href='{profile}'><img src='{ctx.img}/silk/identity/openid.png' "
        f"alt='[openid profile] ' width='16' height='16' style='{_LJUSER_IMG_STYLE}' /></a>"
        f"<a href='http://{esc(name)}/' rel='nofollow'><b>{esc(name)}</b></a></span>"
    )


def userpic_img(user: str, keyword: str | None, size: int) -> str:
    """An <img> of a user's icon with core2's alt/title texts (None keyword = default icon)."""
    userid = stable_number("user:" + user, 9_000_000, 100_000)
    picid = stable_number(f"pic:{user}:{keyword or ''}", 9_000_000, 1_000_000)
    if keyword is None:
        alt = title = f"{user}: (Default)"
    else:
        alt, title = f"{user}: ({keyword})", f"{user}: {keyword}"
    return (
        f'<img src="{USERPIC_ROOT}/{picid}/{userid}" title="{esc(title)}" alt="{esc(alt)}" '
        f'height="{size}" width="{size}" />'
    )


def userpic_div(ctx: PageContext, user: str, keyword: str | None, size: int) -> str:
    """EntryLite::print_userpic: the div, empty when the post shows no icon."""
    if keyword == NO_USERPIC:
        return '<div class="userpic"></div>\n'
    listing = ctx.user_url(user) + "icons"
    return (
        f'<div class="userpic"><a href="{listing}">{userpic_img(user, keyword, size)}</a></div>\n'
    )


# --- modules --------------------------------------------------------------------------------


def open_module(name: str, title: str = "", link: str = "") -> str:
    out = f'<div class="module-{name} module">'
    if title:
        out += '<h2 class="module-header">'
        out += f'<a href="{link}">{title}</a>' if link else title
        out += "</h2>\n"
    return out + '<div class="module-content">\n'


def close_module() -> str:
    return "</div>\n</div>\n"


def module_list(items: list[tuple[str, str]]) -> str:
    """print_module_list with (class, item html) pairs."""
    if not items:
        return ""
    rows = "".join(f'<li class="module-list-item {cls}">{item}</li>\n' for cls, item in items)
    return f'<ul class="module-list">\n{rows}</ul>\n'


def module_userprofile(ctx: PageContext) -> str:
    j = ctx.journal
    out = open_module("userprofile", "Profile", ctx.url("/profile"))
    if j.has_userpic:
        out += f'<div class="userpic"><a href="{ctx.url("/icons")}">'
        out += userpic_img(j.name, None, 100) + "</a></div>"
    out += f"<div class='journal-name'>{esc(j.display_name)}</div>\n"
    if j.website:
        name = j.website[0] or "My Website"
        out += f"<div class='journal-website-name'><a href='{esc(j.website[1])}'>{esc(name)}</a></div>\n"
    action = "join" if j.is_community else "subscribe"
    label = "Join" if j.is_community else "Subscribe"
    out += (
        '<ul class="userlite-interaction-links icon-links">'
        f'<li class="link {action} first-item"><a href="{ctx.site_root}circle/{j.name}/edit">'
        f"{label}</a></li></ul>"
    )
    return out + close_module()


NAV_VIEWS = [
    ("recent", "Recent Entries", "/"),
    ("archive", "Archive", "/archive"),
    ("read", "Reading", "/read"),
    ("tags", "Tags", "/tag/"),
    ("memories", "Memories", None),
    ("userinfo", "Profile", "/profile"),
]


def module_navlinks(ctx: PageContext, view: str) -> str:
    items = []
    for key, label, path in NAV_VIEWS:
        if key == "read" and ctx.journal.is_community:
            label = "Member Posts"
        url = ctx.url(path) if path else f"{ctx.site_root}tools/memories?user={ctx.journal.name}"
        css = f"current {key}" if key == view else key
        items.append((f"list-item-{key}", f'<a href="{url}" class="{css}" >{label}</a>'))
    return open_module("navlinks") + module_list(items) + close_module()


def calendar_weeks(year: int, month: int) -> list[tuple[int, list[int], int]]:
    """Weeks of a month as (leading empty cells, days, trailing empty cells), Sunday first."""
    import calendar

    weeks: list[tuple[int, list[int], int]] = []
    first_dow = (calendar.weekday(year, month, 1) + 1) % 7  # 0 = Sunday
    days_in = calendar.monthrange(year, month)[1]
    lead, days = first_dow, []
    for day in range(1, days_in + 1):
        days.append(day)
        if lead + len(days) == 7:
            weeks.append((lead, days, 0))
            lead, days = 0, []
    if days:
        weeks.append((lead, days, 7 - lead - len(days)))
    return weeks


def module_calendar(ctx: PageContext) -> str:
    index = ctx.journal.index
    year, month = index.latest_month(ctx.now or ctx.journal.page_generated)
    counts = index.months.get((year, month), {})
    out = open_module("calendar", format_month(year, month), "")
    out += '<table summary="Monthly calendar with links to each day\'s entries">\n<tr>\n'
    out += "".join(f"<th>{DAYS_SHORTER[d]}</th>\n" for d in range(1, 8))
    out += "</tr>\n"
    for lead, days, trail in calendar_weeks(year, month):
        out += "<tr>\n" + "<td>&nbsp;</td>" * lead
        for day in days:
            n = counts.get(day, 0)
            if n:
                url = ctx.url(f"/{year}/{month:02d}/{day:02d}/")
                title = plural(n, "1 entry // # entries")
                out += f'<td class="entry-day"> <a href="{url}" title="{title}">{day}</a></td>'
            else:
                out += f'<td class="empty-day">{day}</td>'
        out += "<td>&nbsp;</td>" * trail + "</tr>\n"
    return out + "</table>\n" + close_module()


def module_calendar_horizontal(ctx: PageContext) -> str:
    """print_module_calendar with module_calendar_opts_type "horizontal" (core2.s2:4567-4583):
    the month and year linkified by YearMonth::month_format, a span per day."""
    index = ctx.journal.index
    year, month = index.latest_month(ctx.now or ctx.journal.page_generated)
    counts = index.months.get((year, month), {})
    out = open_module("calendar calendar-horizontal")
    out += f'<a href="/{year}/{month:02d}/">{format_month(year, month, "month")}</a>'
    for _lead, days, _trail in calendar_weeks(year, month):
        for day in days:
            n = counts.get(day, 0)
            if n:
                url = ctx.url(f"/{year}/{month:02d}/{day:02d}/")
                title = plural(n, "1 entry // # entries")
                out += f'<span class="entry-day"> <a href="{url}" title="{title}">{day}</a></span>'
            else:
                out += f'<span class="empty-day"> {day} </span>'
    out += f'<a href="/{year}/">{year}</a>'
    return out + close_module()


def module_syndicate(ctx: PageContext) -> str:
    links = (
        f' <a href="{ctx.url("/data/rss")}">RSS</a>  <a href="{ctx.url("/data/atom")}">Atom</a> '
    )
    return open_module("syndicate", "Syndicate") + links + close_module()


def module_tags(ctx: PageContext) -> str:
    tags = ctx.journal.index.tags
    limit = ctx.style.tags_module_limit
    names = sorted(tags)
    if limit:
        names = sorted(sorted(tags, key=lambda t: (-tags[t], t))[:limit])
    if not names:
        return ""
    title = "Most Popular Tags" if limit else "Tags"
    out = open_module("tags_list", title, ctx.url("/tag/")) + '<ul class="module-list" >\n'
    for name in names:
        uses = plural(tags[name], "1 use // # uses")
        out += (
            f'<li class="visibility-public module-list-item" ><a href="{ctx.url("/tag/" + tag_path(name))}">'
            f"{esc(name)}</a> - <span class='detail-tagcount'>{uses}</span></li>\n\n"
        )
    return out + "</ul>\n" + close_module()


def eurl(text: str) -> str:
    """LJ::eurl: percent-encode all but [A-Za-z0-9_,-./\\:] and spaces; spaces become '+'."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char.isascii() and (char.isalnum() or char in "_,-./\\: "):
            out.append("+" if char == " " else char)
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def tag_path(name: str) -> str:
    return eurl(name)


def module_pagesummary(items: list[str]) -> str:
    if not items:
        return ""
    rows = [("", item) for item in items]
    return open_module("pagesummary", "Page Summary") + module_list(rows) + close_module()


def module_credit(ctx: PageContext) -> str:
    style = ctx.style
    layout_url = f"{ctx.site_root}customize/?layoutid={stable_number(style.layout_name, 900, 100)}"
    item = (
        "<li class='module-list-item'><span class='category-title'>Style:</span> "
        f"<span class='theme-name'>{esc(style.theme_name)}</span> for "
        f"<span class='style-name'><a href=\"{layout_url}\">{esc(style.layout_name)}</a></span>"
        f" by <span class='style-author'>{ljuser(ctx, style.layout_author, 'P')}</span></li>\n"
    )
    return (
        open_module("credit", "Style Credit")
        + f"<ul class='module-list'>{item}</ul>"
        + close_module()
    )


def module_cuttagcontrols() -> str:
    # core2 always prints the "no cut tags" text; page JavaScript replaces it when cuts exist.
    return (
        open_module("cuttagcontrols", "Expand Cut Tags")
        + '<span class="cutTagControls"><span style="font-size: smaller;">No cut tags</span></span>'
        + close_module()
    )


def module_time(ctx: PageContext) -> str:
    style = ctx.style
    when = ctx.journal.page_generated
    text = (
        f"{format_date(when, style.entry_date_format)} {format_time(when, style.entry_time_format)}"
    )
    return (
        '<div class="module-time module"><div class="module-content">\n'
        f'<span id="load-time">Page generated {text}</span>' + close_module()
    )


def module_powered(ctx: PageContext) -> str:
    return (
        '<div class="module-powered module"><div class="module-content">\n'
        f'<span id="site-branding">Powered by <a href="{ctx.site_root}">{SITE_NAME}</a></span>'
        + close_module()
    )


def module_section(name: str, modules: str) -> str:
    return (
        '<div class="module-wrapper"><div class="separator separator-before"><div class="inner"></div></div>\n'
        f'<div class="module-section-{name}">\n<div class="inner">{modules}</div>\n'
        '</div><div class="separator separator-after"><div class="inner"></div></div>\n</div>'
    )


def sidebar(ctx: PageContext, view: str, summary_items: list[str]) -> str:
    return module_section(
        "one",
        module_userprofile(ctx)
        + module_navlinks(ctx, view)
        + module_calendar(ctx)
        + module_syndicate(ctx)
        + module_tags(ctx)
        + module_pagesummary(summary_items)
        + module_credit(ctx)
        + module_cuttagcontrols(),
    )


# --- frame ----------------------------------------------------------------------------------

ROBOTS_META = (
    '<meta name="robots" content="noindex, nofollow, noarchive" />\n'
    '<meta name="googlebot" content="noindex, nofollow, noarchive, nosnippet" />\n'
)


def head_content(ctx: PageContext, noindex: bool = False, extra: str = "") -> str:
    out = ROBOTS_META if (noindex or ctx.journal.robots_block) else ""
    out += '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
    out += (
        f'<link rel="alternate" type="application/rss+xml" title="RSS" href="{ctx.url("/data/rss")}" />\n'
        f'<link rel="alternate" type="application/atom+xml" title="Atom" href="{ctx.url("/data/atom")}" />\n'
        f'<link rel="help" href="{ctx.site_root}support/faq" />\n'
    )
    return out + extra


def body_class(ctx: PageContext, view: str, layout_type: str = "two-columns-left") -> str:
    """Page::print_wrapper_start's body classes (core2.s2:4010) for a logged-out reader."""
    count = ""
    for word, name in (("split", "one-column"), ("two", "two-columns"), ("three", "three-columns")):
        if word in layout_type:
            count = name
    side = ""
    for word, name in (
        ("right", " column-right"),
        ("left", " column-left"),
        ("sides", " column-left column-right"),
    ):
        if word in layout_type:
            side = name
    multiple = "any-column" if "one-column" in layout_type else "any-column multiple-columns"
    community = "non-member  " if ctx.journal.is_community else ""
    return (
        f"page-{view} {count}{side} {multiple} {layout_type}  "
        f"logged-out  not-subscribed no-access {community} no-navstrip"
    )


def meta_tags() -> str:
    """Page::print_meta_tags (core2.s2:3863)."""
    return (
        '<meta name="viewport" content="width=device-width, initial-scale=1.0"/>'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge" />'
    )


def stylesheet_link(ctx: PageContext) -> str:
    """Page::print_stylesheets as the fake site prints it: the journal's stylesheet URL."""
    return f'<link rel="stylesheet" href="{ctx.url("/res/123/stylesheet?1")}" type="text/css" />\n'


def plain_title(view_title: str) -> str:
    """A view title as text (S2 [notags]), HTML-escaped."""
    return esc(html.unescape(_strip_tags(view_title)))


def head_title(ctx: PageContext, view_title: str) -> str:
    """Page::print_head_title (core2.s2:3884): "user | view title"."""
    return f"<title>{ctx.journal.name} | {plain_title(view_title)}</title>\n"


def global_title(ctx: PageContext) -> str:
    """Page::print_global_title + print_global_subtitle (core2.s2:3894-3911)."""
    j = ctx.journal
    title_h1 = esc(j.title or j.display_name)
    subtitle = f'<h2 id="subtitle"><span>{esc(j.subtitle)}</span></h2>' if j.subtitle else ""
    return f"<h1 id=\"title\"><span><a href='{ctx.base_url}'>{title_h1}</a></span></h1>" + subtitle


def wrapper_end(ctx: PageContext) -> str:
    """Page::print_wrapper_end (core2.s2:4050): script tags and </body>."""
    return (
        f'    <script type="text/javascript" src="{ctx.site_root}stc/js/jquery.js"></script>\n'
        "</body>"
    )


def page_frame(
    ctx: PageContext,
    view: str,
    view_title: str,
    body: str,
    summary_items: list[str] | None = None,
    head: str = "",
) -> str:
    """Page::print: the whole journal page around a view's body."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n'
        '<head profile="http://www.w3.org/2006/03/hcard http://purl.org/uF/hAtom/0.1/ http://gmpg.org/xfn/11">\n'
        + meta_tags()
        + "\n"
        + head
        + stylesheet_link(ctx)
        + head_title(ctx, view_title)
        + f'</head><body class="{body_class(ctx, view)}">\n'
        '    <div id="canvas">\n        <div class="inner">\n            <div id="header">\n'
        '                <div class="inner">\n                    '
        + module_section("header", "")
        + global_title(ctx)
        + f'<h2 id="pagetitle"><span>{plain_title(view_title)}</span></h2>\n'
        "                </div><!-- end header>inner -->\n            </div><!-- end header -->\n"
        '            <div id="content">\n                <div class="inner">\n'
        '                    <div id="primary"><div class="inner">\n'
        + body
        + "\n                    </div></div><!-- end primary and primary>inner -->\n"
        '                    <div id="secondary"><div class="inner">\n'
        + sidebar(ctx, view, summary_items or [])
        + "\n                    </div></div><!--  end secondary and secondary>inner -->\n"
        '                    <div id="invisible-separator" style="float: left; width: 1px;"></div>'
        " <!-- this is a hack for IE7 + two-columns-right -->\n"
        '                    <div id="tertiary"><div class="inner">\n                        '
        + module_section("two", module_time(ctx) + module_powered(ctx))
        + "\n                    </div></div><!-- end tertiary and tertiary>inner -->\n"
        '                    <div id="content-footer"></div>\n'
        "                </div><!-- end content>inner -->\n            </div> <!-- end content -->\n"
        "        </div> <!-- end canvas>inner -->\n"
        '    <div id="footer">\n        <div class="inner">\n'
        '                <div class="page-top"><a href="#">Top of page</a></div>\n'
        "        </div><!-- end footer>inner -->\n    </div><!-- end footer -->\n"
        "    </div> <!-- end canvas -->\n" + wrapper_end(ctx) + "</html>\n"
    )


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<[^>]*>", "", text)


def plain_subject(subject: str) -> str:
    """LJ clean_subject_all: the subject without any tags (entities kept)."""
    return _strip_tags(subject)

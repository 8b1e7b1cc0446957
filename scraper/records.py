"""Parsed records: the plain, frozen dataclasses that parsers return and the store saves.

Parsers (scraper.parse.*) build these from page text and know nothing of HTTP or SQL; the store
(scraper.store.*) writes them and knows nothing of HTML. Dates are kept as the page shows them,
normalised to 'YYYY-MM-DDTHH:MM' (no zone: Dreamwidth prints entry times in the poster's own
time and comment times in UTC, and we store exactly what was shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Entry security as stored: the words of the issue, not Dreamwidth's CSS words
# (security-protected -> 'access', security-private -> 'private', security-custom -> 'custom').
SECURITY_VALUES = ("public", "access", "private", "custom")

# Comment states as stored.
COMMENT_STATES = ("visible", "screened", "deleted", "frozen", "suspended")


@dataclass(frozen=True)
class JournalInfo:
    """What any journal page says about the journal it belongs to."""

    name: str | None  # canonical username (underscore form), e.g. 'nairiporter'
    type: str | None  # 'personal' | 'community' | None when the page does not say
    title: str | None = None  # h1#title text
    subtitle: str | None = None  # h2#subtitle text
    url: str | None = None  # journal root URL as linked from the title


@dataclass(frozen=True)
class EntryRecord:
    """One entry as shown on an entry page, a recent page or a day page."""

    itemid: int  # the NNN of NNN.html (Dreamwidth's ditemid)
    url: str  # permalink as linked from the page
    subject: str  # plain text; '' when the entry has no subject ('(no subject)' placeholder)
    subject_html: str  # inner HTML of the subject link/span; '' when none
    body_html: str  # inner HTML of the outermost .entry-content
    body_text: str  # text of body_html, whitespace-normalised, paragraphs on their own lines
    poster: str | None  # username of the poster (community posts); journal name on personal
    journal: str | None  # username of the journal the entry lives in, when the page says
    posted_at: str | None  # 'YYYY-MM-DDTHH:MM' as shown (journal-local, no zone)
    date_text: str  # the date/time text exactly as shown, whitespace-normalised
    userpic_keyword: str | None  # 'sunrays'; 'Default' for the default icon; None without icon
    userpic_url: str | None
    tags: tuple[str, ...]
    mood: str | None
    music: str | None
    location: str | None
    security: str  # one of SECURITY_VALUES
    comment_count: int | None  # None when the page shows no count (comments disabled)
    has_cut: bool  # the body shown here is cut short (a cut link to NNN.html#cutidN)
    restrictions: str | None = None  # adult content flag: '18', 'nsfw' or None
    sticky: bool = False
    screened_count: int | None = None  # "N visible | M screened comments" when shown
    # Owner mode (the protocol's getevents; None on records parsed from HTML pages):
    allowmask: int | None = None  # usemask entries: 1 = access list, other bits = custom groups
    body_source: str | None = None  # the raw `event` exactly as the protocol returned it
    props: dict[str, str | None] | None = field(default=None, hash=False)  # every prop returned
    editor: str | None = None  # markup format body_html was rendered with (prop or DW's guess)


@dataclass(frozen=True)
class CommentRecord:
    """One comment (or its placeholder) from an entry page or a ?thread= view."""

    commentid: int  # the N of #cmtN / ?thread=N (dtalkid)
    parent_commentid: int | None  # None for top-level comments
    depth: int  # 1 for top-level
    author: str | None  # username; None for anonymous commenters and for placeholders
    author_kind: str | None  # 'user' | 'openid' | 'anonymous' | None (placeholder)
    subject: str  # plain text, '' when none; state prefixes like '(screened comment) ' removed
    subject_html: str
    body_html: str | None  # None when not shown here (collapsed, deleted, screened placeholder)
    body_text: str | None
    posted_at: str | None  # 'YYYY-MM-DDTHH:MM' as shown (UTC for anonymous readers)
    date_text: str | None
    state: str  # one of COMMENT_STATES
    full: bool  # False for collapsed headers and placeholders: body is not on this page
    collapsed: bool  # a collapsed header (subject/poster/date + Expand): fetch ?thread=ID
    userpic_keyword: str | None = None
    edited_text: str | None = None  # "Edited ..." note when the comment was edited
    # Owner mode (/export_comments; None on records parsed from HTML pages):
    props: dict[str, str] | None = field(default=None, hash=False)  # talk props minus IP/agent
    body_source: str | None = None  # the raw comment body exactly as exported
    editor: str | None = None  # markup format body_html was rendered with (prop or DW's guess)


@dataclass(frozen=True)
class CalendarDay:
    day: str  # 'YYYY-MM-DD'
    entry_count: int


@dataclass(frozen=True)
class TagCount:
    tag: str
    uses: int | None
    visibility: str | None = None  # 'public' etc. from the li class, when shown


@dataclass(frozen=True)
class SidebarRecord:
    """What the sidebar and footer modules of a journal page carry."""

    profile_display_name: str | None = None  # Profile module: div.journal-name
    profile_userpic_url: str | None = None
    profile_userpic_keyword: str | None = None
    profile_website_name: str | None = None
    profile_website_url: str | None = None
    calendar_month: str | None = None  # 'YYYY-MM' of the calendar module
    calendar_days: tuple[CalendarDay, ...] = ()  # days with entries in that month
    tags: tuple[TagCount, ...] = ()  # tags module, when the page has one
    tags_module_limited: bool = False  # the module shows only some tags (popular tags)
    page_generated: str | None = None  # 'Page generated ...' text, as shown
    page_generated_at: str | None = None  # the same, normalised 'YYYY-MM-DDTHH:MM'
    style_credit: tuple[tuple[str, str | None], ...] = ()  # (label text, link) pairs
    cut_tags_text: str | None = None  # 'No cut tags' or the cut-tag control text
    powered_by: str | None = None  # 'Dreamwidth Studios'


@dataclass(frozen=True)
class Navigation:
    """Links from a page's navigation block."""

    back_url: str | None = None  # recent: older entries (?skip=N); day: previous day
    forward_url: str | None = None
    years: tuple[int, ...] = ()  # year archive: every year the journal has entries in
    skip_back: int | None = None  # the N of ?skip=N in back_url


@dataclass(frozen=True)
class EntryPage:
    """An entry permalink page (NNN.html, ?page=N, ?thread=N, ?view=flat)."""

    journal: JournalInfo
    entry: EntryRecord
    comments: tuple[CommentRecord, ...]
    comment_page: int  # the page shown (1 when there is no pager)
    comment_pages: int  # how many comment pages there are (1 when there is no pager)
    thread_root: int | None  # the commentid of a ?thread= view, else None
    sidebar: SidebarRecord
    # the markup read: 'core2' | 'siteviews' | 'zesty' (parse.Rendering); not compared: a page
    # read from another rendering with the same content is the same record
    rendering: str = field(default="", compare=False)


@dataclass(frozen=True)
class ListingPage:
    """A recent page (/, /?skip=N, /tag/NAME) or a day page (/YYYY/MM/DD/): many entries."""

    journal: JournalInfo
    kind: str  # 'recent' | 'day' | 'tag'
    entries: tuple[EntryRecord, ...]
    navigation: Navigation
    day: str | None  # 'YYYY-MM-DD' for day pages
    sidebar: SidebarRecord
    tag: str | None = None  # the tag of a /tag/NAME page (added by the parsers)
    # the markup read: 'core2' | 'siteviews' | 'zesty' (parse.Rendering); not compared: a page
    # read from another rendering with the same content is the same record
    rendering: str = field(default="", compare=False)


@dataclass(frozen=True)
class YearPage:
    """A year archive (/YYYY/): per-day entry counts for every day with entries."""

    journal: JournalInfo
    year: int
    days: tuple[CalendarDay, ...]
    years: tuple[int, ...]  # every year listed in the navigation (includes this one)
    sidebar: SidebarRecord
    # the markup read: 'core2' | 'siteviews' | 'zesty' (parse.Rendering); not compared: a page
    # read from another rendering with the same content is the same record
    rendering: str = field(default="", compare=False)


@dataclass(frozen=True)
class TagsPage:
    journal: JournalInfo
    tags: tuple[TagCount, ...]
    sidebar: SidebarRecord
    # the markup read: 'core2' | 'siteviews' | 'zesty' (parse.Rendering); not compared: a page
    # read from another rendering with the same content is the same record
    rendering: str = field(default="", compare=False)


@dataclass(frozen=True)
class ProfileRecord:
    """The profile page (/profile)."""

    name: str | None  # username from the ljuser span
    journal_type: str | None  # 'personal' | 'community' | 'feed' | 'openid' | None
    display_name: str | None  # 'Name:' row, or the page heading
    journal_title: str | None
    journal_subtitle: str | None
    account_type: str | None  # first stats line, e.g. 'Paid Account'
    created_on: str | None  # 'YYYY-MM-DD'
    last_updated: str | None  # 'YYYY-MM-DD'
    user_number: int | None  # the #NNN after the creation date
    comments_received: int | None
    comments_posted: int | None
    entries_count: int | None
    tags_count: int | None
    memories_count: int | None
    icons_count: int | None
    userpic_url: str | None
    bio_html: str | None
    bio_text: str | None
    birthdate: str | None
    location: str | None
    website_name: str | None
    website_url: str | None
    interests: tuple[str, ...] = ()
    basics: tuple[tuple[str, str], ...] = ()  # every (label, text) row of the basics table
    admins: tuple[str, ...] = ()  # community maintainers
    moderators: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)  # other labelled rows (community etc.)


@dataclass(frozen=True)
class Interstitial:
    """A page that is not the content asked for: captcha, adult-content gate, error notice."""

    kind: str  # 'captcha' | 'adult' | 'suspended' | 'deleted' | 'purged' | 'locked' | 'error'
    message: str

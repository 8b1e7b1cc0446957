"""The fake site's data: journals, entries and comments as mutable dataclasses, plus a lazy index.

Tests build journals from these classes (or from sample.py / generate.py) and may change them
between runs: add, edit or delete entries, add or delete comments, lock entries. Every assignment
to a field of a model object and every in-place change of a list held by one (entries, comments,
tags, ...) bumps one global version counter; `FakeJournal.index` rebuilds itself when that counter
moved, so pages always render from the live model while a page of a 10,000-entry journal still
looks its entries up in prebuilt day/month/year maps instead of scanning them.
`FakeJournal.touch()` forces a rebuild (needed only after mutating an object we do not track,
e.g. a dict).

Ids follow Dreamwidth: an entry's `itemid` is the ditemid (jitemid * 256 + anum) and a comment's
`commentid` is the dtalkid (jtalkid * 256 + the entry's anum).

Times: `FakeEntry.posted_at` is the poster's wall-clock time as typed (naive, no zone);
`FakeComment.posted_at` and the edit/log times are UTC (naive datetimes meaning UTC; aware ones
are converted).

Owner mode (protocol/): entries and comments may carry the source as typed (`source`) in an
`editor` format, extra props, and entries a usemask `allowmask`; without a source, body_html is
the source (an html_raw0 entry with opt_preformatted, see protocol/entries.py). A journal's
`api_keys` let its owner log in to the protocol endpoints.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Self

SECURITY_LEVELS = ("public", "access", "private", "custom")
COMMENT_STATES = ("visible", "screened", "deleted", "frozen", "suspended")
AUTHOR_KINDS = ("user", "openid", "anonymous")
JOURNAL_STATUSES = ("active", "suspended", "deleted", "purged")

# StyleSettings.layout: the journal's S2 layout. "core2" stands for the 55 layouts that keep
# core2's markup; drifting, negatives and zesty rewrite it (styles/<layout>/layout.s2).
LAYOUTS = ("core2", "drifting", "negatives", "zesty")
# Every markup a page can come in: the layouts plus Dreamwidth's own "siteviews" style, used for
# any S2 view asked with ?format=light / ?style=site|light, and for entry and reply pages when the
# owner turned off "show entry pages in my journal style" (cgi-bin/LJ/S2.pm:93-116).
RENDERINGS = ("core2", "siteviews", "drifting", "negatives", "zesty")

# FakeEntry.userpic_keyword / FakeComment.userpic_keyword: None means "the poster's default
# icon" (printed as "(Default)"); NO_USERPIC means the post shows no icon at all.
NO_USERPIC = ""

# Moods that are Dreamwidth's standard moods get an icon next to the mood text.
STANDARD_MOODS = frozenset(
    [
        "accomplished",
        "amused",
        "annoyed",
        "anxious",
        "bored",
        "busy",
        "calm",
        "cheerful",
        "content",
        "contemplative",
        "cranky",
        "creative",
        "curious",
        "determined",
        "exhausted",
        "good",
        "grateful",
        "happy",
        "hopeful",
        "hungry",
        "nostalgic",
        "okay",
        "pensive",
        "peaceful",
        "relaxed",
        "sad",
        "sleepy",
        "thoughtful",
        "tired",
    ]
)

# --- change tracking ------------------------------------------------------------------------


class _Version:
    """A process-wide modification counter shared by every model object."""

    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.value += 1


MODEL_VERSION = _Version()


class TrackedList(list):
    """A list that bumps MODEL_VERSION whenever it is changed in place."""

    def _changed(self) -> None:
        MODEL_VERSION.bump()

    def append(self, item: Any) -> None:
        super().append(item)
        self._changed()

    def extend(self, items: Iterable[Any]) -> None:
        super().extend(items)
        self._changed()

    def insert(self, index: int, item: Any) -> None:  # type: ignore[override]
        super().insert(index, item)
        self._changed()

    def remove(self, item: Any) -> None:
        super().remove(item)
        self._changed()

    def pop(self, index: int = -1) -> Any:  # type: ignore[override]
        item = super().pop(index)
        self._changed()
        return item

    def clear(self) -> None:
        super().clear()
        self._changed()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        super().sort(*args, **kwargs)
        self._changed()

    def reverse(self) -> None:
        super().reverse()
        self._changed()

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        self._changed()

    def __iadd__(self, other: Iterable[Any]) -> Self:  # type: ignore[misc]
        super().__iadd__(other)
        self._changed()
        return self

    def __imul__(self, n: int) -> Self:  # type: ignore[override, misc]
        super().__imul__(n)
        self._changed()
        return self


class _Tracked:
    """Mixin: field assignments bump MODEL_VERSION; plain lists become TrackedLists."""

    def __setattr__(self, name: str, value: Any) -> None:
        if type(value) is list:
            value = TrackedList(value)
        object.__setattr__(self, name, value)
        MODEL_VERSION.bump()


def _utc_naive(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def stable_number(text: str, modulo: int, offset: int = 0) -> int:
    """A deterministic number for a name (user ids, picture ids), independent of PYTHONHASHSEED."""
    digest = hashlib.sha1(text.encode("utf-8")).digest()
    return offset + int.from_bytes(digest[:6], "big") % modulo


# --- model ----------------------------------------------------------------------------------


@dataclass(eq=False)
class FakeComment(_Tracked):
    """One comment. `commentid` is the dtalkid (jtalkid * 256 + the entry's anum)."""

    commentid: int
    parent: int | None  # the parent's commentid; None for a top-level comment
    author: str | None  # username, OpenID display name, or None for anonymous
    subject: str = ""
    body_html: str = ""
    posted_at: datetime = field(default_factory=lambda: datetime(2025, 1, 1))  # UTC
    state: str = "visible"  # one of COMMENT_STATES
    userpic_keyword: str | None = None  # None: the author's default icon; NO_USERPIC: none
    author_kind: str = "user"  # 'user' | 'openid' | 'anonymous'
    edited_at: datetime | None = None  # UTC
    poster_tz_offset: int | None = None  # minutes east of UTC, when the commenter set a zone
    # Owner mode (what /export_comments returns; see scraper/fakesite/protocol):
    source: str | None = None  # the body as typed; None: body_html is the source (html_raw0)
    editor: str | None = None  # talk prop `editor`; None: no editor prop (opt_preformatted)
    props: dict[str, str | None] = field(default_factory=dict)  # extra talk props; None drops one

    def __post_init__(self) -> None:
        if self.author is None:
            self.author_kind = "anonymous"
        self.posted_at = _utc_naive(self.posted_at)  # type: ignore[assignment]
        self.edited_at = _utc_naive(self.edited_at)

    @property
    def talkid(self) -> int:
        return self.commentid >> 8

    @property
    def jtalkid(self) -> int:
        """The journal-wide comment number /export_comments uses (dtalkid >> 8)."""
        return self.commentid >> 8


@dataclass(eq=False)
class FakeEntry(_Tracked):
    """One entry. `itemid` is the ditemid (jitemid * 256 + anum) of NNN.html."""

    itemid: int
    subject: str  # may be '' or contain limited HTML (<b>, <i>)
    body_html: str
    posted_at: datetime  # the poster's local time as typed (naive)
    poster: str
    security: str = "public"  # one of SECURITY_LEVELS
    tags: list[str] = field(default_factory=list)
    mood: str | None = None
    music: str | None = None
    location: str | None = None
    userpic_keyword: str | None = None  # None: default icon; NO_USERPIC: no icon
    comments: list[FakeComment] = field(default_factory=list)
    restrictions: str | None = None  # None | '18' | 'nsfw'
    cut_html: str | None = None  # text behind a cut: listings show a cut link instead
    cut_label: str | None = None  # the cut link's text ("Read more..." when None)
    edited_at: datetime | None = None  # UTC; moves the feed's <updated> and Last-Modified
    logged_at: datetime | None = None  # UTC server time of posting; derived when None
    comments_enabled: bool = True
    # Owner mode (what getevents returns; see scraper/fakesite/protocol):
    source: str | None = None  # `event` as typed; None: derived from body_html (+ cut_html)
    editor: str | None = None  # `editor` prop (html_casual1, markdown0, ...); None: no prop
    allowmask: int | None = None  # usemask bits (bit 0 access list, 1..60 groups); None: derived
    props: dict[str, str | None] = field(default_factory=dict)  # extra log props; None drops one
    revnum: int | None = None  # `revnum` prop; None: 1 when edited_at is set, else absent
    comment_altered_at: datetime | None = None  # UTC `commentalter`; None: newest comment time

    @property
    def anum(self) -> int:
        return self.itemid & 0xFF

    @property
    def jitemid(self) -> int:
        return self.itemid >> 8

    @property
    def is_public(self) -> bool:
        return self.security == "public"

    def comment(self, commentid: int) -> FakeComment | None:
        for comment in self.comments:
            if comment.commentid == commentid:
                return comment
        return None

    def next_commentid(self, journal: FakeJournal) -> int:
        """A fresh dtalkid for a new comment on this entry (jtalkids are journal-wide)."""
        return (journal.next_talkid() << 8) + self.anum


@dataclass(eq=False)
class StyleSettings(_Tracked):
    """The S2 style properties that change what pages print (core2 defaults)."""

    entries_per_page: int = 20  # num_items_recent (clamped to 1..50 like the site)
    entry_date_format: str = "med"
    entry_time_format: str = "short"
    comment_date_format: str = "iso"
    comment_time_format: str = "short"
    max_scrollback: int = 100  # $LJ::MAX_SCROLLBACK_LASTN
    all_entrysubjects: bool = True
    tags_module_limit: int = 50  # module_tags_opts_limit; 0 = all tags, header "Tags"
    layout_name: str = "Practicality"
    theme_name: str = "Warm Gray"
    layout_author: str = "timeasmymeasure"
    # The S2 layout the journal's pages are printed with: one of LAYOUTS.
    layout: str = "core2"
    # "Show entry pages in my journal style" (DW::Setting::JournalEntryStyle, userprop
    # use_journalstyle_entry_page): False serves entry and reply pages in siteviews markup even
    # without ?format=light (LJ::S2::make_journal, cgi-bin/LJ/S2.pm:93-116).
    entry_pages_in_journal_style: bool = True

    @property
    def items_per_page(self) -> int:
        return min(50, max(1, self.entries_per_page))


@dataclass(eq=False)
class FakeJournal(_Tracked):
    """A personal journal or a community, with its profile data and its entries."""

    name: str
    type: str = "personal"  # 'personal' | 'community'
    title: str = ""
    subtitle: str = ""
    display_name: str = ""
    bio_html: str = ""
    website: tuple[str, str] | None = None  # (name, url)
    location: str | None = None  # "City, Country"
    birthdate: date | None = None
    interests: list[str] = field(default_factory=list)
    created: date = date(2009, 5, 1)
    account_type: str = "Free Account"
    userpic_keyword: str | None = None  # keyword of the default icon (None: no keyword)
    userpic_keywords: list[str] = field(default_factory=list)  # every icon keyword
    has_userpic: bool = True
    entries: list[FakeEntry] = field(default_factory=list)
    style: StyleSettings = field(default_factory=StyleSettings)
    maintainers: list[str] = field(default_factory=list)
    moderators: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    membership: str = "open"  # community: 'open' | 'moderated' | 'closed'
    posting_level: str = "members"  # community: 'members' | 'select' | 'anybody'
    community_theme: str | None = None
    robots_block: bool = False
    adult: bool = False  # the whole journal sits behind the adult-content interstitial
    status: str = "active"  # one of JOURNAL_STATUSES
    renamed_to: str | None = None
    page_generated: datetime = field(default_factory=lambda: datetime(2025, 7, 4, 18, 0))
    tz_offset: int = 0  # minutes east of UTC of the journal's zone (for log times)
    comments_posted: int = 0
    memories: int = 0
    userid: int = 0  # derived from the name when 0
    api_keys: list[str] = field(default_factory=list)  # owner mode: keys that log in as `name`

    def __post_init__(self) -> None:
        if not self.userid:
            self.userid = stable_number("user:" + self.name, 9_000_000, 100_000)
        if not self.display_name:
            self.display_name = self.name
        if self.userpic_keyword and self.userpic_keyword not in self.userpic_keywords:
            self.userpic_keywords.append(self.userpic_keyword)
        object.__setattr__(self, "_index", None)
        object.__setattr__(self, "_index_lock", threading.Lock())

    # -- convenience -------------------------------------------------------------------------

    @property
    def is_community(self) -> bool:
        return self.type == "community"

    @property
    def journal_type_letter(self) -> str:
        return "C" if self.is_community else "P"

    def touch(self) -> None:
        """Mark the journal changed so the next page rebuilds the index."""
        MODEL_VERSION.bump()

    def entry(self, itemid: int) -> FakeEntry | None:
        return self.index.by_itemid.get(itemid)

    def next_talkid(self) -> int:
        """A jtalkid not used by any comment of this journal."""
        highest = 0
        for entry in self.entries:
            for comment in entry.comments:
                highest = max(highest, comment.talkid)
        return highest + 1

    def next_itemid(self, anum: int | None = None) -> int:
        """A fresh ditemid for a new entry (next jitemid, given or derived anum)."""
        jitemid = max((e.jitemid for e in self.entries), default=0) + 1
        if anum is None:
            anum = stable_number(f"{self.name}:{jitemid}", 256)
        return (jitemid << 8) + anum

    def logtime(self, entry: FakeEntry) -> datetime:
        """The entry's server posting time (UTC)."""
        if entry.logged_at is not None:
            return _utc_naive(entry.logged_at)  # type: ignore[return-value]
        return entry.posted_at - timedelta(minutes=self.tz_offset)

    def revtime(self, entry: FakeEntry) -> datetime:
        """The entry's last edit time, or its log time (UTC)."""
        return _utc_naive(entry.edited_at) or self.logtime(entry)  # type: ignore[return-value]

    @property
    def index(self) -> JournalIndex:
        current = self._index  # type: ignore[attr-defined]
        if current is not None and current.version == MODEL_VERSION.value:
            return current
        with self._index_lock:  # type: ignore[attr-defined]
            current = self._index  # type: ignore[attr-defined]
            if current is None or current.version != MODEL_VERSION.value:
                current = JournalIndex(self)
                object.__setattr__(self, "_index", current)
            return current


def _month_key(day: date) -> tuple[int, int]:
    return (day.year, day.month)


class JournalIndex:
    """What an anonymous reader can see of a journal, precomputed once per model version."""

    def __init__(self, journal: FakeJournal) -> None:
        self.version = MODEL_VERSION.value
        entries = list(journal.entries)
        self.by_itemid: dict[int, FakeEntry] = {e.itemid: e for e in entries}
        visible = [e for e in entries if e.is_public]
        order = (
            (lambda e: (journal.logtime(e), e.itemid))
            if journal.is_community
            else (lambda e: (e.posted_at, e.itemid))
        )
        # Recent-page order: newest first (communities order by log time, like the site).
        self.recent: list[FakeEntry] = sorted(visible, key=order, reverse=True)
        # Feed order: newest log time first.
        self.feed: list[FakeEntry] = sorted(
            visible, key=lambda e: (journal.logtime(e), e.itemid), reverse=True
        )
        self.days: dict[date, list[FakeEntry]] = {}
        for entry in sorted(visible, key=lambda e: (e.posted_at, e.itemid)):
            self.days.setdefault(entry.posted_at.date(), []).append(entry)
        self.sorted_days: list[date] = sorted(self.days)
        self.months: dict[tuple[int, int], dict[int, int]] = {}
        for day, day_entries in self.days.items():
            self.months.setdefault(_month_key(day), {})[day.day] = len(day_entries)
        self.sorted_months: list[tuple[int, int]] = sorted(self.months)
        self.years: list[int] = sorted({y for y, _ in self.months})
        self.tags: dict[str, int] = {}
        for entry in visible:
            for tag in entry.tags:
                self.tags[tag] = self.tags.get(tag, 0) + 1
        # /tag/NAME pages: each tag's visible entries in recent order.
        self.tagged: dict[str, list[FakeEntry]] = {}
        for entry in self.recent:
            for tag in entry.tags:
                self.tagged.setdefault(tag, []).append(entry)
        # Profile statistics count every entry and comment, visible or not (as the site does).
        self.all_tags: set[str] = {tag for e in entries for tag in e.tags}
        self.comments_received = sum(1 for e in entries for c in e.comments if c.state != "deleted")
        self.last_update: datetime | None = max((journal.logtime(e) for e in entries), default=None)

    def day_entries(self, day: date) -> list[FakeEntry]:
        return self.days.get(day, [])

    def neighbour_days(self, day: date) -> tuple[date | None, date | None]:
        """The nearest earlier and later days that have visible entries."""
        pos = bisect.bisect_left(self.sorted_days, day)
        before = self.sorted_days[pos - 1] if pos > 0 else None
        after_pos = pos + 1 if pos < len(self.sorted_days) and self.sorted_days[pos] == day else pos
        after = self.sorted_days[after_pos] if after_pos < len(self.sorted_days) else None
        return before, after

    def neighbour_months(self, year: int, month: int) -> tuple[tuple[int, int] | None, ...]:
        pos = bisect.bisect_left(self.sorted_months, (year, month))
        before = self.sorted_months[pos - 1] if pos > 0 else None
        nxt = (
            pos + 1
            if pos < len(self.sorted_months) and self.sorted_months[pos] == (year, month)
            else pos
        )
        after = self.sorted_months[nxt] if nxt < len(self.sorted_months) else None
        return before, after

    def latest_month(self, now: datetime) -> tuple[int, int]:
        """The calendar module's month: the latest month with entries, not in the future."""
        candidates = [ym for ym in self.sorted_months if ym <= (now.year, now.month)]
        if candidates:
            return candidates[-1]
        return (now.year, now.month)

    def shown_comment_count(self, entry: FakeEntry) -> int:
        from .comments import shown_count  # local import: comments imports model

        return shown_count(entry)

"""What the protocol says about the model's entries: log2 rows, log props, sync items.

* security: public rows have none; private is `private`; access-locked and custom entries are
  `usemask` with `allowmask` (access: bit 0, i.e. 1; custom: the entry's allowmask, default 2 =
  the first custom group). Masks may use bits up to 60.
* `event` is the entry's `source`, or for entries that only have body_html an html_raw0 source
  that shows the same (formats.legacy_event_source); such entries carry `opt_preformatted=1` and
  no `editor` prop, as pre-2019 entries do.
* props (bin/upgrading/proplists.dat log props): taglist (Protocol.pm:2569-2580), current_moodid
  for moods from the site's mood list (moods.dat ids) or current_mood for typed moods,
  current_music, current_location, picture_mapid plus the regenerated picture_keyword, which is
  present (undef) even when the entry uses the default icon (Protocol.pm:2623-2627),
  editor/opt_preformatted, revnum/revtime (unix) for edited entries, commentalter (unix time of
  the newest comment post or edit, or `comment_altered_at`), hasscreened, opt_nocomments,
  adult_content; the entry's own `props` override these (None removes one). Newlines in values
  become spaces (Protocol.pm:2582-2600). replycount and xpost are never sent.
* sync items (LJ::Protocol::syncitems, Protocol.pm:3083-3152): `L-<jitemid>` create at logtime,
  update at revtime when edited later; `C-<jitemid>` update at commentalter; times are
  `YYYY-MM-DD HH:MM:SS` server time (UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..model import NO_USERPIC, FakeEntry, FakeJournal, stable_number
from .formats import legacy_event_source

# Dreamwidth's mood list ids (bin/upgrading/moods.dat: MOOD id name parent) for the moods the fake
# site shows with an icon (model.STANDARD_MOODS).
MOODS: dict[str, tuple[int, int]] = {
    "annoyed": (3, 2),
    "anxious": (4, 46),
    "bored": (5, 25),
    "cranky": (8, 2),
    "exhausted": (14, 74),
    "happy": (15, 0),
    "hungry": (18, 74),
    "sad": (25, 0),
    "thoughtful": (30, 0),
    "tired": (31, 14),
    "hopeful": (43, 70),
    "amused": (44, 15),
    "determined": (45, 0),
    "sleepy": (49, 31),
    "relaxed": (53, 15),
    "curious": (56, 6),
    "peaceful": (58, 53),
    "nostalgic": (60, 30),
    "okay": (61, 0),
    "content": (64, 26),
    "calm": (68, 53),
    "pensive": (73, 30),
    "accomplished": (90, 88),
    "busy": (91, 88),
    "contemplative": (101, 30),
    "creative": (107, 88),
    "cheerful": (125, 15),
    "good": (126, 15),
    "grateful": (132, 15),
}
MOOD_MAX = 132  # the highest id in the table above

SECURITY = {"public": None, "private": "private", "access": "usemask", "custom": "usemask"}
ADULT = {"18": "explicit", "nsfw": "concepts"}


def mysql_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def unix(moment: datetime) -> int:
    """Seconds since the epoch of a naive UTC datetime."""
    return int(moment.replace(tzinfo=UTC).timestamp())


def picture_mapid(user: str, keyword: str) -> int:
    return stable_number(f"mapid:{user}:{keyword}", 5000, 1)


def security(entry: FakeEntry) -> tuple[str | None, int | None]:
    """(security, allowmask) as log2 stores them."""
    level = SECURITY.get(entry.security)
    if level != "usemask":
        return level, None
    if entry.allowmask is not None:
        return level, entry.allowmask
    return level, 1 if entry.security == "access" else 2


def event_source(entry: FakeEntry) -> str:
    if entry.source is not None:
        return entry.source
    return legacy_event_source(entry.body_html, entry.cut_html, entry.cut_label)


def comment_altered_at(entry: FakeEntry) -> datetime | None:
    if entry.comment_altered_at is not None:
        return entry.comment_altered_at
    times = [max(c.posted_at, c.edited_at or c.posted_at) for c in entry.comments]
    return max(times, default=None)


def entry_props(entry: FakeEntry) -> dict[str, str | None]:
    """Every log prop getevents returns for the entry (None: present but undef)."""
    props: dict[str, str | None] = {}
    if entry.editor:
        props["editor"] = entry.editor
    elif entry.source is None:
        props["opt_preformatted"] = "1"
    if entry.tags:
        props["taglist"] = ", ".join(entry.tags)
    if entry.mood:
        if entry.mood in MOODS:
            props["current_moodid"] = str(MOODS[entry.mood][0])
        else:
            props["current_mood"] = entry.mood
    if entry.music:
        props["current_music"] = entry.music
    if entry.location:
        props["current_location"] = entry.location
    keyword = entry.userpic_keyword
    if keyword not in (None, NO_USERPIC):
        props["picture_mapid"] = str(picture_mapid(entry.poster, keyword))
    if entry.edited_at is not None or entry.revnum is not None:
        props["revnum"] = str(entry.revnum if entry.revnum is not None else 1)
    if entry.edited_at is not None:
        props["revtime"] = str(unix(entry.edited_at))
    altered = comment_altered_at(entry)
    if altered is not None:
        props["commentalter"] = str(unix(altered))
    if any(c.state == "screened" for c in entry.comments):
        props["hasscreened"] = "1"
    if not entry.comments_enabled:
        props["opt_nocomments"] = "1"
    if entry.restrictions in ADULT:
        props["adult_content"] = ADULT[entry.restrictions]
    for name, value in entry.props.items():
        if value is None:
            props.pop(name, None)
        else:
            props[name] = value
    props.pop("replycount", None)
    props.pop("xpost", None)
    props = {k: (v.replace("\n", " ") if v is not None else None) for k, v in props.items()}
    # picture_keyword is regenerated from picture_mapid for every entry (undef without one)
    props["picture_keyword"] = keyword if "picture_mapid" in props and keyword else None
    return props


def sync_items(journal: FakeJournal, lastsync: str) -> list[tuple[str, str, str]]:
    """(item, time, action) after `lastsync`, oldest first (every entry: no security filter)."""
    items: dict[str, tuple[str, str, str]] = {}
    comments: dict[str, tuple[str, str, str]] = {}
    for entry in journal.entries:
        logtime = mysql_time(journal.logtime(entry))
        if logtime > lastsync:
            items[f"L-{entry.jitemid}"] = (f"L-{entry.jitemid}", logtime, "create")
        if entry.edited_at is not None:
            revtime = mysql_time(journal.revtime(entry))
            if revtime > lastsync:
                items[f"L-{entry.jitemid}"] = (f"L-{entry.jitemid}", revtime, "update")
        altered = comment_altered_at(entry)
        if altered is not None and mysql_time(altered) > lastsync:
            comments[f"C-{entry.jitemid}"] = (f"C-{entry.jitemid}", mysql_time(altered), "update")
    return sorted([*items.values(), *comments.values()], key=lambda i: (i[1], i[0]))


def item_time_for_getevents(journal: FakeJournal, entry: FakeEntry, lastsync: str) -> str | None:
    """getevents selecttype=syncitems: the entry's logtime or newer revtime after lastsync."""
    found = None
    logtime = mysql_time(journal.logtime(entry))
    if logtime > lastsync:
        found = logtime
    if entry.edited_at is not None:
        revtime = mysql_time(journal.revtime(entry))
        if revtime > lastsync:
            found = revtime
    return found

"""`lindenfall`: a personal journal made to be archived in owner mode (API key `OWNER_API_KEY`).

`build_owner_journal()` (deterministic) gives, by default, 131 entries: 120 generated ones from
2024-2025 (`generate_journal`, half of them marked html_casual1 with a source that shows exactly
their body_html, half legacy entries with only body_html: opt_preformatted, read as html_raw0)
and 11 written ones:

* public html_casual1 with `<user name=...>`, an @mention, a bare URL and `<lj-cut text=...>`,
  and a 13-comment thread: anonymous and OpenID commenters, screened (with a reply), frozen,
  deleted (with a reply), a suspended commenter, an edited comment, casual and markdown comments;
* public markdown0 with `<cut text=...>`, `<lj user=...>`, a list and a typed (non-list) mood;
* public html_raw0 with `<lj user=...>` and a plain `<cut>`;
* public entries without an editor prop: logged in 2018 (so read as html_casual0: its
  "@willowmere" stays text) and in 2020 starting with `!markdown` (read as markdown0);
* public, non-ASCII subject and text (XML-RPC sends them base64), and one titled "1984" (an
  XML-RPC `<int>`), edited three times;
* access-locked (allowmask 1), private, and two custom-filter entries (allowmask 10 and
  2**60 + 4), all with comments; one entry with comments disabled.

One entry, posted between the generated entries and the June 2025 ones, was deleted with its
comments: its jitemid is missing (`deleted_jitemid(journal)`), and the comment ids jump over its
comments so that at least one whole 1,000-id window of `/export_comments` bodies is empty.

`build_owner_journal(n_entries=5000, mean_comments=12.5)` scales the generated part for the
bench: 5,000 entries and 59,373 comments (about 8 s to build). The journal's `api_keys` hold `OWNER_API_KEY`; serve it with
`FakeSite([build_owner_journal()])` and log in as `OWNER_NAME` with that key.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..generate import generate_journal
from ..model import FakeComment, FakeEntry, FakeJournal
from .formats import (
    comment_format,
    entry_format,
    entry_parts,
    legacy_event_source,
    render_comment,
    render_entry,
)

OWNER_NAME = "lindenfall"
OWNER_API_KEY = "ErQHQwjyaxErPZDS3MoJaQNjCxkv5ndK"
BODY_WINDOW = 1_000
BIG_MASK = (1 << 60) | 4


@dataclass
class CommentSource:
    """A written comment: its source, format and place in the thread."""

    key: str
    parent: str | None
    author: str | None
    source: str
    minutes: int
    subject: str = ""
    state: str = "visible"
    editor: str | None = "html_casual1"
    author_kind: str | None = None
    userpic_keyword: str | None = None
    edited_minutes: int | None = None
    props: dict[str, str | None] = field(default_factory=dict)


@dataclass
class EntrySource:
    """A written entry: its source, format and settings."""

    subject: str
    source: str
    posted_at: datetime
    editor: str | None
    security: str = "public"
    allowmask: int | None = None
    tags: list[str] = field(default_factory=list)
    mood: str | None = None
    music: str | None = None
    location: str | None = None
    userpic_keyword: str | None = None
    edited_at: datetime | None = None
    revnum: int | None = None
    comments_enabled: bool = True
    props: dict[str, str | None] = field(default_factory=dict)
    comments: list[CommentSource] = field(default_factory=list)


CASUAL_SOURCE = """Went to the allotment with <user name="willowmere"> today.
The broad beans are up, and @tamsin_k's rhubarb is out of control.
The seed list is at https://example.org/seeds if anyone wants it.

<lj-cut text="Planting notes">
Row one: <b>broad beans</b>, second sowing.
Row two: <i>peas</i>, netted against the pigeons.
Row three: nothing yet.
</lj-cut>"""

MARKDOWN_SOURCE = """A walk along the **canal** this morning, with a stop at the lock.

The heron was back. Thanks to <lj user="leafreader"> for the tip about the *far* bank.

<cut text="The full list">

- three coots
- a kingfisher, briefly
- [the heron](https://example.org/heron)

Back home by nine.
</cut>"""

RAW_SOURCE = (
    '<p>Notes from the <em>committee</em> meeting, for <lj user="oolong_owl"> who missed it.</p>'
    "\n<cut><p>Item one: the hedge.</p><p>Item two: the gate, again.</p></cut>"
)

CASUAL0_SOURCE = """First post on the new journal. Hello to @willowmere who talked me into it.

More soon."""

LEGACY_MARKDOWN_SOURCE = """!markdown
Trying the *markdown* thing.

It seems to **work**."""

UNICODE_SOURCE = """Привет из Лидса! Подсолнухи 🌻 наконец-то зацвели.
Les tournesols sont très beaux cette année."""

NOVEL_SOURCE = "Reread it on the train. Still unsettling.\nThe ending lands harder every time."


def _thread() -> list[CommentSource]:
    return [
        CommentSource("a", None, "willowmere", "Lovely!\nSee you at the allotment.", 30),
        CommentSource("b", "a", OWNER_NAME, "Saturday, then.", 45, userpic_keyword="garden"),
        CommentSource("c", None, None, "Anonymous here: which beans are those?", 60),
        CommentSource(
            "d", None, "alice.example.net", "Found you via the feed.", 75, author_kind="openid"
        ),
        CommentSource(
            "e",
            None,
            "oolong_owl",
            "Cheap seeds at my shop!",
            90,
            subject="Link to my shop",
            state="screened",
        ),
        CommentSource("f", "e", OWNER_NAME, "Screened this one, sorry.", 95),
        CommentSource("g", None, "marrowbone", "Rhubarb is a weed.", 110, state="frozen"),
        CommentSource("h", None, "tamsin_k", "Hey, my rhubarb!", 120, state="deleted"),
        CommentSource("i", "h", "leafreader", "What did they say?", 130),
        CommentSource("j", None, "spam_lord_9000", "BUY CHEAP SEEDS", 140, state="suspended"),
        CommentSource(
            "k",
            None,
            "fernwick",
            'The <b>pigeons</b> are the real problem. See <a href="https://example.org/nets">nets</a>.',
            150,
            edited_minutes=200,
        ),
        CommentSource("l", "k", "willowmere", "Ask @tamsin_k about nets.", 160),
        CommentSource(
            "m", None, "quillfeather", "**Netting** works, *honestly*.", 170, editor="markdown0"
        ),
    ]


def written_entries() -> list[EntrySource]:
    """The hand-written entries, oldest first."""
    june = datetime(2025, 6, 1, 9, 0)
    return [
        EntrySource(
            "Hello",
            CASUAL0_SOURCE,
            datetime(2018, 3, 4, 10, 15),
            None,
            tags=["meta"],
            comments=[CommentSource("a", None, "willowmere", "Welcome!", 20, editor=None)],
        ),
        EntrySource(
            "Markdown?", LEGACY_MARKDOWN_SOURCE, datetime(2020, 2, 2, 20, 2), None, tags=["meta"]
        ),
        EntrySource(
            "Allotment, week six",
            CASUAL_SOURCE,
            june,
            "html_casual1",
            tags=["gardens", "allotment"],
            mood="cheerful",
            music="Erik Satie - Gymnopédie No. 1",
            location="the allotment",
            userpic_keyword="garden",
            props={"useragent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101"},
            comments=_thread(),
        ),
        EntrySource(
            "Canal walk",
            MARKDOWN_SOURCE,
            june + timedelta(days=2, hours=1),
            "markdown0",
            tags=["walking", "birds"],
            mood="grumpy about trains",
            comments=[
                CommentSource("a", None, "leafreader", "Told you about that bank.", 40),
            ],
        ),
        EntrySource(
            "Committee notes",
            RAW_SOURCE,
            june + timedelta(days=4, hours=3),
            "html_raw0",
            tags=["committee"],
        ),
        EntrySource(
            "Подсолнухи 🌻",
            UNICODE_SOURCE,
            june + timedelta(days=6, hours=2),
            "html_casual1",
            tags=["gardens", "подсолнухи"],
            mood="happy",
            location="Лидс",
            comments=[CommentSource("a", None, "tamsin_k", "Красота! 🌻", 30)],
        ),
        EntrySource(
            "1984",
            NOVEL_SOURCE,
            june + timedelta(days=8, hours=4),
            "html_casual1",
            tags=["books"],
            edited_at=datetime(2025, 6, 20, 12, 0),
            revnum=3,
        ),
        EntrySource(
            "For the access list",
            "Only my access list can read this.\nNot much to say, really.",
            june + timedelta(days=10),
            "html_casual1",
            security="access",
            tags=["private thoughts"],
            comments=[CommentSource("a", None, "willowmere", "Read it. Hugs.", 50)],
        ),
        EntrySource(
            "Private note",
            "Dentist on Thursday. Do not forget.",
            june + timedelta(days=12),
            "html_casual1",
            security="private",
            comments=[CommentSource("a", None, OWNER_NAME, "Done, all fine.", 3000)],
        ),
        EntrySource(
            "For the garden group",
            "Swap list for the garden filter: <b>seeds</b> only.",
            june + timedelta(days=14),
            "html_casual1",
            security="custom",
            allowmask=(1 << 1) | (1 << 3),
            tags=["swap"],
            comments=[CommentSource("a", None, "leafreader", "Count me in.", 80)],
        ),
        EntrySource(
            "For group sixty",
            "A filter with a very high group number.",
            june + timedelta(days=16),
            "html_casual1",
            security="custom",
            allowmask=BIG_MASK,
            comments_enabled=False,
        ),
    ]


def _entry(journal: FakeJournal, spec: EntrySource, itemid: int) -> FakeEntry:
    logtime = spec.posted_at - timedelta(minutes=journal.tz_offset)
    fmt, to_clean = entry_format(spec.source, spec.editor, logtime=logtime)
    body_html, cut_html, cut_label = entry_parts(render_entry(to_clean, fmt, journal))
    return FakeEntry(
        itemid=itemid,
        subject=spec.subject,
        body_html=body_html,
        posted_at=spec.posted_at,
        poster=journal.name,
        security=spec.security,
        tags=list(spec.tags),
        mood=spec.mood,
        music=spec.music,
        location=spec.location,
        userpic_keyword=spec.userpic_keyword,
        cut_html=cut_html,
        cut_label=cut_label,
        edited_at=spec.edited_at,
        comments_enabled=spec.comments_enabled,
        source=spec.source,
        editor=spec.editor,
        allowmask=spec.allowmask,
        props=dict(spec.props),
        revnum=spec.revnum,
    )


def _comments(
    journal: FakeJournal, entry: FakeEntry, specs: list[CommentSource], first_talkid: int
) -> int:
    ids: dict[str, int] = {}
    base = journal.logtime(entry)
    talkid = first_talkid
    for spec in specs:
        commentid = (talkid << 8) + entry.anum
        talkid += 1
        ids[spec.key] = commentid
        posted = base + timedelta(minutes=spec.minutes)
        kind = spec.author_kind or ("anonymous" if spec.author is None else "user")
        fmt = comment_format(spec.editor, datepost=posted)
        entry.comments.append(
            FakeComment(
                commentid=commentid,
                parent=ids[spec.parent] if spec.parent else None,
                author=spec.author,
                subject=spec.subject,
                body_html=render_comment(spec.source, fmt, kind == "anonymous", journal),
                posted_at=posted,
                state=spec.state,
                userpic_keyword=spec.userpic_keyword,
                author_kind=kind,
                edited_at=base + timedelta(minutes=spec.edited_minutes)
                if spec.edited_minutes
                else None,
                source=spec.source,
                editor=spec.editor,
                props=dict(spec.props),
            )
        )
    return talkid


def deleted_jitemid(journal: FakeJournal) -> int:
    """The jitemid of the deleted entry: the one gap in the journal's jitemids."""
    present = {e.jitemid for e in journal.entries}
    return min(j for j in range(1, max(present) + 2) if j not in present)


def build_owner_journal(
    n_entries: int = 131,
    seed: int = 2025,
    mean_comments: float = 4.0,
    name: str = OWNER_NAME,
    api_keys: tuple[str, ...] = (OWNER_API_KEY,),
) -> FakeJournal:
    """The owner-mode journal; `n_entries` counts the written entries too (at least 11)."""
    written = written_entries()
    n_generated = max(0, n_entries - len(written))
    journal = generate_journal(
        name,
        n_generated,
        seed,
        comments=(0, 300),
        end=date(2025, 5, 31),
        mean_comments=mean_comments,
        title="Lindenfall",
    )
    journal.display_name = "Lin Denfall"
    journal.subtitle = "an allotment, a canal, some books"
    journal.tz_offset = -300
    journal.userpic_keywords = ["default", "garden", "happy", "thinking"]
    journal.api_keys = list(api_keys)
    rng = random.Random(f"{name}:{seed}:owner")
    generated = list(journal.entries)
    for entry in generated:
        if rng.random() < 0.5:
            entry.editor = "html_casual1"
            entry.source = legacy_event_source(entry.body_html, entry.cut_html, entry.cut_label)
    ordered: list[FakeEntry | EntrySource] = sorted(
        [*generated, *written],
        key=lambda e: e.posted_at,
    )
    entries: list[FakeEntry] = []
    pending: list[tuple[FakeEntry, EntrySource]] = []
    jitemid = 0
    deleted_slot_used = False
    for item in ordered:
        jitemid += 1
        if not deleted_slot_used and item.posted_at >= datetime(2025, 6, 1):
            jitemid += 1  # the deleted entry
            deleted_slot_used = True
        if isinstance(item, FakeEntry):
            item.itemid = (jitemid << 8) + item.anum
            entries.append(item)
        else:
            anum = rng.randrange(256)
            entry = _entry(journal, item, (jitemid << 8) + anum)
            entries.append(entry)
            pending.append((entry, item))
    journal.entries = entries
    talkid = max((c.jtalkid for e in generated for c in e.comments), default=0) + 1
    for entry, spec in pending:
        talkid = _comments(journal, entry, spec.comments, talkid)
    _renumber_comments(journal, gap_at=datetime(2025, 6, 1))
    journal.touch()
    return journal


def _renumber_comments(journal: FakeJournal, gap_at: datetime) -> None:
    """jtalkids in posting order, as the site allocates them; the deleted entry's comments held
    the ids from the first comment after `gap_at` up to the next-but-one 1,000-id boundary."""
    pairs = sorted(
        ((e, c) for e in journal.entries for c in e.comments),
        key=lambda pair: (pair[1].posted_at, pair[1].commentid),
    )
    new_ids: dict[int, int] = {}
    talkid = 0
    gap_done = False
    for entry, comment in pairs:
        talkid += 1
        if not gap_done and comment.posted_at >= gap_at:
            talkid = (talkid // BODY_WINDOW + 2) * BODY_WINDOW + 1
            gap_done = True
        new_ids[comment.commentid] = (talkid << 8) + entry.anum
    for _, comment in pairs:
        comment.commentid = new_ids[comment.commentid]
        if comment.parent is not None:
            comment.parent = new_ids[comment.parent]

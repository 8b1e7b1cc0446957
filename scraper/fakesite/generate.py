"""Deterministic journals of any size: realistic posting days, cut tags, locked entries, threads.

`generate_journal(name, n_entries, seed, ...)` builds a FakeJournal from a seeded RNG (same
arguments, same journal, on every machine): posting days clustered the way people post (quiet
gaps, several entries on busy days), subjects with and without HTML or missing, tags (some
multi-level "a:b"), mood/music/location, cut tags, a share of locked entries, and comment
threads with a skewed size distribution (most entries have none or a few, a few have hundreds),
deep chains, replies under deleted and screened comments, frozen threads, anonymous, OpenID and
suspended commenters. 10,000 entries with 50,000 comments take a few seconds.

`rendering=` (one of model.RENDERINGS) sets the style the journal's pages come in, without
changing its content (the RNG draws are the same): "drifting", "negatives" or "zesty" set
`StyleSettings.layout` (zesty also gets its layout's default of 10 entries a recent page,
styles/zesty/layout.s2:160, unless `style` is given); "siteviews" turns off "show entry pages in
my journal style" (`StyleSettings.entry_pages_in_journal_style = False`), so entry and reply pages
come in siteviews markup; every other view is siteviews when asked with ?format=light.

The helpers (`Phrases`, `CommentSpec`, `add_comments`) are shared with sample.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .model import RENDERINGS, FakeComment, FakeEntry, FakeJournal, StyleSettings, stable_number

LAYOUT_NAMES = {"drifting": "Drifting", "negatives": "Negatives", "zesty": "Zesty"}
ZESTY_ENTRIES_PER_PAGE = 10  # num_items_recent in styles/zesty/layout.s2:160

WORDS = [
    "morning",
    "light",
    "garden",
    "kettle",
    "window",
    "street",
    "river",
    "bridge",
    "market",
    "letter",
    "train",
    "rain",
    "autumn",
    "winter",
    "spring",
    "summer",
    "library",
    "notebook",
    "chestnut",
    "linden",
    "basil",
    "marigold",
    "teapot",
    "harbour",
    "city",
    "village",
    "hill",
    "orchard",
    "bakery",
    "neighbour",
    "evening",
    "lamp",
    "map",
    "journey",
    "season",
    "festival",
    "kitchen",
    "recipe",
    "walk",
    "path",
    "meadow",
    "cloud",
    "storm",
    "breeze",
    "quiet",
    "music",
    "song",
    "book",
    "chapter",
    "story",
    "memory",
    "friend",
    "stranger",
    "parcel",
    "bicycle",
    "ferry",
    "station",
    "lantern",
    "candle",
    "coffee",
    "honey",
    "bread",
    "apple",
]
VERBS = [
    "noticed",
    "found",
    "remembered",
    "watched",
    "carried",
    "painted",
    "planted",
    "wrote",
    "read",
    "heard",
    "followed",
    "counted",
    "borrowed",
    "mended",
    "opened",
    "closed",
    "visited",
    "crossed",
    "gathered",
    "kept",
    "shared",
]
ADJECTIVES = [
    "quiet",
    "bright",
    "small",
    "old",
    "new",
    "green",
    "golden",
    "grey",
    "warm",
    "cold",
    "slow",
    "busy",
    "gentle",
    "strange",
    "familiar",
    "patient",
    "tired",
    "curious",
    "careful",
    "distant",
]
TAGS = [
    "gardens",
    "weather",
    "books",
    "tea",
    "walking",
    "politics",
    "travel",
    "music",
    "family",
    "cooking",
    "photos",
    "memes",
    "work",
    "history",
    "maps",
    "fandom:books",
    "fandom:tv",
    "fandom:tv:doctor who",
    "daily life",
    "reading",
    "2024",
    "projects",
    "knitting",
    "birds",
    "city life",
]
MOODS = [
    "calm",
    "content",
    "tired",
    "happy",
    "contemplative",
    "busy",
    "nostalgic",
    "cheerful",
    "grumpy about trains",
]
MUSIC = [
    "Erik Satie - Gymnopédie No. 1",
    "Nina Simone - Feeling Good",
    "the rain on the skylight",
    "Arvo Pärt - Spiegel im Spiegel",
    "Kate Bush - Running Up That Hill",
]
LOCATIONS = ["back garden", "the kitchen table", "on the train", "the library", "home"]
COMMENTERS = [
    "willowmere",
    "tamsin_k",
    "leafreader",
    "oolong_owl",
    "marrowbone",
    "kestrel_dawn",
    "fernwick",
    "greyhaven",
    "lumen_ink",
    "quillfeather",
    "harbourlight",
    "pemberly_j",
    "saltmarsh",
    "tinderbox",
    "wrenfield",
    "ashgrove",
    "blue_heron",
    "copperkettle",
    "dovetail",
    "emberly",
]
OPENID_COMMENTERS = ["alice.example.net", "bookish.example.org/~rowan"]
SUSPENDED_COMMENTERS = ["spam_lord_9000", "ghost_of_kestrel"]


class Phrases:
    """Cheap deterministic prose from a seeded RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self) -> str:
        r = self.rng
        return (
            f"The {r.choice(ADJECTIVES)} {r.choice(WORDS)} {r.choice(VERBS)} the "
            f"{r.choice(ADJECTIVES)} {r.choice(WORDS)} by the {r.choice(WORDS)}."
        )

    def paragraph(self, sentences: int = 3) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def body(self, paragraphs: int) -> str:
        if self.rng.random() < 0.5:
            return "".join(
                f"<p>{self.paragraph(self.rng.randint(2, 4))}</p>" for _ in range(paragraphs)
            )
        return "<br /><br />".join(
            self.paragraph(self.rng.randint(2, 4)) for _ in range(paragraphs)
        )

    def subject(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.1:
            return ""
        words = f"{r.choice(ADJECTIVES).capitalize()} {r.choice(WORDS)}"
        if roll < 0.14:
            return f"<i>{words}</i>"
        if roll < 0.17:
            return f"<b>{words}</b> and {r.choice(WORDS)}"
        if roll < 0.19:
            return f"{words} &amp; {r.choice(WORDS)}"
        return words


@dataclass
class CommentSpec:
    """A comment to add: `key` names it so later specs can reply to it via `parent`."""

    key: str
    parent: str | None
    author: str | None
    subject: str = ""
    body: str = ""
    minutes: int = 60  # minutes after the entry's log time
    state: str = "visible"
    userpic_keyword: str | None = None
    author_kind: str | None = None  # derived from the author when None
    poster_tz_offset: int | None = None
    edited_minutes: int | None = None


def add_comments(
    journal: FakeJournal, entry: FakeEntry, specs: list[CommentSpec], first_talkid: int
) -> int:
    """Attach specs as FakeComments with dtalkids from first_talkid on; returns the next talkid."""
    keys: dict[str, int] = {}
    base = journal.logtime(entry)
    talkid = first_talkid
    comments = []
    for spec in specs:
        commentid = (talkid << 8) + entry.anum
        talkid += 1
        keys[spec.key] = commentid
        kind = spec.author_kind or (
            "anonymous" if spec.author is None else ("openid" if "." in spec.author else "user")
        )
        comments.append(
            FakeComment(
                commentid=commentid,
                parent=keys[spec.parent] if spec.parent else None,
                author=spec.author,
                subject=spec.subject,
                body_html=spec.body,
                posted_at=base + timedelta(minutes=spec.minutes),
                state=spec.state,
                userpic_keyword=spec.userpic_keyword,
                author_kind=kind,
                poster_tz_offset=spec.poster_tz_offset,
                edited_at=base + timedelta(minutes=spec.edited_minutes)
                if spec.edited_minutes
                else None,
            )
        )
    entry.comments.extend(comments)
    return talkid


def _comment_count(rng: random.Random, low: int, high: int, mean: float) -> int:
    if high <= low:
        return low
    if rng.random() < 0.4:
        return low
    alpha, share = 1.5, 0.6  # Pareto tail; share of entries that get comments at all
    scale = max(0.01, (mean / share + 0.5) / (alpha / (alpha - 1)))
    for _ in range(2):  # correct for the cap at `high` (truncated Pareto mean)
        cap = max(1.0, (high - low) / scale)
        capped_mean = (alpha - cap ** (1 - alpha)) / (alpha - 1)
        scale = max(0.01, (mean / share + 0.5) / capped_mean)
    return min(high, low + int(scale * rng.paretovariate(alpha)))


def _comment_state(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.03:
        return "deleted"
    if roll < 0.055:
        return "screened"
    if roll < 0.065:
        return "frozen"
    return "visible"


def _pick_author(rng: random.Random) -> tuple[str | None, str]:
    roll = rng.random()
    if roll < 0.06:
        return None, "anonymous"
    if roll < 0.09:
        return rng.choice(OPENID_COMMENTERS), "openid"
    if roll < 0.097:
        return rng.choice(SUSPENDED_COMMENTERS), "suspended"
    return rng.choice(COMMENTERS), "user"


def _random_specs(
    rng: random.Random, phrases: Phrases, count: int, owner: str
) -> list[CommentSpec]:
    specs: list[CommentSpec] = []
    minutes = 0
    deep = rng.random() < 0.15
    for i in range(count):
        minutes += 1 + int(rng.expovariate(1 / 90))
        if i == 0 or (not deep and rng.random() < 0.35):
            parent = None
        elif deep and rng.random() < 0.7:
            parent = f"c{i - 1}"
        else:
            back = min(i - 1, int(rng.expovariate(0.4)))
            parent = f"c{i - 1 - back}"
        author, kind = _pick_author(rng)
        if kind == "user" and rng.random() < 0.2:
            author = owner
        state = "suspended" if kind == "suspended" else _comment_state(rng)
        specs.append(
            CommentSpec(
                key=f"c{i}",
                parent=parent,
                author=author,
                subject=phrases.subject() if rng.random() < 0.4 else "",
                body=phrases.paragraph(rng.randint(1, 2)),
                minutes=minutes,
                state=state,
                author_kind="user" if kind == "suspended" else kind,
                poster_tz_offset=rng.choice([None, None, -300, 0, 60, 120, 600]),
            )
        )
    return specs


def _posting_times(rng: random.Random, n: int, start: date, end: date) -> list[datetime]:
    span = max(1, (end - start).days)
    days: list[int] = []
    for _ in range(n):
        if days and rng.random() < 0.12:
            days.append(days[-1])  # another entry on a busy day
        else:
            days.append(rng.randrange(span))
    days.sort()
    times = []
    for offset in days:
        moment = datetime.combine(start + timedelta(days=offset), datetime.min.time())
        times.append(moment + timedelta(hours=rng.randint(7, 22), minutes=rng.randint(0, 59)))
    times.sort()
    return times


def generate_journal(
    name: str,
    n_entries: int,
    seed: int,
    comments: tuple[int, int] = (0, 300),
    start: date | None = None,
    type: str = "personal",
    style: StyleSettings | None = None,
    *,
    end: date | None = None,
    mean_comments: float = 5.0,
    locked_rate: float = 0.06,
    cut_rate: float = 0.15,
    posters: list[str] | None = None,
    title: str | None = None,
    page_generated: datetime | None = None,
    rendering: str = "core2",
) -> FakeJournal:
    """A deterministic journal of n_entries entries (same arguments, same journal)."""
    if rendering not in RENDERINGS:
        raise ValueError(f"unknown rendering {rendering!r}; one of {', '.join(RENDERINGS)}")
    style = style_for(rendering, style)
    rng = random.Random(f"{name}:{seed}")
    phrases = Phrases(rng)
    page_generated = page_generated or datetime(2025, 7, 4, 18, 0)
    end = end or (page_generated.date() - timedelta(days=1))
    if start is None:
        start = max(date(2001, 1, 1), end - timedelta(days=max(60, n_entries * 3)))
    journal = FakeJournal(
        name=name,
        type=type,
        title=title or f"{name.replace('_', ' ').title()}",
        subtitle="generated for tests",
        display_name=name.replace("_", " ").title(),
        bio_html=f"<p>{phrases.paragraph(2)}</p>",
        interests=sorted(
            set(rng.sample(["tea", "maps", "gardens", "birds", "trains", "books", "knitting"], 3))
        ),
        style=style or StyleSettings(),
        userpic_keywords=["default", "happy", "thinking"],
        page_generated=page_generated,
        created=start - timedelta(days=30),
    )
    if type == "community":
        posters = posters or COMMENTERS[:6]
        journal.maintainers = posters[:2]
        journal.members = sorted(set(posters + COMMENTERS[6:12]))
    entries = _make_entries(
        journal, rng, phrases, n_entries, start, end, posters, locked_rate, cut_rate
    )
    journal.entries = entries
    _make_all_comments(journal, rng, phrases, comments, mean_comments)
    return journal


def style_for(rendering: str, style: StyleSettings | None = None) -> StyleSettings:
    """The StyleSettings a journal in `rendering` has (a given `style` is updated in place)."""
    if style is None:
        style = StyleSettings()
        if rendering == "zesty":
            style.entries_per_page = ZESTY_ENTRIES_PER_PAGE
    if rendering in LAYOUT_NAMES:
        style.layout = rendering
        style.layout_name = LAYOUT_NAMES[rendering]
    elif rendering == "siteviews":
        style.entry_pages_in_journal_style = False
    return style


def _make_entries(
    journal: FakeJournal,
    rng: random.Random,
    phrases: Phrases,
    n: int,
    start: date,
    end: date,
    posters: list[str] | None,
    locked_rate: float,
    cut_rate: float,
) -> list[FakeEntry]:
    entries = []
    for jitemid, moment in enumerate(_posting_times(rng, n, start, end), start=1):
        roll = rng.random()
        security = "public"
        if roll < locked_rate:
            security = rng.choice(["access", "access", "private", "custom"])
        has_cut = rng.random() < cut_rate
        entries.append(
            FakeEntry(
                itemid=(jitemid << 8) + rng.randrange(256),
                subject=phrases.subject(),
                body_html=phrases.body(rng.randint(1, 3)),
                posted_at=moment,
                poster=rng.choice(posters) if posters else journal.name,
                security=security,
                tags=sorted(set(rng.sample(TAGS, rng.randint(0, 3)))),
                mood=rng.choice(MOODS) if rng.random() < 0.3 else None,
                music=rng.choice(MUSIC) if rng.random() < 0.15 else None,
                location=rng.choice(LOCATIONS) if rng.random() < 0.1 else None,
                userpic_keyword=rng.choice([None, "happy", "thinking"]),
                cut_html=f"<p>{phrases.paragraph(4)}</p>" if has_cut else None,
                cut_label=rng.choice([None, "more under the cut", "( details )"])
                if has_cut
                else None,
            )
        )
    return entries


def _make_all_comments(
    journal: FakeJournal, rng: random.Random, phrases: Phrases, bounds: tuple[int, int], mean: float
) -> None:
    talkid = 1
    low, high = bounds
    for entry in journal.entries:
        count = _comment_count(rng, low, high, mean)
        if count:
            specs = _random_specs(rng, phrases, count, entry.poster)
            talkid = add_comments(journal, entry, specs, talkid)


def journal_summary(journal: FakeJournal) -> dict[str, int]:
    """Counts that describe a generated journal (for reports and tests)."""
    public = [e for e in journal.entries if e.is_public]
    return {
        "entries": len(journal.entries),
        "public_entries": len(public),
        "comments": sum(len(e.comments) for e in journal.entries),
        "years": len({e.posted_at.year for e in public}),
        "days": len({e.posted_at.date() for e in public}),
        "userid": stable_number("user:" + journal.name, 9_000_000, 100_000),
    }

"""The sample site: personal journal `nairiporter` and community `tea_garden`, built deterministically.

nairiporter ("Morning Notes", Nairi Porter) has 126 public entries from 2022 to June 2025 plus
locked ones (absent for anonymous readers), including the seed entry of 18 June 2025 (userpic
"sunrays", the text of the shared seed page) and, on 5 November 2024, an open thread with 72
comments (deep chain, replies under deleted and screened comments, anonymous and OpenID
commenters, a frozen thread, a reply from a suspended user) that needs ?page= and ?thread=
requests. Its June 2025 calendar shows entries on the 11th and the 18th only; pages say
"Page generated Jul. 4th, 2025 06:00 pm".

tea_garden ("The Tea Garden") is a community with five posters, maintainers, moderators and
members, 16 entries (one members-only) and non-default style settings (10 entries per page, ISO
dates, 24-hour times, long comment dates).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from .generate import COMMENTERS, CommentSpec, Phrases, _random_specs, add_comments
from .model import FakeEntry, FakeJournal, StyleSettings

PAGE_GENERATED = datetime(2025, 7, 4, 18, 0)
SEED_POSTED_AT = datetime(2025, 6, 18, 19, 40)
BIG_THREAD_POSTED_AT = datetime(2024, 11, 5, 20, 15)

SEED_PARAGRAPHS = [
    (
        "The reports that Russia may have agreed with the US on an exchange of intel related to the "
        "Islamic State has caused quite a stir in Moscow. The Russian ministry of foreign affairs hurried "
        "to deny these allegations with such vigour that one thing became very clear from the whole "
        "debacle: Putin's government is only prepared to give unofficial support to the US-lead "
        "operation in Syria/Iraq."
    ),
    (
        "The first reason for this behaviour is that it was the US who initiated the struggle against "
        "the jihadists. Anti-Americanism is sadly so strong among the Russian leaders that the very "
        "participation of Americans in any project makes it impossible for Russia to officially join it. "
        "That, of course, is hardly rational and sensible behaviour, including from a Realpolitik point "
        "of view, which has become so fashionable in Russia lately. The latest statements of foreign "
        "minister Lavrov are proof that even if it came to defending themselves from, say, an alien "
        'invasion, the Russians would still refuse to cooperate with the "hawks" at the Pentagon.'
    ),
    (
        "And let's not forget that Assad remains Russia's ally. That Assad alone (and not the US) is the "
        "sole culprit for the rise of ISIL, is not a popular view in Russia, to say the least. Meanwhile, "
        "the experts in Moscow know full well that the jihadists have consistently pointed at Russia as "
        "one of their primary targets. But apparently, the Russian intelligence services are completely "
        "sure in their own capabilities, and are not concerned by the fact that over 800 Russian "
        "citizens are presently fighting in Syria and Iraq, veterans from Chechnya among them. There are "
        "also volunteers from other regions of North Caucasus, and also from Bashkortostan and "
        "Tatarstan. If the extremists return to Russia at some point, the intelligence services and the "
        "police will have to deal with them. It is therefore incomprehensible why the Kremlin keeps "
        "pretending to not be concerned about these things, provided that there have already been "
        "several terror attacks in Moscow, organised by Islamists from North Caucasus."
    ),
    (
        "One thing the Russians are probably right about, though. The chances for a direct military "
        "threat to Russia, including from the Central Asian region, is very slim right now. At least "
        "until the Kazakh president Nursultan Nazarbayev is alive, and his Uzbek counterpart Islam "
        'Karimov, too. These two countries are the only ones from Russia\'s "buffer zone" from where a '
        "possible Islamist threat could emerge. The IS could hardly reach Russia's borders through "
        "alternative corridors. There are just too many obstacles on the way: Azerbaijan, Armenia, "
        "Iran, Turkey. The list could go on."
    ),
    (
        "In a nutshell, from their own standpoint, the Russians are taking a pragmatic position. They "
        "will stay on the sidelines and watch the struggle between the West and the militant Sunni "
        "Islam, and will be helping only when it suits them. There is hardly anyone who could force "
        "Putin to change his position on this, unless the situation becomes so bad that the US are "
        "compelled to make an alliance with Iran, and bring Turkey along, as well. Then, of course, "
        "Russia will be no longer able to stand aside. But for the time being, the Russian ministry of "
        "defense keeps insisting that the US should coordinate their bombing against IS with Assad. And "
        "in the meantime, Russia will keep selling weapons to that same Assad, to the Iraqi military and "
        "the Kurdish militia. But an exchange of intel between Russia and the US cannot be expected to "
        'happen any time soon. At least until Putin stops seeing the "long hand" of the West as the '
        "primary source of all his economic and political woes."
    ),
]

SUBJECTS = [
    "Apricot windows",
    "Marigolds",
    "Rain, again",
    "The long way to the bakery",
    "Notes from the allotment",
    "A map of the old town",
    "Linden honey",
    "On not finishing books",
    "Ferry weather",
    "Small victories",
    "The kettle sings",
    "What the river said",
    "Second-hand atlas",
    "Grey morning, green tea",
    "Letters I did not send",
    "Chestnut season",
    "The quiet carriage",
    "Half a loaf",
    "Birdsong census",
    "Repotting the basil",
    "Lamp-lighting",
    "Spring cleaning, sort of",
    "A stranger's umbrella",
    "Station cats",
    "Thunder at teatime",
    "Nothing much",
    "The library's new wing",
    "Pears",
]
PARAGRAPHS = [
    (
        "The light came in low over the roofs this morning, and for a few minutes every window on the "
        "street turned the colour of apricots."
    ),
    (
        "I took the long way to the bakery. The chestnut trees by the school have finished flowering, "
        "and the pavement is still dusted with their pale petals."
    ),
    (
        "Back home, I repotted the basil and wrote down three things to remember about the week. None of "
        "them were important; all of them were pleasant."
    ),
    "Rain all afternoon. The gutters sang and I finished the library book I had been avoiding.",
    (
        "The ferry was late again, which meant twenty extra minutes of watching gulls argue over a "
        "sandwich someone had dropped on the pier."
    ),
    (
        "My neighbour has started leaving windfall pears on the wall between our gardens, one at a time, "
        "like a very slow conversation."
    ),
    (
        "I spent the evening with an old atlas, tracing railway lines that no longer exist and towns "
        "that changed their names twice."
    ),
    "Tea, toast, the radio murmuring about weather somewhere else. A good enough start.",
    (
        "At the market the man who sells honey remembered me and asked about the bees on my balcony. "
        "There are no bees on my balcony. I did not correct him."
    ),
    "Walked along the river until the path ran out, then a little further, then back.",
    "Wrote three letters, posted one. The other two are in the drawer with the others.",
    "Somebody has chalked a hopscotch grid outside the post office, numbered up to twelve.",
]


def _body(rng: random.Random, count: int) -> str:
    chosen = rng.sample(PARAGRAPHS, count)
    if rng.random() < 0.6:
        return "".join(f"<p>{p}</p>" for p in chosen)
    return "<br /><br />".join(chosen)


def _seed_body() -> str:
    text = "<br /><br />".join(SEED_PARAGRAPHS)
    return text.replace("&", "&amp;")


# --- nairiporter ----------------------------------------------------------------------------


def _filler_days(rng: random.Random) -> list[datetime]:
    """122 public posting times 2022-01 .. 2025-05: 108 days, 12 doubles, 2 triples."""
    start, end = date(2022, 1, 3), date(2025, 5, 28)
    offsets = sorted(rng.sample(range((end - start).days), 108))
    days = [start + timedelta(days=o) for o in offsets]
    busy = rng.sample(days, 14)
    times = []
    for day in days:
        repeats = 1 + (day in busy) + (day in busy[:2])
        for i in range(repeats):
            times.append(
                datetime.combine(day, datetime.min.time())
                + timedelta(hours=8 + 5 * i, minutes=rng.randint(0, 59))
            )
    return sorted(times)


def _filler_entry(rng: random.Random, phrases: Phrases, moment: datetime, n: int) -> FakeEntry:
    subject = SUBJECTS[n % len(SUBJECTS)]
    if n % 9 == 4:
        subject = ""
    elif n % 13 == 5:
        subject = f"<i>{subject}</i>"
    elif n % 17 == 7:
        subject = f"<b>{subject.split()[0]}</b> {' '.join(subject.split()[1:])}".strip()
    cut = n % 7 == 3
    return FakeEntry(
        itemid=0,
        subject=subject,
        body_html=_body(rng, rng.randint(1, 3)),
        posted_at=moment,
        poster="nairiporter",
        tags=sorted(
            set(
                rng.sample(
                    [
                        "gardens",
                        "weather",
                        "books",
                        "tea",
                        "walking",
                        "maps",
                        "daily life",
                        "fandom:books",
                        "fandom:tv",
                    ],
                    rng.randint(1, 3),
                )
            )
        ),
        mood=rng.choice(["calm", "content", "tired", "nostalgic", "cheerful"])
        if n % 3 == 0
        else None,
        music=rng.choice(["Erik Satie - Gymnopédie No. 1", "Nina Simone - Feeling Good"])
        if n % 8 == 1
        else None,
        location="back garden" if n % 10 == 2 else None,
        userpic_keyword=rng.choice(["sunrays", "garden", None]),
        cut_html=f"<p>{phrases.paragraph(4)}</p><p>{phrases.paragraph(3)}</p>" if cut else None,
        cut_label=rng.choice([None, "What else went in", "the rest of the list"]) if cut else None,
    )


def _locked_entries(rng: random.Random, filler: list[datetime]) -> list[FakeEntry]:
    """Locked entries: some on days that also have public entries, two in June/July 2025."""
    shared_days = rng.sample(filler, 4)
    moments = [d + timedelta(hours=1, minutes=7) for d in shared_days]
    moments += [
        datetime(2023, 2, 14, 22, 30),
        datetime(2024, 8, 1, 7, 5),
        datetime(2025, 6, 25, 21, 0),
        datetime(2025, 7, 2, 9, 30),
    ]
    securities = ["access", "private", "access", "custom", "private", "access", "access", "private"]
    return [
        FakeEntry(
            itemid=0,
            subject=f"Locked note {i + 1}",
            body_html="<p>Only for friends.</p>",
            posted_at=moment,
            poster="nairiporter",
            security=securities[i],
            tags=["private thoughts"] if i % 2 else ["gardens"],
        )
        for i, moment in enumerate(moments)
    ]


def _specials() -> list[FakeEntry]:
    return [
        FakeEntry(
            itemid=0,
            subject="<i>Linden</i> season",
            body_html="<p>The lindens on our street are in flower and the whole block smells of honey.</p>",
            posted_at=datetime(2025, 6, 11, 8, 15),
            poster="nairiporter",
            tags=["gardens", "weather"],
            mood="happy",
            music="Erik Satie - Gymnopédie No. 1",
            userpic_keyword="garden",
            cut_html="<p>A list of every tree I passed on the way to work, with notes on which ones the bees preferred.</p>",
            cut_label="The linden census",
        ),
        FakeEntry(
            itemid=0,
            subject="",
            body_html="Short one: the swifts are back.",
            posted_at=datetime(2025, 6, 11, 21, 40),
            poster="nairiporter",
            tags=["birds"],
            location="the kitchen table",
            userpic_keyword="sunrays",
        ),
        FakeEntry(
            itemid=0,
            subject="Why Moscow keeps to the sidelines",
            body_html=_seed_body(),
            posted_at=SEED_POSTED_AT,
            poster="nairiporter",
            tags=["politics", "russia", "syria"],
            mood="contemplative",
            userpic_keyword="sunrays",
        ),
        FakeEntry(
            itemid=0,
            subject="Open thread: what are you reading this winter?",
            body_html="<p>Tell me everything. Replies to replies welcome; I will read them all.</p>",
            posted_at=BIG_THREAD_POSTED_AT,
            poster="nairiporter",
            tags=["books", "open thread"],
            mood="curious",
            userpic_keyword="books",
        ),
    ]


def _big_thread_specs() -> list[CommentSpec]:
    """72 comments: 34 top-level threads, 67 shown (so 25 threads per page, 2 pages)."""
    s: list[CommentSpec] = []
    minute = [0]

    def add(
        key: str,
        parent: str | None,
        author: str | None,
        subject: str = "",
        state: str = "visible",
        **kw: object,
    ) -> None:
        minute[0] += 7
        body = (
            kw.pop("body", None)
            or f"Comment {key}: {subject or 'a thought about books'} &mdash; more soon."
        )
        s.append(CommentSpec(key, parent, author, subject, str(body), minute[0], state, **kw))  # type: ignore[arg-type]

    add("t0", None, "willowmere", "Reading list, part one", poster_tz_offset=-300)
    add("t0a", "t0", "nairiporter", "", userpic_keyword="books")
    add("t0b", "t0", "tamsin_k", "Seconded", poster_tz_offset=60)
    parent = "t0b"
    for depth in range(1, 9):  # a deep chain under t0b
        key = f"t0d{depth}"
        add(
            key,
            parent,
            "willowmere" if depth % 2 else "nairiporter",
            f"Down the rabbit hole {depth}" if depth % 3 else "",
        )
        parent = key
    add("t1", None, None, "", body="Anonymous here: the new translation of the Odyssey.")
    add("t1a", "t1", "nairiporter", "Which one?", edited_minutes=900)
    add("t2", None, "tamsin_k", "I take it back", state="deleted")
    add("t2a", "t2", "leafreader", "What did they say?")
    add("t2b", "t2a", None, "", body="Something about spoilers, I think.")
    add("t3", None, "oolong_owl", "Link to my shop", state="screened")
    add("t3a", "t3", "nairiporter", "Screened for now")
    add("t4", None, "marrowbone", "Heated opinions", state="frozen")
    add("t4a", "t4", "kestrel_dawn", "Calm down", state="frozen")
    add("t4b", "t4a", "marrowbone", "", state="frozen")
    add("t5", None, "fernwick", "Poetry counts")
    add("t5a", "t5", "spam_lord_9000", "BUY CHEAP BOOKS", state="suspended")
    add("t5b", "t5a", "fernwick", "Ignore that")
    add("t6", None, "alice.example.net", "From elsewhere", author_kind="openid")
    add("t7", None, "greyhaven", "Tea & biscuits", body="Reading cookbooks, mostly.")
    add("t7a", "t7", "nairiporter", "")
    add("t8", None, "lumen_ink", "Comics")
    add("t8a", "t8", "quillfeather", "Which ones?")
    add("t8b", "t8", "harbourlight", "Seconding the question")
    add("t8c", "t8a", "lumen_ink", "All of them")
    add("t8d", "t8c", "saltmarsh", "never mind", state="deleted")  # deleted leaf: not shown at all
    add("t9", None, "pemberly_j", "Austen reread")
    add("t9x", "t9", "saltmarsh", "oops", state="deleted")  # deleted leaf: not shown at all
    add("t9y", "t9", "tinderbox", "hidden", state="screened")  # screened leaf: not shown at all
    for i, author in enumerate(COMMENTERS[10:] + COMMENTERS[:14], start=10):
        add(f"t{i}", None, author, f"Pick number {i}" if i % 4 else "")
        if i % 3 == 0:
            add(f"t{i}a", f"t{i}", "nairiporter", f"Re: pick {i}")
        if i % 5 == 0:
            add(f"t{i}b", f"t{i}", None, "", body="Anonymous agreement.")
    return s


def _small_specs(rng: random.Random, phrases: Phrases, n: int) -> list[CommentSpec]:
    specs = _random_specs(rng, phrases, n, "nairiporter")
    for spec in specs:
        if spec.author and spec.author in ("spam_lord_9000", "ghost_of_kestrel"):
            spec.author, spec.state = "willowmere", "visible"
    return specs


def build_nairiporter() -> FakeJournal:
    rng = random.Random(20250704)
    phrases = Phrases(rng)
    journal = FakeJournal(
        name="nairiporter",
        title="Morning Notes",
        subtitle="small observations",
        display_name="Nairi Porter",
        bio_html="<p>Notes on gardens, weather, tea and, now and then, the news.</p>",
        website=("My Website", "https://example.org/nairi"),
        location="Leeds, United Kingdom",
        birthdate=date(1984, 3, 14),
        interests=["gardens", "international politics", "maps", "tea", "walking"],
        created=date(2009, 5, 1),
        account_type="Paid Account",
        userpic_keywords=["sunrays", "garden", "books"],
        page_generated=PAGE_GENERATED,
        tz_offset=60,
        comments_posted=412,
        memories=2,
    )
    filler_times = _filler_days(rng)
    entries = [_filler_entry(rng, phrases, t, n) for n, t in enumerate(filler_times)]
    entries += _locked_entries(rng, filler_times)
    entries += _specials()
    entries.sort(key=lambda e: e.posted_at)
    for jitemid, entry in enumerate(entries, start=1):
        entry.itemid = (jitemid << 8) + rng.randrange(256)
    journal.entries = entries
    _add_nairiporter_comments(journal, rng, phrases)
    return journal


def _add_nairiporter_comments(journal: FakeJournal, rng: random.Random, phrases: Phrases) -> None:
    talkid = 1
    for n, entry in enumerate(journal.entries):
        if entry.posted_at == BIG_THREAD_POSTED_AT:
            talkid = add_comments(journal, entry, _big_thread_specs(), talkid)
        elif entry.posted_at == SEED_POSTED_AT:
            specs = [
                CommentSpec(
                    "a",
                    None,
                    "willowmere",
                    "Buffer zones",
                    "<p>The Central Asia point is the one I keep coming back to.</p>",
                    95,
                    poster_tz_offset=-300,
                ),
                CommentSpec(
                    "b",
                    "a",
                    "nairiporter",
                    "",
                    "Same. Nobody talks about it.",
                    140,
                    userpic_keyword="sunrays",
                ),
                CommentSpec("c", None, None, "", "Good summary, thank you.", 300),
            ]
            talkid = add_comments(journal, entry, specs, talkid)
        elif entry.is_public and entry.subject != "" and n % 4 == 1:
            talkid = add_comments(
                journal, entry, _small_specs(rng, phrases, rng.randint(1, 6)), talkid
            )


# --- tea_garden -----------------------------------------------------------------------------

TEA_POSTERS = ["willowmere", "nairiporter", "tamsin_k", "leafreader", "oolong_owl"]
TEA_SUBJECTS = [
    "Welcome, leaf lovers",
    "First flush Darjeeling",
    "Cold brew experiments",
    "<b>Matcha</b> whisking tips",
    "Teapot recommendations?",
    "Oolong tasting notes",
    "",
    "Rooibos is not tea (fight me)",
    "Kettle temperatures",
    "Our spring swap",
    "Storing loose leaf",
    "Pu-erh for beginners",
    "Members-only: swap addresses",
    "Tea and rain",
    "Summer iced tea thread",
    "Linden blossom tisane",
]


def build_tea_garden() -> FakeJournal:
    rng = random.Random(4242)
    phrases = Phrases(rng)
    journal = FakeJournal(
        name="tea_garden",
        type="community",
        title="The Tea Garden",
        subtitle="a community for leaf lovers",
        display_name="Tea Garden",
        bio_html="<p>Share your brews, your pots and your cosy corners.</p>",
        location="Leeds, United Kingdom",
        interests=["oolong", "tea", "teapots"],
        created=date(2012, 4, 2),
        account_type="Free Account",
        userpic_keyword="teacup",
        page_generated=PAGE_GENERATED,
        style=StyleSettings(
            entries_per_page=10,
            entry_date_format="iso",
            entry_time_format="short_24",
            comment_date_format="long",
        ),
        maintainers=["willowmere", "nairiporter"],
        moderators=["tamsin_k"],
        members=sorted(
            set(
                TEA_POSTERS
                + ["fernwick", "greyhaven", "lumen_ink", "kestrel_dawn", "emberly", "dovetail"]
            )
        ),
        community_theme="Tea, teapots and the people who love them.",
    )
    day = datetime(2024, 3, 2, 10, 0)
    entries = []
    for n, subject in enumerate(TEA_SUBJECTS):
        if n not in (5, 11):  # two days carry two entries
            day = day + timedelta(days=rng.randint(12, 40), hours=rng.randint(-3, 3))
        else:
            day = day + timedelta(hours=5, minutes=12)
        entries.append(
            FakeEntry(
                itemid=((n + 1) << 8) + rng.randrange(256),
                subject=subject,
                body_html=f"<p>{phrases.paragraph(3)}</p>",
                posted_at=day,
                poster=TEA_POSTERS[n % len(TEA_POSTERS)],
                security="access" if "Members-only" in subject else "public",
                tags=sorted(
                    set(
                        rng.sample(
                            ["oolong", "green tea", "teaware", "recipes", "swap", "events"], 2
                        )
                    )
                ),
                mood="content" if n % 4 == 0 else None,
                userpic_keyword=None,
                cut_html=f"<p>{phrases.paragraph(3)}</p>" if n % 6 == 2 else None,
            )
        )
    journal.entries = entries
    talkid = 1
    for n, entry in enumerate(entries):
        if entry.is_public and n % 3 != 2:
            specs = _small_specs(rng, phrases, rng.randint(1, 5))
            talkid = add_comments(journal, entry, specs, talkid)
    return journal


def build_sample_site() -> list[FakeJournal]:
    """The two sample journals, freshly built (callers may mutate them freely)."""
    return [build_nairiporter(), build_tea_garden()]


def seed_entry(journal: FakeJournal) -> FakeEntry:
    """nairiporter's seed entry (18 June 2025)."""
    return next(e for e in journal.entries if e.posted_at == SEED_POSTED_AT)


def big_thread_entry(journal: FakeJournal) -> FakeEntry:
    """nairiporter's open thread with 72 comments (5 November 2024)."""
    return next(e for e in journal.entries if e.posted_at == BIG_THREAD_POSTED_AT)

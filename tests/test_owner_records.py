"""Owner mode records: getevents entries and exported comments -> EntryRecord / CommentRecord."""

from __future__ import annotations

import dataclasses

import pytest

from scraper.parse.owner import build, export, protocol
from scraper.records import COMMENT_STATES, SECURITY_VALUES
from tests.parse_support import fixture
from tests.test_parse_entry import SAMPLE_BODY_HTML, SAMPLE_ENTRY


def _events() -> dict[int, protocol.ProtocolEvent]:
    return {e.jitemid: e for e in protocol.parse_getevents(fixture("owner_getevents.xml"))}


def _entries() -> dict[int, object]:
    return {
        j: build.entry_record(e, journal="nairiporter", mood_names={15: "happy"})
        for j, e in _events().items()
    }


def test_public_entry_record() -> None:
    rec = _entries()[12]
    assert rec.itemid == 12 * 256 + 57 == 3129
    assert rec.url == "https://nairiporter.dreamwidth.org/3129.html"
    assert (rec.subject, rec.subject_html) == ("Morning walk", "Morning walk")
    assert rec.posted_at == "2024-10-05T08:15"  # eventtime, not logtime
    assert rec.date_text == "2024-10-05 08:15:00"
    assert rec.tags == ("autumn", "birds", "walks")  # as the page lists them: sorted
    assert (rec.mood, rec.music, rec.location) == (
        "calm",
        "Erik Satie - Gymnopédie No. 1",
        "Riverside park",
    )
    assert rec.userpic_keyword == "sunrays"
    assert (rec.poster, rec.journal, rec.security, rec.allowmask) == (
        "nairiporter",
        "nairiporter",
        "public",
        None,
    )
    assert rec.restrictions is None
    assert rec.body_text == (
        "Morning walk.\nThe robin_watch bird is back: http://example.com/birds?id=1&x=2.\n"
        "Down the hill,\npast the bakery."
    )
    assert rec.body_source == _events()[12].event
    assert rec.editor == "html_casual1"
    assert rec.props["revnum"] == "2"
    assert rec.has_cut is False and rec.comment_count is None


def test_security_words_and_masks() -> None:
    entries = _entries()
    assert {j: (r.security, r.allowmask) for j, r in entries.items()} == {
        12: ("public", None),
        13: ("access", 1),
        14: ("custom", 2**60 + 1),
        15: ("private", None),
        16: ("private", 0),
        17: ("custom", 6442450944),
    }
    assert all(r.security in SECURITY_VALUES for r in entries.values())
    assert build.entry_security("usemask", 3) == "custom"
    assert build.entry_security("something-new", None) == "private"


def test_locked_entry_record_non_ascii_and_format_guess() -> None:
    rec = _entries()[13]
    assert rec.subject == "Café au lait ☕"
    assert rec.editor == "html_raw0"  # opt_preformatted, no editor prop
    assert rec.body_text == "Über den Wolken — «ok»\nZweite Zeile: fett @robin_watch"
    assert rec.userpic_keyword == "Schön"
    assert rec.tags == ("bücher",)
    assert rec.restrictions == "nsfw"


def test_community_poster_old_entry_and_mood_id() -> None:
    rec = _entries()[16]
    assert rec.poster == "willowmere"
    assert rec.editor == "html_casual0"  # logged 2018: before @mentions
    assert rec.body_text == "Posted by a member, years ago: hello @robin_watch!"
    assert (rec.subject, rec.subject_html) == ("Old draft", "Old <b>draft</b>")
    assert rec.mood == "happy"  # current_moodid through getmoods' names
    assert rec.userpic_keyword is None


def test_numbers_sent_as_ints_and_legacy_markdown() -> None:
    entries = _entries()
    assert (entries[14].subject, entries[14].body_text) == ("007", "42")
    assert entries[17].editor == "markdown0"
    assert entries[17].body_text == "Groups only."
    assert entries[15].subject == "" and entries[15].tags == ()


def test_default_icon_keyword_is_the_callers() -> None:
    rec = build.entry_record(_events()[15], journal="nairiporter", default_userpic="Default")
    assert rec.userpic_keyword == "Default"


def test_public_entry_matches_the_html_path_field_by_field() -> None:
    """The sample entry page's record, rebuilt from what getevents would return for it."""
    event = protocol.ProtocolEvent(
        jitemid=12345 >> 8,
        anum=12345 & 255,
        eventtime="2025-07-04 08:15:00",
        logtime="2025-07-04 06:15:00",
        security="public",
        allowmask=None,
        poster=None,
        url="https://nairiporter.dreamwidth.org/12345.html",
        subject="Apricot windows",
        event=SAMPLE_BODY_HTML,
        props={
            "taglist": "weather, gardens",
            "current_mood": "calm",
            "current_music": "Erik Satie - Gymnopédie No. 1",
            "picture_keyword": "sunrays",
            "editor": "html_casual1",
        },
    )
    rec = build.entry_record(event, journal="nairiporter")
    differ = {"body_html", "date_text", "userpic_url", "comment_count"}  # see the report
    owner_only = {"allowmask", "body_source", "props", "editor"}
    for f in dataclasses.fields(SAMPLE_ENTRY):
        if f.name in differ or f.name in owner_only:
            continue
        assert getattr(rec, f.name) == getattr(SAMPLE_ENTRY, f.name), f.name


# --- comments --------------------------------------------------------------------------------


def _comments() -> build.OwnerComments:
    meta = export.parse_comment_meta(fixture("owner_comment_meta.xml"))
    bodies = [
        *export.parse_comment_body(fixture("owner_comment_body_1.xml")).comments,
        *export.parse_comment_body(fixture("owner_comment_body_empty.xml")).comments,
        *export.parse_comment_body(fixture("owner_comment_body_2001.xml")).comments,
    ]
    return build.comment_records(
        bodies,
        anums={12: 57, 14: 3},
        usermap=meta.usermap,
        states={c.jtalkid: c.state for c in meta.comments},
    )


def test_comment_ids_parents_depths() -> None:
    out = _comments()
    assert sorted(out.by_itemid) == [3129, 14 * 256 + 3]
    assert out.unknown_entries == (13,)  # comment 5's entry has no known anum
    walk = {c.commentid: c for c in out.by_itemid[3129]}
    assert sorted(walk) == [1 * 256 + 57, 2 * 256 + 57, 3 * 256 + 57, 4 * 256 + 57]
    assert walk[2 * 256 + 57].parent_commentid == 1 * 256 + 57
    assert [walk[i * 256 + 57].depth for i in (1, 2, 3, 4)] == [1, 2, 2, 3]


def test_comment_states_authors_and_text() -> None:
    walk = {c.commentid >> 8: c for c in _comments().by_itemid[3129]}
    first = walk[1]
    assert (first.author, first.author_kind, first.state) == ("robin_watch", "user", "visible")
    assert (first.subject, first.subject_html) == ("Lovely & bright", "Lovely &amp; bright")
    assert first.body_text == "What a walk!\nWhich bakery?"
    assert first.posted_at == "2024-10-05T09:01"
    assert first.props == {"picture_keyword": "birds"}  # poster_ip and useragent removed
    assert first.userpic_keyword == "birds"
    assert first.full and not first.collapsed
    screened = walk[2]
    assert (screened.state, screened.author) == ("screened", "nairiporter")
    assert screened.body_text == "The one by the river, robin_watch."  # text kept for the owner
    deleted = walk[3]
    assert (deleted.state, deleted.body_html, deleted.body_text, deleted.full) == (
        "deleted",
        None,
        None,
        False,
    )
    assert deleted.posted_at is None
    assert walk[4].state == "frozen"
    assert all(c.state in COMMENT_STATES for c in walk.values())
    assert build.visible_comment_count(walk.values()) == 2


def test_openid_anonymous_and_markdown_comments() -> None:
    other = {c.commentid >> 8: c for c in _comments().by_itemid[14 * 256 + 3]}
    openid = other[2301]
    assert (openid.author, openid.author_kind) == ("ext_1234", "openid")
    assert (
        openid.body_text == "See my post (http://example.org/x)"
    )  # untrusted OpenID: links as text
    assert "poster_ip" not in (openid.props or {})
    anon = other[2302]
    assert (anon.author, anon.author_kind) == (None, "anonymous")
    assert anon.body_text == "anon here"  # tables eaten for anonymous comments
    assert anon.posted_at == "2024-10-07T08:05"
    md = other[2303]
    assert (md.editor, md.body_text) == ("markdown0", "Markdown reply")
    assert md.depth == 3


def test_trusted_openid_links_stay_links() -> None:
    meta = export.parse_comment_meta(fixture("owner_comment_meta.xml"))
    bodies = export.parse_comment_body(fixture("owner_comment_body_2001.xml")).comments
    out = build.comment_records(
        bodies, anums={14: 3}, usermap=meta.usermap, trusted_openid={"ext_1234"}
    )
    first = out.by_itemid[14 * 256 + 3][0]
    assert first.body_text == "See my post"
    assert 'href="http://example.org/x"' in (first.body_html or "")


def test_suspended_posters_come_out_deleted() -> None:
    assert build.comment_state("D") == "deleted"
    assert build.comment_state(None) == "visible"
    assert build.comment_state("Q") == "screened"


@pytest.mark.parametrize(
    ("parents", "depths"),
    [
        ({1: None, 2: 1, 3: 2}, {1: 1, 2: 2, 3: 3}),
        ({5: 4}, {5: 2}),  # parent not exported
        ({1: 2, 2: 1}, {1: 2, 2: 1}),  # a cycle ends
    ],
)
def test_depths(parents: dict, depths: dict) -> None:
    assert build._depths(parents) == depths


def test_deep_threads_need_no_recursion() -> None:
    parents = {1: None, **{i: i - 1 for i in range(2, 5001)}}
    assert build._depths(parents)[5000] == 5000


def test_meta_states_for_incremental_refresh() -> None:
    pages = [
        export.parse_comment_meta(fixture("owner_comment_meta.xml")),
        export.parse_comment_meta(fixture("owner_comment_meta_next.xml")),
    ]
    states = build.meta_states(pages)
    assert states[2] == build.MetaState("screened", "nairiporter", "user")
    assert states[2301] == build.MetaState("visible", "ext_1234", "openid")
    assert states[2302] == build.MetaState("visible", None, "anonymous")
    assert states[4].state == "frozen" and states[9999].author == "robin_watch"
    assert build.merged_usermap(pages)[10] == "robin_watch"


def test_stored_answers_straight_to_records() -> None:
    entries = build.entries_from_getevents(fixture("owner_getevents.flat"), journal="nairiporter")
    assert [e.itemid for e in entries] == [3129, 3528]
    assert entries[0].body_text == _entries()[12].body_text
    out = build.comments_from_export(
        [fixture("owner_comment_meta.xml")],
        [fixture(n) for n in ("owner_comment_body_1.xml", "owner_comment_body_2001.xml")],
        anums={12: 57, 14: 3},
    )
    assert out.by_itemid == _comments().by_itemid

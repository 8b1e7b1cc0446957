"""Profile pages (views/profile/main.tt markup): personal and community."""

from __future__ import annotations

import pytest
from hypothesis import given

from scraper.errors import ParseError
from scraper.parse import parse_profile_page
from scraper.records import ProfileRecord
from tests.parse_support import FUZZ, any_text, deliberate, fixture, mutate, ops_strategy


def test_personal_profile():
    assert parse_profile_page(
        fixture("hand_profile_personal.html"), "https://nairiporter.dreamwidth.org/profile"
    ) == ProfileRecord(
        name="nairiporter",
        journal_type="personal",
        display_name="Nairi Porter",
        journal_title="Morning Notes",
        journal_subtitle="small observations",
        account_type="Paid Account",
        created_on="2009-05-01",
        last_updated="2025-07-04",
        user_number=123456,
        comments_received=1234,
        comments_posted=567,
        entries_count=321,
        tags_count=45,
        memories_count=2,
        icons_count=12,
        userpic_url="https://v.dreamwidth.org/1184203/4417001",
        bio_html="I write about <b>gardens</b> and weather.<br>Mostly mornings.",
        bio_text="I write about gardens and weather.\nMostly mornings.",
        birthdate="Jan 5",
        location="Yerevan, Armenia",
        website_name="My Website",
        website_url="https://example.org/nairi",
        interests=("erik satie", "knitting", "tea"),
        basics=(
            ("Name", "Nairi Porter"),
            ("Birthdate", "Jan 5"),
            ("Location", "Yerevan, Armenia"),
            ("Website", "My Website"),
        ),
        admins=(),
        moderators=(),
        members=(),
        extra={},
    )


def test_community_profile():
    assert parse_profile_page(
        fixture("hand_profile_community.html"), "https://tea-club.dreamwidth.org/profile"
    ) == ProfileRecord(
        name="tea_club",
        journal_type="community",
        display_name="Tea Club",
        journal_title="Tea Club",
        journal_subtitle=None,
        account_type="Free Account",
        created_on="2012-03-04",
        last_updated="2025-06-14",
        user_number=456789,
        comments_received=4321,
        comments_posted=None,
        entries_count=1024,
        tags_count=38,
        memories_count=0,
        icons_count=1,
        userpic_url="https://www.dreamwidth.org/img/profile_icons/comm.png",
        bio_html=None,
        bio_text=None,
        birthdate=None,
        location="Japan",
        website_name=None,
        website_url=None,
        interests=("oolong", "tea"),
        basics=(
            ("Name", "Tea Club"),
            ("Location", "Japan"),
            ("Membership", "Moderated"),
            ("Posting Access", "All Members, Moderated"),
            ("Community Description", "Tea, steeped and discussed."),
        ),
        admins=("nairiporter", "willowmere"),
        moderators=("tamsin_k",),
        members=("alice_b", "nairiporter", "tamsin_k", "willowmere"),
        extra={
            "Membership": "Moderated",
            "Posting Access": "All Members, Moderated",
            "Community Description": "Tea, steeped and discussed.",
        },
    )


def test_community_from_window_title_and_admin_lists_without_ids():
    html = fixture("hand_profile_community.html")
    html = html.replace("community.png", "x.png").replace("[community profile]", "[x]")
    html = (
        html.replace("id='maints_body'", "")
        .replace("id='mods_body'", "")
        .replace("id='members_people_body'", "")
    )
    rec = parse_profile_page(html, "https://tea-club.dreamwidth.org/profile")
    assert rec.journal_type == "community"
    assert rec.admins == ("nairiporter", "willowmere") and rec.moderators == ("tamsin_k",)
    assert rec.members == ("alice_b", "nairiporter", "tamsin_k", "willowmere")


def test_not_a_profile():
    with pytest.raises(ParseError):
        parse_profile_page(
            fixture("sample_entry.html"), "https://nairiporter.dreamwidth.org/profile"
        )


@FUZZ
@given(ops_strategy)
def test_fuzz_profile_mutations(ops):
    for name in ("hand_profile_personal.html", "hand_profile_community.html"):
        try:
            rec = parse_profile_page(mutate(fixture(name), ops), "https://x.dreamwidth.org/profile")
        except ParseError as exc:
            deliberate(exc)
            continue
        assert isinstance(rec, ProfileRecord)


@FUZZ
@given(any_text)
def test_fuzz_profile_text(text):
    try:
        assert isinstance(
            parse_profile_page(text, "https://x.dreamwidth.org/profile"), ProfileRecord
        )
    except ParseError as exc:
        deliberate(exc)

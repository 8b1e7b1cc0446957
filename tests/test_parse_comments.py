"""Comments: ids, parents, depths, authors, states, collapsed headers, placeholders, pager."""

from __future__ import annotations

import pytest
from hypothesis import given

from scraper.errors import ParseError
from scraper.parse import comment_pager, parse_comments, parse_entry_page, parse_html
from scraper.records import COMMENT_STATES, CommentRecord
from tests.parse_support import FUZZ, any_text, deliberate, fixture, mutate, ops_strategy

SAMPLE_URL = "https://nairiporter.dreamwidth.org/12345.html"


def C(**kw) -> CommentRecord:
    base = {
        "parent_commentid": None, "depth": 1, "author": None, "author_kind": None, "subject": "",
        "subject_html": "", "body_html": None, "body_text": None, "posted_at": None,
        "date_text": None, "state": "visible", "full": True, "collapsed": False,
        "userpic_keyword": None, "edited_text": None,
    }  # fmt: skip
    base.update(kw)
    return CommentRecord(**base)


SAMPLE_COMMENTS = [
    C(commentid=51201, author="willowmere", author_kind="user", subject="Lovely", subject_html="Lovely",
      body_html="Apricot windows is exactly the right description. Our street does that in October.",
      body_text="Apricot windows is exactly the right description. Our street does that in October.",
      posted_at="2025-07-04T16:02", date_text="2025-07-04 04:02 pm (UTC)", userpic_keyword="Default"),
    C(commentid=51457, parent_commentid=51201, depth=2, author="nairiporter", author_kind="user",
      body_html="October light is a close second!", body_text="October light is a close second!",
      posted_at="2025-07-04T16:40", date_text="2025-07-04 04:40 pm (UTC)", userpic_keyword="sunrays"),
    C(commentid=51713, author="tamsin_k", author_kind="user", subject="Basil", subject_html="Basil",
      body_html="Did the basil survive the repotting? Mine always sulks for a week.",
      body_text="Did the basil survive the repotting? Mine always sulks for a week.",
      posted_at="2025-07-04T17:10", date_text="2025-07-04 05:10 pm (UTC)", userpic_keyword="Default"),
    C(commentid=51969, state="deleted", full=False),
    C(commentid=52225, parent_commentid=51969, depth=2, author_kind="anonymous",
      body_html="Whatever was said above, I agree about the apricots.",
      body_text="Whatever was said above, I agree about the apricots.",
      posted_at="2025-07-04T20:41", date_text="2025-07-04 08:41 pm (UTC)"),
]  # fmt: skip


def test_sample_comments():
    assert parse_comments(fixture("sample_entry.html"), SAMPLE_URL) == SAMPLE_COMMENTS
    page = parse_entry_page(fixture("sample_entry.html"), SAMPLE_URL)
    assert list(page.comments) == SAMPLE_COMMENTS


TEACUP = "teacup"


def test_community_page_two_of_three():
    page = parse_entry_page(
        fixture("hand_entry_community.html"), "https://tea-club.dreamwidth.org/20481.html?page=2"
    )
    assert (page.comment_page, page.comment_pages) == (2, 3)
    assert list(page.comments) == [
        # openid commenter, full comment without subject (real core2: an invisible 'no subject' link)
        C(commentid=30001, author="someone.example.com", author_kind="openid",
          body_html="Which one was the roasted one?", body_text="Which one was the roasted one?",
          posted_at="2025-06-12T09:30", date_text="12/6/25 09:30 (UTC)"),
        # frozen, '(frozen) ' prefix removed, edit note kept apart
        C(commentid=30257, parent_commentid=30001, depth=2, author="tamsin_k", author_kind="user",
          subject="Re: oolong", subject_html="Re: oolong", state="frozen",
          body_html="Second steeping was better.", body_text="Second steeping was better.",
          posted_at="2025-06-14T10:02", date_text="14/6/25 10:02 (UTC)", userpic_keyword="Default",
          edited_text="Edited 15/6/25 08:00 (UTC)"),
        # collapsed headers: no body here, fetch ?thread=ID; '(no subject)' placeholder -> ''
        C(commentid=30513, parent_commentid=30257, depth=3, author="nairiporter", author_kind="user",
          posted_at="2025-06-14T10:40", date_text="14/6/25 10:40 (UTC)", full=False, collapsed=True),
        C(commentid=30769, parent_commentid=30513, depth=4, author_kind="anonymous",
          subject="Who knows", subject_html="Who knows",
          posted_at="2025-06-15T11:20", date_text="15/6/25 11:20 (UTC)", full=False, collapsed=True),
        # screened placeholder (with an Expand link: still a placeholder, not collapsed)
        C(commentid=31025, state="screened", full=False),
        C(commentid=31281, parent_commentid=31025, depth=2, author="willowmere", author_kind="user",
          subject="Replying anyway", subject_html="Replying anyway",
          body_html="I can see this one.", body_text="I can see this one.",
          posted_at="2025-06-13T07:00", date_text="13/6/25 07:00 (UTC)", userpic_keyword=TEACUP),
        C(commentid=31537, state="suspended", full=False),
        C(commentid=31793, parent_commentid=31537, depth=2, author="alice_b", author_kind="user",
          subject="bold reply", subject_html="<b>bold</b> reply",
          posted_at="2025-06-16T12:00", date_text="16/6/25 12:00 (UTC)", full=False, collapsed=True),
        # user HTML reusing comment classes stays body
        C(commentid=32049, author="willowmere", author_kind="user",
          subject="Steeping times", subject_html="<i>Steeping</i> times",
          body_html=(
              '<p>Three minutes, then four.</p><div class="comment-wrapper screened"><div class="comment-content">quoted '
              '<span class="datetime">1/1/99 01:00 (UTC)</span></div><div class="edittime"><em>not an edit note</em></div></div>'
              '<p>Ask <span lj:user="tamsin_k" style="white-space: nowrap;" class="ljuser"><a href="https://tamsin-k.dreamwidth.org/profile">'
              '<img src="https://www.dreamwidth.org/img/silk/identity/user.png" alt="[personal profile] " width="17" height="17" '
              'style="vertical-align: text-bottom; border: 0; padding-right: 1px;"></a><a href="https://tamsin-k.dreamwidth.org/">'
              "<b>tamsin_k</b></a></span> too.<br>Cheers</p>"
          ),
          body_text="Three minutes, then four.\nquoted 1/1/99 01:00 (UTC)\nnot an edit note\nAsk tamsin_k too.\nCheers",
          posted_at="2025-06-17T18:45", date_text="17/6/25 18:45 (UTC)", userpic_keyword=TEACUP),
    ]  # fmt: skip


def test_thread_view_and_ambiguous_dates_settled_by_entry_date():
    page = parse_entry_page(
        fixture("hand_entry_thread.html"),
        "https://nairiporter.dreamwidth.org/12599.html?thread=61441#cmt61441",
    )
    assert page.thread_root == 61441
    assert list(page.comments) == [
        # the thread root keeps its real parent (not on this page) from its Parent link
        C(commentid=61441, parent_commentid=61185, author="willowmere", author_kind="user",
          subject="Thread root", subject_html="Thread root",
          body_html="Root of the thread.", body_text="Root of the thread.",
          posted_at="2025-07-02T23:55", date_text="2/7/25 11:55 pm (UTC)", userpic_keyword="Default"),
        C(commentid=61697, parent_commentid=61441, depth=2, author="nairiporter", author_kind="user",
          body_html="First reply.", body_text="First reply.",
          posted_at="2025-07-03T14:15", date_text="3/7/25 02:15 pm (UTC)", userpic_keyword="sunrays",
          edited_text="Edited (typo) 3/7/25 02:30 pm (UTC)"),
        C(commentid=61953, parent_commentid=61441, depth=2, author="willowmere", author_kind="user",
          body_html="Second reply.", body_text="Second reply.",
          posted_at="2025-07-03T15:20", date_text="3/7/25 03:20 pm (UTC)", userpic_keyword="Default"),
        # collapsed without an Expand link (thread expander off): parent from nesting
        C(commentid=62209, parent_commentid=61953, depth=3, author="tamsin_k", author_kind="user",
          subject="deeper", subject_html="deeper",
          posted_at="2025-07-04T09:00", date_text="4/7/25 09:00 am (UTC)", full=False, collapsed=True),
    ]  # fmt: skip


# --- markup variants built the way core2's EntryPage::print_comments prints them -----------------


def _partial(cid: int, user: str = "alice_b") -> str:
    return (
        f'<div class="comment-wrapper comment-wrapper-odd visible poster-{user} partial no-userpic has-subject">'
        f'<div class="comment" id="comment-cmt{cid}"><div class="inner"><h4 class="comment-title">'
        f'<a href="/1.html?thread={cid}#cmt{cid}">s{cid}</a></h4>'
        f"<span class=\"poster comment-poster\"><span lj:user='{user}' class='ljuser'><b>{user}</b></span></span> - "
        f'<span class="datetime"><span class="comment-date-text">Date: </span> <span title="">2025-07-04 21:{cid % 60:02d} (UTC)</span></span>'
        f"</div></div></div>"
    )


def print_comments(roots, depth_attrs=True, max_nested=180) -> str:
    """Port of core2 EntryPage::print_comments for trees of (cid, [children])."""
    out = []
    prev = first = -1
    last = None
    stack = [(node, 1) for node in reversed(roots)]
    while stack:
        (cid, kids), depth = stack.pop()
        stack.extend((k, depth + 1) for k in reversed(kids))
        if depth < max_nested and prev >= 0:
            out.extend("</div>\n" for _ in range(prev, depth - 1, -1))
        if depth < max_nested:
            prev = depth
        if first < 0:
            first = depth
        attrs = f"data-comment-depth='{depth}' " if depth_attrs else ""
        cls = f" comment-depth-{depth}" if depth_attrs else ""
        out.append(
            f"<div {attrs}class='comment-thread comment-depth-odd{cls}'>\n"
            f"<div id='cmt{cid}' class='dwexpcomment' style='margin-left: {(depth - 1) * 25}px; margin-top: 5px;'>\n"
            + _partial(cid)
            + "</div>"
        )
        if depth >= max_nested:
            out.append("</div>")
        last = depth
    if last is not None and last <= max_nested:
        out.extend("</div>\n" for _ in range(prev, first - 1, -1))
    return (
        "<html><body><div id='comments'><div class='inner'>"
        + "".join(out)
        + "</div></div></body></html>"
    )


def test_nesting_without_parent_links():
    tree = [(1, [(2, [(3, [])]), (4, [])]), (5, [(6, [(7, [(8, [])])])])]
    got = [
        (c.commentid, c.parent_commentid, c.depth, c.collapsed)
        for c in parse_comments(print_comments(tree))
    ]
    assert got == [(1, None, 1, True), (2, 1, 2, True), (3, 2, 3, True), (4, 1, 2, True),
                   (5, None, 1, True), (6, 5, 2, True), (7, 6, 3, True), (8, 7, 4, True)]  # fmt: skip


def test_depth_from_indent_when_no_depth_attributes():
    tree = [(1, [(2, [(3, [])])]), (4, [])]
    got = [
        (c.commentid, c.parent_commentid, c.depth)
        for c in parse_comments(print_comments(tree, depth_attrs=False))
    ]
    assert got == [(1, None, 1), (2, 1, 2), (3, 2, 3), (4, None, 1)]


def test_nesting_stops_at_depth_180():
    chain = (185, [])
    for cid in range(184, 0, -1):
        chain = (cid, [chain] + ([(1000 + cid, [])] if cid == 182 else []))
    comments = parse_comments(print_comments([chain, (2000, [])]))
    by_id = {c.commentid: c for c in comments}
    assert len(comments) == 187
    for cid in range(2, 186):
        assert by_id[cid].parent_commentid == cid - 1 and by_id[cid].depth == cid, cid
    assert by_id[1182].parent_commentid == 182 and by_id[1182].depth == 183
    assert by_id[2000].parent_commentid is None and by_id[2000].depth == 1


def test_flat_view_parents_from_links():
    html = fixture("sample_entry.html")
    # flat view: every thread div at depth 1, closed before the next; Parent links stay
    flat = html.replace("data-comment-depth='2'", "data-comment-depth='1'").replace(
        "comment-depth-2'", "comment-depth-1'"
    )
    got = [
        (c.commentid, c.parent_commentid) for c in parse_comments(flat, SAMPLE_URL + "?view=flat")
    ]
    assert got == [(51201, None), (51457, 51201), (51713, None), (51969, None), (52225, 51969)]


def test_duplicated_comment_ids_are_read_once():
    html = fixture("sample_entry.html")
    start = html.index("<div id='cmt51713'")
    end = html.index("<div data-comment-depth='1'", start)
    dup = html[:end] + html[start:end] + html[end:]
    assert [c.commentid for c in parse_comments(dup, SAMPLE_URL)] == [
        51201,
        51457,
        51713,
        51969,
        52225,
    ]


def test_pager_variants():
    tree = parse_html(
        "<div class='comment-pages toppages'><b>Page 3 of 7</b> &lt;&lt <a href='?page=2'>[2]</a></div>"
    )
    assert comment_pager(tree, "https://x.dreamwidth.org/1.html?page=3") == (3, 7)
    tree = parse_html(
        "<div class='comment-pages'><span class='comment-page-1 comment-page-current'><b>[1]</b></span> <a href='/1.html?page=2#comments' class='comment-page'><b>[2]</b></a></div>"
    )
    assert comment_pager(tree, "https://x.dreamwidth.org/1.html") == (1, 2)
    assert comment_pager(parse_html("<p>no pager</p>"), "https://x.dreamwidth.org/1.html") == (1, 1)


def test_no_comments():
    assert parse_comments("<html><body><div id='comments'></div></body></html>") == []
    assert parse_comments(fixture("sample_recent.html")) == []


@FUZZ
@given(ops_strategy)
def test_fuzz_comment_mutations(ops):
    for name in ("sample_entry.html", "hand_entry_community.html", "hand_entry_thread.html"):
        try:
            comments = parse_comments(mutate(fixture(name), ops), SAMPLE_URL, "2025-06-01")
        except ParseError as exc:
            deliberate(exc)
            continue
        ids = [c.commentid for c in comments]
        assert len(ids) == len(set(ids))
        for c in comments:
            assert isinstance(c, CommentRecord) and c.state in COMMENT_STATES and c.depth >= 1
            assert c.parent_commentid != c.commentid


@FUZZ
@given(any_text)
def test_fuzz_comment_text(text):
    try:
        assert isinstance(parse_comments(text, SAMPLE_URL), list)
    except ParseError as exc:
        deliberate(exc)


def test_parse_error_only():
    with pytest.raises(ParseError):
        parse_comments(12345)  # type: ignore[arg-type]

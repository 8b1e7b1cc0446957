"""Owner mode planning, driven by a simulated server with Dreamwidth's paging semantics.

The simulation follows the source: syncitems returns the items strictly after lastsync, oldest
first (ties in any order), at most 500 (LJ::Protocol::syncitems); comment export windows are id
ranges startid <= id < startid+numitems, meta's nextid only while startid+numitems <= maxid
(DW::Controller::Export::comment_handler)."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.crawl import owner_plan as plan
from scraper.parse.owner.export import CommentBodyPage, CommentMetaPage, MetaComment
from scraper.parse.owner.protocol import Credentials, ProtocolEvent, Session, SyncItem, SyncPage
from scraper.parse.owner.secret import Secret

BASE = datetime(2024, 1, 1)


def _time(second: int) -> str:
    return (BASE + timedelta(seconds=second)).strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class FakeServer:
    """Entries (jitemid -> second of their item), comment ids, and a call log."""

    entries: dict[int, int]
    comment_ids: set[int] = field(default_factory=set)
    alter: dict[int, int] = field(default_factory=dict)  # C- items: jitemid -> second
    seed: int = 0
    lastsyncs: list[str | None] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def items(self) -> list[SyncItem]:
        out = [SyncItem(f"L-{j}", "L", j, "create", _time(s)) for j, s in self.entries.items()]
        out += [SyncItem(f"C-{j}", "C", j, "update", _time(s)) for j, s in self.alter.items()]
        return out

    @property
    def maxid(self) -> int:
        return max(self.comment_ids, default=0)

    def answer(self, call: plan.OwnerCall) -> object:
        self.calls.append(call.kind)
        if call.kind == plan.SESSION:
            return Session(Secret("v1:u1:s2:abcdefgh//1"), 2, 1)
        if call.kind == plan.SYNCITEMS:
            self.lastsyncs.append(call.lastsync)
            after = [i for i in self.items() if call.lastsync is None or i.time > call.lastsync]
            self.rng.shuffle(after)  # ties come back in any order
            after.sort(key=lambda i: i.time)
            page = after[:500]
            return SyncPage(tuple(page), len(page), len(after))
        if call.kind == plan.GETEVENTS:
            assert 1 <= len(call.itemids) <= 100
            return tuple(
                ProtocolEvent(
                    j, 1, "2024-01-01 00:00:00", None, "public", None, None, None, "", "", {}
                )
                for j in call.itemids
                if j in self.entries
            )
        if call.kind == plan.COMMENT_META:
            end = call.startid + call.numitems
            ids = sorted(i for i in self.comment_ids if call.startid <= i < end)
            nextid = end if end <= self.maxid else None
            return CommentMetaPage(
                self.maxid, nextid, tuple(MetaComment(i, None, "A") for i in ids), {}
            )
        if call.kind == plan.COMMENT_BODY:
            end = call.startid + call.numitems
            self.fetched_bodies = getattr(self, "fetched_bodies", set()) | {
                i for i in self.comment_ids if call.startid <= i < end
            }
            return CommentBodyPage(())
        if call.kind == plan.EXPIRE:
            return None
        raise AssertionError(call)


def drive(
    server: FakeServer, state: plan.OwnerRunPlan, limit: int = 5000
) -> tuple[plan.OwnerRunPlan, set[int]]:
    fetched: set[int] = set()
    for _ in range(limit):
        call = state.next_call()
        if call is None:
            break
        answer = server.answer(call)
        if call.kind == plan.GETEVENTS:
            fetched |= {e.jitemid for e in answer}  # type: ignore[union-attr]
        # a resumed run continues from the stored state
        state = plan.OwnerRunPlan.from_dict(json.loads(json.dumps(state.to_dict())))
        state = state.advance(call, answer)
    else:
        raise AssertionError("plan did not finish")
    assert state.done
    return state, fetched


def test_full_run_request_sequence_and_minimum() -> None:
    server = FakeServer({j: j * 7 for j in range(1, 1234)}, comment_ids=set(range(1, 2500)))
    state, fetched = drive(server, plan.OwnerRunPlan.start())
    assert fetched == set(server.entries)
    assert server.calls[0] == plan.SESSION and server.calls[-1] == plan.EXPIRE
    assert server.calls.count(plan.SYNCITEMS) == 3
    assert server.calls.count(plan.GETEVENTS) == 13
    assert server.calls.count(plan.COMMENT_META) == 1
    assert server.calls.count(plan.COMMENT_BODY) == 3
    assert server.fetched_bodies == server.comment_ids
    minimum = plan.minimum_requests(sync_items=1233, entries=1233, comment_maxid=2499)
    assert len(server.calls) == minimum == 1 + 3 + 13 + 1 + 3 + 1
    assert state.comment_maxid == 2499
    assert state.cursor == plan.SyncCursor(_time(1233 * 7), ("L-1233",))


def test_ties_at_a_page_boundary_are_not_lost() -> None:
    # 1,500 entries, three per second: every page boundary falls inside a tie
    server = FakeServer({j: j // 3 for j in range(1, 1501)}, seed=3)
    state, fetched = drive(server, plan.OwnerRunPlan.start(comments=False))
    assert fetched == set(server.entries)
    assert not state.sync.overflow
    sent = [s for s in server.lastsyncs if s is not None]
    assert sent == sorted(set(sent))  # strictly increasing: never the same lastsync twice


def test_a_second_with_more_ties_than_a_page_holds() -> None:
    # 700 entries in one second cannot be paged by time: step past it, then sweep by id
    server = FakeServer({j: (5 if j <= 700 else 10 + j) for j in range(1, 1201)}, seed=1)
    state, fetched = drive(server, plan.OwnerRunPlan.start(comments=False))
    assert state.sync.overflow == (_time(5),)
    assert fetched == set(server.entries)
    assert len(server.lastsyncs) == len(set(server.lastsyncs))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_entry_in_one_second(seed: int) -> None:
    # pages are random subsets of the tie, so the highest id may never be shown: probe above it
    server = FakeServer({j: 0 for j in range(1, 1001)}, seed=seed)
    state, fetched = drive(server, plan.OwnerRunPlan.start(comments=False))
    assert fetched == set(server.entries)
    assert state.missing == ()  # sweep misses are not deletions
    assert server.lastsyncs == [None, _time(-1), _time(0)]


def test_incremental_run_costs_four_requests_when_nothing_changed() -> None:
    server = FakeServer({j: j for j in range(1, 50)}, comment_ids={1, 2, 3})
    first, _ = drive(server, plan.OwnerRunPlan.start())
    server.calls.clear()
    again, fetched = drive(
        server, plan.OwnerRunPlan.start(first.cursor, known_maxid=first.comment_maxid)
    )
    assert fetched == set()
    assert server.calls == [plan.SESSION, plan.SYNCITEMS, plan.COMMENT_META, plan.EXPIRE]
    assert again.cursor == first.cursor


def test_incremental_run_fetches_only_what_is_new() -> None:
    server = FakeServer({j: j for j in range(1, 50)}, comment_ids={1, 2, 3})
    first, _ = drive(server, plan.OwnerRunPlan.start())
    server.entries[50] = 49  # same second as the newest item seen: must not be skipped
    server.entries[7] = 200  # edited later
    server.alter[3] = 210  # new comments on entry 3
    server.comment_ids |= {4, 2003}
    server.calls.clear()
    server.fetched_bodies = set()
    state, fetched = drive(
        server, plan.OwnerRunPlan.start(first.cursor, known_maxid=first.comment_maxid)
    )
    assert fetched == {7, 50}
    assert state.comment_entries == (3,)
    assert server.fetched_bodies == {4, 2003}  # bodies above the old maxid only, across a gap
    assert server.calls.count(plan.COMMENT_BODY) == 2  # ids 4-1003 (4), 1004-2003 (2003)


def test_comment_windows_cross_gaps_and_end() -> None:
    # ids 1..5 and 2301..2305: the window 1001..2000 is empty and is crossed
    body = plan.CommentBodyPlan.start(2305)
    starts = []
    while not body.done:
        call = body.next_call()
        assert call is not None
        starts.append(call.startid)
        body = body.advance(CommentBodyPage(()))
    assert starts == [1, 1001, 2001]
    assert plan.CommentBodyPlan.start(0).done
    assert plan.CommentBodyPlan.start(None).done
    assert plan.CommentBodyPlan.start(2305, after=2305).done


def test_meta_follows_nextid_and_stops() -> None:
    meta = plan.CommentMetaPlan()
    meta = meta.advance(CommentMetaPage(25000, 10000, (), {}))
    assert (meta.done, meta.startid) == (False, 10000)
    meta = meta.advance(CommentMetaPage(25000, 20000, (), {}))
    meta = meta.advance(CommentMetaPage(25000, None, (), {}))
    assert meta.done and meta.windows == 3 and meta.maxid == 25000
    # maxid 0: one window, no bodies
    assert plan.CommentMetaPlan().advance(CommentMetaPage(0, None, (), {})).done
    # a server that repeats nextid does not make the plan loop
    stuck = plan.CommentMetaPlan(startid=10000).advance(CommentMetaPage(90000, 10000, (), {}))
    assert stuck.done


def test_getevents_batches() -> None:
    batches = plan.getevents_batches([5, 3, 3, *range(100, 301)])
    assert [len(b) for b in batches] == [100, 100, 3]
    assert batches[0][:3] == (3, 5, 100)
    with pytest.raises(ValueError):
        plan.getevents_batches([1], size=101)


def test_minimum_formula() -> None:
    # the journal: 5,203 entries + ~4,200 comment items, 60,000 comments
    assert plan.minimum_requests(sync_items=9403, entries=5203, comment_maxid=60000) == (
        1 + 19 + 53 + 7 + 60 + 1
    )
    assert plan.minimum_requests(sync_items=0, entries=0, comment_maxid=0) == 4
    assert plan.meta_windows(9999) == 1 and plan.meta_windows(10000) == 2
    assert plan.body_windows(1000) == 1 and plan.body_windows(1001) == 2
    assert plan.body_windows(5000, after=5000) == 0


def test_planned_requests_carry_no_secret_in_their_repr() -> None:
    creds = Credentials("nairiporter", Secret("s3cr3t-api-key-0123456789abcdef"), usejournal="tea")
    req = plan.planned_request(plan.OwnerCall(plan.GETEVENTS, itemids=(1, 2)), creds)
    assert req is not None and req.method == "POST" and b"s3cr3t" in (req.content or b"")
    assert "s3cr3t" not in repr(req) and "s3cr3t" not in req.record_key
    meta = plan.planned_request(plan.OwnerCall(plan.COMMENT_META, startid=0), creds)
    assert meta is not None and meta.method == "GET"
    assert meta.path == "/export_comments?get=comment_meta&startid=0&numitems=10000&authas=tea"
    assert plan.planned_request(plan.OwnerCall(plan.EXPIRE), creds) is None  # no session


# --- properties ------------------------------------------------------------------------------


@st.composite
def journals(draw: st.DrawFn) -> FakeServer:
    n = draw(st.integers(min_value=0, max_value=1600))
    spread = draw(st.sampled_from([1, 2, 5, 50, 10_000]))
    seconds = draw(st.lists(st.integers(0, max(n // spread, 1)), min_size=n, max_size=n))
    ids = draw(st.sets(st.integers(1, 30_000), max_size=40))
    return FakeServer(
        {j: s for j, s in enumerate(seconds, start=1)},
        comment_ids=ids,
        seed=draw(st.integers(0, 1000)),
    )


@settings(max_examples=60, deadline=None, derandomize=True)
@given(journals())
def test_any_journal_is_fetched_completely_and_the_plan_ends(server: FakeServer) -> None:
    state, fetched = drive(server, plan.OwnerRunPlan.start())
    assert fetched == set(server.entries)
    assert getattr(server, "fetched_bodies", set()) == server.comment_ids
    counts = {v: server.lastsyncs.count(v) for v in server.lastsyncs}
    assert max(counts.values()) == 1  # never the same lastsync twice, so never three times
    if not state.sync.overflow:
        n = len(server.entries)
        minimum = plan.minimum_requests(sync_items=n, entries=n, comment_maxid=server.maxid)
        synced = server.calls.count(plan.SYNCITEMS)
        # only syncitems may exceed its minimum: the 1 s back-off re-reads the boundary second
        assert len(server.calls) == minimum - plan.syncitems_calls(n) + synced
        assert server.calls.count(plan.GETEVENTS) == plan.getevents_calls(n)
        ties = max(Counter(server.entries.values()).values(), default=0)
        if ties < 250:
            assert synced <= -(-n // (500 - ties)) + 1


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.integers(0, 100_000), st.integers(0, 100_000), st.integers(1, 1000))
def test_body_windows_always_end(maxid: int, after: int, numitems: int) -> None:
    body = plan.CommentBodyPlan.start(maxid, after=after, numitems=numitems)
    steps = 0
    while not body.done:
        body = body.advance(None)
        steps += 1
    assert steps == (0 if maxid <= after else -(-(maxid - after) // numitems))

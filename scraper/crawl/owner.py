"""Owner mode: the journal's owner (or a community's maintainer) archives everything through
Dreamwidth's protocol and comment export, with an API key.

The session is opened once with the key (`sessiongenerate`, never retried: failed logins ban
IPs) and closed at the end whatever happens (`sessionexpire`); its `ljsession` cookie goes on
every request. In between, each protocol call is one queued item (kind `protocol`) that carries
the request plan (scraper.crawl.owner_plan) in its info: its handler reads the answer into
records and queues the next call, so a killed run resumes at the call it stopped at. After the
calls, `owner_finish` stores the sync cursor and derives what anonymous pages would show
(calendar counts, tags, comment counts). The profile still comes from its HTML page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from ..errors import DwArchiveError, OwnerModeError, ParseError
from ..fetch import Fetcher, FetchResult
from ..kinds import PageKind
from ..parse.owner.build import comment_records, entry_record, merged_usermap
from ..parse.owner.export import (
    META_WINDOW,
    CommentMetaPage,
    parse_comment_body,
    parse_comment_meta,
)
from ..parse.owner.protocol import (
    Credentials,
    ProtocolEvent,
    Session,
    login_request,
    parse_getevents,
    parse_moods,
    parse_sessiongenerate,
    parse_syncitems,
    sessionexpire_request,
    sessiongenerate_request,
)
from ..parse.owner.secret import Secret
from ..parse.owner.userlink import SiteLinks
from ..store.commit import (
    FinishOwnerSync,
    MarkEntryDeleted,
    SaveComments,
    SaveEntries,
    SetCommentStates,
)
from ..store.queue import QueueItem
from .owner_plan import (
    COMMENT_BODY,
    COMMENT_META,
    EXPIRE,
    GETEVENTS,
    SYNCITEMS,
    OwnerCall,
    OwnerRunPlan,
    PlannedRequest,
    SyncCursor,
    planned_request,
)
from .step import CrawlContext, FetchedPage, Step

API_KEY_ENV = "DWARCHIVE_API_KEY"  # where an API key may come from instead of a file
PROTOCOL_RENDERING = "protocol"  # entries.rendering of what the protocol gave
RAW_KINDS = {
    SYNCITEMS: PageKind.SYNCITEMS,
    GETEVENTS: PageKind.GETEVENTS,
    COMMENT_META: PageKind.COMMENT_META,
    COMMENT_BODY: PageKind.COMMENT_BODY,
}


@dataclass(frozen=True)
class OwnerAccess:
    """Who archives in owner mode: the account, its API key, and the journal it archives (a
    community the account maintains, or the account's own journal)."""

    username: str  # "": each journal's own account (no --user given)
    api_key: Secret
    journal: str

    def for_journal(self, journal: str) -> OwnerAccess:
        """This access for one journal of a run: the account given, or the journal's own."""
        return replace(self, username=self.username or journal, journal=journal)

    def credentials(self) -> Credentials:
        community = self.journal if self.journal != self.username else None
        return Credentials(self.username, self.api_key, usejournal=community)


class OwnerSession:
    """The protocol session of one run: opened with the API key on entry, expired on exit
    (after an error or Ctrl-C too); its cookie rides on every request meanwhile."""

    def __init__(
        self,
        fetcher: Fetcher,
        access: OwnerAccess,
        api_root: str,
        report: Callable[..., None],
    ) -> None:
        self.fetcher = fetcher
        self.access = access
        self.api_root = api_root.rstrip("/")
        self.report = report
        self.session: Session | None = None

    def __enter__(self) -> Self:
        request = sessiongenerate_request(self.access.credentials())
        result = self._post(request.path, request.content, request.content_type)
        self.session = parse_sessiongenerate(_answer(result, "sessiongenerate"))
        self.fetcher.set_session_cookie(self.session.value.reveal())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.session is None:
            return
        try:
            request = sessionexpire_request(self.access.credentials(), self.session.value)
            if request is not None:
                self._post(request.path, request.content, request.content_type)
        except DwArchiveError as problem:  # never hides what ended the run
            self.report("warning", message=f"could not end the protocol session: {problem}")
        finally:
            self.fetcher.set_session_cookie(None)
            self.session = None

    def moods(self) -> dict[int, str]:
        """The site's mood list (one `login` call)."""
        request = login_request(self.access.credentials())
        result = self._post(request.path, request.content, request.content_type)
        return parse_moods(_answer(result, "login"))

    def call(self, call: OwnerCall) -> tuple[PlannedRequest, FetchResult]:
        """Send one planned protocol or export call."""
        request = planned_request(call, self.access.credentials())
        assert request is not None
        if request.method == "GET":
            return request, self.fetcher.get(self.url(request.path))
        return request, self._post(request.path, request.content, request.content_type)

    def url(self, path: str) -> str:
        return self.api_root + path

    def _post(self, path: str, content: bytes | None, content_type: str | None) -> FetchResult:
        return self.fetcher.post(self.url(path), content=content, content_type=content_type)


def _answer(result: FetchResult, what: str) -> str:
    if result.status != 200:
        raise OwnerModeError(f"{what}: the site answered HTTP {result.status}")
    return result.text


# --- starting: the first call of a run ----------------------------------------------------------


def first_call(cursor: dict[str, Any] | None, known_maxid: int, session: Session) -> dict[str, Any]:
    """The plan of a run's first protocol call, after the session: a full archive (no cursor)
    or an incremental sync from where the last one stopped. A sync rereads the states of the
    newest 10,000 comment ids (one comment_meta window) and fetches bodies above the last known
    id; `sync --full` (no cursor) rereads everything."""
    start = None
    meta_from = 0
    if cursor is not None:
        start = SyncCursor(cursor["lastsync"], tuple(cursor.get("at_lastsync") or ()))
        meta_from = max(0, known_maxid + 1 - META_WINDOW)
    plan = OwnerRunPlan.start(start, known_maxid=known_maxid, meta_from=meta_from)
    return plan.advance(OwnerCall("sessiongenerate"), session).to_dict()


# --- one protocol call's answer: records and the next call ----------------------------------------


def site_links(root: str) -> SiteLinks:
    """How the journal's site writes user links (Dreamwidth's; a test site's own)."""
    host = urlsplit(root).hostname or ""
    if host.endswith("dreamwidth.org"):
        return SiteLinks()
    origin = f"{urlsplit(root).scheme}://{urlsplit(root).netloc}"
    return SiteLinks(
        site_root=origin,
        img_root=origin + "/img",
        domain=host,
        journal_url_template=origin + "/~{name}/",
    )


def handle_protocol(
    page: FetchedPage, item: QueueItem, ctx: CrawlContext, *, call: OwnerCall
) -> Step:
    """One answer: its records, and the next call of the plan (or the end of the calls)."""
    plan = OwnerRunPlan.from_dict(item.info["plan"])
    journal = ctx.journal
    assert journal is not None
    info: dict[str, Any] = {"call": call.kind}
    step = Step(info=info)
    links = site_links(ctx.root)
    if call.kind == SYNCITEMS:
        answer: Any = parse_syncitems(page.text)
    elif call.kind == GETEVENTS:
        answer = parse_getevents(page.text)
        step.records.append(_save_entries(answer, ctx, journal, links))
    elif call.kind == COMMENT_META:
        answer = parse_comment_meta(page.text)
        step.records.append(SetCommentStates({c.jtalkid: c.state for c in answer.comments}))
        info["meta"] = page.url
    elif call.kind == COMMENT_BODY:
        answer = parse_comment_body(page.text)
        metas = [_meta_window(text) for text in ctx.archive.stored_texts(_meta_pages(ctx))]
        comments = comment_records(
            answer.comments,
            anums=ctx.archive.entry_anums(),
            usermap=merged_usermap(metas),
            links=links,
        )
        for itemid, records in sorted(comments.by_itemid.items()):
            step.records.append(SaveComments(itemid, records))
        if comments.unknown_entries:
            step.report(
                "warning",
                message=f"comments of entries not archived (ids {comments.unknown_entries[:5]})",
            )
    else:
        raise ParseError(f"no protocol call {call.kind!r} is planned here")
    after = plan.advance(call, answer)
    following = after.next_call()
    if following is None or following.kind == EXPIRE:
        info["final"] = after.to_dict()  # owner_finish reads it
    else:
        n = int(item.info.get("n", 1)) + 1
        step.follow(f"owner:{n}", PageKind.PROTOCOL, {"plan": after.to_dict(), "n": n})
    return step


def _save_entries(
    events: Iterable[ProtocolEvent], ctx: CrawlContext, journal: str, links: SiteLinks
) -> SaveEntries:
    """One getevents answer's entries as records (icon keyword 'Default' when the profile shows
    a default icon; mood names from the stored mood list)."""
    default_userpic = "Default" if ctx.archive.has_profile_userpic() else None
    moods = ctx.archive.moods()
    entries = tuple(
        entry_record(
            event,
            journal=journal,
            journal_url=ctx.root,
            links=links,
            default_userpic=default_userpic,
            mood_names=moods,
        )
        for event in events
    )
    return SaveEntries(entries, PROTOCOL_RENDERING)


@functools.lru_cache(maxsize=32)
def _meta_window(text: str) -> CommentMetaPage:
    """A comment_meta window, parsed once for every body window that needs its usernames."""
    return parse_comment_meta(text)


def _meta_pages(ctx: CrawlContext) -> list[str]:
    """The comment_meta answers this crawl read (their stored addresses), in order."""
    return [
        done.info["meta"]
        for done in ctx.archive.done_items(PageKind.PROTOCOL)
        if done.info.get("meta")
    ]


def planned_call(item: QueueItem) -> OwnerCall:
    call = OwnerRunPlan.from_dict(item.info["plan"]).next_call()
    if call is None or call.kind == EXPIRE:
        raise ParseError("the protocol plan of this item has no call left")
    return call


# --- the end of the calls ------------------------------------------------------------------------


def finish_owner(item: QueueItem, ctx: CrawlContext) -> Step:
    """After the last protocol call: entries syncitems reported but getevents no longer returned
    are tombstoned; the sync cursor is kept; calendar, tags and comment counts are derived."""
    finals = [
        d.info["final"] for d in ctx.archive.done_items(PageKind.PROTOCOL) if "final" in d.info
    ]
    if not finals:
        return Step.failed("the protocol calls did not all finish; the next run resumes them")
    plan = OwnerRunPlan.from_dict(finals[-1])
    step = Step()
    for jitemid in plan.missing:
        itemid = ctx.archive.stored_itemid(jitemid)
        if itemid is not None:
            step.records.append(MarkEntryDeleted(itemid))
    cursor = plan.cursor
    step.records.append(
        FinishOwnerSync(
            {"lastsync": cursor.lastsync, "at_lastsync": list(cursor.at_lastsync)}
            if cursor
            else None,
            plan.comment_maxid,
        )
    )
    step.info = {"missing": list(plan.missing), "comment_maxid": plan.comment_maxid}
    return step


# --- reparse: stored answers read again, offline -----------------------------------------------


def records_from_answers(
    ctx: CrawlContext, events: list[str], metas: list[str], bodies: list[str]
) -> list[Any]:
    """Every record the stored protocol answers of a journal hold: entries from its getevents
    answers, comments from all its comment_meta and comment_body windows together (usernames
    and states come from the meta windows)."""
    journal = ctx.journal
    assert journal is not None
    links = site_links(ctx.root)
    records: list[Any] = [
        _save_entries(parse_getevents(text), ctx, journal, links) for text in events
    ]
    if bodies:
        meta_pages = [parse_comment_meta(text) for text in metas]
        states = {c.jtalkid: c.state for page in meta_pages for c in page.comments}
        comments = comment_records(
            [c for text in bodies for c in parse_comment_body(text).comments],
            anums=ctx.archive.entry_anums(),
            usermap=merged_usermap(meta_pages),
            states=states,
            links=links,
        )
        for itemid, group in sorted(comments.by_itemid.items()):
            records.append(SaveComments(itemid, group))
    return records

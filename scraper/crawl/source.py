"""How the crawl asks the site for pages: the journal's pages (with stored validators for a
conditional request, through the adult-content notice when the user allowed it), the root with
its reasons for 'not a journal we may archive', and the same pages in the site style
(`?format=light`) for kinds of page that do not read in the journal's own style.

No HTML and no SQL beyond the stored validators: it returns responses; what they mean is the
handlers' business.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from .. import parse
from ..errors import (
    AdultContentGate,
    Blocked,
    FetchError,
    NotAJournal,
    OffHost,
    RateLimited,
    RobotsDisallowed,
)
from ..fetch import Fetcher, FetchResult
from ..kinds import PageKind
from ..store.commit import RawPage
from ..store.crawl_view import validators
from .step import FetchedPage, light_view


class PageSource:
    """The journal's pages, as one run fetches them."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        fetcher: Fetcher,
        root: str,
        *,
        allow_adult: bool,
        report: Callable[..., None],
    ) -> None:
        self.db = db
        self.fetcher = fetcher
        self.root = root
        self.allow_adult = allow_adult
        self.report = report
        self.pages = 0  # pages fetched in this run
        self.light: set[PageKind] = set()  # kinds read in the site style in this run

    def fetch(self, url: str, *, conditional: bool = False) -> FetchResult:
        etag, last_modified = validators(self.db, url) if conditional else (None, None)
        try:
            result = self.fetcher.get(url, etag=etag, last_modified=last_modified)
        except AdultContentGate as gate:
            if not self.allow_adult:
                raise
            result = self._through_adult_gate(gate)
        self.fetched(url, result)
        return result

    def fetched(self, url: str, result: FetchResult) -> None:
        self.pages += 1
        self.report("page", url=url, status=result.status)

    def _through_adult_gate(self, gate: AdultContentGate) -> FetchResult:
        gate_url = gate.gate_url or gate.url or self.root
        self.report("warning", message=f"adult-content notice at {gate_url}: confirming (opted in)")
        page = self.fetcher.get(gate_url, allow_repeat=True)
        action, fields = parse.parse_adult_form(page.text, page.final_url or gate_url)
        return self.fetcher.post(action, fields)  # follows the redirect back to the page

    def fetch_root(self) -> FetchResult:
        """The recent page at the root; what keeps us from it means 'not a journal we may
        archive'."""
        try:
            return self.fetch(self.root)
        except RobotsDisallowed as exc:
            raise NotAJournal(
                f"{exc} (the journal asks robots not to crawl it; if it is your own journal, "
                "rerun with --ignore-robots)"
            ) from None
        except AdultContentGate:
            raise NotAJournal(
                f"{self.root} is behind Dreamwidth's adult-content notice; rerun with "
                "--allow-adult to confirm it"
            ) from None
        except OffHost as exc:
            raise NotAJournal(str(exc)) from None

    # --- the site style ---------------------------------------------------------------------

    def view(self, url: str, kind: PageKind) -> str:
        """The address to fetch for an item: the site style once its kind needs it."""
        return light_view(url) if kind in self.light else url

    def fetch_light(self, url: str) -> FetchResult | None:
        """`url` in the site style; None when it cannot be fetched (the item then fails as it
        would have)."""
        try:
            return self.fetch(light_view(url))
        except (RateLimited, Blocked):
            raise
        except FetchError:
            return None

    def use_light(self, kind: PageKind, url: str) -> None:
        """From now on this run reads pages of `kind` in the site style at once."""
        self.light.add(kind)
        self.report(
            "warning",
            message=f"{url} does not read in the journal's style: reading {kind} pages in the "
            "site style (?format=light) instead",
        )


def page_of(url: str, result: FetchResult) -> FetchedPage:
    return FetchedPage(url=url, status=result.status, text=result.text)


def raw_of(result: FetchResult, kind: str, url: str | None = None) -> RawPage:
    """A response as `pages` keeps it (under `url`, default the address it was fetched at)."""
    return RawPage(
        url=url or result.url,
        kind=kind,
        status=result.status,
        fetched_at=result.fetched_at,
        body=result.body,
        etag=result.etag,
        last_modified=result.last_modified,
        content_type=result.headers.get("content-type"),
    )

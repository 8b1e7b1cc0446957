"""The owner-mode state of one FakeSite: accounts, sessions, login guards, loop guards.

`OwnerState(journals, clock, journal_url)` is created by the site (`site.owner`). Its clock is
the site's clock unless `state.clock` is replaced, so tests move time by hand: sessions expire,
failed-login bans lapse and the getevents loop guard forgets on that clock. `journal_url(name)`
gives a journal's base URL (the entries' `url` field).

`Call` describes one HTTP request as the protocol sees it: the client IP, the `X-LJ-Auth` header
and the session its cookies name (`remote`, LJ::get_remote()).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..model import FakeJournal
from .accounts import Account, Accounts
from .logins import Challenges, LoginGuard
from .sessions import Session, Sessions


@dataclass
class Call:
    """One request: where it came from and who its cookies say it is."""

    ip: str = "127.0.0.1"
    x_lj_auth: str = ""
    session: Session | None = None
    remote: Account | None = None


class OwnerState:
    """Everything the owner endpoints remember between requests."""

    def __init__(
        self,
        journals: Mapping[str, FakeJournal],
        clock: Callable[[], float],
        journal_url: Callable[[str], str],
    ) -> None:
        self.journals = journals
        self._clock = clock
        self.journal_url = journal_url
        self.accounts = Accounts(journals)
        self.sessions = Sessions(self.now)
        self.guard = LoginGuard(self.now)
        self.challenges = Challenges(self.now)
        self.syncitems_enabled = True
        self.getevents_disabled: str | None = None  # a message: $LJ::DISABLE_PROTOCOL{getevents}
        # rl_syncitems_getevents_loop user prop: userid -> {unix second: lastsync}
        self.loop_prop: dict[int, dict[int, str]] = {}
        self._lock = threading.Lock()

    # -- time ------------------------------------------------------------------------------------

    @property
    def clock(self) -> Callable[[], float]:
        return self._clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock()

    # -- accounts --------------------------------------------------------------------------------

    def add_account(self, name: str, api_keys: list[str] | tuple[str, ...] = ()) -> Account:
        """An account that can log in without a journal on the site (e.g. a maintainer)."""
        return self.accounts.add(name, api_keys)

    def journal_of(self, account: Account) -> FakeJournal:
        """The account's journal (an empty one when it has none on the site)."""
        if account.journal is not None:
            return account.journal
        return FakeJournal(name=account.name, userid=account.userid)

    def call(self, ip: str, cookie_header: str | None, x_lj_auth: str = "") -> Call:
        """LJ::get_remote() for a request: the session and account its cookies name."""
        session = self.sessions.from_cookies(cookie_header, ip) if cookie_header else None
        remote = self.accounts.by_userid(session.userid) if session else None
        if remote is not None and remote.locked:
            session, remote = None, None
        return Call(ip, x_lj_auth, session if remote else None, remote)

"""Login sessions and their cookies, as LJ::Session makes and reads them (cgi-bin/LJ/Session.pm).

`Sessions.create` is LJ::Session->create (Session.pm:88-150): a per-user session id counter, a
10-character `auth`, expiry `short` 1.5 days / `long` 60 days / `once` 2 hours (session_length,
Session.pm:769-778) on the site's clock, optionally bound to the client IP. The cookie value is
master_cookie_string (Session.pm:231-243): `v1:u<userid>:s<sessid>:a<auth>//<COOKIE_GEN>`; the fake
site's cookie generation is empty, so values end in `//`.

`Sessions.from_cookies` is session_from_cookies on the site host (Session.pm:533-565,
608-712): `ljmastersession` with a matching `ljloggedin` (`u<userid>:s<sessid>`), or, when there
is no `ljmastersession` cookie at all, the legacy `ljsession` cookie on its own (what
`sessiongenerate` hands out). The session must exist, its auth match, it must not have expired and
an IP-bound session must come from its IP. On the fake site a journal's loopback origin is also
its protocol host, so these cookies work there (on Dreamwidth journal subdomains read
`ljdomsess.*` cookies instead).
"""

from __future__ import annotations

import random
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass

from .accounts import Account

SESSION_LENGTH = {"short": 60 * 60 * 24 * 1.5, "long": 60 * 60 * 24 * 60, "once": 60 * 60 * 2}
COOKIE_GEN = ""


@dataclass
class Session:
    """One row of the `sessions` table."""

    userid: int
    sessid: int
    auth: str
    exptype: str
    timecreate: float
    timeexpire: float
    ipfixed: str | None = None

    def master_cookie_string(self) -> str:
        return f"v1:u{self.userid}:s{self.sessid}:a{self.auth}//{COOKIE_GEN}"

    def loggedin_cookie_string(self) -> str:
        return f"u{self.userid}:s{self.sessid}"


def parse_cookie_header(header: str | None) -> dict[str, list[str]]:
    """Every value of every cookie (DW::Request cookie_multi), without SimpleCookie's quirks."""
    jar: dict[str, list[str]] = {}
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            jar.setdefault(name.strip(), []).append(value.strip().strip('"'))
    return jar


class Sessions:
    """The site's sessions, keyed by (userid, sessid)."""

    def __init__(self, clock: Callable[[], float], seed: int = 0) -> None:
        self.clock = clock
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._sessions: dict[tuple[int, int], Session] = {}
        self._counters: dict[int, int] = {}
        self.created = 0

    def create(
        self, account: Account, exptype: str = "short", ipfixed: str | None = None
    ) -> Session:
        now = self.clock()
        with self._lock:
            # lazy clean-up of expired sessions, as create() does
            for key in [k for k, s in self._sessions.items() if k[0] == account.userid]:
                if self._sessions[key].timeexpire < now:
                    del self._sessions[key]
            sessid = self._counters.get(account.userid, 0) + 1
            self._counters[account.userid] = sessid
            auth = "".join(
                self._rng.choice(string.ascii_letters + string.digits) for _ in range(10)
            )
            session = Session(
                account.userid, sessid, auth, exptype, now, now + SESSION_LENGTH[exptype], ipfixed
            )
            self._sessions[(account.userid, sessid)] = session
            self.created += 1
            return session

    def get(self, userid: int, sessid: int) -> Session | None:
        with self._lock:
            return self._sessions.get((userid, sessid))

    def active(self, userid: int) -> list[Session]:
        now = self.clock()
        with self._lock:
            return [s for (u, _), s in self._sessions.items() if u == userid and s.timeexpire > now]

    def kill(self, userid: int, sessids: list[int]) -> None:
        """LJ::Session->destroy_sessions: only the user's own sessions."""
        with self._lock:
            for sessid in sessids:
                self._sessions.pop((userid, int(sessid)), None)

    def kill_all(self, userid: int) -> None:
        with self._lock:
            for key in [k for k in self._sessions if k[0] == userid]:
                del self._sessions[key]

    def valid(self, session: Session, ip: str) -> bool:
        if session.timeexpire < self.clock():
            return False
        return not (session.ipfixed and session.ipfixed != ip)

    def from_cookies(self, header: str | None, ip: str) -> Session | None:
        """The session a request's cookies name (None: logged out)."""
        jar = parse_cookie_header(header)
        values = jar.get("ljmastersession") or []
        legacy = not values
        if legacy:
            values = jar.get("ljsession") or []
        loggedin = (jar.get("ljloggedin") or [""])[0]
        for value in values:
            session = self._from_master(value, ip)
            if session is None:
                continue
            if not legacy and session.loggedin_cookie_string() != loggedin:
                continue
            return session
        return None

    def _from_master(self, value: str, ip: str) -> Session | None:
        cookie, _, gen = value.partition("//")
        if gen != COOKIE_GEN:
            return None
        fields: dict[str, str] = {}
        for var in cookie.split(":"):
            if len(var) < 2 or var[0] not in "vusaf":
                return None  # bogus
            fields[var[0]] = var[1:]
        if fields.get("v") != "1":
            return None
        try:
            userid, sessid = int(fields.get("u", "")), int(fields.get("s", ""))
        except ValueError:
            return None
        session = self.get(userid, sessid)
        if session is None or session.auth != fields.get("a"):
            return None
        return session if self.valid(session, ip) else None

"""Failed-login bans and login challenges, on the site's (injectable) clock.

`LoginGuard` follows LJ::handle_bad_login and LJ::login_ip_banned (cgi-bin/LJ/User/Login.pm:
496-533) with the rate_check/rate_log bookkeeping (cgi-bin/LJ/User/Administration.pm:114-227)
and the example config's `rateallowed-failed_login` 3 per `rateperiod-failed_login` 300 s
(etc/config.pl.example:213-216):

* every failed password check logs one failure for (user, IP) while the failures of the last
  period plus this one stay within the allowance: failures 1, 2 and 3 are logged;
* the failure that would exceed it (the 4th within the period) is not logged but writes a
  `loginstall` row for (user, IP) with the current time - that attempt still answers 101;
* any later attempt for that user from that IP, right or wrong password, answers 402 until the
  period has passed since the stall (auth_okay checks the ban before the password,
  cgi-bin/LJ/Auth.pm:155-177). The ban is per user and IP, not per IP alone.

`Challenges` is getchallenge plus DW::Auth::Challenge->check: `c0:` tokens valid 60 s, usable once;
an expired one answers 105.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

FAILED_LOGIN_ALLOWED = 3
FAILED_LOGIN_PERIOD = 5 * 60
CHALLENGE_LIFETIME = 60


class LoginGuard:
    """Per (userid, ip): failed-login log and stall times."""

    def __init__(
        self,
        clock: Callable[[], float],
        allowed: int = FAILED_LOGIN_ALLOWED,
        period: float = FAILED_LOGIN_PERIOD,
    ) -> None:
        self.clock = clock
        self.allowed = allowed
        self.period = period
        self._failures: dict[tuple[int, str], list[float]] = {}
        self._stalls: dict[tuple[int, str], float] = {}
        self._lock = threading.Lock()

    def banned(self, userid: int, ip: str) -> bool:
        with self._lock:
            stalled = self._stalls.get((userid, ip))
        return stalled is not None and stalled > self.clock() - self.period

    def bad_login(self, userid: int, ip: str) -> None:
        now = self.clock()
        key = (userid, ip)
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if t > now - self.period]
            if len(recent) + 1 > self.allowed:
                self._stalls[key] = now
            else:
                recent.append(now)
            self._failures[key] = recent

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()
            self._stalls.clear()


class Challenges:
    """Login challenges handed out by `getchallenge`."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._issued: dict[str, float] = {}
        self._lock = threading.Lock()
        self._counter = 0

    def generate(self) -> tuple[str, int, int]:
        """(challenge, server_time, expire_time)."""
        now = int(self.clock())
        with self._lock:
            self._counter += 1
            secret = hashlib.sha1(f"chal:{now}:{self._counter}".encode()).hexdigest()
            challenge = f"c0:{now}:{CHALLENGE_LIFETIME}:{self._counter}:{secret}"
            self._issued[challenge] = now + CHALLENGE_LIFETIME
        return challenge, now, now + CHALLENGE_LIFETIME

    def check(self, challenge: str) -> tuple[bool, bool]:
        """(usable, expired): a known challenge is used up by checking it."""
        with self._lock:
            expires = self._issued.pop(challenge, None)
        if expires is None:
            return False, False
        if expires < self.clock():
            return False, True
        return True, False

"""Retries: transient failures and 429s, retried with tenacity, which also decides when to stop.

What is retryable is said by two signals raised inside an attempt: `Transient` (timeout,
connection error, truncated body, a response past its deadline, 5xx) and `TooManyRequests` (429).
`RetryPolicy.run` retries both, and stops through tenacity stop callables:

* after `max_attempts` 429s (`RateLimited`, exit 75), counted apart from
* `max_attempts` transient failures (`FetchError`), and
* at once when the server asks to wait longer than `max_retry_after` (429 or 5xx Retry-After).

Backoff between transient failures is exponential with jitter on the injected clock; after a 429
there is no sleep here: the limiter holds the next request back until Retry-After has passed
(and every other request of the run too), and the rate is halved for the rest of the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception_type, wait_exponential_jitter
from tenacity.stop import stop_any, stop_base

from ..errors import FetchError, RateLimited
from .clock import Clock
from .limiter import TokenBucket
from .results import FetchStats
from .retry_after import parse_retry_after

DEFAULT_RETRY_AFTER = 60.0  # what Dreamwidth sends, and our assumption when a 429 has none

T = TypeVar("T")
Emit = Callable[..., None]


class Transient(FetchError):
    """A failure worth retrying: timeout, connection error, truncated body, deadline, 5xx."""

    retry_after: float | None  # a 5xx's Retry-After, seconds

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(message, url=url, status=status)
        self.retry_after = retry_after


class TooManyRequests(FetchError):
    """A 429 from `url`'s host; nothing goes there for `retry_after` seconds."""

    retry_after: float

    def __init__(self, url: str, retry_after: float):
        super().__init__(f"HTTP 429, Retry-After {retry_after:g} s", url=url, status=429)
        self.retry_after = retry_after


def raise_for_retryable(url: str, status: int, retry_after: str | None, clock: Clock) -> None:
    """Turn a final 429 or 5xx answer from `url` into the signal the retry policy acts on."""
    if status == 429:
        seconds = parse_retry_after(retry_after, clock.now())
        raise TooManyRequests(url, DEFAULT_RETRY_AFTER if seconds is None else seconds)
    if status >= 500:
        seconds = parse_retry_after(retry_after, clock.now())
        raise Transient(f"HTTP {status}", url=url, status=status, retry_after=seconds)


def _failure(retry_state: RetryCallState) -> BaseException | None:
    outcome = retry_state.outcome
    return outcome.exception() if outcome is not None else None


class stop_after_failures(stop_base):
    """Stop once `limit` attempts have failed with `kind`; failures of other kinds do not count.

    Made fresh for each call (it counts the outcomes tenacity shows it)."""

    def __init__(self, kind: type[BaseException], limit: int) -> None:
        self.kind = kind
        self.limit = limit
        self.count = 0

    def __call__(self, retry_state: RetryCallState) -> bool:
        if isinstance(_failure(retry_state), self.kind):
            self.count += 1
        return self.count >= self.limit


class stop_when_asked_to_wait_over(stop_base):
    """Stop at once when the server asks to wait longer than `seconds` (429 or 5xx Retry-After)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __call__(self, retry_state: RetryCallState) -> bool:
        wait = getattr(_failure(retry_state), "retry_after", None)
        return wait is not None and wait > self.seconds


class RetryPolicy:
    """Runs one call's attempts: retries, backoff, Retry-After, and the final error when it stops."""

    def __init__(
        self,
        *,
        clock: Clock,
        stats: FetchStats,
        emit: Emit,
        limiter_for: Callable[[str], TokenBucket],
        max_attempts: int = 5,
        max_retry_after: float = 900.0,
        backoff_max: float = 60.0,
    ) -> None:
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {max_attempts}")
        self.clock = clock
        self.stats = stats
        self.max_attempts = max_attempts
        self.max_retry_after = max_retry_after
        self._emit = emit
        self._limiter_for = limiter_for
        self._backoff = wait_exponential_jitter(multiplier=1, max=backoff_max, jitter=1)

    def run(self, url: str, attempt: Callable[[], T]) -> T:
        """Call `attempt` until it returns, fails for good, or a stop condition holds."""
        too_many = stop_after_failures(TooManyRequests, self.max_attempts)
        transient = stop_after_failures(Transient, self.max_attempts)
        retrying = Retrying(
            retry=retry_if_exception_type((Transient, TooManyRequests)),
            stop=stop_any(stop_when_asked_to_wait_over(self.max_retry_after), too_many, transient),
            wait=self._wait,
            sleep=self._sleep,
            after=self._after_failure,
            before_sleep=lambda rs: self._before_retry(url, rs),
            retry_error_callback=lambda rs: self._give_up(url, rs, too_many.count),
        )
        result: T = retrying(attempt)
        return result

    # --- tenacity hooks ---------------------------------------------------------------------

    def _after_failure(self, retry_state: RetryCallState) -> None:
        """Every failed attempt: a 429 holds its host back and slows the rate; a 5xx's
        Retry-After (when we may wait that long) holds its host back too."""
        exc = _failure(retry_state)
        if isinstance(exc, TooManyRequests):
            limiter = self._limiter_for(exc.url or "")
            limiter.block_until(self.clock.monotonic() + exc.retry_after)
            limiter.slow_down()
        elif (
            isinstance(exc, Transient)
            and exc.retry_after is not None
            and exc.retry_after <= self.max_retry_after
        ):
            limiter = self._limiter_for(exc.url or "")
            limiter.block_until(self.clock.monotonic() + exc.retry_after)

    def _wait(self, retry_state: RetryCallState) -> float:
        if isinstance(_failure(retry_state), TooManyRequests):
            return 0.0  # the limiter holds the next request back until Retry-After has passed
        return float(self._backoff(retry_state))

    def _sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self.stats.waits += 1
        self.stats.waited += seconds
        self._emit("wait", seconds=seconds, reason="retry")
        self.clock.sleep(seconds)

    def _before_retry(self, url: str, retry_state: RetryCallState) -> None:
        self.stats.retries += 1
        self._emit(
            "retry", url=url, attempt=retry_state.attempt_number, error=str(_failure(retry_state))
        )

    def _give_up(self, url: str, retry_state: RetryCallState, n429: int) -> Any:
        """The stop condition held: raise the error the caller sees."""
        exc = _failure(retry_state)
        attempts = retry_state.attempt_number
        if isinstance(exc, TooManyRequests):
            if exc.retry_after > self.max_retry_after:
                raise RateLimited(
                    f"{url}: rate limited (HTTP 429); the site asks to wait "
                    f"{exc.retry_after:.0f} s, longer than {self.max_retry_after:g} s; "
                    "try again later",
                    url=url,
                    status=429,
                )
            raise RateLimited(
                f"{url}: still rate limited (HTTP 429) after {n429} attempts; try again later",
                url=url,
                status=429,
            )
        assert isinstance(exc, Transient)
        if exc.retry_after is not None and exc.retry_after > self.max_retry_after:
            raise FetchError(
                f"{url}: {exc} and asked to wait {exc.retry_after:.0f} s; try again later",
                url=url,
                status=exc.status,
            )
        raise FetchError(
            f"{url}: {exc} (gave up after {attempts} attempts)", url=url, status=exc.status
        )

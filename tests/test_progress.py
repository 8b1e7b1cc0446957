"""What a long run shows: the time-left estimate (checked against the real remaining time on the
injected clock), plain lines when not on a terminal, the live display on one, and `status`."""

from __future__ import annotations

import io
from typing import Any

import pytest

from scraper.crawl import CrawlOptions, run_archive
from scraper.crawl.estimate import Estimate, WorkEstimate
from scraper.fakesite import FakeSite, generate_journal
from scraper.fetch import FakeClock
from scraper.progress import LiveProgress, PlainProgress, format_duration, progress_printer

CONTACT = "tests@dwarchive.invalid"


class Recorder(PlainProgress):
    """A quiet printer that keeps every estimate with the clock time it was made at."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(quiet=True)
        self.fake_clock = clock
        self.samples: list[tuple[float, int, Estimate]] = []  # (time, requests so far, estimate)

    def __call__(self, kind: str, **info: Any) -> None:
        super().__call__(kind, **info)
        if kind == "progress":
            self.samples.append((self.fake_clock.monotonic(), info["requests"], info["estimate"]))


def _errors_after_listings(entries: int, seed: int, mean_comments: int, tmp_path) -> list[float]:
    """Archive a generated journal at the polite default rate on the injected clock; for every
    estimate made once the listings are read and while at least a tenth of the run's time was
    still ahead, its error against the time the run really still took."""
    journal = generate_journal("eta_check", entries, seed=seed, mean_comments=mean_comments)
    clock = FakeClock()
    recorder = Recorder(clock)
    with FakeSite([journal]) as site:
        summary = run_archive(
            site.url(journal.name),
            str(tmp_path / f"{seed}.db"),
            CrawlOptions(contact=CONTACT, rate=24),
            printer=recorder,
            clock=clock,
        )
    assert summary.outcome == "complete"
    start, end = recorder.samples[0][0], recorder.samples[-1][0]
    assert not recorder.samples[0][2].settled  # at first the total is a lower bound ('~')
    settled = [(t, est) for t, _, est in recorder.samples if est.settled]
    assert settled, "the listings were never all read"
    # the pace is the rate limit's: 24 requests a minute
    assert settled[0][1].seconds_left == pytest.approx(settled[0][1].remaining * 2.5)
    errors = []
    for t, est in settled:
        actual = end - t
        if actual >= 0.1 * (end - start):
            assert est.seconds_left is not None
            errors.append(abs(est.seconds_left - actual) / actual)
    assert len(errors) >= 20
    return errors


@pytest.mark.parametrize(
    "entries,seed,mean_comments",
    [(120, 3, 8), (400, 7, 40)],
    ids=["light: 120 entries, 8 comments each", "heavy: 400 entries, 40 comments each"],
)
def test_time_left_is_within_20_percent_once_the_listings_are_read(
    tmp_path, entries, seed, mean_comments
):
    errors = _errors_after_listings(entries, seed, mean_comments, tmp_path)
    assert max(errors) <= 0.20, f"worst error {max(errors):.0%}"


def test_time_left_on_a_journal_of_uneven_threads(tmp_path):
    """Deep, uneven threads make the comment work the hardest to foresee: the estimate is still
    within 20 % most of the time and never off by more than 40 %."""
    errors = sorted(_errors_after_listings(300, 11, 15, tmp_path))
    assert errors[len(errors) // 2] <= 0.20, f"median error {errors[len(errors) // 2]:.0%}"
    assert max(errors) <= 0.40, f"worst error {max(errors):.0%}"


def test_estimate_counts_queued_threads_by_their_collapsed_comments_and_learns():
    """A queued thread of k collapsed comments counts 1 + r(k-1); a big entry not read yet counts
    its comments times what entry pages led to; both rates move from their priors to what the
    crawl sees."""
    from scraper.crawl import estimate as e

    work = WorkEstimate({"entry": 2}, {1: 600, 2: 40}, seconds_per_request=2.5)
    # entry 2 has fewer than 50 comments: all on its page, nothing more expected
    assert work.remaining() == round(2 + 600 * e.PRIOR_ENTRY_EXTRA)
    thread = {"itemid": 1, "view": "thread", "size": 41}
    work.step("entry", {"itemid": 1}, [("comments", thread)] * 3, fetched=True, at=0.0)
    r = e.PRIOR_BRANCHING
    spawned = 3 * (1 + r * 40)
    entry_rate = (e.PRIOR_ENTRY_EXTRA * e.PRIOR_WEIGHT + spawned) / (e.PRIOR_WEIGHT + 600)
    assert work._entry_extra.value == pytest.approx(entry_rate)
    assert work.remaining() == round(1 + 3 * (1 + r * 40))
    # a thread view that resolved its 40 collapsed replies and opened nothing more: r falls
    work.step("comments", thread, [], fetched=True, at=2.5)
    r2 = (r * e.PRIOR_WEIGHT) / (e.PRIOR_WEIGHT + 40)
    assert work._branching.value == pytest.approx(r2)
    assert work.remaining() == round(1 + 2 * (1 + r2 * 40))
    assert work.snapshot().seconds_left == pytest.approx(work.remaining() * 2.5, abs=2.5)


def test_pace_is_measured_when_the_site_is_slower_than_the_limit():
    work = WorkEstimate({"day": 10}, {}, seconds_per_request=2.5)
    for i in range(6):
        work.step("day", {}, [], fetched=True, at=i * 4.0)
    assert work.seconds_per_request() == pytest.approx(4.0)
    assert work.snapshot().seconds_left == pytest.approx(4 * 4.0)


def test_plain_lines_when_not_a_terminal(site, run, db_path):
    """Through the real CLI (stderr is not a terminal): progress lines with the estimate, no
    terminal control sequences, then the summary; --quiet prints only the summary's absence."""
    result = run(
        "archive", site.url("nairiporter"), "--db", db_path, "--rate", "0", "--contact", CONTACT
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    progress = [line for line in lines if line.startswith("[")]
    assert progress and all(" pages" in line and " left" in line for line in progress)
    assert "\x1b" not in result.stderr
    assert "complete" in result.stdout
    quiet = run("sync", "--db", db_path, "--rate", "0", "--contact", CONTACT, "-q")
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == ""


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_live_display_on_a_terminal(site, tmp_path):
    out = FakeTerminal()
    printer = progress_printer(quiet=False, stream=out)
    assert isinstance(printer, LiveProgress)
    assert isinstance(progress_printer(quiet=True, stream=FakeTerminal()), PlainProgress)
    assert not isinstance(progress_printer(quiet=False, stream=io.StringIO()), LiveProgress)
    summary = run_archive(
        site.url("nairiporter"),
        str(tmp_path / "a.db"),
        CrawlOptions(contact=CONTACT, rate=24),
        printer=printer,
        clock=FakeClock(),
    )
    printer.close()
    text = out.getvalue()
    assert summary.outcome == "complete"
    assert "nairiporter" in text and "entry pages" in text and "24.0/min" in text
    assert f"{summary.pages}/{summary.pages} pages" in text
    assert "left" in text


def test_format_duration():
    assert [format_duration(s) for s in (None, 5, 250, 7500)] == ["?", "5s", "4m10s", "2h05m"]


def test_status_estimates_what_an_unfinished_run_has_left(site, run, db_path):
    """A run stopped by a 429 that does not end leaves its queue: `status` says how much is left
    and how long it takes at the default rate."""
    from scraper.fakesite import Fault

    site.add_fault(Fault("status", path=r"^/\d+\.html", params={"code": 429, "retry_after": 5000}))
    stopped = run(
        "archive", site.url("nairiporter"), "--db", db_path, "--rate", "0", "--contact", CONTACT
    )
    assert stopped.exit_code == 75
    status = run("status", "--db", db_path)
    line = next(x for x in status.stdout.splitlines() if "unfinished work" in x)
    pending = int(line.split("unfinished work: ")[1].split()[0])
    requests = int(line.split("about ")[1].split()[0])
    assert pending > 10 and requests >= pending - 3  # planning steps are no requests
    assert f"~{format_duration(requests * 2.5)} at 24 requests/minute" in line

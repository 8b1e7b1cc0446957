"""Requests per rendering: the same generated journal archived in each markup Dreamwidth serves.

For core2, the site style for entry pages, drifting, negatives and zesty (journal settings of the
fake site) and for a custom layer no parser reads (pages fall back to `?format=light`), this
archives one generated journal and reports the requests made against the computed minimum of
that rendering and of core2 (scraper.fakesite.minimum_requests), after checking the archive is
complete (tests/archive_check.compare). Used by bench/requests.py, which prints the table.
"""

from __future__ import annotations

from pathlib import Path

from bench.common import archive_in_process, compare_archive

CUSTOM_LAYER = (
    '<!DOCTYPE html><html><head><title>my journal</title></head><body class="my-own-layer">'
    '<div class="posts"><div class="post"><a href="/256.html">An entry</a><p>Text</p></div>'
    "</div></body></html>"
)
CUSTOM = "custom layer"


def bench_renderings(size: int, seed: int, tmp: Path) -> list[dict]:
    """One row per rendering: requests, minimums, ratios, completeness."""
    from scraper.fakesite import FakeSite, Fault, generate_journal
    from scraper.fakesite.minimum import minimum_requests
    from scraper.fakesite.model import RENDERINGS

    rows = []
    for rendering in (*RENDERINGS, CUSTOM):
        served = "siteviews" if rendering == CUSTOM else rendering
        journal = generate_journal(
            f"rendering_{seed}",  # the same name: the same content in every rendering
            size,
            seed=seed,
            rendering="core2" if rendering == CUSTOM else rendering,
        )
        db = tmp / f"rendering-{len(rows)}-{size}-{seed}.db"
        with FakeSite([journal]) as site:
            if rendering == CUSTOM:
                site.add_fault(
                    Fault(
                        "status",
                        path=r"^/(?!robots\.txt|profile|data/)(?!.*format=light)",
                        params={
                            "code": 200,
                            "body": CUSTOM_LAYER,
                            "headers": {"Content-Type": "text/html; charset=utf-8"},
                        },
                    )
                )
            summary = archive_in_process(site.url(journal.name), journal.name, db)
            made = len(site.log(journal.name))
        own = minimum_requests(journal, rendering=served)["total"]
        core2 = minimum_requests(journal, rendering="core2")["total"]
        rows.append(
            {
                "rendering": rendering,
                "entries": size,
                "seed": seed,
                "outcome": summary.outcome,
                "requests": made,
                "minimum": own,
                "core2_minimum": core2,
                "ratio": made / own,
                "ratio_core2": made / core2,
                "problems": compare_archive(str(db), journal)[:20],
                "retries": rendering == CUSTOM,  # read twice until each kind falls back
            }
        )
    return rows

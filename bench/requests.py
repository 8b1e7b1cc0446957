"""Requests per archive and per sync, against the fewest a complete archive needs.

On the real site the wait is set by politeness (30 requests per 60 s), so the number of requests
is the number that matters. For generated journals (50, 500 and 2,000 entries; realistic posting
days, cut tags, 0-300 comments per entry with deep and collapsed threads) this prints the requests
the archiver made, the minimum computed from the generator's model
(`scraper.fakesite.minimum_requests`), their ratio (target <= 1.05), the itemised difference, and
the requests of a no-change sync (target <= 2) and of a sync after one new entry (target <= 4).
Every archive and sync is checked against the model (tests/archive_check.compare) first: a low
count is worthless if data is missing.

It then archives one journal in every rendering (core2, the site style for entry pages,
drifting, negatives, zesty, and a custom layer read through the `?format=light` fallback) and
prints requests against that rendering's minimum and core2's (target <= 1.05 for every rendering
read without a retry; bench/renderings.py).

    python bench/requests.py [--quick] [--sizes 50,500,2000]
"""

from __future__ import annotations

if __name__ == "__main__" and __package__ in (None, ""):
    import pathlib
    import sys

    _here = pathlib.Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != _here]
    sys.path.insert(0, str(_here.parent))

import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bench.common import (
    Target,
    archive_in_process,
    base_parser,
    build_journal,
    compare_archive,
    diff_requests,
    entry_of,
    itemise,
    journal_spec,
    print_table,
    print_targets,
    write_result,
)
from bench.owner import NOCHANGE_OWNER_TARGET, OWNER_TARGET, bench_owner
from bench.renderings import bench_renderings

SIZES = (50, 500, 2000)
QUICK_SIZES = (30,)
SEEDS = (1, 2, 3)  # three journals per size: one seed could hide (or exaggerate) a weakness
QUICK_SEEDS = (1,)
RATIO_TARGET = 1.05
NOCHANGE_TARGET = 2
NEW_ENTRY_TARGET = 4
RENDERING_SIZE, RENDERING_SIZE_QUICK = 300, 40
OWNER_SIZES = ((131, 4.0), (1000, 8.0), (5000, 12.5))  # 5,000 entries: about 60,000 comments
OWNER_QUICK = ((131, 4.0),)


def add_new_entry(journal) -> int:
    """One new public entry posted two hours before the page time (no comments yet)."""
    from scraper.fakesite import FakeEntry

    itemid = journal.next_itemid()
    journal.entries.append(
        FakeEntry(
            itemid=itemid,
            subject="A new entry for the sync bench",
            body_html="<p>Posted after the archive; the next sync should fetch only this.</p>",
            posted_at=journal.page_generated - timedelta(hours=2),
            poster=journal.name,
            tags=["tea"],
            mood="curious",
        )
    )
    return itemid


def bench_journal(size: int, seed: int, workdir: Path) -> dict:
    from scraper.fakesite import FakeSite, minimum_request_plan, minimum_requests

    spec = journal_spec(f"req_{size}_s{seed}", size, seed)
    journal = build_journal(spec)
    db = str(workdir / f"{spec['name']}.db")
    out: dict = {
        "journal": spec["name"],
        "entries": size,
        "seed": seed,
        "comments": sum(len(e.comments) for e in journal.entries),
    }
    with FakeSite([journal]) as site:
        url = site.url(journal.name)
        # the minimum is for the journal as archived (before the sync bench adds an entry)
        minimum = minimum_requests(journal)
        plan = minimum_request_plan(journal)
        t0 = time.perf_counter()
        summary = archive_in_process(url, journal.name, db)
        out["archive_s"] = time.perf_counter() - t0
        paths = [r.path for r in site.log(journal.name)]
        out["outcome"] = summary.outcome
        out["requests"] = len(paths)
        out["summary_requests"] = summary.requests
        out["minimum"] = minimum["total"]
        out["ratio"] = len(paths) / minimum["total"]
        out["problems"] = compare_archive(db, journal)
        out["ours_by_kind"] = itemise(paths)
        out["minimum_by_kind"] = {k: v for k, v in minimum.items() if k != "total"}
        diff = diff_requests(paths, plan)
        out["diff_by_kind"] = diff.by_category()
        out["extra"] = diff.extra
        out["missing"] = diff.missing
        out["repeated"] = diff.repeated
        out["extra_threads_under_placeholder"] = _threads_under_placeholders(journal, diff.extra)

        # no-change sync
        site.clear_log()
        s1 = archive_in_process(url, journal.name, db, mode="incremental", command="sync")
        log1 = [f"{r.path} {r.status}" for r in site.log(journal.name)]
        out["sync_nochange"] = {
            "requests": len(log1),
            "outcome": s1.outcome,
            "log": log1,
            "problems": compare_archive(db, journal),
        }
        # and again: now the feed's Last-Modified is stored, so it can answer 304
        site.clear_log()
        s1b = archive_in_process(url, journal.name, db, mode="incremental", command="sync")
        log1b = [f"{r.path} {r.status}" for r in site.log(journal.name)]
        out["sync_nochange_again"] = {"requests": len(log1b), "outcome": s1b.outcome, "log": log1b}
        # one new entry, then sync
        new_id = add_new_entry(journal)
        site.clear_log()
        s2 = archive_in_process(url, journal.name, db, mode="incremental", command="sync")
        log2 = [f"{r.path} {r.status}" for r in site.log(journal.name)]
        problems = compare_archive(db, journal)
        out["sync_new_entry"] = {
            "requests": len(log2),
            "outcome": s2.outcome,
            "log": log2,
            "new_itemid": new_id,
            "new_entries": s2.changes.new_entries,
            "problems": problems,
        }
    return out


def _threads_under_placeholders(journal, extra: list[str]) -> int:
    """Extra ?thread=ID views whose comment hangs below a deleted/screened/suspended placeholder
    (the crawl planner's likely cause: it treats such a comment as the top of a collapsed
    subtree although the view of a collapsed ancestor shows it)."""
    n = 0
    for path in extra:
        if "thread=" not in path:
            continue
        entry = journal.entry(entry_of(path))
        cid = int(path.rsplit("thread=", 1)[1])
        by_id = {c.commentid: c for c in entry.comments} if entry else {}
        parent = by_id.get(getattr(by_id.get(cid), "parent", None))
        if parent is not None and parent.state in ("deleted", "screened", "suspended"):
            n += 1
    return n


def _short(problems: list[str]) -> str:
    return "complete" if not problems else f"{len(problems)} differences"


def main(argv: list[str] | None = None) -> int:
    p = base_parser(__doc__.splitlines()[0])
    p.add_argument("--sizes", default=None, help="comma-separated entry counts")
    args = p.parse_args(argv)
    sizes = (
        tuple(int(s) for s in args.sizes.split(","))
        if args.sizes
        else (QUICK_SIZES if args.quick else SIZES)
    )
    seeds = QUICK_SEEDS if args.quick else SEEDS
    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory(prefix="dwbench-req-") as tmp:
        for size in sizes:
            for seed in seeds:
                results.append(bench_journal(size, seed, Path(tmp)))
        renderings = bench_renderings(
            RENDERING_SIZE_QUICK if args.quick else RENDERING_SIZE, 1, Path(tmp)
        )
        sizes_owner = OWNER_QUICK if args.quick else OWNER_SIZES
        owner = [bench_owner(n, c, Path(tmp)) for n, c in sizes_owner]

    total_ours = sum(r["requests"] for r in results)
    total_min = sum(r["minimum"] for r in results)
    print_table(
        "Archive requests vs the minimum a complete archive needs (same journal, same run)",
        ["journal", "entries", "comments", "requests", "minimum", "ratio", "target", "archive"],
        [
            [
                r["journal"],
                r["entries"],
                r["comments"],
                r["requests"],
                r["minimum"],
                f"{r['ratio']:.3f}",
                f"<= {RATIO_TARGET}",
                _short(r["problems"]),
            ]
            for r in results
        ]
        + [
            [
                "all",
                sum(r["entries"] for r in results),
                sum(r["comments"] for r in results),
                total_ours,
                total_min,
                f"{total_ours / total_min:.3f}",
                "",
                "",
            ]
        ],
        notes=[
            (
                "minimum = scraper.fakesite.minimum_requests(journal): robots + recent + skip/day "
                "pages of an optimal cover + year pages + entry pages holding data no listing "
                "shows + comment pages + thread views + profile"
            ),
            (
                "archive = tests/archive_check.compare(db, model): every public entry, comment "
                "and calendar day present and equal"
            ),
        ],
    )
    kinds = [k for k in results[0]["ours_by_kind"]]
    rows = []
    for k in kinds:
        row = [k]
        for size in sizes:
            group = [r for r in results if r["entries"] == size]
            row += [
                sum(r["ours_by_kind"].get(k, 0) for r in group),
                sum(r["minimum_by_kind"].get(k, 0) for r in group),
            ]
        rows.append(row)
    cols = ["kind"]
    for size in sizes:
        cols += [f"ours {size}", f"min {size}"]
    print_table(f"Requests by kind, ours vs minimum (summed over seeds {list(seeds)})", cols, rows)

    differing = [r for r in results if r["extra"] or r["missing"] or r["repeated"]]
    if differing:
        print_table(
            "Journals whose requests differ from minimum_request_plan() (itemised)",
            [
                "journal",
                "kind",
                "extra (ours only)",
                "missing (plan only)",
                "net",
                "extra threads below a placeholder",
            ],
            [
                [
                    r["journal"],
                    k,
                    e,
                    m,
                    e - m,
                    r["extra_threads_under_placeholder"] if k == "thread_views" else "",
                ]
                for r in differing
                for k, (e, m) in r["diff_by_kind"].items()
            ],
        )
    for r in results:
        if r["ratio"] > RATIO_TARGET or r["repeated"]:
            entries = Counter(entry_of(x) for x in r["extra"] + r["missing"] if entry_of(x))
            print_table(
                f"{r['journal']}: ratio {r['ratio']:.4f} > {RATIO_TARGET}: our requests vs "
                "minimum_request_plan()",
                ["kind", "extra (ours only)", "missing (plan only)", "net"],
                [[k, e, m, e - m] for k, (e, m) in r["diff_by_kind"].items()],
                notes=[
                    f"entries concerned: {dict(entries.most_common(6))}",
                    f"extra e.g. {r['extra'][:6]}",
                    f"missing e.g. {r['missing'][:6]}",
                    f"repeated URLs: {r['repeated'][:6]}",
                ],
            )
    print_table(
        "Sync requests after the archive",
        [
            "journal",
            "no-change",
            "again",
            "target",
            "one new entry",
            "target",
            "new stored",
            "archive",
        ],
        [
            [
                r["journal"],
                r["sync_nochange"]["requests"],
                r["sync_nochange_again"]["requests"],
                f"<= {NOCHANGE_TARGET}",
                r["sync_new_entry"]["requests"],
                f"<= {NEW_ENTRY_TARGET}",
                r["sync_new_entry"]["new_entries"],
                _short(r["sync_nochange"]["problems"] + r["sync_new_entry"]["problems"]),
            ]
            for r in results
        ],
        notes=[
            (
                f"no-change sync fetched: {results[-1]['sync_nochange']['log']}; again: "
                f"{results[-1]['sync_nochange_again']['log']}"
            ),
            f"new-entry sync fetched: {results[-1]['sync_new_entry']['log']}",
        ],
    )

    print_table(
        "Requests per rendering (one generated journal, archived in each markup)",
        [
            "rendering",
            "entries",
            "requests",
            "its minimum",
            "ratio",
            "core2 minimum",
            "ratio",
            "archive",
        ],
        [
            [
                r["rendering"],
                r["entries"],
                r["requests"],
                r["minimum"],
                f"{r['ratio']:.3f}",
                r["core2_minimum"],
                f"{r['ratio_core2']:.3f}",
                _short(r["problems"]),
            ]
            for r in renderings
        ],
        notes=[
            (
                "its minimum: minimum_requests(journal, rendering=...): the site style shows 20 "
                "entries a recent page whatever the journal's setting; zesty needs one thread "
                "view per comment from a suspended user (it prints them like collapsed "
                "anonymous ones)"
            ),
            (
                "custom layer: every kind of page is tried once in the journal's style, then "
                "read with ?format=light (its minimum is the site style's)"
            ),
        ],
    )
    direct = [r for r in renderings if not r["retries"]]
    print_table(
        "Owner mode (protocol, API key) vs the anonymous HTML path, same journals",
        [
            "entries",
            "comments",
            "owner",
            "minimum",
            "ratio",
            "no-change sync",
            "anonymous",
            "anonymous / owner",
            "at the default rates",
        ],
        [
            [
                r["entries"],
                r["comments"],
                r["owner_requests"],
                r["minimum"],
                f"{r['ratio']:.3f}",
                r["owner_sync_requests"],
                r["anonymous_requests"],
                f"{r['anonymous_per_owner']:.1f}x",
                f"{r['minutes_owner_at_60']:.1f} min vs {r['hours_anonymous_at_24']:.1f} h",
            ]
            for r in owner
        ],
        notes=[
            (
                "minimum = session + ceil(items/500) syncitems + ceil(entries/100) getevents + "
                "comment_meta windows + comment_body windows + sessionexpire, plus login (the "
                "mood list), robots.txt and the profile page"
            ),
            "at the default rates: owner mode 60 requests/minute, anonymous 24",
        ],
    )

    worst = max(results, key=lambda r: r["ratio"])
    targets = [
        Target(
            "archive requests / minimum (worst journal)",
            f"{worst['ratio']:.3f}",
            f"<= {RATIO_TARGET}",
            worst["ratio"] <= RATIO_TARGET,
        ),
        Target(
            "archive requests / minimum (all journals)",
            f"{total_ours / total_min:.3f}",
            f"<= {RATIO_TARGET}",
            total_ours / total_min <= RATIO_TARGET,
        ),
        Target(
            "archives complete (compare == [])",
            all(not r["problems"] for r in results),
            "all",
            all(not r["problems"] for r in results),
        ),
        Target(
            "no-change sync requests (max)",
            max(
                r[k]["requests"] for r in results for k in ("sync_nochange", "sync_nochange_again")
            ),
            f"<= {NOCHANGE_TARGET}",
            all(
                r[k]["requests"] <= NOCHANGE_TARGET
                for r in results
                for k in ("sync_nochange", "sync_nochange_again")
            ),
        ),
        Target(
            "one-new-entry sync requests (max)",
            max(r["sync_new_entry"]["requests"] for r in results),
            f"<= {NEW_ENTRY_TARGET}",
            all(
                r["sync_new_entry"]["requests"] <= NEW_ENTRY_TARGET
                and not r["sync_new_entry"]["problems"]
                for r in results
            ),
        ),
    ]
    targets += [
        Target(
            "requests / minimum, every rendering read without a retry (worst)",
            f"{max(r['ratio'] for r in direct):.3f}",
            f"<= {RATIO_TARGET}",
            all(r["ratio"] <= RATIO_TARGET for r in direct),
        ),
        Target(
            "every rendering archived completely (custom layer included)",
            all(not r["problems"] and r["outcome"] == "complete" for r in renderings),
            "all",
            all(not r["problems"] and r["outcome"] == "complete" for r in renderings),
        ),
    ]
    targets += [
        Target(
            "owner-mode requests / its minimum (worst)",
            f"{max(r['ratio'] for r in owner):.3f}",
            f"<= {OWNER_TARGET}",
            all(r["ratio"] <= OWNER_TARGET for r in owner),
        ),
        Target(
            "owner-mode no-change sync requests (max)",
            max(r["owner_sync_requests"] for r in owner),
            f"<= {NOCHANGE_OWNER_TARGET}",
            all(r["owner_sync_requests"] <= NOCHANGE_OWNER_TARGET for r in owner),
        ),
        Target(
            "owner mode complete (archive and sync)",
            all(
                r["owner_outcome"] == "complete" and r["owner_sync_outcome"] == "complete"
                for r in owner
            ),
            "all",
            all(
                r["owner_outcome"] == "complete" and r["owner_sync_outcome"] == "complete"
                for r in owner
            ),
        ),
    ]
    print_targets("requests", targets)
    for r in results:  # keep the JSON line small: paths only where there is a difference
        r["extra"], r["missing"] = r["extra"][:50], r["missing"][:50]
        r["problems"] = r["problems"][:20]
        for key in ("sync_nochange", "sync_new_entry"):
            r[key]["problems"] = r[key]["problems"][:20]
    path = write_result(
        "requests",
        {
            "sizes": list(sizes),
            "seeds": list(seeds),
            "journals": results,
            "renderings": renderings,
            "owner": owner,
            "total_requests": total_ours,
            "total_minimum": total_min,
            "elapsed_s": time.perf_counter() - started,
        },
        targets,
        args.results,
        args.quick,
    )
    print(f"requests: {time.perf_counter() - started:.1f} s; result line appended to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

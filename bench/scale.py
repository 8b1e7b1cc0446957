"""Scale: archive generated journals of 2,500, 5,000 and 10,000 entries (10,000 entries with about
50,000 comments) from the loopback fake site with the limiter disabled, then `reparse` them.

The fake site runs in its own process and the archiver in another (`python -m bench.common
archive`), so the peak RSS printed (VmHWM) is the archiver's alone; reparse runs in a third. Per
size: wall time, pages per second, the archiver's CPU time, its peak RSS (target < 200 MB and
flat as the journal grows), and the reparse time of the whole archive. Growth is printed as
ratios against the smallest journal of the same run (the machines are noisy): time per page and
peak memory should stay near 1.0x while the journal grows 4x. Each archive is also checked for
completeness against the model and its requests against the computed minimum.

    python bench/scale.py [--quick] [--sizes 2500,5000,10000] [--profile DIR]
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
from pathlib import Path

from bench.common import (
    SiteProcess,
    Target,
    base_parser,
    build_journal,
    compare_archive,
    content_rows,
    journal_spec,
    print_table,
    print_targets,
    run_worker,
    write_result,
)

SIZES = (2500, 5000, 10000)
QUICK_SIZES = (60, 120)
SEED = 6  # with a mean of 5.2 comments per entry: 10,000 entries carry 50,733 comments
MEAN_COMMENTS = 5.2
RSS_TARGET_MB = 200.0
RSS_GROWTH_TARGET = 1.25  # "flat": peak RSS of the largest / smallest journal
TIME_GROWTH_TARGET = 1.25  # time per page of the largest / smallest journal


def run_size(
    size: int,
    workdir: Path,
    profile_dir: Path | None,
    baseline_src: Path | None = None,
    baseline_first: bool = True,
) -> dict:
    from scraper.fakesite import minimum_requests

    spec = journal_spec(f"scale_{size}", size, SEED, MEAN_COMMENTS)
    db = str(workdir / f"{spec['name']}.db")
    extra = []
    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
        extra = ["--profile", str(profile_dir / f"archive_{size}.prof")]
    base: dict = {}
    with SiteProcess(spec) as site:

        def archive(path: str, src: Path | None, more=()) -> dict:
            return run_worker(
                "archive",
                "--url",
                site.url,
                "--name",
                spec["name"],
                "--db",
                path,
                *more,
                scraper_src=src,
            )

        if baseline_src is not None:
            base_db = str(workdir / f"{spec['name']}.baseline.db")
            if baseline_first:
                base["archive"] = archive(base_db, baseline_src)
            arch = archive(db, None, extra)
            if not baseline_first:
                base["archive"] = archive(base_db, baseline_src)
        else:
            arch = archive(db, None, extra)
    journal = build_journal(spec)
    problems = compare_archive(db, journal)
    minimum = minimum_requests(journal)["total"]
    if baseline_src is not None:
        base["same_content"] = content_rows(db) == content_rows(base_db)
        base["reparse"] = run_worker("reparse", "--db", base_db, scraper_src=baseline_src)
    rep = run_worker("reparse", "--db", db)
    return {
        "baseline": base,
        "entries": size,
        "comments": sum(len(e.comments) for e in journal.entries),
        "outcome": arch["outcome"],
        "requests": arch["requests"],
        "minimum": minimum,
        "pages": arch["pages"],
        "wall_s": arch["wall_s"],
        "pages_per_s": arch["pages"] / arch["wall_s"],
        "ms_per_page": 1000 * arch["wall_s"] / max(1, arch["pages"]),
        "archiver_cpu_s": arch["cpu_s"],
        "site_cpu_s": site.final.get("cpu_s"),
        "peak_rss_mb": arch["peak_rss_kb"] / 1024,
        "start_rss_mb": (arch["rss_start_kb"] or 0) / 1024,
        "site_peak_rss_mb": (site.final.get("peak_rss_kb") or 0) / 1024,
        "db_mb": Path(db).stat().st_size / 1e6,
        "reparse_s": rep["wall_s"],
        "reparse_pages": rep["parsed"],
        "reparse_errors": rep["errors"],
        "reparse_changes": rep["changes"],
        "reparse_peak_rss_mb": rep["peak_rss_kb"] / 1024,
        "problems": problems,
    }


def main(argv: list[str] | None = None) -> int:
    p = base_parser(__doc__.splitlines()[0])
    p.add_argument("--sizes", default=None, help="comma-separated entry counts")
    p.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="write a cProfile of each archive worker into this directory",
    )
    p.add_argument(
        "--baseline-src",
        type=Path,
        default=None,
        help="a directory holding another copy of the `scraper` package (e.g. "
        "`git worktree add /tmp/base HEAD~1`): each journal is also archived and "
        "reparsed with it, from the same site process, and the ratios printed",
    )
    args = p.parse_args(argv)
    sizes = (
        tuple(int(s) for s in args.sizes.split(","))
        if args.sizes
        else (QUICK_SIZES if args.quick else SIZES)
    )
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="dwbench-scale-") as tmp:
        for i, size in enumerate(sizes):
            t0 = time.perf_counter()
            rows.append(
                run_size(
                    size, Path(tmp), args.profile, args.baseline_src, baseline_first=i % 2 == 0
                )
            )
            print(f"scale: {size} entries done in {time.perf_counter() - t0:.0f} s", flush=True)
    base = rows[0]
    for r in rows:
        r["size_x"] = r["entries"] / base["entries"]
        r["time_x"] = r["wall_s"] / base["wall_s"]
        r["per_page_x"] = r["ms_per_page"] / base["ms_per_page"]
        r["rss_x"] = r["peak_rss_mb"] / base["peak_rss_mb"]
        r["reparse_per_page_ms"] = 1000 * r["reparse_s"] / max(1, r["reparse_pages"])
    print_table(
        "Archive from the loopback fake site, limiter off (site and archiver in separate "
        "processes)",
        [
            "entries",
            "comments",
            "requests",
            "/ minimum",
            "wall s",
            "pages/s",
            "ms/page",
            "archiver CPU s",
            "site CPU s",
            "peak RSS MB",
            "archive",
        ],
        [
            [
                r["entries"],
                r["comments"],
                r["requests"],
                f"{r['requests'] / r['minimum']:.3f}",
                round(r["wall_s"], 1),
                round(r["pages_per_s"], 1),
                round(r["ms_per_page"], 2),
                round(r["archiver_cpu_s"], 1),
                round(r["site_cpu_s"] or 0, 1),
                round(r["peak_rss_mb"], 1),
                "complete" if not r["problems"] else f"{len(r['problems'])} differences",
            ]
            for r in rows
        ],
        notes=[
            (
                "peak RSS = VmHWM of the archiver process (imports included: "
                f"{rows[0]['start_rss_mb']:.0f} MB before the first request)"
            ),
            (
                "wall time includes the site rendering each page (its CPU time is printed "
                "apart; on 2 cores the two mostly take turns)"
            ),
        ]
        + (
            ["with --baseline-src the site served both archives: its CPU time covers both"]
            if args.baseline_src
            else []
        ),
    )
    print_table(
        f"Growth against the {base['entries']:,}-entry journal of this run",
        ["entries", "size", "wall time", "time per page", "peak RSS", "target"],
        [
            [
                r["entries"],
                f"{r['size_x']:.2f}x",
                f"{r['time_x']:.2f}x",
                f"{r['per_page_x']:.2f}x",
                f"{r['rss_x']:.2f}x",
                "per page and RSS ~1x",
            ]
            for r in rows
        ],
    )
    print_table(
        "reparse (whole archive, offline: every stored page parsed and saved again)",
        [
            "entries",
            "pages",
            "seconds",
            "pages/s",
            "ms/page",
            "errors",
            "changes",
            "peak RSS MB",
            "DB MB",
        ],
        [
            [
                r["entries"],
                r["reparse_pages"],
                round(r["reparse_s"], 1),
                round(r["reparse_pages"] / r["reparse_s"], 1),
                round(r["reparse_per_page_ms"], 2),
                r["reparse_errors"],
                sum(r["reparse_changes"]),
                round(r["reparse_peak_rss_mb"], 1),
                round(r["db_mb"], 1),
            ]
            for r in rows
        ],
        notes=["changes = records a reparse of an unchanged archive rewrote (should be 0)"],
    )
    if args.baseline_src is not None:
        print_table(
            f"Same run, same site process: baseline ({args.baseline_src}) vs this tree",
            [
                "entries",
                "archive s base",
                "archive s now",
                "speed-up",
                "archiver CPU base",
                "archiver CPU now",
                "CPU ratio",
                "reparse s base",
                "reparse s now",
                "speed-up",
                "peak RSS base",
                "peak RSS now",
                "same data",
            ],
            [
                [
                    r["entries"],
                    round(r["baseline"]["archive"]["wall_s"], 1),
                    round(r["wall_s"], 1),
                    f"{r['baseline']['archive']['wall_s'] / r['wall_s']:.2f}x",
                    round(r["baseline"]["archive"]["cpu_s"], 1),
                    round(r["archiver_cpu_s"], 1),
                    f"{r['baseline']['archive']['cpu_s'] / r['archiver_cpu_s']:.2f}x",
                    round(r["baseline"]["reparse"]["wall_s"], 1),
                    round(r["reparse_s"], 1),
                    f"{r['baseline']['reparse']['wall_s'] / r['reparse_s']:.2f}x",
                    round(r["baseline"]["archive"]["peak_rss_kb"] / 1024, 1),
                    round(r["peak_rss_mb"], 1),
                    r["baseline"]["same_content"],
                ]
                for r in rows
            ],
            notes=[
                (
                    "speed-up = baseline time / this tree's time; the order of the two archives "
                    "alternates between sizes; 'same data' compares every content table (fetch "
                    "times aside) of the two archives"
                )
            ],
        )
    big = rows[-1]
    targets = [
        Target(
            f"peak RSS of the archiver, {big['entries']:,} entries",
            f"{big['peak_rss_mb']:.0f} MB",
            f"< {RSS_TARGET_MB:g} MB",
            big["peak_rss_mb"] < RSS_TARGET_MB,
        ),
        Target(
            f"peak RSS growth ({base['entries']:,} -> {big['entries']:,} entries)",
            f"{big['rss_x']:.2f}x",
            f"<= {RSS_GROWTH_TARGET}x (flat)",
            big["rss_x"] <= RSS_GROWTH_TARGET,
        ),
        Target(
            f"time per page growth ({base['entries']:,} -> {big['entries']:,} entries)",
            f"{big['per_page_x']:.2f}x",
            f"<= {TIME_GROWTH_TARGET}x (linear total)",
            big["per_page_x"] <= TIME_GROWTH_TARGET,
        ),
        Target(
            "archives complete (compare == [])",
            all(not r["problems"] for r in rows),
            "all",
            all(not r["problems"] for r in rows),
        ),
        Target(
            "reparse of an unchanged archive: errors + changes",
            sum(r["reparse_errors"] + sum(r["reparse_changes"]) for r in rows),
            "0",
            all(r["reparse_errors"] == 0 and not any(r["reparse_changes"]) for r in rows),
        ),
    ]
    print_targets("scale", targets)
    for r in rows:
        r["problems"] = r["problems"][:20]
    path = write_result(
        "scale",
        {
            "sizes": list(sizes),
            "seed": SEED,
            "mean_comments": MEAN_COMMENTS,
            "runs": rows,
            "elapsed_s": time.perf_counter() - started,
        },
        targets,
        args.results,
        args.quick,
    )
    print(f"scale: {time.perf_counter() - started:.1f} s; result line appended to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

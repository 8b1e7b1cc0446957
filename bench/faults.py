"""Issues 5 and 13's figures: the archiver under every fault the fake site can inject, and
under hostile pages, hosts and databases, each row with its time and peak memory.

For each scenario of tests/fault_scenarios.py (the same ones tests/test_faults.py asserts), over
real loopback HTTP with retries and Retry-After waits on a simulated clock: a complete archive,
then `dwarchive archive` with the fault injected, once into that archive and once into a new
file; then the fault cleared (or the remedy named by the one-line reason given) and both run
again. Per fault kind: the faulted runs, the rows of the previous complete archive lost or
changed (must be 0), the calendar coverage after the re-run (must be 100 %), the 429s the site
sent, and the exit codes (0 ok, 1 error, 75 rate-limited/captcha). Scenarios whose faults fire at
random run with several seeds.

The last row is kill -9 of a real `dwarchive archive` subprocess at 20 random points of the
crawl of a 300-entry journal served by another process (and 5 more during `sync --full`), each
followed by a resumed run (tests/test_kill_resume.py): integrity_check ok after every kill, at
most one URL repeated per kill, and a complete archive at the end.

The hostile rows (issue 13): the scenarios of a page nested 100,000 <div> deep (refused before
the parse, recorded in parse_errors) and of a response dripping one byte every 20 s (abandoned
at the 120 s deadline) come with the others; images from hosts a journal may not make dwarchive
fetch (loopback spellings, redirects off the page's hosts) are refused without a request; and
bench/hostile.py's exports (the hostile journal, deep threads and bodies, crafted databases)
run one per worker process. Peak memory: the process's high-water mark (VmHWM) while the row
ran, reset before each row (/proc/self/clear_refs) or measured in the row's own worker.

Hypothesis at 10,000 examples per parser runs as `pytest -m slow tests/test_parse_fuzz.py`
(about 6 minutes; not part of this bench, which stays under 3 minutes).

    python bench/faults.py [--quick] [--seeds N] [--kills N]
"""

from __future__ import annotations

if __name__ == "__main__" and __package__ in (None, ""):
    import pathlib
    import sys

    _here = pathlib.Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != _here]
    sys.path.insert(0, str(_here.parent))

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    ROOT,
    Target,
    base_parser,
    peak_rss_kb,
    print_table,
    print_targets,
    write_result,
)


def reset_peak() -> bool:
    """Reset this process's peak RSS (Linux: writing 5 to clear_refs); False when unsupported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_mb() -> float:
    return round(peak_rss_kb() / 1024, 1)


def run_faults(seeds: int, workdir: Path) -> list[dict]:
    from tests.fault_scenarios import SCENARIOS, Outcome, run_scenario

    rows = []
    for n, scenario in enumerate(SCENARIOS):
        reset_peak()
        started = time.perf_counter()
        total = Outcome(scenario.kind)
        for seed in range(seeds if scenario.seeded else 1):
            total.merge(run_scenario(scenario, workdir / f"s{n}-{seed}", seed))
        rows.append(
            {
                "kind": scenario.kind,
                "runs": total.runs,
                "records_lost": total.lost,
                "coverage_after_rerun": total.coverage,
                "n429": total.n429,
                "exit_codes": sorted(set(total.codes)),
                "expected_exit": scenario.code,
                "reason": next((r for r in total.reasons if r), ""),
                "problems": total.problems,
                "seconds": round(time.perf_counter() - started, 2),
                "peak_rss_mb": peak_mb(),
            }
        )
        print(f"  {scenario.kind}: {'ok' if not total.problems else total.problems[0]}", flush=True)
    return rows


def run_images(workdir: Path) -> dict:
    """`archive --images` asked for images it may not fetch: a journal on the web embedding
    loopback in four spellings and a userpic on loopback; a loopback journal whose images
    redirect to a port no entry uses and to the web. Every one refused and recorded, none of
    the hosts receives a request (tests/test_images_hosts.py's checks, in one run)."""
    from scraper.fetch.clock import FakeClock
    from scraper.images import archive_images, image_failures
    from tests.readside_archive import J
    from tests.test_images import Site
    from tests.test_images_hosts import CONTACT, DW_ROOT, Resolver, _archive

    reset_peak()
    started = time.perf_counter()
    clock = FakeClock()
    images, other = Site(clock), Site(clock)
    problems: list[str] = []
    refused = found = 0
    try:
        b, port, o = images.base, images.base.rsplit(":", 1)[1], other.base
        images.extra = {
            "/to-other.png": (302, "text/plain", b"", {"Location": f"{o}/a.png"}),
            "/to-web.png": (302, "text/plain", b"", {"Location": "https://img.example.org/a.png"}),
        }
        cases = [
            (
                workdir / "web",
                DW_ROOT,
                [
                    (f'<img src="{b}/a.png"><img src="http://localhost:{port}/a.png">', {}),
                    (
                        f'<img src="http://2130706433:{port}/a.png"><img src="http://[::1]:{port}/x">',
                        {},
                    ),
                    ('<img src="http://0x7f.1/a.png">', {"userpic_url": f"{b}/b.png"}),
                ],
            ),
            (
                workdir / "loop",
                f"{b}/{J}/",
                [(f'<img src="{b}/to-other.png"><img src="{b}/to-web.png">', {})],
            ),
        ]
        for path, root, bodies in cases:
            path.mkdir(parents=True)
            db = _archive(path, root, bodies)
            summary = archive_images(db, J, contact=CONTACT, clock=clock, resolve=Resolver())
            failures = image_failures(db, J)
            found += summary["found"]
            refused += sum(f["status"] == "refused" for f in failures)
            db.close()
        reached = [p for p, _ in images.requests if p != "/to-other.png" and p != "/to-web.png"]
        if reached or other.requests:
            problems.append(f"disallowed hosts were asked: {reached + other.requests}")
        if refused != found:
            problems.append(f"{found - refused} of {found} images not refused")
    finally:
        images.close()
        other.close()
    return {
        "kind": f"images from disallowed hosts ({found}: loopback spellings, redirects)",
        "runs": 2,
        "records_lost": 0,
        "coverage_after_rerun": None,
        "n429": 0,
        "exit_codes": [],
        "refused": refused,
        "problems": problems,
        "seconds": round(time.perf_counter() - started, 2),
        "peak_rss_mb": peak_mb(),
    }


def run_exports(quick: bool, workdir: Path) -> list[dict]:
    """bench/hostile.py's exports, one row each (each in its own worker: its own peak RSS)."""
    from bench import hostile

    rows = []
    for row in hostile.run(quick, workdir):
        rows.append(
            {
                "kind": f"export {row['format']}: {row['kind']}",
                "runs": 1,
                "records_lost": row.get("written_outside", 0),
                "coverage_after_rerun": None,
                "n429": 0,
                "exit_codes": [],
                "result": hostile.describe(row) or row["outcome"],
                "problems": [] if hostile.safe(row) else [hostile.describe(row)],
                "seconds": row["seconds"],
                "peak_rss_mb": row["peak_rss_mb"],
                "raw": row,
            }
        )
    return rows


def run_kills(kills: int, sync_kills: int, workdir: Path) -> dict:
    """tests/test_kill_resume.py's check with `kills` kill points (its figures, or its failure)."""
    from tests import test_kill_resume as k

    url_file, log = workdir / "url", workdir / "requests.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.serve_generated",
            k.NAME,
            str(k.ENTRIES),
            str(k.SEED),
            str(url_file),
            str(log),
        ],
        cwd=ROOT,
    )
    started = time.perf_counter()
    try:
        if not k.wait_until(url_file.exists, 30):
            return {"problems": ["the fake site did not start"]}
        site = k.Site(url_file.read_text(), log, proc)
        journal = k.generate_journal(k.NAME, k.ENTRIES, k.SEED, comments=(0, 60))
        try:
            figures = k.archive_and_sync_with_kills(
                site, journal, workdir, kills, sync_kills, seed=20260101
            )
            figures["problems"] = []
        except AssertionError as exc:
            figures = {"problems": [f"{type(exc).__name__}: {exc}"[:300]]}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    figures["seconds"] = round(time.perf_counter() - started, 2)
    return figures


def main(argv: list[str] | None = None) -> int:
    p = base_parser(__doc__.splitlines()[0])
    p.add_argument(
        "--seeds",
        type=int,
        default=None,
        help="seeds per randomly firing fault (default 3; --quick 1)",
    )
    p.add_argument(
        "--kills",
        type=int,
        default=None,
        help="kill -9 points during the archive (default 20; --quick 3)",
    )
    args = p.parse_args(argv)
    seeds = args.seeds or (1 if args.quick else 3)
    kills = args.kills or (3 if args.quick else 20)
    sync_kills = kills  # issue 5: 20 kill points during a sync, as during the archive
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dwarchive-faults-") as tmp:
        print(f"fault scenarios ({seeds} seed(s) for the random ones):", flush=True)
        faults = run_faults(seeds, Path(tmp) / "faults")
        print("images from disallowed hosts:", flush=True)
        images = run_images(Path(tmp) / "images")
        print("hostile exports (one worker each):", flush=True)
        (Path(tmp) / "exports").mkdir()
        exports = run_exports(args.quick, Path(tmp) / "exports")
        print(f"kill -9 at {kills} + {sync_kills} points:", flush=True)
        (Path(tmp) / "kills").mkdir()
        reset_peak()
        kill = run_kills(kills, sync_kills, Path(tmp) / "kills")
        kill_peak = peak_mb()
    seconds = time.perf_counter() - started

    def row(f: dict, exit_code: str, coverage: str) -> list:
        return [
            f["kind"],
            f["runs"],
            f["records_lost"],
            coverage,
            f["n429"],
            exit_code,
            "yes" if not f["problems"] else "NO",
            f["seconds"],
            f"{f['peak_rss_mb']:.0f}" if f["peak_rss_mb"] is not None else "-",
        ]

    rows = [
        row(f, "/".join(map(str, f["exit_codes"])), f"{f['coverage_after_rerun']:.0f}%")
        for f in faults
    ]
    rows.append(row(images, f"{images['refused']} refused", "-"))
    rows += [row(e, e["result"], "-") for e in exports]
    killed_ok = not kill["problems"]
    rows.append(
        [
            f"kill -9 ({kills} archive + {kill.get('sync_kills', sync_kills)} sync points)",
            kills + kill.get("sync_kills", sync_kills),
            kill.get("lost", "-"),
            f"{kill['coverage']:.0f}%" if killed_ok else "-",
            0,
            "-9, then 0",
            "yes" if killed_ok else "NO",
            kill["seconds"],
            f"{kill_peak:.0f}",
        ]
    )
    notes = [
        (
            "records lost: rows of a previous complete archive missing or changed after the "
            "faulted run (exports: files written outside --out); coverage: lowest over both "
            "re-runs (old and new file)"
        ),
        (
            "exit codes: 0 ok, 1 error (one-line reason), 75 rate-limited or captcha; "
            "429s: answers the site sent during the faulted runs"
        ),
        (
            "exports (bench/hostile.py): 'N left' = archive markup outside the sanitiser's "
            "allow-list, raw HTML or unsafe links in Markdown, control characters on the terminal"
        ),
        (
            "seconds: the row's wall time (all its runs); peak MB: the process's peak RSS "
            "while the row ran (exports: the export's own worker process)"
        ),
    ]
    if killed_ok:
        notes.append(
            f"kill -9: {kill['requests']} requests for a crawl whose minimum is "
            f"{kill['minimum']}; {kill['repeated']} URL(s) asked again over all kills "
            "(at most one per kill)"
        )
    notes.append(f"{seconds:.0f} s in all")
    print_table(
        "Faults: what the archiver lost and how each run ended",
        [
            "fault kind",
            "runs",
            "records lost",
            "coverage after re-run",
            "429s received",
            "exit code / result",
            "survived",
            "seconds",
            "peak MB",
        ],
        rows,
        notes=notes,
    )
    for f in [*faults, images, *exports]:
        for problem in f["problems"][:3]:
            print(f"  {f['kind']}: {problem}")
    for problem in kill["problems"]:
        print(f"  kill -9: {problem}")

    default_rate = next(f for f in faults if f["kind"] == "rate bucket 30/60s, default --rate")
    hostile = [f for f in faults if "deep" in f["kind"] or "drip" in f["kind"]]
    hostile += [images, *exports]
    targets = [
        Target(
            "records lost over every fault",
            sum(f["records_lost"] for f in faults),
            "0",
            all(f["records_lost"] == 0 for f in faults),
        ),
        Target(
            "lowest coverage after re-run (%)",
            min(f["coverage_after_rerun"] for f in faults),
            "100",
            all(f["coverage_after_rerun"] == 100.0 for f in faults),
        ),
        Target(
            "fault kinds with the documented exit code and reason",
            sum(not f["problems"] for f in faults),
            f"{len(faults)} of {len(faults)}",
            all(not f["problems"] for f in faults),
        ),
        Target(
            "429s at the default rate against the 30/60 s bucket",
            default_rate["n429"],
            "0",
            default_rate["n429"] == 0,
        ),
        Target(
            f"kill -9 at {kills} points: integrity ok, work completed",
            "ok" if killed_ok else kill["problems"][0][:60],
            "ok",
            killed_ok,
        ),
        Target(
            "hostile kinds handled (deep page, drip, images, exports)",
            sum(not h["problems"] for h in hostile),
            f"{len(hostile)} of {len(hostile)}",
            all(not h["problems"] for h in hostile),
        ),
        Target(
            "slowest hostile row (s)",
            max(h["seconds"] for h in hostile),
            "< 30",
            max(h["seconds"] for h in hostile) < 30,
        ),
        Target("bench time (s)", round(seconds), "< 180", seconds < 180),
    ]
    print_targets("faults", targets)
    write_result(
        "faults",
        {
            "seeds": seeds,
            "kills": kills,
            "seconds": round(seconds, 1),
            "scenarios": faults,
            "images": images,
            "exports": [{k: v for k, v in e.items() if k != "raw"} for e in exports],
            "kill9": {**kill, "peak_rss_mb": kill_peak},
        },
        targets,
        args.results,
        args.quick,
    )
    return 0 if all(t.met for t in targets[:-1]) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Issue 5's figures: the archiver under every fault the fake site can inject.

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

from bench.common import ROOT, Target, base_parser, print_table, print_targets, write_result


def run_faults(seeds: int, workdir: Path) -> list[dict]:
    from tests.fault_scenarios import SCENARIOS, Outcome, run_scenario

    rows = []
    for n, scenario in enumerate(SCENARIOS):
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
            }
        )
        print(f"  {scenario.kind}: {'ok' if not total.problems else total.problems[0]}", flush=True)
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
        print(f"kill -9 at {kills} + {sync_kills} points:", flush=True)
        (Path(tmp) / "kills").mkdir()
        kill = run_kills(kills, sync_kills, Path(tmp) / "kills")
    seconds = time.perf_counter() - started

    rows = [
        [
            f["kind"],
            f["runs"],
            f["records_lost"],
            f"{f['coverage_after_rerun']:.0f}%",
            f["n429"],
            "/".join(map(str, f["exit_codes"])),
            "yes" if not f["problems"] else "NO",
        ]
        for f in faults
    ]
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
        ]
    )
    notes = [
        (
            "records lost: rows of a previous complete archive missing or changed after the "
            "faulted run; coverage: lowest over both re-runs (old and new file)"
        ),
        (
            "exit codes: 0 ok, 1 error (one-line reason), 75 rate-limited or captcha; "
            "429s: answers the site sent during the faulted runs"
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
            "exit code",
            "survived",
        ],
        rows,
        notes=notes,
    )
    for f in faults:
        for problem in f["problems"][:3]:
            print(f"  {f['kind']}: {problem}")
    for problem in kill["problems"]:
        print(f"  kill -9: {problem}")

    default_rate = next(f for f in faults if f["kind"] == "rate bucket 30/60s, default --rate")
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
            "kill9": kill,
        },
        targets,
        args.results,
        args.quick,
    )
    return 0 if all(t.met for t in targets[:-1]) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Run every bench (requests, limiter, parse, scale) and print their tables and a target summary.

    python bench/run_all.py            # the full run: under 10 minutes on 2 cores
    python bench/run_all.py --quick    # tiny sizes, seconds (what tests/test_bench_smoke.py runs)

Each bench runs in its own Python process (no state shared between them) and appends one JSON
line to bench/results/<name>.jsonl; the summary at the end is read back from those lines.
"""

from __future__ import annotations

if __name__ == "__main__" and __package__ in (None, ""):
    import pathlib
    import sys

    _here = pathlib.Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != _here]
    sys.path.insert(0, str(_here.parent))

import json
import subprocess
import sys
import time

from bench.common import RESULTS_DIR, ROOT, _env, base_parser, fmt, print_table

BENCHES = ("requests", "limiter", "parse", "scale")


def last_line(results_dir, name: str) -> dict | None:
    path = results_dir / f"{name}.jsonl"
    if not path.exists():
        return None
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return json.loads(lines[-1]) if lines else None


def main(argv: list[str] | None = None) -> int:
    p = base_parser(__doc__.splitlines()[0])
    p.add_argument("--only", default=None, help="comma-separated subset of " + ",".join(BENCHES))
    args = p.parse_args(argv)
    results_dir = args.results or RESULTS_DIR
    names = args.only.split(",") if args.only else list(BENCHES)
    started = time.perf_counter()
    timings, failed = {}, []
    for name in names:
        cmd = [sys.executable, "-m", f"bench.{name}", "--results", str(results_dir)]
        if args.quick:
            cmd.append("--quick")
        print(f"### bench/{name}.py{' --quick' if args.quick else ''}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=_env(), check=False)
        timings[name] = time.perf_counter() - t0
        if proc.returncode != 0:
            failed.append(name)
            print(f"### bench/{name}.py FAILED (exit {proc.returncode})", flush=True)
    rows = []
    for name in names:
        line = last_line(results_dir, name) if name not in failed else None
        if line is None:
            rows.append([name, "(no result)", "", "", "FAILED"])
            continue
        for t in line.get("targets", []):
            rows.append(
                [name, t["name"], fmt(t["measured"]), t["target"], "yes" if t["met"] else "NOT MET"]
            )
    total = time.perf_counter() - started
    print_table(
        "All targets (latest result line of each bench)",
        ["bench", "target", "measured", "wanted", "met"],
        rows,
        notes=[
            ", ".join(f"{n} {timings[n]:.0f} s" for n in names)
            + f"; total {total:.0f} s ({total / 60:.1f} min)"
        ],
    )
    unmet = [r for r in rows if r[-1] != "yes"]
    print(
        f"{len(rows) - len(unmet)} of {len(rows)} targets met"
        + (f"; not met: {', '.join(f'{r[0]}: {r[1]} ({r[2]})' for r in unmet)}" if unmet else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

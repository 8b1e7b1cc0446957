"""Issue 13's read-side figures: every hostile export kind, with its time and peak memory.

Archives built once: the hostile fake journal (scraper/fakesite/hostile.py) through the real
pipeline (`dwarchive archive` against FakeSite over loopback), a 10,000-deep comment thread and
bodies nested 100,000 levels deep written through the store, and crafted databases (an image
digest and a date that lead outside `--out`). Each export then runs in a fresh worker process
(`python -m bench.hostile worker ...`), so its peak RSS (VmHWM) is its own; the row says what
the output holds: markup left from the archive (HTML: elements or attributes outside the
sanitiser's allow-list, remote loads; Markdown: raw HTML, unsafe links or remote images as
markdown-it-py reads them), the deepest nesting, bytes, and for crafted databases whether the
export was refused and anything was written outside the output directory.

    python bench/hostile.py [--quick]

bench/faults.py runs the same exports (`run`) and prints them in its table, one row each.
"""

from __future__ import annotations

if __name__ == "__main__" and __package__ in (None, ""):
    import pathlib
    import sys

    _here = pathlib.Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != _here]
    sys.path.insert(0, str(_here.parent))

import json
import os
import sqlite3
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

NESTED_B = 180


# --- the archives ---------------------------------------------------------------------------------


def _hostile_archive(path: Path, thread_depth: int) -> None:
    from click.testing import CliRunner

    from scraper.cli import cli
    from scraper.fakesite import FakeSite
    from scraper.fakesite.hostile import build_hostile_journal

    journal = build_hostile_journal("http://127.0.0.1:9", thread_depth=thread_depth)
    with FakeSite([journal]) as site:
        result = CliRunner().invoke(
            cli,
            ["archive", site.url(journal.name), "--db", str(path), "--rate", "0", "-q",
             "--contact", "bench@dwarchive.invalid"],
        )  # fmt: skip
    if result.exit_code != 0:
        raise RuntimeError(f"archiving the hostile journal failed: {result.output}")


def _store_archive(path: Path, body: str = "<p>plain</p>", depth: int = 0) -> None:
    """One entry with `body` and, below it, a reply chain `depth` deep (each reply saying so)."""
    from scraper.records import JournalInfo
    from scraper.store import save
    from tests.readside_archive import ROOT as SITE
    from tests.readside_archive import J, comment, entry, open_archive

    db = open_archive(path)
    save.save_journal(db, JournalInfo(J, "personal", "Deep"), SITE, "2026-01-01T00:00")
    save.save_entries(db, J, [entry(1, "entry", body, "text", comment_count=depth)], "t")
    chain = [
        comment(1000 + n, None if n == 0 else 999 + n, n + 1, f"reply {n + 1}")
        for n in range(depth)
    ]
    save.save_comments(db, J, 1, chain, "2026-01-01T00:00")
    db.close()


def _crafted(template: Path, path: Path, kind: str) -> None:
    import shutil

    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    if kind == "digest":
        conn.execute("UPDATE blobs SET sha256 = '../../../escaped'")
        conn.execute("UPDATE images SET sha256 = '../../../escaped'")
    else:
        conn.execute("UPDATE entries SET posted_at = '../../../../escaped' WHERE itemid = 101")
    conn.commit()
    conn.close()


def _crafted_template(path: Path) -> None:
    from tests.readside_archive import add_stored_image, build_archive

    db = build_archive(path)
    add_stored_image(db)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


# --- a worker: one export in its own process ------------------------------------------------------


def _html_left(out: Path) -> tuple[int, int]:
    """(markup outside the allow-list or loading from elsewhere, deepest comment nesting)."""
    from selectolax.lexbor import LexborHTMLParser

    from scraper.read.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LOCAL_IMAGE

    left = deepest = 0
    for page in out.rglob("*.html"):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        for box in tree.css(".entry-body, .comment-body"):
            for node in box.css("*"):
                if node.mem_id == box.mem_id:
                    continue
                allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(node.tag, set())
                names = set(node.attrs.keys()) - {"rel"}
                left += node.tag not in ALLOWED_TAGS or not names <= allowed
                left += node.tag == "img" and not LOCAL_IMAGE.fullmatch(node.attrs["src"] or "")
        for article in tree.css("article.comment"):
            depth, parent = 0, article.parent
            while parent is not None:
                depth += parent.tag == "article"
                parent = parent.parent
            deepest = max(deepest, depth + 1)
    return left, deepest


def _markdown_left(out: Path) -> int:
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # pragma: no cover - markdown-it-py comes with the test extra
        return -1
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True
    left = 0
    for page in out.rglob("*.md"):
        stack = list(md.parse(page.read_text(encoding="utf-8")))
        while stack:
            token = stack.pop()
            stack.extend(token.children or [])
            href = str(token.attrGet("href") or token.attrGet("src") or "")
            left += token.type in ("html_block", "html_inline")
            left += token.type == "link_open" and not href.startswith(("http", "mailto:"))
            left += token.type == "image" and not href.startswith("../images/")
    return left


def _worker(fmt: str, db: str, out: str) -> dict:
    from scraper.cli_read import run_export
    from scraper.errors import DwArchiveError

    outside_before = set(Path(out).parent.parent.rglob("*"))
    started = time.perf_counter()
    try:
        run_export(db, fmt, out, None)
        outcome = "exported"
    except DwArchiveError as exc:
        what = str(exc).split(" holds ", 1)[-1].split(" '", 1)[0]
        outcome = f"refused ({what})"
    seconds = time.perf_counter() - started
    out_path = Path(out)
    outside = [
        p
        for p in set(out_path.parent.parent.rglob("*")) - outside_before
        if not p.is_relative_to(out_path) and not p.name.startswith(Path(db).name)
    ]
    row = {
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(peak_rss_kb() / 1024, 1),
        "bytes": sum(f.stat().st_size for f in out_path.rglob("*") if f.is_file()),
        "outcome": outcome,
        "written_outside": len(outside),
    }
    if outcome == "exported" and fmt == "html":
        row["left"], row["nesting"] = _html_left(out_path)
    elif outcome == "exported" and fmt == "markdown":
        row["left"] = _markdown_left(out_path)
    return row


def _run_worker(fmt: str, db: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "bench.hostile", "worker", fmt, str(db), str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker {fmt} {db} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _terminal(db: Path) -> dict:
    from click.testing import CliRunner

    from scraper.cli_read import search

    started = time.perf_counter()
    output = ""
    for words in ("Terminal", "pwned", "session"):
        result = CliRunner().invoke(search, [words, "--db", str(db), "--comments"], color=True)
        output += result.output
    controls = sum(1 for c in output if ord(c) < 32 and c != "\n" or 0x7F <= ord(c) < 0xA0)
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "peak_rss_mb": None,
        "bytes": len(output.encode()),
        "outcome": f"{controls} control characters printed",
        "left": controls,
    }


# --- the bench ------------------------------------------------------------------------------------


def run(quick: bool, tmp: Path) -> list[dict]:
    depth, nested = (1_000, 10_000) if quick else (10_000, 100_000)
    thread = 30 if quick else 300
    bold = "<b>" * NESTED_B + "x" + "</b>" * NESTED_B
    _hostile_archive(tmp / "hostile.db", thread)
    _store_archive(tmp / "plain.db")
    _store_archive(tmp / "bold.db", bold)
    _store_archive(tmp / "thread.db", depth=depth)
    _store_archive(tmp / "divs.db", "<div>" * nested + "x")
    _store_archive(tmp / "lists.db", "<ul><li>" * nested + "x")
    _crafted_template(tmp / "template.db")
    kinds = [
        ("one plain entry (baseline)", "plain.db", None),
        (f"hostile journal: 40 payload kinds, {thread}-deep thread", "hostile.db", None),
        (f"{NESTED_B} nested <b> ({len(bold)} bytes)", "bold.db", None),
        (f"{depth:,}-deep comment thread", "thread.db", None),
        (f"{nested:,} nested <div> ({5 * nested:,} bytes)", "divs.db", None),
        (f"{nested:,} nested <ul><li> ({8 * nested:,} bytes)", "lists.db", None),
        ("crafted db: images.sha256 = ../../../escaped", "digest.db", "digest"),
        ("crafted db: posted_at = ../../../../escaped", "date.db", "date"),
    ]
    rows = []
    for n, (kind, name, craft) in enumerate(kinds):
        if craft:
            _crafted(tmp / "template.db", tmp / name, craft)
        for fmt in ("html", "markdown", "json"):
            box = tmp / f"box{n}-{fmt}"
            box.mkdir()
            figures = _run_worker(fmt, tmp / name, box / "out")
            rows.append({"kind": kind, "format": fmt, **figures})
            print(f"  {kind} / {fmt}: {figures['seconds']} s", flush=True)
    rows.append({"kind": "escape sequences: search output", "format": "terminal",
                 **_terminal(tmp / "hostile.db")})  # fmt: skip
    return rows


def describe(row: dict) -> str:
    """What an export row's output holds, in a few words."""
    bits = [row["outcome"]] if row["outcome"] != "exported" else []
    if "left" in row:
        bits.append(f"{row['left']} left")
    if row.get("nesting"):
        bits.append(f"comments nest {row['nesting']} deep")
    if "written_outside" in row:
        bits.append(f"{row['written_outside']} outside")
    return ", ".join(bits)


def safe(row: dict) -> bool:
    """The row's export did what it must: nothing of the archive's markup left, crafted
    databases refused (JSON names no file by date), nothing written outside the output."""
    if row["kind"].startswith("crafted"):
        expected = row["format"] != "json" or "sha256" in row["kind"]
        return row["outcome"].startswith("refused") == expected and not row["written_outside"]
    return not row.get("left", 0)


def hostile_targets(rows: list[dict]) -> list[Target]:
    crafted = [r for r in rows if r["kind"].startswith("crafted")]
    exports = [r for r in rows if not r["kind"].startswith("crafted")]
    refused = sum(r["outcome"].startswith("refused") for r in crafted)
    expected = sum(r["format"] != "json" or "sha256" in r["kind"] for r in crafted)
    return [
        Target(
            "archive markup left in exports",
            sum(r.get("left", 0) for r in exports),
            "0",
            all(r.get("left", 0) == 0 for r in exports),
        ),
        Target(
            "crafted databases: exports refused (JSON names no file by date), files outside",
            f"{refused}, {sum(r['written_outside'] for r in crafted)}",
            f"{expected}, 0",
            refused == expected and not any(r["written_outside"] for r in crafted),
        ),
        Target(
            "slowest export (s)",
            max(r["seconds"] for r in exports),
            "< 30",
            max(r["seconds"] for r in exports) < 30,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        print(json.dumps(_worker(*argv[1:4])))
        return 0
    args = base_parser(__doc__.splitlines()[0]).parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dwarchive-hostile-") as tmp:
        rows = run(args.quick, Path(tmp))
    seconds = time.perf_counter() - started
    print_table(
        "hostile exports",
        ["kind", "format", "seconds", "peak RSS MB", "output bytes", "result"],
        [
            [r["kind"], r["format"], r["seconds"], r["peak_rss_mb"] or "-", r["bytes"], describe(r)]
            for r in rows
        ],
        notes=[
            "left: archive markup outside the allow-list / raw HTML, unsafe links or remote",
            "images as markdown-it reads the Markdown / control characters on the terminal",
        ],
    )
    targets = hostile_targets(rows) + [
        Target("bench time (s)", round(seconds), "< 120", seconds < 120)
    ]
    print_targets("hostile", targets)
    write_result("hostile", {"seconds": round(seconds, 1), "rows": rows}, targets,
                 args.results, args.quick)  # fmt: skip
    return 0 if all(t.met for t in targets[:-1]) else 1


if __name__ == "__main__":
    raise SystemExit(main())

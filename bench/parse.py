"""Parser speed: our selectolax/Lexbor parsers vs a BeautifulSoup (html.parser) implementation.

The pages are the raw bodies an archive of a generated journal keeps in its `pages` table, so
both sides parse exactly the same bytes. Both must produce the same records (entries: itemid,
subject, body text, posted_at, tags, userpic keyword, mood/music/location, comment count;
comments: id, parent, author, state, body text; year pages: day counts) or the comparison is not
honest, so every field is compared first and every difference is printed. Then each page kind is
parsed by both in alternating passes (the best pass of each counts: the machines are noisy) and
pages per second and the ratio are printed (target: ours >= 10x BeautifulSoup). Our parsers do
more than the compared fields (sidebar modules, navigation, comment dates, every core2 format),
which counts against them here.

    python bench/parse.py [--quick]
"""

from __future__ import annotations

if __name__ == "__main__" and __package__ in (None, ""):
    import pathlib
    import sys

    _here = pathlib.Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != _here]
    sys.path.insert(0, str(_here.parent))

import gc
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.common import (
    Target,
    archive_in_process,
    base_parser,
    build_journal,
    journal_spec,
    print_table,
    print_targets,
    write_result,
)

ENTRIES, QUICK_ENTRIES = 200, 25
PASSES, QUICK_PASSES = 3, 1
TARGET = 10.0
KINDS = {  # bench group -> page kinds stored by the archiver
    "listing (recent/skip/day)": ("recent", "skip", "day"),
    "entry (+ comment pages, threads)": ("entry", "comments"),
    "year": ("year",),
}


def _norm(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def ours_entry(rec) -> dict:
    return {
        "itemid": rec.itemid,
        "subject": _norm(rec.subject),
        "body_text": _norm(rec.body_text),
        "posted_at": rec.posted_at,
        "tags": tuple(rec.tags),
        "userpic_keyword": rec.userpic_keyword,
        "mood": rec.mood,
        "music": rec.music,
        "location": rec.location,
        "comment_count": rec.comment_count,
    }


def ours_comment(c) -> dict:
    return {
        "commentid": c.commentid,
        "parent": c.parent_commentid,
        "author": c.author,
        "state": c.state,
        "body_text": _norm(c.body_text) if c.full else None,
    }


def our_parsers():
    from scraper import parse

    def listing(text, url):
        return parse.parse_listing_page(text, url)

    def entry(text, url):
        return parse.parse_entry_page(text, url)

    def year(text, url):
        return parse.parse_year_page(text, url)

    return {
        "listing (recent/skip/day)": listing,
        "entry (+ comment pages, threads)": entry,
        "year": year,
    }


def bs4_parsers():
    from bench import bs4_parsers as b

    return {
        "listing (recent/skip/day)": lambda text, url: b.parse_listing(text),
        "entry (+ comment pages, threads)": lambda text, url: b.parse_entry_page(text),
        "year": lambda text, url: b.parse_year(text),
    }


def records_ours(group: str, result) -> object:
    if group.startswith("listing"):
        return [ours_entry(e) for e in result.entries]
    if group.startswith("entry"):
        return ours_entry(result.entry), [ours_comment(c) for c in result.comments]
    return {d.day: d.entry_count for d in result.days}


def records_bs4(group: str, result) -> object:
    if group.startswith("entry"):
        entry, comments = result
        return entry, comments
    return result


def differences(group: str, url: str, ours, theirs) -> list[str]:
    out = []
    if group.startswith("year"):
        if ours != theirs:
            out.append(
                f"{url}: year days differ: {sorted(set(ours.items()) ^ set(theirs.items()))[:3]}"
            )
        return out
    if group.startswith("entry"):
        (oe, oc), (te, tc) = ours, theirs
        pairs = [(oe, te)]
        o_by = {c["commentid"]: c for c in oc}
        t_by = {c["commentid"]: c for c in tc}
        if list(o_by) != list(t_by):
            out.append(f"{url}: comment ids differ ({len(o_by)} vs {len(t_by)})")
        for cid in o_by.keys() & t_by.keys():
            for k, v in o_by[cid].items():
                if t_by[cid][k] != v:
                    out.append(f"{url}: comment {cid} {k}: {v!r} != {t_by[cid][k]!r}")
    else:
        if [e["itemid"] for e in ours] != [e["itemid"] for e in theirs]:
            return [f"{url}: entry ids differ"]
        pairs = list(zip(ours, theirs))
    for o, t in pairs:
        if t is None:
            out.append(f"{url}: BeautifulSoup found no entry")
            continue
        for k, v in o.items():
            if t[k] != v:
                out.append(f"{url}: entry {o['itemid']} {k}: {v!r} != {t[k]!r}")
    return out


def saved_pages(entries: int, workdir: Path) -> dict[str, list[tuple[str, str]]]:
    """Archive a generated journal once and return its stored pages by bench group."""
    from scraper.fakesite import FakeSite
    from scraper.store import save

    journal = build_journal(journal_spec(f"parse_{entries}", entries, seed=5))
    db = str(workdir / "parse.db")
    with FakeSite([journal]) as site:
        summary = archive_in_process(site.url(journal.name), journal.name, db)
    assert summary.outcome == "complete", summary.message
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    pages: dict[str, list[tuple[str, str]]] = {g: [] for g in KINDS}
    for row in conn.execute("SELECT * FROM pages WHERE status = 200 ORDER BY url"):
        for group, kinds in KINDS.items():
            if row["kind"] in kinds:
                pages[group].append((row["url"], save.page_body(dict(row)).decode("utf-8")))
    conn.close()
    return pages


def time_pass(fn, pages) -> tuple[float, list]:
    from scraper.parse import urls

    urls.clear_cache()  # no pass profits from an earlier pass over the same pages
    gc.collect()
    out = []
    t0 = time.perf_counter()
    for url, text in pages:
        out.append(fn(text, url))
    return time.perf_counter() - t0, out


def main(argv: list[str] | None = None) -> int:
    p = base_parser(__doc__.splitlines()[0])
    args = p.parse_args(argv)
    entries = QUICK_ENTRIES if args.quick else ENTRIES
    passes = QUICK_PASSES if args.quick else PASSES
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dwbench-parse-") as tmp:
        pages = saved_pages(entries, Path(tmp))
    ours, theirs = our_parsers(), bs4_parsers()
    rows, data, problems = [], [], []
    total_ours = total_bs4 = 0.0
    total_pages = 0
    for group, group_pages in pages.items():
        if not group_pages:
            continue
        best_o = best_b = float("inf")
        out_o = out_b = None
        for _ in range(passes):  # alternate, keep each side's best pass
            t, out_o = time_pass(ours[group], group_pages)
            best_o = min(best_o, t)
            t, out_b = time_pass(theirs[group], group_pages)
            best_b = min(best_b, t)
        diffs = []
        records = 0
        for (url, _), o, b in zip(group_pages, out_o, out_b):
            ro, rb = records_ours(group, o), records_bs4(group, b)
            records += (1 + len(ro[1])) if group.startswith("entry") else len(ro)
            diffs += differences(group, url, ro, rb)
        problems += diffs
        n = len(group_pages)
        mb = sum(len(t.encode()) for _, t in group_pages) / 1e6
        total_ours += best_o
        total_bs4 += best_b
        total_pages += n
        rows.append(
            [
                group,
                n,
                round(mb, 2),
                records,
                round(n / best_o, 1),
                round(n / best_b, 1),
                f"{best_b / best_o:.1f}x",
                "same" if not diffs else f"{len(diffs)} diffs",
            ]
        )
        data.append(
            {
                "group": group,
                "pages": n,
                "mb": mb,
                "records": records,
                "ours_s": best_o,
                "bs4_s": best_b,
                "ratio": best_b / best_o,
                "differences": len(diffs),
            }
        )
    ratio_all = total_bs4 / total_ours
    rows.append(
        [
            "all",
            total_pages,
            "",
            "",
            round(total_pages / total_ours, 1),
            round(total_pages / total_bs4, 1),
            f"{ratio_all:.1f}x",
            "same" if not problems else f"{len(problems)} diffs",
        ]
    )
    print_table(
        f"Parsing the same saved pages ({entries}-entry journal): ours (selectolax/Lexbor) vs "
        "BeautifulSoup (html.parser)",
        [
            "page kind",
            "pages",
            "MB",
            "records",
            "ours pages/s",
            "bs4 pages/s",
            "ratio",
            "records equal",
        ],
        rows,
        notes=[
            f"best of {passes} alternating passes per side; ratio = bs4 time / our time",
            (
                "records = entries (+ comments on entry pages) or year pages' day maps, compared "
                "field by field before timing counts"
            ),
        ],
    )
    if problems:
        print_table(
            "Record differences (ours != BeautifulSoup)",
            ["difference"],
            [[d[:160]] for d in problems[:30]],
            notes=[f"{len(problems)} in all"] if len(problems) > 30 else [],
        )
    worst = min(d["ratio"] for d in data)
    targets = [
        Target(
            "ours / BeautifulSoup, all pages",
            f"{ratio_all:.1f}x",
            f">= {TARGET:g}x",
            ratio_all >= TARGET,
        ),
        Target(
            "ours / BeautifulSoup, slowest page kind",
            f"{worst:.1f}x",
            f">= {TARGET:g}x",
            worst >= TARGET,
        ),
        Target("same records from both", not problems, "all fields equal", not problems),
    ]
    print_targets("parse", targets)
    path = write_result(
        "parse",
        {
            "entries": entries,
            "passes": passes,
            "groups": data,
            "ratio_all": ratio_all,
            "differences": problems[:50],
            "elapsed_s": time.perf_counter() - started,
        },
        targets,
        args.results,
        args.quick,
    )
    print(f"parse: {time.perf_counter() - started:.1f} s; result line appended to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m scraper.fakesite`: serve the sample site (or generated journals) on loopback ports."""

from __future__ import annotations

import argparse

from .generate import generate_journal
from .sample import build_sample_site
from .server import serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the fake Dreamwidth site on 127.0.0.1.")
    parser.add_argument(
        "--generate",
        metavar="NAME:ENTRIES",
        action="append",
        default=[],
        help="also serve a generated journal, e.g. bigjournal:5000 (repeatable)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed for generated journals")
    args = parser.parse_args(argv)
    journals = build_sample_site()
    for spec in args.generate:
        name, _, count = spec.partition(":")
        journals.append(generate_journal(name, int(count or 500), args.seed))
    serve_forever(journals)


if __name__ == "__main__":
    main()

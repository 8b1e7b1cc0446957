"""`python -m scraper.fakesite`: serve the sample site, the owner-mode journal (its demo API key is
printed) and any generated journals on loopback ports."""

from __future__ import annotations

import argparse

from .generate import generate_journal
from .protocol import OWNER_API_KEY, OWNER_NAME, build_owner_journal
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
    journals = [*build_sample_site(), build_owner_journal()]
    print(f"{OWNER_NAME} takes owner mode with the demo API key {OWNER_API_KEY}")
    for spec in args.generate:
        name, _, count = spec.partition(":")
        journals.append(generate_journal(name, int(count or 500), args.seed))
    serve_forever(journals)


if __name__ == "__main__":
    main()

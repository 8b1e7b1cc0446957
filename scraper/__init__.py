"""dwarchive: archive Dreamwidth-style journals into SQLite (fetch -> parse -> store -> crawl -> cli)."""

__version__ = "0.1.0"

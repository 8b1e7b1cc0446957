"""Reading whole entries back for the exports: entry rows with tags, comment trees, revisions,
and copying the locally stored images an export refers to.

Works on any DB-API connection to an archive (the read-only one from `open_read_only` included).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..images import extension_for, find_image_urls, local_image_map
from ..store import images as image_store
from ..store import read_queries
from . import paths
from .threads import CommentNode, build_threads

IMAGES_DIR = "images"


@dataclass
class EntryView:
    """One entry as the exports show it."""

    entry: dict[str, Any]
    tags: list[str]
    comments: list[CommentNode]  # roots, replies nested
    revisions: list[dict[str, Any]] = field(default_factory=list)  # older versions, oldest first

    @property
    def journal(self) -> str:
        return self.entry["journal"]

    @property
    def itemid(self) -> int:
        return paths.itemid(self.entry["itemid"])

    @property
    def day(self) -> str | None:
        """'YYYY-MM-DD' of posted_at (validated), None when undated."""
        return paths.day(self.entry.get("posted_at"))

    @property
    def month(self) -> str:
        return (self.day or "")[:7] or "undated"


def journals(conn: sqlite3.Connection, journal: str | None = None) -> list[dict[str, Any]]:
    """`journals` rows: the one named, or all by name."""
    return read_queries.journal_rows(conn, journal)


def _by_entry(rows: list[dict[str, Any]]) -> dict[tuple[str, int], list[dict[str, Any]]]:
    grouped: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault((row["journal"], row["itemid"]), []).append(row)
    return grouped


def iter_entries(conn: sqlite3.Connection, journal: str | None = None) -> Iterator[EntryView]:
    """Entries oldest first (journal by journal), each with tags, comment tree and revisions."""
    tags = _by_entry(read_queries.entry_tag_rows(conn, journal))
    revisions = _by_entry(read_queries.revision_rows(conn, journal))
    for entry in read_queries.entry_rows(conn, journal):
        key = (entry["journal"], entry["itemid"])
        comments = read_queries.comment_rows(conn, *key)
        try:
            threads = build_threads(comments)
        except (TypeError, ValueError):
            raise paths.crafted(
                f"a comment of entry {key[1]} with the id", "not a number"
            ) from None
        yield EntryView(
            entry=entry,
            tags=[str(t["tag"]) for t in tags.get(key, [])],
            comments=threads,
            revisions=revisions.get(key, []),
        )


def entry_image_urls(view: EntryView) -> list[str]:
    """Images the entry embeds plus its userpic (absolute URLs)."""
    urls = find_image_urls(view.entry.get("body_html"), view.entry.get("url"))
    if view.entry.get("userpic_url"):
        urls.append(view.entry["userpic_url"])
    return urls


class ImageCopier:
    """Copies stored images into `<out>/images/<sha256><ext>` once each, on first use (the
    digest and extension validated, the path checked to stay inside the output directory)."""

    def __init__(self, conn: sqlite3.Connection, out_dir: Path | paths.OutDir) -> None:
        self.conn = conn
        self.out = out_dir if isinstance(out_dir, paths.OutDir) else paths.OutDir(out_dir)
        self.available = local_image_map(conn)
        self.written: set[str] = set()

    def path_for(self, url: str) -> str | None:
        """Path of the local copy relative to the export root, or None when not stored."""
        if url not in self.available:
            return None
        sha, content_type = self.available[url]
        name = f"{IMAGES_DIR}/{paths.digest(sha)}{paths.extension(extension_for(content_type))}"
        if name not in self.written:
            self._write(sha, name)
            self.written.add(name)
        return name

    def resolver(self, prefix: str = "") -> Callable[[str], str | None]:
        """url -> prefix + relative path of the local copy (None when not stored)."""

        def resolve(url: str) -> str | None:
            path = self.path_for(url)
            return None if path is None else prefix + path

        return resolve

    def local_map(self, urls: list[str], prefix: str = "") -> dict[str, str]:
        """url -> prefix + relative path, for the urls stored locally."""
        out = {}
        for url in urls:
            path = self.path_for(url)
            if path is not None:
                out[url] = prefix + path
        return out

    def _write(self, sha: str, name: str) -> None:
        data = image_store.blob_data(self.conn, sha)
        if not isinstance(data, bytes):
            raise paths.crafted("an image without its stored bytes", sha)
        self.out.write_bytes(name, data)


__all__ = ["EntryView", "ImageCopier", "entry_image_urls", "iter_entries", "journals"]

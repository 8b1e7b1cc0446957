"""A small archive for the read-side tests, written through the real store (open_database +
save.*): two journals, Cyrillic and emoji text, a thread four deep with a deleted placeholder and
an anonymous commenter, tags, an edited entry (one revision) and optionally stored images.

Also `archive_through_fake_site` (the real pipeline: FakeSite over loopback HTTP and
`dwarchive archive`) and `Recorder` (a loopback HTTP server recording every request it gets, for
the hostile-page tests).
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import sqlite_utils

from scraper.records import CommentRecord, EntryRecord, JournalInfo
from scraper.store import open_database, save
from scraper.store.readside import ensure_read_side

J = "nairiporter"
J2 = "sunflower_co"
ROOT = "https://nairiporter.dreamwidth.org/"
PIC_URL = "https://img.example.invalid/garden.png"  # stored locally by add_stored_image()


def open_archive(path: str | Path) -> sqlite_utils.Database:
    """open_database, plus the read side while MIGRATIONS[2] is not registered yet."""
    db = open_database(path)
    if db.execute("PRAGMA user_version").fetchone()[0] < 2:
        ensure_read_side(db)
    return db


def entry(
    itemid: int,
    subject: str,
    body_html: str,
    body_text: str,
    *,
    journal: str = J,
    posted_at: str = "2024-03-05T10:00",
    tags: tuple[str, ...] = (),
    **kw,
) -> EntryRecord:
    base = {
        "itemid": itemid,
        "url": f"https://{journal.replace('_', '-')}.dreamwidth.org/{itemid}.html",
        "subject": subject,
        "subject_html": subject,
        "body_html": body_html,
        "body_text": body_text,
        "poster": journal,
        "journal": journal,
        "posted_at": posted_at,
        "date_text": posted_at,
        "userpic_keyword": None,
        "userpic_url": None,
        "tags": tags,
        "mood": None,
        "music": None,
        "location": None,
        "security": "public",
        "comment_count": 0,
        "has_cut": False,
    }
    base.update(kw)
    return EntryRecord(**base)


def comment(
    cid: int,
    parent: int | None,
    depth: int,
    body: str | None,
    *,
    author: str | None = "willowmere",
    state: str = "visible",
    subject: str = "",
    posted_at: str = "2024-03-05T12:00",
) -> CommentRecord:
    kind = None if state == "deleted" else ("user" if author else "anonymous")
    return CommentRecord(
        commentid=cid,
        parent_commentid=parent,
        depth=depth,
        author=author,
        author_kind=kind,
        subject=subject,
        subject_html=subject,
        body_html=None if body is None else f"<p>{body}</p>",
        body_text=body,
        posted_at=posted_at,
        date_text=posted_at,
        state=state,
        full=body is not None,
        collapsed=False,
    )


ENTRIES = [
    entry(
        101,
        "Привет, мир",
        f'<p>Привет, мир! Сегодня я учу русский язык.</p><p><img src="{PIC_URL}" alt="garden"></p>',
        "Привет, мир! Сегодня я учу русский язык.",
        tags=("languages", "русский"),
        comment_count=5,
    ),
    entry(
        202,
        "🌻 sunflowers",
        "<p>The 🌻 sunflowers are taller than the fence.</p>"
        f'<p><img src="{PIC_URL}" alt="garden"></p>',
        "The 🌻 sunflowers are taller than the fence.",
        posted_at="2024-07-04T08:15",
        tags=("gardens",),
        mood="sunny",
    ),
    entry(
        303,
        "Garden notes",
        "<p>Beans, peas, and one stray sunflowers seedling by the gate. "
        "Weeding all afternoon; the compost is warm. A café crème after.</p>",
        "Beans, peas, and one stray sunflowers seedling by the gate. Weeding all afternoon; "
        "the compost is warm. A café crème after.",
        posted_at="2024-07-20T19:30",
        tags=("gardens", "weather"),
    ),
    entry(
        404,
        "Rainy Tuesday",
        "<p>Rain again. Tomatoes sulking.</p>",
        "Rain again. Tomatoes sulking.",
        posted_at="2024-08-01T07:00",
        tags=("weather",),
        comment_count=1,
    ),
]

COMMENTS = {
    101: [
        comment(1001, None, 1, "Отличный пост, спасибо!", subject="Ура"),
        comment(
            1002,
            1001,
            2,
            "An anonymous reply about the marmalade cat.",
            author=None,
            posted_at="2024-03-05T13:00",
        ),
        comment(1003, 1002, 3, None, author=None, state="deleted"),
        comment(
            1004,
            1003,
            4,
            "Replying under a deleted comment: four deep.",
            author=J,
            posted_at="2024-03-05T15:00",
        ),
        comment(
            1005,
            None,
            1,
            "A second thread with a 🌻 in it.",
            author="gardenfriend",
            posted_at="2024-03-06T09:00",
        ),
    ],
    404: [comment(4001, None, 1, "Zucchini will save the summer.", author="willowmere")],
}

FILLER = [  # everyday entries, so bm25 has a corpus to weigh rare words against
    entry(
        500 + n,
        f"Daily note {n}",
        f"<p>Walked the dog, read a chapter, note {n}.</p>",
        f"Walked the dog, read a chapter, note {n}.",
        posted_at=f"2023-{n % 12 + 1:02d}-10T09:00",
    )
    for n in range(12)
]

OTHER_JOURNAL_ENTRY = entry(
    11,
    "Sunflower club meeting",
    "<p>Bring sunflowers seeds.</p>",
    "Bring sunflowers seeds.",
    journal=J2,
    posted_at="2024-07-10T18:00",
    tags=("meetings",),
)

EDITED_BODY = (
    "<p>The 🌻 sunflowers are taller than the fence and the shed.</p>"
    f'<p><img src="{PIC_URL}" alt="garden"></p>'
)


def build_archive(path: str | Path) -> sqlite_utils.Database:
    """Write the sample archive at `path`; returns the open (writable) database."""
    db = open_archive(path)
    save.save_journal(db, JournalInfo(J, "personal", "Morning Notes"), ROOT, "2026-01-01T00:00")
    save.save_journal(
        db,
        JournalInfo(J2, "community", "Sunflower Co"),
        "https://sunflower-co.dreamwidth.org/",
        "2026-01-01T00:00",
    )
    save.save_entries(db, J, ENTRIES + FILLER, "2026-01-01T00:00")
    save.save_entries(db, J2, [OTHER_JOURNAL_ENTRY], "2026-01-01T00:00")
    edited = next(e for e in ENTRIES if e.itemid == 202)
    changes = save.save_entries(
        db,
        J,
        [
            EntryRecord(
                **{
                    **edited.__dict__,
                    "body_html": EDITED_BODY,
                    "body_text": "The 🌻 sunflowers are taller than the fence and the shed.",
                }
            )
        ],
        "2026-02-01T00:00",
    )
    assert changes.changed_entries == 1
    for itemid, comments in COMMENTS.items():
        save.save_comments(db, J, itemid, comments, "2026-01-01T00:00")
    return db


def add_pages(db: sqlite_utils.Database) -> dict[str, bytes]:
    """Raw responses in `pages` (as the fetcher stores them); returns url -> body."""
    pages = {
        f"{ROOT}101.html": "<html><body><h1>Привет, мир</h1></body></html>".encode(),
        f"{ROOT}202.html": "<html><body>🌻 sunflowers</body></html>".encode(),
        f"{ROOT}robots.txt": b"User-agent: *\nDisallow:\n",
        f"{ROOT}999.html": b"",
    }
    kinds = {"robots.txt": ("robots", 200, "text/plain"), "999.html": ("entry", 404, "text/html")}
    for url, body in pages.items():
        kind, status, ctype = kinds.get(
            url.rsplit("/", 1)[1], ("entry", 200, "text/html; charset=utf-8")
        )
        save.save_page(
            db,
            url=url,
            journal=J,
            kind=kind,
            status=status,
            fetched_at="2026-01-01T00:00:05+00:00",
            body=body,
            etag='"abc"',
            last_modified="Thu, 01 Jan 2026 00:00:00 GMT",
            content_type=ctype,
        )
    return pages


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG, built by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def add_stored_image(db: sqlite_utils.Database, url: str = PIC_URL) -> bytes:
    """Store an image as `archive --images` would (blob + images row); returns its bytes."""
    data = png(120, 80, (40, 160, 60))
    sha = hashlib.sha256(data).hexdigest()
    db["blobs"].insert(
        {
            "sha256": sha,
            "content_type": "image/png",
            "size": len(data),
            "data": data,
            "first_url": url,
            "fetched_at": "2026-01-01T00:00:00",
        },
        pk="sha256",
        ignore=True,
    )
    db["images"].upsert(
        {
            "url": url,
            "journal": J,
            "sha256": sha,
            "status": "ok",
            "error": None,
            "kind": "entry",
            "fetched_at": "2026-01-01T00:00:00",
        },
        pk="url",
    )
    return data


# --- archives made through the real pipeline, and a server that records what reaches it ----------


class Recorder:
    """An HTTP server on its own 127.0.0.1 port that answers everything and records every
    request (method and path): what hostile payloads point at, so a test sees what got out."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.requests: list[tuple[str, str]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                recorder.requests.append((self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                body = b"<!DOCTYPE html><title>tracker</title><p>NAVIGATED-TO-TRACKER</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def paths(self) -> list[str]:
        return [path for _, path in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def archive_through_fake_site(db_path: str | Path, journals: list, *extra: str) -> None:
    """`dwarchive archive URL --db db_path --rate 0` for each journal, served by FakeSite over
    loopback HTTP, exactly as a user would run it."""
    from click.testing import CliRunner

    from scraper.cli import cli
    from scraper.fakesite import FakeSite

    with FakeSite(journals) as site:
        for journal in journals:
            result = CliRunner().invoke(
                cli,
                [
                    "archive",
                    site.url(journal.name),
                    "--db",
                    str(db_path),
                    "--rate",
                    "0",
                    "--contact",
                    "tests@dwarchive.invalid",
                    "-q",
                    *extra,
                ],
            )
            assert result.exit_code == 0, result.output

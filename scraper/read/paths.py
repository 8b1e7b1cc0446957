"""Where the exports write: every path is built from validated values and stays inside `--out`.

A crafted database can hold anything in any column, so a value becomes part of a file name only
after it passed a check here: SHA-256 hex digests (`images.sha256`), dates (`posted_at`), positive
integers (`itemid`), journal names of letters, digits, `_` and `-`, and file extensions from the
known MIME table (only plain pictures keep theirs: an SVG or HTML "image" is written as .bin, so
opening the copy by itself runs nothing). A value that fails is a NotOurDatabase error (one line from the CLI); `OutDir`
then checks the final, resolved path once more (symlinks included) before anything is written.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..errors import NotOurDatabase

_HEX64 = re.compile(r"[0-9a-f]{64}")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_JOURNAL = re.compile(r"[A-Za-z0-9_-]{1,100}")
_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")


def crafted(what: str, value: object) -> NotOurDatabase:
    shown = repr(value)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return NotOurDatabase(
        f"the archive holds {what} {shown}, which no dwarchive writes: refusing to build a file "
        "name from it (nothing was written outside the output directory)"
    )


def digest(value: object) -> str:
    """A SHA-256 hex digest (lowercase), as stored in images/blobs."""
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise crafted("an image digest", value)
    return value


# Pictures a browser shows but never runs: anything else (SVG, HTML, ... served as an "image")
# is written as .bin, so opening the file by itself cannot run a script either.
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".gif", ".webp", ".avif", ".bmp", ".ico"})


def extension(value: str) -> str:
    """The file extension of a stored image: '.png', '.jpg'... from scraper.images.extension_for,
    '.bin' for a type that is not a plain picture."""
    if not _EXTENSION.fullmatch(value):
        raise crafted("an image extension", value)
    return value if value in IMAGE_EXTENSIONS else ".bin"


def day(posted_at: object) -> str | None:
    """'YYYY-MM-DD' of a stored date ('2024-03-05T10:00'); None when there is no date."""
    if posted_at is None or posted_at == "":
        return None
    match = _DAY.match(posted_at) if isinstance(posted_at, str) else None
    try:
        if match is None:
            raise ValueError
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        raise crafted("a date", posted_at) from None


def itemid(value: object) -> int:
    """An entry number: a positive integer."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise crafted("an entry number", value)
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 18 or int(text) < 1:
        raise crafted("an entry number", value)
    return int(text)


def journal(value: object) -> str:
    """A journal name usable as a directory name (no dots, no slashes)."""
    if not isinstance(value, str) or not _JOURNAL.fullmatch(value):
        raise crafted("a journal name", value)
    return value


class OutDir:
    """The export's output directory: writes only below it."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.resolved = self.root.resolve()

    def path(self, relative: str) -> Path:
        """`root/relative`, refused unless it resolves inside the root."""
        target = (self.root / relative).resolve()
        if target == self.resolved or not target.is_relative_to(self.resolved):
            raise NotOurDatabase(
                f"refusing to write {relative!r}: it would land outside {self.root}"
            )
        return target

    def write_text(self, relative: str, text: str) -> Path:
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.path(relative)  # the directories just made may not lead elsewhere either
        target.write_text(text, encoding="utf-8")
        return target

    def write_bytes(self, relative: str, data: bytes) -> Path:
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.path(relative)
        target.write_bytes(data)
        return target


__all__ = [
    "IMAGE_EXTENSIONS",
    "OutDir",
    "crafted",
    "day",
    "digest",
    "extension",
    "itemid",
    "journal",
]

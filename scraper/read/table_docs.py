"""What every table, view and column of an archive means: the one source of the Datasette metadata
(datasette_meta.py) and of the README's schema section (schema_doc.py).

The words dwarchive stores for page kinds, queue states and run outcomes are described from their
StrEnums in scraper/kinds.py, so the documentation says what the code writes. Views are the
names in `store.readside.VIEWS`; `tests/test_schema_doc.py` checks that every column of a freshly
created archive is described here.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..kinds import ItemState, PageKind, RunOutcome
from ..store.readside import FTS_CONFIG, VIEWS


def vocabulary(values: Iterable[PageKind | ItemState | RunOutcome]) -> str:
    """'a = meaning · b = meaning · ...': the words a column holds, each with its meaning."""
    return " · ".join(f"{v.value} = {v.meaning}" for v in values)


PLANNING_KINDS = [k for k in PageKind if k.meaning.startswith("planning step")]
"""Queue items that are no page but a step of the crawl's planning (kinds.py words each meaning
"planning step: ..."); they never appear in `pages` or `parse_errors`."""

FETCHED_KINDS = [k for k in PageKind if k not in PLANNING_KINDS]
"""The kinds of page a crawl fetches and keeps in `pages`."""

COMMON_COLUMNS: dict[str, str] = {
    "journal": "Journal username (underscore form); links to journals.name",
    "itemid": "Entry number: the NNN of NNN.html on the journal's site",
    "commentid": "Comment number: the N of ?thread=N and #cmtN",
    "url": "Address on the journal's site",
    "subject": "Subject as plain text ('' when there is none)",
    "subject_html": "Subject as HTML",
    "body_html": "Body as HTML, as the site showed it",
    "body_text": "Body as plain text (paragraphs on their own lines)",
    "poster": "Username of who posted the entry (differs from journal in communities)",
    "posted_at": "Date and time as shown on the site, YYYY-MM-DDTHH:MM (no time zone)",
    "date_text": "Date and time exactly as the page printed it",
    "userpic_keyword": "Keyword of the icon (userpic) used",
    "userpic_url": "Address of the icon (userpic) image",
    "security": "Who may read it: public, access (filtered/locked), private, custom",
    "mood": "Current mood, when set",
    "music": "Current music, when set",
    "location": "Current location, when set",
    "tag": "Tag name",
    "first_seen_at": "When dwarchive first stored it (UTC)",
    "updated_at": "When dwarchive last saw it change (UTC)",
    "fetched_at": "When dwarchive fetched it (UTC)",
    "status": "Outcome or HTTP status",
    "sha256": "SHA-256 of the content, hex",
    "content_type": "Content-Type the server sent",
    "author": "Username of the commenter (empty for anonymous comments)",
    "author_kind": "user, openid or anonymous",
    "state": "visible, screened, deleted, frozen or suspended",
    "depth": "Nesting level in the comment thread (1 = reply to the entry)",
    "parent_commentid": "The comment this one replies to (empty: top-level)",
    "comment_count": "Number of comments the site showed for the entry",
    "entries": "Number of entries",
    "comments": "Number of comments",
    "month": "Month, YYYY-MM",
    "error": "Why it failed",
    "tags": "Tags as a JSON list",
    "deleted_at": "When dwarchive noticed the entry was gone from the site (it is kept)",
    "body_source": "Owner mode: the text exactly as typed, as the protocol returned it",
    "props": "Owner mode: every property the protocol returned (JSON)",
    "editor": "Owner mode: the format the text is written in (html_casual1, markdown0, ...)",
}

_ENTRY_EXTRA = {
    "restrictions": "Adult-content flag: 18, nsfw or empty",
    "body_complete": "1 when the full body was stored (from the entry page), 0 when cut short",
    "content_hash": "Hash of the entry's text and metadata, used to notice edits",
    "rendering": "Which markup the stored reading came from: core2, siteviews, drifting, "
    "negatives, zesty, or protocol (owner mode)",
    "allowmask": "Owner mode: who may read a filtered entry (1 = access list, other bits: "
    "custom filters)",
}

_IMAGE_STATUS = (
    "ok (stored), error (retried next run), missing (404/410), too_large, not_image or refused "
    "(a host or address images may not come from)"
)
_IMAGE_KIND = "entry (embedded in a body) or userpic"

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "journals": (
        "One row per archived journal.",
        {
            "name": "Username (underscore form)",
            "type": "personal or community",
            "title": "Journal title",
            "subtitle": "Journal subtitle",
            "first_archived_at": "First archive run (UTC)",
            "last_archived_at": "Last complete archive run (UTC)",
        },
    ),
    "entries": (
        "Every entry ever archived; deleted ones are kept with deleted_at set.",
        _ENTRY_EXTRA,
    ),
    "entry_tags": ("Tags on each entry, in the order the entry lists them.", {}),
    "comments": (
        (
            "Every comment, deleted and screened placeholders included. "
            "See the comment_threads view for threads."
        ),
        {"edited_text": "'Edited ...' note"},
    ),
    "profiles": (
        "The profile page of each journal.",
        {
            "display_name": "Name shown on the profile",
            "bio_text": "Biography as plain text",
            "bio_html": "Biography as HTML",
            "journal_type": "personal, community, feed or openid",
            "journal_title": "Journal title",
            "journal_subtitle": "Journal subtitle",
            "account_type": "Account type, e.g. Paid Account",
            "created_on": "Account creation date",
            "last_updated": "Date of the last update",
            "user_number": "Account number on the site",
            "comments_received": "Comments received, as the profile counts them",
            "comments_posted": "Comments posted, as the profile counts them",
            "entries_count": "Entries, as the profile counts them",
            "tags_count": "Tags, as the profile counts them",
            "memories_count": "Memories, as the profile counts them",
            "icons_count": "Icons, as the profile counts them",
            "birthdate": "Birthdate when public",
            "website_name": "Website link text",
            "website_url": "Website address",
            "interests": "Interests as a JSON list",
            "basics": "Other basic rows as a JSON object",
            "admins": "Community maintainers (JSON list)",
            "moderators": "Community moderators (JSON list)",
            "members": "Community members (JSON list)",
        },
    ),
    "calendar": (
        "Entries per day according to the journal's own calendar (for coverage).",
        {"day": "Date, YYYY-MM-DD", "entry_count": "Entries the calendar lists that day"},
    ),
    "tags": (
        "The journal's tag list with use counts.",
        {"uses": "Uses the tags page shows", "visibility": "Tag visibility, when shown"},
    ),
    "page_modules": (
        "Sidebar and footer modules of each fetched page.",
        {
            "profile_display_name": "Profile module: name",
            "profile_userpic_keyword": "Profile module: icon keyword",
            "profile_website_name": "Profile module: website text",
            "profile_website_url": "Profile module: website address",
            "calendar_month": "Calendar module: month shown",
            "calendar_days": "Calendar module: entries per day (JSON)",
            "style_credit": "Style credit lines (JSON)",
            "cut_tags_text": "Cut-tag control text",
            "page_generated": "'Page generated' text",
            "page_generated_at": "'Page generated' time, normalised",
            "powered_by": "'Powered by' text",
        },
    ),
    "pages": (
        (
            "Raw responses as fetched (body zlib-compressed), so parsers can be re-run offline; "
            "`dwarchive export --format warc` writes them as a WARC file."
        ),
        {
            "kind": "What the page is. " + vocabulary(FETCHED_KINDS),
            "etag": "ETag header",
            "last_modified": "Last-Modified header",
            "body": "Response body, zlib-compressed",
        },
    ),
    "owner_state": (
        "Owner mode: where the last protocol sync of a journal stopped, so the next starts there.",
        {
            "cursor": "The sync cursor: last sync time and the items seen at that second (JSON)",
            "comment_maxid": "Highest comment number read from the comment export",
            "moods": "The site's mood list (id -> name, JSON): entries name their mood by id",
            "synced_at": "When the last owner-mode sync finished (UTC)",
        },
    ),
    "host_state": (
        (
            "When a site told dwarchive to wait (429 Retry-After, captcha); runs before then stop "
            "without a request."
        ),
        {
            "host": "Host name (and port) of the journal's site",
            "not_before": "No request to this host before this time (UTC, ISO 8601)",
            "reason": "What asked us to wait",
            "updated_at": "When it was recorded (UTC)",
        },
    ),
    "parse_errors": (
        "Pages a parser could not read (kept to retry after a fix).",
        {"kind": "What the page is (as in pages.kind)", "at": "When it happened (UTC)"},
    ),
    "sync_runs": (
        "One row per archive run.",
        {
            "id": "Run number",
            "command": "Command that ran",
            "started_at": "Start (UTC)",
            "finished_at": "End (UTC; empty if interrupted)",
            "outcome": "How the run ended. " + vocabulary(RunOutcome),
            "message": "Why it stopped, when it did",
            "requests": "HTTP requests made",
            "new_entries": "Entries added",
            "changed_entries": "Entries that changed",
            "deleted_entries": "Entries found deleted",
            "new_comments": "Comments added",
            "changed_comments": "Comments that changed",
            "pid": "Process id of the run",
        },
    ),
    "crawl_queue": (
        "Pages still to fetch or done in the current crawl (lets an interrupted run resume).",
        {
            "kind": "What to do: fetch a page of that kind, or take a planning step. "
            + vocabulary(PageKind),
            "priority": "Lower runs first",
            "state": "Where the item stands. " + vocabulary(ItemState),
            "info": "Extra planning data (JSON)",
            "added_at": "When queued (UTC)",
            "done_at": "When done (UTC)",
        },
    ),
    "feed_entries": (
        "The journal's feed as last read: used to notice new and edited entries cheaply.",
        {
            "title": "Title in the feed",
            "published": "Published time in the feed",
            "updated": "Updated time in the feed",
            "reply_count": "Comment count in the feed",
            "seen_at": "When dwarchive read it (UTC)",
        },
    ),
    "entry_revisions": (
        "Earlier versions of edited entries: each row is the entry as it was before a change.",
        {
            "revision": "1 for the oldest version",
            "tags": "Tags of that version (JSON list)",
            "content_hash": "Hash of that version",
            "captured_at": "When the change was noticed (UTC)",
        },
    ),
    "blobs": (
        "Downloaded images, one row per distinct content (content-addressed by SHA-256).",
        {"size": "Bytes", "data": "The image", "first_url": "First address it was fetched from"},
    ),
    "images": (
        "Every image address entries use (embedded images and userpics) and its stored copy.",
        {
            "url": "Address of the image",
            "status": _IMAGE_STATUS,
            "kind": _IMAGE_KIND,
        },
    ),
    # --- views ---
    "comment_threads": (
        "Comments in reading order with their depth computed from reply links.",
        {
            "entry_subject": "Subject of the entry",
            "root_commentid": "Top-level comment of the thread",
            "depth": "Nesting level computed from parent links (1 = top level)",
            "thread_path": "Sort key: zero-padded comment ids from the top of the thread",
        },
    ),
    "entries_with_tags": (
        "Entries with their tags as a JSON list and counts of stored comments/revisions.",
        {
            "comments_stored": "Comments stored for the entry",
            "revisions": "Earlier versions stored",
        },
    ),
    "entry_edit_history": (
        "Each earlier version of an edited entry beside the current one.",
        {
            "revision": "1 for the oldest version",
            "replaced_at": "When the change was noticed (UTC)",
            "old_subject": "Subject before the change",
            "current_subject": "Subject now",
            "old_body_text": "Body before the change",
            "old_tags": "Tags before the change (JSON list)",
            "old_security": "Security before the change",
            "current_updated_at": "When the entry last changed (UTC)",
        },
    ),
    "entries_per_month": (
        "Entries and comments per journal and month.",
        {
            "comments": "Comments the site showed on those entries",
        },
    ),
    "tag_usage": (
        "How often each tag is used, first and last use.",
        {
            "first_used": "Date of the first entry with the tag",
            "last_used": "Date of the latest entry with the tag",
        },
    ),
    "commenters": (
        "Who comments, how often, first and last comment.",
        {
            "author": "Username, or (anonymous)",
            "first_comment_at": "First comment",
            "last_comment_at": "Latest comment",
        },
    ),
    "image_files": (
        "Image addresses with their stored file's type and size.",
        {
            "url": "Address of the image",
            "kind": _IMAGE_KIND,
            "status": _IMAGE_STATUS,
            "size": "Bytes",
        },
    ),
}
"""table or view -> (description, column descriptions beyond COMMON_COLUMNS)."""


def column_descriptions(table: str, columns: list[str] | None = None) -> dict[str, str]:
    """Descriptions of a table's columns: its own, then the common ones ('' when neither has
    one). Without `columns`, the columns the table describes itself."""
    own = TABLES[table][1]
    names = columns if columns is not None else list(own)
    return {c: own.get(c) or COMMON_COLUMNS.get(c, "") for c in names}


def is_view(name: str) -> bool:
    """Whether `name` is one of the archive's views (not a table)."""
    return name in VIEWS


FTS_TABLES: dict[str, str] = {
    f"{table}_fts": (
        "Full-text index (SQLite FTS5) of "
        + " and ".join(f"{table}.{c}" for c in columns)
        + f", kept current by triggers; join on {table}.rowid"
    )
    for table, columns in FTS_CONFIG.items()
}
"""The full-text indexes (with their shadow tables `*_fts_data`, `_idx`, `_docsize`, `_config`)."""


__all__ = [
    "COMMON_COLUMNS",
    "FETCHED_KINDS",
    "FTS_TABLES",
    "PLANNING_KINDS",
    "TABLES",
    "column_descriptions",
    "is_view",
    "vocabulary",
]

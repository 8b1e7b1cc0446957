"""The read side: search, comment threads and exports, all built from the database alone.

Nothing in this package makes a network request; `scraper.images` is the one read-side module
that fetches (images and userpics, opt-in). The archived HTML was written by the journal and its
commenters, so the exports treat it as hostile: `sanitize` (the HTML export's allow-list),
`to_markdown` (escaped, iterative HTML to Markdown), `paths` (every file name from validated
values, inside the output directory); `pictures` draws the HTML index's heat maps and charts.
"""

from .search import Hit, SearchResult, search
from .threads import CommentNode, build_threads, walk_threads

__all__ = ["CommentNode", "Hit", "SearchResult", "build_threads", "search", "walk_threads"]

"""The read side: search, comment threads and exports, all built from the database alone.

Nothing in this package makes a network request; `scraper.images` is the one read-side module
that fetches (images and userpics, opt-in).
"""

from .search import Hit, SearchResult, search
from .threads import CommentNode, build_threads, walk_threads

__all__ = ["CommentNode", "Hit", "SearchResult", "build_threads", "search", "walk_threads"]

"""A journal's robots.txt rules (parsed by protego), checked before every journal request.

Dreamwidth serves a per-journal robots.txt: `User-Agent: *` + `Disallow: /` when the journal opted
out of robots (or is flagged adult/syndicated/OpenID). An archiver honours it by default.

Paths are checked relative to the journal root, so a test root with a path prefix
(`http://127.0.0.1:PORT/nairiporter/`) behaves like a journal host: its `/prefix/robots.txt`
rules read `Disallow: /2020/` as `/prefix/2020/`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from protego import Protego


class RobotsRules:
    """The rules of one robots.txt; `allow_all()` when there is none (404, error)."""

    def __init__(self, text: str | None, root_url: str) -> None:
        self.text = text
        self._parser = Protego.parse(text) if text else None
        self._prefix = urlsplit(root_url).path or "/"

    @classmethod
    def allow_all(cls, root_url: str) -> RobotsRules:
        return cls(None, root_url)

    @property
    def allows_everything(self) -> bool:
        return self._parser is None

    def can_fetch(self, url: str, user_agent: str) -> bool:
        """True when `user_agent` may fetch `url` (an absolute URL on the journal's host)."""
        if self._parser is None:
            return True
        parts = urlsplit(url)
        path = parts.path or "/"
        if self._prefix != "/" and path.startswith(self._prefix):
            path = "/" + path[len(self._prefix) :]
        if parts.query:
            path += "?" + parts.query
        return bool(self._parser.can_fetch(path, user_agent))

    def __repr__(self) -> str:
        return "RobotsRules(allow_all)" if self._parser is None else "RobotsRules(parsed)"

"""Owner mode on the fake site: Dreamwidth's protocol endpoints, sessions and the owner journal.

What an account holder sees through an API key, following Dreamwidth's source:

* state.py, accounts.py, sessions.py, logins.py, ratelimit.py: accounts and API keys, the
  `ljsession` cookie, failed-login bans (101, then 402), the per-user 100/60 s bucket;
* modes.py (the protocol modes), flat.py (/interface/flat), xmlrpc.py (/interface/xmlrpc),
  export.py (/export_comments), endpoints.py (the HTTP glue FakeSite calls);
* entries.py: how model entries appear in the protocol (security, allowmask, props, sync items);
* formats.py, cleanhtml.py, markdown.py: the fake site's own reading of entry and comment sources
  in Dreamwidth's formats (html_casual0/1, html_raw0, markdown0), used to build body_html;
* owner_journal.py: `build_owner_journal()`, a journal made for owner mode (every security level,
  every format, every comment state, an id gap), scalable for the bench.
"""

from __future__ import annotations

from .owner_journal import OWNER_API_KEY, OWNER_NAME, build_owner_journal, deleted_jitemid
from .state import Call, OwnerState

__all__ = [
    "OWNER_API_KEY",
    "OWNER_NAME",
    "Call",
    "OwnerState",
    "build_owner_journal",
    "deleted_jitemid",
]

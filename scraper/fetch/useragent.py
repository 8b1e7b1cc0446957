"""The User-Agent: `dwarchive/VERSION (+CONTACT)` for the journal's site, without the contact elsewhere.

Dreamwidth's bot policy asks automated clients to name a contact, so every request to the
journal's site carries it; image hosts of other parties get `dwarchive/VERSION` only. A contact
that cannot sit inside a User-Agent comment (line breaks, control or non-ASCII characters,
parentheses, a backslash) is refused with BadContact, one line in the CLI.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from .. import __version__
from ..errors import BadContact

CONTACT_ENV = "DWARCHIVE_CONTACT"
NO_CONTACT = "no contact given"
_FORBIDDEN = frozenset("()\\")


def contact_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """The contact address from $DWARCHIVE_CONTACT, None when unset or blank."""
    env = os.environ if environ is None else environ
    value = (env.get(CONTACT_ENV) or "").strip()
    return value or None


def check_contact(contact: str | None) -> str | None:
    """The contact, stripped (None when blank); BadContact when it cannot go into a header."""
    contact = (contact or "").strip()
    for ch in contact:
        if not " " <= ch <= "~" or ch in _FORBIDDEN:
            raise BadContact(
                f"the contact address must be plain ASCII without line breaks, control characters "
                f"or parentheses (found {ch!r}); give an e-mail address or URL, "
                "e.g. --contact you@example.org"
            )
    return contact or None


def build_user_agent(contact: str | None) -> str:
    """`dwarchive/VERSION (+CONTACT)`, or `(+no contact given)` without one."""
    return f"dwarchive/{__version__} (+{check_contact(contact) or NO_CONTACT})"


def anonymous_user_agent() -> str:
    """`dwarchive/VERSION`: for hosts that are not the journal's site (they get no contact)."""
    return f"dwarchive/{__version__}"

"""Who can log in to the fake site, and what they may read: accounts, user ids, manage rights.

Every served journal is an account: a personal journal logs in with its `api_keys`; a community
cannot log in at all (DW::Auth::Password::check: "Only people can log in",
cgi-bin/DW/Auth/Password.pm:56-57) and is read through a maintainer account (`usejournal` /
`authas`). Accounts that have no journal on the site (a community's maintainer, say) are added
with `Accounts.add(name, api_keys)`.

User ids follow the fake site's rendering: `stable_number("user:" + name)` unless the journal sets
`userid`; OpenID commenters are identity accounts `ext_<id>` with `stable_number("openid:" +
name)` (LJ::User::load_identity_user names them ext_NNN). Rights follow LJ::User::can_manage
(owner or community maintainer) and can_post_to (owner, maintainer or member).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..model import FakeJournal, stable_number
from .cleanhtml import canonical_username


def user_userid(name: str) -> int:
    return stable_number("user:" + name, 9_000_000, 100_000)


def openid_userid(name: str) -> int:
    return stable_number("openid:" + name, 9_000_000, 100_000)


@dataclass
class Account:
    """A login: a person (with API keys) or a community (never logs in)."""

    name: str
    userid: int
    journal: FakeJournal | None = None
    extra_keys: list[str] = field(default_factory=list)
    locked: bool = False

    @property
    def api_keys(self) -> list[str]:
        keys = list(self.extra_keys)
        if self.journal is not None:
            keys += [k for k in self.journal.api_keys if k not in keys]
        return keys

    @property
    def is_person(self) -> bool:
        return self.journal is None or not self.journal.is_community

    @property
    def display_name(self) -> str:
        return self.journal.display_name if self.journal is not None else self.name


class Accounts:
    """The accounts of a site: its served journals (live) plus added ones."""

    def __init__(self, journals: Mapping[str, FakeJournal]) -> None:
        self.journals = journals
        self.extra: dict[str, Account] = {}

    def add(self, name: str, api_keys: Iterable[str] = (), locked: bool = False) -> Account:
        """An account without a journal on the site (or more keys for one that has one)."""
        user = canonical_username(name)
        account = self.get(user) or Account(user, user_userid(user))
        account.extra_keys += [k for k in api_keys if k not in account.extra_keys]
        account.locked = locked or account.locked
        self.extra[user] = account
        return account

    def get(self, name: str | None) -> Account | None:
        user = canonical_username(name)
        if not user:
            return None
        journal = self.journals.get(user)
        if journal is not None:
            extra = self.extra.get(user)
            return Account(
                user,
                journal.userid,
                journal,
                list(extra.extra_keys) if extra else [],
                extra.locked if extra else False,
            )
        return self.extra.get(user)

    def by_userid(self, userid: int) -> Account | None:
        for journal in list(self.journals.values()):
            if journal.userid == userid:
                return self.get(journal.name)
        for account in list(self.extra.values()):
            if account.userid == userid:
                return self.get(account.name)
        return None

    def userid_of(self, name: str) -> int:
        """The user id of any username (accounts first, else the fake site's derived id)."""
        account = self.get(name)
        return account.userid if account else user_userid(name)


def can_manage(account: Account, journal: FakeJournal) -> bool:
    """LJ::User::can_manage: the journal itself, or a maintainer of the community."""
    if account.name == journal.name:
        return True
    return journal.is_community and account.name in journal.maintainers


def can_post_to(account: Account, journal: FakeJournal) -> bool:
    """LJ::User::can_post_to for check_altusage: owner, maintainer or member."""
    if can_manage(account, journal):
        return True
    return journal.is_community and account.name in journal.members


def posting_access(account: Account, journals: Iterable[FakeJournal]) -> list[str]:
    """list_usejournals: the communities the account may post to, sorted."""
    return sorted(
        j.name
        for j in journals
        if j.is_community and j.name != account.name and can_post_to(account, j)
    )

"""Journal names and URLs: turn user input into a journal root URL, compare origins, normalise URLs.

`journal_root('foo_bar')` is `https://foo-bar.dreamwidth.org/` (underscores become hyphens in
Dreamwidth hostnames). A URL anywhere inside a journal on Dreamwidth or another LiveJournal-code
site is cut back to its root; loopback URLs (`http://127.0.0.1:PORT/`, `http://localhost:PORT/prefix/`)
are taken as roots verbatim (the fake site of the tests serves journals under a path prefix).

Besides `NAME.site`, the LiveJournal code addresses a journal (a community too) by path, and these
name the journal, never the host's first label:

* `users.site/NAME/`, `community.site/NAME/`, `syndicated.site/NAME/`: what LJ::journal_base
  prints for a name that cannot be a host name (one that starts or ends with `_`) under
  %LJ::SUBDOMAIN_RULES (dreamwidth cgi-bin/LJ/User/Account.pm:1393-1434,
  cgi-bin/LJ/Global/Defaults.pm:297-301); LiveJournal's FAQ 77 gives
  `community.livejournal.com/NAME/` as a community's other address;
* `www.site/users/NAME/`, `www.site/community/NAME/`, `www.site/~NAME/` (and without `www.`):
  LiveJournal's older addresses, still read by Dreamwidth's DW::FeedCanonicalizer
  (cgi-bin/DW/FeedCanonicalizer.pm:51-82);
* `asylums.insanejournal.com/NAME/`: an InsaneJournal community ("asylum"), which has no
  `NAME.insanejournal.com` address (DW::FeedCanonicalizer, line 87).

A path form is made `https://NAME.site/` when the name can be a host name (the journal's own
address, as LJ::journal_base prints it); otherwise, and for asylums, the path form is the root.
Only Dreamwidth's pages are parsed: on the other sites an address is understood, a page is not.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit, urlunsplit

from ..errors import NotAJournal

DEFAULT_SITE = "dreamwidth.org"

# LiveJournal-family sites whose journals live at https://NAME.<domain>/.
LJ_FAMILY_DOMAINS = (
    "dreamwidth.org",
    "livejournal.com",
    "insanejournal.com",
    "deadjournal.com",
    "journalfen.net",
)

# Subdomains of those sites that are site pages, not journals.
NON_JOURNAL_LABELS = frozenset(
    {
        "www",
        "m",
        "users",
        "community",
        "syndicated",
        "asylums",
        "api",
        "stat",
        "l-stat",
        "feeds",
        "support",
    }
)

# Hosts (first label) that serve journals by path: users.site/NAME/ and the like.
PATH_HOST_LABELS = frozenset({"users", "community", "syndicated"})
# Hosts that serve journals by path only (no NAME.site address).
PATH_ONLY_HOSTS = frozenset({"asylums.insanejournal.com"})

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

_DEFAULT_PORTS = {"http": 80, "https": 443}

# A username as typed (underscore or hyphen form), max 25 characters as on Dreamwidth.
_NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,23}[a-z0-9])?$")
# A username in a path, where it may start or end with an underscore.
_PATH_NAME_RE = re.compile(r"^(?=.*[a-z0-9])[a-z0-9_-]{1,25}$")


def journal_root(name_or_url: str) -> str:
    """The root URL (ending in '/') of the journal named or linked by `name_or_url`.

    Raises NotAJournal for anything that is neither a journal name nor an http(s) URL of a
    journal (Dreamwidth, another LJ-family site, or a loopback test server).
    """
    raw = (name_or_url or "").strip()
    if not raw:
        raise NotAJournal("no journal given")
    lowered = raw.lower()
    if _NAME_RE.match(lowered):
        return f"https://{lowered.replace('_', '-')}.{DEFAULT_SITE}/"
    if "://" not in raw and _site_split(lowered.split("/", 1)[0]) is not None:
        raw = "https://" + raw  # 'name.dreamwidth.org/2020/' typed without a scheme
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise NotAJournal(f"not a journal name or URL: {name_or_url!r} ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise NotAJournal(
            f"not a journal name or URL: {name_or_url!r} "
            "(give a username like 'nairiporter' or an https://NAME.dreamwidth.org/ URL)"
        )
    host = parts.hostname.lower()
    scheme = parts.scheme.lower()
    if host in LOOPBACK_HOSTS:
        path = parts.path or "/"
        if not path.endswith("/"):
            path += "/"
        return urlunsplit((scheme, _netloc(scheme, host, port), path, "", ""))
    site = _site_split(host)
    if site is None:
        raise NotAJournal(f"not a Dreamwidth-style journal URL: {name_or_url!r}")
    label, domain = site
    by_path = _path_journal(host, label, domain, parts.path)
    if by_path is not None:
        name, path_host = by_path
        if not _PATH_NAME_RE.match(name):
            raise NotAJournal(f"not a journal URL (no journal name in the path): {name_or_url!r}")
        subdomain = name.replace("_", "-")
        if host not in PATH_ONLY_HOSTS and _NAME_RE.match(subdomain):
            label = subdomain  # the journal's own address, as LJ::journal_base prints it
        else:
            return urlunsplit(("https", _netloc("https", path_host, port), f"/{name}/", "", ""))
    if label in NON_JOURNAL_LABELS or not _NAME_RE.match(label):
        raise NotAJournal(f"not a journal URL (site page, not a journal): {name_or_url!r}")
    # LJ-family sites are https-only: normalise so the origin matches what the site redirects to.
    return urlunsplit(("https", _netloc("https", f"{label}.{domain}", port), "/", "", ""))


def _site_split(host: str) -> tuple[str, str] | None:
    """('name', 'dreamwidth.org') for 'name.dreamwidth.org', ('', 'dreamwidth.org') for the
    bare domain; None for any other host."""
    host = host.lower()
    if host in LJ_FAMILY_DOMAINS:
        return "", host
    return lj_family_split(host)


def _path_journal(host: str, label: str, domain: str, path: str) -> tuple[str, str] | None:
    """(name, host of the path form) when the URL names its journal by path, else None."""
    segments = [s for s in (path or "").split("/") if s]
    if host in PATH_ONLY_HOSTS or label in PATH_HOST_LABELS:
        return (segments[0].lower(), host) if segments else None
    if label not in ("", "www") or not segments:
        return None
    first = segments[0].lower()
    if first.startswith("~") and len(first) > 1:
        return first[1:], f"users.{domain}"
    if first in PATH_HOST_LABELS and len(segments) > 1:
        return segments[1].lower(), f"{first}.{domain}"
    return None


def journal_name(root_url: str) -> str | None:
    """The canonical (underscore) username of a journal root, None when the URL does not say.

    `https://foo-bar.dreamwidth.org/` -> 'foo_bar'; `https://asylums.insanejournal.com/somecomm/`
    -> 'somecomm'; `https://users.dreamwidth.org/_foo_/` -> '_foo_';
    `http://127.0.0.1:8000/foo_bar/` -> 'foo_bar'; `http://127.0.0.1:8000/` -> None.
    """
    parts = urlsplit(root_url)
    host = (parts.hostname or "").lower()
    if host in LOOPBACK_HOSTS:
        segments = [s for s in (parts.path or "").split("/") if s]
        return segments[-1].lower().replace("-", "_") if segments else None
    site = _site_split(host)
    if site is None:
        return None
    by_path = _path_journal(host, site[0], site[1], parts.path)
    if by_path is not None:
        return by_path[0].replace("-", "_") if _PATH_NAME_RE.match(by_path[0]) else None
    if site[0] in NON_JOURNAL_LABELS or not site[0]:
        return None
    return site[0].replace("-", "_")


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of `url`, lowercased, with the scheme's default port made explicit."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = _DEFAULT_PORTS.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def same_origin(url: str, root: str) -> bool:
    """True when `url` has the same scheme, host and port as `root`."""
    return origin(url) == origin(root)


def normalize_url(url: str) -> str:
    """`url` in the form used to recognise repeats: fragment dropped, query kept as is.

    Scheme and host are lowercased, a default port is dropped, an empty path becomes '/'.
    """
    parts: SplitResult = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = _netloc(scheme, host, port)
    if parts.username or parts.password:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _netloc(scheme: str, host: str, port: int | None) -> str:
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is None or _DEFAULT_PORTS.get(scheme) == port:
        return host
    return f"{host}:{port}"


def lj_family_split(host: str) -> tuple[str, str] | None:
    """('name', 'dreamwidth.org') for 'name.dreamwidth.org'; None for any other host."""
    host = host.lower()
    for domain in LJ_FAMILY_DOMAINS:
        suffix = "." + domain
        if host.endswith(suffix):
            label = host[: -len(suffix)]
            if label and "." not in label:
                return label, domain
    return None


# --- the journal's site -----------------------------------------------------------------------


def is_loopback_root(root_url: str) -> bool:
    """True for a journal served on this machine (the fake site of tests and the demo)."""
    return (urlsplit(root_url).hostname or "").lower() in LOOPBACK_HOSTS


def api_root_for(journal_root_url: str) -> str:
    """The site's main host, where the protocol endpoints and site pages live.

    `https://name.dreamwidth.org/` -> `https://www.dreamwidth.org/`; a loopback journal
    (`http://127.0.0.1:PORT/prefix/`) -> its own origin `http://127.0.0.1:PORT/`.
    """
    parts = urlsplit(journal_root_url)
    scheme, host, _ = origin(journal_root_url)
    split = lj_family_split(host)
    if split is not None and host not in LOOPBACK_HOSTS:
        return f"https://www.{split[1]}/"
    if not scheme or not host:
        raise NotAJournal(f"not a journal URL: {journal_root_url!r}")
    try:
        explicit = parts.port
    except ValueError:
        explicit = None
    return urlunsplit((scheme, _netloc(scheme, host, explicit), "/", "", ""))


def site_domain(journal_root_url: str) -> str | None:
    """'dreamwidth.org' for a journal on an LJ-family site, None otherwise (loopback)."""
    split = lj_family_split((urlsplit(journal_root_url).hostname or "").lower())
    return split[1] if split else None

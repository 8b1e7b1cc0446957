"""User links in rendered source: `<user name=x>` / `<lj user=x>` and @mentions.

Dreamwidth replaces these with the ljuser span of LJ::ljuser (cgi-bin/LJ/User/Display.pm:601-720)
through LJ::CleanHTML::user_link_html (cgi-bin/LJ/CleanHTML.pm:2006-2065) and
convert_user_mentions (CleanHTML.pm:1969-1999). Offline we cannot look accounts up, so every
local name gets the personal-account markup (or the kind the caller knows, `SiteLinks.kinds`);
the visible text, `<b>name</b>` in canonical form, is what Dreamwidth prints either way.
Names on other sites (`site=` or `@name.site`) get DW::External::User::ljuser_display's
markup (cgi-bin/DW/External/User.pm:61-84) when the site is one Dreamwidth knows
(cgi-bin/DW/External/Site.pm:31-173), else Dreamwidth's "[Bad username or site: ...]".
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

USERNAME_MAXLENGTH = 25  # $LJ::USERNAME_MAXLENGTH default
_CANONICAL = re.compile(rf"^\s*([a-z0-9_\-]{{1,{USERNAME_MAXLENGTH}}})\s*$")
_EXTERNAL_NAME = re.compile(r"^\s*([a-zA-Z0-9_\-]+)\s*$")  # DW::External::Site::canonical_username
_LJUSER_IMG_STYLE = "vertical-align: text-bottom; border: 0; padding-right: 1px;"

# DW::External::Site's table: every name it recognises -> the site's domain (Site.pm:31-173).
_SITE_DOMAINS = {
    "livejournal.com": "livejournal.com",
    "insanejournal.com": "insanejournal.com",
    "deadjournal.com": "deadjournal.com",
    "inksome.com": "inksome.com",
    "journalfen.net": "journalfen.net",
    "dreamwidth.org": "dreamwidth.org",
    "archiveofourown.org": "archiveofourown.org",
    "x.com": "x.com",
    "tumblr.com": "tumblr.com",
    "etsy.com": "etsy.com",
    "diigo.com": "diigo.com",
    "blogspot.com": "blogspot.com",
    "deviantart.com": "deviantart.com",
    "last.fm": "last.fm",
    "ravelry.com": "ravelry.com",
    "wordpress.com": "wordpress.com",
    "plurk.com": "plurk.com",
    "pinboard.in": "pinboard.in",
    "fanfiction.net": "fanfiction.net",
    "pinterest.com": "pinterest.com",
    "youtube.com": "youtube.com",
    "github.com": "github.com",
    "lj.rossia.org": "lj.rossia.org",
    "medium.com": "medium.com",
    "imzy.com": "imzy.com",
    "facebook.com": "facebook.com",
    "instagram.com": "instagram.com",
    "del.icio.us": "del.icio.us",
    "substack.com": "substack.com",
    "itch.io": "itch.io",
    "furaffinity.com": "furaffinity.com",
    "artstation.com": "artstation.com",
    "ko-fi.com": "ko-fi.com",
    "bsky.app": "bsky.app",
    "bsky.social": "bsky.social",
}
_SITE_ALIASES = {
    "livejournal": "livejournal.com",
    "lj": "livejournal.com",
    "insanejournal": "insanejournal.com",
    "ij": "insanejournal.com",
    "deadjournal": "deadjournal.com",
    "dj": "deadjournal.com",
    "deviantart": "deviantart.com",
    "da": "deviantart.com",
    "inksome": "inksome.com",
    "journalfen": "journalfen.net",
    "jf": "journalfen.net",
    "dreamwidth": "dreamwidth.org",
    "dw": "dreamwidth.org",
    "archiveofourown": "archiveofourown.org",
    "ao3.org": "archiveofourown.org",
    "ao3": "archiveofourown.org",
    "tumblr": "tumblr.com",
    "etsy": "etsy.com",
    "diigo": "diigo.com",
    "blogspot": "blogspot.com",
    "blogger.com": "blogspot.com",
    "blogger": "blogspot.com",
    "delicious": "del.icio.us",
    "delicious.com": "del.icio.us",
    "ravelry": "ravelry.com",
    "wordpress": "wordpress.com",
    "plurk": "plurk.com",
    "pinboard": "pinboard.in",
    "ffn": "fanfiction.net",
    "pinterest": "pinterest.com",
    "youtube": "youtube.com",
    "github": "github.com",
    "lj.rossia": "lj.rossia.org",
    "ljr": "lj.rossia.org",
    "medium": "medium.com",
    "imzy": "imzy.com",
    "facebook": "facebook.com",
    "fb": "facebook.com",
    "instagram": "instagram.com",
    "ig": "instagram.com",
    "fa": "furaffinity.com",
    "artstation": "artstation.com",
    "substack": "substack.com",
    "itch": "itch.io",
    "kofi": "ko-fi.com",
    "bsky": "bsky.app",
    "x": "x.com",
    "twitter.com": "x.com",
    "twitter": "x.com",
}
_SITE_PART = re.compile(r"^[a-z][a-z0-9\-]*?[a-z0-9]*$")


@dataclass(frozen=True)
class SiteLinks:
    """How the site spells user links (Dreamwidth by default; the fake site passes its own)."""

    site_root: str = "https://www.dreamwidth.org"  # $LJ::SITEROOT
    img_root: str = "https://www.dreamwidth.org/img"  # $LJ::IMGPREFIX
    domain: str = "dreamwidth.org"  # $LJ::DOMAIN: @name.<domain> is a local name
    journal_url_template: str = "https://{host}.dreamwidth.org/"  # {name} or {host} (- for _)
    user_urls: Mapping[str, str] = field(default_factory=dict, hash=False)  # known journal URLs
    kinds: Mapping[str, str] = field(default_factory=dict, hash=False)  # name -> 'P'|'C'|'Y'

    def journal_url(self, name: str) -> str:
        known = self.user_urls.get(name)
        if known:
            return known if known.endswith("/") else known + "/"
        return self.journal_url_template.format(name=name, host=name.replace("_", "-"))


def canonical_username(name: str | None) -> str:
    """LJ::canonical_username (cgi-bin/LJ/User/Account.pm:1283-1291): '' when invalid."""
    m = _CANONICAL.match((name or "").lower())
    return m.group(1).replace("-", "_") if m else ""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def ljuser_html(name: str, links: SiteLinks, *, no_link: bool = False) -> str:
    """LJ::ljuser's span for a local account (`name` already canonical)."""
    kind = links.kinds.get(name, "P")
    icon, size, word = {
        "C": ("silk/identity/community.png", 16, "community"),
        "Y": ("silk/identity/feed.png", 16, "syndicated"),
    }.get(kind, ("silk/identity/user.png", 17, "personal"))
    url = links.journal_url(name)
    img = (
        f"<img src='{_e(links.img_root)}/{icon}' alt='[{word} profile] ' width='{size}' "
        f"height='{size}' style='{_LJUSER_IMG_STYLE}' />"
    )
    if no_link:
        inner = f"{img}<b>{name}</b>"
    else:
        inner = f"<a href='{_e(url)}profile'>{img}</a><a href='{_e(url)}'><b>{name}</b></a>"
    return f"<span lj:user='{name}' style='white-space: nowrap;' class='ljuser'>{inner}</span>"


def site_domain(site: str) -> str | None:
    """DW::External::Site::get_site (Site.pm:195-235): the domain a site name stands for."""
    site = site.replace("\r", "").replace("\n", "")
    site = re.sub(r"^(?:.+)://(.*)$", r"\1", site)
    site = re.sub(r"^([^/]+)/.*$", r"\1", site)
    if "." not in site:
        key = site.lower()
        return _SITE_ALIASES.get(key) or _SITE_DOMAINS.get(key)
    parts = [p for p in (x.lower() for x in site.split(".")) if _SITE_PART.match(p)]
    for n in (2, 3):
        if len(parts) >= n:
            key = ".".join(parts[-n:])
            found = _SITE_DOMAINS.get(key) or _SITE_ALIASES.get(key)
            if found:
                return found
    return None


def user_link_html(
    user: str | None, site: str | None, links: SiteLinks, *, no_link: bool = False
) -> str:
    """LJ::CleanHTML::user_link_html: the markup for a user tag or a mention."""
    if site is not None and site != links.domain:
        domain = site_domain(site)
        m = _EXTERNAL_NAME.match(user or "")
        if domain is None or not m:
            return f"<b>[Bad username or site: {_e(user or '')} @ {_e(site)}]</b>"
        name = m.group(1)
        img = (
            f"<img src='{_e(links.img_root)}/external/{_e(domain)}.png' alt='[{_e(domain)} "
            f"profile] ' style='{_LJUSER_IMG_STYLE}' width='16' height='16'/>"
        )
        return f"<span style='white-space: nowrap;' class='ljuser'>{img}<b>{_e(name)}</b></span>"
    if not user:
        return "<b>[Unknown site tag]</b>"
    name = canonical_username(user)
    if not name:
        return f"<b>[Bad username or unknown identity: {_e(user)}]</b>"
    return ljuser_html(name, links, no_link=no_link)


# convert_user_mentions (CleanHTML.pm:1986-1998); Perl's \w on DW's byte strings is ASCII.
_MENTION_AT_START = re.compile(
    r"^(@([A-Za-z0-9_\-]+)(?:\.([A-Za-z0-9_\-.]*[A-Za-z0-9_\-]))?)(?=$|[^A-Za-z0-9_])",
    re.MULTILINE,
)
_MENTION = re.compile(
    r"(\\.)|(?<=[^A-Za-z0-9_/])(@([A-Za-z0-9_\-]+)(?:\.([A-Za-z0-9_\-.]*[A-Za-z0-9_\-]))?)"
    r"(?=$|[^A-Za-z0-9_])",
    re.MULTILINE,
)


def convert_mentions(text: str, links: SiteLinks, *, no_link: bool = False) -> str:
    """@name and @name.site in a text run -> user links; `\\@` -> a literal '@'."""

    def tag(m: re.Match[str], user_group: int, site_group: int) -> str:
        return user_link_html(m.group(user_group), m.group(site_group), links, no_link=no_link)

    text = _MENTION_AT_START.sub(lambda m: tag(m, 2, 3), text)

    def second(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return "@" if m.group(1) == "\\@" else m.group(1)
        return tag(m, 3, 4)

    return _MENTION.sub(second, text)

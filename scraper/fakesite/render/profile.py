"""The profile page (/profile) as views/profile/main.tt prints it for a logged-out reader.

Username span, actions, userpic, journal title/subtitle, the stats lines (account type,
"Created on ... (#id), last updated ...", comment counts, entry/tag/memory/icon counts), then the
About table (rows matched by their <th>), Mini Bio, Connect (interests) and, for communities,
Administrators/Moderators and Members sections. Wrapped in the site scheme, not the journal style.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote_plus

from .common import PageContext, esc, ljuser, userpic_img
from .dates import MONTHS_SHORT
from .site import site_page


def commafy(n: int) -> str:
    return f"{n:,}"


def _ago(seconds: float) -> str:
    seconds = int(seconds)
    if seconds <= 0:
        return "Never"
    for size, word in (
        (604800, "week"),
        (86400, "day"),
        (3600, "hour"),
        (60, "minute"),
        (1, "second"),
    ):
        if seconds >= size:
            n = seconds // size
            return f"{n} {word}{'' if n == 1 else 's'} ago"
    return "Never"


def _section(
    name: str, link: str, header: str, body: str, site_root: str, collapsible: bool = True
) -> str:
    if collapsible:
        head = (
            f"\n  <span class='expandcollapse on' id='{name}_header'>\n"
            f'    <img src="{site_root}img/profile_icons/arrow-down.gif" id="{name}_arrow" align="absmiddle" alt="" />\n'
            f"    \n    <a name='{link}'>{header}</a>\n  </span>\n  "
        )
    else:
        head = f"\n    {header}\n  "
    return (
        "\n<div class='ljclear'></div>\n<div class='section'>"
        + head
        + "\n</div>\n"
        + f"<div class='section_body' id='{name}_body'>\n  {body}\n</div>"
    )


def _inner_section(
    name: str, link: str, header: str, body: str, site_root: str, first: bool
) -> str:
    extra = " first" if first else ""
    return (
        f"\n  <p class='inner_section_header{extra}'>\n"
        f"  <span class='expandcollapse on' id='{name}_header'>\n"
        f'    <img src="{site_root}img/profile_icons/arrow-down.gif" id="{name}_arrow" align="absmiddle" alt="" />\n'
        f"    <a name='{link}'>{header}</a>\n  </span>\n  \n  </p>\n"
        f"  <div class='inner_section_body' id='{name}_body'>\n    {body}\n  </div>"
    )


def _user_links(ctx: PageContext, names: list[str]) -> str:
    return ", ".join(
        f'<a href="{ctx.user_url(n)}profile" rel="nofollow">{esc(n)}</a>' for n in sorted(names)
    )


def _basics(ctx: PageContext) -> str:
    j = ctx.journal
    directory = f"{ctx.site_root}directorysearch?opt_sort=ut&amp;s_loc=1"
    rows: list[tuple[str, str]] = [("Name:", esc(j.display_name))]
    if not j.is_community and j.birthdate:
        rows.append(("Birthdate:", f"{MONTHS_SHORT[j.birthdate.month]} {j.birthdate.day}"))
    if j.location:
        parts = [p.strip() for p in j.location.split(",")]
        links = [
            f'<a href="{directory}&amp;loc_ci={quote_plus(p)}" rel="nofollow">{esc(p)}</a>'
            for p in parts
        ]
        rows.append(("Location:", ", ".join(links)))
    if j.website:
        name = esc(j.website[0] or j.website[1])
        rows.append(("Website:", f'<a href="{esc(j.website[1])}" rel="nofollow">{name}</a>'))
    if j.is_community:
        rows.append(
            (
                "Membership:",
                {"moderated": "Moderated", "closed": "Closed"}.get(j.membership, "Open"),
            )
        )
        level = {"select": "Select Members", "anybody": "Anybody"}.get(
            j.posting_level, "All Members"
        )
        rows.append(("Posting Access:", level))
        if j.community_theme:
            rows.append(("Community Description:", esc(j.community_theme)))
    table = "".join(f"\n    <tr><th>{th}</th><td>{td}</td></tr>" for th, td in rows)
    return f'<div class="profile"><table class="table" summary=\'\'>{table}\n  </table></div>'


def _stats(ctx: PageContext) -> str:
    j = ctx.journal
    created = datetime.combine(j.created, datetime.min.time()).replace(hour=10, minute=15)
    updated = j.index.last_update
    if updated:
        ago = _ago((j.page_generated - updated).total_seconds())
        last = f"last updated {updated:%Y-%m-%d} ({ago})"
    else:
        last = "never updated"
    received = j.index.comments_received
    comment_stats = [f"{commafy(received)} comment{'' if received == 1 else 's'} received"]
    if not j.is_community:
        n = j.comments_posted
        comment_stats.append(f"{commafy(n)} comment{'' if n == 1 else 's'} posted")
    tags = j.index.all_tags
    icons = len(j.userpic_keywords) or (1 if j.has_userpic else 0)
    n_entries = len(j.entries)
    journal_stats = [
        f'{commafy(n_entries)} <a href="{ctx.base}">Journal {"Entry" if n_entries == 1 else "Entries"}</a>',
        f'{commafy(len(tags))} <a href="{ctx.base}/tag/">{"Tag" if len(tags) == 1 else "Tags"}</a>',
        (
            f"{commafy(j.memories)} <a href='{ctx.site_root}tools/memories?user={j.name}'>"
            f"{'Memory' if j.memories == 1 else 'Memories'}</a>"
        ),
        f"{commafy(icons)} <a href='{ctx.base}/icons'>{'Icon' if icons == 1 else 'Icons'} Uploaded</a>",
    ]
    return (
        "<div class='details_stats detail'>"
        f"<p>{esc(j.account_type)}</p>\n          <p>\n  Created on {created:%Y-%m-%d %H:%M:%S}\n"
        f"   (#{j.userid}), {last}\n          </p>\n"
        f"          <p>{', '.join(comment_stats)}</p>\n"
        f"          <p>{', '.join(journal_stats)}</p>\n"
        f"          <p>\n            <a href='{ctx.base}/profile?mode=full'>View extended profile</a>\n"
        "          </p>\n\n        </div>"
    )


def _top(ctx: PageContext) -> str:
    j = ctx.journal
    title = esc(j.title) if j.title else f"{j.name}'s Journal"
    picture = userpic_img(j.name, j.userpic_keyword, 100).replace(" />", ' class="userpic-img" />')
    if not j.has_userpic:
        icon = "comm.png" if j.is_community else "user.png"
        picture = f'<img src="{ctx.site_root}img/profile_icons/{icon}" height=100 width=100 alt="Generic Icon" />'
    action = "Join Community" if j.is_community else "Subscribe"
    return (
        "\n<div id='profile_page'>\n  <div id='profile_top'>\n"
        f"    <div class='username'>{ljuser(ctx, j.name)}\n    </div>\n\n"
        "    <div class='actions'>\n      <ul>\n"
        f'        <li class="profile_addwatch" title="{action}">'
        f'<a href="{ctx.site_root}circle/{j.name}/edit">'
        f'<img src="{ctx.site_root}img/silk/profile/watch_add.png" width="20" height="18" alt="" />{action}</a>\n'
        "        </li>\n      </ul>\n    </div>\n\n"
        "    <div class='user_details'>\n"
        f"      <div class='userpicdiv'><a href='{ctx.base}/icons'>{picture}</a></div>\n"
        "      <div class='user_details_inner'>\n"
        '        <div class="details_journal">\n'
        f'          <p class="journal_title">{title}</p>\n'
        f'          <p class="journal_subtitle">{esc(j.subtitle)}</p>\n        </div>\n\n        '
        + _stats(ctx)
        + "\n      </div>\n    </div>\n  </div>\n"
    )


def _community_sections(ctx: PageContext) -> str:
    j = ctx.journal
    out = ""
    admin_body = ""
    if j.maintainers:
        admin_body += _inner_section(
            "maints",
            "maintainers",
            f"Administrators ({len(j.maintainers)}):",
            _user_links(ctx, j.maintainers),
            ctx.site_root,
            True,
        )
    if j.moderators:
        admin_body += _inner_section(
            "mods",
            "moderators",
            f"Moderators ({len(j.moderators)}):",
            _user_links(ctx, j.moderators),
            ctx.site_root,
            False,
        )
    if admin_body:
        out += _section(
            "admins", "administrators", "Administrators", admin_body, ctx.site_root, False
        )
    count = f"({len(j.members)}):" if j.members else "(0)"
    members = _inner_section(
        "members_people",
        "members",
        f"Members {count}",
        _user_links(ctx, j.members),
        ctx.site_root,
        True,
    )
    out += _section("people", "people", "Members", members, ctx.site_root, False)
    return out


def profile_page(ctx: PageContext) -> str:
    j = ctx.journal
    body = _top(ctx)
    body += _section("basics", "basics", "About", _basics(ctx), ctx.site_root)
    if j.bio_html:
        body += _section(
            "bio", "bio", "Mini Bio", f"<div class='usercontent'>{j.bio_html}</div>", ctx.site_root
        )
    if j.interests:
        links = ", ".join(
            f'<a href="{ctx.site_root}interests?int={esc(i)}" rel="nofollow">{esc(i)}</a>'
            for i in j.interests
        )
        inner = (
            f"\n  <p class='inner_section_header first'>\n    <a name='interests'>Interests ({len(j.interests)}):</a>\n"
            f"  \n  </p>\n<div class='inner_section_body'>{links}</div>"
        )
        body += _section("connect", "connect", "Connect", inner, ctx.site_root)
    if j.is_community:
        body += _community_sections(ctx)
    body += "\n  <div class='ljclear'></div>\n</div>\n"
    kind = "Community Profile" if j.is_community else "Profile"
    head = ""
    if j.robots_block:
        head = '<meta name="robots" content="noindex, nofollow, noarchive" />\n'
    return site_page(ctx.site_root, kind, body, f"{esc(j.display_name)} - {kind}", head)

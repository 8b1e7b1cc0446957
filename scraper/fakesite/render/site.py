"""Site-skinned (non-S2) pages: errors, protected notice, account status, captcha, adult gate.

These are the pages Dreamwidth renders with its site scheme (schemes/celerity.tt, "foundation"
resources) instead of the journal style: views/error/*.tt, views/protected.tt,
views/journal/deleted.tt, views/auth/captcha.tt and views/journal/adult_content.tt, plus the
bare 429 body of Plack::Middleware::DW::RateLimit.
"""

from __future__ import annotations

from .common import PageContext, esc, ljuser

SITE_SHORT = "Dreamwidth"
SITE_NAME = "Dreamwidth Studios"

RATE_LIMIT_BODY = (
    "<h1>429 Too Many Requests</h1>"
    "<p>You have made too many requests. Please try again later.</p>"
    "<p>Please wait 60 seconds before trying again.</p>"
)


def site_page(
    site_root: str, title: str, content: str, windowtitle: str | None = None, head: str = ""
) -> str:
    """The celerity site scheme around a page's content (foundation resource group)."""
    return (
        '<!DOCTYPE html>\n<html lang="en" class="no-js">\n<head>\n'
        f"    <title>{windowtitle or title}</title>\n\n"
        '    <meta http-equiv="content-type" content="text/html; charset=utf-8" />\n'
        '    <meta name="viewport" content="width=device-width, initial-scale=1.0" />\n'
        f'    <link rel="stylesheet" type="text/css" href="{site_root}stc/css/skins/celerity.css" />\n'
        f"{head}</head>\n"
        '    <body  class="celerity">\n        <div id="canvas">\n            <div id="page">\n'
        '<div id="skip">\n     <a href="#content" tabindex="1">Skip to Main Content</a>\n</div>\n'
        '                <div id="masthead" role="banner">\n                    <span id="logo">\n'
        f"                        <span id='sitename'><a href=\"{site_root}\">{SITE_SHORT}</a></span>\n"
        "                    </span>\n                </div><!-- end masthead-->\n"
        '                <div id="content" role="main" >\n'
        f'                <div class="row"><div class="large-12 columns">\n                    <h1>{title}</h1>\n'
        "                </div></div>\n"
        f'                <div class="row"><div class="large-12 columns">{content}\n'
        "                </div></div>\n                </div><!--end content-->\n"
        '                <div id="page-decoration"></div>\n            </div><!-- end page-->\n'
        '            <footer role="contentinfo">\n<ul>\n'
        f'    <li><a href="{site_root}legal/privacy">Privacy Policy</a> &bull; </li>\n'
        f'    <li><a href="{site_root}legal/tos">Terms of Service</a></li>\n</ul>\n'
        "            </footer>\n        </div> <!-- end canvas-->\n    </body>\n</html>\n"
    )


def not_found_page(site_root: str) -> str:
    """views/error/404.tt."""
    text = (
        "\n<p>If you typed the URL directly (or pasted it into your browser's address bar), make sure "
        "you didn't typo, paste too little, or paste too much. If you followed a link, report this to "
        "the maintainer of the page that linked you here.</p>"
    )
    return site_page(site_root, "We can't find that page", text)


def unknown_journal_page(site_root: str, name: str) -> str:
    """views/error/unknown-user.tt (404)."""
    text = f"\n<p>There is no known user <b>{esc(name)}</b> at <a href='{site_root}'>{SITE_NAME}.</a></p>"
    return site_page(site_root, "Unknown Journal", text, "Account Not Found")


def protected_page(site_root: str, returnto: str) -> str:
    """views/protected.tt for a logged-out reader (403): the login form follows the notice."""
    text = (
        '\n<div class="alert-box alert">\n  You need to be logged in to see this content.  If you have an '
        f"account on {SITE_NAME}, you can log in using it.  Or, if you have an account on a site that "
        "supports OpenID, you may log in using OpenID.\n</div>\n"
        f"<form action='{site_root}login' method='post' id='login'>\n"
        f"<input type='hidden' name='returnto' value='{esc(returnto)}' />\n"
        "<input type='text' name='user' id='user' size='20' maxlength='27' />\n"
        "<input type='password' name='password' id='password' size='20' />\n"
        "<input type='submit' name='action:login' value='Log in' />\n</form>\n"
    )
    return site_page(site_root, "Protected", text, "Protected")


def suspended_page(ctx: PageContext) -> str:
    """views/error/suspended.tt (403)."""
    user = ljuser(ctx, ctx.journal.name, deleted=True)
    text = (
        f"\n<p>This journal has been either temporarily or permanently suspended by {SITE_NAME} for "
        f"policy violation.  If you are {user}, contact us for more information.</p>\n"
    )
    return site_page(ctx.site_root, "Suspended", text, "Suspended Account")


def deleted_page(ctx: PageContext) -> str:
    """views/journal/deleted.tt for a logged-out reader (404)."""
    user = ljuser(ctx, ctx.journal.name, deleted=True)
    if ctx.journal.is_community:
        title, text = "Deleted Community", f"This community has been deleted by {user}."
    else:
        title, text = "Deleted Account", f"This journal has been deleted by {user}."
    return site_page(ctx.site_root, title, f"\n    <p>\n        {text}\n</p>\n\n<ul>\n</ul>\n")


def purged_page(site_root: str) -> str:
    """views/error/purged.tt (410)."""
    return site_page(
        site_root,
        "Deleted",
        "\n<p>This journal has been deleted and purged.</p>\n",
        "Purged Account",
    )


def captcha_page(site_root: str, returnto: str, form_auth: str) -> str:
    """views/auth/captcha.tt: the hCaptcha gate anonymous readers may be sent to."""
    text = (
        '\n<script src="https://js.hcaptcha.com/1/api.js" async defer></script>\n\n<p>\n'
        "Hello, you've been (semi-randomly) selected to take a CAPTCHA to validate\n"
        "your requests. Please complete it below and hit the button!\n</p>\n\n<form method='post'>\n"
        f"    <input type='hidden' name='lj_form_auth' value='{form_auth}' />\n"
        '    <div class="h-captcha" data-sitekey="10000000-ffff-ffff-ffff-000000000001"></div>'
        f'<input type="hidden" name="returnto" value="{esc(returnto)}" />'
        '<input type="submit" name="submit" value="Press to Validate" />\n</form>\n'
    )
    return site_page(site_root, "Captcha Check", text, "Captcha Check")


ADULT_STRINGS = {
    "concepts": {
        "title": "Discretion Advised",
        "yes": "Yes, I want to view this content",
        "message": "You're about to view content that {who} has advised <strong>should be viewed with "
        "discretion</strong>. To continue, you must confirm you want to view this content.",
    },
    "explicit": {
        "title": "Discretion Advised: 18+ Content",
        "yes": "Yes, I am at least 18 years old",
        "message": "You're about to view content that {who} marked as <strong>inappropriate for anyone "
        "under the age of 18</strong>. To continue, you must confirm that you're at least 18 years of age.",
    },
}


def adult_page(
    ctx: PageContext, kind: str, returl: str, entryid: int, form_url: str, form_auth: str
) -> str:
    """views/journal/adult_content.tt: the callout panel and the confirmation form."""
    strings = ADULT_STRINGS.get(kind, ADULT_STRINGS["concepts"])
    who = ljuser(ctx, ctx.journal.name)
    text = (
        '\n<div class="row"><div class="columns">\n    <div class="panel callout radius">\n'
        f'        <h1 class="text-center">{strings["title"]}</h1>\n\n'
        f"        <p>{strings['message'].format(who=who)}\n           \n        </p>\n"
        "    </div>\n</div></div>\n"
        '<div class="row"><div class="columns">\n'
        f'    <form method="POST" action="{form_url}">'
        f"<input type='hidden' name='lj_form_auth' value='{form_auth}' />"
        f'<input type="hidden" name="ret" value="{esc(returl)}" />'
        f'<input type="hidden" name="journalid" value="{ctx.journal.userid}" />'
        f'<input type="hidden" name="entryid" value="{entryid}" />\n'
        '    <div class="row">\n    <div class="columns medium-6 text-right">'
        f'<input type="submit" name="adult_check" value="{strings["yes"]}" />\n    </div>\n'
        '    <div class="columns medium-6 text-left">\n'
        f"        <a href='{ctx.site_root}' class=\"secondary button\">No, return me to {SITE_SHORT}</a>\n"
        "    </div>\n    </div>\n    </form>\n</div></div>\n"
    )
    return site_page(ctx.site_root, strings["title"], text, strings["title"])


def tag_error_page(site_root: str) -> str:
    """views/error/tagview.tt with error.tag.undef."""
    text = "\n<p>You have attempted to view a tag that does not exist.</p>\n"
    return site_page(site_root, "Tag Error", text)


def lynx_page(site_root: str, windowtitle: str, head: str, content: str, title: str = "") -> str:
    """schemes/lynx.tt, the light site skin ?format=light selects (LJ/User/Styles.pm:665):
    `<body class="lynx">`, the page's `sections.title` as h1 (empty for journal views, whose
    siteviews print_title sets only the window title), the content, then the text navigation."""
    root = site_root.rstrip("/")
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        '<meta http-equiv="content-type" content="text/html; charset=utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="home" title="Home" href="{root}/" />\n'
        f'<link rel="contents" title="Site Map" href="{root}/site/" />\n'
        f'<link rel="help" title="Technical Support" href="{root}/support/" />'
        f"<title>{windowtitle or title}</title>\n"
        f'<link rel="stylesheet" type="text/css" href="{root}/stc/css/skins/lynx.css" />\n'
        f"{head}\n"
        "</head>\n\n"
        '<body  class="lynx">\n\n'
        '<div role="main" id="content">\n'
        '    <div class="row">\n'
        '        <div class="columns large-12">\n'
        f"        <h1>{title}</h1>\n"
        "        </div>\n"
        "    </div>\n"
        f'    <div class="row"><div class="large-12 columns">{content}    </div></div>\n'
        "</div>\n\n<hr />\n"
        '<div class="row"><div class="large-12 columns">\n'
        f"    <div role=\"navigation\"><p>[ <a href='{root}/'>Home</a> | "
        f"<a href='{root}/update'>Post Entry</a> |\n"
        f"    <a href='{root}/login'>Log in</a> | \n"
        f"    <a href='{root}/tools/search'>Search</a> | \n"
        f"    <a href='{root}/manage/settings/'>Browse Options</a> | \n"
        f"    <a href='{root}/site/'>Site Map</a> ]</p></div>\n"
        "    </div></div>\n"
        "</body>\n</html>"
    )

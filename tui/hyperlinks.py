"""An article's URL as a terminal hyperlink, and whether a browser can be opened from here.

Textual writes a `Style(link=...)` as an OSC 8 hyperlink (`ESC ] 8 ; id=N ; URL ESC \\`): the
terminals that know it (iTerm2, kitty, WezTerm, GNOME Terminal and other VTE terminals,
Windows Terminal, foot; tmux 3.4+ passes it through) open it on Ctrl- or Cmd-click, also
over SSH since the terminal on the reader's machine does the opening; the others ignore it.
The URL goes inside an escape sequence, so it must be data there too: only http, https and
ftp URLs are linked, with every character outside printable ASCII percent-encoded (no
control character, no ESC, no BEL can end the sequence early).

`o` opens the URL with the system browser (`App.open_url`, which is `webbrowser.open`) only
where one can show on the reader's screen: a graphical session on this machine, not an SSH
session. There `webbrowser` would start nothing useful, or a text browser on top of the app.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from urllib.parse import quote, urlsplit

_SCHEMES = {"http", "https", "ftp"}
# Characters a URL may hold as they are (RFC 3986 reserved and unreserved, and `%` of an
# existing escape); anything else is percent-encoded as UTF-8.
_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


def link_target(url: str | None) -> str | None:
    """The URL to put in a hyperlink, or None when it should not be one (not a web URL,
    spaces or controls in it)."""
    if not url or any(ch.isspace() or ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced [ in the host
        return None
    if parts.scheme.lower() not in _SCHEMES or not parts.netloc:
        return None
    target = quote(url, safe=_SAFE)
    return target if target.isascii() and target.isprintable() else None


def browser_here(environ: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """None when a browser can be opened on the reader's screen; otherwise why not, said
    for the reader."""
    if environ.get("SSH_CONNECTION") or environ.get("SSH_TTY") or environ.get("SSH_CLIENT"):
        return "this is an SSH session: a browser would open on the remote machine, not yours"
    if platform == "darwin" or platform.startswith("win"):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return "there is no graphical display here (no DISPLAY or WAYLAND_DISPLAY)"

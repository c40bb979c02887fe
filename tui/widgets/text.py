"""Article text is data: it becomes `rich.text.Text` (never parsed as markup) with every
control character removed, so nothing in an article can style the screen or reach the
terminal as an escape sequence (ESC, BEL, OSC, CSI, C1 controls).
"""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text

from ..terminal_text import strip

# The directional marks are legitimate text, but the app reorders right-to-left lines itself
# (tui/rtl.py) and they would only shift its character map: dropped here too.
_MARKS = re.compile("[\u200e\u200f\u061c]")

MATCH = Style(reverse=True)
CURRENT_MATCH = Style(reverse=True, bold=True, underline=True)


def clean(value: str | None, *, newlines: bool = False) -> str:
    """A string safe to show: escape sequences dropped whole, other controls removed."""
    return _MARKS.sub("", strip(value, newlines=newlines))


def plain(value: str | None, style: str | Style = "") -> Text:
    """`Text` from an untrusted string: no markup, no controls."""
    return Text(clean(value), style=style, end="")


def highlighted(value: str, spans, current: int | None = None) -> Text:
    """`value` (already clean) with match spans styled; `current` is the index of the current one."""
    text = Text(value, end="")
    for number, (start, end) in enumerate(spans):
        text.stylize(CURRENT_MATCH if number == current else MATCH, start, end)
    return text

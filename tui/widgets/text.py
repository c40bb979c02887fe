"""Article text is data: it becomes `rich.text.Text` (never parsed as markup) with every
control character removed, so nothing in an article can style the screen or reach the
terminal as an escape sequence (ESC, BEL, OSC, CSI, C1 controls).
"""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text

# C0 (except tab and newline, handled below), DEL, C1, and the explicit bidi controls (marks,
# embeddings, overrides, isolates): in article data they would reorder what the screen shows,
# and python-bidi's algorithm asserts on isolates.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")

MATCH = Style(reverse=True)
CURRENT_MATCH = Style(reverse=True, bold=True, underline=True)


def clean(value: str | None, *, newlines: bool = False) -> str:
    """A string safe to show: escape sequences dropped whole, other controls removed."""
    if not value:
        return ""
    value = _ESCAPE_SEQUENCE.sub("", value)
    value = value.replace("\t", " ")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not newlines:
        value = value.replace("\n", " ")
    return _CONTROLS.sub("", value)


def plain(value: str | None, style: str | Style = "") -> Text:
    """`Text` from an untrusted string: no markup, no controls."""
    return Text(clean(value), style=style, end="")


def highlighted(value: str, spans, current: int | None = None) -> Text:
    """`value` (already clean) with match spans styled; `current` is the index of the current one."""
    text = Text(value, end="")
    for number, (start, end) in enumerate(spans):
        text.stylize(CURRENT_MATCH if number == current else MATCH, start, end)
    return text

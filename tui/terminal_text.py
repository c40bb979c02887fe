"""Text safe for a terminal: what every printer of the command line (and the app's widgets)
passes data through, so nothing from an article, a file name, a feed or a package reaches the
terminal as a control sequence or reorders what is shown around it.

Unsafe characters: C0 controls except newline and tab, DEL, C1 controls (U+0080-U+009F, of
which U+009B is a one-byte CSI), the bidi embeddings, overrides and isolates
(U+202A-U+202E, U+2066-U+2069, which reorder the rest of a line), the line and paragraph
separators, and the invisible format characters that can hide text (U+2060-U+2064,
U+206A-U+206F, U+FEFF, U+FFF9-U+FFFB). Kept as legitimate text: the directional marks
LRM/RLM/ALM (U+200E, U+200F, U+061C: Arabic and Hebrew text needs them) and ZWJ/ZWNJ
(U+200C, U+200D: needed by Persian, Indic scripts and emoji).

The command line shows an unsafe character as a visible escape (`\\x1b`, `\\u202e`), so a
file name stays recognisable; the app drops it (`strip`).
"""

from __future__ import annotations

import json
import re

from rich.console import Console
from rich.segment import Segment

_UNSAFE_CHARS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029"
    "\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
)
UNSAFE = re.compile(f"[{_UNSAFE_CHARS}]")
UNSAFE_IN_LINE = re.compile(f"[\n\t{_UNSAFE_CHARS}]")
# A whole escape sequence (CSI, OSC up to BEL or ST, DCS/SOS/PM/APC up to ST, two-byte ESC x),
# dropped as one so no `]2;title` remnant is left behind when the controls go.
ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|[ -/]*[0-~]?)"
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
)


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(value: object, *, newlines: bool = True) -> str:
    """`value` as text for a terminal, each unsafe character shown as a visible escape."""
    text = value if isinstance(value, str) else str(value)
    return (UNSAFE if newlines else UNSAFE_IN_LINE).sub(_visible, text)


def strip(value: str | None, *, newlines: bool = False) -> str:
    """`value` with escape sequences dropped whole and every other unsafe character removed
    (tabs become spaces; newlines too unless `newlines`)."""
    if not value:
        return ""
    value = ESCAPE_SEQUENCE.sub("", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not newlines:
        value = value.replace("\n", " ")
    return UNSAFE.sub("", value)


def is_safe(value: str) -> bool:
    return UNSAFE.search(value) is None


def json_text(data, *, indent: int | None = 2) -> str:
    """JSON for a terminal or a pipe: readable Unicode, but every unsafe character (C1
    controls, bidi overrides, separators) as a \\uXXXX escape, which json.dumps with
    ensure_ascii=False would emit raw. Outside strings JSON holds only ASCII, so the
    substitution can only touch string contents, and the result parses to the same data."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeConsole(Console):
    """A Rich console whose every printed segment of text goes through `safe`: tables,
    problem lines and titles alike, whatever renderable carries them. Rich's own control
    segments (cursor moves of a progress bar) are left alone; its styles are added later."""

    def render(self, renderable, options=None):
        for segment in super().render(renderable, options):
            if segment.control is None and not is_safe(segment.text):
                yield Segment(safe(segment.text), segment.style)
            else:
                yield segment

    def on_broken_pipe(self) -> None:
        """A closed pipe (`list | head -1`) ends the command quietly with status 0 (cli.main
        catches it); Rich's default exits with status 1."""
        try:
            super().on_broken_pipe()  # sends the rest of stdout to /dev/null
        except SystemExit:
            pass
        raise BrokenPipeError

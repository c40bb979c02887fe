"""Article text as data: normalised, free of control sequences, split into paragraphs."""

from __future__ import annotations

import re
import unicodedata

# Text is cleaned once, here, as it comes in (tui/terminal_text.py escapes again at output).
# Gone: C0 and C1 controls except tab and newline, and DEL (ESC, BEL and the OSC/CSI
# introducers: no article can drive the terminal it is shown in); escape sequences whole, so no
# `]2;title` remnant stays; the bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069), which reorder everything after them; invisible operators and format
# characters that hide text (U+2060-U+2064, U+206A-U+206F, U+FEFF, U+FFF9-U+FFFB).
# Kept: the marks LRM/RLM/ALM (Arabic and Hebrew text uses them) and ZWJ/ZWNJ (Persian, Indic
# scripts, emoji). Lone surrogates (JSON can carry them) become U+FFFD: they cannot be stored.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|[ -/]*[0-~]?)"
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
)
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb]"
)
_SURROGATES = re.compile("[\ud800-\udfff]")
_LINE_SEPARATORS = re.compile("[\u2028\u2029\x85]")
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n+")
_SPACES = re.compile(r"[ \t\u00a0]+")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·–—▪►]|\d+[.)])\s+")
WRAP_WIDTH = 100  # a block whose lines are all this short is hard-wrapped prose


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _LINE_SEPARATORS.sub("\n", text)
    if "\x1b" in text or _C1_INTRODUCERS.search(text):
        text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CONTROLS.sub("", text)
    text = _SURROGATES.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text)


_C1_INTRODUCERS = re.compile("[\x90\x98\x9b\x9d\x9e\x9f]")


def clean_line(text: str | None) -> str:
    """A one-line field (title, source, URL, id): cleaned, whitespace runs made one space."""
    if not text:
        return ""
    return " ".join(clean(text).split())


def is_clean(text: str) -> bool:
    return not (_CONTROLS.search(text) or _SURROGATES.search(text) or "\r" in text
                or _LINE_SEPARATORS.search(text))


def _tidy(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def paragraphs(text: str) -> tuple[str, ...]:
    """Split on blank lines; keep single-newline lines apart unless they are wrapped prose."""
    result: list[str] = []
    for block in _BLANK_LINES.split(clean(text)):
        lines = [_tidy(line) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        wrapped = (
            len(lines) > 1
            and all(len(line) <= WRAP_WIDTH for line in lines)
            and not any(_LIST_ITEM.match(line) for line in lines)
        )
        if wrapped:
            result.append(" ".join(lines))
        else:
            result.extend(lines)
    return tuple(result)

"""Article text as data: normalised, free of control sequences, split into paragraphs."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab and newline, plus DEL: ESC, BEL and OSC/CSI introducers never
# survive ingestion, so no article can drive the terminal it is shown in.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n+")
_SPACES = re.compile(r"[ \t\u00a0]+")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·–—▪►]|\d+[.)])\s+")
WRAP_WIDTH = 100  # a block whose lines are all this short is hard-wrapped prose


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text)


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

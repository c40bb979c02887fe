"""Right-to-left text for terminals: the display transform behind the `rtl` setting.

A terminal grid shows characters left to right, one cell each. Arabic needs two things a
terminal may or may not do: *shaping* (each letter takes its initial, medial, final or
isolated form) and *reordering* (the Unicode bidirectional algorithm puts right-to-left runs
in visual order). The three modes:

- `logical`: show the text as stored and let the terminal do both (mlterm, Konsole, VTE
  terminals such as GNOME Terminal with BiDi on, Apple Terminal).
- `visual`: do both here, line by line after wrapping: `arabic_reshaper` picks the
  presentation forms, the bidi algorithm (python-bidi) reorders, and right-to-left paragraphs
  are right-aligned. For terminals that do neither (xterm, the Linux console, tmux, screen,
  kitty, Alacritty, Windows Terminal, and almost any terminal seen through SSH).
- `auto`: `logical` only when the environment says the terminal does bidi itself
  (`VTE_VERSION` >= 5800, `KONSOLE_VERSION`, `TERM_PROGRAM=Apple_Terminal`, `TERM=mlterm*`)
  and no multiplexer (`TMUX`, `STY`) sits in between; `visual` otherwise. Over SSH those
  variables are normally not forwarded, so a remote session gets `visual`, which is what
  most terminals need.

Reordering keeps a character map (the pure-Python algorithm shipped with python-bidi, with
an index attached to each character) so styles such as search highlights stay on the right
letters. Reshaping is configured one letter in, one letter out (no ligatures, harakat kept)
for the same reason.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from rich.style import Style
from rich.text import Span, Text

_STRONG_RTL = {"R", "AL"}


def resolve(mode: str, env: Mapping[str, str] | None = None) -> str:
    """`visual` or `logical` for a setting value (see the module docstring for `auto`)."""
    if mode in ("visual", "logical"):
        return mode
    env = os.environ if env is None else env
    if env.get("TMUX") or env.get("STY"):
        return "visual"
    term = env.get("TERM", "")
    try:
        vte = int(env.get("VTE_VERSION", "0") or 0)
    except ValueError:
        vte = 0
    if (vte >= 5800 or env.get("KONSOLE_VERSION") or env.get("TERM_PROGRAM") == "Apple_Terminal"
            or term.startswith("mlterm")):
        return "logical"
    return "visual"


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in _STRONG_RTL for ch in text)


def base_is_rtl(text: str) -> bool:
    """The paragraph direction by rule P2/P3: the first strong character decides."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _STRONG_RTL:
            return True
        if kind == "L":
            return False
    return False


@lru_cache(maxsize=1)
def _reshaper():
    from arabic_reshaper import ArabicReshaper

    # One character in, one character out: the index map below stays valid.
    return ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": False})


def reshape(text: str) -> str:
    shaped = _reshaper().reshape(text)
    return shaped if len(shaped) == len(text) else text  # never lose the character map


_BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def visual_order(text: str, rtl_base: bool) -> list[tuple[str, int]]:
    """(character, logical index) pairs in display order, by the Unicode bidi algorithm."""
    from bidi import algorithm as bidi

    if _BIDI_CONTROLS.search(text):  # the pure-Python algorithm asserts on isolates: never reach it
        text = _BIDI_CONTROLS.sub(" ", text)  # same length: the character map stays right
    storage = bidi.get_empty_storage()
    storage["base_level"] = 1 if rtl_base else 0
    storage["base_dir"] = "R" if rtl_base else "L"
    bidi.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    bidi.explicit_embed_and_overrides(storage)
    bidi.resolve_weak_types(storage, False)
    bidi.resolve_neutral_types(storage, False)
    bidi.resolve_implicit_levels(storage, False)
    bidi.reorder_resolved_levels(storage, False)
    bidi.apply_mirroring(storage, False)
    return [(char["ch"], char["index"]) for char in storage["chars"]]


def visual_line(line: Text, rtl_base: bool) -> Text:
    """One wrapped line in display order, shaped, with its styles carried along."""
    plain = line.plain
    if not has_rtl(plain):
        return line
    shaped = reshape(plain.rstrip(" ") if rtl_base else plain)
    order = visual_order(shaped, rtl_base)
    styles: list[list[Style | str]] = [[] for _ in plain]
    for span in line.spans:
        for index in range(max(span.start, 0), min(span.end, len(plain))):
            styles[index].append(span.style)
    out = Text(style=line.style, end="", no_wrap=True)
    out.append("".join(char for char, _ in order))
    spans = []
    for position, (_, index) in enumerate(order):
        for style in styles[index]:
            spans.append(Span(position, position + 1, style))
    out.spans = _merge(spans)
    return out


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (str(s.style), s.start)):
        last = merged[-1] if merged else None
        if last is not None and last.style == span.style and last.end == span.start:
            merged[-1] = Span(last.start, span.end, last.style)
        else:
            merged.append(span)
    return sorted(merged, key=lambda s: s.start)

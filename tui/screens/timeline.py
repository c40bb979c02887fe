"""An event's timeline (`v`): its reports in time order, one line each (date, language, source,
title), the first marked, under each what it adds that no earlier report said (names, numbers,
dates, quotes), and the reports new since the reader last looked at this event marked `*` and
in reverse video (it shows without colour); the event's coverage (languages, sources,
countries, first and last report, who has not covered it yet) heads it.

Built from the engine's `Timeline` (index/timeline.py), made in a worker (parts/following.py).
Everything an article says is data: plain `Text` with control characters taken out, never markup.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from .. import rtl
from ..dates import date_range, said_date
from ..keymap import TIMELINE
from ..widgets.text import clean
from .scrolling import ScrollKeys

SHOWN_VALUES = 15  # names or numbers listed under a report at most
SHOWN_QUOTES = 3
NEW = "reverse"  # how a new report's line stands out (no colour needed)


def fit(lines: list[Text], width: int, rtl_mode: str, console) -> list[Text]:
    """Each line cut (no_wrap ones, with …) or wrapped to `width` cells, then, in the `visual`
    right-to-left mode, shaped and put in display order as the list does (tui/rtl.py)."""
    fitted = []
    for line in lines:
        if line.no_wrap:
            cut = line.copy()
            cut.truncate(max(width, 1), overflow="ellipsis")
            parts = [cut]
        else:  # wrapped under its own indent (wrapping would drop it)
            indent = len(line.plain) - len(line.plain.lstrip(" "))
            body = line[indent:]
            parts = list(body.wrap(console, max(width - indent, 1)))
            for part in parts:
                part.pad_left(indent)
        for part in parts:
            if rtl_mode == "visual" and rtl.has_rtl(part.plain):
                part = rtl.visual_line(part, rtl.base_is_rtl(part.plain))
            part.no_wrap, part.end = True, "\n"
            fitted.append(part)
    return fitted


def header_lines(timeline) -> list[Text]:
    """The event, then its coverage: one labelled line each (empty ones left out)."""
    c = timeline.coverage
    count = len(timeline.entries)
    new = sum(1 for e in timeline.entries if e.new)
    top = Text.assemble(("Timeline: ", "bold"), (clean(timeline.label), "bold"),
                        f" · {count} report{'s' if count != 1 else ''} · {date_range(c.first, c.last)}",
                        (f" · {new} new" if new else ""))
    lines = [top]
    for label, value in (
            ("Languages", ", ".join(f"{clean(lang)} {n}" for lang, n in c.languages.items())),
            ("Sources", ", ".join(f"{clean(s.name)} {s.reports}" + (f" ({clean(s.facts.country)})"
                                  if s.facts and s.facts.country else "") for s in c.sources)),
            ("Countries", ", ".join(f"{clean(country)} {n}" for country, n in c.countries.items())),
            ("Not yet covered by", "; ".join(part for part in (
                ", ".join(clean(name) for name in c.missing_feeds),
                ("languages " + ", ".join(clean(lang) for lang in c.missing_languages))
                if c.missing_languages else "") if part))):
        if value:
            lines.append(Text.assemble((f"{label}: ", "bold"), value))
    return lines


def entry_lines(entry) -> list[Text]:
    """One report: its line (never wrapped: cut with …), then what it adds (wrapped)."""
    s = entry.article
    tag = "first" if entry.first else ("new" if entry.new else "")
    line = Text.assemble(("* " if entry.new else "  ", "bold"), (clean(s.date or "-")[:10].ljust(10), ""), "  ",
                         (clean(s.lang)[:3].ljust(3), "bold"), " ", (clean(s.source or "-")[:24], "dim"), "  ",
                         (clean(s.title), "bold"), no_wrap=True)
    if tag:
        line = Text.assemble(Text(f"[{tag}] ", style="bold"), line, no_wrap=True)
    if entry.new:
        line.stylize(NEW)
    lines = [line]
    adds = entry.adds
    verb = "says" if entry.first else "adds"
    for kind, values in (("names", adds.names), ("numbers", adds.numbers),
                         ("dates", [said_date(d) for d in adds.dates])):
        if values:
            shown = ", ".join(clean(v) for v in values[:SHOWN_VALUES]) + (" …" if len(values) > SHOWN_VALUES else "")
            lines.append(Text.assemble(f"    {verb} {kind}: ", shown))
    for quote in adds.quotes[:SHOWN_QUOTES]:  # one line each: the line of the report stays in sight
        lines.append(Text(f"    {verb} quote: “{clean(quote)}”", no_wrap=True))
    if not entry.first and not adds:
        lines.append(Text("    adds nothing the earlier reports did not say", style="dim"))
    return lines


class TimelineScreen(ScrollKeys, Screen):
    BINDINGS = TIMELINE
    SCROLL_ID = "timeline-body"

    def __init__(self, timeline, rtl_mode: str = "visual"):
        super().__init__()
        self.timeline = timeline
        self.rtl_mode = rtl_mode
        self._header = header_lines(timeline)
        self._entries = [line for entry in timeline.entries for line in entry_lines(entry)]
        self._entries.append(Text("* new since you last read this event", style="dim"))
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Static(id="timeline-header")
        with VerticalScroll(id="timeline-body"):
            yield Static(id="timeline-entries")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#timeline-body").focus()

    def on_resize(self) -> None:
        self._fill()

    def _fill(self) -> None:
        """The lines made for the width there is (padding and a scroll bar taken off)."""
        width = max(self.app.size.width - 4, 20)
        if width == self._width:
            return
        self._width = width
        console = self.app.console
        self.query_one("#timeline-header", Static).update(Group(*fit(self._header, width, self.rtl_mode, console)))
        self.query_one("#timeline-entries", Static).update(Group(*fit(self._entries, width, self.rtl_mode, console)))

    def action_close(self) -> None:
        self.dismiss()

"""The compare view: reports of one event side by side, each with its translation into the
reader's language, and what each report has that the others lack marked (reverse video, so
it shows without colour).

At 160 columns or more up to three reports sit side by side (each a Reader: the article
above its translation); narrower, one report at a time. Left/Right (h/l) move between
reports, Tab between a report and its translation, t shows or hides the translations, Esc
goes back. The marks come from the engine's `Library.compare`: a sentence is marked when no
other report has a counterpart for it. The header's second line says what the shown report
adds that none of the others says: those sentences, and the names, numbers, dates and quotes
(a sentence with a counterpart can still bring a new figure). Under it, when the reports are one event's,
where they disagree (`Library.disagreements`: numbers, dates, quotes, each value with its
outlets), one line each, at most three.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..dates import said_date
from ..keymap import COMPARE
from ..widgets.reader import Reader
from ..widgets.text import clean

WIDE = 160  # columns from which several reports sit side by side
PER_COLUMN = 53  # columns a report needs to be readable
DISAGREEMENT_LINES = 3  # at most, so the reports keep the screen at 80x24


@dataclass
class Unique:
    """What one report says that none of the others compared with it does (`Library.compare`'s
    `only_first`, kept where every other report lacks it)."""

    sentences: list[str] = field(default_factory=list)  # marked in reverse video
    names: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, sides: list) -> Unique:
        """From the report's `only_first` Side against each other report."""
        if not sides:
            return cls()

        def kept(kind: str) -> list:
            values = list(getattr(sides[0], kind))
            for side in sides[1:]:
                values = [v for v in values if v in getattr(side, kind)]
            return values

        return cls(sorted(set(kept("sentences"))), kept("names"), kept("numbers"), kept("dates"), kept("quotes"))

    def line(self) -> str:
        """`adds 2 sentences (reversed) · names: Turkey · numbers: 45 · dates: 2 Oct · 1 quote`."""
        n, q = len(self.sentences), len(self.quotes)
        parts = [f"{n} sentence{'s' if n != 1 else ''} (reversed)"] if n else []
        parts += [f"{kind}: {', '.join(values)}" for kind, values in (
            ("names", self.names), ("numbers", self.numbers), ("dates", [said_date(d) for d in self.dates]))
            if values]
        parts += [f"{q} quote{'s' if q != 1 else ''}"] if q else []
        return "adds " + " · ".join(parts) if parts else "adds nothing the other reports do not say"


class CompareScreen(Screen):
    BINDINGS = COMPARE

    def __init__(self, articles: list, adds: dict[str, Unique], *, title: str, target: str,
                 show_translation: bool, rtl_mode: str, disagreements: list | None = None):
        """`articles`: the reports; `adds[id]`: what only that report says;
        `disagreements`: where the reports of their event disagree (Disagreement list)."""
        super().__init__()
        self.disagreements = disagreements or []
        self.articles = articles
        self.adds = adds
        self.title_text = title
        self.target = target
        self.show_translation = show_translation
        self.rtl_mode = rtl_mode
        self.current = 0

    def compose(self) -> ComposeResult:
        yield Static(id="compare-header")
        disagreements = Static(disagreements_text(self.disagreements), id="compare-disagreements")
        disagreements.display = bool(self.disagreements)
        yield disagreements
        with Horizontal(id="compare-columns"):
            for number in range(len(self.articles)):
                reader = Reader(self.app.translation, rtl_mode=self.rtl_mode, id=f"compare-{number}")
                reader.add_class("compare-column")
                yield reader
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for number, article in enumerate(self.articles):
            reader = self.readers[number]
            reader.target = self.target
            reader.show_translation = self.show_translation
            marked = self.adds.get(article.id, Unique()).sentences
            reader.open(article, lambda text, marked=marked: _spans(text, marked))
        self._layout()
        self.call_after_refresh(self._focus_current)

    @property
    def readers(self) -> list[Reader]:
        return list(self.query(Reader))

    def on_resize(self) -> None:
        self._layout()

    def _visible(self) -> int:
        width = self.app.size.width
        return 1 if width < WIDE else max(1, min(len(self.articles), width // PER_COLUMN))

    def _layout(self) -> None:
        visible = self._visible()
        first = min(max(self.current - visible + 1, 0), max(len(self.articles) - visible, 0))
        first = min(first, self.current)
        for number, reader in enumerate(self.readers):
            reader.display = first <= number < first + visible
            reader.set_class(number == self.current, "-current")
        self._header()

    def _header(self) -> None:
        article = self.articles[self.current]
        from .timeline import fit

        parts = [f"{self.title_text}", f"report {self.current + 1}/{len(self.articles)}",
                 f"{article.lang} · {article.source or '-'} · {article.date or 'undated'}"]
        adds = self.adds.get(article.id, Unique()).line()
        # cut to the width, and names in Arabic script shaped in the visual mode, as the timeline's
        lines = fit([Text(clean(" · ".join(parts)), no_wrap=True), Text(clean(adds), no_wrap=True)],
                    max(self.app.size.width - 2, 1), self.rtl_mode, self.app.console)
        self.query_one("#compare-header", Static).update(Text("\n").join(lines))

    def _focus_current(self) -> None:
        self.readers[self.current].article_view.focus()

    def _move(self, step: int) -> None:
        self.current = (self.current + step) % len(self.articles)
        self._layout()
        self.call_after_refresh(self._focus_current)

    def action_next_report(self) -> None:
        self._move(1)

    def action_previous_report(self) -> None:
        self._move(-1)

    def action_toggle_translation(self) -> None:
        self.show_translation = not self.show_translation
        for reader in self.readers:
            reader.show_translation = self.show_translation
        self.call_after_refresh(self._focus_current)

    def action_switch_pane(self) -> None:
        reader = self.readers[self.current]
        if self.focused is reader.article_view and self.show_translation:
            reader.translation_view.focus()
        else:
            reader.article_view.focus()

    def action_close(self) -> None:
        self.dismiss()

    def on_reader_progress(self, event: Reader.Progress) -> None:
        event.stop()


def disagreements_text(disagreements: list) -> Text:
    """`injured: 42 (AA, Hürriyet) · 45 (Sabah)`, one line per disagreement, at most
    DISAGREEMENT_LINES with "… N more" on the last."""
    shown = disagreements if len(disagreements) <= DISAGREEMENT_LINES else disagreements[:DISAGREEMENT_LINES - 1]
    lines = []
    for number, d in enumerate(shown):
        about = {"number": d.about, "date": "dates", "quote": f"{d.about} quoted"}.get(d.kind, d.about)
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append("Disagreements " if number == 0 else " " * 14, style="bold")
        line.append(clean(about) + ": ", style="bold")
        for k, v in enumerate(d.values):
            if k:
                line.append(" · ", style="dim")
            line.append(clean(f"“{v.value}”" if d.kind == "quote" else said_date(v.value) if d.kind == "date"
                              else v.value))
            line.append(clean(f" ({', '.join(v.sources)})"), style="dim")
        lines.append(line)
    if len(shown) < len(disagreements):
        lines.append(Text(f"{' ' * 14}… {len(disagreements) - len(shown)} more (newsreader compare lists all)",
                          style="dim", no_wrap=True, overflow="ellipsis", end=""))
    return Text("\n", no_wrap=True, overflow="ellipsis").join(lines)


def _spans(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    spans = []
    for sentence in sentences:
        start = text.find(sentence)
        if start >= 0:
            spans.append((start, start + len(sentence)))
    return sorted(spans)

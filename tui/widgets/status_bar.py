"""One line at the bottom: what is shown (the articles of the show filter, the language
filter, the sort order, the translation's target or that it is off, when the feeds are fetched
next) and the progress of slow
work (opening or indexing the library, translating). `target`, `lang_filter` and
`show_translation` are bound to the main screen's state; `shown` and `sort` are set by it."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from .text import clean


class StatusBar(Static):
    articles: reactive[int] = reactive(0)
    target: reactive[str] = reactive("en")
    lang_filter: reactive[str | None] = reactive(None)
    show_translation: reactive[bool] = reactive(True)
    shown: reactive[str] = reactive("")  # the show filter: "", "unread", "starred" or "from FEED"
    sort: reactive[str] = reactive("date")
    note: reactive[str] = reactive("")  # what the last key did ("match 2/5"): no work going on
    next_fetch: reactive[str] = reactive("")  # when the timer fetches the feeds next ("14:35"); "": never

    def __init__(self, *, id: str | None = None):
        super().__init__(Text(""), id=id)
        self.tasks: dict[str, str] = {}
        self._lines = 0  # how many lines the text took when last laid out

    @property
    def info(self) -> str:
        lang = self.lang_filter or "all languages"
        count = self.articles
        articles = f"article{'s' if count != 1 else ''}"
        if self.shown.startswith(("from ", "tagged ")):
            what = f"{count} {articles} {self.shown}"
        else:
            what = f"{count} {self.shown + ' ' if self.shown else ''}{articles}"
        sort = f" · sorted by {self.sort}" if self.sort != "date" else ""
        translation = f"translation → {self.target}" if self.show_translation else "translation off"
        return f"{what} · {lang}{sort} · {translation}"

    @property
    def fetch(self) -> str:
        return f" · next fetch {self.next_fetch}" if self.next_fetch else ""

    def set_task(self, name: str, text: str) -> None:
        if text:
            self.tasks[name] = clean(text)
        else:
            self.tasks.pop(name, None)
        self._show()

    def watch_articles(self) -> None:
        self._show()

    def watch_target(self) -> None:
        self._show()

    def watch_lang_filter(self) -> None:
        self._show()

    def watch_show_translation(self) -> None:
        self._show()

    def watch_shown(self) -> None:
        self._show()

    def watch_sort(self) -> None:
        self._show()

    def watch_note(self) -> None:
        self._show()

    def watch_next_fetch(self) -> None:
        self._show()

    def _show(self) -> None:
        # The line is made for the width it has (render); the screen is laid out again only
        # when it needs another number of lines (a layout repaints the whole screen: 75 ms at
        # 160x48 with an article open, where a repaint of this line costs next to nothing).
        width = self.content_region.width or self.size.width
        lines = len(self.line(width).wrap(self.app.console, width)) if width > 0 and self.is_mounted else 0
        self.refresh(layout=lines != self._lines or not lines)
        self._lines = lines

    def render(self) -> Text:
        return self.line(self.content_region.width or self.size.width)

    def line(self, width: int) -> Text:
        """What shows, made for `width` cells. A note (what the last key did) and the work in
        progress are never cut: when they do not fit beside the info, the info gives way, and
        what still does not fit wraps onto a second line."""
        busy = " · ".join(self.tasks.values())
        tail = Text(end="")
        if self.note:
            tail.append(clean(self.note))
        if busy:  # ⟳: work in progress (opening, translating, comparing)
            tail.append(("  " if tail else "") + "⟳ " + busy, style="bold")
        info = clean(self.info)
        if not tail:
            return Text(info + self.fetch, end="", no_wrap=True, overflow="ellipsis")
        # When the next fetch's time does not fit beside a note, it gives way first.
        for shown in (info + self.fetch, info):
            if width <= 0 or len(shown) + 2 + tail.cell_len <= width:
                return Text.assemble(shown, "  ", tail, end="")
        return tail

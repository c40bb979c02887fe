"""One line at the bottom: what is shown (articles, language filter, target language) and
the progress of slow work (opening or indexing the library, translating). `target` and
`lang_filter` are bound to the main screen's state."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from .text import clean


class StatusBar(Static):
    articles: reactive[int] = reactive(0)
    target: reactive[str] = reactive("en")
    lang_filter: reactive[str | None] = reactive(None)
    note: reactive[str] = reactive("")  # what the last key did ("match 2/5"): no work going on

    def __init__(self, *, id: str | None = None):
        super().__init__(Text(""), id=id)
        self.tasks: dict[str, str] = {}

    @property
    def info(self) -> str:
        lang = self.lang_filter or "all languages"
        count = self.articles
        return f"{count} article{'s' if count != 1 else ''} · {lang} · translation → {self.target}"

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

    def watch_note(self) -> None:
        self._show()

    def _show(self) -> None:
        busy = " · ".join(self.tasks.values())
        text = Text(clean(self.info), end="", no_wrap=True, overflow="ellipsis")
        if self.note:
            text.append("  " + clean(self.note))
        if busy:  # ⟳: work in progress (opening, translating, comparing)
            text.append("  ⟳ " + busy, style="bold")
        self.update(text)

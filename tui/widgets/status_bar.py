"""One line at the bottom: what is shown (articles, language filter, target language) and
the progress of slow work (opening or indexing the library, translating)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from .text import clean


class StatusBar(Static):
    def __init__(self, *, id: str | None = None):
        super().__init__(Text(""), id=id)
        self.info = ""
        self.tasks: dict[str, str] = {}

    def set_info(self, info: str) -> None:
        self.info = clean(info)
        self._show()

    def set_task(self, name: str, text: str) -> None:
        if text:
            self.tasks[name] = clean(text)
        else:
            self.tasks.pop(name, None)
        self._show()

    def _show(self) -> None:
        busy = " · ".join(self.tasks.values())
        text = Text(self.info, end="", no_wrap=True, overflow="ellipsis")
        if busy:
            text.append("  ⟳ " + busy, style="bold")
        self.update(text)

"""The search box: the engine's query syntax, results in the source list as you type, and
query errors shown inline (never raised)."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from ..keymap import SEARCH
from .text import plain

PLACEHOLDER = 'words, "phrases", AND/OR/NOT, -word, lang:tr, source:…, date:[2024-01 to 2024-06]'


class SearchInput(Input):
    BINDINGS = SEARCH

    class Results(Message):
        """Down arrow: go to the results."""

    def action_results(self) -> None:
        self.post_message(self.Results())


class SearchBar(Horizontal):
    def compose(self):
        yield Static(Text("/ "), id="search-prompt")
        yield SearchInput(placeholder=PLACEHOLDER, id="search-input", compact=True)
        yield Static(Text(""), id="search-status")

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    @property
    def value(self) -> str:
        return self.input.value

    def set_status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.update(plain(message, style="bold" if error else "dim"))
        status.set_class(error, "-error")

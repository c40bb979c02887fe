"""The search box: the engine's query syntax, results in the source list as you type, and
query errors shown inline (never raised)."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from .. import rtl
from ..keymap import MAIN, SEARCH, keys_for
from .text import plain

PLACEHOLDER = 'words, "a phrase", -word, lang:tr, date:2024-10, AND/OR/NOT'


class SearchInput(Input):
    BINDINGS = SEARCH

    class Results(Message):
        """Down arrow: go to the results."""

    def action_results(self) -> None:
        self.post_message(self.Results())


class SearchBar(Horizontal):
    def compose(self):
        yield Static(Text(f"{self._search_key()} "), id="search-prompt")
        yield SearchInput(placeholder=PLACEHOLDER, id="search-input", compact=True)
        yield Static(Text(""), id="search-status")

    def _search_key(self) -> str:
        """The key that opens search, after the user's remaps (the prompt shows it)."""
        binding = next(b for b in MAIN if b.id == "search")
        return keys_for(binding, getattr(self.app, "keymap", {})).split(", ")[0]

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    @property
    def value(self) -> str:
        return self.input.value

    def set_status(self, message: str, error: bool = False, echo: str = "") -> None:
        """`echo`: the query, shown again in display order when it has right-to-left text
        (the input box itself shows what was typed in logical order: Textual's Input cannot
        reorder)."""
        status = self.query_one("#search-status", Static)
        text = plain(message, style="bold" if error else "dim")
        if echo and rtl.has_rtl(echo) and getattr(self.app, "rtl_mode", "visual") == "visual":
            text = Text.assemble(rtl.visual_line(plain(echo), rtl.base_is_rtl(echo)), " · ", text)
        status.update(text)
        status.set_class(error, "-error")

"""The search box: the engine's query syntax, results in the source list as you type, and
query errors shown inline (never raised)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.containers import Horizontal
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input, Static

from .. import rtl
from ..keymap import MAIN, SEARCH, keys_for
from .text import plain

PLACEHOLDER = 'words, "a phrase", -word, lang:tr, date:2024-10, AND/OR/NOT'


class SearchInput(Input):
    """Textual's Input, drawn in display order when the query holds right-to-left text and the
    app puts such text in display order itself (`rtl` visual): Arabic typed here is shaped and
    reads right to left, as in the list and the article. Editing is unchanged (the value, the
    cursor and the keys work in logical order); only the drawing is reordered, the cursor
    drawn on the character it stands before."""

    BINDINGS = SEARCH

    class Results(Message):
        """Down arrow: go to the results."""

    def action_results(self) -> None:
        self.post_message(self.Results())

    def render_line(self, y: int) -> Strip:
        value = self.value
        if (y != 0 or not value or self.password or getattr(self.app, "rtl_mode", "logical") != "visual"
                or not rtl.has_rtl(value)):
            return super().render_line(y)
        width = self.scrollable_content_region.width
        text = Text(value, end="", no_wrap=True)
        cursor_style = self.get_component_rich_style("input--cursor")
        show_cursor = self.has_focus and self._cursor_visible
        if self.has_focus and not self.selection.is_empty:
            start, end = sorted(self.selection)
            text.stylize_before(self.get_component_rich_style("input--selection"), start, end)
        if show_cursor and not self.cursor_at_end:
            text.stylize(cursor_style, self.cursor_position, self.cursor_position + 1)
        right = rtl.base_is_rtl(value)
        shown = rtl.visual_line(text, right)
        if right:  # visual_line drops an RTL line's trailing spaces: they sit at its left
            shown = Text.assemble(" " * (len(value) - len(value.rstrip(" "))), shown, end="")
        # The logical end is the visual left of a right-to-left line, the right of another.
        end_cell = (" ", cursor_style if show_cursor and self.cursor_at_end else "")
        shown = Text.assemble(end_cell, shown, end="") if right else Text.assemble(shown, end_cell, end="")
        cursor = self._visual_cursor_cell(value, right)
        start = max(0, min(cursor - width + 1, shown.cell_len - width)) if cursor >= width else 0
        strip = Strip(list(shown.render(self.app.console))).crop(start, start + width + 1)
        return strip.extend_cell_length(width + 1).apply_style(self.rich_style)

    def _visual_cursor_cell(self, value: str, right: bool) -> int:
        """The cell the cursor is drawn in, in the reordered line (with its end cell)."""
        if self.cursor_at_end:
            return 0 if right else cell_len(value) + 1
        order = rtl.visual_order(rtl.reshape(value.rstrip(" ") if right else value), right)
        before = next((i for i, (_, index) in enumerate(order) if index == self.cursor_position), len(order))
        trailing = len(value) - len(value.rstrip(" ")) if right else 0
        return (1 if right else 0) + trailing + cell_len("".join(char for char, _ in order[:before]))


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

    def set_status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        text = plain(message, style="bold" if error else "dim")
        status.update(text)
        status.set_class(error, "-error")

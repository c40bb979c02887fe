"""`?`: every key binding, grouped, with the keys the user actually has (after remaps)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keymap import GROUPS, keys_for

INTRO = ("Search syntax: words, \"phrases\", AND/OR/NOT, -word, lang:tr, source:name, "
         "date:[2024-01 to 2024-06]. Mouse works too but is never needed.")


def bindings_table(keymap: Mapping[str, str]) -> Table:
    table = Table(box=None, show_header=True, pad_edge=False, expand=True)
    table.add_column("key", no_wrap=True, style="bold")
    table.add_column("does")
    table.add_column("id", style="dim", no_wrap=True)
    for group, bindings in GROUPS.items():
        table.add_row(Text(group, style="bold underline"), "", "")
        for binding in bindings:
            # the tooltip, where there is one, says more than the footer's word
            table.add_row(Text(keys_for(binding, keymap)), Text(binding.tooltip or binding.description),
                          Text(binding.id or ""))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="help.up"),
        Binding("space", "page(1)", "Page down", show=False, id="help.page_down"),
        Binding("b", "page(-1)", "Page up", show=False, id="help.page_up"),
        Binding("g", "top", "Top", show=False, id="help.top"),
        Binding("G", "bottom", "Bottom", show=False, id="help.bottom"),
    ]

    def __init__(self, keymap: Mapping[str, str]):
        super().__init__()
        self.keymap = keymap

    def compose(self):
        with Vertical(id="help-body") as body:
            body.border_title = Text("Keys (remap them by id under [keys] in the config file)")
            # How to leave stays in sight below the scrolling part, at any height.
            body.border_subtitle = Text("Esc, q or ? closes · j/k, g/G scroll")
            with VerticalScroll(id="help-scroll"):
                yield Static(bindings_table(self.keymap))
                yield Static(Text(INTRO, style="dim"), id="help-intro")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    @property
    def _scroll(self) -> VerticalScroll:
        return self.query_one("#help-scroll", VerticalScroll)

    def action_scroll(self, step: int) -> None:
        self._scroll.scroll_relative(y=step, animate=False)

    def action_page(self, step: int) -> None:
        self._scroll.scroll_relative(y=step * max(self._scroll.size.height - 1, 1), animate=False)

    def action_top(self) -> None:
        self._scroll.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self._scroll.scroll_end(animate=False)

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)

"""`?`: every key binding, grouped, with the keys the user actually has (after remaps)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keymap import GROUPS, keys_for, scrolling
from .scrolling import ScrollKeys

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


class HelpScreen(ScrollKeys, ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"), *scrolling("help")]
    SCROLL_ID = "help-scroll"

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

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)

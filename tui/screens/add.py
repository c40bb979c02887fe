"""The add dialog: it asks for a file or folder (Tab completes the path from the file system) or
a web feed's URL (after "Subscribe to this feed?"), and dismisses with its `Choice`; the main
screen's `Adding` part (parts/adding.py) does the add or the subscription in a worker, and the
list shows what came in (the live refresh) while the reader goes on reading.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from ..terminal_text import UNSAFE_IN_LINE
from ..widgets.text import plain

MAX_LISTED = 5000  # entries read from one folder to complete a name (a huge folder stays quick)
# The path typed (or pasted) holds no control, newline or bidi override: the Input draws its
# value and suggestion as they are, so an escape there would reach the terminal.
_TYPEABLE = f"(?:(?!{UNSAFE_IN_LINE.pattern}).)*"
# What the dialog takes for a web feed (other schemes are refused as paths are, with one line).
_FEED_URL = re.compile(r"^https?://", re.IGNORECASE)


class Choice(NamedTuple):
    """What the dialog chose: a path to add, or a feed URL to subscribe to."""

    target: str
    subscribe: bool = False


class PathSuggester(Suggester):
    """Completes the last part of a path with the first entry of its folder that starts so
    (folders end with "/"); hidden entries only when the typed part starts with a dot."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)  # the file system changes

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


def complete_path(value: str) -> str | None:
    if not value:
        return None
    folder_part, _, prefix = value.rpartition("/")
    folder = Path(os.path.expanduser(folder_part + "/" if folder_part or value.startswith("/") else "."))
    try:
        names = []
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_LISTED:
                    break
                if entry.name.startswith(prefix) and (prefix.startswith(".") or not entry.name.startswith(".")):
                    if UNSAFE_IN_LINE.search(entry.name):
                        continue  # never drawn: an escape would act, a newline break the dialog
                    names.append((entry.name, entry.is_dir()))
    except OSError:
        return None
    candidates = sorted((name for name, _ in names if name != prefix), key=str.lower)
    if not candidates:
        return None
    name = candidates[0]
    slash = "/" if dict(names)[name] else ""
    return value + name[len(prefix):] + slash


class AddScreen(ModalScreen[Choice | None]):
    """Asks for a file or folder to add, or a feed URL; dismisses with the path once it checks
    out (something newsreader reads is there), with the URL once the reader says to subscribe,
    or None when cancelled. A bad path gets one line naming it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="add.cancel"),
        Binding("tab", "complete", "Complete the path", show=False, priority=True, id="add.complete"),
    ]

    def compose(self):
        with Vertical(id="add-body"):
            yield Static(Text("Add a file or folder", style="bold"))
            yield Input(placeholder="a path, e.g. ~/news/ or wikinews.jsonl", suggester=PathSuggester(),
                        restrict=_TYPEABLE, id="add-path")
            yield Static("", id="add-error")
            yield Static(Text("Enter adds, Tab completes, Esc cancels. A web feed's http(s) URL subscribes to it.",
                              style="dim"), id="add-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_complete(self) -> None:
        path = self.query_one(Input)
        path.cursor_position = len(path.value)
        path.action_cursor_right()  # at the end, this takes the suggestion

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#add-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from newsreader.index import Library

        event.stop()
        given = event.value.strip()
        if not given:
            self._error("type the path of a file or folder to add")
            return
        if _FEED_URL.match(given):
            def answered(yes: bool | None) -> None:
                if yes:  # no: back to the dialog, the URL still typed
                    self.dismiss(Choice(given, subscribe=True))

            self.app.push_screen(SubscribeScreen(given), answered)
            return
        problem = Library.check_path(given)
        if problem is not None:
            self._error(str(problem))
            return
        self.dismiss(Choice(given))

    def _error(self, message: str) -> None:
        self.query_one("#add-error", Static).update(plain(message, style="bold"))

    def action_cancel(self) -> None:
        self.dismiss(None)


class SubscribeScreen(ModalScreen[bool]):
    """"Subscribe to this feed?" for a URL typed or pasted in the add dialog: True subscribes."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Subscribe", id="subscribe.yes"),
        Binding("escape,n", "answer(False)", "Back", id="subscribe.no"),
    ]

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self):
        with Vertical(id="add-body"):
            yield Static(Text("Subscribe to this feed?", style="bold"))
            yield Static(plain(self.url), id="subscribe-url")
            yield Static(Text("Enter or y subscribes and fetches it, Esc or n goes back.", style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

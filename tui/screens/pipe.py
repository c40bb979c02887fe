"""`|`: pipe the open article's text (or its URL) to a command the reader types, and what the
command printed. The command runs without a shell (tui/external_commands.py); its output is
shown as plain text, never as markup, with control sequences removed."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from ..external_commands import CommandError, split
from ..keymap import scrolling
from ..widgets.text import clean, plain
from .scrolling import ScrollKeys

TEXT, URL = "text", "url"


class PipeScreen(ModalScreen[tuple[list[str], str] | None]):
    """Asks for the command and what to send; dismisses with (words, TEXT or URL), or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pipe.cancel")]

    def __init__(self, *, has_url: bool, command: str = "") -> None:
        super().__init__()
        self.has_url = has_url
        self.command = command  # the last command piped to, to run again or edit

    def compose(self):
        with Vertical(id="pipe-body") as body:
            body.border_subtitle = "Enter runs · Tab: what to send · Esc cancels"
            yield Static(Text("Pipe the article to a command (no shell: | ; $() are plain characters)",
                              style="bold"))
            yield Input(value=self.command, placeholder="a command, e.g. wc -w", id="pipe-command")
            with RadioSet(id="pipe-what"):
                yield RadioButton("the article's text", value=True, id="pipe-text")
                yield RadioButton("its URL", disabled=not self.has_url, id="pipe-url")
            yield Static("", id="pipe-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#pipe-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            words = split(event.value)
        except CommandError as exc:
            self.query_one("#pipe-error", Static).update(plain(str(exc), style="bold"))
            return
        what = URL if self.query_one("#pipe-url", RadioButton).value else TEXT
        self.dismiss((words, what))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.query_one(Input).focus()  # Enter in the box runs the command

    def action_cancel(self) -> None:
        self.dismiss(None)


class OutputScreen(ScrollKeys, ModalScreen[None]):
    """What a piped command printed, as plain text."""

    BINDINGS = [Binding("escape,q,enter", "close", "Close", id="output.close"), *scrolling("output")]
    SCROLL_ID = "output-scroll"

    def __init__(self, title: str, output: str) -> None:
        super().__init__()
        self.title_text = title
        self.output = output

    def compose(self):
        with Vertical(id="output-body") as body:
            body.border_title = Text(clean(self.title_text))
            body.border_subtitle = "Esc, q or Enter closes · j/k scroll"
            with VerticalScroll(id="output-scroll"):
                yield Static(Text(clean(self.output, newlines=True) or "(no output)", end=""), id="output-text")

    def on_mount(self) -> None:
        self.query_one("#output-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)

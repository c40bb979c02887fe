"""A small picker for a language: the list's language filter and the translation target."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.text import plain

_NAMES = {"ar": "Arabic", "de": "German", "en": "English", "es": "Spanish", "fa": "Persian", "fr": "French",
          "it": "Italian", "ru": "Russian", "sq": "Albanian", "tr": "Turkish", "uk": "Ukrainian",
          "zh": "Chinese", "ja": "Japanese", "pt": "Portuguese", "nl": "Dutch", "pl": "Polish",
          "az": "Azerbaijani", "hi": "Hindi", "he": "Hebrew", "ur": "Urdu", "ko": "Korean"}


def language_name(code: str, names: dict[str, str] | None = None) -> str:
    """A language's English name: from the installed packages' titles, else a short table."""
    return (names or {}).get(code) or _NAMES.get(code, "")


class LanguageScreen(ModalScreen[str | None]):
    """Dismisses with the chosen option id, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="language.cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str):
        super().__init__()
        self.title_text = title
        self.choices = choices  # (value, label)
        self.current = current

    def compose(self):
        with Vertical(id="language-body") as body:
            # In the border, where a long list at 80x24 cannot push it off the screen.
            body.border_subtitle = "Enter chooses · Esc cancels"
            yield Static(Text(self.title_text, style="bold"))
            options = OptionList(*[Option(plain(label), id=value) for value, label in self.choices],
                                 id="language-options")
            yield options

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _ in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def known_languages() -> list[str]:
    """The codes the short table names: offered wherever the reader picks a language."""
    return sorted(_NAMES)

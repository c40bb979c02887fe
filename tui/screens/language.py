"""A small picker for a language: the list's language filter and the translation target."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.text import plain

# Languages every language picker offers, beside those of the library and the models.
COMMON = ("ar", "az", "de", "en", "es", "fa", "fr", "he", "hi", "it", "ja", "ko", "nl", "pl", "pt", "ru", "sq",
          "tr", "uk", "ur", "zh")


def language_name(code: str, names: dict[str, str] | None = None) -> str:
    """A language's English name: from the installed packages' titles, else CLDR's (langcodes)."""
    from newsreader.index.langcodes import name

    return (names or {}).get(code) or name(code)


def named(code: str, names: dict[str, str] | None = None) -> str:
    """`Turkish (tr)`; the code alone when no name is known."""
    found = language_name(code, names)
    return f"{found} ({code})" if found else code


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
    """The common languages: offered wherever the reader picks a language."""
    return sorted(COMMON)

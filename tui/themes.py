"""The app's colour theme: the reader picks one of Textual's (Ctrl+T, or the command palette)
and the state file remembers it (App.watch_theme)."""

from __future__ import annotations

from textual.app import App

from .screens.language import LanguageScreen


def choose_theme(app: App) -> None:
    """A picker of the available themes, the current one selected."""

    def chosen(value: str | None) -> None:
        if value is not None:
            app.theme = value

    themes = sorted(app.available_themes)
    app.push_screen(LanguageScreen("Theme", [(name, name) for name in themes], app.theme), chosen)

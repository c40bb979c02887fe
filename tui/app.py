"""The reader app: the main screen (screens/main.py) and what every screen shares: the
settings, the key map, the workspace (library and translator) and the translation service.

Translation modules (ctranslate2) are imported only when the first article is opened, in the
translation service's worker thread.
"""

from __future__ import annotations

import os
from functools import partial

from textual.actions import parse as parse_action
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from . import config, keymap, remembered, rtl
from .screens.help import HelpScreen
from .screens.main import MainScreen
from .translation_service import TranslationService


class NewsreaderCommands(Provider):
    """The command palette offers the app's commands, then those of the screen it was opened
    on (the main screen's, the compare view's...), each only when it can run there now."""

    def _commands(self):
        """(name, keys, callback) for each command that can run now."""
        app, screen = self.app, self.screen
        for bindings, node in ((keymap.APP, app), (getattr(screen, "BINDINGS", []), screen)):
            for binding in bindings:
                if not isinstance(binding, Binding) or binding.id == "command_palette" \
                        or binding.action.startswith(("focus_pane", "switch_pane")):
                    continue
                namespace, action, parameters = parse_action(binding.action)
                target = {"app": app, "screen": screen}.get(namespace, node)
                if not target.check_action(action, parameters):  # not now (no library yet...)
                    continue
                yield (binding.description, keymap.keys_for(binding, app.keymap),
                       partial(node.run_action, binding.action))

    @staticmethod
    def _line(name: Content | str, keys: str) -> Content:
        """One line per command: its name, then its keys (dim)."""
        return Content.assemble(name, (f"  ({keys})", "dim"))

    async def discover(self) -> Hits:
        for name, keys, run in self._commands():
            yield DiscoveryHit(self._line(name, keys), run, text=name)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, keys, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, self._line(matcher.highlight(name), keys), run, text=name)


class NewsreaderApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "newsreader"
    BINDINGS = keymap.APP
    # Only the app's commands: Textual's own repeat Quit and Keys (our help), and theirs and
    # ours would come in whichever order the two providers answer.
    COMMANDS = {NewsreaderCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, settings: config.Settings, *, library=None, translator_factory=None,
                 environ=None, clock=None):
        """`library`, `translator_factory` and `clock` (seconds since the epoch, for the timed
        fetch) let tests hand in their own."""
        # NO_COLOR means no colour (no-color.org). Textual turns colours into greys for it
        # (Monochrome, `ESC[37;100m` on xterm) unless the app keeps ANSI colours, when it drops
        # them instead (NoColor: the terminal's own colours; bold, reverse and underline kept,
        # all this app needs for focus, the cursor and matches). Same test as Textual's.
        super().__init__(ansi_color=True if os.environ.get("NO_COLOR") is not None else None)
        from newsreader.index.workspace import Workspace

        # What the reader chose last time (the state file) goes over the config file's values.
        self.remembered, self._remembered_problem = remembered.load()
        settings = _with_remembered(settings, self.remembered)
        self.settings = settings
        self.keymap = keymap.keymap_for(settings.keys)
        self.rtl_mode = rtl.resolve(settings.ui.rtl, environ)
        self.environ = os.environ if environ is None else environ  # e.g. may a browser open here
        # The app never waits for another process's change: its screen would freeze.
        self.workspace = Workspace(settings.places(), translator_factory=translator_factory, wait=False,
                                   translate_leads=settings.events.translate_leads)
        if library is not None:
            self.workspace.adopt(library)
        self._owns_library = library is None
        self.clock = clock
        self._remember_failed = False
        self.translation = TranslationService(self, self.workspace.translator)

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.workspace, self.settings, rtl_mode=self.rtl_mode, target=self.settings.translation.target,
                          show_translation=self.settings.translation.show,
                          lang_filter=self.remembered.language_filter or None, sort=self.remembered.sort or "date",
                          clock=self.clock)

    def on_mount(self) -> None:
        self.set_keymap(self.keymap)
        theme = self.remembered.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        self._theme_restored = True
        if self._remembered_problem:
            self.notify(self._remembered_problem, severity="warning", markup=False)

    def watch_theme(self, theme: str) -> None:
        if getattr(self, "_theme_restored", False):
            self.remember(theme=theme)

    def remember(self, **choices) -> None:
        """Save the reader's choices to the state file; failing to is said once, never fatal."""
        try:
            remembered.update(**choices)
        except OSError as exc:
            if not self._remember_failed:
                self._remember_failed = True
                self.notify(f"cannot remember your choices: {exc}", severity="warning", markup=False)

    # The main screen's parts, for the command palette and tests.
    @property
    def main(self) -> MainScreen:
        return self.screen_stack[0]

    @property
    def sources(self):
        return self.main.sources

    @property
    def reader(self):
        return self.main.reader

    @property
    def search_bar(self):
        return self.main.search_bar

    @property
    def target(self) -> str:
        return self.main.target

    # -- actions ----------------------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))

    def action_choose_theme(self) -> None:
        from .themes import choose_theme

        choose_theme(self)

    def action_quit(self) -> None:
        """q: back one level (a view or a picker closes, an open article gives way to the
        list); from the list, quit."""
        if len(self.screen_stack) > 1:
            self.screen.dismiss(None)
        elif not self.main.leave_article():
            self.exit(0)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "hard_quit":  # a Q typed in a text box (the search, a path) is a character
            from textual.widgets import Input

            return not isinstance(self.focused, Input)
        return True

    def action_hard_quit(self) -> None:
        self.exit(0)

    def on_unmount(self) -> None:
        self.workspace.close(library=self._owns_library)


def _with_remembered(settings: config.Settings, choices) -> config.Settings:
    import msgspec

    translation = msgspec.structs.replace(
        settings.translation, target=choices.target or settings.translation.target,
        show=settings.translation.show if choices.show_translation is None else choices.show_translation)
    ui = msgspec.structs.replace(settings.ui, rtl=choices.rtl or settings.ui.rtl)
    return msgspec.structs.replace(settings, translation=translation, ui=ui)


def run_app(settings: config.Settings) -> int:
    """Run the reader; returns the exit status (0 after `q`)."""
    try:
        app = NewsreaderApp(settings)
    except keymap.KeymapError as exc:
        raise config.ConfigError(f"{config.config_path()}: {exc}") from None
    result = app.run()
    if app.return_code:
        return app.return_code
    return result or 0

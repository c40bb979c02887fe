"""The reader app: source list, article pane, translation pane, keyboard search.

Layout (see `_layout`): at 120 columns or more the three panes sit side by side (list on the
left, the article and its translation as two equal columns). Below 120 columns (80x24 over
SSH) the list takes the whole width until an article is opened; then the article and its
translation are stacked (article above, translation below, paragraph-aligned and scrolled
together) and Esc or Shift-Tab goes back to the list. `t` hides or shows the translation.

Start-up: nothing slow happens before the first frame. The library is opened (and, on the
first run of the default library, filled with the bundled seeds) in a thread worker; the list
is filled when it is ready. Translation modules (ctranslate2) are imported only when the first
article is opened, inside the translation worker.
"""

from __future__ import annotations

import io
import threading
from functools import partial

from rich.console import Console
from textual import work
from textual.app import App, ComposeResult
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal
from textual.widgets import Footer, Input

from . import config, keymap, rtl
from .screens.help import HelpScreen
from .screens.language import LanguageScreen
from .widgets.reader import Reader
from .widgets.search_bar import SearchBar, SearchInput
from .widgets.source_list import SourceList, article_rows, result_rows
from .widgets.status_bar import StatusBar

NARROW = 120  # columns: below this the list and the reading area take turns


class NewsreaderCommands(Provider):
    """The command palette offers every app command from the keymap."""

    def _commands(self):
        for binding in keymap.APP:
            if binding.id == "command_palette" or binding.action.startswith("focus_pane"):
                continue
            keys = keymap.keys_for(binding, self.app.keymap)
            yield binding.description, f"{binding.description} ({keys})", binding.action

    async def discover(self) -> Hits:
        for name, help_text, action in self._commands():
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action), help=help_text)


class NewsreaderApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "newsreader"
    BINDINGS = keymap.APP
    COMMANDS = App.COMMANDS | {NewsreaderCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, settings: config.Settings, *, library=None, translator_factory=None,
                 environ=None):
        super().__init__()
        self.settings = settings
        self.keymap = keymap.keymap_for(settings.keys)
        self.rtl_mode = rtl.resolve(settings.rtl, environ)
        self.target = settings.target_lang
        self.library = library
        self._given_library = library
        self._translator_factory = translator_factory
        self._translator = None
        self._translator_lock = threading.Lock()
        self.summaries: list = []
        self.languages: dict[str, int] = {}
        self.lang_filter: str | None = None
        self.search_query = ""
        self.terms = None
        self._search_generation = 0
        self._reading = False

    # -- building ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield SourceList(rtl_mode=self.rtl_mode, id="sources")
            yield Reader(self.translator, rtl_mode=self.rtl_mode, target=self.target,
                         show_translation=self.settings.show_translation, id="reader")
        search = SearchBar(id="search")
        search.display = False
        yield search
        yield StatusBar(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_keymap(self.keymap)
        self._layout(self.size.width)
        self.query_one(SourceList).focus()
        self._status()
        self.query_one(StatusBar).set_task("library", "opening the library…")
        # After the first frame: the worker thread would otherwise compete for the GIL with it.
        self.call_after_refresh(self._open_library)

    @property
    def sources(self) -> SourceList:
        return self.query_one(SourceList)

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    def translator(self):
        """The translator, created on first use (from a worker thread: the import is heavy)."""
        with self._translator_lock:
            if self._translator is None:
                if self._translator_factory is not None:
                    self._translator = self._translator_factory()
                else:
                    from newsreader.index.translation import Translator

                    self._translator = Translator(config.argos_packages_dir(), config.cache_dir(),
                                                  cache_mb=self.settings.translation_cache_mb,
                                                  engine=self.settings.engine)
            return self._translator

    # -- layout -----------------------------------------------------------------------------
    def on_resize(self, event) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        main = self.query_one("#main")
        main.set_class(width < NARROW, "-narrow")
        main.set_class(self._reading, "-reading")

    def _set_reading(self, reading: bool) -> None:
        self._reading = reading
        self.query_one("#main").set_class(reading, "-reading")

    @property
    def narrow(self) -> bool:
        return self.query_one("#main").has_class("-narrow")

    def _status(self) -> None:
        count = len(self.summaries)
        lang = self.lang_filter or "all languages"
        self.query_one(StatusBar).set_info(
            f"{count} article{'s' if count != 1 else ''} · {lang} · translation → {self.target}"
        )

    # -- the library (a worker: opening may index the bundled seeds) ------------------------
    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def _open_library(self) -> None:
        from newsreader.index import NewsreaderError

        try:
            library = self._given_library
            if library is None:
                from .cli import Context

                quiet = Console(file=io.StringIO())
                library = Context(self.settings, out=quiet, err=quiet).library()
            summaries = library.articles(lang=self.lang_filter)
            languages = library.languages()
        except NewsreaderError as exc:
            self.call_from_thread(self._library_failed, str(exc))
            return
        self.call_from_thread(self._library_ready, library, summaries, languages)

    def _library_ready(self, library, summaries, languages) -> None:
        self.library = library
        self.languages = languages
        self._show_summaries(summaries)
        self.query_one(StatusBar).set_task("library", "")
        if self.search_query:
            self._run_search(self.search_query)

    def _library_failed(self, message: str) -> None:
        self.sources.set_note(message)
        self.query_one(StatusBar).set_task("library", "")

    def _show_summaries(self, summaries, keep: str | None = None) -> None:
        self.summaries = summaries
        if not self.search_query:
            self.sources.set_rows(article_rows(summaries), keep=keep)
            if not summaries:
                self.sources.set_note("No articles. Add some with `newsreader add PATH`."
                                      if self.lang_filter is None else f"No articles in {self.lang_filter}.")
        self._status()

    def _reload(self) -> None:
        if self.library is None:
            return
        keep = self.sources.selected.id if self.sources.selected else None
        self._show_summaries(self.library.articles(lang=self.lang_filter), keep=keep)
        if self.search_query:
            self._run_search(self.search_query)

    # -- opening articles -------------------------------------------------------------------
    def on_source_list_opened(self, event: SourceList.Opened) -> None:
        self.open_article(event.summary.id)

    def open_article(self, article_id: str) -> None:
        from newsreader.index import NewsreaderError, matches

        if self.library is None:
            return
        try:
            article = self.library.get(article_id)
        except NewsreaderError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        spans = None
        if self.terms:
            terms, lang = self.terms, article.lang
            spans = lambda text: matches(text, terms, lang)  # noqa: E731
        self.reader.open(article, spans)
        self.query_one(StatusBar).set_task("match", "")
        if self.narrow:
            self._set_reading(True)
        self.call_after_refresh(self.reader.article_view.focus)

    # -- search -----------------------------------------------------------------------------
    def action_search(self) -> None:
        bar = self.search_bar
        bar.display = True
        if self.narrow:
            self._set_reading(False)
        self.call_after_refresh(bar.input.focus)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search-input":
            return
        self.search_query = event.value.strip()
        self._search_generation += 1
        if not self.search_query:
            self.terms = None
            self.search_bar.set_status("")
            self.sources.set_rows(article_rows(self.summaries))
            return
        self._run_search(self.search_query)

    def _run_search(self, query: str) -> None:
        if self.library is None:
            self.search_bar.set_status("opening the library…")
            return
        self._search(self._search_generation, query, self.lang_filter)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, generation: int, query: str, lang: str | None) -> None:
        from newsreader.index import NewsreaderError

        try:
            results = self.library.search(query, lang=lang, limit=200)
            terms = self.library.query_terms(query)
        except NewsreaderError as exc:
            self.call_from_thread(self._search_failed, generation, str(exc))
            return
        self.call_from_thread(self._search_done, generation, results, terms)

    def _search_done(self, generation: int, results, terms) -> None:
        if generation != self._search_generation:
            return
        self.terms = terms
        self.sources.set_rows(result_rows(results))
        if not results:
            self.sources.set_note("No articles match.")
        self.search_bar.set_status(f"{len(results)} result{'s' if len(results) != 1 else ''}")

    def _search_failed(self, generation: int, message: str) -> None:
        if generation == self._search_generation:
            self.search_bar.set_status(message, error=True)

    def on_search_input_results(self, event: SearchInput.Results) -> None:
        self.sources.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search-input":
            self.sources.focus()
            self.sources.action_open()

    def _close_search(self) -> None:
        bar = self.search_bar
        if bar.input.value:
            bar.input.value = ""  # posts Changed: the full list comes back
        bar.display = False
        self.sources.focus()

    # -- actions ----------------------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))

    def action_quit(self) -> None:
        self.exit(0)

    def action_toggle_translation(self) -> None:
        reader = self.reader
        reader.set_show_translation(not reader.show_translation)
        if not reader.show_translation and self.focused is reader.translation_view:
            reader.article_view.focus()

    def action_next_match(self) -> None:
        self.query_one(StatusBar).set_task("match", self.reader.article_view.jump(1))

    def action_previous_match(self) -> None:
        self.query_one(StatusBar).set_task("match", self.reader.article_view.jump(-1))

    def action_language_filter(self) -> None:
        total = sum(self.languages.values())
        choices = [("*", f"all languages ({total})")]
        choices += [(code, f"{code} ({count})") for code, count in sorted(self.languages.items())]

        def chosen(value: str | None) -> None:
            if value is None:
                return
            self.lang_filter = None if value == "*" else value
            self._reload()

        self.push_screen(LanguageScreen("Show articles in", choices, self.lang_filter or "*"), chosen)

    def action_target_language(self) -> None:
        codes = {"en", self.target, *self.languages}
        if self._translator is not None:
            try:
                codes |= {package.to_code for package in self._translator.installed()}
            except Exception:  # listing packages is a nicety here
                pass
        choices = [(code, code) for code in sorted(codes)]

        def chosen(value: str | None) -> None:
            if value is None or value == self.target:
                return
            self.target = value
            self.reader.set_target(value)
            self._status()

        self.push_screen(LanguageScreen("Translate into", choices, self.target), chosen)

    def _panes(self) -> list:
        panes = [self.sources, self.reader.article_view]
        if self.reader.show_translation:
            panes.append(self.reader.translation_view)
        if self.search_bar.display:
            panes.insert(0, self.search_bar.input)
        return panes

    def action_focus_pane(self, step: int) -> None:
        panes = self._panes()
        focused = self.focused
        index = panes.index(focused) if focused in panes else 0
        target = panes[(index + step) % len(panes)]
        if self.narrow:
            self._set_reading(target in (self.reader.article_view, self.reader.translation_view))
        self.call_after_refresh(target.focus)

    def action_back(self) -> None:
        if self.search_bar.display and (self.focused is self.search_bar.input or not self._reading):
            self._close_search()
        elif self.narrow and self._reading:
            self._set_reading(False)
            self.call_after_refresh(self.sources.focus)
        else:
            self.sources.focus()

    def on_reader_progress(self, event: Reader.Progress) -> None:
        self.query_one(StatusBar).set_task("translate", event.text)

    def on_unmount(self) -> None:
        if self.library is not None and self._given_library is None:
            self.library.close()


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

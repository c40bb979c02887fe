"""The main screen: source list, reading area (article and translation), search bar, status.

Layout (see `_layout`): at 120 columns or more the three panes sit side by side (list on the
left, the article and its translation as two equal columns). Below 120 columns (80x24 over
SSH) the list takes the whole width until an article is opened; then the article and its
translation are stacked and Esc or Shift-Tab goes back to the list.

The reader's choices that several widgets show (target language, language filter, whether
the translation shows) are held here once, as reactives, and bound to the widgets that use
them (data_bind). Start-up: nothing slow happens before the first frame; the library is
opened (on the first run of the default library, filled with the seeds) in a thread worker.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input

from ..keymap import MAIN
from ..widgets.reader import Reader
from ..widgets.search_bar import SearchBar, SearchInput
from ..widgets.source_list import Row, SourceList, article_rows, result_rows
from ..widgets.status_bar import StatusBar
from ..widgets.text import clean
from .add import AddActions
from .language import LanguageScreen
from .reading import ALL, ReadingActions

NARROW = 120  # columns: below this the list and the reading area take turns


def reachable(packages, source: str | None, pivot: str = "en") -> set[str]:
    """Target languages the installed packages reach from `source` (None: from anything),
    directly or through the pivot language."""
    if source is None:
        return {p.to_code for p in packages} | ({pivot} if packages else set())
    direct = {p.to_code for p in packages if p.from_code == source}
    if pivot in direct or source == pivot:
        direct |= {p.to_code for p in packages if p.from_code == pivot}
    direct.discard(source)
    return direct


def wrap_note(message: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(message, max(width - 1, 20)) or [message]
def languages_of(summaries) -> dict[str, int]:
    """How many articles each language has, most first (as `Library.languages` orders them)."""
    from collections import Counter

    return dict(sorted(Counter(s.lang for s in summaries).items(), key=lambda item: (-item[1], item[0])))


FIRST_ROWS = 100  # articles shown at start-up before the whole list is read
SEARCH_DELAY = 0.2  # seconds of quiet in the search box before the query runs (see _search_soon)
SEARCH_LIMIT = 200  # hits a search keeps (ids and scores: cheap)
SEARCH_PAGE = 25  # results made at a time (summaries, snippets): a screenful and some
REFRESH_SECONDS = 2.0  # how often the app looks whether another process changed the library


class MainScreen(AddActions, ReadingActions, Screen):
    BINDINGS = MAIN

    target: reactive[str] = reactive("en", init=False)
    show_translation: reactive[bool] = reactive(True, init=False)
    lang_filter: reactive[str | None] = reactive(None, init=False)

    def __init__(self, *, rtl_mode: str, target: str, show_translation: bool):
        super().__init__()
        self.rtl_mode = rtl_mode
        self.set_reactive(MainScreen.target, target)
        self.set_reactive(MainScreen.show_translation, show_translation)
        self.library = None
        self.summaries: list = []
        self.events: list = []  # events of two or more articles, from the engine
        self._showing_related = False  # the list shows one article's related coverage
        self._place = None  # where the list was before the related coverage replaced it (Esc: back)
        self._place_stale = False  # the library changed since: Esc rebuilds the list around that place
        self.languages: dict[str, int] = {}
        self.search_query = ""
        self.terms = None
        self._hits = None  # the current search's hits (SearchHits); results made page by page
        self._hits_shown = 0
        self._search_generation = 0
        self._reading = False
        self._revision = 0  # the library revision the list shows

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield SourceList(rtl_mode=self.rtl_mode, id="sources")
            yield Reader(self.app.translation, rtl_mode=self.rtl_mode, id="reader").data_bind(
                MainScreen.target, MainScreen.show_translation)
        search = SearchBar(id="search")
        search.display = False
        yield search
        yield StatusBar(id="status").data_bind(MainScreen.target, MainScreen.lang_filter, MainScreen.show_translation)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._layout(self.app.size.width)
        self.status.sort = self.sort  # a remembered order shows from the start
        self.watch(self.sources, "cursor", self._cursor_moved, init=False)
        self.sources.focus()
        self.status.set_task("library", "opening the library…")
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

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    # -- layout -----------------------------------------------------------------------------
    def on_resize(self, event) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        main = self.query_one("#main")
        main.set_class(width < NARROW, "-narrow")
        main.set_class(self._reading, "-reading")
        # Until an article is open the list has the whole width: nothing to read beside it.
        main.set_class(self.reader.article_view.article is None, "-no-article")
        # Below 80 columns the footer's keys overflow and the palette key would sit on them
        # (app.tcss hides it; Ctrl+P still works and the help screen lists it).
        self.set_class(width < 80, "-tiny")

    def _set_reading(self, reading: bool) -> None:
        if not reading:
            self.status.note = ""  # back to the list: "match 4/6" was about the article
        self._reading = reading
        self.query_one("#main").set_class(reading, "-reading")

    @property
    def narrow(self) -> bool:
        return self.query_one("#main").has_class("-narrow")

    # -- the library (a worker: opening may index the bundled seeds) ------------------------
    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def _open_library(self) -> None:
        """Open the library and fill the list in steps, each made in this thread (the UI
        thread only takes the finished rows): the newest articles first, a screenful; then
        every article, by date; then the events' grouping, which may take longer."""
        from newsreader.index import NewsreaderError

        try:
            library = self.app.workspace.library()
            revision = library.revision()
            sort = self.sort
            first = self._articles(library, limit=FIRST_ROWS)
            if len(first) == FIRST_ROWS:  # more than a screenful: show it while the rest is read
                self.app.call_from_thread(self._list_started, article_rows(first, (), sort))
            summaries = self._articles(library)
            # Unfiltered, the list holds every article: its languages are counted from it (a
            # query less before the list shows).
            languages = (languages_of(summaries) if self.lang_filter is None and self.show == ALL
                         else library.languages())
            rows = article_rows(summaries, (), sort)
            notices = list(library.notices)
        except NewsreaderError as exc:
            self.app.call_from_thread(self._library_failed, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - never leave the screen at "Opening the library…"
            self.app.call_from_thread(self._library_failed, f"cannot open the library: {exc}")
            return
        self.app.call_from_thread(self._library_ready, library, summaries, languages, revision, notices, rows)
        try:
            events = library.events(min_size=2)
        except NewsreaderError as exc:
            self.app.call_from_thread(self._events_failed, str(exc))
            return
        rows = article_rows(summaries, events, sort) if events else rows
        self.app.call_from_thread(self._events_ready, events, summaries, sort, rows)

    def _list_started(self, rows) -> None:
        """The newest articles, while the others are read: a list to move in at once."""
        if self.library is None and not self.search_query:
            self.sources.set_rows(rows)
            self.status.set_task("library", "reading the list…")

    def _library_ready(self, library, summaries, languages, revision=0, notices=(), rows=None) -> None:
        self.library = library
        self.languages = languages
        self._revision = revision
        self._show_summaries(summaries, keep=self._moved_to(), rows=rows)
        self.status.set_task("library", "")
        self.status.set_task("events", "grouping events…")
        for notice in notices:
            self.notify(notice, markup=False)
        if self.search_query:
            self._run_search(self.search_query)
        self.set_interval(REFRESH_SECONDS, self._poll_library)

    def _events_ready(self, events, summaries, sort: str, rows) -> None:
        """The events have come: the list shows them first (the reader's place kept if they
        moved; the top of the list if not)."""
        self.status.set_task("events", "")
        self.events = list(events)
        if self.search_query or self._showing_related or not self.events:
            return
        if summaries is not self.summaries or sort != self.sort:  # the list changed meanwhile
            rows = self._rows()
        self.sources.set_rows(rows, keep=self._moved_to())

    def _events_failed(self, message: str) -> None:
        self.status.set_task("events", "")
        self.notify(message, severity="warning", markup=False)

    def _moved_to(self) -> str | None:
        """The selected article, if the reader moved away from the top of the list."""
        sources = self.sources
        selected = sources.selected
        if selected is None:
            return None
        first = sources.rows.selectable[0] if sources.rows.selectable else -1
        return None if sources.cursor == first else selected.id

    # -- live refresh: articles another `newsreader add` brings in --------------------------
    def _poll_library(self) -> None:
        self._refresh_library()

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh_library(self) -> None:
        from newsreader.index import NewsreaderError

        library = self.library
        try:
            revision = library.revision()
            if revision == self._revision:
                return
            summaries = self._articles(library)
            languages = library.languages()
            events = library.events(min_size=2)
        except NewsreaderError:  # busy or damaged now: try again at the next tick
            return
        sort = self.sort
        rows = article_rows(summaries, events, sort)  # here, not on the UI thread
        self.app.call_from_thread(self._library_changed, revision, summaries, languages, events, (sort, rows))

    def _library_changed(self, revision: int, summaries, languages, events, made=None) -> None:
        """Show the library as it is now, keeping the selected article selected."""
        before = {s.id for s in self.summaries}
        new = sum(1 for s in summaries if s.id not in before)
        self._revision = revision
        self.languages = languages
        self.events = list(events)
        if self._showing_related:
            self.summaries = summaries
            self.status.articles = len(summaries)
            self._place_stale = True  # Esc rebuilds the list from these
        else:
            keep = self.sources.selected.id if self.sources.selected else None
            rows = made[1] if made is not None and made[0] == self.sort else None
            self._show_summaries(summaries, keep=keep, rows=rows)
        if self.search_query:
            self._run_search(self.search_query)
        if new:
            self.notify(f"{new} new article{'s' if new != 1 else ''} in the library.", markup=False)

    def _library_failed(self, message: str) -> None:
        self.sources.set_note(message)
        self.status.set_task("library", "")

    def _show_summaries(self, summaries, keep: str | None = None, rows=None) -> None:
        """`rows`: the list's rows already made from these summaries (in a worker)."""
        summaries, rows = self._with_kept(summaries, rows)
        self.summaries = summaries
        if not self.search_query:
            self._leave_related()
            self.sources.set_rows(rows if rows is not None else article_rows(summaries, self.events, self.sort),
                                  keep=keep)
            if not summaries:
                self.sources.set_note("No articles. Add some with `newsreader add PATH`."
                                      if self.lang_filter is None else f"No articles in {self.lang_filter}.")
        self.status.articles = len(summaries)

    def watch_lang_filter(self) -> None:
        if self.library is None:
            return
        self._kept = None
        keep = self.sources.selected.id if self.sources.selected else None
        self._show_summaries(self._articles(), keep=keep)
        self.remember(language_filter=self.lang_filter or "")
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
        self.mark_opened(article.id)
        self.status.note = ""
        if self.narrow:
            self._set_reading(True)
        self.call_after_refresh(self.reader.article_view.focus)

    # -- search -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        # In the search box the search key is a character to type (a query may hold `/`).
        if action == "search" and self.focused is self.search_bar.input:
            return False
        return True

    def action_search(self) -> None:
        self.status.note = ""
        bar = self.search_bar
        bar.display = True
        if self.narrow:
            self._set_reading(False)
        # Now, not after the next frame: a priority binding runs as the key arrives, so the
        # keys already queued behind it (a fast typist, a paste) go to the box, not the list.
        self.set_focus(bar.input)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search-input":
            return
        self._leave_related()
        self.search_query = event.value.strip()
        self._search_generation += 1
        if not self.search_query:
            self.terms = None
            self._hits = None
            self.search_bar.set_status("")
            self.sources.set_rows(self._rows())
            return
        # No count until the search for what the box holds now has finished: the last one
        # (often "0 results" for a word half typed) would read as the answer.
        self.search_bar.set_status("searching…")
        self._search_soon(self._search_generation, self.search_query)

    @work(exclusive=True, group="search-wait", exit_on_error=False)
    async def _search_soon(self, generation: int, query: str) -> None:
        """Run the query once typing pauses: a word typed letter by letter is one search, not
        one per letter, each flashing its own count (a newer keystroke cancels this wait)."""
        import asyncio

        await asyncio.sleep(SEARCH_DELAY)
        if generation == self._search_generation:
            self._run_search(query)

    def _run_search(self, query: str) -> None:
        if self.library is None:
            self.search_bar.set_status("opening the library…")
            return
        self._search(self._search_generation, query, self.lang_filter)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, generation: int, query: str, lang: str | None) -> None:
        from newsreader.index import NewsreaderError

        try:
            # The hits are cheap; snippets are made for the first page only, and for the next
            # pages as the list scrolls (`on_source_list_need_more`).
            hits = self.library.find(query, lang=lang, limit=SEARCH_LIMIT)
            first = hits.page(0, SEARCH_PAGE)
        except NewsreaderError as exc:
            self.app.call_from_thread(self._search_failed, generation, str(exc))
            return
        self.app.call_from_thread(self._search_done, generation, hits, first)

    def _search_done(self, generation: int, hits, first) -> None:
        if generation != self._search_generation:
            return
        self.terms = hits.terms
        self._hits, self._hits_shown = hits, SEARCH_PAGE
        found = list(hits.notes)
        if self._showing_related:  # the library changed behind the related coverage: Esc shows these
            self._place_stale = True
        else:
            self.sources.set_rows(result_rows(first), more=len(hits) > SEARCH_PAGE)
            if not len(hits):
                self.sources.set_rows([Row("note", "No articles match.")] + [Row("note", hint) for hint in found])
        count = f"{len(hits)} result{'s' if len(hits) != 1 else ''}"
        self.search_bar.set_status(count if not found else f"{count} · {found[0]}")

    def on_source_list_need_more(self, event: SourceList.NeedMore) -> None:
        hits = self._hits
        if hits is None or not self.search_query or self._hits_shown >= len(hits):
            return
        start = self._hits_shown
        self._hits_shown = start + SEARCH_PAGE
        self._more_results(self._search_generation, hits, start)

    @work(thread=True, group="search-page", exit_on_error=False)
    def _more_results(self, generation: int, hits, start: int) -> None:
        from newsreader.index import NewsreaderError

        try:
            page = hits.page(start, start + SEARCH_PAGE)
        except NewsreaderError as exc:
            self.app.call_from_thread(self._search_failed, generation, str(exc))
            return
        self.app.call_from_thread(self._more_done, generation, hits, page, start + SEARCH_PAGE < len(hits))

    def _more_done(self, generation: int, hits, page, more: bool) -> None:
        if generation == self._search_generation and hits is self._hits:
            self.sources.append_rows(result_rows(page), more=more)

    def _search_failed(self, generation: int, message: str) -> None:
        if generation == self._search_generation:
            # The whole message, in the list's place: the full list behind it would look like results.
            self._hits = None
            self.sources.set_rows([Row("note", "The query cannot be read:")]
                                  + [Row("note", line) for line in wrap_note(message, self.sources.size.width)])
            self.search_bar.set_status("query error", error=True)

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
    def action_toggle_translation(self) -> None:
        self.show_translation = not self.show_translation
        # Said even where no translation pane shows (the list): the status line's "translation
        # off" is the change to see there.
        self.status.note = "translation shown" if self.show_translation else "translation hidden"
        if not self.show_translation and self.focused is self.reader.translation_view:
            self.reader.article_view.focus()

    # -- glosses: titles and leads translated into English (index/glossing.py) ---------------
    def action_translate_leads(self) -> None:
        if self.library is None:
            return
        self.status.set_task("gloss", "translating titles and leads…")
        self._translate_leads()

    @work(thread=True, exclusive=True, group="gloss", exit_on_error=False)
    def _translate_leads(self) -> None:
        from newsreader.index import NewsreaderError

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self.status.set_task, "gloss", f"translating titles and leads {done}/{total}")

        glossed = False
        try:
            translator = self.app.workspace.translator()
            if not translator.installed():
                message = ("No translation model is installed: `newsreader models install FILE` adds one. "
                           "Grouping and search work without.")
            else:
                report = self.library.gloss(translator, progress=progress)
                message, glossed = report.summary(), bool(report.glossed)
        except NewsreaderError as exc:
            message = str(exc)
        self.app.call_from_thread(self._leads_translated, message, glossed)

    def _leads_translated(self, message: str, glossed: bool) -> None:
        self.status.set_task("gloss", "")
        self.notify(message, markup=False)
        if glossed:  # events may have merged: show them
            self._open_library()

    def action_copy_url(self) -> None:
        self.status.note = self.reader.article_view.copy_url()

    def action_open_url(self) -> None:
        """The article's URL in the system browser, where one can show on the reader's screen;
        elsewhere (SSH, no display) what to do instead: click the link or copy it."""
        from ..hyperlinks import browser_here
        from ..keymap import keys_for

        view = self.reader.article_view
        if view.article is None:
            self.status.note = "no article open"
            return
        if not view.url:
            self.status.note = "this article has no URL"
            return
        copy = keys_for(next(b for b in MAIN if b.id == "copy_url"), self.app.keymap).split(", ")[0]
        if view.link is None:
            self.status.note = f"the URL is not a web address; {copy} copies it"
            return
        why = None if self.app.is_web else browser_here(self.app.environ)
        if why is not None:
            self.notify(f"Cannot open a browser: {why}. Click the URL in the article's header "
                        f"(a link in most terminals: Ctrl- or Cmd-click) or press {copy} to copy it.",
                        markup=False, timeout=8)
            return
        self.app.open_url(view.link)
        self.status.note = "URL opened in the browser"

    def action_next_match(self) -> None:
        self.status.note = self.reader.article_view.jump(1)

    def action_previous_match(self) -> None:
        self.status.note = self.reader.article_view.jump(-1)

    def action_language_filter(self) -> None:
        total = sum(self.languages.values())
        choices = [("*", f"all languages ({total})")]
        choices += [(code, f"{code} ({count})") for code, count in sorted(self.languages.items())]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.lang_filter = None if value == "*" else value

        self.app.push_screen(LanguageScreen("Show articles in", choices, self.lang_filter or "*"), chosen)

    def action_target_language(self) -> None:
        """Only the languages the installed models reach from the open article (directly or
        through English), each with its name."""
        from .language import language_name

        article = self.reader.article_view.article
        try:
            packages = self.app.workspace.translator().installed()
        except Exception:  # noqa: BLE001 - no packages folder yet: nothing is reachable
            packages = []
        names = {}
        for package in packages:
            title = (package.title or "").split(" (")[0]  # "Turkish - English (tiny test model)"
            parts = [part.strip() for part in title.split(" - ")]
            if len(parts) == 2:
                names.setdefault(package.from_code, parts[0])
                names.setdefault(package.to_code, parts[1])
        codes = reachable(packages, article.lang if article is not None else None)
        if article is not None and article.lang == self.target:
            codes.add(self.target)  # where the reader is now: nothing to translate
        choices = [(code, f"{code}  {language_name(code, names)}") for code in sorted(codes)]
        if not choices:
            choices = [(self.target, f"{self.target}  {language_name(self.target, names)} (no model installed)")]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.target = value

        self.app.push_screen(LanguageScreen("Translate into", choices, self.target), chosen)

    def _panes(self) -> list:
        panes = [self.sources]
        if self.reader.article_view.article is not None:  # no article: the reading area is not shown
            panes.append(self.reader.article_view)
            if self.reader.translation_view.display:  # hidden (t) or collapsed (nothing to translate)
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
        self.status.note = ""  # "match 4/6" belongs to the article left behind
        if self._showing_related and self.focused is self.sources:
            self._back_from_related()
            return
        if self.search_bar.display and (self.focused is self.search_bar.input or not self._reading):
            self._close_search()
        elif self.narrow and self._reading:
            self._set_reading(False)
            self.call_after_refresh(self.sources.focus)
        else:
            self.sources.focus()

    # -- events: the article's event, its related coverage, the compare view ----------------
    def _current_article_id(self) -> str | None:
        """The article being read, or else the one selected in the list."""
        article = self.reader.article_view.article
        if article is not None and self.focused in (self.reader.article_view, self.reader.translation_view):
            return article.id
        selected = self.sources.selected
        return selected.id if selected is not None else (article.id if article is not None else None)

    def action_show_event(self) -> None:
        article_id = self._current_article_id()
        if article_id is None or self.library is None:
            return
        event = next((e for e in self.events if article_id in e.members), None)
        if event is None:
            self.notify("No other report of this event in the library.", markup=False)
            return
        if self.search_bar.display:
            self._close_search()
        self._leave_related()
        self.sources.set_rows(self._rows(), keep=article_id)
        if self.narrow:
            self._set_reading(False)
        self.call_after_refresh(self.sources.focus)

    def _leave_related(self) -> None:
        """Something else takes the list's place (a search typed, the event, a filter): Esc no
        longer goes back to where the list was before the related coverage."""
        self._showing_related = False
        self._place = None
        self._place_stale = False

    def _back_from_related(self) -> None:
        """Esc from the related coverage: the list exactly as it was (the search results or the
        articles, the cursor on the same row, scrolled alike); rebuilt around the article that
        was selected if the library changed meanwhile."""
        place, self._place = self._place, None
        stale, self._place_stale = self._place_stale, False
        self._showing_related = False
        if place is not None and not stale:
            self.sources.restore(place)
        else:
            rows, cursor = (place[0], place[1]) if place is not None else ([], -1)
            keep = rows[cursor].summary.id if 0 <= cursor < len(rows) and rows[cursor].kind == "article" else None
            if self.search_query and self._hits is not None:
                self.sources.set_rows(result_rows(self._hits.page(0, self._hits_shown)),
                                      keep=keep, more=len(self._hits) > self._hits_shown)
            else:
                self.sources.set_rows(self._rows(), keep=keep)
        self.sources.focus()

    def action_related(self) -> None:
        article_id = self._current_article_id()
        if article_id is None or self.library is None:
            return
        self._related(article_id)

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def _related(self, article_id: str) -> None:
        from newsreader.index import NewsreaderError

        try:
            found = self.library.related(article_id, limit=30)
            title = self.library.get(article_id).title
        except NewsreaderError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._show_related, title, found)

    def _show_related(self, title: str, found) -> None:
        rows = [Row("group", f"Related to ({len(found)}): {clean(title)}")]  # the title last: nothing after it to reorder
        for summary, related in found:
            rows.append(Row("article", summary=summary))
            rows.append(Row("snippet", f"{related.score:.2f} · " + ("same event" if related.same_event else
                                                                   "other event")))
        if not found:
            rows.append(Row("note", "Nothing related."))
        if not self._showing_related:  # r again from the related list: Esc still goes back to the start
            self._place = self.sources.place()
        self.sources.set_rows(rows)
        self._showing_related = True
        if self.narrow:
            self._set_reading(False)
        self.status.note = "related coverage · Esc: back to the list"
        self.call_after_refresh(self.sources.focus)

    def action_compare(self) -> None:
        article_id = self._current_article_id()
        if article_id is None or self.library is None:
            return
        self.status.set_task("compare", "comparing…")
        self._compare(article_id)

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def _compare(self, article_id: str) -> None:
        from newsreader.index import NewsreaderError

        try:
            event = self.library.event_of(article_id)
            members = list(event.members)
            title = event.label
            if len(members) < 2:  # nothing else reports it: compare with the closest coverage
                related = self.library.related(article_id, limit=1)
                members += [s.id for s, _ in related]
                title = "closest coverage"
            articles = [self.library.get(m) for m in members]
            adds = {}
            for article in articles:
                others = [a for a in articles if a.id != article.id]
                unique = None
                for other in others:  # a sentence is new when no other report has its counterpart
                    sentences = set(self.library.compare(article.id, other.id).only_first.sentences)
                    unique = sentences if unique is None else unique & sentences
                adds[article.id] = sorted(unique or ())
        except NewsreaderError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            self.app.call_from_thread(self.status.set_task, "compare", "")
            return
        self.app.call_from_thread(self._open_compare, articles, adds, title)

    def _open_compare(self, articles, adds, title: str) -> None:
        from .compare import CompareScreen

        self.status.set_task("compare", "")
        if len(articles) < 2:
            self.notify("Nothing to compare this article with.", markup=False)
            return
        self.app.push_screen(CompareScreen(articles, adds, title=title, target=self.target,
                                           show_translation=self.show_translation, rtl_mode=self.rtl_mode))

    def on_reader_opened(self, event: Reader.Opened) -> None:
        self.query_one("#main").set_class(False, "-no-article")  # the reading area shows from now on

    def on_reader_progress(self, event: Reader.Progress) -> None:
        self.status.set_task("translate", event.text)

"""The main screen: source list, reading area (article and translation), search bar, status.

Layout (see `_layout`): at 120 columns or more the three panes sit side by side (list on the
left, the article and its translation as two equal columns). Below 120 columns (80x24 over
SSH) the list takes the whole width until an article is opened; then the article and its
translation are stacked and Esc or Shift-Tab goes back to the list.

The screen is built from parts (tui/parts/) that hold the state and call the engine in thread
workers: the library model (the articles, events, rows, marks), the search controller (the
query and its results) and the feeds. They post messages; the screen handles them (`@on`) by
updating its widgets, and never calls the engine itself. The reader's choices that several
widgets show (target language, language filter, whether the translation shows) are held here
once, as reactives, and bound to the widgets that use them (data_bind). Start-up: nothing slow
happens before the first frame; the library is opened after it.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input

from ..keymap import MAIN
from ..parts.adding import Adding
from ..parts.feeds import NO_SUBSCRIPTIONS, Feeds
from ..parts.following import Following
from ..parts.library_model import ALL, FEED, STARRED, UNREAD, LibraryModel
from ..parts.search import SearchController
from ..widgets.reader import Reader
from ..widgets.search_bar import SearchBar, SearchInput
from ..widgets.source_list import SORTS, Row, SourceList
from ..widgets.status_bar import StatusBar
from ..widgets.text import clean
from .add import AddScreen
from .following_keys import FollowingKeys
from .language import LanguageScreen
from .reading_keys import ReadingKeys

NARROW = 120  # columns: below this the list and the reading area take turns
# Actions that need the library open (check_action: shown, but disabled, until it is).
NEEDS_LIBRARY = {"show_event", "related", "compare", "set_language", "translate_leads", "toggle_read",
                 "toggle_star", "show_filter", "fetch", "fetch_one", "add_files", "mark_all_read", "tag_filter",
                 "watch", "timeline"}


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


class MainScreen(ReadingKeys, FollowingKeys, Screen):
    BINDINGS = MAIN

    target: reactive[str] = reactive("en", init=False)
    show_translation: reactive[bool] = reactive(True, init=False)
    lang_filter: reactive[str | None] = reactive(None, init=False)

    class RelatedFound(Message):
        def __init__(self, title: str, found: list) -> None:
            super().__init__()
            self.title = title
            self.found = found

    class CompareReady(Message):
        def __init__(self, articles: list, adds: dict, title: str, disagreements: list) -> None:
            super().__init__()
            self.articles = articles
            self.adds = adds
            self.title = title
            self.disagreements = disagreements

    def __init__(self, workspace, settings, *, rtl_mode: str, target: str, show_translation: bool,
                 lang_filter: str | None = None, sort: str = "date", clock=None):
        super().__init__()
        self.rtl_mode = rtl_mode
        self.set_reactive(MainScreen.target, target)
        self.set_reactive(MainScreen.show_translation, show_translation)
        self.set_reactive(MainScreen.lang_filter, lang_filter)
        self._showing_related = False  # the list shows one article's related coverage
        self._place = None  # where the list was before the related coverage replaced it (Esc: back)
        self._place_stale = False  # the library changed since: Esc rebuilds the list around that place
        self._reading = False
        # The article just marked in a view that no longer holds it (read in the unread view,
        # unstarred in the starred one): it stays, dimmed, while the cursor is on it, so that the
        # next `m` undoes the mark rather than marking the next article.
        self._kept: str | None = None
        # The parts (kept here: check_action asks for the library before the screen is mounted).
        self.model = LibraryModel(workspace, lang=lang_filter, sort=sort)
        self.searching = SearchController()
        self.feeds = Feeds(settings, clock)
        self.adding = Adding()
        self.following = Following(self.model, settings)

    def compose(self) -> ComposeResult:
        yield self.model
        yield self.searching
        yield self.feeds
        yield self.adding
        yield self.following
        with Horizontal(id="main"):
            yield SourceList(rtl_mode=self.rtl_mode, id="sources")
            yield Reader(self.app.translation, rtl_mode=self.rtl_mode, sets_language=True, id="reader").data_bind(
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
        self.call_after_refresh(self.model.open)

    # -- widgets ----------------------------------------------------------------------------
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

    # What the parts hold, as tests read it.
    @property
    def library(self):
        return self.model.library

    @property
    def summaries(self) -> list:
        return self.model.summaries

    @property
    def languages(self) -> dict[str, int]:
        return self.model.languages

    @property
    def events(self) -> list:
        return self.model.events

    @property
    def sort(self) -> str:
        return self.model.sort

    @property
    def show(self) -> str:
        return self.model.show

    @property
    def search_query(self) -> str:
        return self.searching.text

    # -- which actions can run --------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        # In the search box the search key is a character to type (a query may hold `/`).
        if action == "search" and self.focused is self.search_bar.input:
            return False
        if action in NEEDS_LIBRARY and self.library is None:
            return None  # shown, disabled, until the library is open
        if action == "undo":
            return self.offers_undo()  # False: u goes on to the show filter
        return True

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

    # -- the library's messages -------------------------------------------------------------
    @on(LibraryModel.Started)
    def _list_started(self, message: LibraryModel.Started) -> None:
        """The newest articles, while the others are read: a list to move in at once."""
        if self.library is None and not self.search_query:
            self.sources.set_rows(message.rows)
            self.status.set_task("library", "reading the list…")

    @on(LibraryModel.Opened)
    def _library_opened(self, message: LibraryModel.Opened) -> None:
        self.searching.library = self.feeds.library = self.adding.library = message.library
        self.status.set_task("library", "")
        self.status.set_task("events", "grouping events…")
        for notice in message.notices:
            self.notify(notice, markup=False)
        self.refresh_bindings()  # the actions that need the library
        self.feeds.start_timer()  # fetching every [feeds] refresh_minutes
        self.searching.again(self.lang_filter)  # a query typed while the library opened

    @on(LibraryModel.Listed)
    def _listed(self, message: LibraryModel.Listed) -> None:
        why = message.why
        if why == "events":
            self.status.set_task("events", "")
        self.status.articles = len(self.model.summaries)
        if message.said is not None:
            self.status.note, self.status.shown = message.said
        self.status.sort = self.model.sort
        if message.new:
            self.notify(f"{message.new} new article{'s' if message.new != 1 else ''} in the library.", markup=False)
        if why in ("refresh", "filter", "language"):
            self.searching.again(self.lang_filter)
        if self.search_query:
            return
        if self._showing_related and why in ("open", "events", "refresh"):
            self._place_stale = True  # Esc rebuilds the list from these
            return
        if why in ("open", "events"):
            keep = self._moved_to()  # the reader's place if they moved; the top of the list if not
        elif why == "refresh" or message.keep is None:
            keep = self.sources.selected.id if self.sources.selected else None
        else:
            keep = message.keep
        self._leave_related()
        self.sources.set_rows(self.model.rows, keep=keep)
        if not self.model.summaries:
            self.sources.set_note("No articles. Add some with `newsreader add PATH`."
                                  if self.lang_filter is None else f"No articles in {self.lang_filter}.")

    @on(LibraryModel.Failed)
    def _library_failed(self, message: LibraryModel.Failed) -> None:
        if message.opening:
            self.sources.set_note(message.message)
            self.status.set_task("library", "")
            return
        if message.task:
            self.status.set_task(message.task, "")
        self.notify(message.message, severity=message.severity, markup=False)

    @on(LibraryModel.Progress)
    def _library_progress(self, message: LibraryModel.Progress) -> None:
        self.status.set_task(message.task, message.text)

    def _moved_to(self) -> str | None:
        """The selected article, if the reader moved away from the top of the list."""
        sources = self.sources
        selected = sources.selected
        if selected is None:
            return None
        first = sources.rows.selectable[0] if sources.rows.selectable else -1
        return None if sources.cursor == first else selected.id

    def watch_lang_filter(self, lang: str | None) -> None:
        self.model.lang = lang
        self.app.remember(language_filter=lang or "")
        if self.library is not None:
            self._relist()

    def _relist(self, said: tuple[str, str] | None = None) -> None:
        """The list again under the filters (in the model's worker); `said`: the status line's
        note and what it says is shown, once the list shows it."""
        self._kept = None
        self.model.keep(None)
        self.model.relist(keep=self.sources.selected.id if self.sources.selected else None, said=said)

    # -- opening articles -------------------------------------------------------------------
    @on(SourceList.Opened)
    def _source_opened(self, event: SourceList.Opened) -> None:
        self.open_article(event.summary.id)

    def open_article(self, article_id: str, note: str = "") -> None:
        if self.library is not None:
            self.model.load(article_id, note)  # ArticleLoaded follows

    @on(LibraryModel.ArticleLoaded)
    def _article_loaded(self, message: LibraryModel.ArticleLoaded) -> None:
        from newsreader.index import matches

        article = message.article
        spans = None
        terms = self.searching.terms
        if terms:
            lang = article.lang
            spans = lambda text: matches(text, terms, lang)  # noqa: E731
        self.reader.open(article, spans)
        self.mark_opened(article.id)
        self.status.note = message.note
        if self.narrow:
            self._set_reading(True)
        self.call_after_refresh(self.reader.article_view.focus)

    # -- search -----------------------------------------------------------------------------
    def action_search(self) -> None:
        self.status.note = ""
        bar = self.search_bar
        bar.display = True
        if self.narrow:
            self._set_reading(False)
        # Now, not after the next frame: a priority binding runs as the key arrives, so the
        # keys already queued behind it (a fast typist, a paste) go to the box, not the list.
        self.set_focus(bar.input)

    @on(Input.Changed, "#search-input")
    def _query_changed(self, event: Input.Changed) -> None:
        self._leave_related()
        self.searching.search(event.value, self.lang_filter)
        if not self.search_query:
            self.search_bar.set_status("")
            self.sources.set_rows(self.model.rows)
            return
        # No count until the search for what the box holds now has finished: the last one
        # (often "0 results" for a word half typed) would read as the answer.
        self.search_bar.set_status("searching…" if self.library is not None else "opening the library…")

    @on(SearchController.Results)
    def _search_results(self, message: SearchController.Results) -> None:
        notes = list(message.notes)
        if self._showing_related:  # the library changed behind the related coverage: Esc shows these
            self._place_stale = True
        elif message.count:
            self.sources.set_rows(message.rows, more=message.more)
        else:
            self.sources.set_rows([Row("note", "No articles match.")] + [Row("note", note) for note in notes])
        count = f"{message.count} result{'s' if message.count != 1 else ''}"
        self.search_bar.set_status(count if not notes else f"{count} · {notes[0]}")

    @on(SourceList.NeedMore)
    def _need_more(self, event: SourceList.NeedMore) -> None:
        self.searching.more()

    @on(SearchController.More)
    def _more_results(self, message: SearchController.More) -> None:
        if not self._showing_related:
            self.sources.append_rows(message.rows, more=message.more)

    @on(SearchController.Failed)
    def _search_failed(self, message: SearchController.Failed) -> None:
        # The whole message, in the list's place: the full list behind it would look like results.
        self.sources.set_rows([Row("note", "The query cannot be read:")]
                              + [Row("note", line) for line in wrap_note(message.message, self.sources.size.width)])
        self.search_bar.set_status("query error", error=True)

    @on(SearchInput.Results)
    def _to_results(self, event: SearchInput.Results) -> None:
        self.sources.focus()

    @on(Input.Submitted, "#search-input")
    def _query_submitted(self, event: Input.Submitted) -> None:
        self.sources.focus()
        self.sources.action_open()

    def _close_search(self) -> None:
        bar = self.search_bar
        if bar.input.value:
            bar.input.value = ""  # posts Changed: the full list comes back
        bar.display = False
        self.sources.focus()

    # -- marks ------------------------------------------------------------------------------
    def _current_article_id(self) -> str | None:
        """The article being read, or else the one selected in the list."""
        article = self.reader.article_view.article
        if article is not None and self.focused in (self.reader.article_view, self.reader.translation_view):
            return article.id
        selected = self.sources.selected
        return selected.id if selected is not None else (article.id if article is not None else None)

    def mark_opened(self, article_id: str) -> None:
        """Opening an article marks it read (unless [feeds] mark_read_on_open = false)."""
        summary = self.model.summary(article_id)
        if self.app.settings.feeds.mark_read_on_open and (summary is None or not summary.read):
            self.model.mark([article_id], read=True, said=False)

    def action_toggle_read(self) -> None:
        article_id = self._current_article_id()
        if article_id is not None:
            summary = self.model.summary(article_id)
            self.model.mark([article_id], read=not (summary.read if summary else False))

    def action_toggle_star(self) -> None:
        article_id = self._current_article_id()
        if article_id is not None:
            summary = self.model.summary(article_id)
            self.model.mark([article_id], starred=not (summary.starred if summary else False))

    @on(LibraryModel.Marked)
    def _marked(self, message: LibraryModel.Marked) -> None:
        """The model has the marked articles' rows in its list already; the list on screen may
        be another (search results, related coverage): its rows of them change too."""
        sources = self.sources
        if sources.rows is not self.model.rows:
            for article_id in message.ids:
                summary = self.model.summary(article_id)
                if summary is not None:
                    sources.rows.update(summary)
        selected = sources.selected
        if selected is not None and selected.id in message.ids and not self.search_query and not self._showing_related:
            self._kept = selected.id  # stays in the list while the cursor is on it
            self.model.keep(selected.id)
        sources.refresh()
        read, starred = message.changes.get("read"), message.changes.get("starred")
        words = [("read" if read else "unread") if read is not None else "",
                 ("starred" if starred else "unstarred") if starred is not None else ""]
        if message.said:  # every mark a key made says so: an older note ("marked starred") never stays
            self.status.note = f"marked {' '.join(w for w in words if w)}"

    def _belongs(self, summary) -> bool:
        """Whether the show filter holds the article as it is marked now."""
        show = self.model.show
        return not ((show == UNREAD and summary.read) or (show == STARRED and not summary.starred))

    def _cursor_moved(self) -> None:
        """The cursor left the kept article: now the list lets it go, the cursor staying on the
        row it moved to, at the same height on the screen."""
        kept = self._kept
        selected = self.sources.selected
        if kept is None or (selected is not None and selected.id == kept):
            return
        self._kept = None
        self.model.keep(None)
        summary = self.model.summary(kept)
        if summary is None or self._belongs(summary) or self.search_query or self._showing_related:
            return
        sources = self.sources
        height = sources.cursor - sources.scroll_y
        self.model.forget(kept)  # its row goes from the model's rows, which the list shows
        sources.rows_changed(keep=selected.id if selected is not None else None)
        sources.scroll_to(y=max(sources.cursor - height, 0), animate=False, immediate=True)
        self.status.articles = len(self.model.summaries)

    # -- the article's language, as the reader sets it ----------------------------------------
    def action_set_language(self) -> None:
        """A picker of languages for the article (the library's, the installed models', common
        ones) and "auto" for what detection said; the engine keeps the choice (set-lang)."""
        from .language import known_languages, language_name

        article_id = self._current_article_id()
        if article_id is None:
            return
        summary = self.model.summary(article_id)
        current = summary.lang if summary else "und"
        try:
            packages = self.app.workspace.translator().installed()
        except Exception:  # noqa: BLE001 - no packages folder yet
            packages = []
        codes = set(self.languages) | set(known_languages()) | {p.from_code for p in packages} | {p.to_code for p in packages}
        codes.discard("und")
        choices = [("auto", "auto: the language detection found")]
        choices += [(code, f"{code}  {language_name(code)}".rstrip()) for code in sorted(codes)]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.model.set_language(article_id, None if value == "auto" else value)

        self.app.push_screen(LanguageScreen(f"Language of this article (now {current})", choices, current), chosen)

    @on(LibraryModel.LanguageSet)
    def _language_set(self, message: LibraryModel.LanguageSet) -> None:
        article = message.article
        if self.sources.rows is not self.model.rows:
            summary = self.model.summary(article.id)
            if summary is not None:
                self.sources.rows.update(summary)
        self.sources.refresh()
        note = f"language {article.lang}" + (" (detected)" if message.detected else " (set by you)")
        self.status.note = note
        shown = self.reader.article_view.article
        if shown is not None and shown.id == article.id:
            self.open_article(article.id, note)  # the translation starts again from the new language
        self.model.catch_up()  # the language counts

    # -- show filter, sort --------------------------------------------------------------------
    def action_show_filter(self) -> None:
        self.model.show_choices()

    @on(LibraryModel.ShowChoices)
    def _choose_show(self, message: LibraryModel.ShowChoices) -> None:
        choices = message.choices

        def chosen(value: str | None) -> None:
            if value is not None and value != self.model.show:
                self.model.show = value
                label = dict(choices)[value].split(" (")[0]
                self._relist(said=("", "") if value == ALL else (f"showing {label}", (
                    "from " + label.removeprefix("feed ") if value.startswith(FEED) else value)))

        self.app.push_screen(LanguageScreen("Show", choices, self.model.show), chosen)

    def action_sort(self) -> None:
        sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.model.resort(sort, keep=self.sources.selected.id if self.sources.selected else None,
                          said=(f"sorted by {sort}", self.status.shown))
        self.app.remember(sort=sort)

    # -- adding: files and folders, or a feed's URL (parts/adding.py) ------------------------------
    def action_add_files(self) -> None:
        self.app.push_screen(AddScreen(), self.adding.start)

    @on(Adding.Progress)
    def _add_progress(self, message: Adding.Progress) -> None:
        self.status.set_task("add", message.text)

    @on(Adding.Done)
    def _added(self, message: Adding.Done) -> None:
        self._came_in("add", message.message, message.changed, message.problem)

    @on(Adding.Subscribed)
    def _subscribed(self, message: Adding.Subscribed) -> None:
        self._came_in("add", f"Subscribed to {message.name}; fetching it", False)
        self._fetch_feed(message.url, message.name)

    def _came_in(self, task: str, said: str, changed: bool, problem: bool = False) -> None:
        """An add or a subscription ended: its task leaves the status line, its note shows (plain text:
        it names files and feeds), and the list catches up when the library may have changed."""
        self.status.set_task(task, "")
        self.notify(said, severity="warning" if problem else "information", markup=False)
        if changed:
            self.model.catch_up()  # the live refresh shows what came in, the cursor kept

    # -- feeds --------------------------------------------------------------------------------
    def action_fetch(self) -> None:
        self.status.set_task("fetch", "fetching feeds…")
        self.feeds.fetch()

    def action_fetch_one(self) -> None:
        """A picker of the subscriptions (name, unread, last error); the chosen one is fetched."""
        self.feeds.subscriptions()

    @on(Feeds.Subscriptions)
    def _pick_feed(self, message: Feeds.Subscriptions) -> None:
        feeds = message.feeds
        if message.purpose == "tags":
            self.pick_tag(feeds)
            return
        if not feeds:
            self.notify(NO_SUBSCRIPTIONS, markup=False)
            return
        choices = [(feed.url, f"{feed.name}  ({feed.unread} unread)"
                    + (f"  last fetch failed: {feed.last_error}" if feed.last_error else ""))
                   for feed in feeds]
        names = {feed.url: feed.name for feed in feeds}

        def chosen(url: str | None) -> None:
            if url is not None:
                self._fetch_feed(url, names[url])

        self.app.push_screen(LanguageScreen("Fetch one feed", choices, feeds[0].url), chosen)

    def _fetch_feed(self, url: str, name: str) -> None:
        self.status.set_task("fetch", f"fetching {name}…")
        self.feeds.fetch([url])

    @on(Feeds.NextFetch)
    def _next_fetch(self, message: Feeds.NextFetch) -> None:
        from datetime import datetime

        self.status.next_fetch = "" if message.due is None else datetime.fromtimestamp(message.due).strftime("%H:%M")

    @on(Feeds.Progress)
    def _fetch_progress(self, message: Feeds.Progress) -> None:
        self.status.set_task("fetch", message.text)

    @on(Feeds.Fetched)
    def _fetched(self, message: Feeds.Fetched) -> None:
        self.status.set_task("fetch", "")
        if not message.timed:
            self.notify(message.message, markup=False)
        elif message.failed:  # the new articles are said when the list shows them; failures here
            self.status.note = message.message
        if message.changed:
            self.model.catch_up()  # the live refresh: shows what the fetch added

    # -- translation --------------------------------------------------------------------------
    def action_toggle_translation(self) -> None:
        self.show_translation = not self.show_translation
        # Said even where no translation pane shows (the list): the status line's "translation
        # off" is the change to see there.
        self.status.note = "translation shown" if self.show_translation else "translation hidden"
        if not self.show_translation and self.focused is self.reader.translation_view:
            self.reader.article_view.focus()

    def watch_target(self, target: str) -> None:
        self.app.remember(target=target)

    def watch_show_translation(self, show: bool) -> None:
        self.app.remember(show_translation=show)

    # glosses: titles and leads translated into English (index/glossing.py)
    def action_translate_leads(self) -> None:
        self.status.set_task("gloss", "translating titles and leads…")
        self.model.translate_leads()

    @on(LibraryModel.Glossed)
    def _glossed(self, message: LibraryModel.Glossed) -> None:
        self.status.set_task("gloss", "")
        self.notify(message.message, markup=False)
        if message.glossed:  # events may have merged: show them
            self.status.set_task("events", "grouping events…")
            self.model.regroup()

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

    @on(Reader.Opened)
    def _reader_opened(self, event: Reader.Opened) -> None:
        self.query_one("#main").set_class(False, "-no-article")  # the reading area shows from now on

    @on(Reader.Progress)
    def _reader_progress(self, event: Reader.Progress) -> None:
        self.status.set_task("translate", event.text)

    # -- the article's URL, matches -------------------------------------------------------------
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
        browser = self.app.settings.ui.browser
        if browser:  # the reader's own command: they know where it opens
            self.open_in_browser(browser, view.link)
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
        from .language import named

        total = sum(self.languages.values())
        choices = [("*", f"all languages: {total}")]
        choices += [(code, f"{named(code)}: {count}") for code, count in sorted(self.languages.items())]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.lang_filter = None if value == "*" else value

        self.app.push_screen(LanguageScreen("Show articles in", choices, self.lang_filter or "*"), chosen)

    # -- panes ------------------------------------------------------------------------------
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
    def action_show_event(self) -> None:
        article_id = self._current_article_id()
        if article_id is None:
            return
        event = next((e for e in self.events if article_id in e.members), None)
        if event is None:
            self.notify("No other report of this event in the library.", markup=False)
            return
        if self.search_bar.display:
            self._close_search()
        self._leave_related()
        self.sources.set_rows(self.model.rows, keep=article_id)
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
            searching = self.searching
            if self.search_query and searching.hits is not None:
                self.sources.set_rows(searching.rows, keep=keep, more=len(searching.hits) > len(searching.rows) // 2)
            else:
                self.sources.set_rows(self.model.rows, keep=keep)
        self.sources.focus()

    def action_related(self) -> None:
        article_id = self._current_article_id()
        if article_id is not None:
            self._related(article_id)

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def _related(self, article_id: str) -> None:
        from newsreader.index import NewsreaderError

        try:
            found = self.library.related(article_id, limit=30)
            title = self.library.get(article_id).title
        except NewsreaderError as exc:
            self.post_message(LibraryModel.Failed(str(exc)))
            return
        self.post_message(self.RelatedFound(title, found))

    @on(RelatedFound)
    def _related_found(self, message: RelatedFound) -> None:
        self._show_related(message.title, message.found)

    def _show_related(self, title: str, found) -> None:
        rows = [Row("group", f"Related to ({len(found)}): {clean(title)}")]  # the title last: nothing after it to reorder
        for summary, related in found:
            rows.append(Row("article", summary=summary))
            shared = "" if related.similarity is None else f" · similarity {related.similarity:.2f}"
            rows.append(Row("snippet", f"{related.score:.2f} · " + ("same event" if related.same_event else
                                                                   "other event") + shared))
        if not found:
            rows.append(Row("note", "Nothing related."))
        self._show_aside(rows, "related coverage · Esc: back to the list")

    def _show_aside(self, rows: list, note: str) -> None:
        """Rows in place of the list (the related coverage, a followed item's new reports) until
        Esc goes back to exactly where the list was."""
        if not self._showing_related:  # r again from the related list: Esc still goes back to the start
            self._place = self.sources.place()
        self.sources.set_rows(rows)
        self._showing_related = True
        if self.narrow:
            self._set_reading(False)
        self.status.note = note
        self.call_after_refresh(self.sources.focus)

    def action_compare(self) -> None:
        article_id = self._current_article_id()
        if article_id is None:
            return
        self.status.set_task("compare", "comparing…")
        self._compare(article_id)

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def _compare(self, article_id: str) -> None:
        from newsreader.index import NewsreaderError

        from .compare import Unique

        try:
            event = self.library.event_of(article_id)
            members = list(event.members)
            title = event.label
            # where the event's reports disagree: only when they are one event's reports
            disagreements = self.library.disagreements(event.id) if len(members) >= 2 else []
            if len(members) < 2:  # nothing else reports it: compare with the closest coverage
                related = self.library.related(article_id, limit=1)
                members += [s.id for s, _ in related]
                title = "closest coverage"
            articles = [self.library.get(m) for m in members]
            # what each says that no other report does (a sentence: when none has its counterpart)
            adds = {article.id: Unique.of([self.library.compare(article.id, other.id).only_first
                                           for other in articles if other.id != article.id])
                    for article in articles}
        except NewsreaderError as exc:
            self.post_message(LibraryModel.Failed(str(exc), task="compare"))
            return
        self.post_message(self.CompareReady(articles, adds, title, disagreements))

    @on(CompareReady)
    def _open_compare(self, message: CompareReady) -> None:
        from .compare import CompareScreen

        self.status.set_task("compare", "")
        if len(message.articles) < 2:
            self.notify("Nothing to compare this article with.", markup=False)
            return
        self.app.push_screen(CompareScreen(message.articles, message.adds, title=message.title, target=self.target,
                                           show_translation=self.show_translation, rtl_mode=self.rtl_mode,
                                           disagreements=message.disagreements))

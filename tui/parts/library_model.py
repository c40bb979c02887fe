"""The library as the main screen shows it: its articles under the language and show filters,
the events, the list's rows in the chosen order, the language counts, and the reader's marks.

Every call into the engine runs in a thread worker and comes back as a message; the model
takes what the message carries into its own state first (its `@on` handlers run before the
message bubbles up), so the screen that handles it next reads the model as the message left
it. A result made for filters that have changed since is dropped there. The list's rows are
made in the workers too: the UI thread never goes through the whole library.
"""

from __future__ import annotations

from msgspec.structs import replace  # summaries are msgspec structs
from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from ..widgets.source_list import Rows, article_rows

ALL, UNREAD, STARRED = "*", "unread", "starred"
FEED = "feed:"
TAG = "tag:"  # the subscriptions filed under a tag (an OPML folder)
FIRST_ROWS = 100  # articles shown at start-up before the whole list is read
REFRESH_SECONDS = 2.0  # how often the model looks whether another process changed the library


def languages_of(summaries) -> dict[str, int]:
    """How many articles each language has, most first (as `Library.languages` orders them)."""
    from collections import Counter

    return dict(sorted(Counter(s.lang for s in summaries).items(), key=lambda item: (-item[1], item[0])))


class LibraryModel(Widget):
    """Not drawn: a widget so that it can run workers and post messages."""

    DEFAULT_CSS = "LibraryModel { display: none; }"

    class Started(Message):
        """The newest articles, while the others are read."""

        def __init__(self, rows: Rows) -> None:
            super().__init__()
            self.rows = rows

    class Opened(Message):
        """The library is open (the list follows as `Listed`)."""

        def __init__(self, library, notices: list[str]) -> None:
            super().__init__()
            self.library = library
            self.notices = notices

    class Listed(Message):
        """The articles under the filters, with their rows. `keep`: the article the list keeps
        selected; `new`: how many articles another process brought (a live refresh)."""

        def __init__(self, filters: tuple, summaries: list, rows: Rows, *, languages=None, events=None,
                     revision: int | None = None, keep: str | None = None, new: int = 0, why: str = "",
                     said: tuple[str, str] | None = None) -> None:
            super().__init__()
            self.filters = filters
            self.summaries = summaries
            self.rows = rows
            self.languages = languages
            self.events = events
            self.revision = revision
            self.keep = keep
            self.new = new
            self.why = why  # "open", "events", "refresh", "filter", "sort"
            self.said = said  # (note, shown) for the status line once the list shows these
            self.positions = {s.id: i for i, s in enumerate(summaries)}  # made in the worker too

    class Failed(Message):
        """The library could not be opened (`opening`), or some work on it failed."""

        def __init__(self, message: str, *, opening: bool = False, task: str = "", severity: str = "error") -> None:
            super().__init__()
            self.message = message
            self.opening = opening
            self.task = task  # the status bar's task it ends ("events", "compare"...)
            self.severity = severity

    class Marked(Message):
        def __init__(self, ids: set[str], changes: dict[str, bool], said: bool) -> None:
            super().__init__()
            self.ids = ids
            self.changes = changes  # {"read": True} ...
            self.said = said  # the status line says what was marked (m and s do; opening doesn't)

    class MarkedShown(Message):
        """`mark_shown` is done: `ids` are the articles whose read mark it changed (after
        `Marked` for them), exactly those an undo gives back."""

        def __init__(self, ids: list[str], read: bool) -> None:
            super().__init__()
            self.ids = ids
            self.read = read

    class LanguageSet(Message):
        def __init__(self, article, detected: bool) -> None:
            super().__init__()
            self.article = article
            self.detected = detected

    class ArticleLoaded(Message):
        def __init__(self, article, note: str = "") -> None:
            super().__init__()
            self.article = article
            self.note = note  # what the status line says once it shows

    class ShowChoices(Message):
        def __init__(self, choices: list[tuple[str, str]]) -> None:
            super().__init__()
            self.choices = choices

    class Progress(Message):
        """Work going on, for the status bar: `text` empty when it is done."""

        def __init__(self, task: str, text: str) -> None:
            super().__init__()
            self.task = task
            self.text = text

    class Glossed(Message):
        def __init__(self, message: str, glossed: bool) -> None:
            super().__init__()
            self.message = message
            self.glossed = glossed

    def __init__(self, workspace, *, lang: str | None = None, sort: str = "date") -> None:
        super().__init__()
        self.workspace = workspace
        self.library = None
        self.lang = lang  # the language filter
        self.show = ALL  # "*", "unread", "starred", "feed:URL" or "tag:NAME"
        self.sort = sort
        self.summaries: list = []
        self.events: list = []  # events of two or more articles
        self.languages: dict[str, int] = {}
        self.rows = Rows()
        self.revision = 0
        self._positions: dict[str, int] = {}  # article id -> its place in `summaries`
        # (summary, place) of an article the list keeps though the show filter left it out
        # (the screen's kept article, marked read in the unread view): listings put it back.
        self.kept: tuple | None = None

    @property
    def filters(self) -> tuple:
        return self.lang, self.show, self.sort

    def summary(self, article_id: str):
        place = self._positions.get(article_id)
        return self.summaries[place] if place is not None else None

    def keep(self, article_id: str | None) -> None:
        """Listings keep this article where it is (None: keep none)."""
        place = self._positions.get(article_id) if article_id is not None else None
        self.kept = (self.summaries[place], place) if place is not None else None

    # -- reading the library (workers) ------------------------------------------------------------
    def _articles(self, library, filters: tuple, limit: int | None = None):
        lang, show, _ = filters
        return library.articles(lang=lang, unread=show == UNREAD, starred=show == STARRED,
                                feed=show[len(FEED):] if show.startswith(FEED) else None,
                                tag=show[len(TAG):] if show.startswith(TAG) else None, limit=limit)

    @work(thread=True, exclusive=True, group="library", exit_on_error=False)
    def open(self) -> None:
        """Open the library and read the list in steps: the newest articles first, a
        screenful; then every article; then the events' grouping, which may take longer."""
        from newsreader.index import NewsreaderError

        filters = self.filters
        try:
            library = self.workspace.library()
            revision = library.revision()
            first = self._articles(library, filters, limit=FIRST_ROWS)
            if len(first) == FIRST_ROWS:  # more than a screenful: show it while the rest is read
                self.post_message(self.Started(article_rows(first, (), filters[2])))
            summaries = self._articles(library, filters)
            # Unfiltered, the list holds every article: its languages are counted from it.
            languages = languages_of(summaries) if filters[:2] == (None, ALL) else library.languages()
            rows = article_rows(summaries, (), filters[2])
            notices = list(library.notices)
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc), opening=True))
            return
        except Exception as exc:  # noqa: BLE001 - never leave the screen at "Opening the library…"
            self.post_message(self.Failed(f"cannot open the library: {exc}", opening=True))
            return
        self.post_message(self.Opened(library, notices))
        self.post_message(self.Listed(filters, summaries, rows, languages=languages, revision=revision, why="open"))
        self._group_events(library)

    @work(thread=True, exclusive=True, group="events", exit_on_error=False)
    def regroup(self) -> None:
        """The events again (after glosses were made: events may have merged)."""
        self._group_events(self.library)

    def _group_events(self, library) -> None:
        from newsreader.index import NewsreaderError

        try:
            library.ensure_events()
            events = library.events(min_size=2)
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc), task="events", severity="warning"))
            return
        self._relist(library, self.filters, events=events, why="events")

    @work(thread=True, exclusive=True, group="list", exit_on_error=False)
    def relist(self, keep: str | None = None, why: str = "filter", said: tuple[str, str] | None = None) -> None:
        """The articles again under the filters as they are now; `said`: what the status line
        says of them, once they show."""
        self._relist(self.library, self.filters, keep=keep, why=why, said=said)

    def _with_kept(self, summaries: list) -> list:
        kept = self.kept
        if kept is None or any(s.id == kept[0].id for s in summaries):
            return summaries
        return summaries[:kept[1]] + [kept[0]] + summaries[kept[1]:]

    def _relist(self, library, filters: tuple, *, events=None, keep=None, why: str, said=None) -> None:
        from newsreader.index import NewsreaderError

        try:
            summaries = self._with_kept(self._articles(library, filters))
            languages = library.languages() if why == "filter" else None
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        rows = article_rows(summaries, self.events if events is None else events, filters[2])
        if not get_current_worker().is_cancelled:
            self.post_message(self.Listed(filters, summaries, rows, languages=languages, events=events,
                                          keep=keep, why=why, said=said))

    def resort(self, sort: str, keep: str | None = None, said: tuple[str, str] | None = None) -> None:
        """The same articles in another order (the rows follow in `Listed`)."""
        self.sort = sort
        self._resort(list(self.summaries), list(self.events), self.filters, keep, said)

    @work(thread=True, exclusive=True, group="list", exit_on_error=False)
    def _resort(self, summaries: list, events: list, filters: tuple, keep: str | None, said) -> None:
        rows = article_rows(summaries, events, filters[2])
        if not get_current_worker().is_cancelled:
            self.post_message(self.Listed(filters, summaries, rows, keep=keep, why="sort", said=said))

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def catch_up(self) -> None:
        """What another process (an add, a fetch) changed: the list again when the library's
        revision moved."""
        from newsreader.index import NewsreaderError

        library, filters = self.library, self.filters
        try:
            revision = library.revision()
            if revision == self.revision:
                return
            summaries = self._with_kept(self._articles(library, filters))
            languages = library.languages()
            events = library.events(min_size=2)
        except NewsreaderError:  # busy or damaged now: try again at the next tick
            return
        rows = article_rows(summaries, events, filters[2])
        self.post_message(self.Listed(filters, summaries, rows, languages=languages, events=events,
                                      revision=revision, why="refresh"))

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def load(self, article_id: str, note: str = "") -> None:
        """An article with its text, to open (`note`: for the status line then)."""
        from newsreader.index import NewsreaderError

        try:
            article = self.library.get(article_id)
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.ArticleLoaded(article, note))

    @work(thread=True, exclusive=True, group="choices", exit_on_error=False)
    def show_choices(self) -> None:
        """What the show filter offers, with counts: all, unread, starred, each feed."""
        from newsreader.index import NewsreaderError

        try:
            every = self.library.articles(lang=self.lang)
            feeds = self.library.subscriptions()
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        unread = sum(1 for s in every if not s.read)
        starred = sum(1 for s in every if s.starred)
        choices = [(ALL, f"all articles ({len(every)}, {unread} unread)"),
                   (UNREAD, f"unread ({unread})"), (STARRED, f"starred ({starred})")]
        choices += [(FEED + sub.url, f"feed {sub.name} ({sub.items}, {sub.unread} unread)") for sub in feeds]
        self.post_message(self.ShowChoices(choices))

    # -- what the reader does (workers) -----------------------------------------------------------
    @work(thread=True, group="marks", exit_on_error=False)
    def mark(self, ids: list[str], *, read: bool | None = None, starred: bool | None = None,
             said: bool = True) -> None:
        from newsreader.index import NewsreaderError

        try:
            self.library.mark(ids, read=read, starred=starred)
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        changes = {k: v for k, v in (("read", read), ("starred", starred)) if v is not None}
        self.post_message(self.Marked(set(ids), changes, said))

    @work(thread=True, group="marks", exit_on_error=False)
    def mark_shown(self, ids: list[str], read: bool) -> None:
        """Many articles read (or unread) at once: the engine says which it changed."""
        from newsreader.index import NewsreaderError

        try:
            changed = self.library.mark(ids, read=read)
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Marked(set(changed), {"read": read}, False))
        self.post_message(self.MarkedShown(changed, read))

    @work(thread=True, group="marks", exit_on_error=False)
    def set_language(self, article_id: str, lang: str | None) -> None:
        """The reader's language for an article (None: back to what detection said)."""
        from newsreader.index import NewsreaderError

        try:
            self.library.set_language([article_id], lang)
            article = self.library.get(article_id)
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.LanguageSet(article, lang is None))

    @work(thread=True, exclusive=True, group="gloss", exit_on_error=False)
    def translate_leads(self) -> None:
        """Titles and leads translated into English (index/glossing.py), with the installed models."""
        from newsreader.index import NewsreaderError

        def progress(done: int, total: int) -> None:
            self.post_message(self.Progress("gloss", f"translating titles and leads {done}/{total}"))

        glossed = False
        try:
            translator = self.workspace.translator()
            if not translator.installed():
                message = ("No translation model is installed: `newsreader models install FILE` adds one. "
                           "Grouping and search work without.")
            else:
                report = self.library.gloss(translator, progress=progress)
                message, glossed = report.summary(), bool(report.glossed)
        except NewsreaderError as exc:
            message = str(exc)
        self.post_message(self.Glossed(message, glossed))

    # -- the model's own state, from its messages (before they bubble to the screen) --------------
    @on(Opened)
    def _opened(self, message: Opened) -> None:
        self.library = message.library
        self.set_interval(REFRESH_SECONDS, self.catch_up)

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        if message.events is not None:  # the events stand, whatever the filters
            self.events = list(message.events)
        if message.filters != self.filters:  # made for filters changed since
            message.stop()
            if self.library is not None and message.why in ("open", "events"):
                self.relist()  # the filters changed while the library opened: nothing else lists them
            if message.why == "events":
                self.post_message(self.Progress("events", ""))  # grouping is done all the same
            return
        if message.why == "refresh":  # what another process brought, for the screen to say
            message.new = sum(1 for s in message.summaries if s.id not in self._positions)
        self.summaries = message.summaries
        self._positions = message.positions
        self.rows = message.rows
        if message.languages is not None:
            self.languages = message.languages
        if message.revision is not None:
            self.revision = message.revision

    @on(Marked)
    def _marked(self, message: Marked) -> None:
        for article_id in message.ids:
            self.update(article_id, **message.changes)

    @on(LanguageSet)
    def _language_set(self, message: LanguageSet) -> None:
        self.update(message.article.id, lang=message.article.lang)

    def update(self, article_id: str, **changes) -> None:
        """An article's summary changed (a mark, its language): its place in the summaries and
        its row, nothing else (the heading above it recounts its unread)."""
        place = self._positions.get(article_id)
        if place is None:
            return
        summary = self.summaries[place] = replace(self.summaries[place], **changes)
        self.rows.update(summary)

    def forget(self, article_id: str) -> None:
        """Take an article out of what the list shows (one the show filter no longer holds)."""
        place = self._positions.pop(article_id, None)
        if place is None:
            return
        del self.summaries[place]
        self._positions = {s.id: i for i, s in enumerate(self.summaries)}
        self.rows.remove(article_id)

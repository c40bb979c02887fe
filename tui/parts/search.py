"""The query in the search box, from a keystroke to the result list.

`search(query)` waits for typing to pause (a word typed letter by letter is one search, not
one per letter, each flashing its own count), then a thread worker asks the engine for the
hits (ids and scores: cheap) and makes the first page of results (summaries and snippets);
`more()` makes the next page as the list scrolls. Each answer is a message carrying the query
it answers; one for a query the box no longer holds is dropped here, before it bubbles up.
"""

from __future__ import annotations

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from ..widgets.source_list import Row, result_rows

SEARCH_DELAY = 0.2  # seconds of quiet in the search box before the query runs
SEARCH_LIMIT = 200  # hits a search keeps (ids and scores: cheap)
SEARCH_PAGE = 25  # results made at a time (summaries, snippets): a screenful and some


class SearchController(Widget):
    """Not drawn: a widget so that it can run workers and post messages."""

    DEFAULT_CSS = "SearchController { display: none; }"

    class Results(Message):
        """The first page of results for `query`; `notes`: what the query probably got wrong."""

        def __init__(self, query: str, lang: str | None, hits, rows: list[Row]) -> None:
            super().__init__()
            self.query = query
            self.lang = lang
            self.hits = hits
            self.rows = rows

        @property
        def count(self) -> int:
            return len(self.hits)

        @property
        def notes(self) -> tuple[str, ...]:
            return self.hits.notes

        @property
        def more(self) -> bool:
            return len(self.hits) > SEARCH_PAGE

    class More(Message):
        """The next page of results."""

        def __init__(self, hits, rows: list[Row], more: bool) -> None:
            super().__init__()
            self.hits = hits
            self.rows = rows
            self.more = more

    class Failed(Message):
        def __init__(self, query: str, message: str) -> None:
            super().__init__()
            self.query = query
            self.message = message

    def __init__(self) -> None:
        super().__init__()
        self.library = None  # set when the library is open
        self.text = ""  # the query
        self.lang: str | None = None
        self.hits = None  # the current query's hits (SearchHits); results made page by page
        self.rows: list[Row] = []  # the results made so far (Esc from the related list shows them again)
        self._asked = 0  # results asked for so far (made, or being made)

    @property
    def terms(self):
        return self.hits.terms if self.hits is not None else None

    def search(self, query: str, lang: str | None) -> None:
        """Look for `query` once typing pauses; an empty query ends the search."""
        self.text, self.lang = query.strip(), lang
        self.hits, self.rows = None, []
        self.workers.cancel_group(self, "search")
        if self.text:
            self._search_soon(self.text, lang)
        else:
            self.workers.cancel_group(self, "search-wait")

    def again(self, lang: str | None) -> None:
        """The same query now (the library changed, or the language filter), at once."""
        self.lang = lang
        if self.text and self.library is not None:
            self._search(self.text, lang)

    @work(exclusive=True, group="search-wait", exit_on_error=False)
    async def _search_soon(self, query: str, lang: str | None) -> None:
        import asyncio

        await asyncio.sleep(SEARCH_DELAY)  # a newer keystroke cancels this wait
        if self.library is not None:  # otherwise the search runs when the library opens (`again`)
            self._search(query, lang)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str, lang: str | None) -> None:
        from newsreader.index import NewsreaderError

        try:
            hits = self.library.find(query, lang=lang, limit=SEARCH_LIMIT)
            rows = result_rows(hits.page(0, SEARCH_PAGE))
        except NewsreaderError as exc:
            self.post_message(self.Failed(query, str(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Results(query, lang, hits, rows))

    def more(self) -> None:
        """The next page of results, if there is one."""
        hits, start = self.hits, self._asked
        if hits is not None and self.text and start < len(hits):
            self._asked = start + SEARCH_PAGE
            self._more(hits, start)

    @work(thread=True, group="search-page", exit_on_error=False)
    def _more(self, hits, start: int) -> None:
        from newsreader.index import NewsreaderError

        try:
            rows = result_rows(hits.page(start, start + SEARCH_PAGE))
        except NewsreaderError as exc:
            self.post_message(self.Failed(self.text, str(exc)))
            return
        self.post_message(self.More(hits, rows, start + SEARCH_PAGE < len(hits)))

    # -- the controller's own state, from its messages (before they bubble to the screen) ---------
    @on(Results)
    def _results(self, message: Results) -> None:
        if (message.query, message.lang) != (self.text, self.lang):
            message.stop()  # an older query's
            return
        self.hits, self.rows = message.hits, list(message.rows)
        self._asked = SEARCH_PAGE

    @on(More)
    def _more_results(self, message: More) -> None:
        if message.hits is not self.hits:
            message.stop()
            return
        self.rows += message.rows

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        if message.query != self.text:
            message.stop()
            return
        self.hits, self.rows = None, []

"""Fetching the subscribed feeds from the app: all of them (`fetch`, also on a timer every
`[feeds] refresh_minutes`) or one the reader picks from the list of subscriptions
(`subscriptions`, then `fetch([url])`), in thread workers that post their progress and what
came in.

The timer reads the time from `clock` (seconds since the epoch; `time.time` unless a test
hands in its own) and looks every CHECK_SECONDS whether the next fetch is due, so a test moves
its clock past the due time instead of waiting for it. The next fetch is due `refresh_minutes`
after the last fetch of all the feeds ended, whether the timer or a key started it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from textual import work
from textual.message import Message
from textual.widget import Widget

from .adding import glossed_note

NO_SUBSCRIPTIONS = "No subscriptions: `newsreader feeds add URL` adds one."
CHECK_SECONDS = 1.0  # how often the timer looks at the clock


class Feeds(Widget):
    """Not drawn: a widget so that it can run workers and post messages."""

    DEFAULT_CSS = "Feeds { display: none; }"

    class Progress(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Fetched(Message):
        """`message` says what came in; `changed`: the library may hold new articles; `timed`:
        the timer started it; `failed`: how many feeds could not be fetched (1 when the fetch
        as a whole failed)."""

        def __init__(self, message: str, changed: bool, *, timed: bool = False, failed: int = 0) -> None:
            super().__init__()
            self.message = message
            self.changed = changed
            self.timed = timed
            self.failed = failed

    class Subscriptions(Message):
        """The subscribed feeds, for the reader to pick one to fetch (`purpose` "fetch") or a
        tag to filter the list by ("tags")."""

        def __init__(self, feeds: list, purpose: str = "fetch") -> None:
            super().__init__()
            self.feeds = feeds
            self.purpose = purpose

    class NextFetch(Message):
        """When the timer fetches next (seconds since the epoch); None: never (no timer, or
        nothing subscribed)."""

        def __init__(self, due: float | None) -> None:
            super().__init__()
            self.due = due

    def __init__(self, settings, clock: Callable[[], float] | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.clock = clock or time.time
        self.library = None  # set when the library is open
        self.due: float | None = None  # when the timer fetches next
        self._subscribed = False  # whether there was anything to fetch, when last looked

    @property
    def interval(self) -> float:
        return self.settings.feeds.refresh_minutes * 60

    # -- the timer ----------------------------------------------------------------------------
    def start_timer(self) -> None:
        """From when the library is open: the first timed fetch is one interval away."""
        if self.interval <= 0:
            return
        self._schedule()
        self.set_interval(CHECK_SECONDS, self._tick)
        self._look()

    def _schedule(self) -> None:
        self.due = self.clock() + self.interval
        self.post_message(self.NextFetch(self.due if self._subscribed else None))

    def _tick(self) -> None:
        if self.due is None or self.clock() < self.due or self.library is None:
            return
        if any(w.is_running and w.node is self and w.group == "fetch" for w in self.app.workers):
            return  # a fetch the reader started is on; the timer starts again after it
        self.due = None
        self.fetch(timed=True)

    @work(thread=True, exclusive=True, group="look", exit_on_error=False)
    def _look(self) -> None:
        """Whether anything is subscribed: the status line says when the next fetch is only then."""
        from newsreader.index import NewsreaderError

        try:
            self._subscribed = bool(self.library.subscriptions())
        except NewsreaderError:
            return
        self.post_message(self.NextFetch(self.due if self._subscribed else None))

    # -- the workers --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="subscriptions", exit_on_error=False)
    def subscriptions(self, purpose: str = "fetch") -> None:
        from newsreader.index import NewsreaderError

        try:
            feeds = self.library.subscriptions()
        except NewsreaderError as exc:
            self.post_message(self.Fetched(str(exc), False))
            return
        self.post_message(self.Subscriptions(feeds, purpose))

    @work(thread=True, exclusive=True, group="fetch", exit_on_error=False)
    def fetch(self, only: list[str] | None = None, *, timed: bool = False) -> None:
        from newsreader.index import NewsreaderError

        def progress(outcome, done: int, total: int) -> None:
            self.post_message(self.Progress(f"fetching {done}/{total}: {outcome.name} {outcome.summary()}"))

        def glossing(done: int, total: int) -> None:
            self.post_message(self.Progress(f"translating titles and leads {done}/{total}"))

        failed: list = []
        try:
            self._subscribed = bool(self.library.subscriptions())
            if not self._subscribed:
                message, outcomes = NO_SUBSCRIPTIONS, []
            else:
                if timed:
                    self.post_message(self.Progress("fetching feeds…"))
                options = self.settings.fetch_options()
                if timed:  # a timed fetch asks each feed no more often than its <ttl>/max-age allows
                    options = replace(options, scheduled=True)
                outcomes = self.library.fetch(only, options=options, on_outcome=progress, gloss_progress=glossing)
                new = sum(len(o.added) for o in outcomes)
                failed = [o for o in outcomes if o.status == "error"]
                count = len(outcomes)
                message = f"Fetched {count} feed{'' if count == 1 else 's'}: {new} new" + (
                    f"; failed: {', '.join(o.name for o in failed)}" if failed else "") + glossed_note(outcomes.glossed)
        except NewsreaderError as exc:  # the whole fetch failed (a read-only library...): said even when timed
            message, outcomes, failed = str(exc), [], [exc]
        self.post_message(self.Fetched(message, bool(outcomes), timed=timed, failed=len(failed)))
        if only is None and self.interval > 0:
            self.app.call_from_thread(self._schedule)

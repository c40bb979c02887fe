"""Fetching the subscribed feeds from the app: all of them (`fetch`) or one the reader picks
from the list of subscriptions (`subscriptions`, then `fetch([url])`), in thread workers that
post their progress and what came in."""

from __future__ import annotations

from textual import work
from textual.message import Message
from textual.widget import Widget

NO_SUBSCRIPTIONS = "No subscriptions: `newsreader feeds add URL` adds one."


class Feeds(Widget):
    """Not drawn: a widget so that it can run workers and post messages."""

    DEFAULT_CSS = "Feeds { display: none; }"

    class Progress(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Fetched(Message):
        """`message` says what came in; `changed`: the library may hold new articles."""

        def __init__(self, message: str, changed: bool) -> None:
            super().__init__()
            self.message = message
            self.changed = changed

    class Subscriptions(Message):
        """The subscribed feeds, for the reader to pick one to fetch."""

        def __init__(self, feeds: list) -> None:
            super().__init__()
            self.feeds = feeds

    def __init__(self, settings) -> None:
        super().__init__()
        self.settings = settings
        self.library = None  # set when the library is open

    @work(thread=True, exclusive=True, group="subscriptions", exit_on_error=False)
    def subscriptions(self) -> None:
        from newsreader.index import NewsreaderError

        try:
            feeds = self.library.subscriptions()
        except NewsreaderError as exc:
            self.post_message(self.Fetched(str(exc), False))
            return
        self.post_message(self.Subscriptions(feeds))

    @work(thread=True, exclusive=True, group="fetch", exit_on_error=False)
    def fetch(self, only: list[str] | None = None) -> None:
        from newsreader.index import NewsreaderError

        def progress(outcome, done: int, total: int) -> None:
            self.post_message(self.Progress(f"fetching {done}/{total}: {outcome.name} {outcome.summary()}"))

        try:
            if not self.library.subscriptions():
                message, outcomes = NO_SUBSCRIPTIONS, []
            else:
                outcomes = self.library.fetch(only, options=self.settings.fetch_options(), on_outcome=progress)
                new = sum(len(o.added) for o in outcomes)
                failed = [o for o in outcomes if o.status == "error"]
                count = len(outcomes)
                message = f"Fetched {count} feed{'' if count == 1 else 's'}: {new} new" + (
                    f"; failed: {', '.join(o.name for o in failed)}" if failed else "")
        except NewsreaderError as exc:
            message, outcomes = str(exc), []
        self.post_message(self.Fetched(message, bool(outcomes)))

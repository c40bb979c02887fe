"""Following a story from the app: what the reader follows (with each item's new reports), `w`
following or no longer following an article's event, the new reports of one followed item, an
event's timeline (`v`), and the alerts after the app's own adds and fetches (the engine's
`Library.take_alerts`, with the `[follow] notify` hook run in the worker, never with a shell).

Every call into the engine runs in a thread worker and comes back as a message; the screen
(screens/following_keys.py) shows them.
"""

from __future__ import annotations

from textual import on, work
from textual.message import Message
from textual.widget import Widget


class Following(Widget):
    """Not drawn: a widget so that it can run workers and post messages. `model` is the
    screen's LibraryModel: its `library` is the open library (None until it is)."""

    DEFAULT_CSS = "Following { display: none; }"

    class Listed(Message):
        """What the reader follows (`Followed` items, in the order they were followed)."""

        def __init__(self, followed: list) -> None:
            super().__init__()
            self.followed = followed

    class Toggled(Message):
        """`w` followed (`now` True) or stopped following (`now` False) `followed`."""

        def __init__(self, followed, now: bool) -> None:
            super().__init__()
            self.followed = followed
            self.now = now

    class Reports(Message):
        """The new reports of one followed item (now counted seen)."""

        def __init__(self, followed, reports: list) -> None:
            super().__init__()
            self.followed = followed
            self.reports = reports

    class TimelineReady(Message):
        def __init__(self, timeline) -> None:
            super().__init__()
            self.timeline = timeline

    class Alerted(Message):
        """What the app's own add or fetch brought into followed items (`Arrival`s), and the
        notify hook's problems (one line each)."""

        def __init__(self, arrivals: list, problems: list[str]) -> None:
            super().__init__()
            self.arrivals = arrivals
            self.problems = problems

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, model, settings) -> None:
        super().__init__()
        self.model = model
        self.settings = settings
        self.followed: list = []  # the last listing

    @property
    def library(self):
        return self.model.library

    def _listing(self) -> None:
        self.post_message(self.Listed(self.library.following()))

    @work(thread=True, exclusive=True, group="following", exit_on_error=False)
    def refresh_list(self) -> None:
        from newsreader.index import NewsreaderError

        try:
            self._listing()
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))

    @work(thread=True, group="follow", exit_on_error=False)
    def toggle(self, article_id: str | None = None, target: str | None = None) -> None:
        """Follow the article's event, or stop following it when it is followed already;
        `target`: a followed item (its number) to stop following."""
        from newsreader.index import NewsreaderError

        try:
            if target is not None:
                self.post_message(self.Toggled(self.library.unfollow(target), False))
            else:
                event = self.library.event_of(article_id)
                followed = next((f for f in self.library.following()
                                 if f.kind == "event" and f.target == event.id), None)
                if followed is not None:
                    self.post_message(self.Toggled(self.library.unfollow(str(followed.id)), False))
                else:
                    self.post_message(self.Toggled(self.library.follow(event.id), True))
            self._listing()
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))

    @work(thread=True, exclusive=True, group="follow-reports", exit_on_error=False)
    def reports(self, follow_id: int) -> None:
        """The item's new reports, which count as seen from now (the list's counts follow)."""
        from newsreader.index import NewsreaderError

        try:
            followed = next((f for f in self.library.following() if f.id == follow_id), None)
            if followed is None:
                self.post_message(self.Failed("no longer followed"))
                return
            arrivals = self.library.take_new(only=follow_id)
            self.post_message(self.Reports(followed, [r for a in arrivals for r in a.reports]))
            self._listing()
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def timeline(self, article_id: str | None = None, event_id: str | None = None) -> None:
        """An event's timeline (of the article's event, or by the event's id) with its
        coverage; the reader's sources.toml gives the outlets' countries."""
        from newsreader.index import NewsreaderError, read_outlets

        from ..config import outlets_path

        try:
            if event_id is None:
                event_id = self.library.event_of(article_id).id
            outlets = read_outlets(outlets_path())
            self.post_message(self.TimelineReady(self.library.timeline(event_id, outlets)))
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))

    @work(thread=True, group="timeline-seen", exit_on_error=False)
    def looked_at(self, event_id: str) -> None:
        """The reader saw the timeline: its reports are no longer new there (reader state)."""
        from newsreader.index import NewsreaderError

        try:
            self.library.looked_at(event_id)
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))

    @work(thread=True, group="alerts", exit_on_error=False)
    def alerts(self) -> None:
        """After an add or a fetch by the app: what it brought into followed items, with the
        `[follow] notify` hook run once per item (no shell; tui/notify.py)."""
        from newsreader.index import NewsreaderError

        from .. import notify

        arrivals = self.library.take_alerts()
        if not arrivals:
            return
        problems: list[str] = []
        notify.run(self.settings.follow.notify, arrivals, problems.append)
        self.post_message(self.Alerted(arrivals, problems))
        try:
            self._listing()
        except NewsreaderError as exc:
            self.post_message(self.Failed(str(exc)))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        self.followed = list(message.followed)


def following_rows(followed: list) -> list:
    """The Following section at the top of the list: a heading, then one row per followed item
    with its new reports (nothing when nothing is followed)."""
    from ..widgets.source_list import HEAD, Row

    if not followed:
        return []
    new = sum(f.new for f in followed)
    rows = [Row("group", f"Following ({len(followed)}" + (f", {new} new)" if new else ")"), label=HEAD)]
    for f in followed:
        name = f"search: {f.target}" if f.kind == "query" else f"event: {f.label or f.target}"
        rows.append(Row("followed", name, event=f.target if f.kind == "event" else None, label=str(f.id),
                        count=f.new))
    return rows

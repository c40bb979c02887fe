"""Bringing articles in from the add dialog (screens/add.py): a file or folder added, or a web
feed's URL subscribed to, each in a thread worker that posts its progress and what it did.
What an add brings is glossed by the engine (Library.add), as the command line's add is."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.message import Message
from textual.widget import Widget

from ..widgets.text import clean

# The engine's units (Library.add), as the status bar says them (short: the count must fit at 80
# columns beside the library's figures; the file's name comes last, where a cut costs least).
_DOING = {"files": "{done}/{total} files", "articles": "reading {done}/{total}", "stored": "storing {done}/{total}",
          "glossing": "translating {done}/{total}"}


def glossed_note(glossed) -> str:
    """What glossing an add's or a fetch's articles did, to follow its message ("" if nothing)."""
    if glossed is None:
        return ""
    if glossed.error:
        return f". Their titles could not be translated: {glossed.error}"
    return f". {glossed.summary()}" if glossed.glossed else ""


class Adding(Widget):
    """Not drawn: a widget so that it can run workers and post messages."""

    DEFAULT_CSS = "Adding { display: none; }"

    class Progress(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Done(Message):
        """An add or a subscription ended: `message` says how (plain text: it names files);
        `changed`: the library may hold new articles; `problem`: something was not done."""

        def __init__(self, message: str, changed: bool, problem: bool) -> None:
            super().__init__()
            self.message = message
            self.changed = changed
            self.problem = problem

    class Subscribed(Message):
        """A feed was subscribed to: the screen fetches it."""

        def __init__(self, url: str, name: str) -> None:
            super().__init__()
            self.url = url
            self.name = name

    def __init__(self) -> None:
        super().__init__()
        self.library = None  # set when the library is open

    def start(self, choice) -> None:
        """What the add dialog chose (screens/add.Choice), or None (cancelled)."""
        if choice is None:
            return
        if choice.subscribe:
            self.post_message(self.Progress(f"subscribing to {choice.target}…"))
            self.subscribe(choice.target)
        else:
            name = Path(choice.target).name or choice.target
            self.post_message(self.Progress(f"adding {name}…"))
            self.add(choice.target, name)

    @work(thread=True, group="add", exit_on_error=False)
    def add(self, path: str, name: str) -> None:
        from newsreader.index import NewsreaderError

        def progress(done: int, total: int, unit: str) -> None:
            if unit == "files" and total < 2:
                return  # one file: its articles say more
            doing = _DOING[unit].format(done=done, total=total) if unit in _DOING else "indexing…"
            self.post_message(self.Progress(f"adding: {doing} · {name}"))

        try:
            report = self.library.add([path], progress=progress)
        except NewsreaderError as exc:
            self.post_message(self.Done(f"{name} was not added: {exc}", False, True))
            return
        except Exception as exc:  # noqa: BLE001 - never leave "adding…" up with the add gone
            self.post_message(self.Done(f"{name} was not added: {type(exc).__name__}: {exc}", True, True))
            return
        parts = [f"{len(report.added)} added"]
        parts += [f"{count} {what}" for count, what in ((len(report.updated), "updated"),
                                                        (report.unchanged, "unchanged"),
                                                        (len(report.kept_out), "kept out")) if count]
        message = f"{name}: {', '.join(parts)}"
        if report.problems:
            more = len(report.problems) - 1
            message += f"; {report.problems[0]}" + (f" (and {more} more problems)" if more else "")
        message += glossed_note(report.glossed)
        self.post_message(self.Done(clean(message), bool(report.added or report.updated or report.removed),
                                    bool(report.problems)))

    @work(thread=True, group="add", exit_on_error=False)
    def subscribe(self, url: str) -> None:
        """Subscribe to a feed's URL (the engine checks it, as `newsreader feeds add` does)."""
        from newsreader.index import NewsreaderError

        try:
            feed = self.library.subscribe(url)
        except NewsreaderError as exc:
            self.post_message(self.Done(clean(f"Not subscribed: {exc}"), False, True))
            return
        self.post_message(self.Subscribed(feed.url, clean(feed.name)))

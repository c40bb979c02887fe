"""Adding a file or folder from inside the app: a dialog asks for the path (Tab completes it
from the file system), the add runs in a worker with its progress in the status bar, and the
list shows what came in (the live refresh) while the reader goes on reading.

The main screen mixes in `AddActions`; the dialog is `AddScreen`.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from ..terminal_text import UNSAFE_IN_LINE
from ..widgets.text import clean, plain

MAX_LISTED = 5000  # entries read from one folder to complete a name (a huge folder stays quick)
# The path typed (or pasted) holds no control, newline or bidi override: the Input draws its
# value and suggestion as they are, so an escape there would reach the terminal.
_TYPEABLE = f"(?:(?!{UNSAFE_IN_LINE.pattern}).)*"


class PathSuggester(Suggester):
    """Completes the last part of a path with the first entry of its folder that starts so
    (folders end with "/"); hidden entries only when the typed part starts with a dot."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)  # the file system changes

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


def complete_path(value: str) -> str | None:
    if not value:
        return None
    folder_part, _, prefix = value.rpartition("/")
    folder = Path(os.path.expanduser(folder_part + "/" if folder_part or value.startswith("/") else "."))
    try:
        names = []
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_LISTED:
                    break
                if entry.name.startswith(prefix) and (prefix.startswith(".") or not entry.name.startswith(".")):
                    if UNSAFE_IN_LINE.search(entry.name):
                        continue  # never drawn: an escape would act, a newline break the dialog
                    names.append((entry.name, entry.is_dir()))
    except OSError:
        return None
    candidates = sorted((name for name, _ in names if name != prefix), key=str.lower)
    if not candidates:
        return None
    name = candidates[0]
    slash = "/" if dict(names)[name] else ""
    return value + name[len(prefix):] + slash


class AddScreen(ModalScreen[str | None]):
    """Asks for a file or folder to add; dismisses with the path once it checks out (something
    newsreader reads is there), or None when cancelled. A bad path gets one line naming it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="add.cancel"),
        Binding("tab", "complete", "Complete the path", show=False, priority=True, id="add.complete"),
    ]

    def compose(self):
        with Vertical(id="add-body"):
            yield Static(Text("Add a file or folder", style="bold"))
            yield Input(placeholder="a path, e.g. ~/news/ or wikinews.jsonl", suggester=PathSuggester(),
                        restrict=_TYPEABLE, id="add-path")
            yield Static("", id="add-error")
            yield Static(Text("Enter adds, Tab completes, Esc cancels. Web feeds: `newsreader feeds add URL`.",
                              style="dim"), id="add-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_complete(self) -> None:
        path = self.query_one(Input)
        path.cursor_position = len(path.value)
        path.action_cursor_right()  # at the end, this takes the suggestion

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#add-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from newsreader.index import Library

        event.stop()
        given = event.value.strip()
        if not given:
            self._error("type the path of a file or folder to add")
            return
        problem = Library.check_path(given)
        if problem is not None:
            self._error(str(problem))
            return
        self.dismiss(given)

    def _error(self, message: str) -> None:
        self.query_one("#add-error", Static).update(plain(message, style="bold"))

    def action_cancel(self) -> None:
        self.dismiss(None)


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


class AddActions:
    """Needs from MainScreen: library, status, notify, _refresh_library()."""

    def action_add_files(self) -> None:
        if self.library is None:
            return
        self.app.push_screen(AddScreen(), self._add_chosen)

    def _add_chosen(self, path: str | None) -> None:
        if path:
            name = Path(path).name or path
            self.status.set_task("add", f"adding {name}…")
            self._add(path, name)

    @work(thread=True, group="add", exit_on_error=False)
    def _add(self, path: str, name: str) -> None:
        from newsreader.index import NewsreaderError

        def progress(done: int, total: int, unit: str) -> None:
            if unit == "files" and total < 2:
                return  # one file: its articles say more
            doing = _DOING[unit].format(done=done, total=total) if unit in _DOING else "indexing…"
            text = f"adding: {doing} · {name}"
            self.app.call_from_thread(self.status.set_task, "add", text)

        try:
            report = self.library.add([path], progress=progress)
        except NewsreaderError as exc:
            self.app.call_from_thread(self._added, f"{name} was not added: {exc}", False, True)
            return
        except Exception as exc:  # noqa: BLE001 - never leave "adding…" up with the add gone
            self.app.call_from_thread(self._added, f"{name} was not added: {type(exc).__name__}: {exc}", True, True)
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
        self.app.call_from_thread(self._added, message, bool(report.added or report.updated or report.removed),
                                  bool(report.problems))

    def _added(self, message: str, changed: bool, problem: bool) -> None:
        self.status.set_task("add", "")
        # The message names files and problems: plain text, whatever their names hold.
        self.notify(clean(message), severity="warning" if problem else "information", markup=False)
        if changed:
            self._refresh_library()  # the live refresh shows what came in, the cursor kept

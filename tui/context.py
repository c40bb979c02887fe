"""What every command of the command line shares: the settings, the workspace (library and
translator, opened on first use), the two consoles, and the rules for output and errors.

Errors the engine raises on purpose (NewsreaderError) and UsageError become one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from dataclasses import dataclass, field

from rich.text import Text

from . import config
from .terminal_text import SafeConsole, json_text, safe

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or input: one line, exit status 2."""


PIPE_WIDTH = 1_000_000  # columns a pipe or file is given: lines are never wrapped or cut there


def stdout_console() -> SafeConsole:
    """The console of what commands print. A pipe or a file gets whole lines, as `list` always
    printed them (`search | grep`, `events | cut -f1`): Rich would wrap them at 80 columns."""
    console = SafeConsole(highlight=False)
    if not console.is_terminal:
        console = SafeConsole(highlight=False, width=PIPE_WIDTH, soft_wrap=True)
    return console


@dataclass
class Context:
    settings: config.Settings
    # Every printed field goes through terminal_text: no data reaches the terminal as a control.
    out: SafeConsole = field(default_factory=stdout_console)
    err: SafeConsole = field(default_factory=lambda: SafeConsole(stderr=True, highlight=False))
    _workspace: object = None

    @property
    def workspace(self):
        if self._workspace is None:
            from newsreader.index.workspace import Workspace

            def seeded(folder) -> None:
                self.err.print(Text(f"Created the library at {folder} with the bundled sample articles.",
                                    style="dim"))

            def notice(message: str) -> None:  # waiting for another process, an index rebuilt
                self.err.print(Text(f"newsreader: {message}", style="dim"), soft_wrap=True)

            self._workspace = Workspace(self.settings.places(), on_seeded=seeded, on_notice=notice,
                                        translate_leads=self.settings.events.translate_leads)
        return self._workspace

    def library(self, *, existing: bool = False):
        """The library; `existing`: for commands that only read, a library named explicitly
        (--library, NEWSREADER_LIBRARY, [library] dir) must already be there. A mistyped path is
        an error, not a new empty library; `add` creates one."""
        if existing:
            self.check_library()
        return self.workspace.library()

    def check_library(self) -> None:
        """Before opening (and before the app starts): a library named explicitly must exist
        and be a folder."""
        folder = self.settings.library_dir
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder} is a file, not a library folder; choose a folder with --library")
        if not self.settings.library_is_default and not folder.exists():
            raise UsageError(f"no library at {folder}; check the path (--library, NEWSREADER_LIBRARY or "
                             f"[library] dir), or create one there with "
                             f"`newsreader --library {shlex.quote(str(folder))} add PATH`")

    def outlets(self) -> dict:
        """The reader's sources.toml (country, owner, labels of outlets); {} when there is none.
        A file that cannot be used is one error line naming it."""
        from newsreader.index import read_outlets

        return read_outlets(config.outlets_path())

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()

    def print_json(self, data) -> None:
        # Plain write, not Rich: JSON must reach pipes byte for byte (unsafe characters as \uXXXX).
        sys.stdout.write(json_text(data) + "\n")

    def problem(self, message: str) -> None:
        # One line, whatever the message holds: a newline in a file name is shown as \x0a.
        self.err.print(Text(f"newsreader: {safe(message, newlines=False)}"), soft_wrap=True)


class ProgressBar:
    """A `(done, total)` callback for the engine's long operations, shown as a transient bar on
    stderr once there is more than `min_total` to do (never with `quiet`). No refresh thread
    (auto_refresh off, redrawn at most every REFRESH_S): an add forks worker processes, which is
    only safe, and only lets their CPU time be counted, in a single-threaded process.

    An add also says what it counts, `(done, total, unit)` (see Library.add): `labels` names
    each unit. `min_total` holds back the bar for the first count heard (an add's files: a few
    are quick) unless they turn out slow (past SLOW_S: a few large HTML pages); a later one (a
    large file's articles) shows at once; a count of unknown size (total 0) only relabels a bar
    already shown."""

    REFRESH_S = 0.1
    SLOW_S = 1.0  # a count under min_total shows anyway once the work has taken this long

    def __init__(self, console, label: str, *, min_total: int = 0, quiet: bool = False,
                 labels: dict[str, str] | None = None):
        self._console, self._label, self._min_total, self._quiet = console, label, min_total, quiet
        self._labels = labels or {}
        self._bar = self._task = None
        self._shown = 0.0
        self._unit = self._first = ()  # () until the first call: None is a count without a unit
        self._slow = False

    def __call__(self, done: int, total: int, unit: str | None = None) -> None:
        if self._quiet:
            return
        if self._first == ():
            self._first, self._started = unit, time.monotonic()
        if unit == self._first and total <= self._min_total and not self._slow:
            if self._bar is not None or time.monotonic() - self._started < self.SLOW_S:
                return  # a few files: quick, or a large one among them is showing its articles
            self._slow = True  # a few files, but slow ones: shown from now on
        if self._bar is None:
            if total <= 0:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                                 MofNCompleteColumn(), TimeRemainingColumn(), console=self._console,
                                 transient=True, auto_refresh=False)
            self._bar.start()
        if unit != self._unit or self._task is None:  # another stage: its own label and count
            self._unit = unit
            if self._task is not None:
                self._bar.remove_task(self._task)
            self._task = self._bar.add_task(self._labels.get(unit, self._label), total=total or None)
            self._shown = 0.0
        self._bar.update(self._task, completed=done, total=total or None)
        now = time.monotonic()
        if now - self._shown >= self.REFRESH_S or done == total:
            self._shown = now
            self._bar.refresh()

    def stage(self, label: str) -> None:
        """A next stage whose size is unknown (e.g. the events after the search index)."""
        if self._bar is not None:  # a new task: update(total=None) would keep the old total
            self._bar.remove_task(self._task)
            self._task = self._bar.add_task(label, total=None)
            self._unit = label
            self._bar.refresh()

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()


def say_glossed(ctx: Context, glossed, *, quiet: bool) -> None:
    """What glossing an add's or a fetch's articles did, on stderr: its summary, or why it
    stopped (what came in stays)."""
    if glossed is None:
        return
    if glossed.error:
        ctx.problem(f"the articles came in, but their titles could not be translated: {glossed.error}")
    elif glossed.glossed and not quiet:
        ctx.err.print(Text(glossed.summary(), style="dim"), soft_wrap=True)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def language_code(value: str) -> str:
    """argparse type: a language code in any form (TR, tr_TR), normalised; und is refused."""
    from newsreader.index.langcodes import LanguageCodeError, normalize

    try:
        return normalize(value, allow_und=False)
    except LanguageCodeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def positive_int(value: str) -> int:
    """argparse type: a whole number of 1 or more."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be 1 or more")
    return number

"""Other programs the app runs for the reader: the `[ui] browser` command (O) and the command
an article is piped to (|). Never through a shell: a command is a list of words (the config's
list, or what the reader typed split by shlex), so nothing in an article, a URL or a title
can become a command of its own (`$(touch x)` and `;` are just characters).

They run in a session of their own with no terminal (the app has the screen): a program that
needs one (w3m, less) fails at once instead of fighting the app for it. What a piped command
prints is read back as bytes, at most OUTPUT_LIMIT, and shown as plain text.
"""

from __future__ import annotations

import shlex
import subprocess
import threading
from dataclasses import dataclass

URL_PLACEHOLDER = "{url}"
OUTPUT_LIMIT = 256 * 1024  # bytes of a piped command's output that are shown
PIPE_TIMEOUT_S = 60.0  # a piped command still running then is stopped


class CommandError(ValueError):
    """A command that cannot be run; the message is one line for the status line."""


def browser_words(browser: list[str], url: str) -> list[str]:
    """The browser command with the URL in place of `{url}` (each word once), else added last."""
    if any(URL_PLACEHOLDER in word for word in browser):
        return [word.replace(URL_PLACEHOLDER, url) for word in browser]
    return [*browser, url]


def split(command: str) -> list[str]:
    """What the reader typed, as words (shlex: quotes group, nothing is expanded)."""
    try:
        words = shlex.split(command)
    except ValueError as exc:  # "No closing quotation"
        raise CommandError(f"cannot read the command: {str(exc).lower()}") from None
    if not words:
        raise CommandError("type a command, e.g. wc -w")
    return words


def start(words: list[str]) -> subprocess.Popen:
    """Start a program with no terminal and no shell; CommandError when it cannot start."""
    try:
        return subprocess.Popen(words, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        raise CommandError(_cannot_start(words[0], exc)) from None


@dataclass(frozen=True)
class PipeResult:
    status: int | None  # the exit status; None: stopped after PIPE_TIMEOUT_S
    output: str  # stdout and stderr, decoded (invalid UTF-8 replaced), at most OUTPUT_LIMIT bytes
    cut: bool  # there was more output than that


def pipe(words: list[str], data: str, *, timeout: float = PIPE_TIMEOUT_S) -> PipeResult:
    """Run `words` with `data` on its standard input; its output (both streams) comes back."""
    try:
        process = subprocess.Popen(words, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as exc:
        raise CommandError(_cannot_start(words[0], exc)) from None

    def feed() -> None:
        try:
            process.stdin.write(data.encode("utf-8"))
            process.stdin.close()
        except OSError:  # it ended without reading all of it (head -1): fine
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    chunks, size, cut = [], 0, False
    try:
        while chunk := process.stdout.read1(65536):
            if size + len(chunk) > OUTPUT_LIMIT:
                chunks.append(chunk[:OUTPUT_LIMIT - size])
                cut = True
                process.kill()  # the rest would not be shown: no reason to let it run on
                break
            chunks.append(chunk)
            size += len(chunk)
        status = process.wait()
    finally:
        timed_out = not timer.is_alive() and not cut
        timer.cancel()
        process.stdout.close()
    feeder.join(timeout=1)
    return PipeResult(None if timed_out else status, b"".join(chunks).decode("utf-8", "replace"), cut)


def _cannot_start(program: str, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"cannot run {program!r}: no such program"
    return f"cannot run {program!r}: {exc.strerror or exc}"

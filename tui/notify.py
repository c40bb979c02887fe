"""The `[follow] notify` hook: a command run when an add or a fetch brings reports into a
followed event or search (the engine's `Library.take_alerts`), for the command line's add and
fetch and for the app.

The command is a list (program, then arguments) run without a shell, so what an article says
can never become a command: `{title}`, `{summary}`, `{count}` and `{followed}` in an argument
are replaced by text with its control characters taken out (a newline is kept in the summary,
one report a line), in one pass, so a title holding `{summary}` stays as it is.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Sequence

TIMEOUT_S = 10  # a notifier that hangs is stopped: a fetch loop must go on
_PLACEHOLDER = re.compile(r"\{(title|summary|count|followed)\}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: str, *, newlines: bool = False) -> str:
    """Text as an argument may carry it: no control characters (nor bidi overrides); newlines
    only where asked, else spaces."""
    text = _CONTROL.sub("", text)
    return text if newlines else " ".join(text.split("\n"))


def command_for(template: Sequence[str], arrival) -> list[str]:
    """The argument list for one arrival (following.Arrival)."""
    values = {"title": plain(arrival.title()), "summary": plain(arrival.summary(), newlines=True),
              "count": str(len(arrival.reports)), "followed": plain(arrival.followed.name)}
    return [_PLACEHOLDER.sub(lambda m: values[m.group(1)], part) for part in template]


def run(template: Sequence[str], arrivals, problem: Callable[[str], None]) -> int:
    """Run the hook once per arrival; a command that cannot run, fails or hangs is one
    `problem` line, never an exception. Returns how many runs succeeded."""
    if not template:
        return 0
    done = 0
    for arrival in arrivals:
        argv = command_for(template, arrival)
        try:
            result = subprocess.run(argv, shell=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, timeout=TIMEOUT_S, check=False)
        except FileNotFoundError:
            problem(f"[follow] notify: {template[0]!r} was not found; check the program's name or give its full path")
            return done
        except PermissionError:
            problem(f"[follow] notify: {template[0]!r} cannot be run (permission denied)")
            return done
        except subprocess.TimeoutExpired:
            problem(f"[follow] notify: {template[0]!r} did not finish within {TIMEOUT_S} s; it was stopped")
            continue
        except OSError as exc:
            problem(f"[follow] notify: {template[0]!r} could not be run ({exc.strerror or exc})")
            return done
        if result.returncode != 0:
            problem(f"[follow] notify: {template[0]!r} exited with status {result.returncode}")
        else:
            done += 1
    return done

"""The real `newsreader` command in a real terminal (tmux), for the end-to-end tests: start it
in a detached session of a given size, send keys, read the screen."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
def newsreader_command() -> str:
    beside = Path(sys.executable).with_name("newsreader")
    found = str(beside) if beside.exists() else shutil.which("newsreader")
    if not found:
        pytest.skip("the newsreader command is not installed in this environment")
    return found


def capture(socket: str, session: str, escapes: bool = False) -> str:
    return subprocess.run([TMUX, "-L", socket, "capture-pane", "-p", *(["-e"] if escapes else []), "-t", session],
                          capture_output=True, text=True).stdout


def colours(screen: str) -> set[str]:
    """The SGR parameters of a captured screen that set a colour (39 and 49, back to the
    terminal's own colours, are not one)."""
    found = set()
    for params in re.findall(r"\x1b\[([0-9;:]*)m", screen):
        parts = params.replace(":", ";").split(";")
        for part in parts:
            if part in ("38", "48", "58"):  # extended colour: 38;5;n or 38;2;r;g;b
                found.add(params)
                break
            if part.isdigit() and (30 <= int(part) <= 37 or 40 <= int(part) <= 47 or 90 <= int(part) <= 97
                                   or 100 <= int(part) <= 107):
                found.add(params)
                break
    return found


def wait_screen(socket, session, predicate, timeout=30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = capture(socket, session)
        if predicate(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"timed out; the screen was:\n{screen}")


class Terminal:
    """The real `newsreader` command in a detached tmux session of a given size."""

    def __init__(self, env: dict[str, str], status: Path, width: int, height: int, args: tuple[str, ...] = (),
                 redirect: str = ""):
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        command = " ".join(shlex.quote(part) for part in (newsreader_command(), *args))
        shell = f"env {exports} {command}{redirect}; echo EXIT=$? > {shlex.quote(str(status))}; sleep 30"
        self.socket, self.session, self.status = f"nr-{uuid.uuid4().hex[:8]}", "e2e", status
        subprocess.run([TMUX, "-L", self.socket, "-f", os.devnull, "new-session", "-d", "-x", str(width),
                        "-y", str(height), "-s", self.session, shell], check=True)

    def keys(self, *keys: str) -> None:
        subprocess.run([TMUX, "-L", self.socket, "send-keys", "-t", self.session, *keys], check=True)

    def wait(self, predicate) -> str:
        return wait_screen(self.socket, self.session, predicate)

    def exit_line(self) -> str:
        deadline = time.monotonic() + 20
        # The shell creates the file before it writes to it: wait for the line itself.
        while not (self.status.exists() and self.status.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.status.read_text().strip()

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True)

"""End to end: the installed `newsreader` command in a real terminal (tmux): search, open an
article, show the translation, quit with exit status 0."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def newsreader_command() -> str:
    beside = Path(sys.executable).with_name("newsreader")
    found = str(beside) if beside.exists() else shutil.which("newsreader")
    if not found:
        pytest.skip("the newsreader command is not installed in this environment")
    return found


def capture(socket: str, session: str) -> str:
    return subprocess.run([TMUX, "-L", socket, "capture-pane", "-p", "-t", session],
                          capture_output=True, text=True).stdout


def wait_screen(socket, session, predicate, timeout=30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = capture(socket, session)
        if predicate(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"timed out; the screen was:\n{screen}")


@pytest.mark.parametrize("term", ["xterm-256color", "linux"])
def test_newsreader_in_tmux(library, packages_dir, tmp_path, term):
    command = newsreader_command()
    library.close()
    status = tmp_path / "status"
    env = {
        "NEWSREADER_LIBRARY": str(library.folder), "ARGOS_PACKAGES_DIR": str(packages_dir),
        "NEWSREADER_CACHE": str(tmp_path / "cache"), "NEWSREADER_CONFIG": str(tmp_path / "none.toml"),
        "TERM": term, "NO_COLOR": "1" if term == "linux" else "",
    }
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    shell = f"env {exports} {shlex.quote(command)}; echo EXIT=$? > {shlex.quote(str(status))}; sleep 30"
    socket, session = f"nr-{uuid.uuid4().hex[:8]}", "e2e"
    subprocess.run([TMUX, "-L", socket, "-f", os.devnull, "new-session", "-d", "-x", "100", "-y", "30",
                    "-s", session, shell], check=True)
    try:
        def keys(*k):
            subprocess.run([TMUX, "-L", socket, "send-keys", "-t", session, *k], check=True)

        wait_screen(socket, session, lambda s: "Takimi në Ashgabat" in s and "Sources" in s)
        keys("/")
        time.sleep(0.3)
        keys("-l", "Pezeşkiyan")
        # Turkish and Albanian spellings, and the Arabic بيزشكيان across scripts.
        screen = wait_screen(socket, session, lambda s: "3 results" in s)
        assert "Putin ve Pezeşkiyan" in screen
        keys("Enter")
        screen = wait_screen(socket, session, lambda s: "Putin and Pezeshkian met in Ashgabat." in s
                             and "We can help each other in many areas." in s)
        assert "Translation into en" in screen and "tr→en" in screen
        assert "Putin ve Pezeşkiyan Aşkabat'ta görüştü." in screen
        keys("t")
        wait_screen(socket, session, lambda s: "Translation into en" not in s)
        keys("t")
        wait_screen(socket, session, lambda s: "Translation into en" in s)
        keys("q")
        deadline = time.monotonic() + 20
        # The shell creates the file before it writes to it: wait for the line itself.
        while not (status.exists() and status.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status.read_text().strip() == "EXIT=0"
    finally:
        subprocess.run([TMUX, "-L", socket, "kill-server"], capture_output=True)


def test_from_a_seed_to_its_event_and_the_compare_view_in_tmux(seeded_library, tmp_path):
    """The bundled seeds: open a Turkish report, jump to its event, open the compare view."""
    command = newsreader_command()
    seeded_library.close()
    status = tmp_path / "status"
    env = {"NEWSREADER_LIBRARY": str(seeded_library.folder), "ARGOS_PACKAGES_DIR": str(tmp_path / "none"),
           "NEWSREADER_CACHE": str(tmp_path / "cache"), "NEWSREADER_CONFIG": str(tmp_path / "none.toml"),
           "TERM": "xterm-256color"}
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    shell = f"env {exports} {shlex.quote(command)}; echo EXIT=$? > {shlex.quote(str(status))}; sleep 30"
    socket, session = f"nr-{uuid.uuid4().hex[:8]}", "e2e"
    subprocess.run([TMUX, "-L", socket, "-f", os.devnull, "new-session", "-d", "-x", "80", "-y", "24",
                    "-s", session, shell], check=True)
    try:
        def keys(*k):
            subprocess.run([TMUX, "-L", socket, "send-keys", "-t", session, *k], check=True)

        # The four Ashgabat reports under one event heading; the Raisi meeting is apart.
        screen = wait_screen(socket, session, lambda s: "ar, sq, tr · 4" in s)
        assert "2023-12 (1)" in screen
        keys("/")
        time.sleep(0.3)
        keys("-l", "lang:sq")
        wait_screen(socket, session, lambda s: "1 result" in s)
        keys("Enter")
        wait_screen(socket, session, lambda s: "Presidenti rus Vladimir Putin" in s and "Translation" in s)
        keys("e")  # from the article to its event in the list
        screen = wait_screen(socket, session, lambda s: "ar, sq, tr · 4" in s and "Sources" in s)
        keys("c")  # the compare view: one report at a time at 80 columns
        screen = wait_screen(socket, session, lambda s: "report 1/4" in s)
        keys("l")
        wait_screen(socket, session, lambda s: "report 2/4" in s)
        keys("Escape")
        wait_screen(socket, session, lambda s: "Sources" in s and "report" not in s)
        keys("q")
        deadline = time.monotonic() + 20
        # The shell creates the file before it writes to it: wait for the line itself.
        while not (status.exists() and status.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status.read_text().strip() == "EXIT=0"
    finally:
        subprocess.run([TMUX, "-L", socket, "kill-server"], capture_output=True)

"""End to end in a real terminal (tmux): fetch a feed served on 127.0.0.1 from the app (with
its progress in the status line), mark an article read (by opening it) and starred, choose a
theme and a target language, quit, start again: the marks, the theme and the target language
are all still there."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from helpers.tmux import TMUX, Terminal
from local_http import Route, Server

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

ITEMS = [
    ("Harbour strike ends", "Dock workers in the northern harbour ended their strike on Monday after the port "
     "authority agreed to raise wages and hire more staff for the night shifts."),
    ("Budget passes", "The parliament passed the national budget late on Tuesday after a long debate about "
     "school funding, road repairs and the cost of the new railway line."),
    ("Liman grevi sona erdi", "Kuzeydeki limanda çalışan işçiler, liman idaresinin ücretleri artırmayı ve gece "
     "vardiyaları için daha fazla personel almayı kabul etmesinin ardından pazartesi günü grevi bitirdi."),
]


def rss() -> bytes:
    items = "".join(f"<item><guid>urn:x:{n}</guid><title>{title}</title><description>{text}</description>"
                    f"<pubDate>Mon, 0{n + 1} Oct 2024 10:00:00 GMT</pubDate></item>"
                    for n, (title, text) in enumerate(ITEMS))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title>{items}</channel></rss>'.encode()


def colours(terminal: Terminal) -> str:
    return subprocess.run([TMUX, "-L", terminal.socket, "capture-pane", "-e", "-p", "-t", terminal.session],
                          capture_output=True, text=True).stdout


@pytest.mark.slow
def test_fetch_mark_star_and_remembered_choices_survive_a_restart(tmp_path, packages_dir):
    from newsreader.index import Library

    with Server() as server:
        server.routes["/harbour.xml"] = Route(rss(), delay_s=1.5)  # slow enough to see the progress
        with Library(tmp_path / "library") as library:
            library.subscribe(server.url("/harbour.xml"), name="harbour")
        env = {"NEWSREADER_LIBRARY": str(tmp_path / "library"), "NEWSREADER_STATE": str(tmp_path / "state.json"),
               "ARGOS_PACKAGES_DIR": str(packages_dir), "NEWSREADER_CACHE": str(tmp_path / "cache"),
               "NEWSREADER_CONFIG": str(tmp_path / "none.toml"), "TERM": "xterm-256color"}
        terminal = Terminal(env, tmp_path / "status1", 100, 30)
        try:
            terminal.wait(lambda s: "No articles" in s)
            dark = colours(terminal)
            terminal.keys("f")  # fetch from the app: the list stays usable meanwhile
            terminal.wait(lambda s: "fetching" in s)
            terminal.wait(lambda s: "Liman grevi sona erdi" in s and "Budget passes" in s)
            # the theme (Ctrl+T): the list opens on the current one, textual-dark; textual-light is next
            terminal.keys("C-t")
            terminal.wait(lambda s: "textual-dark" in s)
            terminal.keys("Down")
            terminal.keys("Enter")
            terminal.wait(lambda s: "Theme" not in s)
            time.sleep(0.5)
            light = colours(terminal)
            assert light != dark
            # open "Budget passes" (marks it read), then translate it into German (T: the targets
            # the installed models reach from English: de, and en itself)
            # the list, newest first: Liman grevi (3 Oct), Budget passes (2 Oct), Harbour strike (1 Oct)
            terminal.keys("Down")
            terminal.wait(lambda s: "2/3" in s)
            terminal.keys("Enter")
            terminal.wait(lambda s: "national budget" in s)
            time.sleep(0.5)  # the article pane takes the focus after the frame
            terminal.keys("T")
            terminal.wait(lambda s: "Translate into" in s and "German" in s)
            terminal.keys("Up")
            terminal.keys("Enter")
            terminal.wait(lambda s: "translation → de" in s)
            terminal.keys("s")
            terminal.wait(lambda s: "marked starred" in s)
            # Q quits from the article; no Escape first: a lone ESC byte waits in the app's key
            # parser for what follows, and a q arriving meanwhile under load is read as Alt+Q.
            terminal.keys("Q")
            assert terminal.exit_line() == "EXIT=0", terminal.wait(lambda s: True)
        finally:
            terminal.close()

        state = json.loads((tmp_path / "state.json").read_text())
        assert state["theme"] == "textual-light" and state["target"] == "de"
        terminal = Terminal(env, tmp_path / "status2", 100, 30)
        try:
            screen = terminal.wait(lambda s: "Budget passes" in s)
            assert "★ Budget passes" in screen and "translation → de" in screen
            assert colours(terminal).count("\x1b[") and _background(colours(terminal)) == _background(light)
            terminal.keys("u")  # the show filter counts what is unread and starred
            screen = terminal.wait(lambda s: "unread (2)" in s and "starred (1)" in s)
            assert "feed harbour (3, 2 unread)" in screen
            terminal.keys("Down", "Down")  # starred
            terminal.keys("Enter")
            screen = terminal.wait(lambda s: "showing starred" in s)
            assert "Budget passes" in screen and "Harbour strike ends" not in screen
            terminal.keys("q")
            assert terminal.exit_line() == "EXIT=0"
        finally:
            terminal.close()
    with Library(tmp_path / "library") as library:
        marks = {s.title: (s.read, s.starred) for s in library.articles()}
    assert marks == {"Harbour strike ends": (False, False), "Budget passes": (True, True),
                     "Liman grevi sona erdi": (False, False)}


def _background(screen: str) -> str:
    """The most common background colour sequence on the screen."""
    import re
    from collections import Counter

    found = Counter(re.findall(r"48;2;\d+;\d+;\d+", screen))
    return found.most_common(1)[0][0] if found else ""

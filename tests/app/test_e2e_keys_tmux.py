"""End to end, the installed `newsreader` command in tmux at 80x24 with NO_COLOR: q goes back
from an article to the list (and quits from there), J/K open the next and previous article
without going back, A marks every shown article read and u undoes exactly that (issue 21)."""

from __future__ import annotations

import pytest

from helpers.tmux import TMUX, Terminal

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def environment(library, packages_dir, tmp_path) -> dict[str, str]:
    return {"NEWSREADER_LIBRARY": str(library.folder), "ARGOS_PACKAGES_DIR": str(packages_dir),
            "NEWSREADER_CACHE": str(tmp_path / "cache"), "NEWSREADER_CONFIG": str(tmp_path / "none.toml"),
            "NEWSREADER_STATE": str(tmp_path / "state.json"), "TERM": "xterm-256color", "NO_COLOR": "1"}


def open_second(terminal) -> None:
    """The second article of the list (the Albanian report); at 80 columns it takes the screen."""
    terminal.wait(lambda s: "ar, sq, tr · 3" in s and "1/5" in s)  # the events are grouped: the list stays
    terminal.keys("Down")
    terminal.wait(lambda s: "2/5" in s)
    terminal.keys("Enter")


def test_q_goes_back_to_the_list_then_quits(library, packages_dir, tmp_path):
    library.close()
    terminal = Terminal(environment(library, packages_dir, tmp_path), tmp_path / "status", 80, 24)
    try:
        open_second(terminal)
        terminal.wait(lambda s: "═ Article" in s and "Sources" not in s)
        terminal.keys("q")
        screen = terminal.wait(lambda s: "Sources" in s and "═ Article" not in s)
        assert "An English report about Moscow" in screen  # the list, not the article
        assert not terminal.status.exists() or not terminal.status.read_text().strip()  # still running
        terminal.keys("q")
        assert terminal.exit_line() == "EXIT=0"
    finally:
        terminal.close()


def test_J_and_K_move_between_articles_from_the_reader(library, packages_dir, tmp_path):
    library.close()
    terminal = Terminal(environment(library, packages_dir, tmp_path), tmp_path / "status", 80, 24)
    try:
        open_second(terminal)
        terminal.wait(lambda s: "═ Article" in s and "Takimi në Ashgabat" in s)
        terminal.keys("J")  # the next article in the list: the Turkish report
        screen = terminal.wait(lambda s: "Putin ve Pezeşkiyan Aşkabat'ta" in s and "Takimi" not in s)
        assert "Sources" not in screen  # the article is still what the screen shows
        terminal.keys("J")
        terminal.wait(lambda s: "An English report about Moscow" in s and "Aşkabat'ta" not in s)
        terminal.keys("K")
        screen = terminal.wait(lambda s: "Putin ve Pezeşkiyan Aşkabat'ta" in s and "Moscow" not in s)
        assert "Sources" not in screen
        terminal.keys("Q")
        assert terminal.exit_line() == "EXIT=0"
    finally:
        terminal.close()


def test_A_marks_all_shown_read_and_u_undoes_exactly_that(library, packages_dir, tmp_path):
    from newsreader.index import Library

    library.mark(["sq_meeting"], read=True)  # read before: the undo must leave it read
    library.close()
    terminal = Terminal(environment(library, packages_dir, tmp_path), tmp_path / "status", 80, 24)
    try:
        terminal.wait(lambda s: "ar, sq, tr · 3" in s and "1/5" in s)
        terminal.keys("A")
        terminal.wait(lambda s: "Marked 4 read — u to undo" in s)
        terminal.keys("u")
        terminal.wait(lambda s: "4 marked unread again" in s)
        terminal.keys("u")  # the notice is gone: u is the show filter again
        terminal.wait(lambda s: "unread (4)" in s)
        terminal.keys("Escape")
        terminal.wait(lambda s: "unread (4)" not in s and "Sources" in s)
        terminal.keys("Q")
        assert terminal.exit_line() == "EXIT=0"
    finally:
        terminal.close()
    with Library(library.folder) as reopened:
        assert {s.id for s in reopened.articles() if s.read} == {"sq_meeting"}

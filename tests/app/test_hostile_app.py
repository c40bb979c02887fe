"""The hostile corpus (tools/hostile_inputs.py) in the app: every article opens without an
exception and no control character reaches the screen; in a real terminal (tmux), article
data holding OSC/CSI sequences changes neither the title nor the clipboard."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time

import pytest

import hostile_inputs
from helpers.pilot import settle
from helpers.tmux import TMUX, Terminal


def _unsafe(text: str) -> bool:
    return any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or 0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069
               for ch in text)


@pytest.mark.slow
async def test_every_hostile_article_opens_and_shows_no_control(tmp_path, translator_factory):
    from newsreader.index import Library
    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.config import Settings, UiSection

    corpus = hostile_inputs.generate(tmp_path / "hostile", big=False)
    library = Library(tmp_path / "library", workers=1)
    try:
        report = library.add([corpus.folder])
        assert len(library.articles()) >= 20, report.problems
        settings = Settings(ui=UiSection(rtl="visual")).with_library(library.folder)
        app = NewsreaderApp(settings, library=library, translator_factory=translator_factory, environ={})
        opened = set()
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            articles = [i for i, row in enumerate(app.sources.rows) if row.kind == "article"]
            assert articles
            for index in articles:
                row = app.sources.rows[index]
                app.sources.cursor = index
                app.sources.focus()
                await pilot.press("enter")
                await settle(pilot)
                shown = app.reader.article_view.article
                assert shown is not None and shown.id == row.summary.id
                opened.add(row.summary.id)
                for widget in (app.reader.article_view, app.sources):
                    for y in range(widget.size.height):
                        for segment in widget.render_line(y):
                            assert not _unsafe(segment.text), (row.summary.id, segment)
                await pilot.press("escape")
                await settle(pilot)
        assert opened == {s.id for s in library.articles()}
    finally:
        library.close()


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_escape_sequences_stored_in_a_library_never_reach_the_terminal(library, tmp_path):
    """Older libraries hold what older versions stored: put the sequences straight into the
    catalog, past the ingest cleaning, and open the article in a real terminal."""
    library.close()
    title = "Hostile \x1b]2;PWNED-TITLE\x07 title \x1b]52;c;UFdORUQtQ0xJUA==\x07 [bold red]x[/]"
    paragraphs = ["Body \x1b[2J\x1b[H cleared? \x1bP1$qm\x1b\\ \x9b31m \x1b]0;PWNED-AGAIN\x1b\\ end."]
    with sqlite3.connect(library.folder / "catalog.sqlite") as db:
        (path,) = db.execute("SELECT path FROM articles WHERE id = 'evil'").fetchone()
        db.execute("UPDATE articles SET title = ?, source = ?, paragraphs = ? WHERE id = 'evil'",
                   (title, "src\x1b]2;PWNED-SOURCE\x07", json.dumps(paragraphs)))
    env = {"NEWSREADER_LIBRARY": str(library.folder), "ARGOS_PACKAGES_DIR": str(tmp_path / "none"),
           "NEWSREADER_CACHE": str(tmp_path / "cache"), "NEWSREADER_CONFIG": str(tmp_path / "none.toml"),
           "TERM": "xterm-256color"}
    terminal = Terminal(env, tmp_path / "status", 100, 30)

    def tmux(*args: str) -> str:
        return subprocess.run([TMUX, "-L", terminal.socket, *args], capture_output=True, text=True).stdout

    try:
        tmux("set-option", "-g", "set-clipboard", "on")
        tmux("select-pane", "-t", terminal.session, "-T", "clean-title")
        screen = terminal.wait(lambda s: "Sources" in s and "Hostile" in s)
        terminal.keys("/")
        time.sleep(0.3)
        terminal.keys("-l", "Evil")
        terminal.wait(lambda s: "1 result" in s)
        terminal.keys("Enter")
        screen = terminal.wait(lambda s: "cleared?" in s and "end." in s)
        assert "[bold red]x[/]" in screen  # markup in data shows literally
        raw = tmux("capture-pane", "-e", "-p", "-t", terminal.session)
        assert "PWNED" not in raw and "\x1b]" not in raw and "\x1bP" not in raw and "\x9b" not in raw
        assert tmux("display-message", "-p", "-t", terminal.session, "#{pane_title}").strip() == "clean-title"
        assert tmux("list-buffers").strip() == ""  # no OSC 52 clipboard write
        terminal.keys("Q")  # from the article: q would go back to the list
        assert terminal.exit_line() == "EXIT=0"
    finally:
        terminal.close()
    assert path


async def test_a_hostile_url_is_shown_as_data_and_linked_only_safely(library, translator_factory):
    """Issue 10: the article's URL becomes an OSC 8 hyperlink, i.e. it goes inside an escape
    sequence. Stored past the ingest cleaning (as an older library may hold it): an OSC that
    would end the link early and start another, a BEL, markup, a right-to-left override."""
    import re

    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.config import Settings, UiSection

    from helpers.screen import screen_ansi, screen_text

    url = ("https://evil.example/a\x1b]8;;https://attacker.example/\x1b\\b\x07"
           "[link=https://attacker.example/]c[/link]\u202ed")
    library.close()
    with sqlite3.connect(library.folder / "catalog.sqlite") as db:
        db.execute("UPDATE articles SET url = ? WHERE id = 'evil'", (url,))
    from newsreader.index import Library

    reopened = Library(library.folder, workers=1)
    settings = Settings(ui=UiSection(rtl="visual")).with_library(library.folder)
    app = NewsreaderApp(settings, library=reopened, translator_factory=translator_factory, environ={})
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.sources.cursor = next(i for i, r in enumerate(app.sources.rows) if r.kind == "article" and r.summary.id == "evil")
        app.sources.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "https://evil.example/ab[link=https://attacker.example/]c[/link]d" in screen_text(app)  # literal
        ansi = screen_ansi(app)
        links = re.findall(r"\x1b\]8;([^\x1b\x07]*)\x1b\\", ansi)
        opened = [link for link in links if link != ";"]  # `;` is a link's close
        assert opened and all(link.split(";", 1)[1] == "https://evil.example/ab[link=https://attacker.example/]c[/link]d"
                              for link in opened)
        # Every OSC in the frame is one of those hyperlinks (an open or its close); nothing else.
        assert ansi.count("\x1b]") == len(links) and "\x07" not in ansi and "\u202e" not in ansi
    reopened.close()

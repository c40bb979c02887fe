"""Start-up at library scale (issue 11): the list shows the newest articles before the whole
library is read, answers keys meanwhile, and the events' grouping comes after the list.
The library's slow steps are held back by the test (an Event), so each in-between state is
seen for sure: behaviour, never timing. Importing the app loads no translation engine."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from newsreader.tui.app import NewsreaderApp
from newsreader.tui.config import Settings, UiSection
from newsreader.tui.parts.library_model import FIRST_ROWS

from helpers.pilot import ids, settle, wait_for
from helpers.screen import screen_text

ARTICLES = FIRST_ROWS + 50


def _hold(library, name: str, release: threading.Event, when=lambda kwargs: True) -> None:
    """Make `library.<name>(...)` wait for `release` (when `when(kwargs)` holds)."""
    real = getattr(library, name)

    def held(*args, **kwargs):
        if when(kwargs):
            release.wait(30)
        return real(*args, **kwargs)

    setattr(library, name, held)


async def test_the_newest_articles_show_and_move_before_the_whole_list_is_read(tmp_path, translator_factory):
    from newsreader.index import Library

    rows = [{"id": f"a{i:03d}", "lang": "en", "title": f"Report number {i}", "text": f"Text of report {i}.",
             "date": f"{2000 + i // 12}-{1 + i % 12:02d}-01"} for i in range(ARTICLES)]
    (tmp_path / "many.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    library = Library(tmp_path / "library", workers=1)
    library.add([tmp_path / "many.jsonl"])
    newest = [f"a{i:03d}" for i in reversed(range(ARTICLES))]
    release = threading.Event()
    _hold(library, "articles", release, when=lambda kwargs: kwargs.get("limit") is None)  # the whole list waits
    settings = Settings(ui=UiSection(rtl="visual")).with_library(library.folder)
    app = NewsreaderApp(settings, library=library, translator_factory=translator_factory, environ={})
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            try:
                await wait_for(pilot, lambda: bool(ids(app)))
                assert ids(app) == newest[:FIRST_ROWS]  # the newest first, grouped by month as always
                assert app.main.status.articles == 0 and "reading the list" in screen_text(app)
                await pilot.press("down", "down")  # the list answers while the rest is read
                assert app.sources.selected.id == newest[2]
                assert "Report number" in screen_text(app)
            finally:
                release.set()
            await settle(pilot)
            assert ids(app) == newest  # then every article
            assert app.main.status.articles == ARTICLES and "reading the list" not in screen_text(app)
            assert app.sources.selected.id == newest[2]  # the reader's place kept
    finally:
        library.close()


async def test_the_list_shows_before_the_events_are_grouped(make_app, library):
    release = threading.Event()
    _hold(library, "events", release)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        try:
            await wait_for(pilot, lambda: app.main.status.articles == 5)
            # Every article is listed, by month; no event heading yet, and the status says why.
            assert sorted(ids(app)) == ["ar_meeting", "en_report", "evil", "sq_meeting", "tr_meeting"]
            assert not any(row.event for row in app.sources.rows if row.kind == "group")
            assert "grouping events" in screen_text(app)
            await pilot.press("j")  # and can be moved in
            assert app.sources.selected.id == ids(app)[1]
        finally:
            release.set()
        await settle(pilot)
        assert ids(app) == ["ar_meeting", "sq_meeting", "tr_meeting", "en_report", "evil"]  # the event first
        assert app.sources.rows[0].event
        assert "grouping events" not in screen_text(app)
        # Counted from the list (no filter): what the library counts, in its order.
        assert app.main.languages == library.languages()


async def test_what_drawing_the_whole_list_needs_is_made_off_the_ui_thread(tmp_path, translator_factory,
                                                                           monkeypatch):
    # Titles and sources in sorted order (so rows sharing a long beginning show where they
    # differ) are made with the rows in the library worker: the UI thread never goes
    # through every article to draw a screenful.
    from newsreader.index import Library
    from newsreader.tui.widgets import source_list

    rows = [{"id": f"a{i:03d}", "lang": "en", "title": f"Report number {i}", "text": f"Text of report {i}.",
             "date": f"{2000 + i // 12}-{1 + i % 12:02d}-01"} for i in range(ARTICLES)]
    (tmp_path / "many.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    library = Library(tmp_path / "library", workers=1)
    library.add([tmp_path / "many.jsonl"])
    made_on: list[tuple[int, bool]] = []  # (titles, on the UI thread?)
    real = source_list.Neighbours.__init__

    def recorded(self, texts):
        real(self, texts)
        made_on.append((len(self.order), threading.current_thread() is threading.main_thread()))

    monkeypatch.setattr(source_list.Neighbours, "__init__", recorded)
    settings = Settings(ui=UiSection(rtl="visual")).with_library(library.folder)
    app = NewsreaderApp(settings, library=library, translator_factory=translator_factory, environ={})
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert len(ids(app)) == ARTICLES and "Report number" in screen_text(app)
            assert any(count == ARTICLES for count, _ in made_on)
            assert not [count for count, on_ui in made_on if on_ui and count > 0], made_on
    finally:
        library.close()


def test_importing_the_app_does_not_load_translation_engines():
    code = ("import sys, newsreader.tui.app; "
            "print(sorted(m for m in ('ctranslate2', 'argostranslate', 'sentencepiece', 'torch', 'whoosh') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

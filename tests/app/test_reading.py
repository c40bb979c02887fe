"""Read and starred marks, the show filter, the sort order and remembered choices in the app
(Textual's pilot, on the fixed app library)."""

from __future__ import annotations

import json

from newsreader.tui import remembered

from helpers.pilot import ids, select, settle, summary
from helpers.screen import screen_text


async def test_opening_marks_read_and_keys_toggle_read_and_star(make_app, library):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await select(pilot, "sq_meeting")
        await pilot.press("enter")
        await settle(pilot)
        assert library.marks("sq_meeting").read and summary(app, "sq_meeting").read
        heading = next(row.text for row in app.sources.rows if row.kind == "group")
        assert heading.endswith("· 3 · 2 unread")
        await pilot.press("s")  # the article being read
        await settle(pilot)
        assert library.marks("sq_meeting").starred and "★ Takimi në Ashgabat" in screen_text(app)
        await select(pilot, "en_report")
        await pilot.press("m", "s")
        await settle(pilot)
        assert (library.marks("en_report").read, library.marks("en_report").starred) == (True, True)
        await pilot.press("m")
        await settle(pilot)
        assert not library.marks("en_report").read
        assert app.sources.selected.id == "en_report"  # the cursor stayed


async def test_opening_leaves_unread_when_configured(library, translator_factory):
    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.config import FeedsSection, Settings

    settings = Settings(feeds=FeedsSection(mark_read_on_open=False)).with_library(library.folder)
    app = NewsreaderApp(settings, library=library, translator_factory=translator_factory, environ={})
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await select(pilot, "en_report")
        await pilot.press("enter")
        await settle(pilot)
        assert not library.marks("en_report").read


async def test_show_filter_and_sort(make_app, library):
    library.mark(["en_report", "evil"], read=True)
    library.mark(["evil"], starred=True)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert "unread (3)" in screen_text(app) and "starred (1)" in screen_text(app)
        await pilot.press("down", "enter")  # unread
        await settle(pilot)
        assert sorted(ids(app)) == ["ar_meeting", "sq_meeting", "tr_meeting"]
        await pilot.press("u")
        await settle(pilot)  # the choices are counted in a worker
        await pilot.press("down", "enter")  # from unread to starred
        await settle(pilot)
        assert ids(app) == ["evil"] and "showing starred" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("home", "enter")  # all
        await settle(pilot)
        assert len(ids(app)) == 5
        await pilot.press("o")  # by source
        await settle(pilot)
        groups = [row.text for row in app.sources.rows if row.kind == "group"][1:]
        assert groups == ["files (2, 0 unread)"]
        await pilot.press("o")  # by language
        assert [row.text for row in app.sources.rows if row.kind == "group"][1:] == ["en (2, 0 unread)"]
        await pilot.press("o")  # back to dates
        assert [row.text for row in app.sources.rows if row.kind == "group"][1:] == ["2023-12 (1)", "2023-01 (1)"]
    assert remembered.load()[0].sort == "date"


async def test_choices_are_remembered_and_restored(make_app, library, tmp_path, monkeypatch):
    state = tmp_path / "state.json"
    monkeypatch.setenv("NEWSREADER_STATE", str(state))
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("t", "o")  # hide the translation, sort by source
        app.theme = "textual-light"
        app.main.lang_filter = "tr"
        app.main.target = "de"
        await settle(pilot)
    assert json.loads(state.read_text()) == {"theme": "textual-light", "target": "de", "show_translation": False,
                                             "language_filter": "tr", "sort": "source"}
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert (app.theme, app.main.target, app.main.show_translation) == ("textual-light", "de", False)
        assert (app.main.lang_filter, app.main.sort) == ("tr", "source")
        assert ids(app) == ["tr_meeting"]


async def test_a_paragraph_arriving_for_a_hidden_pane_waits_for_its_width(make_app):
    """Esc back to the list (narrow layout) while the translation still comes in: the pane has
    no width then, and a paragraph set on it must not be wrapped to width 0 (it crashed)."""
    from rich.text import Text

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select(pilot, "tr_meeting")
        await pilot.press("enter")
        await settle(pilot)
        view = app.reader.translation_view
        assert view._width() > 0
        await pilot.press("escape")
        await settle(pilot)
        assert view._width() == 0
        view.set_block(0, Text("A paragraph that arrives late."))  # raised ValueError before
        await pilot.press("tab")  # back to the article: the pane has its width again
        await settle(pilot)
        assert view._width() > 0
        assert "A paragraph that arrives late." in "\n".join(s.text for s in view._lines)


async def test_the_reader_sets_an_und_articles_language_with_a_key_and_a_picker(make_app, library, tmp_path):
    """Issue 12, item 14: the translation pane names the key (never a command-line flag); the key
    opens a language picker; the choice is the reader's state and the translation follows it."""
    from helpers.models import SQ
    path = tmp_path / "unknown.txt"
    path.write_text("Lajm pa gjuhë\n\n" + "\n\n".join(p["source"] for p in SQ[:2]), encoding="utf-8")
    (article_id,) = library.add([path], lang="und").added
    app = make_app(keys={"set_language": "ctrl+l"})  # remapped: the message follows the keymap
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await select(pilot, article_id)
        await pilot.press("enter")
        await settle(pilot)
        note = app.reader.translation_view.text()
        assert "Press Ctrl+L to set its language" in note and "--from" not in note and "(und)" in note
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "Language of this article (now und)" in screen_text(app)
        options = app.screen.query_one("#language-options")
        values = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert values[0] == "auto" and {"en", "sq", "tr", "ar"} <= set(values) and "und" not in values
        options.highlighted = values.index("sq")
        await pilot.press("enter")
        await settle(pilot)
        assert library.marks(article_id).lang == "sq" and library.get(article_id).lang == "sq"
        assert summary(app, article_id).lang == "sq"
        assert app.reader.translation_view.translations == [p["target"] for p in SQ[:2]]
        assert "language sq (set by you)" in screen_text(app)
        # back to what detection said ("und", forced at add): the pane says how again
        await pilot.press("ctrl+l")
        await pilot.pause()
        app.screen.query_one("#language-options").highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert library.marks(article_id).lang is None and library.get(article_id).lang == "und"
        assert "Press Ctrl+L to set its language" in app.reader.translation_view.text()


async def test_the_apps_fetch_follows_fetch_pages_in_the_config(library, translator_factory):
    """Issue 10: `[feeds] fetch_pages = true` applies to the app's fetch (f) as to the command's."""
    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.config import FeedsSection, Settings

    from local_http import Route, Server

    text = ["The harbour strike ended on Monday after the port authority agreed to raise the wages of "
            "every dock worker and to hire more staff for the night shifts.",
            "The union said the agreement covers every terminal of the port and runs for three years."]
    with Server() as server:
        server.routes["/strike.html"] = Route(
            ("<!doctype html><html lang='en'><body><article><h1>Strike ends</h1>"
             + "".join(f"<p>{p}</p>" for p in text) + "</article></body></html>").encode(),
            headers={"Content-Type": "text/html"})
        server.routes["/wire.xml"] = Route(
            (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><guid>urn:1</guid>'
             f"<title>Strike ends</title><link>{server.url('/strike.html')}</link>"
             "<description>The strike ended.</description></item></channel></rss>").encode())
        library.subscribe(server.url("/wire.xml"), name="wire")
        settings = Settings(feeds=FeedsSection(fetch_pages=True, timeout_s=5)).with_library(library.folder)
        app = NewsreaderApp(settings, library=library, translator_factory=translator_factory, environ={})
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await pilot.press("f")
            await settle(pilot)
            (article,) = library.articles(feed="wire")
            assert list(library.get(article.id).paragraphs) == text
            assert len(server.hits("/strike.html")) == 1


async def test_the_compare_view_says_where_the_language_key_works(make_app, library, tmp_path):
    """L is bound where articles are opened, not in the compare view: there the und message
    says to press it in the article view (it said "Press L", which did nothing there)."""
    from newsreader.tui.screens.compare import CompareScreen
    from newsreader.tui.widgets.reader import Reader

    from helpers.models import SQ
    path = tmp_path / "unknown.txt"
    path.write_text("Lajm pa gjuhë\n\n" + "\n\n".join(p["source"] for p in SQ[:2]), encoding="utf-8")
    (article_id,) = library.add([path], lang="und").added
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = CompareScreen([library.get(article_id)], {}, title="und", target="en",
                               show_translation=True, rtl_mode="auto")
        await app.push_screen(screen)
        await settle(pilot)
        note = screen.query_one(Reader).translation_view.text()
        assert "Press L on it in the article view to set its language" in note
        await pilot.press("L")  # not bound here: nothing changes
        await pilot.pause()
        assert app.screen is screen and library.get(article_id).lang == "und"


async def test_a_long_language_picker_keeps_its_keys_on_screen_at_80x24(make_app):
    """The set-language picker lists ~25 languages; at 80x24 its "Enter chooses" line was pushed
    below the dialog's edge. It is in the dialog's border now, always shown."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select(pilot, "sq_meeting")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("L")
        await pilot.pause()
        assert "Enter chooses · Esc cancels" in screen_text(app)


async def test_F_fetches_only_the_feed_chosen_in_a_picker(library, translator_factory):
    """Issue 10: fetch all feeds (f) or one (F: a picker of the subscriptions)."""
    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.config import FeedsSection, Settings

    from local_http import Route, Server

    def feed(name: str) -> bytes:
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title><language>en</language>'
                f"<item><guid>urn:{name}</guid><title>News from the {name} desk</title>"
                f"<description>The {name} desk reports that the harbour strike ended on Monday after "
                f"talks.</description></item></channel></rss>").encode()

    with Server() as server:
        for name in ("alpha", "beta"):
            server.routes[f"/{name}.xml"] = Route(feed(name))
            library.subscribe(server.url(f"/{name}.xml"), name=name)
        settings = Settings(feeds=FeedsSection(timeout_s=5)).with_library(library.folder)
        app = NewsreaderApp(settings, library=library, translator_factory=translator_factory, environ={})
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("F")
            await pilot.pause()
            assert "Fetch one feed" in screen_text(app) and "beta  (0 unread)" in screen_text(app)
            options = app.screen.query_one("#language-options")
            values = [options.get_option_at_index(i).id for i in range(options.option_count)]
            options.highlighted = values.index(server.url("/beta.xml"))
            await pilot.press("enter")
            await settle(pilot)
            assert len(server.hits("/beta.xml")) == 1 and not server.hits("/alpha.xml")
            assert [a.title for a in library.articles(feed="beta")] == ["News from the beta desk"]
            assert not library.articles(feed="alpha")

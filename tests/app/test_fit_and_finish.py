"""Issue 22, what a new user tripped over in the app (Textual's pilot on the fixed app library):
marks in a filtered view, what the status line says, right-to-left headings, notes that must be
read whole, Esc from related coverage, and the list's width before an article is open."""

from __future__ import annotations

from test_reading import ids, select

from helpers.pilot import settle
from helpers.screen import screen_text

SHAPED = range(0xFE70, 0xFF00)  # Arabic presentation forms: what the visual order draws


def one_line(app) -> str:
    """The screen's text with its lines joined: a note wrapped onto two lines reads whole."""
    return " ".join(line.strip(" │║") for line in screen_text(app).splitlines())


# -- item 5: headings are shaped and in display order, like the rows ---------------------------

async def test_related_heading_of_an_arabic_article_is_shaped_and_reordered(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await select(pilot, "ar_meeting")
        await pilot.press("r")
        await settle(pilot)
        assert app.sources.rows[0].text == "Related to (3): لقاء في عشق آباد"
        drawn = "".join(segment.text for segment in app.sources.render_line(0))
        assert drawn.startswith("── Related to (3): ")  # left to right: the heading's own words lead
        assert any(ord(ch) in SHAPED for ch in drawn) and "لقاء" not in drawn


# -- item 9: notes wrap or make room, never lose their end ---------------------------------------

async def test_a_query_hint_is_read_whole_at_80_columns(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *'"Putin')
        await settle(pilot)
        assert '4 results · a phrase is not closed: add the closing "' in one_line(app)


async def test_the_status_note_is_read_whole_at_80_columns(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "related coverage · Esc: back to the list" in screen_text(app)
        app.main.status.note = "a note far longer than the status line, which must wrap onto a second line " \
                               "and still end where it ends"
        await pilot.pause()
        assert "must wrap onto a second line and still end where it ends" in one_line(app)


# -- item 12: the list has the width until an article is open ------------------------------------

async def test_the_list_has_the_width_until_an_article_opens(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.sources.region.width == 160 and not app.reader.region.width
        assert "No article open" not in screen_text(app)
        await pilot.press("tab")  # no reading pane to go to
        assert app.focused is app.sources
        await pilot.press("enter")
        await settle(pilot)
        assert 60 <= app.sources.region.width <= 70 and app.reader.region.width > 90


# -- item 4: what the status line says follows what the keys did ---------------------------------

async def test_t_in_the_list_shows_in_the_status_line(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "5 articles · all languages · translation → en" in screen_text(app)
        await pilot.press("t")  # no article open: only the status line can say it
        await pilot.pause()
        assert "translation off" in screen_text(app) and "translation → en" not in screen_text(app)
        assert "translation hidden" in screen_text(app)
        await pilot.press("t")
        await pilot.pause()
        assert "translation → en" in screen_text(app) and "translation shown" in screen_text(app)


async def test_a_remembered_sort_order_shows_after_a_restart(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSREADER_STATE", str(tmp_path / "state.json"))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")  # by source
        await settle(pilot)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.main.sort == "source"
        assert "5 articles · all languages · sorted by source · translation → en" in screen_text(app)


async def test_the_show_filter_shows_in_the_status_line(make_app, library):
    library.mark(["en_report", "evil"], read=True)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("down", "enter")  # unread
        await settle(pilot)
        assert "3 unread articles · all languages" in screen_text(app)


async def test_fetching_one_feed_says_one_feed(library, translator_factory):
    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.config import FeedsSection, Settings

    from local_http import Route, Server

    with Server() as server:
        server.routes["/wire.xml"] = Route(
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><guid>urn:1</guid>'
            b"<title>Strike ends</title><description>The harbour strike ended on Monday after the port "
            b"authority agreed to raise the wages of every dock worker.</description></item></channel></rss>")
        library.subscribe(server.url("/wire.xml"), name="wire")
        settings = Settings(feeds=FeedsSection(timeout_s=5)).with_library(library.folder)
        app = NewsreaderApp(settings, library=library, translator_factory=translator_factory, environ={})
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("f")
            await settle(pilot)
            assert "Fetched 1 feed: 1 new" in [str(n.message) for n in app._notifications]


# -- item 1: m in the unread view toggles what it just marked; every mark says so ---------------

async def show_unread(pilot) -> None:
    await pilot.press("u")
    await settle(pilot)
    await pilot.press("down", "enter")  # unread
    await settle(pilot)


async def test_m_in_the_unread_view_toggles_what_it_just_marked(make_app, library):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await show_unread(pilot)
        await select(pilot, "sq_meeting")
        await pilot.press("m")
        await settle(pilot)
        assert library.marks("sq_meeting").read and "marked read" in screen_text(app)
        # The list is read again (another process, the periodic look at the library): the row
        # stays, dimmed, with the cursor on it.
        app.main.model.catch_up()
        await settle(pilot)
        assert app.sources.selected.id == "sq_meeting" and app.sources.selected.read
        await pilot.press("m")  # undo
        await settle(pilot)
        assert not library.marks("sq_meeting").read and "marked unread" in screen_text(app)
        assert app.sources.selected.id == "sq_meeting"
        await pilot.press("m")
        await settle(pilot)
        app.main.model.catch_up()
        await settle(pilot)
        assert "sq_meeting" in ids(app)
        await pilot.press("down")  # moving away lets it go; the cursor stays where it went
        await settle(pilot)
        moved_to = app.sources.selected.id
        assert "sq_meeting" not in ids(app) and moved_to != "sq_meeting"
        app.main.model.catch_up()
        await settle(pilot)
        assert "sq_meeting" not in ids(app) and app.sources.selected.id == moved_to


async def test_every_mark_says_what_it_did(make_app, library):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select(pilot, "en_report")
        await pilot.press("s")
        await settle(pilot)
        assert "marked starred" in screen_text(app)
        await pilot.press("m")
        await settle(pilot)
        assert "marked read" in screen_text(app) and "marked starred" not in screen_text(app)


# -- item 10: Esc from related coverage goes back to exactly where you were ---------------------

async def test_esc_from_related_restores_the_search_results_and_the_place(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Putin")
        await settle(pilot)
        await pilot.press("down")  # to the results
        await pilot.press("down", "down")
        await settle(pilot)
        rows, cursor, selected = list(app.sources.rows), app.sources.cursor, app.sources.selected.id
        assert len(ids(app)) == 4 and cursor > 0
        await pilot.press("r")
        await settle(pilot)
        assert app.sources.rows[0].text.startswith("Related to")
        await pilot.press("escape")
        await settle(pilot)
        assert list(app.sources.rows) == rows and app.sources.cursor == cursor
        assert app.sources.selected.id == selected and app.sources.border_subtitle == "3/4"
        assert app.search_bar.input.value == "Putin" and "4 results" in screen_text(app)


async def test_esc_from_related_restores_the_list_and_its_scroll(make_app):
    app = make_app()
    async with app.run_test(size=(80, 9)) as pilot:  # a short screen: the list scrolls
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        cursor, scroll = app.sources.cursor, app.sources.scroll_y
        assert scroll > 0
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert (app.sources.cursor, app.sources.scroll_y) == (cursor, scroll)
        assert app.sources.selected.id == "evil"

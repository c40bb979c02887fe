"""The keys newsboat users reach for (issue 21), driven with Textual's pilot: q back to the
list and Q quitting, J/K, U the next unread, A with its undo, # a tag's feeds, the language
filter's names, the `[ui] browser` command and |, and the timed fetch with a test clock."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from newsreader.tui import keymap
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.config import FeedsSection, Settings, UiSection
from newsreader.tui.screens.help import HelpScreen
from newsreader.tui.screens.language import LanguageScreen
from newsreader.tui.screens.pipe import OutputScreen, PipeScreen

from helpers.pilot import Clock, ids, notifications, settle, wait_for
from helpers.screen import screen_text
from local_http import Route

ORDER = ["ar_meeting", "sq_meeting", "tr_meeting", "en_report", "evil"]  # the list, top to bottom


@pytest.fixture
def make(library, translator_factory):
    """The app on the test library, with [ui] and [feeds] settings and a clock of the test's."""

    def make(*, keys=None, browser=None, refresh_minutes=0, clock=None, lib=None):
        lib = lib or library
        settings = Settings(ui=UiSection(rtl="visual", browser=browser), keys=keys or {},
                            feeds=FeedsSection(refresh_minutes=refresh_minutes, timeout_s=5)).with_library(lib.folder)
        return NewsreaderApp(settings, library=lib, translator_factory=translator_factory, environ={}, clock=clock)

    return make


def opened(app) -> str | None:
    article = app.reader.article_view.article
    return article.id if article is not None else None


async def open_first(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


# -- q, Q ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_q_in_an_article_goes_back_to_the_list_and_q_there_quits(make, size):
    app = make()
    async with app.run_test(size=size) as pilot:
        await open_first(pilot)
        assert opened(app) == "ar_meeting" and app.focused is app.reader.article_view
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and app.focused is app.sources
        assert "Putin" in screen_text(app)  # the list shows (at 80 columns it had given way to the article)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and app.return_value == 0


async def test_Q_quits_from_an_article_and_from_a_picker_but_types_in_a_box(make):
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        await pilot.press("Q")
        await pilot.pause()
    assert app.return_code == 0 and app.return_value == 0
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "Q")
        await pilot.pause()
        assert app.is_running and app.search_bar.input.value == "Q"
        await pilot.press("escape", "l")
        await pilot.pause()
        assert isinstance(app.screen, LanguageScreen)
        await pilot.press("Q")
        await pilot.pause()
    assert app.return_value == 0


# -- J/K, U -------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_J_and_K_open_the_next_and_previous_article_from_the_reader(make, size):
    app = make()
    async with app.run_test(size=size) as pilot:
        await open_first(pilot)
        for expected in ORDER[1:]:
            await pilot.press("J")
            await settle(pilot)
            assert opened(app) == expected and app.focused is app.reader.article_view
            assert app.sources.selected.id == expected
        await pilot.press("J")
        await settle(pilot)
        assert opened(app) == "evil" and app.main.status.note == "the last article in the list"
        await pilot.press("K", "K")
        await settle(pilot)
        assert opened(app) == "tr_meeting" and app.focused is app.reader.article_view
        if size[0] < 120:
            assert app.main._reading  # never went back to the list


async def test_U_opens_the_next_unread_article_wrapping_to_the_top(make, library):
    library.mark(["sq_meeting", "tr_meeting"], read=True)
    app = make()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_first(pilot)  # ar_meeting, marked read as it opens
        await pilot.press("U")
        await settle(pilot)
        assert opened(app) == "en_report"  # sq and tr were read
        await pilot.press("U")
        await settle(pilot)
        assert opened(app) == "evil"
        await pilot.press("U")
        await settle(pilot)
        assert opened(app) == "evil" and app.main.status.note == "no unread articles in the list"


# -- A and u --------------------------------------------------------------------------------------

async def test_A_marks_every_shown_article_read_and_u_restores_exactly_the_marks_before(make, library):
    library.mark(["sq_meeting"], read=True)
    app = make()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert all(library.marks(i).read for i in ORDER)
        assert "Marked 4 read — u to undo" in screen_text(app)  # sq_meeting was read already
        assert all(s.read for s in app.main.model.summaries)
        await pilot.press("u")
        await settle(pilot)
        assert [library.marks(i).read for i in ORDER] == [False, True, False, False, False]
        assert "4 marked unread again" in screen_text(app)
        assert not isinstance(app.screen, LanguageScreen)
        # The notice is gone: u is the show filter again.
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, LanguageScreen)


async def test_u_undoes_only_while_the_notice_shows(make, library):
    app = make()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("o")  # another key's note takes the notice's place
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, LanguageScreen)  # the show filter, not an undo
        assert all(library.marks(i).read for i in ORDER)


async def test_A_in_search_results_marks_the_hits_only(make, library):
    app = make()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Moscow")
        await wait_for(pilot, lambda: "1 result" in screen_text(app))
        app.sources.focus()
        await pilot.press("A")
        await settle(pilot)
        assert [library.marks(i).read for i in ORDER] == [False, False, False, True, False]
        assert "Marked 1 read" in screen_text(app)


# -- remapping, help ------------------------------------------------------------------------------

async def test_the_new_keys_are_remappable_and_the_help_shows_the_remap(make, library):
    app = make(keys={"mark_all_read": "ctrl+a", "undo": "ctrl+z", "next_article": "ctrl+j"})
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        await pilot.press("A")  # no longer bound
        await settle(pilot)
        assert not any(library.marks(i).read for i in ORDER)
        await pilot.press("ctrl+a")
        await settle(pilot)
        assert "Marked 5 read — Ctrl+Z to undo" in screen_text(app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not any(library.marks(i).read for i in ORDER)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for binding_id in ("next_article", "previous_article", "next_unread", "mark_all_read", "undo", "tag_filter",
                           "pipe", "hard_quit", "fetch"):
            assert binding_id in text
        assert "Ctrl+A" in text and "Ctrl+J" in text


def test_the_new_keys_conflict_with_nothing_and_u_is_shared_on_purpose():
    assert keymap.keymap_for({}) == {}
    keys = {b.id: b.key for b in keymap.all_bindings()}
    assert keys["undo"] == keys["show_filter"] == "u"
    assert keys["next_unread"] not in ("n", "N")  # next and previous match in the article
    with pytest.raises(keymap.KeymapError, match="gives 'J' to both"):
        keymap.keymap_for({"mark_all_read": "J"})


# -- the language filter's names --------------------------------------------------------------------

async def test_the_language_filter_names_each_language(make):
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        text = screen_text(app)
        for line in ("all languages: 5", "Arabic (ar): 1", "English (en): 2", "Albanian (sq): 1", "Turkish (tr): 1"):
            assert line in text, text


# -- #: a tag's feeds -------------------------------------------------------------------------------

def rss(title: str, items: dict[str, str]) -> bytes:
    entries = "".join(f"<item><guid>urn:{key}</guid><title>{head}</title><link>https://news.example/{key}</link>"
                      f"<pubDate>Mon, 07 Oct 2024 10:00:00 GMT</pubDate><description>{head} happened today."
                      f"</description></item>" for key, head in items.items())
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://news.example/</link>{entries}</channel></rss>").encode()


async def test_the_tag_filter_shows_the_articles_of_a_tags_feeds(make, library, server):
    server.routes["/a.xml"] = Route(rss("A", {"a1": "Harbour strike ends"}))
    server.routes["/b.xml"] = Route(rss("B", {"b1": "Budget passes"}))
    server.routes["/c.xml"] = Route(rss("C", {"c1": "Storm closes schools"}))
    library.subscribe(server.url("/a.xml"), name="a", tags=["World", "Europe"])
    library.subscribe(server.url("/b.xml"), name="b", tags=["World"])
    library.subscribe(server.url("/c.xml"), name="c", tags=["Sport"])
    library.fetch()
    app = make()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert len(ids(app)) == 8
        await pilot.press("number_sign")
        await settle(pilot)
        assert isinstance(app.screen, LanguageScreen)
        text = screen_text(app)
        assert "World (2 feeds, 2 unread)" in text and "Sport (1 feed, 1 unread)" in text
        options = app.screen.query_one("#language-options")
        options.highlighted = [v for v, _ in app.screen.choices].index("tag:World")
        await pilot.press("enter")
        await settle(pilot)
        titles = {row.summary.title for row in app.sources.rows if row.kind == "article"}
        assert titles == {"Harbour strike ends", "Budget passes"}
        assert "2 articles tagged World" in screen_text(app)
        await pilot.press("number_sign")
        await settle(pilot)
        await pilot.press("home", "enter")  # every article again
        await settle(pilot)
        assert len(ids(app)) == 8


async def test_the_tag_filter_says_how_tags_come_when_there_are_none(make):
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("number_sign")
        await settle(pilot)
        assert not isinstance(app.screen, LanguageScreen)
        assert any("No subscription has a tag" in n for n in notifications(app))


# -- O with [ui] browser, and | ----------------------------------------------------------------------

def recorder(tmp_path: Path) -> tuple[Path, Path]:
    """A program that writes its arguments, one a line, to a file (then exits)."""
    out = tmp_path / "args.txt"
    script = tmp_path / "record"
    script.write_text(f"#!{sys.executable}\nimport sys\nopen({str(out)!r}, 'w').write('\\n'.join(sys.argv[1:]))\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, out


async def test_O_runs_the_configured_browser_without_a_shell(make, library, tmp_path):
    script, out = recorder(tmp_path)
    app = make(browser=[str(script), "--new-tab", "{url}"])
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.sources.cursor = app.sources.rows.places["tr_meeting"][0]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("O")
        await wait_for(pilot, out.exists)
        await settle(pilot)
    assert out.read_text().split("\n") == ["--new-tab", "https://example.org/tr/a%C5%9Fkabat"]


async def test_a_browser_that_is_not_there_is_one_line(make, tmp_path):
    app = make(browser=[str(tmp_path / "no-such-browser")])
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.sources.cursor = app.sources.rows.places["tr_meeting"][0]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("O")
        await pilot.pause()
        assert "no-such-browser" in app.main.status.note and "no such program" in app.main.status.note


async def run_pipe(pilot, command: str, *, url: bool = False) -> str:
    app = pilot.app
    await pilot.press("vertical_line")
    await pilot.pause()
    assert isinstance(app.screen, PipeScreen)
    if url:
        app.screen.query_one("#pipe-url").value = True
        await pilot.pause()
    await pilot.press(*command)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, OutputScreen))
    return screen_text(app)


async def test_pipe_sends_the_text_to_a_command_and_shows_its_output_as_plain_text(make, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.sources.cursor = app.sources.rows.places["evil"][0]
        await pilot.press("enter")
        await settle(pilot)
        text = await run_pipe(pilot, "cat")
        assert "Markup [bold]x[/bold] and [link=http://evil]y[/link] stays literal." in text
        assert "Evil [bold]x[/bold] title" in text
        await pilot.press("escape")
        await pilot.pause()
        # What a command prints is data too: its escapes and markup never act.
        escapes = "import sys; sys.stdout.write('\\x1b]0;pwned\\x07[red]x[/red] \\x1b[31mred')"
        await pilot.press("vertical_line")
        await pilot.pause()
        app.screen.query_one("#pipe-command").value = f"{sys.executable} -c \"{escapes}\""
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OutputScreen))
        assert "\x1b]0;pwned" in app.screen.output  # what it printed...
        shown = app.screen.query_one("#output-text").render()
        assert shown.plain == "[red]x[/red] red" and not shown.spans  # ...shown as plain text, without escapes
        assert "[red]x[/red] red" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        # Nothing runs with a shell: these are arguments, the file is never made.
        text = await run_pipe(pilot, "echo $(touch made) ; touch made2 |")
        assert "$(touch made) ; touch made2 |" in text
    assert not (tmp_path / "made").exists() and not (tmp_path / "made2").exists()


async def test_a_long_output_scrolls_with_the_timelines_keys(make):
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await run_pipe(pilot, f"{sys.executable} -c \"print(*range(200), sep=chr(10))\"")
        await pilot.pause()
        body = app.screen.query_one("#output-scroll")
        page, end = body.size.height - 1, body.max_scroll_y
        assert end > page > 1 and body.scroll_y == 0
        for key, where in (("j", 1), ("space", 1 + page), ("b", 1), ("k", 0), ("G", end), ("g", 0)):
            await pilot.press(key)
            await pilot.pause()
            assert body.scroll_y == where, key


async def test_pipe_sends_the_url_when_asked_and_says_a_failing_command(make, tmp_path):
    app = make()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.sources.cursor = app.sources.rows.places["tr_meeting"][0]
        await pilot.press("enter")
        await settle(pilot)
        text = await run_pipe(pilot, "cat", url=True)
        assert "https://example.org/tr/aşkabat" in text
        await pilot.press("escape")
        await pilot.pause()
        text = await run_pipe(pilot, f"{sys.executable} -c 'import sys; print(42); sys.exit(3)'")
        assert "(exit status 3)" in text and "42" in text
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("vertical_line")
        await pilot.pause()
        assert app.screen.query_one("#pipe-command").value.startswith(sys.executable)  # the last command again
        app.screen.query_one("#pipe-command").value = "no-such-program-here"
        await pilot.press("enter")
        await settle(pilot)
        assert "cannot run 'no-such-program-here': no such program" in app.main.status.note
        await pilot.press("vertical_line")
        await pilot.pause()
        app.screen.query_one("#pipe-command").value = "echo 'unclosed"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PipeScreen) and "no closing quotation" in screen_text(app)


# -- the timed fetch ----------------------------------------------------------------------------

async def test_the_app_fetches_on_the_timer_and_says_when_next(make, library, server):
    from datetime import datetime

    server.routes["/world.xml"] = Route(rss("World", {"w1": "Harbour strike ends"}))
    library.subscribe(server.url("/world.xml"), name="world")
    clock = Clock()
    app = make(refresh_minutes=30, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        due = datetime.fromtimestamp(clock.now + 30 * 60).strftime("%H:%M")
        await wait_for(pilot, lambda: f"next fetch {due}" in screen_text(app))
        assert not server.hits("/world.xml")  # nothing is fetched at start
        clock.now += 29 * 60
        await pilot.pause(1.5)  # the timer looks at the clock every second
        assert not server.hits("/world.xml")
        clock.now += 2 * 60
        await wait_for(pilot, lambda: "Harbour strike ends" in screen_text(app))
        assert len(server.hits("/world.xml")) == 1
        after = datetime.fromtimestamp(clock.now + 30 * 60).strftime("%H:%M")
        await wait_for(pilot, lambda: f"next fetch {after}" in screen_text(app))
        clock.now += 31 * 60
        await wait_for(pilot, lambda: len(server.hits("/world.xml")) == 2)
        await settle(pilot)


async def test_no_timer_and_no_next_fetch_without_subscriptions_or_at_zero(make, library, server):
    clock = Clock()
    app = make(refresh_minutes=30, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert "next fetch" not in screen_text(app)  # nothing subscribed
        clock.now += 31 * 60
        await pilot.pause(1.5)
        await settle(pilot)
        assert "No subscriptions" not in screen_text(app)  # the timer says nothing of it
    server.routes["/world.xml"] = Route(rss("World", {"w1": "Harbour strike ends"}))
    library.subscribe(server.url("/world.xml"), name="world")
    app = make(refresh_minutes=0, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        clock.now += 10_000 * 60
        await pilot.pause(1.5)
        await settle(pilot)
        assert "next fetch" not in screen_text(app) and not server.hits("/world.xml")


async def test_R_reloads_every_feed(make, library, server):
    server.routes["/world.xml"] = Route(rss("World", {"w1": "Harbour strike ends"}))
    library.subscribe(server.url("/world.xml"), name="world")
    app = make()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await wait_for(pilot, lambda: "Harbour strike ends" in screen_text(app))
        assert "Fetched 1 feed: 1 new" in notifications(app)
        await pilot.press("r")  # r stays related
        await settle(pilot)
        assert "related coverage" in app.main.status.note


# -- the settings -------------------------------------------------------------------------------

def test_browser_and_refresh_minutes_settings_and_their_errors():
    from newsreader.tui.config import ConfigError, parse

    settings = parse('[ui]\nbrowser = ["firefox", "--new-tab", "{url}"]\n[feeds]\nrefresh_minutes = 0\n', "cfg")
    assert settings.ui.browser == ["firefox", "--new-tab", "{url}"] and settings.feeds.refresh_minutes == 0
    assert parse("", "cfg").ui.browser is None and parse("", "cfg").feeds.refresh_minutes == 30
    for text, said in [('[ui]\nbrowser = "firefox"\n', "ui.browser = 'firefox': expected a command as a list"),
                       ("[ui]\nbrowser = []\n", "ui.browser = [...]: an empty command"),
                       ('[ui]\nbrowser = ["x", 1]\n', "ui.browser = [...]: expected a command as a list"),
                       ('[ui]\nbrowser = [""]\n', "ui.browser = [...]: expected a command as a list"),
                       ("[feeds]\nrefresh_minutes = -5\n", "feeds.refresh_minutes = -5: expected a whole number of minutes"),
                       ("[feeds]\nrefresh_minutes = 1.5\n", "feeds.refresh_minutes = 1.5: expected a whole number")]:
        with pytest.raises(ConfigError) as error:
            parse(text, "cfg")
        assert said in str(error.value) and "\n" not in str(error.value)


def test_the_browser_command_takes_the_url_where_it_says_else_last():
    from newsreader.tui.external_commands import browser_words

    assert browser_words(["firefox"], "https://x.example/a b") == ["firefox", "https://x.example/a b"]
    assert browser_words(["open", "-u", "{url}", "--x"], "https://x/$(touch y)") == ["open", "-u", "https://x/$(touch y)", "--x"]


async def test_the_next_fetch_gives_way_first_when_a_note_needs_the_room(make, library, server):
    server.routes["/world.xml"] = Route(rss("World", {"w1": "Harbour strike ends"}))
    library.subscribe(server.url("/world.xml"), name="world")
    app = make(refresh_minutes=30, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = app.main.status
        assert "· next fetch " in status.line(80).plain
        status.set_task("events", "grouping events…")  # 65 columns beside the info, 83 with the next fetch
        line = status.line(80).plain
        assert "translation → en" in line and "grouping events…" in line and "next fetch" not in line
        status.set_task("events", "")
        assert "· next fetch " in status.line(80).plain


async def test_the_timer_asks_a_feed_no_more_often_than_its_ttl(make, library, server):
    body = rss("World", {"w1": "Harbour strike ends"}).replace(b"</title>", b"</title><ttl>600</ttl>", 1)
    server.routes["/world.xml"] = Route(body)
    library.subscribe(server.url("/world.xml"), name="world")
    clock = Clock()
    app = make(refresh_minutes=30, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        clock.now += 31 * 60
        await wait_for(pilot, lambda: "Harbour strike ends" in screen_text(app))
        assert len(server.hits("/world.xml")) == 1
        clock.now += 31 * 60  # the timer fires again, but the feed asked for 600 minutes
        await pilot.pause(2.5)
        await settle(pilot)
        assert len(server.hits("/world.xml")) == 1


async def test_the_timer_waits_out_a_429s_retry_after_then_asks_again(make, library, server, monkeypatch):
    import datetime as dt

    from newsreader.index.feeds import schedule

    server.routes["/world.xml"] = Route(b"slow down", status=429, headers={"Retry-After": "3600"})
    library.subscribe(server.url("/world.xml"), name="world")
    clock = Clock()
    # The engine keeps the server's wait against the same test clock as the app's timer.
    monkeypatch.setattr(schedule, "now", lambda: dt.datetime.fromtimestamp(int(clock.now), dt.timezone.utc))
    app = make(refresh_minutes=20, clock=clock)

    async def timer_round() -> None:
        """Move the clock past the due time; the round is over when the next one is scheduled."""
        clock.now += 21 * 60
        after = dt.datetime.fromtimestamp(clock.now + 20 * 60).strftime("%H:%M")
        await wait_for(pilot, lambda: f"next fetch {after}" in screen_text(app))
        await settle(pilot)

    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await timer_round()  # +21 min: 429, come back in an hour
        assert len(server.hits("/world.xml")) == 1 and "failed: world" in app.main.status.note
        server.routes["/world.xml"] = Route(rss("World", {"w1": "Harbour strike ends"}))
        await timer_round()  # +42 min: inside the hour, no request
        await timer_round()  # +63 min: still inside it
        assert len(server.hits("/world.xml")) == 1
        await timer_round()  # +84 min: the hour is over, the feed is asked again
        await wait_for(pilot, lambda: "Harbour strike ends" in screen_text(app))
        assert len(server.hits("/world.xml")) == 2

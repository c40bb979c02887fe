"""Following a story in the app (issue 21): `v` opens the event's timeline, `w` follows and
unfollows the event with the Following section at the top of the list counting its new reports,
and an add by the app that brings a report into a followed event raises the status-line alert,
rings the bell and runs the `[follow] notify` hook without a shell."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest
from textual import events

from newsreader.index import Library, bundled_seeds

from helpers.pilot import Clock, ids, open_article, select, settle, wait_for
from helpers.screen import screen_text

SEEDS = bundled_seeds()
DESK_REPORT = {"id": "ashgabat-desk", "lang": "en", "source": "World Desk", "date": "2024-10-11",
               "title": "Putin and Pezeshkian meet in Ashgabat",
               "text": "Russian President Vladimir Putin met Iranian President Masoud Pezeshkian in Ashgabat, "
                       "Turkmenistan, on 11 October 2024. Pezeshkian said 42 agreements were ready."}
EVIL_TITLE = "Putin $(touch pwned) ; touch pwned2 `touch pwned3` \x1b[31m [bold]meets[/bold] Pezeshkian"
EN_REPORT = {"id": "ashgabat-en", "lang": "en", "source": "World Desk", "date": "2024-10-12",
             "title": EVIL_TITLE,
             "text": "Russian President Vladimir Putin met Iranian President Masoud Pezeshkian in Ashgabat, "
                     "Turkmenistan, on 11 October 2024, their first meeting since Pezeshkian took office. "
                     "Pezeshkian said relations with Russia were strategic and that a treaty was being prepared."}


def seed(name: str) -> Path:
    return next(SEEDS.glob(f"{name}_*.txt"))


@pytest.fixture(scope="module")
def seeds_dir(tmp_path_factory) -> Path:
    """The seeds but 003 (the Albanian report of the Ashgabat meeting), added once."""
    root = tmp_path_factory.mktemp("seeds")
    folder = root / "library"
    desk = root / "desk.jsonl"
    desk.write_text(json.dumps(DESK_REPORT) + "\n")
    with Library(folder, workers=1) as lib:
        lib.add([seed("000"), seed("001"), seed("002"), seed("004"), desk])
    return folder


@pytest.fixture
def seeds_library(seeds_dir, tmp_path):
    import shutil

    folder = tmp_path / "library"
    shutil.copytree(seeds_dir, folder)
    lib = Library(folder, workers=1)
    yield lib
    lib.close()


@pytest.fixture
def make_seeds_app(seeds_library, no_models_factory, tmp_path, monkeypatch):
    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.config import FeedsSection, FollowSection, Settings, UiSection

    config = tmp_path / "config"
    config.mkdir()
    (config / "sources.toml").write_text('["World Desk"]\ncountry = "GB"\n')  # the reader's outlet facts
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config / "config.toml"))

    def make(notify=(), *, refresh_minutes=30, clock=None, bell=True):
        settings = Settings(follow=FollowSection(notify=list(notify)), ui=UiSection(bell=bell),
                            feeds=FeedsSection(refresh_minutes=refresh_minutes, timeout_s=5)).with_library(
            seeds_library.folder)
        return NewsreaderApp(settings, library=seeds_library, translator_factory=no_models_factory, environ={},
                             clock=clock)

    return make


def subscribe_elsewhere(library) -> None:
    """A subscribed feed with no report of the seeds event: a blindspot of its coverage (never
    fetched here: nothing is downloaded until a fetch)."""
    library.subscribe("http://127.0.0.1:9/sport.xml", name="Sport Wire")


def meeting(app) -> str:
    """The article 000 (the Turkish report of the Ashgabat meeting)."""
    return seed("000").stem


def serve_a_report_of_the_meeting(server, library, title: str) -> None:
    """A feed "World Wire" on 127.0.0.1, subscribed as `world`, whose one item (an English report
    of the Ashgabat meeting, titled `title`) joins the seeds event when fetched."""
    from xml.sax.saxutils import escape

    from local_http import Route

    item = (f"<item><guid>urn:ashgabat-feed</guid><title>{escape(title)}</title>"
            f"<pubDate>Sat, 12 Oct 2024 09:00:00 GMT</pubDate><description>{escape(EN_REPORT['text'])}</description>"
            f"</item>")
    server.routes["/world.xml"] = Route((f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                                         f"<title>World Wire</title>{item}</channel></rss>").encode())
    library.subscribe(server.url("/world.xml"), name="world")


def notify_script(tmp_path: Path) -> tuple[Path, Path]:
    """A `[follow] notify` program that appends its arguments (JSON, a line a call) to a file."""
    script = tmp_path / "notify.py"
    calls = tmp_path / "calls.jsonl"
    script.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"open({str(calls)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n")
    script.chmod(0o755)
    return script, calls


async def meetings_timeline(pilot) -> None:
    """`v` on the article 000: the seeds event's timeline."""
    await settle(pilot)
    await select(pilot, meeting(pilot.app))
    await pilot.press("v")
    await settle(pilot)


async def test_v_shows_the_timeline_in_order_with_the_first_marked(make_seeds_app, seeds_library):
    from newsreader.tui.screens.timeline import TimelineScreen

    event = seeds_library.event_of(seed("000").stem)
    subscribe_elsewhere(seeds_library)
    app = make_seeds_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await meetings_timeline(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        entries = screen.timeline.entries
        assert sorted(e.article.id for e in entries) == sorted(event.members)
        dates = [e.article.date for e in entries if e.article.date]
        assert dates == sorted(dates)  # time order
        assert [e.first for e in entries] == [True] + [False] * (len(entries) - 1)
        lines = screen_text(app).splitlines()
        assert sum("[first]" in line for line in lines) == 1
        reports = [line.strip() for line in lines if "  seeds  " in line or "  World Desk  " in line]
        assert reports[0].startswith("[first]") and entries[0].article.title[:25] in reports[0]
        assert [line.split("  ")[-3].split()[-1] for line in reports] == [e.article.lang for e in entries]
        assert any(line.strip().startswith("Languages: tr 2, ar 1, en 1") for line in lines)
        assert any(line.strip().startswith("Sources: seeds 3, World Desk 1 (GB)") for line in lines)
        assert any(line.strip().startswith("Countries: GB 1") for line in lines)
        assert any(line.strip() == "Not yet covered by: Sport Wire" for line in lines)  # the blindspot
        said = [line.strip() for line in lines if " dates: " in line]
        assert said and "11 Oct" in " ".join(said) and "--" not in " ".join(said)  # a day without its year
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TimelineScreen)
        await pilot.press("v")  # q goes back from the timeline too (a view), quitting nothing
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and not isinstance(app.screen, TimelineScreen)
    # Looking counted the reports as seen: the next timeline has nothing new.
    assert not any(e.new for e in seeds_library.timeline(event.id).entries)


async def test_the_timelines_keys_scroll_it_by_line_page_and_to_either_end(make_seeds_app):
    """(The help and a piped command's output scroll with the same keys: screens/scrolling.py.)"""
    app = make_seeds_app()
    async with app.run_test(size=(80, 12)) as pilot:
        await meetings_timeline(pilot)
        body = app.screen.query_one("#timeline-body")
        page, end = body.size.height - 1, body.max_scroll_y
        assert end > page > 1 and body.scroll_y == 0
        for keys, where in ((("j",), 1), (("down", "down"), 3), (("k",), 2), (("up",), 1), (("space",), 1 + page),
                            (("b",), 1), (("G",), end), (("g",), 0), (("end",), end), (("home",), 0)):
            await pilot.press(*keys)
            await pilot.pause()
            assert body.scroll_y == where, keys
        await pilot.press("pagedown")  # the scroll's own (a whole screenful), as before
        await pilot.pause()
        assert body.scroll_y >= page
        await pilot.press("pageup")
        await pilot.pause()
        assert body.scroll_y == 0


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_timeline_snapshot(snap_compare, make_seeds_app, seeds_library, size):
    subscribe_elsewhere(seeds_library)  # "Not yet covered by: Sport Wire"
    assert snap_compare(make_seeds_app(), terminal_size=size, run_before=meetings_timeline)


async def test_w_toggles_and_the_following_section_counts_new_reports(make_seeds_app, seeds_library, tmp_path):
    app = make_seeds_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select(pilot, meeting(app))
        await pilot.press("w")
        await settle(pilot)
        assert app.main.status.note.startswith("following event ")
        rows = app.sources.rows
        assert rows[0].kind == "group" and rows[0].text == "Following (1)"
        assert rows[1].kind == "followed" and rows[1].count == 0
        assert app.sources.selected.id == meeting(app)  # the cursor stayed on the article
        # A report of the event comes in (another process's add): the section counts it.
        desk = tmp_path / "sq.txt"
        desk.write_bytes(seed("003").read_bytes())
        with Library(seeds_library.folder, workers=1) as other:
            other.add([desk])
        await wait_for(pilot, lambda: app.sources.rows[1].kind == "followed" and app.sources.rows[1].count == 1,
                       timeout=30)
        assert app.sources.rows[0].text == "Following (1, 1 new)"
        # Enter on it lists its new reports; they are seen from then on.
        app.sources.cursor = 1
        await pilot.press("enter")
        await settle(pilot)
        assert ids(app) == [desk.stem]
        assert app.sources.rows[0].text.startswith("New in ")
        await pilot.press("escape")
        await settle(pilot)
        assert app.sources.rows[1].count == 0 and app.sources.rows[0].text == "Following (1)"
        # w on the followed item's row (or on the article again) stops following.
        app.sources.cursor = 1
        await pilot.press("w")
        await settle(pilot)
        assert app.main.status.note.startswith("no longer following event ")
        assert all(r.kind != "followed" for r in app.sources.rows) and app.sources.rows[0].kind == "group"
        assert seeds_library.following() == []
        await select(pilot, meeting(app))
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert app.main.status.note.startswith("no longer following event ") and seeds_library.following() == []


async def test_the_following_section_is_read_in_workers_never_on_the_ui_thread(make_seeds_app, seeds_library,
                                                                               tmp_path, monkeypatch):
    """Reading what is followed and counting its new reports (Library.following, take_new) and
    the other calls behind `w`, Enter on a followed item and `v` run in the Following part's
    thread workers, which report back with messages: every call is recorded with its thread."""
    ui = threading.current_thread()
    calls: list[tuple[str, bool]] = []  # (method, called on the UI thread)

    def watched(name, method):
        def call(*args, **kwargs):
            calls.append((name, threading.current_thread() is ui))
            return method(*args, **kwargs)

        return call

    for name in ("following", "take_new", "follow", "unfollow", "event_of", "timeline", "looked_at", "take_alerts"):
        monkeypatch.setattr(seeds_library, name, watched(name, getattr(seeds_library, name)))
    app = make_seeds_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select(pilot, meeting(app))
        await pilot.press("w")  # follow: the section is read again
        await settle(pilot)
        assert app.sources.rows[0].text == "Following (1)"
        desk = tmp_path / "sq.txt"  # a report comes in from another process: counted again
        desk.write_bytes(seed("003").read_bytes())
        with Library(seeds_library.folder, workers=1) as other:
            other.add([desk])
        await wait_for(pilot, lambda: app.sources.rows[1].kind == "followed" and app.sources.rows[1].count == 1,
                       timeout=30)
        app.sources.cursor = 1
        await pilot.press("enter")  # its new reports
        await settle(pilot)
        assert ids(app) == [desk.stem]
        await pilot.press("escape", "v")  # the followed event's timeline
        await settle(pilot)
    called = {name for name, _ in calls}
    assert {"following", "take_new", "follow", "event_of", "timeline"} <= called
    assert [name for name, on_ui in calls if on_ui] == []


async def test_J_K_and_U_go_from_article_to_article_past_the_following_section(make_seeds_app, seeds_library):
    """The reader keys (screens/reading_keys.py) step among the list's articles: the followed
    items' rows above them are no articles to open."""
    seeds_library.follow(seeds_library.event_of(seed("000").stem).id)
    unread = seed("000").stem
    seeds_library.mark([a.id for a in seeds_library.articles() if a.id != unread], read=True)
    app = make_seeds_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        rows = app.sources.rows
        assert rows[1].kind == "followed"
        articles = list(dict.fromkeys(rows[i].summary.id for i in rows.articles))
        assert articles[-1] != unread
        # U from the last article wraps to the top, past the followed item, to the one unread article.
        await open_article(pilot, articles[-1])
        await pilot.press("U")
        await settle(pilot)
        assert app.reader.article_view.article.id == unread
        # K from the first article stays there; J goes on to the second.
        await open_article(pilot, articles[0])
        await pilot.press("K")
        await settle(pilot)
        assert app.reader.article_view.article.id == articles[0]
        assert app.main.status.note == "the first article in the list"
        await pilot.press("J")
        await settle(pilot)
        assert app.reader.article_view.article.id == articles[1]


async def test_an_add_into_a_followed_event_alerts_rings_and_runs_the_hook_without_a_shell(
        make_seeds_app, seeds_library, tmp_path, monkeypatch):
    script, calls = notify_script(tmp_path)
    monkeypatch.chdir(tmp_path)  # where `touch pwned` would write, were a shell involved
    seeds_library.follow(seeds_library.event_of(seed("000").stem).id)
    news = tmp_path / "news"
    news.mkdir()
    (news / "evil.jsonl").write_text(json.dumps(dict(EN_REPORT)) + "\n")
    app = make_seeds_app(notify=[str(script), "{title}", "{summary}"])
    rings = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(1))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        app.post_message(events.Paste(str(news)))  # pasted (typed, each key cost two idle waits)
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        await wait_for(pilot, lambda: calls.exists(), timeout=30)
        await settle(pilot)
        note = app.main.status.note
        assert note.startswith("Following: 1 new report: ") and "\x1b" not in note
        assert rings == [1]
        [argv] = [json.loads(line) for line in calls.read_text().splitlines()]
        assert argv[0].startswith("1 new report: ")
        assert argv[1] == "Putin $(touch pwned) ; touch pwned2 `touch pwned3` [bold]meets[/bold] Pezeshkian " \
                          "(World Desk, en)"
        assert app.sources.rows[1].kind == "followed" and app.sources.rows[1].count == 1
    assert not any((tmp_path / name).exists() for name in ("pwned", "pwned2", "pwned3"))


@pytest.mark.parametrize("bell", [True, False], ids=["bell", "no bell"])
async def test_a_fetch_by_the_app_into_a_followed_event_raises_the_status_line_alert(
        make_seeds_app, seeds_library, server, monkeypatch, bell):
    followed = seeds_library.event_of(seed("000").stem).id
    seeds_library.follow(followed)
    serve_a_report_of_the_meeting(server, seeds_library, "Putin and Pezeshkian talk in Ashgabat")
    app = make_seeds_app(bell=bell)
    rings = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(1))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.main.status.note.startswith("Following:")
        await pilot.press("R")  # reload every feed
        await wait_for(pilot, lambda: app.main.status.note.startswith("Following: "), timeout=30)
        assert app.main.status.note.startswith(f"Following: 1 new report: {followed} ")  # the followed event
        assert server.hits("/world.xml")
        assert rings == ([1] if bell else [])  # [ui] bell = false: the status line alone


async def test_the_timer_fetches_a_report_into_a_followed_event_alerts_and_runs_the_hook_without_a_shell(
        make_seeds_app, seeds_library, server, tmp_path, monkeypatch):
    """Issue 21's first Must show, on the app's timer with a test clock and a feed on 127.0.0.1:
    the status line's alert, the bell and the `[follow] notify` script (writing its arguments
    to a file), with `$(touch …)`, `;` and backquotes in the title creating nothing."""
    script, calls = notify_script(tmp_path)
    monkeypatch.chdir(tmp_path)  # where `touch pwned` would write, were a shell involved
    followed = seeds_library.event_of(seed("000").stem).id
    seeds_library.follow(followed)
    title = "Putin $(touch pwned) ; touch pwned2 `touch pwned3` meets Pezeshkian"
    serve_a_report_of_the_meeting(server, seeds_library, title)
    clock = Clock()
    app = make_seeds_app(notify=[str(script), "{title}", "{summary}"], refresh_minutes=30, clock=clock)
    rings = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(1))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        clock.now += 29 * 60
        await pilot.pause(1.5)  # the timer looks at the clock every second: not due yet
        assert not server.hits("/world.xml") and not calls.exists()
        clock.now += 2 * 60
        await wait_for(pilot, lambda: calls.exists(), timeout=30)
        await settle(pilot)
        assert len(server.hits("/world.xml")) == 1
        assert app.main.status.note.startswith(f"Following: 1 new report: {followed} ")
        assert rings == [1]
        [argv] = [json.loads(line) for line in calls.read_text().splitlines()]
        assert argv[0].startswith("1 new report: ")
        assert argv[1] == f"{title} (World Wire, en)"
        assert app.sources.rows[1].kind == "followed" and app.sources.rows[1].count == 1
    assert not any((tmp_path / name).exists() for name in ("pwned", "pwned2", "pwned3"))

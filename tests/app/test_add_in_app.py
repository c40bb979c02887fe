"""Adding a file or folder from inside the app: the dialog (path completion, one-line errors),
the add in a worker with its progress shown, the app usable meanwhile, the list refreshed; a
feed's URL typed there subscribes to it after asking."""

from __future__ import annotations

import json
import re
import threading

import pytest

from newsreader.tui.screens.add import AddScreen, SubscribeScreen, complete_path

from helpers.pilot import ids, notifications, settle, wait_for
from helpers.screen import screen_text

NEW = ("The Iranian foreign minister arrived in Ashgabat on Monday for talks on gas exports "
       "and the new railway line to the Caspian coast.")


def error_line(app) -> str:
    return str(app.screen.query_one("#add-error").render())


async def type_path(pilot, path: str, *, by_keys: bool = False) -> None:
    """Put `path` in the dialog's field as a terminal's paste does (one Paste event to the app),
    or a key at a time: the pilot waits for the app to go idle twice after every key, which
    cost 14 s for the refusals' three paths under tmp."""
    from textual import events

    field = pilot.app.screen.query_one("#add-path")
    field.value = ""
    if by_keys:
        await pilot.press(*path)
    else:
        pilot.app.post_message(events.Paste(path))
    await pilot.pause()
    assert field.value == path


@pytest.mark.slow
async def test_a_opens_the_dialog_and_adds_a_file_the_list_then_shows(make_app, tmp_path):
    (tmp_path / "iran_minister.txt").write_text(f"Minister in Ashgabat\n\n{NEW}\n")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "iran_minister" not in ids(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddScreen)
        assert "Add a file or folder" in screen_text(app)
        await type_path(pilot, str(tmp_path / "iran_minister.txt"), by_keys=True)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, AddScreen)
        await wait_for(pilot, lambda: "iran_minister" in ids(app), timeout=30)
        assert "iran_minister.txt: 1 added" in notifications(app)
        assert "6 articles" in screen_text(app)


@pytest.mark.slow
async def test_the_dialog_refuses_what_cannot_be_added_with_one_line_naming_it(make_app, tmp_path):
    empty = tmp_path / "empty folder"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "type the path of a file or folder to add" in error_line(app)
        missing = tmp_path / "no-such.jsonl"
        await type_path(pilot, str(missing))
        await pilot.press("enter")
        await pilot.pause()
        assert error_line(app) == f"{missing}: no such file or folder; check the path"
        await type_path(pilot, "ftp://example.org/feed.xml")  # http(s) subscribes; other URLs are no path
        await pilot.press("enter")
        await pilot.pause()
        assert error_line(app).startswith("ftp://example.org/feed.xml: is a URL")
        assert "newsreader feeds add URL" in error_line(app)
        await type_path(pilot, str(empty))
        await pilot.press("enter")
        await pilot.pause()
        assert error_line(app).startswith(f"{empty}: holds no file newsreader reads")
        assert isinstance(app.screen, AddScreen)  # still asking
        await pilot.press("x")
        assert error_line(app) == ""  # typing clears the error
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AddScreen) and len(ids(app)) == 5


async def test_tab_completes_the_path_from_the_file_system(make_app, tmp_path):
    (tmp_path / "wikinews-dump.jsonl").write_text("")
    (tmp_path / "world").mkdir()
    (tmp_path / ".hidden").write_text("")
    assert complete_path(f"{tmp_path}/wo") == f"{tmp_path}/world/"
    assert complete_path(f"{tmp_path}/.h") == f"{tmp_path}/.hidden"
    assert complete_path(f"{tmp_path}/zz") is None and complete_path("") is None
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_path(pilot, f"{tmp_path}/wiki")
        await settle(pilot)  # the suggestion comes from a worker
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.query_one("#add-path").value == f"{tmp_path}/wikinews-dump.jsonl"
        assert isinstance(app.screen, AddScreen)  # Tab completed; it did not move the focus away


@pytest.mark.slow
async def test_a_large_add_shows_its_articles_in_progress_and_the_app_stays_usable(make_app, library, tmp_path):
    from newsreader.index import pipeline

    dump = tmp_path / "dump.jsonl"
    body = " ".join([NEW] * 16)
    dump.write_text("\n".join(json.dumps({"id": f"d{i}", "title": f"Report {i}", "text": f"{body} ({i})",
                                          "lang": "en"}) for i in range(300)))
    assert dump.stat().st_size >= pipeline.SPLIT_FILE_BYTES  # counted article by article
    halfway, go_on = threading.Event(), threading.Event()
    add = library.add

    def paused_add(paths, **kwargs):  # holds the add half-way, so the test can use the app meanwhile
        progress = kwargs.pop("progress")

        def pausing(done, total, unit):
            progress(done, total, unit)
            if unit == "stored" and done >= total // 2 and not halfway.is_set():
                halfway.set()
                go_on.wait(60)

        return add(paths, progress=pausing, **kwargs)

    library.add = paused_add
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = []
        set_task = app.main.status.set_task

        def task(name, text):
            set_task(name, text)
            shown.append(text)

        app.main.status.set_task = task
        await pilot.press("a")
        await type_path(pilot, str(dump))
        await pilot.press("enter")
        await wait_for(pilot, halfway.is_set, timeout=60)
        await pilot.pause()
        assert re.search(r"adding: storing 1\d\d/300", screen_text(app))  # the progress, on screen
        # meanwhile the reader reads: the list moves and an article opens
        app.sources.focus()
        first = app.sources.selected.id
        await pilot.press("j")
        assert app.sources.selected.id != first
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.article_view.article.id == app.sources.selected.id
        go_on.set()
        await settle(pilot)
        await wait_for(pilot, lambda: "d299" in {s.id for s in app.main.summaries}, timeout=60)
    assert shown[0] == "adding dump.jsonl…"
    reading = [t for t in shown if t.startswith("adding: reading ")]
    assert reading[0] == "adding: reading 0/300 · dump.jsonl" and reading[-1] == "adding: reading 300/300 · dump.jsonl"
    storing = [t for t in shown if t.startswith("adding: storing ")]
    assert len(storing) > 2 and storing[-1] == "adding: storing 300/300 · dump.jsonl"
    assert "adding: indexing… · dump.jsonl" in shown
    assert shown[-1] == ""  # and it went away when done
    assert "dump.jsonl: 300 added" in notifications(app)


async def test_an_add_that_breaks_says_so_and_leaves_no_adding_behind(make_app, library, tmp_path):
    (tmp_path / "note.txt").write_text(f"Minister in Ashgabat\n\n{NEW}\n")

    def broken(paths, **kwargs):
        raise ValueError("bad value(s) in fds_to_keep")

    library.add = broken
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_path(pilot, str(tmp_path / "note.txt"))
        await pilot.press("enter")
        await settle(pilot)
        assert "note.txt was not added: ValueError: bad value(s) in fds_to_keep" in notifications(app)
        assert "adding" not in screen_text(app) and app.main.status.tasks == {}


async def test_the_ui_thread_reads_while_a_worker_adds(make_app, tmp_path):
    """The catalog gives each thread its own connection: the UI thread lists and searches
    while a background add commits, with no 'database is locked' or shared-cursor errors."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    for i in range(60):
        (folder / f"n{i:02}.txt").write_text(f"Report {i} from Ashgabat about trade and regional security talks.")
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        library = app.main.library
        errors: list[BaseException] = []

        def add() -> None:
            try:
                library.add([folder])
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        worker = threading.Thread(target=add)
        worker.start()
        counts = set()
        while worker.is_alive() or len(counts) < 2:
            counts.add(len(library.articles()))
            library.search("Ashgabat OR Aşkabat", limit=None)
            await pilot.pause(0.005)
            if not worker.is_alive() and len(counts) < 2:
                break
        worker.join()
        assert not errors
        assert len(library.articles()) == 65
        assert counts <= set(range(5, 66))


async def test_a_feed_url_in_the_add_dialog_subscribes_after_asking_and_fetches_it(make_app, library, server):
    from local_http import Route

    server.routes["/wire.xml"] = Route(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><guid>urn:1</guid>'
        b"<title>Harbour strike ends</title><description>Dock workers ended their strike on Monday."
        b"</description></item></channel></rss>")
    url = server.url("/wire.xml")
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_path(pilot, url)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SubscribeScreen)
        assert "Subscribe to this feed?" in screen_text(app) and url in screen_text(app)
        await pilot.press("n")  # back to the dialog, the URL still there: nothing subscribed
        await pilot.pause()
        assert isinstance(app.screen, AddScreen) and app.screen.query_one("#add-path").value == url
        assert library.subscriptions() == [] and server.hits("/wire.xml") == []
        await pilot.press("enter", "y")
        await settle(pilot)
        await wait_for(pilot, lambda: any("Fetched 1 feed: 1 new" in n for n in notifications(app)))
        assert not isinstance(app.screen, (AddScreen, SubscribeScreen))
        assert [feed.url for feed in library.subscriptions()] == [url]
        assert any(n.startswith("Subscribed to ") for n in notifications(app))
        (article,) = library.articles(feed=library.subscriptions()[0].name)
        await wait_for(pilot, lambda: article.id in ids(app))
        # A URL no feed can have: one line, nothing subscribed.
        await pilot.press("a")
        await type_path(pilot, "http://a..b/feed.xml")
        await pilot.press("enter", "y")
        await settle(pilot)
        (refused,) = [n for n in notifications(app) if n.startswith("Not subscribed: ")]
        assert "a..b" in refused and "\n" not in refused and len(library.subscriptions()) == 1

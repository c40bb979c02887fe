"""The app beside other processes and on damaged libraries: it shows what another
`newsreader add` brings in, and an error instead of hanging at "Opening the library…"."""

from __future__ import annotations

import os
import subprocess

import pytest

from newsreader.tui.app import NewsreaderApp
from newsreader.tui.config import Settings, UiSection

from helpers.cli import run_process
from helpers.pilot import ids, notifications, settle, wait_for
from helpers.screen import screen_text

NEW = ("The Iranian foreign minister arrived in Ashgabat on Monday for talks on gas exports "
       "and the new railway line to the Caspian coast.")


def cli(*args: str) -> subprocess.CompletedProcess:
    return run_process(*args, env=dict(os.environ, NO_COLOR="1"))


async def test_an_add_from_another_process_shows_up_without_a_restart(make_app, library, tmp_path):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        selected = app.sources.selected.id
        assert "iran_minister" not in ids(app)
        (tmp_path / "iran_minister.txt").write_text(f"Minister in Ashgabat\n\n{NEW}\n")
        done = cli("--library", str(library.folder), "add", str(tmp_path / "iran_minister.txt"), "--lang", "en")
        assert done.returncode == 0, done.stderr
        await wait_for(pilot, lambda: "iran_minister" in ids(app), timeout=30)
        await pilot.pause()
        assert app.sources.selected.id == selected  # the reader's place is kept
        assert "1 new article in the library." in notifications(app)
        assert "6 articles" in screen_text(app)


async def test_in_app_search_after_remove_and_add_in_another_process_shows_each_article_once(make_app, library):
    import json

    path = library.get("en_report").path
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"putin")
        await settle(pilot)
        before = ids(app)
        assert "en_report" in before and f"{len(before)} results" in screen_text(app)
        revision = app.main.model.revision
        for args in (("remove", path), ("add", path, "--lang", "en")):  # another shell
            done = cli("--library", str(library.folder), *args)
            assert done.returncode == 0, done.stderr
        await wait_for(pilot, lambda: app.main.model.revision != revision, timeout=30)  # the live refresh
        await settle(pilot)
        after = ids(app)
        assert sorted(after) == sorted(set(after)) == sorted(before)  # each article once
        command_line = json.loads(cli("--library", str(library.folder), "search", "putin", "--json").stdout)
        assert len(command_line) == len(after)
        assert f"{len(after)} results" in screen_text(app)


def _app_on(folder) -> NewsreaderApp:
    settings = Settings(ui=UiSection(rtl="visual")).with_library(folder)
    return NewsreaderApp(settings, environ={})


async def test_a_damaged_catalog_is_shown_not_waited_on(library):
    folder = library.folder
    library.close()
    catalog = folder / "catalog.sqlite"
    data = bytearray(catalog.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # every page but the header page: garbage
        data[start:start + page] = b"\x5a" * min(page, len(data) - start)
    catalog.write_bytes(bytes(data))
    app = _app_on(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Opening the library" not in text
        assert "damaged" in text and "catalog" in text


async def test_a_deleted_catalog_is_said_not_shown_as_an_empty_library(library):
    folder = library.folder
    library.close()
    (folder / "catalog.sqlite").unlink()
    app = _app_on(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "catalog" in text and "missing" in text
        assert not (folder / "catalog.sqlite").exists() or (folder / "catalog.sqlite").stat().st_size == 0


async def test_the_app_opens_and_says_so_while_another_process_rebuilds(library):
    import shutil

    from newsreader.index.library_lock import LibraryLock

    folder = library.folder
    library.close()
    held = LibraryLock(folder)
    held.acquire(wait=False)  # another newsreader is rebuilding: it has moved the old index away
    shutil.rmtree(folder / "whoosh")
    try:
        app = _app_on(folder)
        async with app.run_test(size=(200, 40)) as pilot:
            await settle(pilot)
            assert "Opening the library" not in screen_text(app)
            assert len(ids(app)) == 5  # the list comes from the catalog
            await pilot.press("slash", *"Ashgabat")
            await settle(pilot)
            assert "another newsreader is rebuilding the search index; try again in a moment" in screen_text(app)
            held.release()
            held = None
            await pilot.press("backspace", "t")  # the query again, now that the rebuild is over
            await settle(pilot)
            assert "3 results" in screen_text(app) and "rebuilding" not in screen_text(app)
    finally:
        if held is not None:
            held.release()


async def test_the_app_reads_a_read_only_library(library, tmp_path):
    """A read-only mount (root ignores chmod, so a bind mount remounted read-only)."""
    if os.geteuid() != 0:
        pytest.skip("needs root for a read-only bind mount")
    folder = library.folder
    library.events()
    library.close()
    mount = tmp_path / "mount"
    mount.mkdir()
    if subprocess.run(["mount", "--bind", str(folder), str(mount)], capture_output=True).returncode != 0:
        pytest.skip("cannot bind mount here")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        app = _app_on(mount)
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot)
            assert len(ids(app)) == 5 and app.main.library.read_only
            await pilot.press("slash", *"Ashgabat")
            await settle(pilot)
            assert "3 results" in screen_text(app)
            await pilot.press("enter")
            await settle(pilot)
            assert app.reader.article_view.article is not None
    finally:
        # The app's ended workers may still hold the catalog's files open in this process (the
        # mount is busy): a lazy unmount detaches it now and frees it when they are closed.
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(mount)], check=False)

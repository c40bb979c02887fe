"""The main screen's parts (tui/parts/) and what they let the screen do: rows changed one at a
time as a rebuild would make them, actions that wait for the library, a command palette that
offers the commands of the screen it opens on."""

from __future__ import annotations

import msgspec
import pytest

from newsreader.tui.widgets.source_list import article_rows

from helpers.pilot import settle


class Event(msgspec.Struct, frozen=True):
    id: str
    label: str
    languages: tuple
    members: tuple


class Summary(msgspec.Struct, frozen=True):
    id: str
    title: str
    lang: str
    source: str
    date: str | None
    read: bool = False
    starred: bool = False


def _library() -> tuple[list, list]:
    summaries = [Summary(f"s{i}", f"Title {i}", ("en", "tr")[i % 2], f"source{i % 3}", f"2024-{1 + i % 3:02d}-01",
                         read=i % 4 == 0) for i in range(12)]
    events = [Event("ev-1", "Talks", ("en", "tr"), ("s1", "s2", "s3"))]
    return summaries, events


@pytest.mark.parametrize("sort", ["date", "source", "language"])
def test_a_mark_changes_its_row_and_heading_as_a_rebuild_would(sort):
    summaries, events = _library()
    rows = article_rows(summaries, events, sort)
    for article_id, read in (("s2", True), ("s5", True), ("s4", False), ("s2", False)):
        place = next(i for i, s in enumerate(summaries) if s.id == article_id)
        summaries[place] = msgspec.structs.replace(summaries[place], read=read)
        assert rows.update(summaries[place])
        assert [(r.kind, r.text, r.summary) for r in rows] == \
            [(r.kind, r.text, r.summary) for r in article_rows(summaries, events, sort)], (article_id, read)
    assert not rows.update(Summary("elsewhere", "", "en", "", None))


@pytest.mark.parametrize("sort", ["date", "source", "language"])
def test_an_article_taken_out_leaves_the_rows_a_rebuild_would_make(sort):
    summaries, events = _library()
    rows = article_rows(summaries, events, sort)
    for article_id in ("s1", "s6", "s2", "s3", "s9"):  # the event's members go, then its heading
        rows.remove(article_id)
        summaries = [s for s in summaries if s.id != article_id]
        fresh = article_rows(summaries, events, sort)
        assert [(r.kind, r.text, r.summary) for r in rows] == [(r.kind, r.text, r.summary) for r in fresh], article_id
        assert rows.selectable == fresh.selectable and rows.places == fresh.places


async def test_actions_that_need_the_library_wait_for_it(make_app, monkeypatch):
    """check_action: until the library is open, `m`, `c` and the others are disabled (no guard
    in each action), and the command palette does not offer them."""
    from newsreader.tui.parts.library_model import LibraryModel

    monkeypatch.setattr(LibraryModel, "open", lambda self: None)  # the library never opens
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        main = app.main
        assert main.library is None
        for action in ("toggle_read", "compare", "related", "fetch", "add_files", "show_filter"):
            assert main.check_action(action, ()) is None, action
        assert main.check_action("language_filter", ()) and main.check_action("toggle_translation", ())
        await pilot.press("m", "c", "f")  # nothing runs: no worker, no error
        await settle(pilot)
        assert not main.status.tasks.get("fetch") and not main.status.note
        names = await _palette(pilot)
        assert "Search" in names and "Read/unread" not in names and "Compare" not in names


async def test_the_command_palette_offers_the_commands_of_the_screen_it_opens_on(make_app):
    """It offered the main screen's commands over the compare view, and ran them there."""
    from newsreader.tui.screens.compare import CompareScreen

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        names = await _palette(pilot)
        assert {"Search", "Compare", "Read/unread", "Theme", "Quit"} <= names
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c")  # the compare view of the Ashgabat reports
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        names = await _palette(pilot)
        assert {"Next", "Previous", "Translation", "Back", "Quit"} <= names
        assert not names & {"Search", "Compare", "Read/unread", "Fetch feeds"}


async def _palette(pilot) -> set[str]:
    """The names the command palette lists with nothing typed (it is left open)."""
    from textual.command import CommandPalette
    from textual.widgets import OptionList

    app = pilot.app
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    options = app.screen.query_one(OptionList)
    return {str(options.get_option_at_index(i).prompt).split("  (")[0] for i in range(options.option_count)}

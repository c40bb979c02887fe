"""Snapshots at 80x24 and 160x48 (fixed library in a tmp dir, tiny real models)."""

from __future__ import annotations

import pytest

from helpers.pilot import settle, wait_for


async def _open(pilot, article_id: str) -> None:
    app = pilot.app
    await settle(pilot)
    app.sources.cursor = next(i for i, r in enumerate(app.sources.rows)
                              if r.kind == "article" and r.summary.id == article_id)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_start(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_article_with_translation(snap_compare, make_app, size):
    async def run_before(pilot):
        await _open(pilot, "tr_meeting")

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_search_results(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash", *"putin")
        await settle(pilot)
        pilot.app.search_bar.input.cursor_blink = False  # the same frame each time (it flaked under load)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_arabic_visual_160(snap_compare, make_app):
    async def run_before(pilot):
        await _open(pilot, "ar_meeting")

    assert snap_compare(make_app(), terminal_size=(160, 48), run_before=run_before)


def test_help_80(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_compare_view(snap_compare, make_app, size):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("c")  # the selected article's event, its three reports side by side
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 48)])
def test_list_of_long_titles_and_full_dates(snap_compare, make_news_app, size):
    """Issue 12, items 1, 2 and 12: the list uses its width, day dates fit their column,
    undated articles are grouped by source, and the position shows under the list."""
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("j")

    assert snap_compare(make_news_app(), terminal_size=size, run_before=run_before)


def test_seeds_at_120(snap_compare, seeded_library, translator_factory):
    """Issue 12, item 1: the two Turkish seeds, whose titles share their first 44 characters,
    differ on screen at 120 columns."""
    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.config import Settings, UiSection

    settings = Settings(ui=UiSection(rtl="visual")).with_library(seeded_library.folder)
    app = NewsreaderApp(settings, library=seeded_library, translator_factory=translator_factory, environ={})
    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)


def test_language_picker_80(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_target_picker_80(snap_compare, make_app):
    async def run_before(pilot):
        await _open(pilot, "tr_meeting")
        await pilot.press("T")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_command_palette_80(snap_compare, make_app):
    async def run_before(pilot):
        from textual.command import CommandList

        await settle(pilot)
        await pilot.press("ctrl+p")
        # every command listed, the input's cursor not blinking: the same frame each time
        await wait_for(pilot, lambda: pilot.app.screen.query(CommandList)
                       and pilot.app.screen.query_one(CommandList).option_count >= 13)
        pilot.app.screen.query_one("CommandInput").cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_narrow_layout_after_escape_and_tab(snap_compare, make_app):
    """80x24: open an article, Esc back to the list, Tab into the article again."""
    async def run_before(pilot):
        await _open(pilot, "tr_meeting")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("tab")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_no_model_message_80(snap_compare, make_app, no_models_factory):
    async def run_before(pilot):
        await _open(pilot, "tr_meeting")

    assert snap_compare(make_app(no_models_factory), terminal_size=(80, 24), run_before=run_before)


def test_translation_pane_hidden_120(snap_compare, make_app):
    async def run_before(pilot):
        await _open(pilot, "tr_meeting")
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=run_before)


def test_inline_search_error_80(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash", *"date:garbage")
        await settle(pilot)
        pilot.app.search_bar.input.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_no_color_80(snap_compare, make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot):
        await _open(pilot, "tr_meeting")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_und_article_names_the_key_that_sets_its_language_80(snap_compare, make_app, library, tmp_path):
    from helpers.models import SQ
    path = tmp_path / "unknown.txt"
    path.write_text("Lajm pa gjuhë\n\n" + "\n\n".join(p["source"] for p in SQ[:2]), encoding="utf-8")
    (article_id,) = library.add([path], lang="und").added

    async def run_before(pilot):
        await _open(pilot, article_id)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_add_dialog_80(snap_compare, make_app, tmp_path):
    # The dialog with a path that is not there: the one-line error under the input.
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        field = pilot.app.screen.query_one("#add-path")
        field.cursor_blink = False
        await pilot.press(*"/news/wikinews.jsonl", "enter")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_set_language_picker_80(snap_compare, make_app):
    async def run_before(pilot):
        await _open(pilot, "sq_meeting")
        await pilot.press("L")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_arabic_typed_in_the_search_box_80(snap_compare, make_app):
    """Issue 12, item 13: the query shaped and right to left in the box, as in the list."""
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash", *"بوتين")
        await settle(pilot)
        pilot.app.search_bar.input.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_related_coverage_of_the_arabic_article(snap_compare, make_app, size):
    """Issue 22, items 5 and 9: the "Related to" heading shaped and in display order; the
    status line's note whole at 80 columns."""
    async def run_before(pilot):
        await _open(pilot, "ar_meeting")
        await pilot.press("r")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_a_query_hint_wraps_whole(snap_compare, make_app, size):
    """Issue 22, item 9: "a phrase is not closed: add the closing \"" wraps, never cut."""
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash", *'"Putin')
        await settle(pilot)
        pilot.app.search_bar.input.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)

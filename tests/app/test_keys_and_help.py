"""Keys: moving between panes, quitting, the help screen and the command palette, remapped keys
and the errors a bad binding gives."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from newsreader.tui import keymap
from newsreader.tui.app import run_app
from newsreader.tui.config import ConfigError, Settings
from newsreader.tui.screens.help import HelpScreen

from helpers.pilot import open_article, settle
from helpers.screen import screen_text


async def test_tab_and_shift_tab_move_between_panes(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        reader = app.reader
        await pilot.press("enter")  # before an article is open there is no reading pane to go to
        await settle(pilot)
        app.sources.focus()
        await pilot.pause()
        assert app.focused is app.sources
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is reader.article_view
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is reader.translation_view
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is app.sources
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is reader.translation_view


async def test_help_lists_every_binding(make_app):
    app = make_app(keys={"search": "ctrl+f", "compare.next": "n"})
    async with app.run_test(size=(160, 100)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for binding in keymap.all_bindings():  # the compare view's and the timeline's too
            assert binding.id in text, binding.id
        assert "Ctrl+F" in text  # the user's remap, not the default
        assert "Compare view" in text and re.search(r"║ n +Next +compare\.next ", text)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits_with_status_zero(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0 and app.return_code == 0


async def test_command_palette_offers_app_commands(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "tr_meeting")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Translation")
        await pilot.pause(0.5)
        assert "Translation  (t)" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.show_translation is False


async def test_keys_are_remapped_from_settings(make_app):
    app = make_app(keys={"search": "ctrl+f", "toggle_translation": "f2"})
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert not app.search_bar.display
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.search_bar.display
        await pilot.press("escape", "f2")
        await pilot.pause()
        assert app.reader.show_translation is False


def test_unknown_binding_id_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="unknown key binding id 'serach'"):
        run_app(Settings(keys={"serach": "ctrl+f"}).with_library(tmp_path))


async def test_help_at_80x24_shows_how_to_close_and_scrolls_with_g_and_G(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Esc, q or ? closes" in screen_text(app)
        scroll = app.screen.query_one("#help-scroll")
        assert scroll.max_scroll_y > 0 and scroll.scroll_y == 0
        await pilot.press("G")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        assert "Esc, q or ? closes" in screen_text(app)
        await pilot.press("g")
        await pilot.pause()
        assert scroll.scroll_y == 0


async def test_the_palette_lists_each_command_once_with_its_keys(make_app):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        lines = [line.strip() for line in screen_text(app).splitlines()]
        assert lines.count("Quit  (q)") == 1 and "Quit" not in lines  # one line each, keys beside
        assert "Translation  (t)" in lines and "Keys" not in lines


def test_key_names_have_one_spelling():
    shown = {binding.id: keymap.keys_for(binding, {}) for binding in keymap.all_bindings()}
    assert shown["command_palette"] == "Ctrl+P" and shown["focus_previous_pane"] == "Shift+Tab"
    assert keymap.keys_for(keymap.MAIN[0], {"search": "ctrl+f,f3"}) == "Ctrl+F, F3"
    assert shown["target_language"] == "T" and shown["toggle_translation"] == "t"


async def test_the_footer_at_40_columns_has_no_stray_characters(make_app):
    app = make_app()
    async with app.run_test(size=(40, 15)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "Commands" not in footer and "^p" not in footer
        assert footer.startswith("⏎ Open / Search")


def test_key_conflicts_and_unknown_ids_are_one_error_everywhere(tmp_path):
    """Issue 12, item 19: `search = "q"` would silently take Quit's key; the command line
    accepted unknown ids the app refused."""
    from newsreader.tui import config

    conflict = tmp_path / "conflict.toml"
    conflict.write_text('[keys]\nsearch = "q"\n')
    with pytest.raises(ConfigError, match="gives 'q' to both quit and search"):
        config.load(conflict, env={})
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[keys]\nserach = "ctrl+f"\n')
    with pytest.raises(ConfigError, match="unknown key binding id 'serach'"):
        config.load(unknown, env={})
    code = subprocess.run([sys.executable, "-m", "newsreader.tui.cli", "list"], capture_output=True, text=True,
                          env={"NEWSREADER_CONFIG": str(conflict), "NEWSREADER_LIBRARY": str(tmp_path / "lib"),
                               "PATH": "/usr/bin:/bin"})
    assert code.returncode == 2 and "gives 'q' to both quit and search" in code.stderr

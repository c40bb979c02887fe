"""Snapshots of what issue 21's keys show: the | dialog and a command's output, the tag
picker, and the status line's notice after A with the next timed fetch (80x24 and 160x48)."""

from __future__ import annotations

import pytest

from helpers.pilot import settle, wait_for


async def open_pipe_dialog(pilot) -> None:
    """The second article open, and | pressed."""
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    await pilot.press("vertical_line")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_pipe_dialog(snap_compare, make_app, size):
    async def run_before(pilot):
        await open_pipe_dialog(pilot)
        await pilot.press(*"wc -w")
        pilot.app.screen.query_one("#pipe-command").cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_pipe_output_80(snap_compare, make_app):
    async def run_before(pilot):
        from newsreader.tui.screens.pipe import OutputScreen

        await open_pipe_dialog(pilot)
        pilot.app.screen.query_one("#pipe-command").value = "echo '[b]3[/b] words'"  # no path: the same title anywhere
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, OutputScreen))
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_marked_all_read_notice_80(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)

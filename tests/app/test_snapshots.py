"""Snapshots at 80x24 and 160x48 (fixed library in a tmp dir, tiny real models)."""

from __future__ import annotations

import pytest
from conftest import settle


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

"""Events in the app: from an article to its event, its related coverage and the compare view."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.models import SQ
from helpers.pilot import ids, open_article, select, settle

QUAKE = Path(__file__).resolve().parents[1] / "fixtures" / "izmir-quake.jsonl"  # 42 vs 45 injured, 1 vs 2 October


async def compare_view(pilot, article_id: str):
    """The compare view of the article's event (`c` with the list's cursor on the article)."""
    from newsreader.tui.screens.compare import CompareScreen

    await settle(pilot)
    await select(pilot, article_id)
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CompareScreen)
    return pilot.app.screen


async def test_from_an_article_to_its_event_its_related_coverage_and_the_compare_view(make_app):
    from newsreader.tui.screens.compare import CompareScreen

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "tr_meeting")
        await pilot.press("e")  # back to the list, on the article, under its event heading
        await settle(pilot)
        assert app.focused is app.sources and app.sources.selected.id == "tr_meeting"
        heading = max(i for i, r in enumerate(app.sources.rows[:app.sources.cursor]) if r.kind == "group")
        assert app.sources.rows[heading].event is not None
        await pilot.press("r")  # related coverage of the selected article
        await settle(pilot)
        assert app.sources.rows[0].text == "Related to (3): Putin ve Pezeşkiyan Aşkabat'ta"
        related = [r.summary.id for r in app.sources.rows if r.kind == "article"]
        assert set(related[:2]) == {"sq_meeting", "ar_meeting"}
        notes = [r.text for r in app.sources.rows if r.kind == "snippet"]
        assert "same event ·" in notes[0] and "other event ·" in notes[-1] and "similarity" in notes[0]
        await pilot.press("escape")
        await settle(pilot)
        assert ids(app)[:3] == ["ar_meeting", "sq_meeting", "tr_meeting"]
        await pilot.press("c")  # compare the reports of the selected article's event
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert [a.id for a in screen.articles] == ["ar_meeting", "sq_meeting", "tr_meeting"]
        assert all(reader.display for reader in screen.readers)  # 160 columns: side by side
        await settle(pilot)
        translations = [r.translation_view.translations for r in screen.readers]
        assert translations[1] == [p["target"] for p in SQ[:3]]  # each with its translation
        assert "report 1/3" in str(screen.query_one("#compare-header").render())
        await pilot.press("right")
        assert screen.current == 1 and app.focused is screen.readers[1].article_view
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CompareScreen)


async def test_compare_shows_one_report_at_a_time_at_80_columns(make_app):
    from newsreader.tui.screens.compare import CompareScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert [r.display for r in screen.readers] == [True, False, False]
        await pilot.press("l")
        assert [r.display for r in screen.readers] == [False, True, False]
        await pilot.press("h", "h")
        assert [r.display for r in screen.readers] == [False, False, True]


async def test_compare_view_lists_where_the_events_reports_disagree(make_app, library):
    assert not library.add([QUAKE]).problems
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await compare_view(pilot, "quake-b")
        section = screen.query_one("#compare-disagreements")
        lines = str(section.render()).splitlines()
        assert section.display and section.region.height == 3
        assert lines[0].startswith("Disagreements injured / people: 42 (Daily Post) · 45 (Evening Herald)")
        assert "dates: 1 Oct (Daily Post) · 2 Oct (Evening Herald)" in lines[1]
        assert "Elban quoted: “We have no reports of deaths so far,” (Daily Post)" in lines[2]
        assert screen.readers[0].display  # the reports keep the rest of the screen


async def test_the_compare_views_header_says_what_each_report_adds_beyond_the_others(make_app, library):
    """The later quake report repeats no sentence of the earlier one word for word, but every
    sentence has a counterpart there (it names Elban, Izmir, AFAD...): what it adds is a name,
    a number, a date and a quote, which the header says (it said "adds 0 sentences")."""
    assert not library.add([QUAKE]).problems
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await compare_view(pilot, "quake-b")
        headers = {}
        for _ in screen.articles:
            lines = str(screen.query_one("#compare-header").render()).splitlines()
            headers[screen.articles[screen.current].id] = lines
            await pilot.press("right")
        assert headers["quake-b"][0].startswith("Elban · Izmir · AFAD · report ")
        assert headers["quake-b"][1] == "adds names: Turkey · numbers: 45 · dates: 2 Oct · 1 quote"
        assert headers["quake-a"][1] == "adds numbers: 42 · dates: 1 Oct · 1 quote"
        assert screen.query_one("#compare-header").region.height == 2


async def test_the_compare_views_header_counts_the_sentences_it_marks(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await compare_view(pilot, "sq_meeting")
        for _ in screen.articles:
            article = screen.articles[screen.current]
            marked = screen.adds[article.id].sentences
            line = str(screen.query_one("#compare-header").render()).splitlines()[1]
            if marked:
                n = len(marked)
                assert line.startswith(f"adds {n} sentence{'s' if n != 1 else ''} (reversed)")
            else:
                assert "sentence" not in line
            await pilot.press("right")
        assert any(screen.adds[a.id].sentences for a in screen.articles)


async def test_compare_view_shows_no_disagreements_section_without_any(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await compare_view(pilot, "en_report")  # alone in its event: compared with the closest coverage
        assert not screen.query_one("#compare-disagreements").display


async def test_the_compare_views_keys_are_remappable(make_app):
    """(The help lists them with the remap: test_keys_and_help.test_help_lists_every_binding.)"""
    from newsreader.tui import keymap
    from newsreader.tui.screens.compare import CompareScreen

    app = make_app(keys={"compare.next": "n", "compare.close": "x"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.current == 0
        await pilot.press("l")  # no longer bound
        assert screen.current == 0
        await pilot.press("n")
        assert screen.current == 1 and [r.display for r in screen.readers] == [False, True, False]
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)
    with pytest.raises(keymap.KeymapError, match="gives 'q' to both quit and compare.next"):
        keymap.keymap_for({"compare.next": "q"})  # q goes back from the view: one key, one thing

"""The app translates titles and leads on request (ctrl+g or the palette), in a worker with its
progress in the status line; search then finds reports through their English gloss."""

from __future__ import annotations

from helpers.pilot import settle, wait_for
from helpers.screen import screen_text


async def test_translate_titles_and_leads_then_search_through_them(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"met")
        await settle(pilot)
        assert [r.summary.id for r in app.sources.rows if r.kind == "article"] == ["en_report"]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: "Translated the titles and leads of 3 articles"
                       in " ".join(screen_text(app).split()))
        await pilot.press("slash", *"met")
        await settle(pilot)
        rows = app.sources.rows
        translated = sorted(rows[i - 1].summary.id for i, row in enumerate(rows)
                            if row.kind == "snippet" and row.text.startswith("en≈ "))
        assert translated == ["ar_meeting", "sq_meeting", "tr_meeting"]  # "Putin and Pezeshkian met in Ashgabat."
        assert [r.summary.id for r in rows if r.kind == "article"][0] == "en_report"  # its own words rank first


async def test_without_models_the_app_says_how_to_add_one(make_app, no_models_factory):
    app = make_app(no_models_factory)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: "No translation model is installed" in " ".join(screen_text(app).split()))

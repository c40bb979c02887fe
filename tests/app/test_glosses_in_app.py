"""The app translates titles and leads on request (ctrl+g or the palette), in a worker with its
progress in the status line; search then finds reports through their English gloss. What an
add (a) or a fetch (f) brings is translated as it comes, as the command line's add and fetch do."""

from __future__ import annotations

import json

from helpers.models import TR
from helpers.pilot import notifications, settle, wait_for
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


# Said only by the gloss of TR[4] ("Relations between Iran and Russia are improving every day!"):
# no article of the app's library has it in English.
IMPROVING = TR[4]["source"]


def found_through_translation(library, word: str) -> list[str]:
    return sorted(r.article.id for r in library.search(word) if r.matched == ("translation",))


async def test_an_add_in_the_app_translates_the_titles_and_leads_it_brings(make_app, library, tmp_path):
    row = {"id": "haber:1", "lang": "tr", "source": "haber", "title": IMPROVING, "text": TR[1]["source"]}
    (tmp_path / "haber.jsonl").write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#add-path").value = str(tmp_path / "haber.jsonl")
        await pilot.press("enter")
        await settle(pilot)
        await wait_for(pilot, lambda: any("haber.jsonl: 1 added" in n for n in notifications(app)))
        assert any("Translated the titles and leads of 1 article into English" in n for n in notifications(app))
    assert found_through_translation(library, "improving") == ["haber:1"]


async def test_a_fetch_in_the_app_translates_the_titles_and_leads_it_brings(make_app, library, server):
    from local_http import Route

    server.routes["/haber.xml"] = Route(
        ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Haber</title>'
         f"<language>tr</language><item><guid>urn:tr:1</guid><title>{IMPROVING}</title>"
         f"<description>{TR[1]['source']}</description></item></channel></rss>").encode())
    library.subscribe(server.url("/haber.xml"), name="haber")
    app = make_app()
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await wait_for(pilot, lambda: any("Fetched 1 feed: 1 new" in n for n in notifications(app)))
        assert any("Translated the titles and leads of 1 article into English" in n for n in notifications(app))
    (article,) = library.articles(feed="haber")
    assert found_through_translation(library, "improving") == [article.id]

"""The translation pane: translations from the tiny real models and their route, progress, what
shows with no model or only a cache, hiding it, the target language and its picker."""

from __future__ import annotations

import sys

from helpers.models import AR, EN_DE, SQ, TR
from helpers.pilot import open_article, settle, wait_for
from helpers.screen import screen_text


def translations(app) -> list[str | None]:
    return app.reader.translation_view.translations


async def test_translation_pane_shows_known_translations_and_route(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "tr_meeting")
        assert translations(app) == [p["target"] for p in TR[:4]]
        text = screen_text(app)
        assert "Translation into en" in text
        assert "tr→en" in text and "translate-tr_en" in text
        shown = app.reader.translation_view.text()
        for pair in TR[:4]:
            assert pair["target"] in shown
        # paragraph i starts on the same row in both panes
        article, translation = app.reader.article_view, app.reader.translation_view
        assert [article.block_row(i) for i in range(5)] == [translation.block_row(i) for i in range(5)]
        # the other languages too
        await open_article(pilot, "sq_meeting")
        assert translations(app) == [p["target"] for p in SQ[:3]]
        await open_article(pilot, "ar_meeting")
        assert translations(app) == [p["target"] for p in AR[:3]]


async def test_translation_progress_is_shown_while_translating(make_app):
    seen = []
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        original = app.reader._progress

        def spy(done, total):
            original(done, total)
            seen.append((done, total, app.reader.translation_view.status))

        app.reader._progress = spy
        statuses = []
        original_task = app.main.status.set_task

        def task(name, text):
            original_task(name, text)
            statuses.append(app.main.status.info + " " + " ".join(app.main.status.tasks.values()))

        app.main.status.set_task = task
        await open_article(pilot, "tr_meeting")
        assert any(done < total and status == f"translating {done}/{total}" for done, total, status in seen)
        # the status bar too (title and four paragraphs: five to translate, none cached)
        assert any("translating 0/5" in s for s in statuses)
        assert "translating" not in screen_text(app)  # and it goes away when done


async def test_no_model_says_which_command_installs_one(make_app, no_models_factory):
    app = make_app(no_models_factory)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "tr_meeting")
        text = app.reader.translation_view.text()
        assert "No translation into en" in text
        assert "newsreader models install" in text


async def test_cached_translations_show_after_the_model_is_removed(make_app, packages_dir, tmp_path):
    import shutil

    from newsreader.index.translation import Translator, remove_package

    app = make_app()  # translates into tmp_path / "cache", as the factory below reads it
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "sq_meeting")
        assert translations(app) == [p["target"] for p in SQ[:3]]
    fewer = tmp_path / "fewer-packages"
    shutil.copytree(packages_dir, fewer)
    remove_package(fewer, "sq-en")
    made = []

    def without_sq():
        made.append(Translator(fewer, tmp_path / "cache", cache_mb=8))
        return made[-1]

    app = make_app(without_sq)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "sq_meeting")
        assert translations(app) == [p["target"] for p in SQ[:3]]
        text = app.reader.translation_view.text()
        assert "from the translation cache · no sq→en model installed" in " ".join(text.split())
        assert "No translation" not in text and "not in the translation cache" not in text
    for translator in made:
        translator.close()


async def test_paragraphs_not_in_the_cache_say_so_and_name_the_model(make_app, packages_dir, tmp_path):
    import shutil

    from newsreader.index.translation import Translator, remove_package

    with Translator(packages_dir, tmp_path / "cache") as translator:  # two of the three paragraphs
        list(translator.translate([p["source"] for p in SQ[:2]], translator.route("sq", "en")))
    fewer = tmp_path / "fewer-packages"
    shutil.copytree(packages_dir, fewer)
    remove_package(fewer, "sq-en")
    app = make_app(lambda: Translator(fewer, tmp_path / "cache", cache_mb=8))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "sq_meeting")
        assert translations(app) == [SQ[0]["target"], SQ[1]["target"], None]
        text = " ".join(app.reader.translation_view.text().split())
        assert "(not in the translation cache)" in text
        assert "1 paragraph is not in the cache: no sq→en model installed; install translate-sq_en" in text
        assert "translating" not in screen_text(app)  # nothing is in progress
    # nothing cached at all: the error, as before
    app = make_app(lambda: Translator(fewer, tmp_path / "other-cache", cache_mb=8))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "sq_meeting")
        assert "No translation into en" in app.reader.translation_view.text()


async def test_cached_translations_show_with_the_argos_engine_missing(make_app, packages_dir, tmp_path, monkeypatch):
    from newsreader.index.translation import Translator

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "sq_meeting")
    monkeypatch.setitem(sys.modules, "argostranslate", None)  # as if not installed
    app = make_app(lambda: Translator(packages_dir, tmp_path / "cache", cache_mb=8, engine="argos"))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "sq_meeting")
        assert translations(app) == [p["target"] for p in SQ[:3]]
        text = " ".join(app.reader.translation_view.text().split())
        assert "from the translation cache" in text and "pip install 'newsreader[argos]'" in text


async def test_t_hides_and_shows_the_translation(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "tr_meeting")
        assert app.reader.translation_view.display is True
        await pilot.press("t")
        await settle(pilot)
        assert app.reader.translation_view.display is False
        assert "Translation into" not in screen_text(app)
        await pilot.press("t")
        await settle(pilot)
        assert "Translation into en" in screen_text(app)
        assert translations(app) == [p["target"] for p in TR[:4]]


async def test_target_language_can_be_changed(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "tr_meeting")
        await pilot.press("T")
        await pilot.pause()
        options = app.screen.query_one("#language-options")
        values = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = values.index("de")
        await pilot.press("enter")
        await settle(pilot)
        assert app.target == "de"
        german = {p["source"]: p["target"] for p in EN_DE}
        # tr -> en -> de: the English targets of tr_en are sources of en_de
        expected = [german.get(p["target"]) for p in TR[:4]]
        assert sum(1 for e in expected if e) >= 3
        for got, want in zip(translations(app), expected, strict=True):
            if want:
                assert got == want
        text = screen_text(app)
        assert "Translation into de" in text and "translation → de" in text


async def test_switching_article_cancels_the_translation(make_app, translator_factory):
    import threading

    gate = threading.Event()
    state = {"closed": 0, "started": 0}

    class Slow:
        """The real translator, with a translate() that waits between paragraphs."""

        def __init__(self):
            self.real = translator_factory()

        def route(self, a, b):
            return self.real.route(a, b)

        def cached(self, paragraphs, route):
            return [None] * len(paragraphs)

        def installed(self):
            return self.real.installed()

        def ready(self):
            self.real.ready()

        def translate(self, paragraphs, route):
            state["started"] += 1
            try:
                for item in self.real.translate(paragraphs, route):
                    gate.wait(5)
                    yield item
            finally:
                state["closed"] += 1

    app = make_app(Slow)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.sources.cursor = next(i for i, r in enumerate(app.sources.rows) if r.kind == "article" and r.summary.id == "tr_meeting")
        await pilot.press("enter")
        await wait_for(pilot, lambda: state["started"] == 1)
        old = [w for w in app.workers if w.group == "translate"]
        app.sources.focus()
        await pilot.press("k", "enter")  # sq_meeting, while tr is still translating
        await pilot.pause()
        assert old and all(w.is_cancelled for w in old)
        gate.set()
        await settle(pilot)
        assert app.reader.article_view.article.id == "sq_meeting"
        assert translations(app) == [p["target"] for p in SQ[:3]]
        assert state["closed"] == 2  # the old iteration was stopped, not run to the end
        assert "Will Iran and Russia cooperate?" not in screen_text(app)


async def test_the_translation_pane_collapses_when_the_article_is_in_the_target_language(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_article(pilot, "en_report")
        article = app.reader.article_view
        assert not app.reader.translation_view.display
        assert article.region.height == 24 - 2  # all but the status line and the footer
        assert "already in en" not in screen_text(app)
        await pilot.press("tab")  # the collapsed pane is skipped
        await pilot.pause()
        assert app.focused is app.sources
        await open_article(pilot, "tr_meeting")
        assert app.reader.translation_view.display and "Translation into en" in screen_text(app)


async def test_the_translation_pane_translates_the_title(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "sq_meeting")  # title "Takimi në Ashgabat"
        view = app.reader.translation_view
        assert view.title and view.text().startswith(view.title)


async def test_the_target_picker_offers_what_the_models_reach_with_names_and_keeps_the_place(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_article(pilot, "tr_meeting")
        await pilot.press("G")  # to the end of the article
        await pilot.pause()
        bottom = app.reader.article_view.scroll_y
        assert bottom > 0
        await pilot.press("T")
        await pilot.pause()
        options = app.screen.query_one("#language-options")
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        # tr→en and en→de are installed: English directly, German through English; not ar, sq, tr
        assert [label.split()[0] for label in labels] == ["de", "en"]
        assert labels == ["de  German", "en  English"]  # a name beside each code
        options.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert app.target == "de"
        assert app.reader.article_view.scroll_y == app.reader.translation_view.scroll_y
        assert app.reader.article_view.scroll_y > 0  # not back at the top

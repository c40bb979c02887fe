"""The source list: what it shows first, moving and opening with keys and the mouse, the language
filter, headings, titles cut where they differ, widths and undated articles."""

from __future__ import annotations

import pytest

from newsreader.tui.widgets.source_list import SourceList

from helpers.models import TR
from helpers.pilot import ids, open_article, settle
from helpers.screen import screen_text


async def test_starts_with_the_events_then_the_rest_by_month(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        # The three reports of the Ashgabat meeting are one event, under its heading.
        assert ids(app) == ["ar_meeting", "sq_meeting", "tr_meeting", "en_report", "evil"]
        groups = [row.text for row in app.sources.rows if row.kind == "group"]
        assert groups[1:] == ["2023-12 (1)", "2023-01 (1)"]
        assert groups[0].endswith(" · ar, sq, tr · 3") and "Putin" in groups[0]
        text = screen_text(app)
        assert "sq  example              2024-10    Takimi në Ashgabat" in text  # the whole width: no article open
        assert "5 articles · all languages · translation → en" in text
        assert app.focused is app.sources


async def test_arrows_and_j_k_move_and_enter_opens(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.sources.selected.id == "ar_meeting"
        await pilot.press("j")
        assert app.sources.selected.id == "sq_meeting"
        await pilot.press("down", "down")
        assert app.sources.selected.id == "en_report"
        await pilot.press("k")
        assert app.sources.selected.id == "tr_meeting"
        await pilot.press("enter")
        await settle(pilot)
        view = app.reader.article_view
        assert view.article.id == "tr_meeting"
        text = screen_text(app)
        assert "Putin ve Pezeşkiyan Aşkabat'ta" in text
        # the URL on a line of its own (never folded), no dangling "·"
        assert "example.org · 2024-10 · tr https://example.org/tr/aşkabat" in view.text()
        assert TR[1]["source"] in view.text()
        assert app.focused is view


async def test_language_filter(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        options = app.screen.query_one("#language-options")
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == ["all languages: 5", "Arabic (ar): 1", "English (en): 2", "Albanian (sq): 1", "Turkish (tr): 1"]
        options.highlighted = labels.index("English (en): 2")
        await pilot.press("enter")
        await settle(pilot)
        assert ids(app) == ["en_report", "evil"]
        assert "2 articles · en" in screen_text(app)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("home", "enter")
        await settle(pilot)
        assert len(ids(app)) == 5


async def test_80x24_list_then_stacked_reader(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.sources.region.width == 80 and not app.reader.article_view.region.width
        await open_article(pilot, "tr_meeting")
        article, translation = app.reader.article_view.region, app.reader.translation_view.region
        assert app.sources.display is False
        assert article.width == translation.width == 80 and article.bottom <= translation.y
        assert "We can help each other in many areas." in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app.sources and app.sources.region.width == 80
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is app.reader.article_view and app.reader.article_view.region.width == 80


async def test_mouse_click_opens_an_article(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        row = next(i for i, r in enumerate(app.sources.rows) if r.kind == "article" and r.summary.id == "en_report")
        await pilot.click(SourceList, offset=(5, row + 1))  # +1: the border
        await settle(pilot)
        assert app.reader.article_view.article.id == "en_report"


def test_short_source_keeps_what_tells_sources_apart():
    from newsreader.tui.widgets.source_list import short_source

    assert short_source("en.wikinews.org") == "wikinews"
    assert short_source("www.sputniknews.com.tr") == "sputniknews"
    assert short_source("https://news.bbc.co.uk/world") == "news.bbc"
    assert short_source("Haber Ajansı") == "Haber Ajansı"  # a feed's title is kept


def test_distinct_cut_shows_where_titles_sharing_a_beginning_differ():
    from newsreader.tui.widgets.source_list import Neighbours, distinct_cut

    a = "İran Cumhurbaşkanı Mesud Pezeşkiyan ile Rusya Devlet Başkanı Vladimir Putin Aşkabat'ta bir araya geldi"
    b = "İran Cumhurbaşkanı Mesud Pezeşkiyan Türkmenistan'daki uluslararası forumda barış çağrısı yaptı"
    titles = Neighbours([a, b, "Erdoğan, Putin ile telefonda görüştü"])
    assert titles.shared(a) == titles.shared(b) == len("İran Cumhurbaşkanı Mesud Pezeşkiyan ")
    assert titles.shared("Erdoğan, Putin ile telefonda görüştü") == 0
    assert distinct_cut(a, titles.shared(a), 30)[:30] == "İran Cumhu… ile Rusya Devlet B"
    assert distinct_cut(b, titles.shared(b), 30)[:30] == "İran Cumhu… Türkmenistan'daki "
    assert distinct_cut(a, titles.shared(a), 60) == a  # the difference shows anyway: the end is cut
    assert distinct_cut(a, 0, 30) == a  # nothing shared: the end is cut, as before
    assert distinct_cut("Short", 3, 30) == "Short"
    assert distinct_cut(a, len(a), 30) == a  # the same title twice: nothing tells them apart
    wide = "東京で会議が開かれた。首相は経済について話した。"
    cut = distinct_cut(wide, 12, 16)  # cells, not characters: the head fits a third of the width
    assert cut.startswith("東京…") and cut[len("東京… "):] == wide[12:]


async def test_rows_sharing_a_long_beginning_differ_on_screen_at_120(make_news_app):
    """Issue 12, item 1: the two Turkish headlines share 36 characters, more than the list shows."""
    app = make_news_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("G", "enter")  # an article open: the list has 40% of the width
        await settle(pilot)
        rows = [line for line in screen_text(app).splitlines() if line.lstrip("│║ ").startswith("tr  2024-10-1")]
        turkish = [row.split("2024-10-1", 1)[1][2:].split("│")[0].split("║")[0] for row in rows]
        pezeshkian = [title for title in turkish if title.startswith("İran")]
        assert len(pezeshkian) == 2 and pezeshkian[0] != pezeshkian[1], pezeshkian
        assert {"ile Rusya", "Türkmenistan"} <= {part for title in pezeshkian
                                                for part in ("ile Rusya", "Türkmenistan") if part in title}


@pytest.mark.parametrize("width", [120, 200])
async def test_the_list_uses_its_width_and_shows_whole_day_dates(make_news_app, width):
    app = make_news_app()
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(pilot)
        assert app.sources.region.width == width  # no article open: the list has the width
        await pilot.press("G", "enter")  # reading: the list keeps 40%
        await settle(pilot)
        assert app.sources.region.width == max(44, width * 40 // 100)
        lines = screen_text(app).splitlines()
        row = next(line for line in lines if "Erdoğan" in line)
        assert "2024-10-10 Erdoğan, Putin ile" in row  # the date whole, then a space
        title = "Erdoğan, Putin ile telefonda görüştü: Orta Doğu'daki son gelişmeler ve tahıl koridoru ele alındı"
        shown = row.split("2024-10-10 ", 1)[1].split("│")[0].split("║")[0].rstrip()
        assert len(shown) >= app.sources.region.width - 40  # the title takes what is left
        assert title.startswith(shown.rstrip("…"))
        if width >= 160:
            assert "Haber Ajansı" in row


async def test_undated_articles_are_grouped_by_source_by_title_with_a_position(make_news_app):
    app = make_news_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = app.sources.rows
        start = next(i for i, r in enumerate(rows) if r.text == "undated · en.wikinews.org (2)")
        assert [r.summary.title for r in rows[start + 1:start + 3]] == [
            "Astronomers find a new moon orbiting Neptune", "Zambian president dies in Paris hospital"]
        assert rows[start + 3].text == "undated · fr.wikinews.org (1)"
        assert app.sources.border_subtitle == "1/6"
        await pilot.press("G")
        assert app.sources.border_subtitle == "6/6" and "6/6" in screen_text(app)


async def test_a_list_longer_than_the_screen_never_scrolls_sideways(make_news_app):
    """Issue 12, item 3: the list's virtual width counted the scrollbar's column, so a
    horizontal scrollbar (a stray `▏` at the bottom right) appeared under any long list."""
    app = make_news_app()
    async with app.run_test(size=(80, 10)) as pilot:
        await settle(pilot)
        sources = app.sources
        assert sources.max_scroll_y > 0 and sources.show_vertical_scrollbar  # longer than the screen
        assert not sources.show_horizontal_scrollbar and sources.max_scroll_x == 0
        assert "▏" not in "\n".join(screen_text(app).splitlines()[:-1])  # the footer's own separator aside

"""The article pane: text shown literally (markup, control characters, bidi), scrolling, the header,
wrapping and lists, right-to-left modes, NO_COLOR."""

from __future__ import annotations

from rich.text import Text

from newsreader.index import Article
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.config import Settings

from helpers.models import AR
from helpers.pilot import open_article, settle
from helpers.screen import screen_text


async def test_markup_and_control_characters_show_literally(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "evil")
        text = app.reader.article_view.text()
        assert "Evil [bold]x[/bold] title" in text
        assert "Markup [bold]x[/bold] and [link=http://evil]y[/link] stays literal." in text
        # straight into the widget, bypassing the engine's own cleaning: defence in depth
        raw = Article(id="raw", title="T [bold]x[/bold] \x1b]0;pwned\x07", lang="en",
                      paragraphs=("a \x1b[31mred\x1b[0m b \x07 c \x9b2J d [link=http://evil]y[/link]",),
                      source="s\x1b[5m", url="http://e/\x1b]8;;http://evil\x1b\\")
        app.reader.open(raw)
        await settle(pilot)
        text = app.reader.article_view.text()
        assert "T [bold]x[/bold]" in text and "a red b c d [link=http://evil]y[/link]" in text
        assert "pwned" not in text
        for widget in (app.reader.article_view, app.reader.translation_view, app.sources):
            for y in range(widget.size.height):
                for segment in widget.render_line(y):
                    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in segment.text), segment
                    # the one link is the article's own URL, the escape sequence in it dropped
                    assert not segment.style or segment.style.link in (None, "http://e/"), segment


async def test_scrolling_moves_both_panes(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_article(pilot, "tr_meeting")
        article, translation = app.reader.article_view, app.reader.translation_view
        bottom = article.max_scroll_y
        assert bottom > 0 and app.focused is article
        await pilot.press("j")
        await pilot.pause()
        assert article.scroll_y == translation.scroll_y == 1
        await pilot.press("G")
        await pilot.pause()
        assert article.scroll_y == translation.scroll_y == bottom
        translation.focus()
        await pilot.press("g")
        await pilot.pause()
        assert article.scroll_y == translation.scroll_y == 0


async def test_no_color_keeps_focus_and_cursor_visible(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color
        lines = screen_text(app).splitlines()
        assert lines[0].startswith("╔")  # the focused pane has a double border
        strip = app.sources.render_line(app.sources.cursor)
        assert any(seg.style and seg.style.reverse for seg in strip if seg.text.strip())


async def test_rtl_visual_and_logical(make_app):
    for mode in ("visual", "logical"):
        app = make_app(rtl=mode)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await open_article(pilot, "ar_meeting")
            view = app.reader.article_view
            row = view.block_row(1)
            line = "".join(seg.text for seg in view.render_line(row)).strip(" ║│")
            shaped = any(0xFE70 <= ord(ch) <= 0xFEFF for ch in line)
            if mode == "visual":
                assert shaped and line.startswith(".")  # reordered: the full stop is on the left
                assert "".join(seg.text for seg in view.render_line(row)).startswith(" " * 10)  # right-aligned
            else:
                assert not shaped and AR[0]["source"] in line


async def test_bidi_isolates_in_titles_and_text_do_not_crash_the_visual_rtl_mode(tmp_path, translator_factory):
    """Issue 9, defect 1: a title with U+2066..U+2069 crashed the app at start in visual RTL mode
    (python-bidi asserts), and a paragraph with one crashed it on Enter."""
    from newsreader.index import Library
    from newsreader.tui import rtl
    from newsreader.tui.config import UiSection

    (tmp_path / "t.txt").write_text("خبر \u2066ABC\u2069 عاجل\n\nقال الرئيس \u2067نعم\u2069 اليوم.\n", encoding="utf-8")
    with Library(tmp_path / "library", workers=1) as library:
        library.add([tmp_path / "t.txt"])
        settings = Settings(ui=UiSection(rtl="visual")).with_library(library.folder)
        app = NewsreaderApp(settings, library=library, translator_factory=translator_factory, environ={})
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert "ABC" in screen_text(app)
            await pilot.press("enter")
            await settle(pilot)
            assert "\u2066" not in screen_text(app) and "ABC" in app.reader.article_view.text()
    line = rtl.visual_line(Text("خبر \u2066ABC\u2069 عاجل"), True)  # the widget-free path too
    assert "ABC" in line.plain


async def test_no_text_hides_behind_a_scrollbar_after_a_resize(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_article(pilot, "tr_meeting")
        for size in ((40, 15), (120, 40), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            for pane in (app.reader.article_view, app.reader.translation_view):
                width = pane.scrollable_content_region.width
                assert not pane.show_horizontal_scrollbar and pane.max_scroll_x == 0
                assert width == pane.size.width - 1  # the scrollbar's column is kept free
                assert all(strip.cell_length <= width for strip in pane._lines)
                assert "Putin" in pane.text() or "Putin" in app.reader.translation_view.text()


async def test_opening_the_first_article_never_wraps_at_a_placeholder_width(make_app, monkeypatch):
    """Issue 12, item 5: the reading area is hidden at 80x24 until an article opens; wrapping
    it at a made-up width drew one word a line for a frame."""
    from newsreader.tui.widgets.paragraph_pane import ParagraphPane

    widths = []
    original = ParagraphPane._wrap

    def spy(self, block, width):
        widths.append(width)
        return original(self, block, width)

    monkeypatch.setattr(ParagraphPane, "_wrap", spy)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_article(pilot, "ar_meeting")
        assert widths and min(widths) >= 70


async def test_the_header_shows_a_title_once_and_the_url_whole(make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        url = "https://example.org/" + "a-very-long-path-segment/" * 6 + "end.html"
        derived = Article(id="d", title="Putin and Pezeshkian met in Ashgabat…", lang="en", source="example.org",
                          paragraphs=("Putin and Pezeshkian met in Ashgabat on Friday for talks on trade.", "More."),
                          url=url)
        app.reader.open(derived)
        await settle(pilot)
        view = app.reader.article_view
        assert view.title_text == "" and "Ashgabat…" not in view.text()
        assert view.text().count("Putin and Pezeshkian met") == 1
        repeated = Article(id="h", title="Leaders meet", lang="en", source="example.org", date="2024-10-12",
                           paragraphs=("Leaders meet", "They talked."), url=url)
        app.reader.open(repeated)
        await settle(pilot)
        assert view.text().count("Leaders meet") == 1
        lines = ["".join(seg.text for seg in strip).rstrip() for strip in view._lines]
        assert lines[1] == "example.org · 2024-10-12 · en"  # no dangling "·"
        assert lines[2].startswith("https://example.org/a-very") and lines[2].endswith("end.html")
        assert "…" in lines[2] and len(lines[2]) <= view.scrollable_content_region.width
        await pilot.press("y")
        assert app.clipboard == url


async def test_markdown_lists_show_one_item_a_line(make_app, library, tmp_path):
    (tmp_path / "list.md").write_text("# Agenda\n\nThey discussed **three** things:\n\n- energy\n- trade\n- transport\n",
                                      encoding="utf-8")
    library.add([tmp_path / "list.md"])
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_article(pilot, next(s.id for s in library.articles() if s.title == "Agenda"))
        lines = ["".join(seg.text for seg in strip).strip() for strip in app.reader.article_view._lines]
        start = lines.index("• energy")
        assert lines[start:start + 3] == ["• energy", "• trade", "• transport"]
        assert "They discussed three things:" in lines and "**" not in " ".join(lines)

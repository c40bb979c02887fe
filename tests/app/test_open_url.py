"""An article's URL: a hyperlink in its header, and `O` opening a browser only where one can show."""

from __future__ import annotations

import pytest

from helpers.pilot import open_article, settle
from helpers.screen import screen_text


def test_link_target_keeps_only_web_urls_and_encodes_the_rest():
    from newsreader.tui.hyperlinks import link_target

    assert link_target("https://example.org/tr/aşkabat?q=1#x") == "https://example.org/tr/a%C5%9Fkabat?q=1#x"
    assert link_target("http://example.org/a%20b") == "http://example.org/a%20b"  # an escape stays one
    assert link_target("https://example.org/\x1b]8;;https://evil\x1b\\") is None  # controls: no link at all
    assert link_target("https://example.org/a b") is None
    assert link_target("javascript:alert(1)") is None and link_target("file:///etc/passwd") is None
    assert link_target("https://[::1") is None and link_target("") is None and link_target(None) is None
    target = link_target("https://example.org/[bold]x[/bold]\u202e")
    assert target == "https://example.org/[bold]x[/bold]%E2%80%AE" and target.isascii()


def test_a_browser_opens_only_on_the_readers_own_screen():
    from newsreader.tui.hyperlinks import browser_here

    assert browser_here({"DISPLAY": ":0"}, "linux") is None
    assert browser_here({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert browser_here({}, "darwin") is None
    assert "SSH" in browser_here({"DISPLAY": "localhost:10.0", "SSH_CONNECTION": "1 2 3 4"}, "linux")
    assert "SSH" in browser_here({"SSH_TTY": "/dev/pts/1"}, "darwin")
    assert "no graphical display" in browser_here({}, "linux")


def _app_in(make_app, environ):
    app = make_app()
    app.environ = environ
    return app


async def test_the_articles_url_is_a_hyperlink_in_its_header(make_app):
    from helpers.screen import screen_ansi

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await open_article(pilot, "tr_meeting")
        view = app.reader.article_view
        segments = [seg for y in range(view.size.height) for seg in view.render_line(y)]
        linked = [seg for seg in segments if seg.style and seg.style.link]
        assert "".join(seg.text for seg in linked) == "https://example.org/tr/aşkabat"  # the whole URL, shown
        assert {seg.style.link for seg in linked} == {"https://example.org/tr/a%C5%9Fkabat"}
        assert all(seg.style.underline for seg in linked)
        ansi = screen_ansi(app)  # what the terminal gets: an OSC 8 hyperlink around the URL
        assert ";https://example.org/tr/a%C5%9Fkabat\x1b\\" in ansi and "\x1b]8;id=" in ansi
        await open_article(pilot, "ar_meeting")  # no URL: no link
        assert not [seg for y in range(view.size.height) for seg in view.render_line(y) if seg.style and seg.style.link]


async def test_open_url_opens_the_browser_where_there_is_a_display(make_app, monkeypatch):
    app = _app_in(make_app, {"DISPLAY": ":0"})
    opened = []
    monkeypatch.setattr(app, "open_url", lambda url, **kwargs: opened.append(url))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("O")
        assert opened == [] and "no article open" in screen_text(app)
        await open_article(pilot, "tr_meeting")
        await pilot.press("O")
        await pilot.pause()
        assert opened == ["https://example.org/tr/a%C5%9Fkabat"]
        assert "URL opened in the browser" in screen_text(app)
        await open_article(pilot, "ar_meeting")
        await pilot.press("O")
        await pilot.pause()
        assert len(opened) == 1 and "this article has no URL" in screen_text(app)


@pytest.mark.parametrize("environ", [{"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22", "DISPLAY": "localhost:10.0"}, {}])
async def test_open_url_says_what_to_do_where_no_browser_can_show(make_app, monkeypatch, environ):
    app = _app_in(make_app, environ)
    opened, notes = [], []
    monkeypatch.setattr(app, "open_url", lambda url, **kwargs: opened.append(url))
    app.keymap = {**app.keymap, "copy_url": "Y"}  # the message names the key as remapped
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.main, "notify", lambda message, **kwargs: notes.append(message))
        await open_article(pilot, "tr_meeting")
        await pilot.press("O")
        await pilot.pause()
        assert opened == [] and len(notes) == 1
        assert ("SSH session" if environ else "no graphical display") in notes[0]
        assert "Click the URL in the article's header" in notes[0] and "press Y to copy it" in notes[0]

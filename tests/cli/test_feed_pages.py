"""`fetch --fetch-pages` (issue 10): items whose feed carries only a summary get the full text
of their page, downloaded from a real HTTP server on 127.0.0.1 started in the test."""

from __future__ import annotations

import json

import pytest

from helpers.cli import run
from local_http import Route

SUMMARIES = {
    "strike": ("Harbour strike ends", "Dock workers ended their strike."),
    "budget": ("Budget passes", "Parliament passed the budget after a long debate…"),
}
# What each page says in full: the summary's news and much more.
PAGES = {
    "strike": ["Dock workers in the northern harbour ended their strike on Monday after the port authority "
               "agreed to raise wages and hire more staff for the night shifts.",
               "The union said the agreement covers every terminal of the port and runs for three years, and "
               "that the first ships would be unloaded before the end of the week."],
    "budget": ["The parliament passed the national budget late on Tuesday after a long debate about school "
               "funding, road repairs and the cost of the new railway line.",
               "The opposition voted against it and promised to bring the railway costs back before the "
               "committee, where the minister will have to explain the new estimates."],
}
PAGE_MARK = "promised to bring the railway costs back"  # only in the budget page


def page(key: str, lang: str = "en") -> bytes:
    title, _ = SUMMARIES[key]
    body = "".join(f"<p>{p}</p>" for p in PAGES[key])
    return (f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>'
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>© Wire</footer></body></html>").encode()


def rss(server, items, full: bool = False) -> bytes:
    entries = []
    for key, (title, text) in items.items():
        content = ("<content:encoded><![CDATA[" + "".join(f"<p>{p}</p>" for p in PAGES[key]) + "]]></content:encoded>"
                   if full else "")
        entries.append(f"<item><guid>urn:{key}</guid><title>{title}</title><link>{server.url('/' + key + '.html')}"
                       f"</link><description>{text}</description>{content}</item>")
    return ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>Wire</title>{''.join(entries)}</channel></rss>").encode()


@pytest.fixture
def lib(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("[feeds]\ntimeout_s = 3\nparallel = 2\nmax_mb = 1\n")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    return ["--library", str(tmp_path / "lib")]


def articles(capsys, lib) -> dict[str, dict]:
    listed = json.loads(run(capsys, *lib, "list", "--json")[1])
    return {a["title"]: json.loads(run(capsys, *lib, "show", a["id"], "--json")[1]) for a in listed}


def page_hits(server) -> int:
    return sum(1 for path, _ in server.requests if path.endswith(".html"))


def test_a_summary_feed_gets_full_text_from_pages_once(capsys, server, lib):
    for key in SUMMARIES:
        server.routes[f"/{key}.html"] = Route(page(key), headers={"Content-Type": "text/html; charset=utf-8"})
    server.routes["/wire.xml"] = Route(rss(server, SUMMARIES), etag='"1"')
    run(capsys, *lib, "feeds", "add", server.url("/wire.xml"), "--name", "wire")
    code, out, err = run(capsys, *lib, "fetch", "--fetch-pages")
    assert code == 0 and out.split(None, 1) == ["wire", "2 new, 2 pages read\n"], (out, err)
    found = articles(capsys, lib)
    for key, (title, _) in SUMMARIES.items():
        assert list(found[title]["paragraphs"]) == PAGES[key], found[title]["paragraphs"]
    assert found["Budget passes"]["lang"] == "en"
    hit = next(h for p, h in server.requests if p == "/strike.html")
    assert hit["user-agent"].startswith("newsreader/") and hit["accept"].startswith("text/html")
    assert page_hits(server) == 2

    # unchanged (304): nothing; changed (a new item): only the new item's page is downloaded
    assert run(capsys, *lib, "fetch", "--fetch-pages")[1].split() == ["wire", "unchanged"]
    server.routes["/extra.html"] = Route(page("strike").replace(b"Harbour strike ends", b"Port reopens"),
                                         headers={"Content-Type": "text/html"})
    SUMMARIES_2 = {**SUMMARIES, "extra": ("Port reopens", "The port reopened.")}
    PAGES["extra"] = PAGES["strike"]
    try:
        server.routes["/wire.xml"] = Route(rss(server, SUMMARIES_2), etag='"2"')
        code, out, _ = run(capsys, *lib, "fetch", "--fetch-pages")
    finally:
        del PAGES["extra"]
    assert code == 0 and out.split(None, 1) == ["wire", "1 new, 1 page read\n"], out
    assert page_hits(server) == 3 and len(server.hits("/extra.html")) == 1
    # the feed changes again, fetched without pages: the full texts stay, no page is asked for
    server.routes["/wire.xml"] = Route(rss(server, SUMMARIES), etag='"3"')
    code, out, _ = run(capsys, *lib, "fetch")
    assert code == 0 and out.split() == ["wire", "0", "new"], out
    assert page_hits(server) == 3
    assert list(articles(capsys, lib)["Budget passes"]["paragraphs"]) == PAGES["budget"]


def test_a_full_text_feed_fetches_no_page(capsys, server, lib):
    for key in SUMMARIES:
        server.routes[f"/{key}.html"] = Route(page(key), headers={"Content-Type": "text/html"})
    server.routes["/wire.xml"] = Route(rss(server, SUMMARIES, full=True))
    run(capsys, *lib, "feeds", "add", server.url("/wire.xml"), "--name", "wire")
    code, out, _ = run(capsys, *lib, "fetch", "--fetch-pages")
    assert code == 0 and out.split(None, 1) == ["wire", "2 new\n"], out
    assert page_hits(server) == 0
    assert list(articles(capsys, lib)["Harbour strike ends"]["paragraphs"]) == PAGES["strike"]


def test_without_the_flag_or_setting_no_page_is_fetched_and_the_setting_turns_it_on(capsys, server, lib, tmp_path):
    for key in SUMMARIES:
        server.routes[f"/{key}.html"] = Route(page(key), headers={"Content-Type": "text/html"})
    server.routes["/wire.xml"] = Route(rss(server, SUMMARIES), etag='"1"')
    run(capsys, *lib, "feeds", "add", server.url("/wire.xml"), "--name", "wire")
    assert run(capsys, *lib, "fetch")[1].split() == ["wire", "2", "new"]
    assert page_hits(server) == 0
    assert articles(capsys, lib)["Harbour strike ends"]["paragraphs"] == [SUMMARIES["strike"][1]]
    # [feeds] fetch_pages = true: the unchanged feed is read whole once, so its items get their pages
    (tmp_path / "config.toml").write_text("[feeds]\ntimeout_s = 3\nfetch_pages = true\n")
    code, out, _ = run(capsys, *lib, "fetch")
    assert code == 0 and out.split(None, 1) == ["wire", "0 new, 2 updated, 2 pages read\n"], out
    assert list(articles(capsys, lib)["Harbour strike ends"]["paragraphs"]) == PAGES["strike"]
    assert run(capsys, *lib, "fetch")[1].split() == ["wire", "unchanged"]  # and then a 304 again
    assert run(capsys, *lib, "fetch", "--no-fetch-pages")[1].split() == ["wire", "unchanged"]
    assert page_hits(server) == 2


def test_failing_pages_keep_the_summary_and_are_reported(capsys, server, lib):
    items = {
        "missing": ("Missing page", "The page is gone."),
        "slow": ("Slow page", "The page never answers."),
        "pdf": ("A document", "Not a web page."),
        "empty": ("Empty page", "A page with no text."),
        "huge": ("Huge page", "A page over the size limit."),
    }
    for key, (title, text) in items.items():
        SUMMARIES[key] = (title, text)
        PAGES[key] = ["x"]
    try:
        server.routes.update({
            "/slow.html": Route(page("strike"), delay_s=30, headers={"Content-Type": "text/html"}),
            "/pdf.html": Route(b"%PDF-1.4 binary", headers={"Content-Type": "application/pdf"}),
            "/empty.html": Route(b"<!doctype html><html><head><title>Empty</title></head><body></body></html>",
                                 headers={"Content-Type": "text/html"}),
            "/huge.html": Route(b"<!doctype html><html><body>" + b"<p>word word word</p>" * 80000 + b"</body></html>",
                                headers={"Content-Type": "text/html"}),
            "/budget.html": Route(page("budget"), headers={"Content-Type": "text/html"}),
        })
        server.routes["/wire.xml"] = Route(rss(server, {k: SUMMARIES[k] for k in [*items, "budget"]}))
    finally:
        for key in items:
            del SUMMARIES[key], PAGES[key]
    run(capsys, *lib, "feeds", "add", server.url("/wire.xml"), "--name", "wire")
    code, out, err = run(capsys, *lib, "fetch", "--fetch-pages")
    assert code == 0 and out.split(None, 1) == ["wire", "6 new, 1 page read, 5 pages failed\n"], (out, err)
    assert "Traceback" not in err
    problems = {line.split(": ")[1].rsplit("/", 1)[-1]: line for line in err.splitlines() if "page not read" in line}
    assert set(problems) == {"missing.html", "slow.html", "pdf.html", "empty.html", "huge.html"}, err
    assert "HTTP 404" in problems["missing.html"] and "timed out" in problems["slow.html"]
    assert "not an HTML page: application/pdf" in problems["pdf.html"]
    assert "no article text" in problems["empty.html"] and "larger than the 1 MB limit" in problems["huge.html"]
    assert all(line.endswith("kept the feed's summary") for line in problems.values())
    found = articles(capsys, lib)
    assert found["Missing page"]["paragraphs"] == ["The page is gone."]
    assert found["Huge page"]["paragraphs"] == ["A page over the size limit."]
    assert list(found["Budget passes"]["paragraphs"]) == PAGES["budget"]
    code, out, _ = run(capsys, *lib, "fetch", "--fetch-pages", "--json")
    assert json.loads(out)[0]["status"] == "unchanged"  # the same feed: failed pages wait for a change

"""Subscriptions and fetching, against a real HTTP server on 127.0.0.1 started in the test:
first fetch, 304, a changed feed keeping old items, a re-published GUID updated in place,
timeout, 404, 500, redirect, an HTML page, gzip, a feed over the size limit; OPML in and out."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from newsreader.index import Library
from newsreader.index.feeds.fetcher import FetchOptions
from newsreader.index.http_download import describe

from helpers.cli import run
from local_http import Route

ITEMS = {
    "a": ("Harbour strike ends", "Dock workers in the northern harbour ended their strike on Monday after the "
          "port authority agreed to raise wages and hire more staff for the night shifts."),
    "b": ("Budget passes", "The parliament passed the national budget late on Tuesday after a long debate about "
          "school funding, road repairs and the cost of the new railway line."),
    "c": ("Storm closes schools", "A winter storm closed schools across the valley on Wednesday, and the weather "
          "service warned of more snow and strong winds until the weekend."),
}


def rss(items: dict[str, tuple[str, str]], title: str = "World News") -> bytes:
    entries = "".join(
        f"<item><guid>urn:news:{key}</guid><title>{head}</title><link>https://news.example/{key}</link>"
        f"<pubDate>Mon, 07 Oct 2024 10:00:00 GMT</pubDate><description>{text}</description></item>"
        for key, (head, text) in items.items())
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://news.example/</link>{entries}</channel></rss>").encode()


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text("[feeds]\ntimeout_s = 4\nparallel = 3\nmax_mb = 1\n")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(path))
    return path


def test_first_fetch_304_changed_feed_and_republished_guid(capsys, tmp_path, server, config):
    server.routes["/world.xml"] = Route(rss({k: ITEMS[k] for k in "ab"}), etag='"v1"',
                                        last_modified="Mon, 07 Oct 2024 10:00:00 GMT",
                                        headers={"Content-Type": "application/rss+xml"})
    lib = ["--library", str(tmp_path / "lib")]
    code, out, _ = run(capsys, *lib, "feeds", "add", server.url("/world.xml"), "--name", "world")
    assert code == 0 and "as 'world'" in out
    code, out, err = run(capsys, *lib, "fetch")
    assert code == 0 and out.split() == ["world", "2", "new"], out
    first = server.hits("/world.xml")[0]
    assert first["user-agent"].startswith("newsreader/") and "gzip" in first["accept-encoding"]
    assert "if-none-match" not in first
    listed = {a["title"]: a for a in json.loads(run(capsys, *lib, "list", "--json")[1])}
    assert set(listed) == {"Harbour strike ends", "Budget passes"}
    assert all(a["lang"] == "en" and a["source"] == "World News" and a["id"].startswith("world-")
               for a in listed.values())
    found = json.loads(run(capsys, *lib, "search", "harbour wages", "--json")[1])
    assert [r["title"] for r in found] == ["Harbour strike ends"]
    budget = listed["Budget passes"]["id"]
    run(capsys, *lib, "mark", budget, "--read")
    run(capsys, *lib, "star", budget)

    # unchanged: the server is asked conditionally and answers 304
    code, out, _ = run(capsys, *lib, "fetch", "world")
    assert code == 0 and out.split() == ["world", "unchanged"]
    again = server.hits("/world.xml")[1]
    assert again["if-none-match"] == '"v1"' and again["if-modified-since"] == "Mon, 07 Oct 2024 10:00:00 GMT"

    # the feed changes: "a" rotates out, "c" arrives, "b" is re-published with new text
    new_b = ("Budget passes after all-night session", ITEMS["b"][1] + " The opposition promised to keep fighting.")
    server.routes["/world.xml"] = Route(rss({"b": new_b, "c": ITEMS["c"]}), etag='"v2"')
    code, out, _ = run(capsys, *lib, "fetch")
    assert code == 0 and out.split() == ["world", "1", "new,", "1", "updated"], out
    after = {a["id"]: a for a in json.loads(run(capsys, *lib, "list", "--json")[1])}
    assert len(after) == 3  # the item that left the feed stays
    assert after[budget]["title"] == "Budget passes after all-night session"  # same id: updated in place
    assert after[budget]["read"] and after[budget]["starred"]  # the reader's marks kept
    shown = json.loads(run(capsys, *lib, "show", budget, "--json")[1])
    assert "keep fighting" in shown["paragraphs"][-1] and shown["event"]
    with Library(tmp_path / "lib") as library:
        (sub,) = library.subscriptions()
        assert (sub.items, sub.unread, sub.title, sub.last_error) == (3, 2, "World News", None)
        assert len(library.events(min_size=1)) == 3  # grouped like any other article
        assert len(library.articles(feed="world")) == 3 and len(library.articles(feed="world", unread=True)) == 2


def test_every_failure_is_one_line_and_never_stops_the_others(capsys, tmp_path, server, config):
    good = rss({"a": ITEMS["a"]})
    server.routes.update({
        "/good.xml": Route(good),
        "/slow.xml": Route(good, delay_s=60),
        "/broken.xml": Route(b"oops", status=500),
        "/moved.xml": Route(location="/target.xml", status=301),
        "/target.xml": Route(rss({"b": ITEMS["b"]})),
        "/page.html": Route(b"<!doctype html><html><body><p>Welcome to our site</p></body></html>",
                            headers={"Content-Type": "text/html"}),
        "/zipped.xml": Route(rss({"c": ITEMS["c"]}), gzip=True),
        "/huge.xml": Route(rss({f"x{i}": ITEMS["a"] for i in range(6000)})),
    })
    assert len(server.routes["/huge.xml"].body) > 1024 * 1024
    lib = ["--library", str(tmp_path / "lib")]
    for name in ("good", "slow", "missing", "broken", "moved", "page", "zipped", "huge"):
        path = "/page.html" if name == "page" else f"/{name}.xml"
        assert run(capsys, *lib, "feeds", "add", server.url(path), "--name", name)[0] == 0
    code, out, err = run(capsys, *lib, "fetch")
    lines = dict(line.split(None, 1) for line in out.splitlines())
    assert lines == {
        "good": "1 new",
        "slow": "timed out (no complete answer from 127.0.0.1 within 4 s)",
        "missing": "HTTP 404 Not Found",
        "broken": "HTTP 500 Internal Server Error",
        "moved": "1 new",
        "page": "not a feed (the response is an HTML page)",
        "zipped": "1 new",
        "huge": "larger than the 1 MB limit; not read",
    }, out
    assert code == 1 and "8 feeds: 3 new articles, 5 failed" in err and "Traceback" not in err
    feeds = {f["name"]: f for f in json.loads(run(capsys, *lib, "feeds", "list", "--json")[1])}
    assert feeds["missing"]["last_error"] == "HTTP 404 Not Found" and feeds["missing"]["last_ok"] is None
    assert feeds["zipped"]["items"] == 1 and feeds["zipped"]["last_error"] is None
    titles = {a["title"] for a in json.loads(run(capsys, *lib, "list", "--json")[1])}
    assert titles == {"Harbour strike ends", "Budget passes", "Storm closes schools"}
    # a feed that failed keeps what it had: fix it, fetch, then break it again
    server.routes["/broken.xml"] = Route(rss({"d": ("Fixed", ITEMS["c"][1].replace("winter", "spring"))}))
    assert run(capsys, *lib, "fetch", "broken")[1].split() == ["broken", "1", "new"]
    server.routes["/broken.xml"] = Route(b"", status=503)
    code, out, _ = run(capsys, *lib, "fetch", "broken", "--json")
    assert code == 2 and json.loads(out)[0]["error"] == "HTTP 503 Service Unavailable"
    feeds = {f["name"]: f for f in json.loads(run(capsys, *lib, "feeds", "list", "--json")[1])}
    assert feeds["broken"]["items"] == 1 and feeds["broken"]["last_ok"]


def test_feed_management_errors(capsys, tmp_path, server):
    lib = ["--library", str(tmp_path / "lib")]
    for argv, fragment in [
        (["feeds", "add", "ftp://example.org/feed"], "is not an http or https URL"),
        (["feeds", "add", "not a url"], "holds spaces or control characters"),
        (["fetch", "nosuch"], "no subscription named or at 'nosuch'"),
        (["feeds", "remove", "nosuch"], "no subscription named or at 'nosuch'"),
        (["feeds", "import", str(tmp_path / "none.opml")], "cannot read the OPML file"),
    ]:
        code, _, err = run(capsys, *lib, *argv)
        assert code == 2 and fragment in err and err.count("\n") == 1, (argv, err)
    run(capsys, *lib, "feeds", "add", server.url("/a.xml"), "--name", "a")
    code, _, err = run(capsys, *lib, "feeds", "add", server.url("/b.xml"), "--name", "A")
    assert code == 2 and "already named 'A'" in err
    code, _, err = run(capsys, *lib, "feeds", "add", server.url("/a.xml"))
    assert code == 2 and "already subscribed" in err
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline")
    code, _, err = run(capsys, *lib, "feeds", "import", str(bad))
    assert code == 2 and "not valid XML" in err and err.count("\n") == 1


def test_remove_keeps_articles_unless_forget(capsys, tmp_path, server):
    server.routes["/a.xml"] = Route(rss({"a": ITEMS["a"]}))
    server.routes["/b.xml"] = Route(rss({"b": ITEMS["b"]}))
    lib = ["--library", str(tmp_path / "lib")]
    run(capsys, *lib, "feeds", "add", server.url("/a.xml"), "--name", "a")
    run(capsys, *lib, "feeds", "add", server.url("/b.xml"), "--name", "b")
    run(capsys, *lib, "fetch")
    code, out, _ = run(capsys, *lib, "feeds", "remove", "a")
    assert code == 0 and "its 1 article stay" in out
    code, out, _ = run(capsys, *lib, "feeds", "remove", server.url("/b.xml"), "--forget")
    assert code == 0 and "1 article forgotten" in out
    assert [a["title"] for a in json.loads(run(capsys, *lib, "list", "--json")[1])] == ["Harbour strike ends"]
    assert json.loads(run(capsys, *lib, "feeds", "list", "--json")[1]) == []
    assert run(capsys, *lib, "prune", "--json")[1].strip().replace(" ", "").replace("\n", "") == '{"removed":[]}'


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
  <outline text="News">
    <outline text="World" title="World">
      <outline type="rss" text="Global Times &amp; Co" xmlUrl="https://global.example/rss"/>
    </outline>
    <outline type="rss" text="Local" xmlUrl="https://local.example/feed.xml" htmlUrl="https://local.example/"/>
  </outline>
  <outline type="rss" title="Tech" xmlUrl="https://tech.example/atom"/>
  <outline type="rss" text="No scheme" xmlUrl="javascript:alert(1)"/>
</body></opml>
"""


def test_opml_import_with_folders_and_export_that_parses(capsys, tmp_path):
    lib = ["--library", str(tmp_path / "lib")]
    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML)
    code, out, err = run(capsys, *lib, "feeds", "import", str(opml))
    assert code == 1 and "3 feeds subscribed, 0 already were, 1 problem" in out
    assert "'javascript:alert(1)' is not an http or https URL" in err
    feeds = {f["name"]: f for f in json.loads(run(capsys, *lib, "feeds", "list", "--json")[1])}
    assert {name: (f["url"], f["tags"]) for name, f in feeds.items()} == {
        "Global Times & Co": ("https://global.example/rss", ["News", "World"]),
        "Local": ("https://local.example/feed.xml", ["News"]),
        "Tech": ("https://tech.example/atom", []),
    }
    assert run(capsys, *lib, "feeds", "import", str(opml))[1].strip().endswith("0 feeds subscribed, 3 already were, 1 problem")

    code, out, _ = run(capsys, *lib, "feeds", "export")
    root = ET.fromstring(out.encode())
    assert root.tag == "opml" and root.get("version") == "2.0" and root.find("head/title").text
    body = root.find("body")
    news = body.find("outline[@text='News']")
    assert news.find("outline[@text='World']/outline").get("xmlUrl") == "https://global.example/rss"
    assert news.find("outline[@xmlUrl='https://local.example/feed.xml']").get("text") == "Local"
    assert body.find("outline[@xmlUrl='https://tech.example/atom']").get("type") == "rss"
    # the export imports into another library as the same subscriptions
    exported = tmp_path / "out.opml"
    exported.write_text(out)
    other = ["--library", str(tmp_path / "other")]
    assert run(capsys, *other, "feeds", "import", str(exported))[0] == 0
    again = {f["name"]: (f["url"], f["tags"]) for f in json.loads(run(capsys, *other, "feeds", "list", "--json")[1])}
    assert again == {name: (f["url"], f["tags"]) for name, f in feeds.items()}


def test_opml_with_entities_is_refused(capsys, tmp_path):
    bomb = tmp_path / "bomb.opml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">]>'
                    '<opml><body><outline xmlUrl="https://x.example/&a;"/></body></opml>')
    code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "feeds", "import", str(bomb))
    assert code == 2 and "declares XML entities" in err


def test_failures_are_named_plainly():
    import httpx

    url = "https://nowhere.invalid/feed"
    dns = httpx.ConnectError("[Errno -2] Name or service not known")
    assert describe(dns, url) == "DNS: cannot find the host nowhere.invalid"
    assert describe(httpx.ReadTimeout("timed out"), url).startswith("timed out")
    assert describe(httpx.ConnectError("[Errno 111] Connection refused"), url) == \
        "connection refused by nowhere.invalid"


def test_feed_items_and_files_share_identity(tmp_path, server):
    """The same item fetched and added from a saved file is one article."""
    server.routes["/a.xml"] = Route(rss({"a": ITEMS["a"]}))
    saved = tmp_path / "saved.xml"
    saved.write_bytes(rss({"a": ITEMS["a"]}))
    with Library(tmp_path / "lib") as library:
        library.subscribe(server.url("/a.xml"), name="a")
        (outcome,) = library.fetch(options=FetchOptions(timeout=5))
        assert outcome.status == "new" and len(outcome.added) == 1
        report = library.add([saved])
        assert report.added == [] and report.updated == list(outcome.added)
        assert len(library.articles()) == 1

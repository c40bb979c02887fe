"""Issue 19, the files half: what comes from outside (fetched feeds, folder names, config,
OPML and state files, package metadata, output targets) never crashes, hangs, leaks a control
sequence or overwrites what it should not. One test (at least) per defect, named after it."""

from __future__ import annotations

import json
import re

import pytest

from local_http import Route, Server
from newsreader.tui.cli import main

# What must never reach a terminal or an exported file from data.
LEAK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ESC = "\x1b]2;PWNED\x07\x1b[31m\x08\x0d\x9b2J\u202e"
EN = ("Dock workers in the northern harbour ended their strike on Monday after the port authority "
      "agreed to raise wages and hire more staff for the night shifts.")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def server():
    with Server() as running:
        yield running


def hostile_rss(title: str = f"Chan{ESC}nel", item: str = f"Item{ESC} title") -> bytes:
    link = "https://news.example/a\x1b]8;;http://evil.example\x07"
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<item><guid>urn:a</guid><title>{item}</title><link>{link}</link>"
            f"<description>{EN}</description></item></channel></rss>").encode("utf-8")


def test_defect8_fetched_feed_titles_sources_links_are_cleaned_and_export_writes_none(capsys, tmp_path, server):
    server.routes["/evil.xml"] = Route(hostile_rss(), headers={"Content-Type": "application/rss+xml"})
    lib = ["--library", str(tmp_path / "lib")]
    assert run(capsys, *lib, "feeds", "add", server.url("/evil.xml"), "--name", "evil")[0] == 0
    assert run(capsys, *lib, "fetch")[0] == 0
    (article,) = [a for a in json.loads(run(capsys, *lib, "list", "--json")[1]) if a["id"].startswith("evil-")]
    for name in ("title", "source", "url"):
        assert not LEAK.search(article[name]), (name, article[name])
    # OSC and CSI dropped whole (feedparser itself reads a raw U+009B as cp1252's "›")
    assert "PWNED" not in article["title"] + article["source"] and article["source"].startswith("Chan")
    code, out, _ = run(capsys, *lib, "export", article["id"], "--no-translation")
    assert code == 0 and "Item" in out
    assert not LEAK.search(out.replace("\n", "")), repr(out)


def test_defect8_a_folder_name_used_as_the_source_is_cleaned(capsys, tmp_path):
    folder = tmp_path / "wire\x1bc\u202e"
    folder.mkdir()
    (folder / "story.txt").write_text(f"Harbour strike ends\n\n{EN}\n")
    lib = ["--library", str(tmp_path / "lib")]
    assert run(capsys, *lib, "add", str(folder))[0] == 0
    (article,) = [a for a in json.loads(run(capsys, *lib, "list", "--json")[1]) if a["title"] == "Harbour strike ends"]
    assert article["source"] == "wire"  # ESC c (a terminal reset) dropped whole
    code, out, _ = run(capsys, *lib, "export", article["id"], "--no-translation")
    assert code == 0 and not LEAK.search(out.replace("\n", "")), repr(out)


def test_defect18_a_huge_feed_title_is_bounded(capsys, tmp_path, server):
    from newsreader.index.article import MAX_SOURCE_CHARS, MAX_TITLE_CHARS

    huge = "Huge " * 400_000  # 2 MB each
    server.routes["/big.xml"] = Route(hostile_rss(title=huge, item=huge), headers={"Content-Type": "application/rss+xml"})
    lib = ["--library", str(tmp_path / "lib")]
    assert run(capsys, *lib, "feeds", "add", server.url("/big.xml"), "--name", "big")[0] == 0
    assert run(capsys, *lib, "fetch")[0] == 0
    (article,) = [a for a in json.loads(run(capsys, *lib, "list", "--json")[1]) if a["id"].startswith("big-")]
    assert 0 < len(article["title"]) <= MAX_TITLE_CHARS and article["title"].endswith("…")
    assert 0 < len(article["source"]) <= MAX_SOURCE_CHARS
    (sub,) = json.loads(run(capsys, *lib, "feeds", "list", "--json")[1])
    assert len(json.dumps(sub)) < 2000

"""The language the reader sets for an article (issue 12, item 14): the reader's state, kept
through re-reads, re-fetches, re-adds and rebuilds, and applied to search, events and lists."""

from __future__ import annotations

import json

import pytest

from newsreader.index import Library

from helpers.cli import run
from local_http import Route, Server

# Alone these say nothing clear: too short, and one trial of langdetect calls the first Dutch.
ITEMS = [("Putin meets Erdoğan", "Putin met Erdoğan in Sochi. They discussed Syria."),
         ("Talks in Ankara", "Ministers talked.")]


def rss(items) -> bytes:
    entries = "".join(f"<item><guid>urn:{i}</guid><title>{t}</title><link>https://wire.example/{i}</link>"
                      f"<description>{d}</description></item>" for i, (t, d) in enumerate(items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{entries}</channel></rss>'
            ).encode()


def langs(capsys, lib) -> dict[str, str]:
    return {a["title"]: a["lang"] for a in json.loads(run(capsys, "--library", lib, "list", "--json")[1])}


def ids(capsys, lib) -> dict[str, str]:
    return {a["title"]: a["id"] for a in json.loads(run(capsys, "--library", lib, "list", "--json")[1])}


def test_set_lang_survives_reread_rebuild_and_readd(capsys, tmp_path):
    feed = tmp_path / "wire.rss"
    feed.write_bytes(rss(ITEMS))
    lib = tmp_path / "lib"
    assert run(capsys, "--library", lib, "add", feed)[0] == 0
    before = langs(capsys, lib)
    assert before[ITEMS[1][0]] != "en" and before[ITEMS[0][0]] != "en"
    article = ids(capsys, lib)[ITEMS[1][0]]
    code, out, err = run(capsys, "--library", lib, "set-lang", article, "EN")
    assert code == 0 and out.strip() == f"{article}: en (set by you)", (out, err)
    assert langs(capsys, lib)[ITEMS[1][0]] == "en"
    found = json.loads(run(capsys, "--library", lib, "search", "ministers lang:en", "--json")[1])
    assert [r["id"] for r in found] == [article]  # the search index follows at once
    with Library(lib) as library:
        assert library.marks(article).lang == "en" and library.languages().get("en") == 1
        assert library.event_of(article).languages == ("en",)

    # the source read again with new text: the reader's language stays
    feed.write_bytes(rss([ITEMS[0], (ITEMS[1][0], "Ministers talked again.")]))
    assert run(capsys, "--library", lib, "add", feed)[0] == 0
    assert langs(capsys, lib)[ITEMS[1][0]] == "en"
    # rebuilt derived state: still en, in the list and in search
    assert run(capsys, "--library", lib, "rebuild")[0] == 0
    assert langs(capsys, lib)[ITEMS[1][0]] == "en"
    assert [r["id"] for r in json.loads(run(capsys, "--library", lib, "search", "lang:en", "--json")[1])] == [article]
    # forgotten and added again: the same id comes back, with the reader's language
    assert run(capsys, "--library", lib, "remove", feed)[0] == 0
    assert langs(capsys, lib) == {}
    assert run(capsys, "--library", lib, "add", feed)[0] == 0
    assert ids(capsys, lib)[ITEMS[1][0]] == article and langs(capsys, lib)[ITEMS[1][0]] == "en"

    # auto: back to what detection said
    code, out, _ = run(capsys, "--library", lib, "set-lang", article, "auto")
    assert code == 0 and out.strip() == f"{article}: {before[ITEMS[1][0]]} (detected)"
    assert langs(capsys, lib)[ITEMS[1][0]] == before[ITEMS[1][0]]
    assert run(capsys, "--library", lib, "search", "lang:en", "--json")[1].strip() == "[]"


def test_set_lang_survives_a_refetch(capsys, tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    with Server() as server:
        server.routes["/wire.xml"] = Route(rss(ITEMS))
        run(capsys, "--library", lib, "feeds", "add", server.url("/wire.xml"), "--name", "wire")
        assert run(capsys, "--library", lib, "fetch")[0] == 0
        article = ids(capsys, lib)[ITEMS[0][0]]
        assert run(capsys, "--library", lib, "set-lang", article, "en")[0] == 0
        server.routes["/wire.xml"] = Route(rss([(ITEMS[0][0], ITEMS[0][1] + " Nothing was agreed."), ITEMS[1]]))
        code, out, _ = run(capsys, "--library", lib, "fetch")
        assert code == 0 and out.split() == ["wire", "0", "new,", "1", "updated"], out
        assert langs(capsys, lib)[ITEMS[0][0]] == "en"


def wire_library(capsys, tmp_path):
    """A library of the two wire items; the id of the second (the one set-lang changes)."""
    feed = tmp_path / "wire.rss"
    feed.write_bytes(rss(ITEMS))
    lib = tmp_path / "lib"
    run(capsys, "--library", lib, "add", feed)
    return lib, ids(capsys, lib)[ITEMS[1][0]]


# Issue 22, item 3: `zz` has the shape of a code but is not in ISO 639.
@pytest.mark.parametrize("value, fragment", [("xx1", "is not a language code"), ("und", "undetermined"),
                                             ("zz", "'zz' is not a language code"),
                                             ("klingon", "is not a language code")])
def test_set_lang_refuses_what_is_not_a_language(capsys, tmp_path, value, fragment):
    lib, article = wire_library(capsys, tmp_path)
    code, out, err = run(capsys, "--library", lib, "set-lang", article, value)
    assert code == 2 and fragment in err and err.count("\n") == 1 and "Traceback" not in err
    code, _, err = run(capsys, "--library", lib, "set-lang", "nosuch", "en")
    assert code == 2 and "no article with id 'nosuch'" in err
    assert langs(capsys, lib)[ITEMS[1][0]] != "en"


@pytest.mark.parametrize("value, stored", [("tlh", "tlh"), ("pb", "pb"), ("zt", "zt"), ("pt-BR", "pt")])
def test_set_lang_takes_iso_639_codes_and_argos_codes(capsys, tmp_path, value, stored):
    """ISO 639 codes of any part (tlh: Klingon) and Argos Translate's pb and zt are codes."""
    lib, article = wire_library(capsys, tmp_path)
    code, out, err = run(capsys, "--library", lib, "set-lang", article, value)
    assert code == 0 and out.strip() == f"{article}: {stored} (set by you)", (out, err)
    stats = json.loads(run(capsys, "--library", lib, "stats", "--json")[1])
    assert stats["languages"].get(stored) == 1, stats

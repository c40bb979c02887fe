"""Search hits first, results (summaries, snippets) a page at a time (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsreader.index import Library, SearchHits


@pytest.fixture
def harbours(tmp_path: Path) -> Library:
    rows = [{"id": f"h{i:02d}", "lang": "en", "title": f"Harbour news {i}",
             "text": f"Ships left the harbour of town {i} at dawn.\n\nThe storm passed in the night."}
            for i in range(40)]
    (tmp_path / "h.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with Library(tmp_path / "library", workers=1) as library:
        library.add([tmp_path / "h.jsonl"])
        yield library


def test_find_gives_every_hit_and_pages_give_the_same_results_as_search(harbours: Library):
    hits = harbours.find("harbour", limit=200)
    assert isinstance(hits, SearchHits) and len(hits) == 40
    assert "harbour" in hits.terms.folded  # the terms to highlight come with the hits: no second parse
    assert hits.terms == harbours.query_terms("harbour")
    pages = hits.page(0, 15) + hits.page(15, 30) + hits.page(30)
    assert [r.article.id for r in pages] == hits.ids
    assert all(r.snippet.spans for r in pages)  # each with its highlighted snippet
    whole = harbours.search("harbour", limit=200)
    assert [(r.article.id, r.snippet) for r in whole] == [(r.article.id, r.snippet) for r in pages]


def test_a_page_leaves_out_hits_the_catalog_no_longer_holds(harbours: Library, tmp_path: Path):
    hits = harbours.find("harbour", limit=10)
    harbours.remove(str(tmp_path / "h.jsonl"))  # forgets the file's articles
    assert len(hits) == 10 and hits.page(0, 10) == []


def test_an_empty_query_finds_nothing(harbours: Library):
    assert len(harbours.find("   ")) == 0 and harbours.find("").page() == []

"""Bulk ranking (index/ranking.py) gives Whoosh's own results: the same articles in the same
order with the same scores, for every query shape the parser makes, over several segments
and with replaced (deleted) documents."""

from __future__ import annotations

import json

import pytest

from newsreader.index import Library, bundled_seeds
from newsreader.index.ranking import Ranker, Unsupported
from newsreader.index.search_index import whoosh_search

QUERIES = [
    "putin", "Putin Erdoğan", "Путин", "بوتين", "Pezeshkian", "Ashgabat", "Aşgabat", "Türkmenistan",
    "iran AND russia", "iran OR russia", "harbour -storm", "harbour NOT storm", "(iran OR russia) AND NOT gas",
    '"prime minister"', '"the prime minister" iran', 'title:"prime minister"', "title:harbour", "lang:en harbour",
    "source:sputnik", "date:[2024-01 to 2024-06] harbour", "date:2023 storm", "date:>2024-06", "ministro OR minister",
    "gas", "enerji", "ships harbour town", "nothingmatchesthis",
]
WHOOSH_ONLY = {"date:>2024-06"}


def _rows(i: int, wave: int) -> dict:
    words = ["harbour", "storm", "prime minister", "Iran", "Russia", "gas", "ministro", "ships"]
    text = " ".join(words[(i + k) % len(words)] for k in range(1 + i % 5))
    return {"id": f"r{i:03d}", "lang": "en" if i % 3 else "it",
            "title": f"The prime minister and the {words[i % len(words)]} {wave}",
            "text": f"{text}. The ships left the harbour of town {i}.\n\n{'Storm in the night. ' * (i % 4)}Iran and Russia.",
            "date": f"202{3 + i % 2}-{1 + i % 12:02d}", "source": "sputnik" if i % 7 == 0 else "example"}


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Library:
    folder = tmp_path_factory.mktemp("ranking")
    with Library(folder / "library", workers=1) as library:
        library.add([bundled_seeds()])
        # Several adds: several segments; the third changes every other article the first
        # brought, so their old documents are deleted ones (among live ones) the ranking must
        # leave out.
        for name, rows, changed in (("a", range(0, 40), False), ("b", range(40, 80), False), ("a", range(0, 40), True)):
            (folder / f"{name}.jsonl").write_text(
                "".join(json.dumps(_rows(i, int(changed and i % 2 == 0))) + "\n" for i in rows), encoding="utf-8")
            library.add([folder / f"{name}.jsonl"])
        yield library


@pytest.mark.parametrize("query", QUERIES)
def test_bulk_ranking_gives_whooshs_results(library: Library, query: str):
    from newsreader.index import search

    index = library._search.index
    parsed = search.parse(index, library._catalog, query)
    searcher = index.searcher()
    reader = searcher.reader()
    assert reader.has_deletions()
    for tier in (parsed.exact, parsed.full):
        # Every hit Whoosh finds, in its order; the first `limit` of them are the top `limit`
        # (Whoosh's own collector, given a small limit, can miss a better document in a later
        # segment: the bulk ranking never does).
        every = [(hit["id"], hit.score) for hit in whoosh_search(searcher, tier, None, [])]
        try:
            index._ranked(Ranker(searcher), [tier], 1, [], [])
        except Unsupported:  # a range alone (date:>2024-06) is Whoosh's to score
            assert query in WHOOSH_ONLY
            continue
        for limit in (5, 200):
            got = index._ranked(Ranker(searcher), [tier], limit, [], [])
            assert [hit.id for hit in got] == [i for i, _ in every[:limit]]
            assert [hit.score for hit in got] == pytest.approx([s for _, s in every[:limit]], rel=1e-12)


def test_search_uses_bulk_ranking_and_finds_what_whoosh_finds(library: Library):
    hits = library.find("harbour", limit=200)
    assert len(hits) == 80  # every article once (the replaced ones are not found twice)
    assert len(set(hits.ids)) == len(hits.ids)
    index = library._search.index
    assert index._ranker is not None and index._ranker.searcher is index.searcher()


def test_shapes_it_does_not_rank_go_to_whoosh(library: Library):
    from whoosh import query as wq

    ranker = Ranker(library._search.index.searcher())
    with pytest.raises(Unsupported):
        ranker.top(wq.Prefix("text", "harb"), 10)
    assert [r.article.id for r in library.search("harb*", limit=5)]  # still answered, by Whoosh


def test_an_empty_library_finds_nothing_without_failing(tmp_path):
    with Library(tmp_path / "empty", workers=1) as empty:
        assert empty.find("putin OR harbour", limit=200).ids == []
        assert empty.search('"prime minister" date:2024') == []
        assert not empty.notices  # no rebuild of the index behind the reader's back


def test_postings_and_phrases_kept_between_queries_give_the_same_results(library: Library, monkeypatch):
    """The ranker keeps the postings it read (up to MAX_CACHED) and the phrases it checked
    for the next queries: a query ranked again, after others evicted part of what it read,
    gives what a fresh ranker gives."""
    from newsreader.index import ranking, search

    monkeypatch.setattr(ranking, "MAX_CACHED", 60)  # a few terms' worth: evictions on every query
    index = library._search.index
    searcher = index.searcher()
    kept = Ranker(searcher)
    rounds = []
    for _ in range(2):
        for query in QUERIES:
            if query in WHOOSH_ONLY:
                continue
            parsed = search.parse(index, library._catalog, query)
            for tier in (parsed.exact, parsed.full):
                got = index._ranked(kept, [tier], 200, [], [])
                assert got == index._ranked(Ranker(searcher), [tier], 200, [], []), query
                rounds.append(got)
            held = [len(docs) for docs, _ in kept._cache.values()]
            assert kept._cached == sum(held) and kept._cached - max(held, default=0) <= 60
    assert kept._phrases  # phrases were kept too
    assert any(rounds)


def test_search_reads_whoosh_through_its_public_interface_only():
    """The standard: never reach into a dependency's private parts for speed. The search
    modules touch no underscore attribute of anything but their own objects (`self`, `cls`),
    and import no underscore name from Whoosh."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "index"
    found = []
    for name in ("ranking.py", "search_index.py", "search.py"):
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
                found.append(f"{name}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
                found += [f"{name}:{node.lineno} {alias.name}" for alias in node.names if alias.name.startswith("_")]
    assert found == []

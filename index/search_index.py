"""The Whoosh index: opening it, writing prepared terms, searching it.

Whoosh stores only ids here; titles, bodies and metadata live in the catalog. The fields are
fields.py's, queries are read by query.py, and ranking in bulk is ranking.py's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage

from .fields import build_schema
from .query import Parser, Query, parse_date, top_level
from .ranking import Ranker, Unsupported

# Posting blocks compressed with zlib level 1: the index takes 2.2x less disk at 10k articles
# (119 -> 54 MB), for no search time that could be measured (app query CPU p50 15.2 -> 14.4
# ms, p95 80 -> 80) and about 0.6 ms of CPU an article in the writer (measured then with the bulk one).
POSTING_COMPRESSION = 1


@dataclass(frozen=True)
class IndexHit:
    id: str
    score: float


class SearchIndex:
    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        # Files read, not memory-mapped: with mmap Whoosh copies each part of a compound segment
        # into a BytesIO when a reader opens (filedb BufferFile), so every process that opened the
        # index held a copy of it: at 100,000 articles 0.2-0.8 s of CPU and 700 MB of RSS, against
        # 2 ms and 34 MB read from the file (bench/bench_open.py).
        storage = FileStorage(str(folder), supports_mmap=False)
        if whoosh_index.exists_in(str(folder)):
            self.ix = storage.open_index()
        else:
            self.ix = storage.create_index(build_schema())
        # Whoosh reads the schema from the newest table of contents on every access; a writer in
        # another thread or process may be replacing that file right then. It never changes.
        self.schema = self.ix.schema
        self._searcher = None
        self.queries = Parser(self.schema)  # reads queries against these fields
        self._search_lock = threading.Lock()
        self._ranker: Ranker | None = None  # bulk scoring over the current searcher
        self._stored_ids: dict[int, str] = {}  # docnum -> article id, for the current searcher

    @classmethod
    def recreate(cls, folder: Path) -> "SearchIndex":
        folder.mkdir(parents=True, exist_ok=True)
        whoosh_index.create_in(str(folder), build_schema())
        return cls(folder)

    def generation(self) -> int:
        return self.ix.latest_generation()

    def doc_count(self) -> int:
        return self.ix.doc_count()

    def writer(self):
        """Whoosh's own writer, through its public API: `add_document`/`update_document` take
        the ready-made term lists (fields.py's TermTokenizer indexes a list as those terms),
        `delete_by_term`, and `commit()` with Whoosh's merge policy for small segments."""
        return self.ix.writer(codec=W3Codec(compression=POSTING_COMPRESSION))

    @staticmethod
    def document(article_id: str, lang: str, source: str, path: str | None, date: str | None) -> dict:
        """A document's fields other than the text fields' terms."""
        doc: dict[str, object] = {"id": article_id, "lang": lang, "source": (source or "").lower()}
        if path:
            doc["path"] = path
        when = parse_date(date)
        if when is not None:
            doc["date"] = when
        return doc

    @staticmethod
    def add(writer, article_id: str, terms: dict[str, list[str]], lang: str, source: str,
            path: str | None, date: str | None, replace: bool) -> None:
        doc = {**SearchIndex.document(article_id, lang, source, path, date), **terms}
        if replace:
            writer.update_document(**doc)
        else:
            writer.add_document(**doc)

    # -- searching ------------------------------------------------------------------------
    def searcher(self):
        """A searcher on the newest generation. After a commit (from any process) a new one is
        opened, never `Searcher.refresh()`: Whoosh 2.7 reuses the old segment readers there,
        deletions and all, so after another process removed and added an article back, the
        refreshed searcher still saw the removed copy beside the new one (duplicate results)."""
        for attempt in range(5):
            try:
                if self._searcher is not None and not self._searcher.up_to_date():
                    self._searcher.close()
                    self._searcher = None
                if self._searcher is None:
                    self._searcher = self.ix.searcher()
                return self._searcher
            except FileNotFoundError:
                # A writer committed a new generation and removed the one being opened: open the new one.
                self._searcher = None
                time.sleep(0.01 * (attempt + 1))
        return self.ix.searcher()

    def languages(self) -> list[str]:
        """The languages indexed (which stem fields a query goes to): read from the index's
        own term list, not counted over the catalog on every query."""
        with self._search_lock:
            return [term.decode("utf-8") for term in self.searcher().lexicon("lang")]

    def close(self) -> None:
        with self._search_lock:  # another thread may be searching with it right now
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._ranker = None
            self._stored_ids = {}

    def search(self, query: Query | None, limit: int | None, lang: str | None = None, *,
               only: set[str] | None = None, exclude: Collection[str] = frozenset()) -> list[IndexHit]:
        """Top `limit` hits (every article for no query), among the ids `only` holds when given,
        never those `exclude` holds. Tiered: when the exact words alone (title and folded text)
        fill the page, those are the hits; the stemmed and name-outline views, boosted lower and
        costing 2-10x more to score, are consulted only when they do not. Ranked in bulk
        (ranking.py) when the query's shape allows, by Whoosh's matchers otherwise."""
        if only is not None and not only:
            return []
        extra = [wq.Term("lang", lang)] if lang else []
        if only is not None:
            extra.append(wq.Or([wq.Term("id", i) for i in sorted(only)]))
        masks = [wq.Or([wq.Term("id", i) for i in sorted(exclude)])] if exclude else []
        full = query.full if query is not None and query.full is not None else wq.Every()
        exact = query.exact if query is not None and query.exact is not None else full
        tiers = [exact, full] if limit is not None and exact != full else [full]
        with self._search_lock:  # a Whoosh searcher is not meant for two threads at once
            searcher = self.searcher()
            try:
                ranker = self._ranker_for(searcher)
                return self._ranked(ranker, tiers, limit, extra, masks)
            except Unsupported:
                pass
            for tier in tiers:
                results = whoosh_search(searcher, tier, limit, extra, masks)
                if tier is tiers[-1] or results.scored_length() >= limit:
                    return [IndexHit(hit["id"], hit.score) for hit in results]
        return []

    def _ranker_for(self, searcher) -> Ranker:
        if self._ranker is None or self._ranker.searcher is not searcher:
            self._ranker = Ranker(searcher)
            self._stored_ids = {}
        return self._ranker

    def _ranked(self, ranker: Ranker, tiers: list[wq.Query], limit: int | None, extra: list[wq.Query],
                masks: list[wq.Query]) -> list[IndexHit]:
        # Document sets as the ranker's bool arrays (never changed in place: shared by tiers).
        base_allow = None
        for query in extra:
            docs = ranker.docs(query)
            base_allow = docs if base_allow is None else base_allow & docs
        base_exclude = None
        for query in masks:
            docs = ranker.docs(query)
            base_exclude = docs if base_exclude is None else base_exclude | docs
        memo: dict = {}  # term scores shared by the two tiers
        for tier in tiers:
            scored, filters, exclusions = top_level(tier)
            if not scored or any(isinstance(q, (wq.Every, wq.Not)) for q in scored):
                raise Unsupported("no words to score")
            allow = base_allow
            for query in filters:
                docs = ranker.docs(query)
                allow = docs if allow is None else allow & docs
            excluded = base_exclude
            for query in exclusions:
                docs = ranker.docs(query)
                excluded = docs if excluded is None else excluded | docs
            main = scored[0] if len(scored) == 1 else wq.And(scored)
            top = ranker.top(main, limit, allow, excluded, memo)
            if tier is tiers[-1] or limit is None or len(top) >= limit:
                return [IndexHit(self._stored_id(ranker, doc), score) for doc, score in top]
        return []

    def _stored_id(self, ranker: Ranker, doc: int) -> str:
        found = self._stored_ids.get(doc)
        if found is None:
            found = self._stored_ids[doc] = ranker.searcher.stored_fields(doc)["id"]
        return found


# Whoosh's block-quality skipping made every query in bench/bench_index.py slower (2x on
# `minister OR ministre OR ministro` over 10k articles): turned off.
OPTIMIZE = False


def whoosh_search(searcher, query: wq.Query, limit: int | None, filters: Sequence[wq.Query],
                  masks: Sequence[wq.Query] = ()):
    """Search with the top-level exclusions as a mask and the top-level ranges as a filter:
    Whoosh turns those into document sets once, instead of stepping through their postings
    for every candidate (`police NOT fire` went from 46 ms to a few on 10k articles)."""
    scored, top_filters, top_masks = top_level(query)
    filters, masks = list(filters) + top_filters, list(masks) + top_masks
    if not scored:  # only ranges and exclusions: `date:2024`, `lang:ar`-like filters alone
        scored = [wq.Every()]
    main = scored[0] if len(scored) == 1 else wq.And(scored)
    return searcher.search(
        main, limit=limit, optimize=OPTIMIZE,
        filter=(filters[0] if len(filters) == 1 else wq.And(filters)) if filters else None,
        mask=(masks[0] if len(masks) == 1 else wq.Or(masks)) if masks else None,
    )

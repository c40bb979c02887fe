"""Ranking a query over the index's postings a term at a time, in bulk.

Whoosh scores a query by walking a tree of matchers one document at a time: for a word
looked for in eleven fields (title, text, outline, spelling, gloss, a stem per language) that
is a dozen Python method calls per document per field, and `Iran AND Russia` over 10k
articles took 70 ms of CPU. Here each term's postings are read once and scored with the same
BM25F formula and the same statistics (Whoosh's scorer's idf, average field length, B and
K1; the field lengths its reader gives) as arrays over every document of the searcher (numpy:
a score and a found-or-not flag per document); And, Or and exclusions are array operations,
adding the same floats in the same order as a dict per document did. The scores are
Whoosh's, up to the order of float additions.

Only Whoosh's public interface is used (matchers' is_active/id/weight/next/skip_to/value_as,
`weighting.scorer`, `doc_field_length`, `expanded_terms`, `docs_for_query`), never its private
block readers or columns: postings are read a posting at a time (about 1.5x the CPU of
decoding whole blocks) and field lengths a document at a time (only the documents a term is
in), and both are kept for the searcher's life, so a query typed anew costs about 2-3x what
it did on the private parts while a repeated one costs the same (bench/bench_search.py
--per-query).

Only the shapes the query parser produces for words are handled (terms, and/or/and-not,
top-level filters and exclusions, phrases of words in a row); anything else (phrases with a
slop, ranges inside an or, prefixes) raises `Unsupported` and the caller lets Whoosh do it.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.scoring import BM25F, BM25FScorer

np: Any = None  # numpy, imported with the first Ranker (search needs it; the package's import does not)
# Postings kept per searcher (16 bytes each: 16 MB): the terms of several queries over 30k articles.
MAX_CACHED = 1_000_000
MAX_PHRASES = 64
MAX_RANGES = 64  # document sets of date ranges (Whoosh's docs_for_query), per searcher


class Unsupported(Exception):
    """A query shape this module does not rank: let Whoosh do it."""


class Ranker:
    """Bulk scoring over one searcher (one generation of the index): the field lengths, the
    postings (up to MAX_CACHED) and the phrase checks it reads are kept for the searcher's life.

    A query's scores are a pair of arrays over the searcher's documents: which documents it
    matches (bool) and their scores (0.0 where it does not match, so that an or is a sum).
    Arrays kept in the memo are read-only: every operation makes new ones."""

    def __init__(self, searcher):
        global np
        import numpy

        np = numpy
        if type(searcher.weighting) is not BM25F:
            raise Unsupported("only the BM25F weighting")
        self.searcher = searcher
        self.schema = searcher.schema
        self.leaves = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        self.size = sum(reader.doc_count_all() for reader, _ in self.leaves)
        self._lengths: dict[tuple[int, str], Any] = {}  # see _field_lengths
        self._cache: dict[tuple[int, str, bytes], tuple] = {}  # see _postings
        self._cached = 0  # postings held in it
        self._phrases: dict[tuple[str, tuple[bytes, ...]], list[int]] = {}  # see _in_a_row
        self._ranges: dict[wq.Query, Any] = {}  # see docs
        self._none = _frozen(np.zeros(self.size, dtype=bool))
        self._zeros = _frozen(np.zeros(self.size))

    # -- public -------------------------------------------------------------------------------
    def top(self, query: wq.Query, limit: int | None, allow=None, exclude=None,
            memo: dict | None = None) -> list[tuple[int, float]]:
        """(docnum, score) of the best `limit` documents, in Whoosh's order (score, then
        docnum), among `allow` when given, never in `exclude` (masks from `docs`)."""
        found, scores = self._scores(query, {} if memo is None else memo)
        if allow is not None:
            found = found & allow
        if exclude is not None:
            found = found & ~exclude
        docs = np.flatnonzero(found)
        scores = scores[docs]
        if limit is not None:
            if limit <= 0:
                return []
            if limit < len(docs):  # the documents scoring at least the limit-th best (ties kept)
                kth = len(docs) - limit
                keep = scores >= np.partition(scores, kth)[kth]
                docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))[:limit]
        return list(zip(docs[order].tolist(), scores[order].tolist(), strict=True))

    def docs(self, query: wq.Query):
        """The documents a query matches, unscored (for filters and exclusions): a bool array."""
        if isinstance(query, wq.Term):
            return self._mask(self._term_postings(query.fieldname, query.text))
        if isinstance(query, wq.Or):  # of many ids for `only` (the is: filters): one array
            found = np.zeros(self.size, dtype=bool)
            for child in query.subqueries:
                if isinstance(child, wq.Term):
                    found[self._term_postings(child.fieldname, child.text)] = True
                else:
                    found |= self.docs(child)
            return found
        if isinstance(query, wq.And):
            if not query.subqueries:
                return self._none
            found = None
            for child in query.subqueries:
                docs = self.docs(child)
                found = docs if found is None else found & docs
            return found
        if isinstance(query, wq.AndNot):
            return self.docs(query.a) & ~self.docs(query.b)
        if query is wq.NullQuery:
            return self._none
        if isinstance(query, wq.ConstantScoreQuery):
            return self.docs(query.child)
        if isinstance(query, wq.TermRange):
            found = np.zeros(self.size, dtype=bool)
            for fieldname, btext in query.expanded_terms(self.searcher.reader()):
                found[self._term_postings(fieldname, btext)] = True
            return found
        # Dates (a numeric range: an or of the terms of a few precisions Whoosh makes
        # internally), prefixes: Whoosh's own way, kept for the searcher's life (the next
        # keystroke usually keeps the filter).
        found = self._ranges.get(query)
        if found is None:
            found = self._ranges[query] = _frozen(self._mask(np.fromiter(self.searcher.docs_for_query(query), dtype=np.int64)))
            if len(self._ranges) > MAX_RANGES:
                del self._ranges[next(iter(self._ranges))]
        return found

    # -- scoring ------------------------------------------------------------------------------
    def _scores(self, node: wq.Query, memo: dict):
        """(found, scores) of a query: see the class."""
        if isinstance(node, wq.Term):
            key = (node.fieldname, node.text, node.boost)
            found = memo.get(key)
            if found is None:
                found = memo[key] = self._term_scores(node.fieldname, node.text, node.boost)
            return found
        if node is wq.NullQuery:
            return self._none, self._zeros
        if type(node) is wq.Or and not node.scale and not node.minmatch:
            parts = [(part, np.count_nonzero(part[0])) for part in (self._scores(c, memo) for c in node.subqueries)]
            # Largest first, and each document's scores added in that order (as a dict did).
            parts = [part for part, count in sorted(parts, key=lambda p: p[1], reverse=True) if count]
            if not parts:
                return self._none, self._zeros
            found, total = parts[0]
            for part_found, part_scores in parts[1:]:
                found = found | part_found
                total = total + part_scores
            return _boosted(found, total, node.boost)
        if type(node) is wq.And:
            scored, excluded = [], None
            for child in node.subqueries:
                if isinstance(child, wq.Not):
                    docs = self.docs(child.query)
                    excluded = docs if excluded is None else excluded | docs
                else:
                    scored.append(child)
            if not scored:
                raise Unsupported("an and of exclusions only")
            parts = sorted((self._scores(child, memo) for child in scored), key=lambda p: np.count_nonzero(p[0]))
            found, total = parts[0]
            if excluded is not None:
                found = found & ~excluded
            for part_found, part_scores in parts[1:]:
                found = found & part_found
                total = total + part_scores
                if not found.any():
                    return self._none, self._zeros
            if len(parts) > 1 or excluded is not None:
                total = np.where(found, total, 0.0)
            return _boosted(found, total, node.boost)
        if type(node) is wq.Phrase and node.slop == 1 and len(node.words) > 1:
            found, scores = self._phrase_scores(node.fieldname, node.words, memo)
            return _boosted(found, scores, node.boost)
        if type(node) is wq.AndNot:
            found, scores = self._scores(node.a, memo)
            found = found & ~self.docs(node.b)
            return _boosted(found, np.where(found, scores, 0.0), node.boost)
        raise Unsupported(type(node).__name__)

    def _term_scores(self, fieldname: str, text, boost: float):
        field = self.schema[fieldname] if fieldname in self.schema else None
        if field is None:
            return self._none, self._zeros
        try:
            btext = text if isinstance(text, bytes) else field.to_bytes(text)
        except ValueError:
            return self._none, self._zeros
        searcher = self.searcher
        if (fieldname, btext) not in searcher.reader():  # nowhere (and idf would divide by 0 on an empty index)
            return self._none, self._zeros
        found = np.zeros(self.size, dtype=bool)
        scores = np.zeros(self.size)
        if not field.scorable:  # Whoosh scores these by posting weight
            for i, (reader, offset) in enumerate(self.leaves):
                docs, weights = self._postings(i, reader, fieldname, btext)
                found[docs + offset] = True
                scores[docs + offset] = weights * boost if boost != 1.0 else weights
            return _frozen(found), _frozen(scores)
        # Whoosh's own scorer for the term: its idf and average field length (global), B and K1.
        scorer = searcher.weighting.scorer(searcher, fieldname, btext)
        if type(scorer) is not BM25FScorer:
            raise Unsupported(type(scorer).__name__)
        idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        k1p = K1 + 1
        for i, (reader, offset) in enumerate(self.leaves):
            docs, tf = self._postings(i, reader, fieldname, btext)
            if not len(docs):
                continue
            fl = self._field_lengths(i, reader, fieldname, docs)
            # idf * ((tf * k1p) / (tf + K1 * ((1 - B) + B * fl / avgfl))) [* boost]: Whoosh's
            # bm25(), its operations in its order on the same doubles, so the same floats.
            leaf = idf * ((tf * k1p) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
            if boost != 1.0:
                leaf = leaf * boost
            found[docs + offset] = True
            scores[docs + offset] = leaf
        return _frozen(found), _frozen(scores)

    def _phrase_scores(self, fieldname: str, words: list[str], memo: dict):
        """The words next to each other in this order: scored as Whoosh scores a phrase (the
        sum of its words' scores, in its order of additions), in the documents where the
        positions show the words in a row."""
        field = self.schema[fieldname] if fieldname in self.schema else None
        if field is None or not field.format.supports("positions"):
            raise Unsupported("a phrase on a field without positions")
        try:
            btexts = [word if isinstance(word, bytes) else field.to_bytes(word) for word in words]
        except ValueError:
            return self._none, self._zeros
        if any((fieldname, btext) not in self.searcher.reader() for btext in btexts):
            return self._none, self._zeros
        parts = []
        for btext in btexts:
            key = (fieldname, btext, 1.0)
            if key not in memo:
                memo[key] = self._term_scores(fieldname, btext, 1.0)
            parts.append(memo[key])
        both = parts[0][0]
        for part_found, _ in parts[1:]:
            both = both & part_found
        candidates = np.flatnonzero(both).tolist()
        if not candidates:
            return self._none, self._zeros
        phrase = (fieldname, tuple(btexts))
        hits = self._phrases.get(phrase)
        if hits is None:
            hits = self._phrases[phrase] = self._in_a_row(fieldname, btexts, candidates)
            if len(self._phrases) > MAX_PHRASES:
                del self._phrases[next(iter(self._phrases))]
        found = np.zeros(self.size, dtype=bool)
        scores = np.zeros(self.size)
        if hits:
            docs = np.array(hits, dtype=np.int64)
            found[docs] = True
            words_scores = [part[1][docs].tolist() for part in parts]
            scores[docs] = [_binary_sum(list(per_word)) for per_word in zip(*words_scores, strict=True)]
        return found, scores

    def _in_a_row(self, fieldname: str, btexts: list[bytes], candidates: list[int]) -> list[int]:
        """Which of the candidates (holding every word) have the words next to each other, in
        order: decoded from the positions (kept per searcher: the costliest part of a phrase)."""
        hits: list[int] = []
        for reader, offset in self.leaves:
            local = {doc - offset for doc in candidates if offset <= doc < offset + reader.doc_count_all()}
            if not local:
                continue
            positions = [self._values(reader, fieldname, btext, local) for btext in btexts]
            for doc in local:
                following = [set(by_doc[doc]) for by_doc in positions[1:]]
                if any(all(start + n in later for n, later in enumerate(following, 1))
                       for start in positions[0][doc]):
                    hits.append(doc + offset)
        return sorted(hits)

    @staticmethod
    def _values(reader, fieldname: str, btext: bytes, docs: set[int]) -> dict[int, list[int]]:
        """The positions of one term in some documents of a segment (the matcher skips the
        blocks holding none of them)."""
        matcher = reader.postings(fieldname, btext)
        values: dict[int, list[int]] = {}
        for doc in sorted(docs):
            if not matcher.is_active():
                break
            matcher.skip_to(doc)
            if matcher.is_active() and matcher.id() == doc:
                values[doc] = matcher.value_as("positions")
        return values

    def _mask(self, docs):
        found = np.zeros(self.size, dtype=bool)
        found[docs] = True
        return found

    def _term_postings(self, fieldname: str, text):
        """The documents (searcher docnums) holding a term, as an int array."""
        field = self.schema[fieldname] if fieldname in self.schema else None
        if field is None:
            return _no_docs()
        try:
            btext = text if isinstance(text, bytes) else field.to_bytes(text)
        except ValueError:
            return _no_docs()
        docs = [self._postings(i, reader, fieldname, btext)[0] + offset for i, (reader, offset) in enumerate(self.leaves)]
        return np.concatenate(docs) if docs else _no_docs()

    def _postings(self, leaf: int, reader, fieldname: str, btext: bytes):
        """(docnums, weights) of one term in one segment as arrays, deleted documents left out.
        Kept for the searcher's life, the most recently used first, up to MAX_CACHED postings:
        reading the postings (and the field lengths) is most of a query's cost, and the next
        query typed usually repeats most of the terms of the one before."""
        key = (leaf, fieldname, btext)
        cache = self._cache
        found = cache.pop(key, None)
        if found is None:
            found = self._read_postings(reader, fieldname, btext)
            self._cached += len(found[0])
            while self._cached > MAX_CACHED and cache:
                self._cached -= len(cache.pop(next(iter(cache)))[0])
        cache[key] = found
        return found

    def _read_postings(self, reader, fieldname: str, btext: bytes):
        if (fieldname, btext) not in reader:
            return _frozen(_no_docs()), _frozen(np.zeros(0))
        # A posting at a time through the matcher (on a segment with deleted documents,
        # Whoosh's filter leaves them out).
        matcher = reader.postings(fieldname, btext)
        ids: list[int] = []
        weights: list[float] = []
        is_active, doc, weight, step = matcher.is_active, matcher.id, matcher.weight, matcher.next
        add_id, add_weight = ids.append, weights.append
        while is_active():
            add_id(doc())
            add_weight(weight())
            step()
        return _frozen(np.array(ids, dtype=np.int64)), _frozen(np.array(weights, dtype=np.float64))

    def _field_lengths(self, leaf: int, reader, fieldname: str, docs):
        """The length of the field in these documents of a segment, as Whoosh's scorer reads
        it (its coded length; 0 when empty): asked of the reader once per document and kept."""
        key = (leaf, fieldname)
        lengths = self._lengths.get(key)
        if lengths is None:
            lengths = self._lengths[key] = np.full(reader.doc_count_all(), np.nan)
        found = lengths[docs]
        missing = np.isnan(found)
        if missing.any():
            new = docs[missing]
            length = reader.doc_field_length
            lengths[new] = [length(doc, fieldname, 0) or 0 for doc in new.tolist()]
            found = lengths[docs]
        return found


def _no_docs():
    return np.zeros(0, dtype=np.int64)


def _frozen(values):
    values.flags.writeable = False
    return values


def _binary_sum(scores: list[float]) -> float:
    """a + (b + c): the order Whoosh's tree of intersection matchers adds scores in."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _binary_sum(scores[:half]) + _binary_sum(scores[half:])


def _boosted(found, scores, boost: float):
    if boost == 1.0:
        return found, scores
    return found, scores * boost

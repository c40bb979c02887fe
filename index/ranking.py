"""Ranking a query over the index's postings a term at a time, in bulk.

Whoosh scores a query by walking a tree of matchers one document at a time: for a word
looked for in eleven fields (title, text, outline, spelling, gloss, a stem per language) that
is a dozen Python method calls per document per field, and `Iran AND Russia` over 10k
articles took 70 ms of CPU. Here each term's postings are read a block at a time and scored
with the same BM25F formula and the same statistics (global idf and average field length,
the same byte-coded field lengths), summed into a dict per document; And, Or and exclusions
are dict and set operations. The scores are Whoosh's, up to the order of float additions.

Only the shapes the query parser produces for words are handled (terms, and/or/and-not,
top-level filters and exclusions); anything else (phrases, ranges inside an or, prefixes)
raises `Unsupported` and the caller lets Whoosh do it.
"""

from __future__ import annotations

import heapq
from array import array

from whoosh import query as wq
from whoosh.matching import FilterMatcher, NullMatcherClass
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

_UNSCORED = (wq.DateRange, wq.NumericRange, wq.TermRange)


class Unsupported(Exception):
    """A query shape this module does not rank: let Whoosh do it."""


class Ranker:
    """Bulk scoring over one searcher (one generation of the index): the field lengths it
    reads are kept for the searcher's life."""

    def __init__(self, searcher):
        weighting = searcher.weighting
        if type(weighting) is not BM25F or weighting._field_B:
            raise Unsupported("only the default BM25F weighting")
        self.searcher = searcher
        self.B, self.K1 = weighting.B, weighting.K1
        self.schema = searcher.schema
        self.leaves = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        self._lengths: dict[tuple[int, str], bytes] = {}
        self._deleted = [_deleted_docs(reader) for reader, _ in self.leaves]

    # -- public -------------------------------------------------------------------------------
    def top(self, query: wq.Query, limit: int | None, allow: set[int] | None = None,
            exclude: set[int] | None = None, memo: dict | None = None) -> list[tuple[int, float]]:
        """(docnum, score) of the best `limit` documents, in Whoosh's order (score, then
        docnum), among `allow` when given, never in `exclude`."""
        scores = self._scores(query, {} if memo is None else memo)
        if allow is not None:
            scores = {doc: s for doc, s in scores.items() if doc in allow}
        if exclude:
            scores = {doc: s for doc, s in scores.items() if doc not in exclude}
        key = _rank_key
        if limit is None or limit >= len(scores):
            return sorted(scores.items(), key=key)
        return heapq.nsmallest(limit, scores.items(), key=key)

    def docs(self, query: wq.Query) -> set[int]:
        """The documents a query matches, unscored (for filters and exclusions)."""
        if isinstance(query, wq.Term):
            return set(self._term_postings(query.fieldname, query.text))
        if isinstance(query, wq.Or):
            found: set[int] = set()
            for child in query.subqueries:
                found |= self.docs(child)
            return found
        if isinstance(query, wq.And):
            sets = sorted((self.docs(child) for child in query.subqueries), key=len)
            return set.intersection(*sets) if sets else set()
        if isinstance(query, wq.AndNot):
            return self.docs(query.a) - self.docs(query.b)
        if query is wq.NullQuery:
            return set()
        if isinstance(query, wq.ConstantScoreQuery):
            return self.docs(query.child)
        if isinstance(query, wq.NumericRange):  # dates: an or of the terms of a few precisions
            return self.docs(query._compile_query(self.searcher.reader()))
        if isinstance(query, wq.TermRange):
            found = set()
            for btext in query._btexts(self.searcher.reader()):
                found.update(self._term_postings(query.fieldname, btext))
            return found
        return set(self.searcher.docs_for_query(query))  # ranges, prefixes: Whoosh's own way

    # -- scoring ------------------------------------------------------------------------------
    def _scores(self, node: wq.Query, memo: dict) -> dict[int, float]:
        if isinstance(node, wq.Term):
            key = (node.fieldname, node.text, node.boost)
            found = memo.get(key)
            if found is None:
                found = memo[key] = self._term_scores(node.fieldname, node.text, node.boost)
            return found
        if node is wq.NullQuery:
            return {}
        if type(node) is wq.Or and not node.scale and not node.minmatch:
            parts = [self._scores(child, memo) for child in node.subqueries]
            parts = [part for part in parts if part]
            if not parts:
                return {}
            parts.sort(key=len, reverse=True)
            total = dict(parts[0])
            for part in parts[1:]:
                get = total.get
                for doc, score in part.items():
                    total[doc] = get(doc, 0.0) + score
            return _boosted(total, node.boost)
        if type(node) is wq.And:
            scored, excluded = [], set()
            for child in node.subqueries:
                if isinstance(child, wq.Not):
                    excluded |= self.docs(child.query)
                else:
                    scored.append(child)
            if not scored:
                raise Unsupported("an and of exclusions only")
            parts = sorted((self._scores(child, memo) for child in scored), key=len)
            total = {doc: score for doc, score in parts[0].items() if doc not in excluded}
            for part in parts[1:]:
                total = {doc: score + part[doc] for doc, score in total.items() if doc in part}
                if not total:
                    break
            return _boosted(total, node.boost)
        if type(node) is wq.Phrase and node.slop == 1 and len(node.words) > 1:
            return _boosted(self._phrase_scores(node.fieldname, node.words, memo), node.boost)
        if type(node) is wq.AndNot:
            excluded = self.docs(node.b)
            return _boosted({doc: s for doc, s in self._scores(node.a, memo).items() if doc not in excluded},
                            node.boost)
        raise Unsupported(type(node).__name__)

    def _term_scores(self, fieldname: str, text, boost: float) -> dict[int, float]:
        field = self.schema[fieldname] if fieldname in self.schema else None
        if field is None:
            return {}
        try:
            btext = text if isinstance(text, bytes) else field.to_bytes(text)
        except ValueError:
            return {}
        searcher = self.searcher
        scores: dict[int, float] = {}
        if (fieldname, btext) not in searcher.reader():  # nowhere (and idf would divide by 0 on an empty index)
            return scores
        if not field.scorable:  # Whoosh scores these by posting weight
            for i, (reader, offset) in enumerate(self.leaves):
                for doc, weight in self._postings(i, reader, fieldname, btext):
                    scores[doc + offset] = weight * boost if boost != 1.0 else weight
            return scores
        idf = searcher.idf(fieldname, btext)
        avgfl = searcher.avg_field_length(fieldname) or 1
        B, K1 = self.B, self.K1
        k1p = K1 + 1
        # K1 * ((1 - B) + B * fl / avgfl) for each length byte: the same expression Whoosh's
        # bm25() evaluates, so the same float.
        norm = [K1 * ((1 - B) + B * (byte_to_length(b) if b else 0) / avgfl) for b in range(256)]
        for i, (reader, offset) in enumerate(self.leaves):
            lengths = self._field_lengths(i, reader, fieldname)
            if boost != 1.0:
                for doc, tf in self._postings(i, reader, fieldname, btext):
                    scores[doc + offset] = idf * ((tf * k1p) / (tf + norm[lengths[doc]])) * boost
            else:
                for doc, tf in self._postings(i, reader, fieldname, btext):
                    scores[doc + offset] = idf * ((tf * k1p) / (tf + norm[lengths[doc]]))
        return scores

    def _phrase_scores(self, fieldname: str, words: list[str], memo: dict) -> dict[int, float]:
        """The words next to each other in this order: scored as Whoosh scores a phrase (the
        sum of its words' scores, in its order of additions), in the documents where the
        positions show the words in a row."""
        field = self.schema[fieldname] if fieldname in self.schema else None
        if field is None or not field.format.supports("positions"):
            raise Unsupported("a phrase on a field without positions")
        try:
            btexts = [word if isinstance(word, bytes) else field.to_bytes(word) for word in words]
        except ValueError:
            return {}
        if any((fieldname, btext) not in self.searcher.reader() for btext in btexts):
            return {}
        parts = []
        for btext in btexts:
            key = (fieldname, btext, 1.0)
            if key not in memo:
                memo[key] = self._term_scores(fieldname, btext, 1.0)
            parts.append(memo[key])
        candidates = set(parts[0]).intersection(*parts[1:])
        if not candidates:
            return {}
        decode = field.format.decode_positions
        found: dict[int, float] = {}
        for i, (reader, offset) in enumerate(self.leaves):
            local = {doc - offset for doc in candidates if offset <= doc < offset + reader.doc_count_all()}
            if not local:
                continue
            positions = [self._values(reader, fieldname, btext, local) for btext in btexts]
            for doc in local:
                following = [set(decode(by_doc[doc])) for by_doc in positions[1:]]
                if any(all(start + n in later for n, later in enumerate(following, 1))
                       for start in decode(positions[0][doc])):
                    found[doc + offset] = _binary_sum([part[doc + offset] for part in parts])
        return found

    @staticmethod
    def _values(reader, fieldname: str, btext: bytes, docs: set[int]) -> dict[int, bytes]:
        """The posting values (encoded positions) of one term for some documents of a segment."""
        matcher = reader.postings(fieldname, btext)
        if isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        values = {}
        if hasattr(matcher, "_read_ids") and hasattr(matcher, "_read_values") and hasattr(matcher, "_next_block"):
            while matcher.is_active():
                matcher._read_ids()
                ids = matcher._ids
                if not docs.isdisjoint(ids):
                    matcher._read_values()
                    values.update((doc, value) for doc, value in zip(ids, matcher._values) if doc in docs)
                matcher._next_block()
        else:
            while matcher.is_active():
                if matcher.id() in docs:
                    values[matcher.id()] = matcher.value()
                matcher.next()
        return values

    def _term_postings(self, fieldname: str, text) -> list[int]:
        field = self.schema[fieldname] if fieldname in self.schema else None
        if field is None:
            return []
        try:
            btext = text if isinstance(text, bytes) else field.to_bytes(text)
        except ValueError:
            return []
        docs = []
        for i, (reader, offset) in enumerate(self.leaves):
            docs.extend(doc + offset for doc, _ in self._postings(i, reader, fieldname, btext))
        return docs

    def _postings(self, leaf: int, reader, fieldname: str, btext: bytes):
        """(docnum, weight) pairs of one term in one segment, deleted documents left out."""
        if (fieldname, btext) not in reader:
            return ()
        matcher = reader.postings(fieldname, btext)
        if isinstance(matcher, FilterMatcher):
            # The segment has deleted documents: read every posting and leave them out below
            # (the filter may have stepped past deleted ones only).
            matcher = matcher.child
        if isinstance(matcher, NullMatcherClass):
            return ()
        ids: list[int] = []
        weights: list[float] = []
        if hasattr(matcher, "_read_ids") and hasattr(matcher, "_read_weights") and hasattr(matcher, "_next_block"):
            # Whoosh's block posting reader: a block's ids and weights as two arrays.
            while matcher.is_active():
                matcher._read_ids()
                matcher._read_weights()
                ids.extend(matcher._ids)
                weights.extend(matcher._weights)
                matcher._next_block()
        else:  # any other codec: the matcher's public interface
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                matcher.next()
        pairs = zip(ids, weights)
        deleted = self._deleted[leaf]
        if deleted:
            return [(doc, w) for doc, w in pairs if doc not in deleted]
        return pairs

    def _field_lengths(self, leaf: int, reader, fieldname: str):
        """A byte per document: Whoosh's coded length of the field (0: empty)."""
        key = (leaf, fieldname)
        found = self._lengths.get(key)
        if found is None:
            found = self._lengths[key] = _read_lengths(reader, fieldname)
        return found


def _deleted_docs(reader) -> frozenset[int]:
    if not reader.has_deletions():
        return frozenset()
    found = getattr(reader, "deleted_docs_set", None)
    if found is None:
        found = (doc for doc in range(reader.doc_count_all()) if reader.is_deleted(doc))
    return frozenset(found)


def _read_lengths(reader, fieldname: str):
    count = reader.doc_count_all()
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return bytes(count)
        if getattr(column, "_fixedlen", None) == 1:  # one byte per document, trailing zeros not written
            raw = bytes(column._dbfile.get(column._basepos, column._count))
            return raw + bytes(max(0, count - len(raw)))
        return array("B", column)
    except (AttributeError, ImportError, TypeError):  # another codec: one document at a time
        from whoosh.util.numeric import length_to_byte

        return bytes(length_to_byte(reader.doc_field_length(doc, fieldname, 0) or 0) for doc in range(count))


def _binary_sum(scores: list[float]) -> float:
    """a + (b + c): the order Whoosh's tree of intersection matchers adds scores in."""
    if len(scores) == 1:
        return scores[0]
    half = len(scores) // 2
    return _binary_sum(scores[:half]) + _binary_sum(scores[half:])


def _rank_key(item: tuple[int, float]):
    return (-item[1], item[0])


def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
    if boost == 1.0:
        return scores
    return {doc: score * boost for doc, score in scores.items()}


def split_top_level(query: wq.Query) -> tuple[list[wq.Query], list[wq.Query], list[wq.Query]]:
    """(scored, filters, exclusions): a top-level and's ranges are filters and its nots
    exclusions, as `search_index._run` gives them to Whoosh."""
    scored: list[wq.Query] = [query]
    filters: list[wq.Query] = []
    masks: list[wq.Query] = []
    if isinstance(query, wq.AndNot):
        scored = [query.a]
        masks.append(query.b)
    elif isinstance(query, wq.And):
        scored = []
        for child in query.subqueries:
            if isinstance(child, wq.Not):
                masks.append(child.query)
            elif isinstance(child, _UNSCORED):
                filters.append(child)
            else:
                scored.append(child)
    return scored, filters, masks

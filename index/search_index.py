"""The Whoosh index: schema, writing prepared terms, parsing queries, searching.

Whoosh stores only ids here; titles, bodies and metadata live in the catalog. Every text field
is fed term lists computed by `analysis` (in worker processes), and parses queries with the
same functions, so indexing and searching agree by construction.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema
from whoosh.lang import languages as WHOOSH_LANGUAGES
from whoosh.lang import has_stemmer
from whoosh.qparser import GtLtPlugin, MultifieldPlugin, PhrasePlugin, PlusMinusPlugin, QueryParser, syntax

from .analysis import WORD, TermTokenizer, fold
from .errors import QueryError
from .highlight import QueryTerms
from .langcodes import PIVOT, LanguageCodeError, normalize
from .ranking import Ranker, Unsupported, split_top_level

INDEX_VERSION = "6"  # bump when the schema, analysis or codec changes: the library rebuilds from the catalog
STEM_LANGUAGES = tuple(code for code in WHOOSH_LANGUAGES if has_stemmer(code))
# `gloss`: the title and lead translated into the pivot language (glossing.py), below the
# article's own words.
FIELD_BOOSTS = {"title": 2.0, "text": 1.0, "skel": 0.4, "spell": 0.5, "gloss": 0.5}
STEM_BOOST = 0.6
# Posting blocks compressed with zlib level 1: the index takes 2.2x less disk at 10k articles
# (119 -> 54 MB), for no search time that could be measured (app query CPU p50 15.2 -> 14.4
# ms, p95 80 -> 80) and about 0.6 ms of CPU an article in the writer processes.
POSTING_COMPRESSION = 1
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def build_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        "title": TEXT(analyzer=TermTokenizer("fold")),
        "text": TEXT(analyzer=TermTokenizer("fold")),
        "skel": TEXT(analyzer=TermTokenizer("script"), phrase=False),
        "spell": TEXT(analyzer=TermTokenizer("spelling"), phrase=False),
        # Folded words and their English stems in one field (no phrases: positions mean nothing).
        "gloss": TEXT(analyzer=TermTokenizer("fold"), phrase=False),
        "lang": ID,
        "source": KEYWORD(lowercase=True),  # space-separated words: `source:sputnik` works
        "path": ID,
        "date": DATETIME,
    }
    for code in STEM_LANGUAGES:
        fields[f"stem_{code}"] = TEXT(analyzer=TermTokenizer(f"stem-{code}"), phrase=False)
    return Schema(**fields)


def parse_date(value: str | None) -> dt.datetime | None:
    match = _DATE.match(value or "")
    if not match:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return dt.datetime(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class IndexHit:
    id: str
    score: float


class SearchIndex:
    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        if whoosh_index.exists_in(str(folder)):
            self.ix = whoosh_index.open_dir(str(folder))
        else:
            self.ix = whoosh_index.create_in(str(folder), build_schema())
        # Whoosh reads the schema from the newest table of contents on every access; a writer in
        # another thread or process may be replacing that file right then. It never changes.
        self.schema = self.ix.schema
        self._searcher = None
        self._parsers: dict[tuple[str, ...], tuple[QueryParser, list[str]]] = {}
        self._parse_lock = threading.Lock()
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
        from .bulk_segment import BulkSegmentWriter

        return BulkSegmentWriter(self.ix, codec=W3Codec(compression=POSTING_COMPRESSION))

    @staticmethod
    def document(article_id: str, lang: str, source: str, path: str | None, date: str | None) -> dict:
        """A document's fields other than the text fields' terms."""
        doc = {"id": article_id, "lang": lang, "source": (source or "").lower()}
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

    def _parser(self, languages: tuple[str, ...]) -> QueryParser:
        # Building a parser with its plugins costs milliseconds: keep one per language set.
        cached = self._parsers.get(languages)
        if cached is None:
            stem_fields = [f"stem_{code}" for code in languages if code in STEM_LANGUAGES]
            boosts = dict(FIELD_BOOSTS, **{name: STEM_BOOST for name in stem_fields})
            parser = QueryParser(None, self.schema)
            parser.add_plugin(_MultifieldPlugin(list(boosts), fieldboosts=boosts))
            # -word excludes, +word requires; only at the start of a word, so that
            # "Putin-Reisi" and date:2024-10 stay whole.
            parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"))
            # Dates go through the DATETIME field's own parser (YYYY, YYYY-MM, YYYY-MM-DD),
            # not DateParserPlugin, which reads "2024-10" as 2024 and NOT 10.
            parser.add_plugin(GtLtPlugin())  # date:>2024-06
            cached = self._parsers[languages] = parser
        return cached

    def parse(self, text: str, languages: Iterable[str]) -> "ParsedQuery":
        with self._parse_lock:  # Whoosh parsers keep state while parsing
            parser = self._parser(tuple(sorted(languages)))
            try:
                parsed = parser.parse(text)
            except Exception:  # Whoosh raises bare Exception, ValueError or IndexError (`<>`)
                raise QueryError(_date_hint(text) or f"cannot parse the query {text!r}; check its quotes, brackets "
                                 "and operators (< and > go with a date: date:>2024-06)") from None
        if _unreadable_dates(text):  # Whoosh would quietly make them match nothing
            raise QueryError(_date_hint(text))
        schema = self.schema
        return ParsedQuery(_rewrite(parsed, schema), _rewrite(_exact_only(parsed), schema))

    def search(self, query: "ParsedQuery | None", limit: int | None, lang: str | None = None, *,
               only: set[str] | None = None, exclude: set[str] = frozenset()) -> list[IndexHit]:
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
        if query is None:
            query = ParsedQuery(wq.Every(), wq.Every())
        tiers = [query.exact, query.full] if limit is not None and query.exact != query.full else [query.full]
        with self._search_lock:  # a Whoosh searcher is not meant for two threads at once
            searcher = self.searcher()
            try:
                ranker = self._ranker_for(searcher)
                return self._ranked(ranker, tiers, limit, extra, masks)
            except Unsupported:
                pass
            for tier in tiers:
                results = _run(searcher, tier, limit, extra, masks)
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
            scored, filters, exclusions = split_top_level(tier)
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
            if tier is tiers[-1] or len(top) >= limit:
                return [IndexHit(self._stored_id(ranker, doc), score) for doc, score in top]
        return []

    def _stored_id(self, ranker: Ranker, doc: int) -> str:
        found = self._stored_ids.get(doc)
        if found is None:
            found = self._stored_ids[doc] = ranker.searcher.stored_fields(doc)["id"]
        return found


def _date_hint(text: str) -> str | None:
    if "date:" not in text:
        return None
    return (f"cannot read the date in {text!r}; write dates like 2024, 2024-10 or 2024-10-07, "
            "ranges like date:[2024-01 to 2024-06] or date:>2024-06")


_DATE_TERM = re.compile(r"\bdate:(\[[^\]]*\]?|\{[^}]*\}?|[<>]=?\S+|\S+)")
_DATE_OPERATORS = re.compile(r"[\[\]{}<>=]")
_DATE_TO = re.compile(r"\bto\b", re.IGNORECASE)


def _unreadable_dates(text: str) -> bool:
    """Whether a `date:` value (or range bound) is not YYYY, YYYY-MM or YYYY-MM-DD."""
    for match in _DATE_TERM.finditer(text):
        for bound in _DATE_TO.split(_DATE_OPERATORS.sub(" ", match.group(1))):
            bound = bound.strip()
            if bound and (not _DATE.fullmatch(bound) or parse_date(bound) is None):  # 2024-13 is no date
                return True
    return False


# Whoosh's block-quality skipping made every query in bench/bench_index.py slower (2x on
# `minister OR ministre OR ministro` over 10k articles): turned off.
OPTIMIZE = False


def _run(searcher, query: wq.Query, limit: int | None, filters: list[wq.Query], masks: list[wq.Query] = ()):
    """Search with the top-level exclusions as a mask and the top-level ranges as a filter:
    Whoosh turns those into document sets once, instead of stepping through their postings
    for every candidate (`police NOT fire` went from 46 ms to a few on 10k articles)."""
    scored, top_filters, top_masks = split_top_level(query)
    filters, masks = list(filters) + top_filters, list(masks) + top_masks
    if not scored:  # only ranges and exclusions: `date:2024`, `lang:ar`-like filters alone
        scored = [wq.Every()]
    main = scored[0] if len(scored) == 1 else wq.And(scored)
    return searcher.search(
        main, limit=limit, optimize=OPTIMIZE,
        filter=(filters[0] if len(filters) == 1 else wq.And(filters)) if filters else None,
        mask=(masks[0] if len(masks) == 1 else wq.Or(masks)) if masks else None,
    )


@dataclass(frozen=True)
class ParsedQuery:
    full: wq.Query  # every view of every word
    exact: wq.Query  # what it looks for in title and folded text only (exclusions kept whole)


class _MultifieldPlugin(MultifieldPlugin):
    """Whoosh's multifield expansion, but a quoted phrase, or a word that is really several
    ("Putin-Reisi"), only goes to fields with positions: in the others it would match its
    words in any order, or one word alone where the field's analysis drops the others."""

    PHRASE_FIELDS = ("title", "text")

    def do_multifield(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_multifield(parser, node)
            elif node.has_fieldname and node.fieldname is None:
                phrase = isinstance(node, PhrasePlugin.PhraseNode) or (
                    isinstance(node, syntax.WordNode) and len(WORD.findall(node.text)) > 1)
                variants = []
                for name in self.fieldnames:
                    if phrase and name not in self.PHRASE_FIELDS:
                        continue
                    variant = copy.copy(node)
                    variant.set_fieldname(name)
                    variant.set_boost(self.boosts.get(name, 1.0))
                    variants.append(variant)
                group[i] = self.group(variants)
        return group


def _is_expansion(fieldname: str | None) -> bool:
    return fieldname is not None and (fieldname in ("skel", "spell", "gloss") or fieldname.startswith("stem_"))


def _exact_only(node: wq.Query) -> wq.Query:
    """The query without the stem and skeleton variants of the words it looks for; what it
    excludes keeps every variant, so its hits are always a subset of the full query's."""
    if isinstance(node, wq.Not):
        return node
    if isinstance(node, wq.AndNot):
        return wq.AndNot(_exact_only(node.a), node.b)
    if node.is_leaf():
        return wq.NullQuery if _is_expansion(getattr(node, "fieldname", None)) else node
    return node.apply(_exact_only).normalize()


def _rewrite(node: wq.Query, schema) -> wq.Query:
    """Adapt a parsed query to how the fields are stored.

    A stem is stored only where it differs from the folded word, so a stem is looked for in the
    folded field too. A phrase on a field without positions (`skel:"a b"`) cannot be answered.
    """
    if isinstance(node, wq.Term) and node.fieldname == "lang":
        try:  # lang:TR and lang:tr_TR mean lang:tr, as --lang does
            return wq.Term("lang", normalize(node.text), boost=node.boost)
        except LanguageCodeError as exc:
            raise QueryError(f"lang:{node.text}: {exc}") from None
    if isinstance(node, wq.Term) and node.fieldname.startswith("stem_"):
        also = [wq.Term("text", fold(node.text), boost=node.boost)]
        if node.fieldname == f"stem_{PIVOT}":  # glosses keep their stems beside their words
            also.append(wq.Term("gloss", node.text, boost=FIELD_BOOSTS["gloss"] * node.boost))
        return wq.Or([node, *also])
    if isinstance(node, wq.Phrase):
        return node if schema[node.fieldname].format.supports("positions") else wq.NullQuery
    if node.is_leaf():
        return node
    node = node.apply(lambda child: _rewrite(child, schema)).normalize()
    if isinstance(node, wq.Or):
        node = _without_weaker_duplicates(node)
    return node


def _without_weaker_duplicates(node: wq.Or) -> wq.Query:
    """`text:putin` from the word and again from its stem: keep the stronger one."""
    best: dict[tuple, wq.Query] = {}
    for child in node.subqueries:
        key = (child.fieldname, child.text) if isinstance(child, wq.Term) else id(child)
        if key not in best or child.boost > best[key].boost:
            best[key] = child
    if len(best) == len(node.subqueries):
        return node
    return wq.Or(list(best.values()), boost=node.boost)


def query_terms(query: wq.Query) -> QueryTerms:
    """The terms a query looks for (not those it excludes), grouped by view, for highlighting."""
    folded, skeletons, stems, spellings = set(), set(), set(), set()

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if node.is_leaf():
            for fieldname, text in node.iter_all_terms(phrases=True):
                text = text.decode("utf-8") if isinstance(text, bytes) else text
                if fieldname in ("text", "title"):
                    folded.add(text)
                elif fieldname == "skel":
                    skeletons.add(text)
                elif fieldname == "spell":
                    spellings.add(text)
                elif fieldname.startswith("stem_"):
                    stems.add(text)
            return
        for child in node.children():
            walk(child)

    walk(query)
    return QueryTerms(frozenset(folded), frozenset(skeletons), frozenset(stems), frozenset(spellings))

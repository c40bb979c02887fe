"""Searching a library: the query through Whoosh (cheap: ids and scores), then, a page at a
time, one catalog lookup for the page's summaries and bodies and a snippet around the first
match of each result."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import highlight
from .catalog import ArticleSummary, Catalog
from .errors import QueryError
from .langcodes import PIVOT, normalize
from .query import Query
from .search_index import IndexHit, SearchIndex


@dataclass(frozen=True)
class SearchResult:
    article: ArticleSummary
    score: float
    snippet: highlight.Snippet
    matched: tuple[str, ...] = ()  # how the words matched: exact, other form, spelling, script, translation
    snippet_translated: bool = False  # the snippet is from the English gloss (glossing.py), not the article

    @property
    def across(self) -> bool:
        """Found only through another spelling, script or a translation (no word matched as typed)."""
        return bool(self.matched) and highlight.EXACT not in self.matched

    def to_json(self) -> dict:
        data = self.article.to_json()
        data["score"] = round(self.score, 4)
        data["snippet"] = self.snippet.text
        data["highlights"] = [list(span) for span in self.snippet.spans]
        data["matched"] = list(self.matched)
        data["snippet_translated"] = self.snippet_translated
        return data


def parse(index: SearchIndex, catalog: Catalog, text: str) -> Query:
    """The query as this library reads it: its words looked for in the stems of the library's
    languages, its notes about lang: saying which languages the library has."""
    return index.queries.parse(text, query_languages(index, catalog), catalog.language_set)


class SearchHits:
    """What a query found, cheaply: ids and scores in rank order, the terms to highlight and
    the notes about the query (parsed once). Results with summaries, snippets and highlights
    are made a page at a time (`page`), for the rows being shown: the app asks for more as its
    list scrolls."""

    def __init__(self, hits: list[IndexHit], query: Query, catalog: Catalog):
        self.hits = hits
        self.terms = query.terms
        self.notes = query.notes
        self._catalog = catalog

    def __len__(self) -> int:
        return len(self.hits)

    @property
    def ids(self) -> list[str]:
        return [hit.id for hit in self.hits]

    def page(self, start: int = 0, stop: int | None = None) -> list[SearchResult]:
        """Results for hits[start:stop]: one catalog lookup for the page, then a snippet each.
        A hit the catalog no longer holds (an add interrupted between the two commits, an
        article removed since) is left out."""
        hits = self.hits[start:stop]
        ids = [hit.id for hit in hits]
        rows = self._catalog.summaries_with_paragraphs(ids)
        glosses = self._catalog.glosses(ids) if ids else {}
        terms = self.terms
        results = []
        for hit in hits:
            row = rows.get(hit.id)
            if row is None:
                continue
            summary, paragraphs = row
            found, how = snippet(paragraphs, summary.lang, terms)
            how |= {kind for _, kind in highlight.matches_how(summary.title, terms, summary.lang)}
            gloss, translated = glosses.get(hit.id), False
            if gloss:
                in_gloss, gloss_how = snippet(gloss.split("\n\n"), PIVOT, terms)
                if gloss_how:
                    how.add(highlight.TRANSLATION)
                    if not found.spans:  # the words are only in the translation: show them there
                        found, translated = in_gloss, True
            results.append(SearchResult(summary, hit.score, found, tuple(k for k in _KINDS if k in how), translated))
        return results


def find(index: SearchIndex, catalog: Catalog, text: str, *, lang: str | None = None,
         limit: int | None = 200, marked: Callable[[str], set[str]] | None = None,
         among: Iterable[str] | None = None) -> SearchHits:
    """The hits of a query (no snippets yet); `marked(flag)` gives the ids with a reader's flag
    set, for the `is:` filters; `among`: only these ids are looked at (a followed search run on
    the articles a change brought)."""
    if not text.strip():
        return SearchHits([], Query(text), catalog)
    query = parse(index, catalog, text)
    only: set[str] | None = None if among is None else set(among)
    exclude: set[str] = set()
    for flag, wanted in query.marks:
        if marked is None:
            raise QueryError("is: filters need the library's reader state")
        ids = marked(flag)
        if wanted:
            only = ids if only is None else only & ids
        else:
            exclude |= ids
    hits = index.search(query, limit, normalize(lang) if lang else None, only=only, exclude=exclude)
    return SearchHits(hits, query, catalog)


def search(index: SearchIndex, catalog: Catalog, query: str, *, lang: str | None = None,
           limit: int | None = 20, marked: Callable[[str], set[str]] | None = None) -> list[SearchResult]:
    """The top `limit` results, each with its snippet (the command line's search)."""
    return find(index, catalog, query, lang=lang, limit=limit, marked=marked).page(0, limit)


_KINDS = (highlight.EXACT, highlight.STEM, highlight.SPELLING, highlight.SCRIPT, highlight.TRANSLATION)


def query_languages(index: SearchIndex, catalog: Catalog) -> set[str]:
    """The languages whose stems a query looks for: the library's (read from the index's own
    term list, not counted over the catalog on every query), and the pivot language's when
    there are glosses (they are in it)."""
    languages = set(index.languages())
    if catalog.has_glosses():
        languages.add(PIVOT)
    return languages


# Work per result is bounded whatever an article's size (a 5 MB one-line article took minutes):
# matches are looked for in the first SCAN_CHARS characters of the text only, and the first
# MAX_MATCHES of them are enough to place a snippet.
SCAN_CHARS = 50_000
MAX_MATCHES = 64


def snippet(paragraphs, lang: str, terms: highlight.QueryTerms) -> tuple[highlight.Snippet, set[str]]:
    """Around the matches in the first paragraph that has any, and how those matched."""
    budget = SCAN_CHARS
    for paragraph in paragraphs:
        if budget <= 0:
            break
        found = highlight.matches_how(paragraph, terms, lang, limit=MAX_MATCHES, stop=budget)
        if found:
            return highlight.snippet(paragraph, [span for span, _ in found]), {how for _, how in found}
        budget -= len(paragraph)
    return highlight.snippet(paragraphs[0] if paragraphs else "", []), set()

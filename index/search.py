"""Searching a library: the query through Whoosh (cheap: ids and scores), then, a page at a
time, one catalog lookup for the page's summaries and bodies and a snippet around the first
match of each result."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import highlight
from .catalog import ArticleSummary, Catalog
from .errors import QueryError
from .langcodes import PIVOT, normalize
from .search_index import IndexHit, SearchIndex, query_terms


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


# `is:` filters: the reader's marks live in the catalog, not in the (derived) index, so they
# are taken out of the query and applied as a set of ids to keep or to leave out.
MARK_FILTERS = {"read": ("read", True), "unread": ("read", False),
                "starred": ("starred", True), "unstarred": ("starred", False)}
_MARK_FILTER = re.compile(r"(?<![^\s(])(-?)is:(\S*?)(?=$|[\s)])", re.IGNORECASE)


def split_mark_filters(query: str) -> tuple[str, list[tuple[str, bool]]]:
    """("putin is:unread") -> ("putin", [("read", False)]); `-is:starred` means is:unstarred."""
    found: list[tuple[str, bool]] = []

    def take(match: re.Match) -> str:
        name = match.group(2).lower()
        if name not in MARK_FILTERS:
            raise QueryError(f"is:{match.group(2)} is not a filter; use is:unread, is:read, is:starred "
                             "or is:unstarred")
        flag, wanted = MARK_FILTERS[name]
        found.append((flag, wanted != bool(match.group(1))))
        return " "

    return _MARK_FILTER.sub(take, query).strip(), found


def terms_of(index: SearchIndex, catalog: Catalog, query: str) -> highlight.QueryTerms:
    """What a query matches, for highlighting inside an article (see `highlight.matches`)."""
    query, _ = split_mark_filters(query)
    if not query.strip():
        return highlight.QueryTerms()
    return query_terms(index.parse(query, _query_languages(index, catalog)).full)


class SearchHits:
    """What a query found, cheaply: ids and scores in rank order and the terms to highlight
    (the query parsed once). Results with summaries, snippets and highlights are made a page at
    a time (`page`), for the rows being shown: the app asks for more as its list scrolls."""

    def __init__(self, hits: list[IndexHit], terms: highlight.QueryTerms, catalog: Catalog):
        self.hits = hits
        self.terms = terms
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


def find(index: SearchIndex, catalog: Catalog, query: str, *, lang: str | None = None,
         limit: int | None = 200, marked: Callable[[str], set[str]] | None = None) -> SearchHits:
    """The hits of a query (no snippets yet); `marked(flag)` gives the ids with a reader's flag
    set, for the `is:` filters."""
    if not query.strip():
        return SearchHits([], highlight.QueryTerms(), catalog)
    query, filters = split_mark_filters(query)
    only: set[str] | None = None
    exclude: set[str] = set()
    for flag, wanted in filters:
        if marked is None:
            raise QueryError("is: filters need the library's reader state")
        ids = marked(flag)
        if wanted:
            only = ids if only is None else only & ids
        else:
            exclude |= ids
    parsed = index.parse(query, _query_languages(index, catalog)) if query else None
    hits = index.search(parsed, limit, normalize(lang) if lang else None, only=only, exclude=exclude)
    return SearchHits(hits, query_terms(parsed.full) if parsed else highlight.QueryTerms(), catalog)


def search(index: SearchIndex, catalog: Catalog, query: str, *, lang: str | None = None,
           limit: int | None = 20, marked: Callable[[str], set[str]] | None = None) -> list[SearchResult]:
    """The top `limit` results, each with its snippet (the command line's search)."""
    return find(index, catalog, query, lang=lang, limit=limit, marked=marked).page(0, limit)


_KINDS = (highlight.EXACT, highlight.STEM, highlight.SPELLING, highlight.SCRIPT, highlight.TRANSLATION)


def _query_languages(index: SearchIndex, catalog: Catalog) -> set[str]:
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

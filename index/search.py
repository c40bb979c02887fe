"""Searching a library: the query through Whoosh, then one catalog lookup for the page's
summaries and bodies, and a snippet around the first match of each result."""

from __future__ import annotations

from dataclasses import dataclass

from . import highlight
from .catalog import ArticleSummary, Catalog
from .langcodes import normalize
from .search_index import SearchIndex, query_terms


@dataclass(frozen=True)
class SearchResult:
    article: ArticleSummary
    score: float
    snippet: highlight.Snippet

    def to_json(self) -> dict:
        data = self.article.to_json()
        data["score"] = round(self.score, 4)
        data["snippet"] = self.snippet.text
        data["highlights"] = [list(span) for span in self.snippet.spans]
        return data


def terms_of(index: SearchIndex, catalog: Catalog, query: str) -> highlight.QueryTerms:
    """What a query matches, for highlighting inside an article (see `highlight.matches`)."""
    if not query.strip():
        return highlight.QueryTerms()
    return query_terms(index.parse(query, catalog.languages()).full)


def search(index: SearchIndex, catalog: Catalog, query: str, *, lang: str | None = None,
           limit: int | None = 20) -> list[SearchResult]:
    if not query.strip():
        return []
    parsed = index.parse(query, catalog.languages())
    hits = index.search(parsed, limit, normalize(lang) if lang else None)
    terms = query_terms(parsed.full)
    ids = [hit.id for hit in hits]
    summaries = {s.id: s for s in catalog.summaries(ids)}
    bodies = catalog.paragraphs_of(ids)
    results = []
    for hit in hits:
        summary = summaries.get(hit.id)
        if summary is None:  # indexed but not in the catalog: an interrupted add; skip
            continue
        results.append(SearchResult(summary, hit.score, snippet(bodies.get(hit.id, ()), summary.lang, terms)))
    return results


def snippet(paragraphs, lang: str, terms: highlight.QueryTerms) -> highlight.Snippet:
    """Around the matches in the first paragraph that has any."""
    for paragraph in paragraphs:
        spans = highlight.matches(paragraph, terms, lang)
        if spans:
            return highlight.snippet(paragraph, spans)
    return highlight.snippet(paragraphs[0] if paragraphs else "", [])

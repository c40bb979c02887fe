"""newsreader engine: ingest, language detection, Whoosh search, translation.

Headless: nothing here imports Textual. The public API is what this module exports; the
command line and the app use nothing else.
"""

from .article import UNDETERMINED, AddReport, Article, Problem
from .catalog import ArticleSummary
from .errors import LibraryError, NewsreaderError, NotFound, QueryError
from .highlight import QueryTerms, Snippet, matches
from .library import Library, LibraryStats, SearchResult, bundled_seeds

__all__ = [
    "UNDETERMINED", "AddReport", "Article", "ArticleSummary", "Library", "LibraryError",
    "LibraryStats", "NewsreaderError", "NotFound", "Problem", "QueryError", "QueryTerms",
    "SearchResult", "Snippet", "bundled_seeds", "matches",
]

"""newsreader engine: ingest, language detection, Whoosh search, translation.

Headless: nothing here imports Textual. The public API is what this module exports, with
`newsreader.index.translation` (offline translation) and a few modules the front end uses as
they are: `langcodes` (language codes), `workspace` (a library and its translator, opened for a
front end), `small_files` and `output_files` (reading the files a user hands over, writing the
ones they name). `tui/` reaches the engine through nothing else (an import-linter contract in
pyproject.toml checks it).

Importing this package is cheap: the errors and the article types load at once, the rest
(Whoosh, langdetect, anyascii...) on first use of a name, so `newsreader` paints its first
frame before the search engine has loaded.
"""

from importlib import import_module

from .article import UNDETERMINED, AddReport, Article, Problem
from .errors import LibraryBusy, LibraryDamaged, LibraryError, NewsreaderError, NotFound, QueryError
from .langcodes import LanguageCodeError

_LAZY = {
    "ArticleSummary": ".catalog",
    "Library": ".library",
    "LibraryStats": ".library",
    "SearchHits": ".search",
    "SearchResult": ".search",
    "Marks": ".reader_state",
    "ChangeSet": ".changes",
    "FetchOptions": ".feeds.fetcher",
    "Arrival": ".following",
    "Followed": ".following",
    "read_outlets": ".outlets",
    "bundled_seeds": ".library",
    "QueryTerms": ".highlight",
    "Snippet": ".highlight",
    "matches": ".highlight",
}

__all__ = [
    "UNDETERMINED", "AddReport", "Arrival", "Article", "ArticleSummary", "ChangeSet", "FetchOptions", "Followed",
    "LanguageCodeError", "Library",
    "LibraryBusy", "LibraryDamaged", "LibraryError", "LibraryStats", "Marks", "NewsreaderError", "NotFound",
    "Problem", "QueryError", "QueryTerms", "SearchHits", "SearchResult", "Snippet", "bundled_seeds", "matches",
    "read_outlets",
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value

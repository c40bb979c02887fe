"""The search index as a derived view: Whoosh kept in step with the catalog.

Whoosh holds the visible articles (not those the reader removed). An add streams ready-made
terms into the writer as workers prepare them (`stage`), so nothing is kept per article until
the end; at the end `apply` handles what was not staged (a restore, a removal) from the change
set, commits Whoosh, and records its generation in the catalog inside the same transaction.
An index whose recorded generation or version does not match (a crash between the two
commits, an upgrade, a damaged folder) is rebuilt from the catalog when the library opens.
"""

from __future__ import annotations

from pathlib import Path

from whoosh.index import LockError

from .catalog import Catalog
from .changes import Change, ChangeSet
from .errors import LibraryError
from .ingest import index_terms
from .search_index import INDEX_VERSION, SearchIndex

_WRITER = "search.writer"
_STAGED = "search.staged"


class SearchView:
    name = "search"

    def __init__(self, folder: Path, catalog: Catalog):
        self.folder = folder
        self._catalog = catalog
        self.index = self._open()

    def _open(self) -> SearchIndex:
        try:
            index = SearchIndex(self.folder)
            current = (self._catalog.get_meta("index_version") == INDEX_VERSION
                       and self._catalog.get_meta("index_generation") == str(index.generation()))
        except Exception:  # an unreadable index is rebuilt from the catalog, never trusted
            current = False
        return index if current else self._rebuild()

    def _rebuild(self) -> SearchIndex:
        index = SearchIndex.recreate(self.folder)
        writer = index.writer()
        try:
            glosses = self._catalog.glosses()
            for article in self._catalog.iter_articles():
                terms = index_terms(article.title, article.body, article.lang, glosses.get(article.id))
                index.add(writer, article.id, terms, article.lang, article.source, article.path, article.date, False)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        self._catalog.set_meta("index_version", INDEX_VERSION)
        self._catalog.set_meta("index_generation", str(index.generation()))
        return index

    def rebuild(self) -> None:
        self.index.close()
        self.index = self._rebuild()

    def close(self) -> None:
        self.index.close()

    # -- inside a change --------------------------------------------------------------------
    def _writer(self, change: Change):
        writer = change.scratch.get(_WRITER)
        if writer is None:
            try:
                writer = change.scratch[_WRITER] = self.index.writer()
            except LockError:
                raise LibraryError(f"the library at {self.folder.parent} is being updated by another "
                                   "newsreader; try again when it finishes") from None
        return writer

    def stage(self, change: Change, article, terms: dict[str, list[str]], new: bool) -> None:
        """Index one article now, with terms prepared by a worker."""
        self.index.add(self._writer(change), article.id, terms, article.lang, article.source, article.path,
                       article.date, replace=not new)
        change.scratch.setdefault(_STAGED, set()).add(article.id)

    def apply(self, change: Change, changes: ChangeSet) -> None:
        staged = change.scratch.get(_STAGED, set())
        if not (changes.added or changes.changed or changes.removed) and _WRITER not in change.scratch:
            return
        writer = self._writer(change)
        for article_id in changes.removed:
            writer.delete_by_term("id", article_id)
        fresh = sorted((changes.added | changes.changed) - staged)
        glosses = self._catalog.glosses(fresh) if fresh else {}
        for article_id in fresh:
            article = self._catalog.get(article_id)
            if article is not None:
                terms = index_terms(article.title, article.body, article.lang, glosses.get(article_id))
                self.index.add(writer, article.id, terms, article.lang, article.source, article.path,
                               article.date, replace=True)
        writer.commit()
        del change.scratch[_WRITER]
        self.index.close()  # the next search opens a searcher on the new generation
        self._catalog.set_meta("index_generation", str(self.index.generation()))

    def cancel(self, change: Change) -> None:
        writer = change.scratch.pop(_WRITER, None)
        if writer is not None:
            writer.cancel()

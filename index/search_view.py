"""The search index as a derived view: Whoosh kept in step with the catalog.

Whoosh holds the visible articles (not those the reader removed). An add streams ready-made
terms into Whoosh's own writer, in this process, as workers prepare them (`stage`), so nothing
is kept per article until the end. At the end `apply` handles what was not staged (a restore,
a removal) from the change set, commits Whoosh (merging small segments by Whoosh's policy),
and records its generation in the catalog inside the same transaction. Only Whoosh's public
writer API is used.
An index whose recorded generation or version does not match (a crash between the two
commits, an upgrade, a damaged folder) is rebuilt from the catalog when the library opens.
"""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError, clean_files

from .analysis import index_terms
from .catalog import Catalog
from .changes import Change, ChangeSet
from .errors import LibraryBusy, LibraryError, NewsreaderError
from .fields import INDEX_VERSION
from .library_lock import LibraryLock
from .search_index import SearchIndex

_WRITER = "search.writer"
_STAGED = "search.staged"
_AGAIN = "search.again"  # ids staged more than once in this change
Progress = Callable[[int, int], None]


class SearchView:
    """Opened on first use (`list` never needs it). Only the holder of the library lock writes
    the index; a reader finding it stale or damaged rebuilds it only if it can take the lock
    at once, and otherwise searches what is there (another process is changing the library)."""

    name = "search"

    def __init__(self, folder: Path, catalog: Catalog, lock: LibraryLock,
                 notice: Callable[[str], None] = lambda message: None):
        self.folder = folder
        self._catalog = catalog
        self._lock = lock
        self._notice = notice
        self._index: SearchIndex | None = None
        self._identity: tuple[int, int] | None = None  # the folder's (device, inode): a rebuild swaps it

    @property
    def index(self) -> SearchIndex:
        return self.ensure()

    def _readable(self) -> SearchIndex | None:
        """The index as it is on disk, if it opens and every segment reads; None otherwise."""
        if not self.folder.is_dir() or self.folder.is_symlink():
            return None
        try:
            if not whoosh_index.exists_in(str(self.folder)):
                return None
            index = SearchIndex(self.folder)
            _check(index)
            return index
        except Exception:  # truncated, zeroed, deleted segments: whatever Whoosh raises
            return None

    def _current(self, index: SearchIndex) -> bool:
        return (self._catalog.get_meta("index_version") == INDEX_VERSION
                and self._catalog.get_meta("index_generation") == str(index.generation()))

    def _open(self) -> SearchIndex:
        index = self._readable()
        if index is not None and self._current(index):
            return index
        try:
            mine = self._lock.try_acquire()
        except LibraryError:  # read-only: nothing can be rebuilt here
            if index is not None:
                return index
            raise LibraryError(f"the search index in {self.folder} is damaged or missing, and the library is "
                               "read-only so it cannot be rebuilt; copy the library somewhere writable and run "
                               "`newsreader rebuild` there") from None
        if not mine:  # another process is adding or rebuilding: search what is there meanwhile
            if index is not None:
                return index
            raise LibraryBusy("another newsreader is rebuilding the search index; try again in a moment "
                              f"(library: {self.folder.parent})")
        try:
            if index is None and self._built_before():
                self._notice(f"the search index in {self.folder} was damaged or missing; "
                             "rebuilding it from the catalog")
            if index is not None:
                index.close()
            return self._rebuild()
        finally:
            self._lock.release()

    def _built_before(self) -> bool:
        """Whether an index was ever made here (a new library's first one is no news)."""
        return self._catalog.get_meta("index_version") is not None

    def ensure(self) -> SearchIndex:
        """Open the index now (rebuilding it if needed): a change calls this under the lock
        before it writes anything, so a rebuild never sees half a change."""
        if self._index is None or self._identity != _identity(self.folder):
            self.close()
            self._index = self._open()
            self._identity = _identity(self.folder)
        return self._index

    def repair(self, error: BaseException) -> bool:
        """After a search failed with `error`: rebuild if the index turns out damaged and the
        lock is free. True when it was rebuilt (search again); False when the index is sound
        (the error is not the index's)."""
        if isinstance(error, NewsreaderError):
            return False
        if self._readable() is not None:
            return False
        self.close()
        self._index = None
        self.ensure()  # rebuilds, or says that another process is rebuilding
        return True

    def _rebuild(self, progress: Progress | None = None) -> SearchIndex:
        """Build a new index beside the old one and swap it in: readers in other processes
        search the old one until the swap. The caller holds the library lock."""
        staging = self.folder.with_name(self.folder.name + ".new")
        old = self.folder.with_name(self.folder.name + ".old")
        for leftover in (staging, old):  # from a rebuild that was killed
            _remove(leftover)
        index = SearchIndex.recreate(staging)
        writer = index.writer()
        try:
            glosses = self._catalog.glosses()
            total = self._catalog.count() if progress else 0
            for done, article in enumerate(self._catalog.iter_articles(), 1):
                terms = index_terms(article.title, article.body, article.lang, glosses.get(article.id))
                index.add(writer, article.id, terms, article.lang, article.source, article.path, article.date, False)
                if progress is not None and (done % 100 == 0 or done == total):
                    progress(done, total)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        finally:
            index.close()
        if self.folder.is_dir() and not self.folder.is_symlink():
            os.rename(self.folder, old)
        elif os.path.lexists(self.folder):  # a file (or a link) where the index belongs: derived, replaced
            os.unlink(self.folder)
        os.rename(staging, self.folder)
        _remove(old)
        index = SearchIndex(self.folder)
        self._catalog.set_meta("index_version", INDEX_VERSION)
        self._catalog.set_meta("index_generation", str(index.generation()))
        return index

    def rebuild(self, progress: Progress | None = None) -> None:
        """Rebuild from the catalog now (the caller holds the library lock)."""
        self.close()
        self._index = self._rebuild(progress)
        self._identity = _identity(self.folder)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()


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

    def stage(self, change: Change, article, terms: dict[str, list[str]] | bytes, new: bool) -> None:
        """Index one article now, with terms prepared by a worker (pickled when they come from a
        worker process)."""
        fields: dict[str, list[str]] = pickle.loads(terms) if isinstance(terms, bytes) else terms
        self.index.add(self._writer(change), article.id, fields, article.lang, article.source, article.path,
                       article.date, replace=not new)
        staged = change.scratch.setdefault(_STAGED, set())
        if article.id in staged:  # Whoosh cannot delete the copy it has not committed yet
            change.scratch.setdefault(_AGAIN, set()).add(article.id)
        staged.add(article.id)

    def apply(self, change: Change, changes: ChangeSet) -> None:
        staged = change.scratch.get(_STAGED, set())
        if not (changes.added or changes.changed or changes.removed) and _WRITER not in change.scratch:
            return
        writer = self._writer(change)
        for article_id in changes.removed:
            writer.delete_by_term("id", article_id)
        fresh = sorted((changes.added | changes.changed) - staged)
        self._add_from_catalog(writer, fresh)
        writer.commit()
        del change.scratch[_WRITER]
        # Ids staged twice, or staged and then removed, have a copy in the segment just
        # committed that Whoosh's writer could not delete before: delete every copy now and
        # add the visible ones again. A second generation; the catalog records the last.
        visible = changes.added | changes.changed
        again = change.scratch.pop(_AGAIN, set()) | (staged - visible)
        if again:
            writer = self._writer(change)
            for article_id in sorted(again):
                writer.delete_by_term("id", article_id)
            self._add_from_catalog(writer, sorted(again & visible))
            writer.commit(merge=False)
            del change.scratch[_WRITER]
        self.index.close()  # the next search opens a searcher on the new generation
        self._catalog.set_meta("index_generation", str(self.index.generation()))

    def _add_from_catalog(self, writer, ids: list[str]) -> None:
        """Index articles as the catalog holds them, replacing any committed copy."""
        glosses = self._catalog.glosses(ids) if ids else {}
        for article_id in ids:
            article = self._catalog.get(article_id)
            if article is not None:
                terms = index_terms(article.title, article.body, article.lang, glosses.get(article_id))
                self.index.add(writer, article.id, terms, article.lang, article.source, article.path,
                               article.date, replace=True)

    def cancel(self, change: Change) -> None:
        change.scratch.pop(_AGAIN, None)
        writer = change.scratch.pop(_WRITER, None)
        if writer is not None:
            try:
                writer.cancel()
            except Exception:  # noqa: BLE001 - a commit that failed half-way may have closed it
                pass
            self._clean()

    def _clean(self) -> None:
        """Delete the files of a cancelled segment: Whoosh leaves them until the next commit,
        and after a full disk they are what fills it. Best effort (the lock holder runs this)."""
        try:
            ix = self.index.ix
            with ix.reader() as reader:
                segments = reader.segments()
            clean_files(ix.storage, ix.indexname, ix.latest_generation(), segments)
            for scratch in self.folder.glob("*.tmp"):
                shutil.rmtree(scratch, ignore_errors=True)
        except Exception:  # noqa: BLE001 - leftovers are harmless; the next commit removes them
            pass


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _check(index: SearchIndex) -> None:
    """Open every segment and read its stored ids: a truncated, zeroed or missing segment fails here."""
    with index.ix.reader() as reader:
        for leaf, _offset in reader.leaf_readers():
            next(iter(leaf.all_stored_fields()), None)
            next(iter(leaf.lexicon("id")), None)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.unlink(path)

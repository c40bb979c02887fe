"""`Library`: the engine's one public entry point (the command line and the app use only this).

A library is a folder holding `catalog.sqlite` (what sources and the reader say: the truth)
and `whoosh/` (the search index, derived). This class is a thin facade: collecting sources
(sources.py), preparing them in worker processes (pipeline.py), syncing them into the catalog
(sync.py), the reader's marks (reader_state.py), search (search.py) and the derived views
kept up to date from each change's ChangeSet (changes.py, search_view.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from . import faults, glossing
from .article import AddReport, Article, GlossReport, Problem
from .catalog import ArticleSummary, Catalog
from .changes import Change
from .errors import LibraryDamaged, LibraryError, NewsreaderError, NotFound
from .faults import guarded
from .following import Arrival, Following
from .langcodes import normalize
from .library_lock import LibraryLock, read_only
from .reader_state import Marks, ReaderState

# Opening a library and listing its articles needs only the catalog: the search index (Whoosh),
# the events (numpy, scipy) and the ingest pipeline are imported on first use, so the app's
# list is not kept waiting for imports it does not need (see the views below).

Progress = Callable[[int, int], None]
AddProgress = Callable[[int, int, str], None]  # (done, total, unit): see Library.add

if TYPE_CHECKING:
    from . import highlight
    from .coverage import Coverage
    from .disagreements import Disagreement
    from .events.view import Event, EventsView, Related
    from .feeds.fetcher import FetchOptions
    from .feeds.refresh import FetchOutcome, OutcomeCallback
    from .feeds.subscriptions import Subscription
    from .following import Followed
    from .search import SearchHits, SearchResult
    from .search_view import SearchView
    from .sync import Sync
    from .timeline import Timeline
    from .translation import Translator

__all__ = ["FetchReport", "Library", "LibraryStats", "SearchHits", "SearchResult", "bundled_seeds"]


def __getattr__(name: str):
    """SearchHits and SearchResult, as this module always exported them (imported on first use)."""
    if name in ("SearchHits", "SearchResult"):
        from . import search

        return getattr(search, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def bundled_seeds() -> Path:
    """The sample articles shipped with the package."""
    return Path(str(resources.files("newsreader.seeds")))


def _read_only(folder: Path, catalog: Path) -> bool:
    """Whether this process cannot write the library (a read-only mount, chmod a-w)."""
    if not folder.exists():
        return False  # a new library: creating it will say if it cannot be
    if not os.access(folder, os.W_OK):
        return True
    return catalog.exists() and not os.access(catalog, os.W_OK)


DERIVED = ("whoosh", "events")  # what only a library that had a catalog holds


def _check_catalog_present(folder: Path, catalog: Path) -> None:
    """A library folder whose catalog went (deleted, or truncated to nothing) must not quietly
    become an empty library: its articles and the reader's marks were in that file."""
    try:
        empty = catalog.stat().st_size == 0
    except FileNotFoundError:
        empty = True
    if empty and any((folder / name).exists() for name in DERIVED):
        state = "empty" if catalog.exists() else "missing"
        raise LibraryDamaged(
            f"the catalog {catalog} is {state}, but {folder} holds a library's search index: the articles and "
            "your marks were in the catalog; restore catalog.sqlite from a backup, or, to start an empty "
            "library there, move the folder aside and add your files again")


@dataclass(frozen=True)
class LibraryStats:
    articles: int
    files: int
    languages: dict[str, int]
    sources: dict[str, int]
    folder: str
    disk_bytes: int

    def to_json(self) -> dict:
        return dict(self.__dict__)


class FetchReport(list["FetchOutcome"]):
    """What a fetch did: the list of its outcomes, one per feed, and `glossed`, what glossing
    the articles it brought did (None: nothing was glossed; see Library.gloss_new_with)."""

    glossed: GlossReport | None = None


PLAN_ATTEMPTS = 2  # groupings planned without the lock before one is planned under it


class Library:
    """`read_only`: None finds out (a folder or catalog this process cannot write); `wait`:
    whether a change waits for another process's change to finish (the command line) or says
    at once that the library is busy (the app); `on_notice` hears one-line notices (waiting for
    another process, an index rebuilt); they are also kept in `notices`."""

    def __init__(self, folder: str | os.PathLike, *, workers: int | None = None, read_only: bool | None = None,
                 wait: bool = True, on_notice: Callable[[str], None] | None = None):
        self.folder = Path(folder).expanduser().resolve()
        self._workers = workers
        self.wait = wait
        self.notices: list[str] = []
        self._on_notice = on_notice
        if self.folder.exists() and not self.folder.is_dir():
            raise LibraryError(f"{self.folder} is a file, not a library folder; choose a folder with --library")
        catalog = self.folder / "catalog.sqlite"
        try:
            if read_only is None:
                read_only = _read_only(self.folder, catalog)
            if not read_only:
                self.folder.mkdir(parents=True, exist_ok=True)
            _check_catalog_present(self.folder, catalog)
            self.read_only = read_only
            self._lock = LibraryLock(self.folder)
            self._catalog = Catalog(catalog, read_only=read_only)
        except LibraryError:
            raise
        except OSError as exc:
            raise LibraryError(f"cannot open the library at {self.folder}: {exc.strerror or exc}") from None
        except Exception as exc:  # sqlite3.DatabaseError: not a database, damaged, ...
            mapped = None if "not a database" in str(exc) else faults.translate(exc, self.folder, catalog)
            if mapped is not None:
                raise mapped from None
            raise LibraryError(f"cannot open the library at {self.folder}: {exc}; "
                               "choose another folder with --library") from None
        self._reader = ReaderState(self._catalog)
        self._translator: Callable[[], Translator] | None = None  # glosses what comes in (gloss_new_with)
        self._made: dict[str, object] = {}  # the views and the sync, made on first use (`_lazy`)
        self._making = threading.RLock()  # the sync is made from the views
        from .feeds.subscriptions import Subscriptions

        self._subscriptions = Subscriptions(self._catalog)
        self._following = Following(self._catalog)
        self._alerts: list[Arrival] = []  # what this process's adds and fetches brought to followed items
        if self._catalog.upgraded_from is not None:
            # An upgrade from an earlier version left no current events: grouped once now, as part
            # of the upgrade, so that no read has to.
            self.ensure_events()

    # -- the derived views, made (and their modules imported) on first use -----------------
    def _lazy(self, name: str, make: Callable[[], object]):
        with self._making:
            if name not in self._made:
                self._made[name] = make()
            return self._made[name]

    @property
    def _search(self) -> SearchView:
        def make():
            from .search_view import SearchView

            return SearchView(self.folder / "whoosh", self._catalog, self._lock, self._notice)

        return self._lazy("search", make)

    @property
    def _events(self) -> EventsView:
        def make():
            from .events.view import EventsView

            return EventsView(self._catalog, self.folder / "events")

        return self._lazy("events", make)

    @property
    def _views(self) -> list:
        return [self._search, self._events, self._following]

    @property
    def _sync(self) -> Sync:
        def make():
            from .sync import Sync

            return Sync(self._catalog, self._reader, self._search, self._events)

        return self._lazy("sync", make)

    @property
    def workers(self) -> int:
        """How many processes prepare an add's files (default: the CPUs, at most 4)."""
        if self._workers is None:
            from . import pipeline

            self._workers = pipeline.default_workers()
        return self._workers

    @workers.setter
    def workers(self, value: int) -> None:
        self._workers = value

    def _notice(self, message: str) -> None:
        self.notices.append(message)
        if self._on_notice is not None:
            self._on_notice(message)

    # -- lifecycle ------------------------------------------------------------------------
    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if "search" in self._made:  # never opened: nothing to close
            self._search.close()
        self._catalog.close()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the library lock for a change (waiting for another process's change, or not:
        `wait`), with the search index open and sound before anything is written."""
        if self.read_only:
            raise read_only(self.folder)
        search = self._search  # imported before the lock is taken: others wait less
        with self._lock.held(wait=self.wait, on_wait=self._notice):
            nested = self._lock.depth > 1  # inside another change of this thread
            search.ensure()
            yield
            if nested:
                self._after_change()
        if not nested:
            # A change that touched articles left the events stale: they are grouped again now,
            # after it committed, so that no read has to (checked without importing them); after
            # the lock is let go, so that a long grouping never keeps another change waiting.
            if self._catalog.get_meta("events_version") in ("", None):
                self._group_events(wait=self.wait)  # busy: the other change groups after it
            if self._catalog.get_meta("events_version") in ("", None) or self._following.has_pending():
                if self.wait:
                    self._lock.acquire(wait=True, on_wait=self._notice)
                elif not self._lock.try_acquire():
                    return  # the change that holds the lock settles them after it
                try:
                    self._after_change()
                finally:
                    self._lock.release()

    def _after_change(self) -> None:
        """Under the lock, once a change committed: events grouped if still stale, and the
        articles it brought matched against what the reader follows, now that the index and
        the events hold them (following.py)."""
        if self._catalog.get_meta("events_version") in ("", None):
            self._events.ensure()
        if self._following.has_pending():
            with self._catalog.transaction():
                self._alerts.extend(self._settle_follows())

    def _change(self) -> Change:
        """One change: a catalog transaction that the derived views follow; all or nothing."""
        return Change(self._catalog, self._views)

    @guarded
    def rebuild(self, progress: Progress | None = None, *, events: Callable[[], None] | None = None) -> None:
        """Rebuild the derived views (the search index, the events) from the catalog;
        `progress(done, total)` follows the search index, `events()` is called when the events start."""
        if self.read_only:
            raise read_only(self.folder)
        with self._lock.held(wait=self.wait, on_wait=self._notice):
            self._search.rebuild(progress)
            if events is not None:
                events()
            self._events.rebuild()

    @guarded
    def rebuild_events(self) -> None:
        """Group every article into events anew (from the features kept in the catalog)."""
        if self.read_only:
            raise read_only(self.folder)
        self._group_events(wait=True, even_if_current=True)

    def _group_events(self, *, wait: bool, even_if_current: bool = False) -> bool:
        """Group the whole library without holding the lock while it is worked out: the grouping
        is planned from what is committed, and written under the lock only if no change was
        committed meanwhile (else planned again; after PLAN_ATTEMPTS, planned under the lock).
        `wait`: wait for another process's change, or give up at once (it groups after its
        change). True when it wrote a grouping."""
        events = self._events  # imported (numpy, scipy) before anything: a change waits less
        for attempt in range(PLAN_ATTEMPTS + 1):
            if not (even_if_current or events.stale()):
                return False
            revision = self._catalog.revision()
            plan = events.plan() if attempt < PLAN_ATTEMPTS else None
            if wait:
                self._lock.acquire(wait=True, on_wait=self._notice)
            elif not self._lock.try_acquire():
                return False
            try:
                if plan is None:  # changes kept coming: this time the lock stays taken throughout
                    events.rebuild()
                    return True
                if self._catalog.revision() == revision:
                    with self._catalog.transaction():
                        events.write(plan)
                    return True
            finally:
                self._lock.release()
        return False

    @guarded
    def ensure_events(self) -> bool:
        """Group the events again if they are stale, which happens only when a process stopped
        between committing a change and grouping after it (every change groups what it touched).
        Reads never build: front ends call this from a worker before showing events. Nothing is
        written while another process is changing the library (it groups after its change) or
        when the library is read-only. True when it grouped."""
        if self.read_only or not self._events.stale():
            return False
        try:
            return self._group_events(wait=False)
        except LibraryError:  # the lock cannot be taken (a folder gone read-only)
            return False

    @guarded
    def revision(self) -> int:
        """Grows with every committed change, from this process or another: poll it to notice adds."""
        return self._catalog.revision()

    # -- reading --------------------------------------------------------------------------
    @guarded
    def is_empty(self) -> bool:
        return self._catalog.count() == 0

    @guarded
    def get(self, article_id: str) -> Article:
        article = self._catalog.get(article_id)
        if article is None:
            raise NotFound(f"no article with id {article_id!r}; `newsreader list` shows the ids")
        event = self._catalog.event_id_of(article_id)  # not through the events view: no numpy, scipy
        return replace(article, event=event) if event else article

    @guarded
    def marks(self, article_id: str) -> Marks:
        """What the reader said of an article (read, starred, removed)."""
        return self._reader.marks(self.get(article_id).id)

    @guarded
    def articles(self, lang: str | None = None, *, unread: bool = False, starred: bool = False,
                 feed: str | None = None, tag: str | None = None, limit: int | None = None) -> list[ArticleSummary]:
        """Every article the reader has not removed, newest first (by the date the source gave);
        only the unread, or the starred, ones, or those of one subscription (URL or name), or of
        the subscriptions filed under a tag (an OPML folder), when asked; only the first `limit`
        (what a screen shows first) when given."""
        sources: list[str] | None = None
        if feed:
            sources = [self._subscriptions.find(feed).url]
        if tag is not None:
            tagged = [s.url for s in self._subscriptions.all() if tag in s.tags]
            sources = tagged if sources is None else [url for url in sources if url in tagged]
        return self._catalog.summaries(lang=normalize(lang) if lang else None, unread=unread, starred=starred,
                                       sources=sources, limit=limit)

    @guarded
    def languages(self) -> dict[str, int]:
        return self._catalog.languages()

    @guarded
    def stats(self) -> LibraryStats:
        disk = sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())
        return LibraryStats(
            articles=self._catalog.count(), files=self._catalog.source_count(),
            languages=self._catalog.languages(), sources=self._catalog.source_names(),
            folder=str(self.folder), disk_bytes=disk,
        )

    @guarded
    def query_terms(self, query: str) -> highlight.QueryTerms:
        """What a query matches, for highlighting inside an article (see `highlight.matches`)."""
        from . import search

        return self._searching(lambda index: search.parse(index, self._catalog, query).terms)

    @guarded
    def search(self, query: str, *, lang: str | None = None, limit: int | None = 20) -> list[SearchResult]:
        """Search; `is:unread`, `is:read`, `is:starred`, `is:unstarred` filter by the reader's marks."""
        from . import search

        return self._searching(lambda index: search.search(index, self._catalog, query, lang=lang, limit=limit,
                                                           marked=self._reader.with_flag))

    def _searching(self, run):
        """Run a search; when the index fails under it (a damaged segment), rebuild it from the
        catalog and search again, once."""
        try:
            return run(self._search.index)
        except NewsreaderError:
            raise
        except Exception as exc:
            if faults.translate(exc, self.folder, self._catalog.path) is not None or not self._search.repair(exc):
                raise
        return run(self._search.index)

    @guarded
    def find(self, query: str, *, lang: str | None = None, limit: int | None = 200,
             among: Iterable[str] | None = None) -> SearchHits:
        """The hits of a search, cheaply (ids, scores, the terms to highlight); `page(start, stop)`
        makes the results with snippets for the rows being shown. `among`: only these articles."""
        from . import search

        return self._searching(lambda index: search.find(index, self._catalog, query, lang=lang, limit=limit,
                                                         marked=self._reader.with_flag, among=among))

    # -- events ---------------------------------------------------------------------------
    @guarded
    def events(self, *, lang: str | None = None, min_size: int = 1) -> list[Event]:
        """Groups of articles that report the same event, largest first (as last grouped:
        `ensure_events`)."""
        return self._events.events(lang=normalize(lang) if lang else None, min_size=min_size)

    @guarded
    def event(self, event_id: str) -> Event:
        found = self._events.event(self._events.resolve(event_id))
        if found is None:
            raise NotFound(f"no event with id {event_id!r}; `newsreader events` lists them")
        return found

    @guarded
    def event_of(self, article_id: str) -> Event:
        """The event an article belongs to (one of its own when nothing else reports it)."""
        self.get(article_id)
        found = self._events.event_of(article_id)
        if found is None:
            raise NotFound(f"{article_id!r} is not in any event; was it removed?")
        return found

    @guarded
    def event_ids(self) -> dict[str, str]:
        """article id -> event id for every visible article."""
        return self._events.event_ids()

    @guarded
    def related(self, article_id: str, *, limit: int = 10) -> list[tuple[ArticleSummary, Related]]:
        """Other articles by how likely they report the same event, best first, each with how
        much it shares with this one (`Related.similarity`)."""
        self.get(article_id)
        found = self._events.related(article_id, limit)
        summaries = {s.id: s for s in self._catalog.summaries([r.id for r in found])}
        return [(summaries[r.id], r) for r in found if r.id in summaries]

    @guarded
    def compare(self, a: str, b: str):
        """What two reports share and what each has that the other lacks (events.compare)."""
        from .events.compare import compare

        left, right = self.get(a), self.get(b)
        glosses = self._catalog.glosses([left.id, right.id])
        similarity, same_event = self._events.pair(left, right)
        return compare(left, right, same_event, (glosses.get(left.id), glosses.get(right.id)), similarity)

    # -- a story: timeline, coverage, disagreements (timeline.py, coverage.py, disagreements.py)
    @guarded
    def coverage(self, events: Iterable["Event"], outlets: dict | None = None) -> dict[str, "Coverage"]:
        """event id -> who covered it and who has not yet (coverage.py); `outlets`: the reader's
        sources.toml (outlets.read), for countries, owners and labels."""
        from .coverage import coverage

        events = list(events)
        ids = sorted({m for e in events for m in e.members})
        summaries = {s.id: s for s in self._catalog.summaries(ids)}
        feeds_of: dict[str, list[tuple[str, str]]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for article_id, name, url in self._catalog.db.execute(
                    "SELECT e.article_id, s.name, s.url FROM entries e JOIN subscriptions s ON s.url = e.source"
                    f" WHERE e.article_id IN ({','.join('?' * len(chunk))}) ORDER BY s.name", chunk):
                feeds_of.setdefault(article_id, []).append((name, url))
        subscribed = self._catalog.db.execute("SELECT name, url FROM subscriptions ORDER BY name").fetchall()
        languages = self._catalog.languages()
        return {e.id: coverage([summaries[m] for m in e.members if m in summaries], feeds_of, subscribed,
                               languages, outlets or {}) for e in events}

    @guarded
    def timeline(self, event_id: str, outlets: dict | None = None) -> "Timeline":
        """An event's reports in time order, the first marked, each with what it adds that no
        earlier report said and whether it is new since the reader last looked (timeline.py);
        its coverage in the header. Reads only: `looked_at` records the look."""
        from .timeline import Entry, Timeline, what_each_adds

        event = self.event(event_id)
        articles = [a for a in (self._catalog.get(i) for i in event.members) if a is not None]
        summaries = {s.id: s for s in self._catalog.summaries([a.id for a in articles])}
        adds = what_each_adds(articles, self._catalog.glosses([a.id for a in articles]))
        seen = self._timeline_seen([a.id for a in articles])
        entries = [Entry(summaries[a.id], k == 0, a.id not in seen and not summaries[a.id].read, add)
                   for k, (a, add) in enumerate(zip(articles, adds, strict=True))]
        return Timeline(event.id, event.label, entries, self.coverage([event], outlets)[event.id])

    def _timeline_seen(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found.update(a for (a,) in self._catalog.db.execute(
                f"SELECT article_id FROM reader_state WHERE timeline_seen = 1"
                f" AND article_id IN ({','.join('?' * len(chunk))})", chunk))
        return found

    @guarded
    def looked_at(self, event_id: str) -> list[str]:
        """The reader looked at an event's timeline: its reports are no longer new there.
        Returns the ids that were new."""
        event = self.event(event_id)
        with self._writing(), self._catalog.transaction():
            fresh = sorted(set(event.members) - self._timeline_seen(list(event.members)))
            self._catalog.db.executemany(
                "INSERT INTO reader_state (article_id, timeline_seen) VALUES (?, 1) ON CONFLICT (article_id)"
                " DO UPDATE SET timeline_seen = 1", [(i,) for i in fresh])
        return fresh

    @guarded
    def disagreements(self, event_id: str) -> list["Disagreement"]:
        """Numbers, dates and quoted statements that differ between an event's reports, each
        value with the reports and outlets giving it (disagreements.py)."""
        from .disagreements import disagreements

        event = self.event(event_id)
        articles = [a for a in (self._catalog.get(i) for i in event.members) if a is not None]
        return disagreements(articles, {s.id: s for s in self._catalog.summaries([a.id for a in articles])})

    # -- adding ---------------------------------------------------------------------------
    @staticmethod
    def check_path(path: str) -> Problem | None:
        """Why adding `path` would read nothing (no such file, a URL, a folder holding nothing
        newsreader reads), or None; reads no file (for a dialog checking what was typed)."""
        from . import sources

        return sources.check(path)

    @guarded
    def add(self, paths: Iterable[str | os.PathLike], *, lang: str | None = None,
            progress: AddProgress | None = None) -> AddReport:
        """Add files and folders (recursively). Problems are reported, never raised.
        `progress(done, total, unit)` follows the work; `unit` is one of pipeline's FILES,
        ARTICLES (a large file's articles prepared), STORED (its articles stored) or INDEXING
        (the views catching up; total 0), then glossing.GLOSSING (what came in, glossed: see
        `gloss_new_with`) after the add's change, so the lock is not held while translating."""
        with self._writing():
            report = self._add(paths, lang=lang, progress=progress)
        gloss_progress = None if progress is None else lambda done, total: progress(done, total, glossing.GLOSSING)
        report.glossed = self._gloss_new(report.added + report.updated, gloss_progress)
        return report

    def _add(self, paths, *, lang, progress) -> AddReport:
        from . import pipeline
        from .ingest import PreparedFile
        from .sources import collect

        lang = normalize(lang) if lang else None
        collected = collect(paths)
        report = AddReport(problems=list(collected.problems), files=len(collected.files))
        known = self._catalog.sources_at(collected.files)
        ready, jobs = [], []
        for path in collected.files:
            record = known.get(path)
            try:
                stat = os.stat(path)
            except OSError:
                report.problems.append(Problem(path, "disappeared while being added"))
                continue
            if record and not lang and record.size == stat.st_size and record.mtime_ns == stat.st_mtime_ns:
                ready.append(PreparedFile(path, record.size, record.mtime_ns, record.hash, kind=record.kind,
                                          unchanged=True))
            else:
                jobs.append((path, None if lang else (record.hash if record else None), lang))
        prepared = pipeline.stream(ready, jobs, self.workers, progress)
        try:
            with self._change() as change:
                removed = self._reader.removed()
                for item in prepared:  # a generator: Whoosh indexes each file while workers prepare the next
                    stored = None
                    if progress is not None and item.size >= pipeline.SPLIT_FILE_BYTES:
                        stored = lambda done, total: progress(done, total, pipeline.STORED)  # noqa: E731
                    self._sync.file(change, item, report, removed, stored=stored)
                for folder in collected.folders:
                    report.removed.extend(self._sync.vanished(change, folder, removed))
                if progress is not None:
                    progress(0, 0, pipeline.INDEXING)  # the views apply the change as it commits
        finally:
            # An add stopped early reaps its preparing workers now, not when the generator is
            # collected: they hold the library lock's descriptor (inherited), so the next add waited.
            prepared.close()
        return report

    # -- removing -------------------------------------------------------------------------
    @guarded
    def remove(self, target: str) -> list[str]:
        """Remove one article by id (the reader's removal: `restore` undoes it), or forget
        every article from a file or folder path."""
        with self._writing():
            return self._remove(target)

    def _remove(self, target: str) -> list[str]:
        if self._catalog.exists(target):
            with self._change() as change:
                if self._reader.set_flag([target], "removed", True):
                    change.changes.remove(target)
            return [target]
        path = str(Path(target).expanduser().resolve())
        locations = self._catalog.sources_under(path)
        if not locations:
            raise NotFound(f"no article or added file matches {target!r}; `newsreader list` shows ids and paths")
        with self._change() as change:
            return self._sync.forget(change, locations, self._reader.removed())

    @guarded
    def restore(self, article_id: str) -> bool:
        """Bring back an article the reader removed; False if it was not removed."""
        self.get(article_id)
        with self._writing(), self._change() as change:
            if not self._reader.set_flag([article_id], "removed", False):
                return False
            change.changes.add(article_id)
        return True

    @guarded
    def prune(self) -> list[str]:
        """Forget the articles of files that no longer exist."""
        from .sources import source_exists

        with self._writing():
            missing = [loc for loc in self._catalog.sources() if not source_exists(loc)]
            with self._change() as change:
                return self._sync.forget(change, missing, self._reader.removed())

    # -- glosses: titles and leads in the pivot language (glossing.py) ----------------------
    def gloss_new_with(self, translator: Callable[[], "Translator"] | None) -> None:
        """Gloss what each add and fetch brings with this translator (asked for only when
        something new needs a gloss, so the model runtime is not opened otherwise); None: no more."""
        self._translator = translator

    @guarded
    def gloss(self, translator, *, ids: Iterable[str] | None = None,
              progress: Progress | None = None) -> GlossReport:
        """Translate the title and lead of each article (of `ids`, or of the whole library) that
        is not in the pivot language and has no gloss yet, with the translator's installed models;
        grouping and search then use them. Languages no model reaches are counted, not raised."""
        return self._gloss(translator, None if ids is None else [self.get(i).id for i in ids], progress)

    def _gloss_new(self, ids: list[str], progress: Progress | None) -> GlossReport | None:
        """The glosses of what an add or fetch brought, with the translator given to the library;
        None when there is none, no model is installed or nothing needs a gloss. A failure is the
        report's error: what came in stays."""
        if self._translator is None or not ids:
            return None
        try:
            if not any(glossing.needs_gloss(lang) for _, lang in self._catalog.gloss_pending(ids)):
                return None
            translator = self._translator()
            if not translator.installed():
                return None
            return self._gloss(translator, ids, progress)
        except NewsreaderError as exc:
            return GlossReport(error=str(exc))

    @guarded  # a full disk while glossing an add's articles is one line, as in the add itself
    def _gloss(self, translator, wanted: list[str] | None, progress: Progress | None) -> GlossReport:
        from .events.features import extract
        from .translation import NoRoute

        report = GlossReport()
        pending = [(i, lang) for i, lang in self._catalog.gloss_pending(wanted) if glossing.needs_gloss(lang)]
        report.already = (self._catalog.count() if wanted is None else len(wanted)) - len(pending)
        routes = {}
        for lang in sorted({lang for _, lang in pending}):
            try:
                routes[lang] = translator.route(lang, glossing.PIVOT)
            except NoRoute:
                report.no_model[lang] = sum(1 for _, code in pending if code == lang)
        work = [i for i, lang in pending if lang in routes]
        for start in range(0, len(work), glossing.BATCH):
            made = []
            for article_id in work[start:start + glossing.BATCH]:
                article = self._catalog.get(article_id)
                if article is None:  # forgotten since gloss_pending listed it
                    continue
                route = routes[article.lang]
                made.append((article, route.key, glossing.translate_lead(translator, article, route)))
                if progress is not None:
                    progress(start + len(made), len(work))
            with self._writing(), self._change() as change:
                removed = self._reader.removed()
                for article, model, text in made:
                    current = self._catalog.get(article.id)
                    if current is None or current.content_hash != article.content_hash or article.id in removed:
                        continue  # changed or removed while it was being translated
                    self._catalog.put_gloss(article.id, article.content_hash, model, text)
                    self._events.stage(change, article.id, extract(article.title, article.paragraphs,
                                                                   article.lang, text))
                    change.changes.change(article.id)
                    report.glossed.append(article.id)
        return report

    # -- the reader's marks ---------------------------------------------------------------
    @guarded
    def mark(self, ids: Iterable[str], *, read: bool | None = None, starred: bool | None = None) -> list[str]:
        """Mark articles read/unread and starred/unstarred; returns the ids that changed."""
        ids = [self.get(i).id for i in ids]
        changed: set[str] = set()
        with self._writing(), self._change() as change:
            for flag, value in (("read", read), ("starred", starred)):
                if value is not None:
                    changed.update(self._reader.set_flag(ids, flag, value))
            change.changes.marked |= changed
        return sorted(changed)


    @guarded
    def mark_all_read(self, *, feed: str | None = None, before: str | None = None,
                      ids: Iterable[str] | None = None) -> list[str]:
        """Mark read every unread article the reader has not removed (of one subscription, by
        name or URL; dated before `before`, YYYY[-MM[-DD]]; among `ids`, e.g. the rows a screen
        shows), in one change. Returns the ids that changed: `mark(those, read=False)` undoes it."""
        from .query import parse_date

        if before is not None and parse_date(before) is None:
            raise NewsreaderError(f"{before!r} is not a date; write it as 2024, 2024-10 or 2024-10-07")
        source = self._subscriptions.find(feed).url if feed else None
        wanted = None if ids is None else set(ids)
        chosen = [s.id for s in self._catalog.summaries(unread=True, sources=None if source is None else [source])
                  if (wanted is None or s.id in wanted) and (before is None or (s.date is not None and s.date < before))]
        if not chosen:
            return []
        with self._writing(), self._change() as change:
            changed = self._reader.set_flag(chosen, "read", True)
            change.changes.marked |= set(changed)
        return sorted(changed)

    @guarded
    def set_language(self, ids: Iterable[str], lang: str | None) -> list[str]:
        """The reader sets the language of articles (None: back to what detection said). It is
        the reader's state: kept when the source is read again, added again or rebuilt; search,
        events and translation follow it at once. Returns the ids whose language changed."""
        from .article import ArticleDraft
        from .ingest import prepare_article

        code = normalize(lang, allow_und=False) if lang is not None else None
        articles = [self.get(i) for i in ids]
        changed = []
        with self._writing(), self._change() as change:
            removed = self._reader.removed()
            for article in articles:
                if not self._reader.set_language(article.id, code):
                    continue
                detected = self._catalog.detected(article.id) or (article.lang, article.lang_confidence)
                draft = ArticleDraft(paragraphs=article.paragraphs, title=article.title, date=article.date,
                                     source=article.source, url=article.url)
                prepared = prepare_article(draft, code or detected[0])
                confidence = 1.0 if code else detected[1]
                updated = replace(article, lang=prepared.lang, lang_confidence=confidence,
                                  content_hash=prepared.hash, event=None)
                self._catalog.put_article(updated, detected=detected)
                if article.id not in removed:
                    self._search.stage(change, updated, prepared.terms, new=False)
                    self._events.stage(change, article.id, prepared.features)
                    change.changes.change(article.id)
                changed.append(article.id)
        return changed

    # -- export ---------------------------------------------------------------------------
    @guarded
    def export_markdown(self, article_or_event: str, *, target: str | None = None, translate=None):
        """An article beside its translation, or an event's whole coverage, as Markdown
        (`export.Document`); `translate(paragraphs, lang)` gives translations (export.Translate)."""
        from .export import export

        return export(self, article_or_event, target=normalize(target) if target else None, translate=translate)

    # -- following events and searches (following.py) ----------------------------------------
    @guarded
    def follow(self, event_id: str | None = None, *, query: str | None = None) -> "Followed":
        """Follow an event (its reports now count as seen; it stays followed when it merges or
        grows) or a search (each article that comes later is matched against it)."""
        from .following import QUERY

        if (event_id is None) == (query is None):
            raise ValueError("follow an event id or a query")
        with self._writing():
            if query is not None:
                self.find(query, among=())  # a query that cannot be read is refused now, not at each add
                with self._catalog.transaction():
                    follow_id, _ = self._following.follow_query(query)
            else:
                event = self.event(event_id)
                with self._catalog.transaction():
                    follow_id, _ = self._following.follow_event(event.id, event.members)
        return next(f for f in self.following() if f.id == follow_id or (f.kind == QUERY and f.target == query))

    @guarded
    def unfollow(self, target: str) -> "Followed":
        """Stop following: by the number `following` shows, the query, or the event's id."""
        with self._writing():
            row = self._following.find(target, self._events.resolve)
            gone = next(f for f in self.following() if f.id == row[0])
            with self._catalog.transaction():
                self._following.unfollow(row[0])
        return gone

    @guarded
    def following(self) -> list["Followed"]:
        """What the reader follows, each with its reports and how many are new (not yet listed
        by `take_new`), in the order they were followed."""
        from .following import EVENT, Followed

        found = []
        for follow_id, kind, target, added in self._following.rows():
            recorded = self._following.recorded(follow_id)
            unseen = sum(1 for seen in recorded.values() if not seen)
            label = target
            if kind == EVENT:
                event = self._followed_event(target, recorded)
                if event is not None:
                    target, label = event.id, event.label
                    extra = [m for m in event.members if m not in recorded]
                    unseen += len(extra)
                    recorded = {**recorded, **dict.fromkeys(extra, False)}
                else:
                    label = "(its reports are gone)"
            found.append(Followed(follow_id, kind, target, label, added, len(recorded), unseen))
        return found

    def _followed_event(self, target: str, recorded):
        from .following import current_event

        now = current_event(target, recorded, self._events.resolve, lambda e: self._events.event(e) is not None,
                            self._events.event_ids_of)
        return self._events.event(now) if now is not None else None

    @guarded
    def take_new(self, *, mark_seen: bool = True, only: int | None = None) -> list["Arrival"]:
        """The reports that came into each followed item since this was last asked (each listed
        once: they are marked seen, unless `mark_seen` is false); `only`: one followed item's
        (by its number), as the app shows one when the reader selects it."""
        with self._writing(), self._catalog.transaction():
            self._record_event_reports()
            followed = {f.id: f for f in self.following()}
            arrivals = []
            for follow_id, f in followed.items():
                if only is not None and follow_id != only:
                    continue
                ids = self._following.unseen(follow_id)
                if not ids:
                    continue
                reports = tuple(self._catalog.summaries(ids))
                if reports:
                    arrivals.append(Arrival(f, reports))
                if mark_seen:
                    self._following.mark_seen(follow_id, ids)
        return arrivals

    def take_alerts(self) -> list["Arrival"]:
        """What this process's adds and fetches brought into followed items since it last asked
        (for a status line, a bell, a notification hook); each arrival is handed over once."""
        taken, self._alerts = self._alerts, []
        merged: dict[int, Arrival] = {}  # a fetch stores feed by feed: one arrival per followed item
        for arrival in taken:
            before = merged.get(arrival.followed.id)
            reports = (before.reports if before else ()) + arrival.reports
            merged[arrival.followed.id] = Arrival(arrival.followed, tuple({r.id: r for r in reports}.values()))
        return list(merged.values())

    def _record_event_reports(self) -> dict[int, list[str]]:
        """Each followed event's members not recorded yet become its new reports (inside a
        transaction); its id follows the event when it merged. Returns follow id -> fresh ids."""
        from .following import EVENT

        fresh = {}
        for follow_id, kind, target, _ in self._following.rows():
            if kind != EVENT:
                continue
            recorded = self._following.recorded(follow_id)
            event = self._followed_event(target, recorded)
            if event is None:
                continue
            if event.id != target:
                self._following.retarget(follow_id, event.id)
            got = self._following.record(follow_id, [m for m in event.members if m not in recorded])
            if got:
                fresh[follow_id] = got
        return fresh

    def _settle_follows(self) -> list["Arrival"]:
        """Match the articles changes brought against the follows (inside a transaction, under
        the lock): a followed search against those articles only, never the whole library."""
        from .following import QUERY

        pending = set(self._following.take_pending())
        visible = {s.id for s in self._catalog.summaries(sorted(pending))} - self._reader.removed(pending)
        fresh = self._record_event_reports()
        for follow_id, kind, target, _ in self._following.rows():
            if kind != QUERY or not visible:
                continue
            try:
                matched = self.find(target, limit=None, among=visible).ids
            except NewsreaderError as exc:  # followed before the query language changed: said, not raised
                self._notice(f"the followed search {target!r} cannot be run: {exc}")
                continue
            got = self._following.record(follow_id, matched)
            if got:
                fresh[follow_id] = got
        if not fresh:
            return []
        followed = {f.id: f for f in self.following()}
        return [Arrival(followed[i], tuple(self._catalog.summaries(ids))) for i, ids in fresh.items() if i in followed]

    # -- subscriptions (index/feeds/) -------------------------------------------------------
    @guarded
    def subscriptions(self) -> list["Subscription"]:
        """The subscribed feeds by name, with their last fetch, item and unread counts."""
        return self._subscriptions.all()

    @guarded
    def subscribe(self, url: str, *, name: str | None = None, tags: Iterable[str] = ()) -> "Subscription":
        """Subscribe to a feed URL (nothing is downloaded until `fetch`)."""
        with self._writing(), self._catalog.transaction():
            return self._subscriptions.add(url, name, tuple(tags))

    @guarded
    def unsubscribe(self, url_or_name: str, *, forget: bool = False) -> tuple["Subscription", list[str]]:
        """Stop fetching a feed. Its articles stay (with your marks) unless `forget`, which
        forgets those no other source holds; returns the subscription and the forgotten ids."""
        sub = self._subscriptions.find(url_or_name)
        with self._writing(), self._change() as change:
            self._subscriptions.delete(sub.url)
            gone = self._sync.forget(change, [sub.url], self._reader.removed()) if forget else []
        return sub, gone

    @guarded
    def import_opml(self, path: str | os.PathLike):
        """Subscribe to every feed an OPML file lists (its folders become tags); feeds already
        subscribed are left as they are. Returns (added subscriptions, URLs already there, problems)."""
        from .feeds import opml

        data = opml.read_file(path)  # a regular file, bounded: a FIFO or /dev/zero is one line
        with self._writing(), self._catalog.transaction():
            return self._subscriptions.import_feeds(opml.read(data, str(path)), str(path))

    def export_opml(self) -> str:
        """Every subscription as an OPML 2.0 document (tags as nested folders)."""
        from .feeds import opml

        return opml.write((s.url, s.name, s.tags, s.title) for s in self._subscriptions.all())

    @guarded
    def fetch(self, names: Iterable[str] | None = None, *, options: "FetchOptions | None" = None,
              on_outcome: "OutcomeCallback | None" = None, cancelled: Callable[[], bool] | None = None,
              gloss_progress: Progress | None = None) -> FetchReport:
        """Download the subscribed feeds (or those named, by name or URL) and add their new
        items; one outcome per feed, passed to `on_outcome(outcome, done, total)` as it comes.
        Then what came in is glossed (`gloss_new_with`), `gloss_progress(done, total)` following."""
        from .feeds.fetcher import FetchOptions
        from .feeds.refresh import Refresh

        chosen = [self._subscriptions.find(n) for n in names] if names else self._subscriptions.all()

        def sync_file(change, prepared, report) -> None:
            self._sync.file(change, prepared, report, self._reader.removed())

        if self.read_only:
            raise read_only(self.folder)
        # The lock is taken to store each feed, never while downloading (refresh.py).
        refresh = Refresh(self._catalog, self._subscriptions, self._writing, self._change, sync_file)
        report = FetchReport(refresh.run(chosen, options or FetchOptions(), on_outcome, cancelled))
        report.glossed = self._gloss_new([i for o in report for i in (*o.added, *o.updated)], gloss_progress)
        return report

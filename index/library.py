"""`Library`: the engine's one public entry point (the command line and the app use only this).

A library is a folder holding `catalog.sqlite` (articles, files: the truth) and `whoosh/` (the
search index derived from it). Adding is incremental: unchanged files are skipped by size and
modification time, then by content hash; a changed file replaces only the articles that changed.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import resources
from multiprocessing import get_context
from pathlib import Path

from whoosh.index import LockError

from . import highlight
from .article import AddReport, Article, Problem, content_hash
from .catalog import ArticleSummary, Catalog, FileRecord
from .errors import LibraryError, NotFound
from .ingest import PreparedArticle, PreparedFile, index_terms, prepare_articles, prepare_file, prepare_many
from .readers import EXTENSIONS
from .search_index import INDEX_VERSION, SearchIndex

PARALLEL_MIN_FILES = 48  # below this, starting worker processes costs more than it saves
CHUNK_FILES = 24
SPLIT_FILE_BYTES = 512 * 1024  # a file this large has its articles prepared in parallel
CHUNK_ARTICLES = 64
Progress = Callable[[int, int], None]
_SLUG = re.compile(r"[^\w.-]+", re.UNICODE)


def bundled_seeds() -> Path:
    """The sample articles shipped with the package."""
    return Path(str(resources.files("newsreader.seeds")))


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


class Library:
    def __init__(self, folder: str | os.PathLike, *, workers: int | None = None):
        self.folder = Path(folder).expanduser().resolve()
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
        if self.folder.exists() and not self.folder.is_dir():
            raise LibraryError(f"{self.folder} is a file, not a library folder; choose a folder with --library")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.catalog = Catalog(self.folder / "catalog.sqlite")
        except OSError as exc:
            raise LibraryError(f"cannot open the library at {self.folder}: {exc.strerror or exc}") from None
        except Exception as exc:  # sqlite3.DatabaseError: not a database, locked, ...
            raise LibraryError(f"cannot open the library at {self.folder}: {exc}; "
                               "choose another folder with --library") from None
        self.index = self._open_index()

    # -- lifecycle ------------------------------------------------------------------------
    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.index.close()
        self.catalog.close()

    def _open_index(self) -> SearchIndex:
        folder = self.folder / "whoosh"
        try:
            index = SearchIndex(folder)
            current = (self.catalog.get_meta("index_version") == INDEX_VERSION
                       and self.catalog.get_meta("index_generation") == str(index.generation()))
        except Exception:  # an unreadable index is rebuilt from the catalog, never trusted
            current = False
        if current:
            return index
        return self._rebuild_index(folder)

    def _rebuild_index(self, folder: Path) -> SearchIndex:
        index = SearchIndex.recreate(folder)
        writer = index.writer()
        for article in self.catalog.iter_articles():
            terms = index_terms(article.title, article.body, article.lang)
            index.add(writer, article.id, terms, article.lang, article.source, article.path, article.date, False)
        writer.commit()
        self.catalog.set_meta("index_version", INDEX_VERSION)
        self.catalog.set_meta("index_generation", str(index.generation()))
        return index

    def rebuild(self) -> None:
        """Rebuild the search index from the catalog (after an upgrade or a crash)."""
        self.index.close()
        self.index = self._rebuild_index(self.folder / "whoosh")

    # -- reading --------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.catalog.count() == 0

    def get(self, article_id: str) -> Article:
        article = self.catalog.get(article_id)
        if article is None:
            raise NotFound(f"no article with id {article_id!r}; `newsreader list` shows the ids")
        return article

    def articles(self, lang: str | None = None) -> list[ArticleSummary]:
        """Every article, newest first (by the date the source gave)."""
        return self.catalog.summaries(lang=lang)

    def languages(self) -> dict[str, int]:
        return self.catalog.languages()

    def stats(self) -> LibraryStats:
        disk = sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())
        return LibraryStats(
            articles=self.catalog.count(), files=len(self.catalog.files()),
            languages=self.catalog.languages(), sources=self.catalog.sources(),
            folder=str(self.folder), disk_bytes=disk,
        )

    def query_terms(self, query: str) -> highlight.QueryTerms:
        """What a query matches, for highlighting inside an article (see `highlight.matches`)."""
        from .search_index import query_terms

        if not query.strip():
            return highlight.QueryTerms()
        return query_terms(self.index.parse(query, self.catalog.languages()).full)

    def search(self, query: str, *, lang: str | None = None, limit: int | None = 20) -> list[SearchResult]:
        from .search_index import query_terms

        if not query.strip():
            return []
        parsed = self.index.parse(query, self.catalog.languages())
        hits = self.index.search(parsed, limit, lang)
        terms = query_terms(parsed.full)
        ids = [hit.id for hit in hits]
        summaries = {s.id: s for s in self.catalog.summaries(ids)}
        bodies = self.catalog.paragraphs_of(ids)
        results = []
        for hit in hits:
            summary = summaries.get(hit.id)
            if summary is None:  # indexed but not in the catalog: an interrupted add; skip
                continue
            snippet = _snippet(bodies.get(hit.id, ()), summary.lang, terms)
            results.append(SearchResult(summary, hit.score, snippet))
        return results

    # -- adding ---------------------------------------------------------------------------
    def add(self, paths: Iterable[str | os.PathLike], *, lang: str | None = None,
            progress: Progress | None = None) -> AddReport:
        """Add files and folders (recursively). Problems are reported, never raised."""
        report = AddReport()
        files, folders = self._collect(paths, report)
        report.files = len(files)
        known = self.catalog.files()
        jobs, results = [], []
        for path in files:
            record = known.get(path)
            try:
                stat = os.stat(path)
            except OSError:
                report.problems.append(Problem(path, "disappeared while being added"))
                continue
            if record and not lang and record.size == stat.st_size and record.mtime_ns == stat.st_mtime_ns:
                results.append(PreparedFile(path, record.size, record.mtime_ns, record.hash, unchanged=True))
            else:
                jobs.append((path, None if lang else (record.hash if record else None), lang))
        total = len(files)

        def stream() -> Iterable[PreparedFile]:
            # A generator, so the Whoosh writer adds each file while workers prepare the next.
            done = len(results)
            yield from results
            if progress:
                progress(done, total)
            for prepared in self._prepare(jobs):
                done += 1
                if progress:
                    progress(done, total)
                yield prepared

        self._commit(stream(), folders, report)
        return report

    def _collect(self, paths, report: AddReport) -> tuple[list[str], list[str]]:
        files: dict[str, None] = {}
        folders = []
        for given in paths:
            path = Path(given).expanduser()
            if path.is_dir():
                folders.append(str(path.resolve()))
                for root, dirnames, filenames in os.walk(path):
                    dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                    for name in sorted(filenames):
                        if not name.startswith(".") and Path(name).suffix.lower() in EXTENSIONS:
                            files[str((Path(root) / name).resolve())] = None
            elif path.is_file():
                files[str(path.resolve())] = None
            elif path.exists():
                report.problems.append(Problem(str(given), "is not a regular file or folder; skipped"))
            else:
                report.problems.append(Problem(str(given), "no such file or folder; check the path"))
        return list(files), folders

    def _prepare(self, jobs: list[tuple]) -> Iterable[PreparedFile]:
        large = [job for job in jobs if _size(job[0]) >= SPLIT_FILE_BYTES]
        if self.workers < 2 or (len(jobs) < PARALLEL_MIN_FILES and not large):
            for job in jobs:
                yield prepare_file(*job)
            return
        small = [job for job in jobs if _size(job[0]) < SPLIT_FILE_BYTES]
        chunks = [small[i:i + CHUNK_FILES] for i in range(0, len(small), CHUNK_FILES)]
        # fork is fastest, but forking a process that runs other threads (the app calls this
        # from a worker thread) can deadlock; then use a fork server.
        method = "fork" if threading.active_count() == 1 else "forkserver"
        with ProcessPoolExecutor(self.workers, mp_context=get_context(method)) as pool:
            futures = [pool.submit(prepare_many, chunk) for chunk in chunks]

            def pooled(drafts, forced_lang):
                # One large file (a JSONL dump, a big feed): its articles go to the workers.
                parts = [drafts[i:i + CHUNK_ARTICLES] for i in range(0, len(drafts), CHUNK_ARTICLES)]
                return [a for part in pool.map(prepare_articles, parts, [forced_lang] * len(parts)) for a in part]

            for job in large:
                yield prepare_file(*job, preparer=pooled)
            for future in as_completed(futures):
                yield from future.result()

    @contextmanager
    def _change(self) -> Iterator["_Change"]:
        """One change to the library: a catalog transaction and, if the change needs one, a
        Whoosh writer. Both commit, or neither does."""
        change = _Change(self)
        self.catalog.begin()
        try:
            yield change
            if change.opened is not None:
                change.opened.commit()
                change.opened = None
                self.index.close()
                self.catalog.set_meta("index_generation", str(self.index.generation()))
            self.catalog.commit()
        except BaseException:
            if change.opened is not None:
                change.opened.cancel()
            self.catalog.rollback()
            raise

    def _commit(self, results: Iterable[PreparedFile], folders: list[str], report: AddReport) -> None:
        with self._change() as change:
            taken: dict[str, tuple[str, str]] = {}
            counts = self.catalog.article_counts()
            for prepared in results:
                if prepared.failed:
                    report.problems.extend(prepared.problems)
                    continue  # whatever an earlier add indexed from this file stays as it was
                record = FileRecord(prepared.path, prepared.size, prepared.mtime_ns, prepared.hash)
                if prepared.unchanged:
                    report.unchanged += counts.get(prepared.path, 0)
                else:
                    report.problems.extend(prepared.problems)
                    self._apply_file(change, prepared, taken, report)
                self.catalog.put_file(record)
            for folder in folders:
                self._prune(change, folder, report)

    def _open_writer(self):
        try:
            return self.index.writer()
        except LockError:
            raise LibraryError(f"the library at {self.folder} is being updated by another newsreader; "
                               "try again when it finishes") from None

    def _apply_file(self, change: "_Change", prepared: PreparedFile, taken: dict, report: AddReport) -> None:
        existing = self.catalog.keys_in_file(prepared.path)
        seen_keys = set()
        for item in prepared.articles:
            key = item.draft.key
            seen_keys.add(key)
            if key in existing:
                article_id, old_hash = existing[key]
                if old_hash == item.hash:
                    report.unchanged += 1
                    continue
                self._store(change, article_id, item, prepared.path, replace=True)
                report.updated.append(article_id)
                continue
            article_id = self._new_id(item, prepared.path, len(prepared.articles), taken)
            if article_id is None:
                report.problems.append(Problem(
                    prepared.path, f"id {item.draft.id!r} already belongs to another article; skipped", item.draft.line))
                continue
            taken[article_id] = (prepared.path, key)
            self._store(change, article_id, item, prepared.path, replace=False)
            report.added.append(article_id)
        for key, (article_id, _) in existing.items():
            if key not in seen_keys:
                self._delete(change, article_id)
                report.removed.append(article_id)

    def _new_id(self, item: PreparedArticle, path: str, siblings: int, taken: dict) -> str | None:
        def free(candidate: str) -> bool:
            owner = taken.get(candidate) or self.catalog.id_owner(candidate)
            return owner is None or owner == (path, item.draft.key)

        if item.draft.id:
            return item.draft.id if free(item.draft.id) else None
        stem = _SLUG.sub("-", Path(path).stem).strip("-") or "article"
        candidate = stem if siblings == 1 else f"{stem}-{item.draft.key[:8]}"
        if free(candidate):
            return candidate
        return f"{candidate}-{content_hash(path)[:6]}"

    def _store(self, change: "_Change", article_id: str, item: PreparedArticle, path: str, replace: bool) -> None:
        draft = item.draft
        source = draft.source or _source_from(draft.url, path)
        article = Article(
            id=article_id, title=draft.title, paragraphs=draft.paragraphs, lang=item.lang,
            lang_confidence=item.lang_confidence, date=draft.date, source=source, url=draft.url,
            path=path, content_hash=item.hash,
        )
        self.catalog.put_article(article, draft.key)
        self.index.add(change.writer, article_id, item.terms, item.lang, source, path, draft.date, replace)

    def _delete(self, change: "_Change", article_id: str) -> None:
        self.catalog.delete_article(article_id)
        change.writer.delete_by_term("id", article_id)

    def _prune(self, change: "_Change", folder: str, report: AddReport) -> None:
        prefix = folder.rstrip(os.sep) + os.sep
        for path in self.catalog.files():
            if path.startswith(prefix) and not os.path.exists(path):
                for article_id in self.catalog.ids_in_file(path):
                    self._delete(change, article_id)
                    report.removed.append(article_id)
                self.catalog.delete_file(path)

    # -- removing -------------------------------------------------------------------------
    def remove(self, target: str) -> list[str]:
        """Remove one article by id, or every article from a file or folder path."""
        if self.catalog.get(target) is not None:
            victims, files = [target], []
        else:
            path = str(Path(target).expanduser().resolve())
            prefix = path.rstrip(os.sep) + os.sep
            files = [p for p in self.catalog.files() if p == path or p.startswith(prefix)]
            victims = [i for p in files for i in self.catalog.ids_in_file(p)]
            if not files:
                raise NotFound(f"no article or added file matches {target!r}; `newsreader list` shows ids and paths")
        return self._remove(victims, files)

    def prune(self) -> list[str]:
        """Forget the articles of files that no longer exist."""
        files = [p for p in self.catalog.files() if not os.path.exists(p)]
        return self._remove([i for p in files for i in self.catalog.ids_in_file(p)], files)

    def _remove(self, victims: list[str], files: list[str]) -> list[str]:
        with self._change() as change:
            for article_id in victims:
                self._delete(change, article_id)
            for path in files:
                self.catalog.delete_file(path)
        return victims


class _Change:
    """What `Library._change` yields: the Whoosh writer is opened only when first needed."""

    def __init__(self, library: Library):
        self._library = library
        self.opened = None

    @property
    def writer(self):
        if self.opened is None:
            self.opened = self._library._open_writer()
        return self.opened


def _snippet(paragraphs, lang: str, terms: highlight.QueryTerms) -> highlight.Snippet:
    """Around the matches in the first paragraph that has any."""
    for paragraph in paragraphs:
        spans = highlight.matches(paragraph, terms, lang)
        if spans:
            return highlight.snippet(paragraph, spans)
    return highlight.snippet(paragraphs[0] if paragraphs else "", [])


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _source_from(url: str | None, path: str) -> str:
    """The URL's domain when known, else the name of the folder the file sits in."""
    if url:
        from urllib.parse import urlsplit

        host = urlsplit(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return Path(path).parent.name

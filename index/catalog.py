"""The catalog: one SQLite file holding what sources say and what the reader says.

It is the source of truth; the search index and the events are derived from it and can be
rebuilt from it. Every thread gets its own connection (the app reads on its UI thread while a
worker adds), and WAL lets those readers go on while one writer commits. One transaction per
change (an add, a remove, a mark), so a failed or killed change leaves the catalog as it was.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import msgspec

from .article import Article
from .errors import LibraryError
from .library_lock import read_only
from .schema import SCHEMA_VERSION, migrate, pack_paragraphs, unpack_paragraphs, version_of

BUSY_TIMEOUT_S = 30  # how long a write waits for another process's write before giving up

SUMMARY_COLUMNS = ("a.id, a.title, a.lang, a.lang_confidence, a.date, a.source, a.url, a.path, a.hash, "
                   "COALESCE(r.read, 0), COALESCE(r.starred, 0)")
_FROM = "articles a LEFT JOIN reader_state r ON r.article_id = a.id"
_VISIBLE = "COALESCE(r.removed, 0) = 0"


class ArticleSummary(msgspec.Struct, frozen=True):
    """An article without its body, with the reader's marks: what lists and results carry.
    A msgspec struct, not a dataclass: the app makes one per article at start-up, and a
    frozen dataclass costs about 5 times as much to make (`msgspec.structs.replace` copies
    one with changes)."""

    id: str
    title: str
    lang: str
    lang_confidence: float
    date: str | None
    source: str
    url: str | None
    path: str | None
    hash: str
    read: bool = False
    starred: bool = False

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "lang": self.lang,
            "lang_confidence": self.lang_confidence, "source": self.source, "date": self.date,
            "url": self.url, "path": self.path, "read": bool(self.read), "starred": bool(self.starred),
        }


def _summary(row: tuple) -> ArticleSummary:
    """A row of SUMMARY_COLUMNS."""
    article_id, title, lang, confidence, date, source, url, path, digest, read, starred = row
    return ArticleSummary(article_id, title, lang, confidence, date, source, url, path, digest,
                          read=bool(read), starred=bool(starred))


@dataclass(frozen=True)
class SourceRecord:
    """A source the library reads: a file (later a feed), and what it held when last read."""

    location: str
    kind: str
    policy: str  # 'mirror': entries it no longer holds go; 'keep': they stay (feeds)
    size: int
    mtime_ns: int
    hash: str


@dataclass(frozen=True)
class Entry:
    key: str
    article_id: str
    hash: str


class Catalog:
    def __init__(self, path: Path, *, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        self._immutable = False  # a read-only WAL file without its -shm can only be read as immutable
        self._local = threading.local()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        db = self.db  # opens (and creates) the file now, so errors surface in the constructor
        if read_only:
            if version_of(db) != SCHEMA_VERSION:
                raise LibraryError(f"the library at {path.parent} is read-only and was written by another "
                                   "version of newsreader; open it once where it can be written to upgrade it")
        self.upgraded_from: int | None = None  # the schema version an upgrade on opening started from
        if not read_only:
            found = migrate(db, str(path.parent))
            if 0 < found < SCHEMA_VERSION:
                self.upgraded_from = found

    def _connect(self) -> sqlite3.Connection:
        if not self.read_only:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            return db
        # A read-only folder (a read-only mount, chmod a-w): SQLite cannot make the -shm file
        # WAL readers share, so when there is none the file is read as immutable (nobody can
        # be writing it: the folder is not writable).
        uri = f"file:{quote(str(self.path))}?mode=ro"
        if not self._immutable:
            try:
                db = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                     check_same_thread=False)
                db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                return db
            except sqlite3.OperationalError:
                self._immutable = True
        return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None, check_same_thread=False)

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
            with self._lock:
                self._connections.append((threading.current_thread(), db))
        return db

    def close(self) -> None:
        """Close this thread's connection and those of threads that have ended. A connection
        another thread still runs is let go, not closed under it (closing a connection while
        another thread is inside a query can crash the process: the app quitting while a
        worker reads); it closes when that thread is done with it."""
        with self._lock:
            for thread, db in self._connections:
                if thread is threading.current_thread() or not thread.is_alive():
                    try:
                        db.close()
                    except sqlite3.ProgrammingError:  # made in a thread that is gone
                        pass
            self._connections.clear()
        self._local = threading.local()

    # -- transactions -------------------------------------------------------------------
    def begin(self) -> None:
        if self.read_only:
            raise read_only(self.path.parent)
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any failure."""
        self.begin()
        try:
            yield
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def revision(self) -> int:
        """Counts committed changes: a reader that saw revision N knows whether anything moved."""
        return int(self.get_meta("revision") or 0)

    def bump_revision(self) -> int:
        revision = self.revision() + 1
        self.set_meta("revision", str(revision))
        return revision

    # -- meta -----------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- sources --------------------------------------------------------------------------
    def sources(self) -> dict[str, SourceRecord]:
        rows = self.db.execute("SELECT location, kind, policy, size, mtime_ns, hash FROM sources")
        return {row[0]: SourceRecord(*row) for row in rows}

    def sources_at(self, locations: Iterable[str]) -> dict[str, SourceRecord]:
        """The records of these locations that are known: an add of one file in a library of
        30,000 reads one row, not every source (0.1 s and 30,000 objects)."""
        rows = self._rows_for_ids("SELECT location, kind, policy, size, mtime_ns, hash FROM sources"
                                  " WHERE location IN ({marks})", list(dict.fromkeys(locations)))
        return {row[0]: SourceRecord(*row) for row in rows}

    def sources_under(self, folder: str) -> list[str]:
        """The known locations inside a folder (or equal to it), found on the primary key's
        order: every path under `/a/b/` sorts between `/a/b/` and `/a/b0` ("0" follows "/")."""
        prefix = folder.rstrip(os.sep) + os.sep
        after = prefix[:-1] + chr(ord(os.sep) + 1)
        rows = self.db.execute("SELECT location FROM sources WHERE location = ? OR (location >= ? AND location < ?)"
                               " ORDER BY location", (folder, prefix, after))
        return [row[0] for row in rows]

    def source_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM sources").fetchone()[0]

    def source(self, location: str) -> SourceRecord | None:
        row = self.db.execute("SELECT location, kind, policy, size, mtime_ns, hash FROM sources WHERE location = ?",
                              (location,)).fetchone()
        return SourceRecord(*row) if row else None

    def put_source(self, record: SourceRecord) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sources (location, kind, policy, size, mtime_ns, hash) VALUES (?, ?, ?, ?, ?, ?)",
            (record.location, record.kind, record.policy, record.size, record.mtime_ns, record.hash))

    def delete_source(self, location: str) -> None:
        self.db.execute("DELETE FROM sources WHERE location = ?", (location,))

    # -- entries: which item of which source backs which article ----------------------------
    def entries(self, source: str) -> dict[str, Entry]:
        rows = self.db.execute("SELECT key, article_id, hash FROM entries WHERE source = ?", (source,))
        return {key: Entry(key, article_id, digest) for key, article_id, digest in rows}

    def put_entry(self, source: str, entry: Entry) -> None:
        self.db.execute("INSERT OR REPLACE INTO entries (source, key, article_id, hash) VALUES (?, ?, ?, ?)",
                        (source, entry.key, entry.article_id, entry.hash))

    def delete_entry(self, source: str, key: str) -> None:
        self.db.execute("DELETE FROM entries WHERE source = ? AND key = ?", (source, key))

    def backers(self, article_id: str) -> list[str]:
        """The sources that hold an article now."""
        return [row[0] for row in self.db.execute("SELECT source FROM entries WHERE article_id = ?", (article_id,))]

    def stale_entries(self, article_id: str, exists) -> list[tuple[str, str]]:
        """(source, key) of an article's entries whose source `exists(location)` denies."""
        rows = self.db.execute("SELECT source, key FROM entries WHERE article_id = ?", (article_id,))
        return [(source, key) for source, key in rows.fetchall() if not exists(source)]

    # -- identities -----------------------------------------------------------------------
    def identity_owner(self, identity: str) -> str | None:
        row = self.db.execute("SELECT article_id FROM identities WHERE identity = ?", (identity,)).fetchone()
        return row[0] if row else None

    def add_identities(self, article_id: str, identities: Iterable[str]) -> None:
        # A weak identity (the same text) may already name another article: first one keeps it.
        self.db.executemany("INSERT OR IGNORE INTO identities (identity, article_id) VALUES (?, ?)",
                            [(identity, article_id) for identity in identities])

    def id_taken(self, article_id: str) -> bool:
        """Whether an id names an article, or ever did (an id is never given to another text)."""
        return bool(self.db.execute("SELECT 1 FROM articles WHERE id = ? UNION ALL "
                                    "SELECT 1 FROM identities WHERE article_id = ? LIMIT 1",
                                    (article_id, article_id)).fetchone())

    # -- articles -------------------------------------------------------------------------
    def put_article(self, article: Article, detected: tuple[str, float] | None = None) -> None:
        """Insert or update what the sources say of an article; the reader's state is elsewhere.
        `detected`: what detection said when `article.lang` is the reader's (default: the same)."""
        detected_lang, detected_confidence = detected or (article.lang, article.lang_confidence)
        self.db.execute(
            "INSERT INTO articles (id, path, title, lang, lang_confidence, date, source, url, hash, paragraphs,"
            " detected_lang, detected_confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET path = excluded.path,"
            " title = excluded.title, lang = excluded.lang, lang_confidence = excluded.lang_confidence,"
            " date = excluded.date, source = excluded.source, url = excluded.url, hash = excluded.hash,"
            " paragraphs = excluded.paragraphs, detected_lang = excluded.detected_lang,"
            " detected_confidence = excluded.detected_confidence",
            (article.id, article.path, article.title, article.lang, article.lang_confidence,
             article.date, article.source, article.url, article.content_hash,
             pack_paragraphs(article.paragraphs), detected_lang, detected_confidence),
        )
        # A gloss translates the text it was made from; a changed article needs a new one.
        self.db.execute("DELETE FROM glosses WHERE article_id = ? AND hash != ?", (article.id, article.content_hash))

    def detected(self, article_id: str) -> tuple[str, float] | None:
        """What detection said of an article's language (and how sure), whatever the reader set."""
        row = self.db.execute("SELECT COALESCE(detected_lang, lang), COALESCE(detected_confidence, lang_confidence)"
                              " FROM articles WHERE id = ?", (article_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def delete_article(self, article_id: str) -> None:
        self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        self.db.execute("DELETE FROM glosses WHERE article_id = ?", (article_id,))

    # -- glosses (derived: see glossing.py) -------------------------------------------------
    def put_gloss(self, article_id: str, content_hash: str, model: str, text: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO glosses (article_id, hash, model, text) VALUES (?, ?, ?, ?)",
                        (article_id, content_hash, model, text))

    def glosses(self, ids: list[str] | None = None) -> dict[str, str]:
        """The glosses of these articles (of all, by default) that match their current text."""
        sql = "SELECT g.article_id, g.text FROM glosses g JOIN articles a ON a.id = g.article_id AND a.hash = g.hash"
        if ids is None:
            return dict(self.db.execute(sql))
        return dict(self._rows_for_ids(sql + " WHERE g.article_id IN ({marks})", ids))

    def gloss_pending(self, ids: list[str] | None = None) -> list[tuple[str, str]]:
        """(id, lang) of visible articles with no gloss of their current text."""
        sql = (f"SELECT a.id, a.lang FROM {_FROM} LEFT JOIN glosses g ON g.article_id = a.id AND g.hash = a.hash"
               f" WHERE {_VISIBLE} AND g.article_id IS NULL")
        if ids is None:
            return self.db.execute(sql + " ORDER BY a.id").fetchall()
        return sorted(self._rows_for_ids(sql + " AND a.id IN ({marks})", list(ids)))

    def has_glosses(self) -> bool:
        return self.db.execute("SELECT 1 FROM glosses LIMIT 1").fetchone() is not None

    def exists(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def get(self, article_id: str) -> Article | None:
        row = self.db.execute(
            "SELECT id, title, paragraphs, lang, lang_confidence, date, source, url, path, hash"
            " FROM articles WHERE id = ?", (article_id,),
        ).fetchone()
        if row is None:
            return None
        return Article(
            id=row[0], title=row[1], paragraphs=unpack_paragraphs(row[2]), lang=row[3],
            lang_confidence=row[4], date=row[5], source=row[6], url=row[7], path=row[8],
            content_hash=row[9],
        )

    def event_id_of(self, article_id: str) -> str | None:
        """The event an article is a member of, as the events view last wrote it: read here so
        that reading an article imports none of the events' numpy and scipy."""
        row = self.db.execute("SELECT event_id FROM event_members WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def _rows_for_ids(self, sql: str, ids: list[str]) -> Iterator[tuple]:
        """`sql` with one `{marks}` placeholder for an IN list; SQLite caps the parameters."""
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            yield from self.db.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)

    def summaries_with_paragraphs(self, ids: list[str]) -> dict[str, tuple[ArticleSummary, tuple[str, ...]]]:
        """id -> (summary, paragraphs) in one query: what a page of search results shows."""
        rows = self._rows_for_ids(f"SELECT {SUMMARY_COLUMNS}, a.paragraphs FROM {_FROM} WHERE a.id IN ({{marks}})",
                                  ids)
        return {row[0]: (_summary(row[:-1]), unpack_paragraphs(row[-1])) for row in rows}

    def summaries(self, ids: Iterable[str] | None = None, lang: str | None = None, *,
                  unread: bool = False, starred: bool = False, sources: list[str] | None = None,
                  limit: int | None = None) -> list[ArticleSummary]:
        """Summaries of the given ids (in that order), or of every article the reader has not
        removed, newest first (only the unread or starred ones when asked; the first `limit`)."""
        if ids is not None:
            ids = list(ids)
            rows = self._rows_for_ids(f"SELECT {SUMMARY_COLUMNS} FROM {_FROM} WHERE a.id IN ({{marks}})", ids)
            found = {row[0]: _summary(row) for row in rows}
            return [found[i] for i in ids if i in found]
        sql = f"SELECT {SUMMARY_COLUMNS} FROM {_FROM} WHERE {_VISIBLE}"
        args: tuple = ()
        if lang:
            sql += " AND a.lang = ?"
            args = (lang,)
        if unread:
            sql += " AND COALESCE(r.read, 0) = 0"
        if starred:
            sql += " AND COALESCE(r.starred, 0) = 1"
        if sources is not None:  # held by one of these sources (files or feeds' URLs)
            sql += f" AND a.id IN (SELECT article_id FROM entries WHERE source IN ({', '.join('?' * len(sources))}))"
            args += tuple(sources)
        sql += " ORDER BY COALESCE(a.date, '') DESC, a.id"  # the articles_newest index's order (schema 7)
        if limit is not None:
            sql += " LIMIT ?"
            args += (max(0, int(limit)),)
        return [_summary(row) for row in self.db.execute(sql, args)]

    def iter_articles(self, *, visible_only: bool = True) -> Iterator[Article]:
        where = f" WHERE {_VISIBLE}" if visible_only else ""
        ids = [row[0] for row in self.db.execute(f"SELECT a.id FROM {_FROM}{where} ORDER BY a.id")]
        for article_id in ids:
            article = self.get(article_id)
            if article is not None:
                yield article

    def count(self) -> int:
        return self.db.execute(f"SELECT COUNT(*) FROM {_FROM} WHERE {_VISIBLE}").fetchone()[0]

    def languages(self) -> dict[str, int]:
        rows = self.db.execute(f"SELECT a.lang, COUNT(*) FROM {_FROM} WHERE {_VISIBLE} "
                               "GROUP BY a.lang ORDER BY COUNT(*) DESC, a.lang")
        return dict(rows.fetchall())

    def language_set(self) -> set[str]:
        """The languages that have an article the reader has not removed, without counting them
        (the lang: note of every query asks: `languages()` scans every row, 35 ms at 30,000)."""
        rows = self.db.execute("SELECT lang FROM (SELECT DISTINCT lang FROM articles) AS l WHERE EXISTS ("
                               f"SELECT 1 FROM {_FROM} WHERE a.lang = l.lang AND {_VISIBLE})")
        return {row[0] for row in rows}

    def source_names(self) -> dict[str, int]:
        rows = self.db.execute(f"SELECT a.source, COUNT(*) FROM {_FROM} WHERE {_VISIBLE} "
                               "GROUP BY a.source ORDER BY COUNT(*) DESC, a.source")
        return dict(rows.fetchall())

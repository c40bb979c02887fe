"""The catalog: SQLite holds every article and every added file; it is the source of truth.

The Whoosh index is derived from it and can always be rebuilt from it. One transaction per
`add`, so a failed or interrupted add leaves the catalog as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .article import Article

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    lang TEXT NOT NULL,
    lang_confidence REAL NOT NULL,
    date TEXT,
    source TEXT NOT NULL,
    url TEXT,
    hash TEXT NOT NULL,
    paragraphs TEXT NOT NULL,
    event TEXT
);
CREATE INDEX IF NOT EXISTS articles_path ON articles (path);
CREATE INDEX IF NOT EXISTS articles_lang ON articles (lang);  -- language counts and filters, on every search
"""

SUMMARY_COLUMNS = "id, title, lang, lang_confidence, date, source, url, path, hash, event"


@dataclass(frozen=True)
class ArticleSummary:
    """An article without its body: what lists and search results carry."""

    id: str
    title: str
    lang: str
    lang_confidence: float
    date: str | None
    source: str
    url: str | None
    path: str | None
    hash: str
    event: str | None

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "lang": self.lang,
            "lang_confidence": self.lang_confidence, "source": self.source, "date": self.date,
            "url": self.url, "path": self.path, "event": self.event,
        }


@dataclass(frozen=True)
class FileRecord:
    path: str
    size: int
    mtime_ns: int
    hash: str


class Catalog:
    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # -- transactions -------------------------------------------------------------------
    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- meta -----------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- files ----------------------------------------------------------------------------
    def files(self) -> dict[str, FileRecord]:
        return {row[0]: FileRecord(*row) for row in self.db.execute("SELECT path, size, mtime_ns, hash FROM files")}

    def put_file(self, record: FileRecord) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO files (path, size, mtime_ns, hash) VALUES (?, ?, ?, ?)",
            (record.path, record.size, record.mtime_ns, record.hash),
        )

    def delete_file(self, path: str) -> None:
        self.db.execute("DELETE FROM files WHERE path = ?", (path,))

    # -- articles -------------------------------------------------------------------------
    def put_article(self, article: Article, key: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO articles (id, path, key, title, lang, lang_confidence, date, source,"
            " url, hash, paragraphs, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.path, key, article.title, article.lang, article.lang_confidence,
             article.date, article.source, article.url, article.content_hash,
             json.dumps(article.paragraphs, ensure_ascii=False), article.event),
        )

    def delete_article(self, article_id: str) -> None:
        self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    def keys_in_file(self, path: str) -> dict[str, tuple[str, str]]:
        """key -> (id, hash) for the articles that came from one file."""
        rows = self.db.execute("SELECT key, id, hash FROM articles WHERE path = ?", (path,))
        return {key: (article_id, digest) for key, article_id, digest in rows}

    def article_counts(self) -> dict[str, int]:
        """path -> how many articles came from it."""
        return dict(self.db.execute("SELECT path, COUNT(*) FROM articles GROUP BY path").fetchall())

    def ids_in_file(self, path: str) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM articles WHERE path = ?", (path,))]

    def id_owner(self, article_id: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT path, key FROM articles WHERE id = ?", (article_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def get(self, article_id: str) -> Article | None:
        row = self.db.execute(
            "SELECT id, title, paragraphs, lang, lang_confidence, date, source, url, path, hash, event"
            " FROM articles WHERE id = ?", (article_id,),
        ).fetchone()
        if row is None:
            return None
        return Article(
            id=row[0], title=row[1], paragraphs=tuple(json.loads(row[2])), lang=row[3],
            lang_confidence=row[4], date=row[5], source=row[6], url=row[7], path=row[8],
            content_hash=row[9], event=row[10],
        )

    def _rows_for_ids(self, columns: str, ids: list[str]) -> Iterator[tuple]:
        for start in range(0, len(ids), 500):  # SQLite caps the number of parameters
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(f"SELECT {columns} FROM articles WHERE id IN ({marks})", chunk)

    def paragraphs_of(self, ids: list[str]) -> dict[str, tuple[str, ...]]:
        return {article_id: tuple(json.loads(paragraphs))
                for article_id, paragraphs in self._rows_for_ids("id, paragraphs", ids)}

    def summaries(self, ids: Iterable[str] | None = None, lang: str | None = None) -> list[ArticleSummary]:
        if ids is not None:
            ids = list(ids)
            found = {row[0]: ArticleSummary(*row) for row in self._rows_for_ids(SUMMARY_COLUMNS, ids)}
            return [found[i] for i in ids if i in found]
        sql = f"SELECT {SUMMARY_COLUMNS} FROM articles"
        args: tuple = ()
        if lang:
            sql += " WHERE lang = ?"
            args = (lang,)
        sql += " ORDER BY COALESCE(date, '') DESC, id"
        return [ArticleSummary(*row) for row in self.db.execute(sql, args)]

    def iter_articles(self) -> Iterator[Article]:
        for (article_id,) in self.db.execute("SELECT id FROM articles ORDER BY id").fetchall():
            article = self.get(article_id)
            if article is not None:
                yield article

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def languages(self) -> dict[str, int]:
        rows = self.db.execute("SELECT lang, COUNT(*) FROM articles GROUP BY lang ORDER BY COUNT(*) DESC")
        return dict(rows.fetchall())

    def sources(self) -> dict[str, int]:
        rows = self.db.execute("SELECT source, COUNT(*) FROM articles GROUP BY source ORDER BY COUNT(*) DESC")
        return dict(rows.fetchall())

    def set_events(self, events: dict[str, str | None]) -> None:
        self.db.executemany("UPDATE articles SET event = ? WHERE id = ?", [(e, i) for i, e in events.items()])

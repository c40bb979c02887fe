"""A persistent translation cache: SQLite in the user cache dir, bounded in size.

The key is a hash of (engine, route: every package's name and version, target language,
paragraph text), so a paragraph shown again, also after a restart, needs no model call, and
installing a new version of a package naturally misses. Each row records its size and when it
was last used; when the total passes the bound, the least recently used rows go first.

A second key, a hash of (source language, target language, paragraph text) only, finds the
latest translation of a paragraph without any model (`by_text`): a model removed, or an engine
that cannot load, still leaves what was translated readable. Rows written before that key
existed get it the first time they are read through their model's key (a cache file only holds
hashes, so they cannot be converted without the text); older newsreaders ignore the table.

It is a cache: a corrupt or unwritable file is replaced by a fresh (or an in-memory) one
rather than being an error.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

FILENAME = "translations.sqlite"
ROW_OVERHEAD = 128  # bytes per row besides the text: key, size, timestamp, b-tree; by_text's link
EVICT_TO = 0.8  # after passing the bound, shrink to this fraction of it
_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key BLOB PRIMARY KEY,
    translation TEXT NOT NULL,
    size INTEGER NOT NULL,
    last_used REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS translations_last_used ON translations (last_used);
CREATE TABLE IF NOT EXISTS by_text (
    text_key BLOB PRIMARY KEY,
    key BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS by_text_key ON by_text (key);
"""


def cache_key(namespace: str, text: str) -> bytes:
    return hashlib.sha256(f"{namespace}\x00{text}".encode("utf-8")).digest()


def text_namespace(from_code: str, to_code: str) -> str:
    """The second key's namespace: the language pair alone, whatever model translated."""
    return f"text|{from_code}|{to_code}"


class TranslationCache:
    """Thread-safe: one connection guarded by a lock (reads are sub-millisecond)."""

    def __init__(self, folder: Path | None, max_bytes: int = 64 * 1024 * 1024):
        self.max_bytes = max(1, int(max_bytes))
        self.path = Path(folder) / FILENAME if folder is not None else None
        self.notice: str | None = None  # set when a damaged cache file was reset
        self._lock = threading.Lock()
        self._db = self._open()
        self._total = self._guarded(
            lambda: self._db.execute("SELECT COALESCE(SUM(size), 0) FROM translations").fetchone()[0])

    def _open(self) -> sqlite3.Connection:
        if self.path is not None and (self.path.is_symlink() or self.path.exists()) and not self.path.is_file():
            # A folder (or a pipe, a device, a broken link) where the file should be is not a damaged
            # cache: never deleted; translations are kept in memory for this run.
            what = "a folder" if self.path.is_dir() else "not a regular file"
            self.notice = (f"the translation cache {self.path} is {what}; translations are not kept after "
                           "this run (move it away to keep them)")
            self.path = None
        if self.path is not None:
            for attempt in range(2):
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    return self._connect(str(self.path))
                except sqlite3.DatabaseError as exc:
                    if attempt == 0 and not _busy(exc):  # not a database / corrupt: start afresh
                        self._discard(str(exc))
                except OSError:
                    break
        self.path = None
        return self._connect(":memory:")

    def _discard(self, why: str) -> None:
        """Delete a damaged cache file (it only holds what can be translated again)."""
        for suffix in ("", "-wal", "-shm"):
            damaged = Path(f"{self.path}{suffix}")
            if damaged.is_file() and not damaged.is_symlink():  # only a file newsreader made
                damaged.unlink(missing_ok=True)
        self.notice = f"the translation cache {self.path} was damaged ({why}) and has been reset"

    def _guarded(self, operation):
        """Run `operation`; when the file turns out damaged (page corruption shows only when a
        page is read), reset the cache and run it once more on the fresh one."""
        try:
            return operation()
        except sqlite3.DatabaseError as exc:
            if _busy(exc):
                raise
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            if self.path is not None:
                self._discard(str(exc))
            self._db = self._open()
            self._total = 0
            return operation()

    @staticmethod
    def _connect(target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target, check_same_thread=False, timeout=5, isolation_level=None)
        if target != ":memory:":
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        return db

    # -- reading -----------------------------------------------------------------------------

    def get_many(self, namespace: str, texts: Sequence[str], by_text: str | None = None) -> list[str | None]:
        """Translations under the model's key; with `by_text` (a text_namespace), each hit is
        also made findable by text alone (rows from before that key)."""
        keys = [cache_key(namespace, text) for text in texts]
        with self._lock:
            found = self._guarded(lambda: self._get_many(keys))
            if by_text is not None and found:
                links = [(cache_key(by_text, text), key) for text, key in zip(texts, keys, strict=True) if key in found]
                self._guarded(lambda: self._link(links, replace=False))
        return [found.get(key) for key in keys]

    def get_by_text(self, by_text: str, texts: Sequence[str]) -> list[str | None]:
        """The latest translation of each text for a language pair, whatever model made it."""
        text_keys = [cache_key(by_text, text) for text in texts]
        with self._lock:
            keys = self._guarded(lambda: self._resolve(text_keys))
            found = self._guarded(lambda: self._get_many(list(set(keys.values())))) if keys else {}
        return [found.get(keys.get(text_key)) for text_key in text_keys]

    def _resolve(self, text_keys: list[bytes]) -> dict[bytes, bytes]:
        resolved: dict[bytes, bytes] = {}
        for start in range(0, len(text_keys), 500):
            chunk = text_keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            resolved.update(self._db.execute(
                f"SELECT text_key, key FROM by_text WHERE text_key IN ({marks})", chunk))
        return resolved

    def _link(self, links: list[tuple[bytes, bytes]], *, replace: bool) -> None:
        """Point text keys at translation keys; `replace`: the newest translation wins (a put),
        else an existing link stays (a read only fills in what is missing)."""
        if links:
            verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
            self._db.execute("BEGIN")
            self._db.executemany(f"{verb} INTO by_text VALUES (?, ?)", links)
            self._db.execute("COMMIT")

    def _get_many(self, keys: list[bytes]) -> dict[bytes, str]:
        found: dict[bytes, str] = {}
        for start in range(0, len(keys), 500):  # SQLite's variable limit
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(
                f"SELECT key, translation FROM translations WHERE key IN ({marks})", chunk))
        if found:
            now = time.time()
            self._db.execute("BEGIN")
            self._db.executemany("UPDATE translations SET last_used = ? WHERE key = ?",
                                 [(now, key) for key in found])
            self._db.execute("COMMIT")
        return found

    def get(self, namespace: str, text: str) -> str | None:
        return self.get_many(namespace, [text])[0]

    # -- writing -----------------------------------------------------------------------------

    def put(self, namespace: str, text: str, translation: str, by_text: str | None = None) -> None:
        """Store a translation; with `by_text` (a text_namespace) it is also findable by text."""
        key = cache_key(namespace, text)
        with self._lock:
            self._guarded(lambda: self._put(key, translation))
            if by_text is not None:
                self._guarded(lambda: self._link([(cache_key(by_text, text), key)], replace=True))

    def _put(self, key: bytes, translation: str) -> None:
        size = len(translation.encode("utf-8")) + ROW_OVERHEAD
        row = self._db.execute("SELECT size FROM translations WHERE key = ?", (key,)).fetchone()
        self._db.execute("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?)",
                         (key, translation, size, time.time()))
        self._total += size - (row[0] if row else 0)
        if self._total > self.max_bytes:
            self._evict()

    def _evict(self) -> None:
        """Drop least recently used rows until the total is under EVICT_TO of the bound."""
        self._total = self._db.execute("SELECT COALESCE(SUM(size), 0) FROM translations").fetchone()[0]
        goal = self.max_bytes * EVICT_TO
        if self._total <= self.max_bytes:
            return
        victims, freed = [], 0
        for key, size in self._db.execute("SELECT key, size FROM translations ORDER BY last_used, key"):
            if self._total - freed <= goal:
                break
            victims.append((key,))
            freed += size
        self._db.execute("BEGIN")
        self._db.executemany("DELETE FROM translations WHERE key = ?", victims)
        self._db.executemany("DELETE FROM by_text WHERE key = ?", victims)
        self._db.execute("COMMIT")
        self._total -= freed

    def clear(self) -> tuple[int, int]:
        """Forget everything; returns (entries, bytes) removed."""
        with self._lock:
            try:
                count, total = self._db.execute(
                    "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM translations").fetchone()
                self._db.execute("DELETE FROM translations")
                self._db.execute("DELETE FROM by_text")
                if self.path is not None:
                    self._db.execute("VACUUM")
            except sqlite3.DatabaseError as exc:  # damaged: clearing it is deleting it
                if _busy(exc):
                    raise
                self._db.close()
                if self.path is not None:
                    self._discard(str(exc))
                self._db = self._open()
                count, total = 0, 0
            self._total = 0
        return count, total

    def stats(self) -> dict:
        with self._lock:
            count, total = self._guarded(lambda: self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM translations").fetchone())
        return {"entries": count, "bytes": total, "max_bytes": self.max_bytes,
                "path": str(self.path) if self.path else None}

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _busy(exc: sqlite3.DatabaseError) -> bool:
    """Another process holds the file: not damage (waiting or failing is right, not deleting)."""
    return "locked" in str(exc) or "busy" in str(exc)

"""The catalog's schema, as ordered migrations; `PRAGMA user_version` says how far a file went.

Version 1 is the schema newsreader 0.1.0 wrote (its tables carried no version, so a 0.1.0
library reads as 0 with tables present). Each later step moves a library forward inside one
transaction, so a killed upgrade leaves the file as it was. A file from a newer newsreader is
refused untouched.

The tables keep three kinds of state apart:
- what sources say: `sources` (files and fetched feeds), `entries` (which item of which source
  backs which article), `articles`;
- what the reader says: `reader_state` (read, starred, removed by the reader, the language
  the reader set), keyed by the
  article id, which `identities` keeps stable when files move or come back; `subscriptions`
  (the feeds the reader subscribed to, with their fetch state); `follows`, `follow_reports`
  and `reader_state.timeline_seen` (what the reader follows, and what they were shown of it);
- what the engine derives lives elsewhere (the Whoosh index, event tables, glosses) and is
  rebuilt from the above; `meta` records which version of each derived view is current.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable

from .errors import LibraryError
from .identity import content_identity, feed_item_identity, url_identity

V1_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, key TEXT NOT NULL, title TEXT NOT NULL,
    lang TEXT NOT NULL, lang_confidence REAL NOT NULL, date TEXT, source TEXT NOT NULL,
    url TEXT, hash TEXT NOT NULL, paragraphs TEXT NOT NULL, event TEXT
);
CREATE INDEX IF NOT EXISTS articles_path ON articles (path);
CREATE INDEX IF NOT EXISTS articles_lang ON articles (lang);
"""

V2_TABLES = """
-- Sources: a file (later a feed subscription). `policy` says what happens to an entry the
-- source no longer holds: 'mirror' forgets it (a text file, a JSONL dump), 'keep' keeps it
-- (a feed, whose old items rotate out).
CREATE TABLE sources (
    location TEXT PRIMARY KEY, kind TEXT NOT NULL, policy TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE entries (
    source TEXT NOT NULL, key TEXT NOT NULL, article_id TEXT NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (source, key)
);
CREATE INDEX entries_article ON entries (article_id);
-- Every identity an article was ever known by (feed item, URL, JSONL id, text), kept when
-- the article goes, so a file added again gets its old id, and the reader's marks, back.
CREATE TABLE identities (identity TEXT PRIMARY KEY, article_id TEXT NOT NULL);
CREATE INDEX identities_article ON identities (article_id);
CREATE TABLE reader_state (
    article_id TEXT PRIMARY KEY,
    read INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0, changed TEXT NOT NULL DEFAULT (datetime('now'))
);
"""

FEED_SUFFIXES = (".rss", ".atom", ".xml", ".feed")


def _v1(db: sqlite3.Connection) -> None:
    db.executescript(V1_TABLES)  # executescript commits first: it runs before the BEGIN below


def _v2(db: sqlite3.Connection) -> None:
    for statement in V2_TABLES.split(";\n"):  # execute() takes one statement; executescript would commit
        if statement.strip():
            db.execute(statement)
    db.execute(
        "INSERT INTO sources (location, kind, policy, size, mtime_ns, hash) "
        "SELECT path, 'file', CASE WHEN " + " OR ".join(f"lower(path) LIKE '%{s}'" for s in FEED_SUFFIXES)
        + " THEN 'keep' ELSE 'mirror' END, size, mtime_ns, hash FROM files")
    db.execute("INSERT INTO entries (source, key, article_id, hash) SELECT path, key, id, hash FROM articles")
    rows = db.execute("SELECT id, path, key, title, paragraphs, url FROM articles").fetchall()
    for article_id, path, key, title, paragraphs, url in rows:
        identities = [content_identity(title, json.loads(paragraphs))]
        if url:
            identities.append(url_identity(url))
        if key and path.lower().endswith(FEED_SUFFIXES):
            identities.append(feed_item_identity(key))
        db.executemany("INSERT OR IGNORE INTO identities (identity, article_id) VALUES (?, ?)",
                       [(identity, article_id) for identity in identities])
    # The event column was never filled; events are derived and get tables of their own.
    db.execute("ALTER TABLE articles DROP COLUMN event")
    db.execute("ALTER TABLE articles DROP COLUMN key")
    db.execute("DROP INDEX IF EXISTS articles_path")
    db.execute("CREATE INDEX articles_path ON articles (path)")
    db.execute("DROP TABLE files")
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('revision', '0')")


V3_TABLES = """
-- Events (derived: rebuilt from the articles whenever their version changes). Every visible
-- article is in exactly one event; most events have one article. `role` marks a member that
-- republishes ('duplicate') or rewrites ('rewrite') the article `of_article`.
CREATE TABLE event_members (
    article_id TEXT PRIMARY KEY, event_id TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'member', of_article TEXT
);
CREATE INDEX event_members_event ON event_members (event_id);
CREATE TABLE events (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, size INTEGER NOT NULL, languages TEXT NOT NULL,
    sources TEXT NOT NULL, first_date TEXT, last_date TEXT
);
CREATE INDEX events_size ON events (size);
-- What grouping needs of each article (names, numbers, dates, n-grams), so that a rebuild
-- need not read every article again.
CREATE TABLE event_features (article_id TEXT PRIMARY KEY, version TEXT NOT NULL, features BLOB NOT NULL);
-- The changes since the scoring model was last saved (events/model.npz): a new process loads
-- the saved model and replays these instead of scoring every article again.
CREATE TABLE event_log (revision INTEGER NOT NULL, article_id TEXT NOT NULL, op TEXT NOT NULL)
"""


def _v3(db: sqlite3.Connection) -> None:
    for statement in V3_TABLES.split(";\n"):
        if statement.strip():
            db.execute(statement)


V4_TABLES = """
-- Glosses (derived): an article's title and lead translated into the pivot language by the
-- installed models, an extra signal for grouping and search across languages. Kept because
-- translating again is slow; `hash` is the article content it was made from (a changed
-- article drops its gloss) and `model` the route that made it.
CREATE TABLE glosses (article_id TEXT PRIMARY KEY, hash TEXT NOT NULL, model TEXT NOT NULL, text TEXT NOT NULL)
"""


def _v4(db: sqlite3.Connection) -> None:
    db.execute(V4_TABLES)


V5_TABLES = """
-- Feed subscriptions: what the reader subscribed to (url, name, folders from OPML as tags)
-- and the state of the last fetch (conditional-request validators, outcome). A subscription's
-- items are a source like a file's: `sources.location` and `entries.source` hold its URL.
CREATE TABLE subscriptions (
    url TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, tags TEXT NOT NULL DEFAULT '[]',
    title TEXT, added TEXT NOT NULL DEFAULT (datetime('now')),
    etag TEXT, last_modified TEXT, last_fetch TEXT, last_ok TEXT, last_error TEXT
)
"""


def _v5(db: sqlite3.Connection) -> None:
    db.execute(V5_TABLES)


V6_COLUMNS = """
-- The language the reader set for an article (NULL: the detected one): the reader's state,
-- applied to the article whenever its source is read again.
ALTER TABLE reader_state ADD COLUMN lang TEXT;
-- What detection (with the source's hints) said, kept so the reader can go back to it; NULL
-- in rows written before version 6 (then `lang` is what detection said).
ALTER TABLE articles ADD COLUMN detected_lang TEXT;
ALTER TABLE articles ADD COLUMN detected_confidence REAL
"""


def _v6(db: sqlite3.Connection) -> None:
    for statement in V6_COLUMNS.split(";\n"):
        if statement.strip():
            db.execute(statement)


V7_INDEX = """
-- The list's order (newest first by the date the source gave, then by id; see
-- Catalog.summaries): the app's first screenful reads the newest rows of this index instead
-- of sorting every article.
CREATE INDEX articles_newest ON articles (COALESCE(date, '') DESC, id)
"""


def _v7(db: sqlite3.Connection) -> None:
    db.execute(V7_INDEX)


def pack_paragraphs(paragraphs) -> bytes:
    """An article's paragraphs as `articles.paragraphs` keeps them from version 8 on: their
    JSON list, zlib-compressed (about half the size)."""
    return zlib.compress(json.dumps(list(paragraphs), ensure_ascii=False).encode("utf-8"), 6)


def unpack_paragraphs(value: bytes | str) -> tuple[str, ...]:
    """`articles.paragraphs` as read back (plain JSON text in rows written before version 8)."""
    if isinstance(value, bytes):
        value = zlib.decompress(value).decode("utf-8")
    return tuple(json.loads(value))


def _v8(db: sqlite3.Connection) -> None:
    # Article bodies compressed (they were JSON text); the stored event features change
    # format with this version too (events/features.py `pack`), so the old ones, derived and
    # most of the file, go now rather than after the next rebuild.
    db.create_function("newsreader_pack_json", 1, lambda text: zlib.compress(text.encode("utf-8"), 6),
                       deterministic=True)
    db.execute("UPDATE articles SET paragraphs = newsreader_pack_json(paragraphs) WHERE typeof(paragraphs) = 'text'")
    db.execute("DELETE FROM event_features")
    db.execute("DELETE FROM meta WHERE key IN ('events_version', 'events_saved_revision')")
    db.execute("DELETE FROM event_log")


V9_TABLES = """
-- Events, redesigned (events/model.py): the scored candidate pairs and each article's hub
-- are kept, so that `related` and `compare` read them instead of scoring the library again;
-- an event merged into another keeps answering under its old id (event_aliases).
DROP TABLE event_log;
CREATE TABLE event_pairs (a TEXT NOT NULL, b TEXT NOT NULL, evidence REAL NOT NULL);
CREATE INDEX event_pairs_a ON event_pairs (a);
CREATE INDEX event_pairs_b ON event_pairs (b);
CREATE TABLE event_hubs (article_id TEXT PRIMARY KEY, hub REAL NOT NULL);
CREATE TABLE event_aliases (old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL);
-- Each article's rarest features (events/model.py index_keys): what finds the candidates of a
-- new article without scoring the library again.
CREATE TABLE event_keys (key INTEGER NOT NULL, article_id TEXT NOT NULL);
CREATE INDEX event_keys_key ON event_keys (key);
CREATE INDEX event_keys_article ON event_keys (article_id)
"""


def _v9(db: sqlite3.Connection) -> None:
    # The stored event features change (weighted n-grams, chrome): derived, so they go and the
    # events are rebuilt by the next change or `rebuild`.
    for statement in V9_TABLES.split(";\n"):
        if statement.strip():
            db.execute(statement)
    db.execute("DELETE FROM event_features")
    db.execute("DELETE FROM meta WHERE key IN ('events_version', 'events_saved_revision')")


V10_TABLES = """
-- What the reader follows (reader state): an event, by the id it had when followed (an id
-- merged away is followed to where it went: event_aliases), or a search, by its query.
CREATE TABLE IF NOT EXISTS follows (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, target TEXT NOT NULL,
    added TEXT NOT NULL DEFAULT (datetime('now')), UNIQUE (kind, target)
);
-- The reports each followed item has had: those there when it was followed (seen), and each
-- one that came later, unseen until `following --new` lists it (reader state).
CREATE TABLE IF NOT EXISTS follow_reports (
    follow_id INTEGER NOT NULL, article_id TEXT NOT NULL, arrived TEXT NOT NULL DEFAULT (datetime('now')),
    seen INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (follow_id, article_id)
) WITHOUT ROWID;
-- Articles a change brought that the follows have not been checked against yet (engine
-- bookkeeping: emptied under the lock once the events and the index hold them).
CREATE TABLE IF NOT EXISTS follow_pending (article_id TEXT PRIMARY KEY) WITHOUT ROWID
"""
V10_COLUMNS = {
    # Shown in its event's timeline (reader state: "new since you last read this event").
    "reader_state": [("timeline_seen", "INTEGER NOT NULL DEFAULT 0")],
    # When the feed may be fetched again and why: its <ttl>, Cache-Control max-age or a 429/503's
    # Retry-After (what the server asked for: feeds/schedule.py).
    "subscriptions": [("next_allowed", "TEXT"), ("next_reason", "TEXT")],
}


def _v10(db: sqlite3.Connection) -> None:
    # Written to be run again over its own result: a file whose version was set back keeps its follows.
    for statement in V10_TABLES.split(";\n"):
        if statement.strip():
            db.execute(statement)
    for table, columns in V10_COLUMNS.items():
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for name, kind in columns:
            if name not in present:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


# Ordered: MIGRATIONS[i] takes a library from version i to version i + 1.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10]
# After these, the file is compacted once (the space the old bodies took goes back to the disk).
COMPACT_AFTER = {8}
SCHEMA_VERSION = len(MIGRATIONS)


def version_of(db: sqlite3.Connection) -> int:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == 0 and db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'").fetchone():
        return 1  # written by 0.1.0, which set no version
    return version


def migrate(db: sqlite3.Connection, where: str) -> int:
    """Bring the catalog to SCHEMA_VERSION; returns the version it had. A newer one is refused."""
    found = version_of(db)
    if found > SCHEMA_VERSION:
        raise LibraryError(
            f"the library at {where} was written by a newer newsreader (catalog version {found}; this "
            f"one reads up to {SCHEMA_VERSION}); upgrade newsreader, or choose another folder with --library")
    if found == SCHEMA_VERSION:
        return found
    if found == 0:
        _v1(db)
        found = 1
    db.execute("BEGIN IMMEDIATE")
    try:
        if version_of(db) != found:  # another process migrated it meanwhile
            db.execute("ROLLBACK")
            return migrate(db, where)
        for step in MIGRATIONS[found:]:
            step(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    if any(found < version <= SCHEMA_VERSION for version in COMPACT_AFTER):
        timeout = db.execute("PRAGMA busy_timeout").fetchone()[0]
        db.execute("PRAGMA busy_timeout = 1000")
        try:
            db.execute("VACUUM")
        except sqlite3.OperationalError:  # another process is using it: the space stays as free pages, reused later
            pass
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    return found

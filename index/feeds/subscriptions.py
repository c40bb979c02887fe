"""The reader's subscriptions, kept in the catalog's `subscriptions` table.

A subscription is a feed URL with a short unique name (for `newsreader fetch NAME`), the
folders it was filed under in an OPML file (tags, outermost first), and the state of its last
fetch: the validators for a conditional request (ETag, Last-Modified) and the outcome.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..catalog import Catalog
from ..errors import NewsreaderError, NotFound

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_COLUMNS = "url, name, tags, title, added, etag, last_modified, last_fetch, last_ok, last_error"


class SubscriptionError(NewsreaderError):
    """A URL or name that cannot be subscribed."""


@dataclass(frozen=True)
class Subscription:
    url: str
    name: str
    tags: tuple[str, ...] = ()
    title: str | None = None  # the feed's own title, from its last fetch
    added: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: str | None = None  # when it was last tried (UTC, ISO 8601)
    last_ok: str | None = None  # when a fetch last succeeded
    last_error: str | None = None  # why the last fetch failed; None when it succeeded
    items: int = 0  # articles the library holds from it (items that left the feed included)
    unread: int = 0

    def to_json(self) -> dict:
        return {"name": self.name, "url": self.url, "tags": list(self.tags), "title": self.title,
                "added": self.added, "last_fetch": self.last_fetch, "last_ok": self.last_ok,
                "last_error": self.last_error, "items": self.items, "unread": self.unread}


def check_url(url: str) -> str:
    """A feed URL as stored: one that can be requested (http_download.check_url: http(s), a
    host a resolver can be asked for, a real port); anything else is refused with the reason."""
    from .. import http_download  # asyncio and httpx: not imported by opening a library

    try:
        return http_download.check_url(url)
    except http_download.BadURL as exc:
        raise SubscriptionError(f"{exc}; a feed URL looks like https://example.com/feed.xml") from None


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or _CONTROL.search(name):
        raise SubscriptionError(f"{name!r} is not a usable feed name; use letters, digits and punctuation")
    if name.lower().startswith(("http://", "https://")):
        raise SubscriptionError(f"{name!r} looks like a URL; a feed's name is a short word such as 'bbc'")
    return name


def _base_name(url: str, wanted: str | None = None) -> str:
    return check_name(wanted) if wanted else (urlsplit(url).hostname or "feed").removeprefix("www.")


class _Names:
    """Names in use, as SQLite's NOCASE compares them (ASCII letters without regard to case),
    and the next number to try after each base: taking n names of one base costs n steps."""

    def __init__(self, taken: Iterable[str]):
        self._taken = {_folded(name) for name in taken}
        self._next: dict[str, int] = {}

    def take(self, base: str) -> str:
        name = base
        number = self._next.get(_folded(base), 1)
        if number > 1:
            name = f"{base}-{number}"
        while _folded(name) in self._taken:
            number += 1
            name = f"{base}-{number}"
        self._next[_folded(base)] = number + 1
        self._taken.add(_folded(name))
        return name


def _folded(name: str) -> str:
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Subscriptions:
    def __init__(self, catalog: Catalog):
        self._catalog = catalog

    @property
    def _db(self):
        return self._catalog.db

    def all(self) -> list[Subscription]:
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM subscriptions ORDER BY name COLLATE NOCASE").fetchall()
        counts = self._counts()
        return [self._make(row, counts) for row in rows]

    def _counts(self) -> dict[str, tuple[int, int]]:
        rows = self._db.execute(
            "SELECT e.source, COUNT(DISTINCT e.article_id), COUNT(DISTINCT CASE WHEN COALESCE(r.read, 0) = 0 "
            "THEN e.article_id END) FROM entries e JOIN subscriptions s ON s.url = e.source "
            "LEFT JOIN reader_state r ON r.article_id = e.article_id "
            "WHERE COALESCE(r.removed, 0) = 0 GROUP BY e.source")
        return {source: (items, unread) for source, items, unread in rows}

    @staticmethod
    def _make(row, counts) -> Subscription:
        items, unread = counts.get(row[0], (0, 0))
        url, name, tags, title, added, etag, last_modified, last_fetch, last_ok, last_error = row
        return Subscription(url, name, tuple(json.loads(tags)), title, added, etag, last_modified, last_fetch,
                            last_ok, last_error, items=items, unread=unread)

    def find(self, url_or_name: str) -> Subscription:
        """By URL or by name (names are matched without regard to case)."""
        row = self._db.execute(f"SELECT {_COLUMNS} FROM subscriptions WHERE url = ? OR name = ? COLLATE NOCASE",
                               (url_or_name.strip(), url_or_name.strip())).fetchone()
        if row is None:
            try:
                row = self._db.execute(f"SELECT {_COLUMNS} FROM subscriptions WHERE url = ?",
                                       (check_url(url_or_name),)).fetchone()
            except SubscriptionError:
                row = None
        if row is None:
            raise NotFound(f"no subscription named or at {url_or_name!r}; `newsreader feeds list` shows them")
        return self._make(row, self._counts())

    def get(self, url: str) -> Subscription | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM subscriptions WHERE url = ?", (url,)).fetchone()
        return self._make(row, self._counts()) if row else None

    def name_taken(self, name: str) -> bool:
        return self._db.execute("SELECT 1 FROM subscriptions WHERE name = ? COLLATE NOCASE", (name,)).fetchone() \
            is not None

    def free_name(self, url: str, wanted: str | None = None) -> str:
        """`wanted`, or the URL's host; with -2, -3... when another feed has that name."""
        return _Names(self._names()).take(_base_name(url, wanted))

    def _names(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT name FROM subscriptions")]

    def import_feeds(self, feeds: Iterable, where: str) -> tuple[list[Subscription], list[str], list[str]]:
        """Subscribe (inside the caller's transaction) to feeds read from an OPML file: each
        with its title as name where it can be one (else its host), its folders as tags. A URL
        that cannot be a feed's is one problem line and the others are still subscribed.
        Returns (subscribed, URLs already subscribed, problems)."""
        known = {row[0] for row in self._db.execute("SELECT url FROM subscriptions")}
        names = _Names(self._names())  # free names found in memory: one query, not one per try
        added, existing, problems = [], [], []
        for feed in feeds:
            try:
                url = check_url(feed.url)
            except SubscriptionError as exc:
                problems.append(f"{where}: {exc}")
                continue
            if url in known:
                existing.append(url)
                continue
            try:
                base = _base_name(url, feed.title[:60] if feed.title else None)
            except SubscriptionError:  # a title that cannot be a name: the host is
                base = _base_name(url)
            self._db.execute("INSERT INTO subscriptions (url, name, tags) VALUES (?, ?, ?)",
                             (url, names.take(base), json.dumps(list(feed.tags), ensure_ascii=False)))
            known.add(url)
            added.append(url)
        subscribed = {s.url: s for s in self.all()} if added else {}
        return [subscribed[url] for url in added], existing, problems

    def add(self, url: str, name: str | None = None, tags: tuple[str, ...] = ()) -> Subscription:
        """Subscribe (inside the caller's transaction); a URL already subscribed is refused."""
        url = check_url(url)
        existing = self.get(url)
        if existing is not None:
            raise SubscriptionError(f"already subscribed to {url} as {existing.name!r}")
        if name is not None and self.name_taken(check_name(name)):
            raise SubscriptionError(f"another feed is already named {check_name(name)!r}; choose another --name")
        name = self.free_name(url, name)
        self._db.execute("INSERT INTO subscriptions (url, name, tags) VALUES (?, ?, ?)",
                         (url, name, json.dumps(list(tags), ensure_ascii=False)))
        added = self.get(url)
        assert added is not None  # inserted just above, in the caller's transaction
        return added

    def delete(self, url: str) -> None:
        self._db.execute("DELETE FROM subscriptions WHERE url = ?", (url,))

    def record(self, url: str, *, when: str, ok: bool, error: str | None = None, title: str | None = None,
               etag: str | None = None, last_modified: str | None = None) -> None:
        """What a fetch found: its time and outcome, and on success the new validators."""
        if ok:
            self._db.execute(
                "UPDATE subscriptions SET last_fetch = ?, last_ok = ?, last_error = NULL, "
                "title = COALESCE(?, title), etag = ?, last_modified = ? WHERE url = ?",
                (when, when, title, etag, last_modified, url))
        else:
            self._db.execute("UPDATE subscriptions SET last_fetch = ?, last_error = ? WHERE url = ?",
                             (when, error, url))

"""When a feed may be fetched again: what its server asked for.

- a `429 Too Many Requests` or `503 Service Unavailable` with `Retry-After` (seconds, or an
  HTTP date): honoured by every fetch;
- the feed's `<ttl>` (RSS: minutes) and the response's `Cache-Control: max-age` (seconds):
  honoured by the fetches newsreader makes on its own (`fetch --every`, the app's timer;
  FetchOptions.scheduled), so a plain `fetch` still fetches when asked.

Kept with each subscription's fetch state (`subscriptions.next_allowed`, `next_reason`: the
server's word, not the reader's), written with the fetch's outcome under the lock. A value beyond MAX_WAIT_S is cut
to it: a mistaken header must not silence a feed for months.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

RETRY_AFTER, TTL, MAX_AGE = "Retry-After", "ttl", "max-age"
MAX_WAIT_S = 24 * 3600
_TTL = re.compile(rb"<ttl>\s*(\d{1,7})\s*</ttl>", re.IGNORECASE)
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d{1,10})", re.IGNORECASE)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def parse_stamp(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def retry_after(value: str | None, at: dt.datetime) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), MAX_WAIT_S))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, min((when - at).total_seconds(), MAX_WAIT_S))


def max_age(value: str | None) -> float | None:
    """Cache-Control's max-age in seconds; None without one, or with no-cache / no-store."""
    if not value or re.search(r"no-cache|no-store", value, re.IGNORECASE):
        return None
    found = _MAX_AGE.search(value)
    return float(min(int(found.group(1)), MAX_WAIT_S)) if found else None


def ttl(body: bytes | None) -> float | None:
    """An RSS channel's <ttl> in seconds (it is given in minutes)."""
    found = _TTL.search(body[:256 * 1024]) if body else None
    return float(min(int(found.group(1)) * 60, MAX_WAIT_S)) if found else None


class Schedule:
    def __init__(self, catalog):
        self._catalog = catalog

    def due(self, url: str, at: dt.datetime, *, scheduled: bool) -> tuple[dt.datetime, str] | None:
        """(when, why) if the feed may not be fetched before `when`; None when it may now.
        Without `scheduled` only a Retry-After holds a fetch back."""
        row = self._catalog.db.execute("SELECT next_allowed, next_reason FROM subscriptions WHERE url = ?",
                                       (url,)).fetchone()
        if row is None or row[0] is None or (not scheduled and row[1] != RETRY_AFTER):
            return None
        when = parse_stamp(row[0])
        return (when, row[1]) if when is not None and when > at else None

    def set(self, url: str, wait_s: float | None, reason: str, at: dt.datetime) -> None:
        """Inside the caller's transaction; no wait clears what was kept."""
        when = stamp(at + dt.timedelta(seconds=wait_s)) if wait_s and wait_s > 0 else None
        self._catalog.db.execute("UPDATE subscriptions SET next_allowed = ?, next_reason = ? WHERE url = ?",
                                 (when, reason if when else None, url))


def wait_after(download, at: dt.datetime) -> tuple[float | None, str]:
    """How long the server asked newsreader to wait after this download, and why."""
    if download.retry_after is not None:
        return download.retry_after, RETRY_AFTER
    waits = [(w, why) for w, why in ((ttl(download.body), TTL), (download.max_age, MAX_AGE)) if w]
    return max(waits) if waits else (None, "")

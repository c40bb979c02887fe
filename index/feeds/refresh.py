"""Fetching subscriptions into the library: each feed downloaded (in parallel), then parsed,
prepared and synced in a change of its own, exactly as a feed file added from disk would be
(identities, the `keep` policy, the search index, events). A feed that fails is recorded with
its error and never stops the others; its articles stay as they were.

Nothing is downloaded while the library's write lock is held: a feed (and its items' pages)
is downloaded and prepared first, then the lock is taken only to store it, so an `add` in
another process waits for one feed's store at most, never for the network."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..article import AddReport
from ..errors import NewsreaderError
from . import pages, schedule
from .fetcher import FetchOptions, Request, client, download_all
from .items import NotAFeed, prepare_feed
from .subscriptions import Subscription, Subscriptions

NEW, UNCHANGED, FAILED, WAITING = "new", "unchanged", "error", "waiting"
_PAGES = "feed-pages:"  # catalog meta key + feed URL: "1" when its last read looked for pages
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class FetchOutcome:
    """What fetching one subscription did."""

    name: str
    url: str
    status: str  # "new" (it was read: maybe 0 new items), "unchanged" (304 or the same bytes), "error",
    # or "waiting" (not fetched: its server asked to wait until `until`, see schedule.py)
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    error: str | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)
    pages: int = 0  # items' pages read (--fetch-pages)
    pages_failed: int = 0  # pages that could not be read: those items kept the feed's summary
    until: str | None = None  # "waiting": when it may be fetched again (UTC, ISO 8601), and why
    why: str | None = None

    def summary(self) -> str:
        """The outcome in a few words: "3 new, 1 updated, 2 pages read, 1 page failed",
        "unchanged", or the error."""
        if self.status == FAILED:
            return self.error or "failed"
        if self.status == UNCHANGED:
            return "unchanged"
        if self.status == WAITING:
            return f"not due until {self.until} ({self.why})"
        parts = [f"{len(self.added)} new"]
        if self.updated:
            parts.append(f"{len(self.updated)} updated")
        if self.pages:
            parts.append(f"{self.pages} page{'s' if self.pages != 1 else ''} read")
        if self.pages_failed:
            parts.append(f"{self.pages_failed} page{'s' if self.pages_failed != 1 else ''} failed")
        return ", ".join(parts)

    def to_json(self) -> dict:
        return {"name": self.name, "url": self.url, "status": self.status, "added": list(self.added),
                "updated": list(self.updated), "error": self.error, "problems": list(self.problems),
                "pages": self.pages, "pages_failed": self.pages_failed, "until": self.until, "why": self.why}


OutcomeCallback = Callable[[FetchOutcome, int, int], None]  # (outcome, done, total)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Refresh:
    """Used by `Library.fetch`; `writing` holds the library's write lock, `change` opens a
    library change, `sync_file` syncs a prepared feed."""

    def __init__(self, catalog, subscriptions: Subscriptions, writing: Callable, change: Callable,
                 sync_file: Callable):
        self._catalog = catalog
        self._subscriptions = subscriptions
        self._writing = writing
        self._change = change
        self._sync_file = sync_file
        self._schedule = schedule.Schedule(catalog)

    def run(self, subscriptions: Iterable[Subscription], options: FetchOptions,
            on_outcome: OutcomeCallback | None = None, cancelled: Callable[[], bool] | None = None) -> list[FetchOutcome]:
        subscriptions = list({s.url: s for s in subscriptions}.values())
        by_url = {s.url: s for s in subscriptions}
        requests = []
        outcomes = []
        at = schedule.now()
        for sub in subscriptions:
            hold = self._schedule.due(sub.url, at, scheduled=options.scheduled)
            if hold is not None:  # its server asked to wait: no request at all
                outcomes.append(FetchOutcome(sub.name, sub.url, WAITING, until=schedule.stamp(hold[0]), why=hold[1]))
                if on_outcome is not None:
                    on_outcome(outcomes[-1], len(outcomes), len(subscriptions))
                continue
            # Validators only when the library still holds what the feed sent with them, and
            # (with --fetch-pages) when its items' pages were looked for the last time it was read.
            known = self._catalog.source(sub.url) is not None and (
                not options.fetch_pages or self._pages_looked_for(sub.url))
            requests.append(Request(sub.url, sub.etag if known else None, sub.last_modified if known else None))
        if not requests:
            return outcomes
        with client(options) as http:  # feeds and their items' pages share one session
            for download in download_all(requests, options, cancelled, http):
                if cancelled is not None and cancelled() and not download.ok:
                    continue  # not started because the fetch was stopped: its state stays as it was
                outcome = self._take(by_url[download.url], download, options, http)
                outcomes.append(outcome)
                if on_outcome is not None:
                    on_outcome(outcome, len(outcomes), len(subscriptions))
        return outcomes

    def _pages_looked_for(self, url: str) -> bool:
        """Whether the last read of this feed's body looked for its items' pages. When it did
        not, a fetch with pages reads the feed whole (no 304, no "same bytes" shortcut), so
        that items fetched before pages were asked for get theirs."""
        return self._catalog.get_meta(_PAGES + url) == "1"

    def _record(self, url: str, download, **state) -> None:
        """A fetch's outcome stored, under the lock (taken for this only)."""
        with self._writing(), self._catalog.transaction():
            self._subscriptions.record(url, **state)
            self._schedule.set(url, *schedule.wait_after(download, schedule.now()), schedule.now())

    def _failed(self, sub: Subscription, error: str, download, *, record: bool = True) -> FetchOutcome:
        if record:
            try:
                self._record(sub.url, download, when=_now(), ok=False, error=error)
            except NewsreaderError as exc:  # the library is busy or read-only: say so instead
                error = f"{error}; {exc}"
        return FetchOutcome(sub.name, sub.url, FAILED, error=error)

    def _take(self, sub: Subscription, download, options: FetchOptions, http) -> FetchOutcome:
        try:
            return self._store(sub, download, options, http)
        except NewsreaderError as exc:  # e.g. another newsreader is writing the library (the app does not wait)
            return self._failed(sub, str(exc), download, record=False)

    def _store(self, sub: Subscription, download, options: FetchOptions, http) -> FetchOutcome:
        if not download.ok:
            return self._failed(sub, download.error, download)
        if download.not_modified:
            self._record(sub.url, download, when=_now(), ok=True, etag=download.etag, last_modified=download.last_modified)
            return FetchOutcome(sub.name, sub.url, UNCHANGED)
        old = self._catalog.source(sub.url)
        same = old is not None and old.hash == hashlib.blake2b(download.body, digest_size=16).hexdigest() and (
            not options.fetch_pages or self._pages_looked_for(sub.url))
        found = pages.PagesReport()

        def complete(drafts):
            drafts, entry_hashes, report = pages.complete(drafts, self._catalog.entries(sub.url), options, http)
            found.read, found.failed = report.read, report.failed
            return drafts, entry_hashes

        try:  # the same bytes as last time: no page is looked at (the outcome is "unchanged")
            prepared = prepare_feed(sub.url, download.body, sub.name, None if same else complete)
        except NotAFeed as exc:
            return self._failed(sub, str(exc), download)
        except Exception as exc:  # a feed that trips the parser must not stop the others
            return self._failed(sub, f"could not be read ({type(exc).__name__}: {str(exc)[:100]})", download)
        title = next((a.draft.source for a in prepared.articles if a.draft.source), None)
        title = _CONTROL.sub("", title)[:200] if title else None
        state = dict(when=_now(), ok=True, title=title, etag=download.etag, last_modified=download.last_modified)
        problems = tuple(str(p) for p in prepared.problems) + tuple(found.failed)
        if same:
            self._record(sub.url, download, **state)
            return FetchOutcome(sub.name, sub.url, UNCHANGED, problems=problems)
        report = AddReport(files=1)
        with self._writing(), self._change() as change:
            self._sync_file(change, prepared, report)
            self._subscriptions.record(sub.url, **state)
            self._schedule.set(sub.url, *schedule.wait_after(download, schedule.now()), schedule.now())
            self._catalog.set_meta(_PAGES + sub.url, "1" if options.fetch_pages else "0")
        return FetchOutcome(sub.name, sub.url, NEW, tuple(report.added), tuple(report.updated),
                            problems=problems + tuple(str(p) for p in report.problems),
                            pages=found.read, pages_failed=len(found.failed))

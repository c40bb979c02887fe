"""Downloading feeds: the fetch's settings, conditional requests (ETag / Last-Modified, so an
unchanged feed costs a 304 and no parsing), and the outcome of each download. The requests
themselves go through the bounded download helper (`index/http_download.py`): one deadline per
request, the size limit after decompression, every failure one line.

Each download ends in a `Download`: the body, "not modified", or one line saying what went
wrong. Nothing here raises for a feed's failure: one broken feed never stops the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..http_download import Job, Limits, Response, Session, default_user_agent

DEFAULT_TIMEOUT_S = 20.0
DEFAULT_PARALLEL = 4
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
          "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5")
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"  # an item's page (--fetch-pages)
# A validator is sent back as a header: only what any client can send (visible ASCII, bounded).
_SENDABLE = re.compile(r"^[\x20-\x7e]{1,1024}$")

user_agent = default_user_agent


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = DEFAULT_TIMEOUT_S  # seconds for a whole request: connecting to the last byte
    parallel: int = DEFAULT_PARALLEL  # requests at once
    max_bytes: int = DEFAULT_MAX_BYTES  # a larger (decoded) response is refused
    user_agent: str | None = None  # None: user_agent()
    fetch_pages: bool = False  # fetch the page of each item that carries only a summary (pages.py)
    # A fetch newsreader makes on its own (fetch --every, the app's timer): a feed is fetched at
    # most as often as its <ttl> and Cache-Control max-age allow (schedule.py). Retry-After always holds.
    scheduled: bool = False

    @property
    def limits(self) -> Limits:
        return Limits(timeout_s=self.timeout, max_bytes=self.max_bytes)


@dataclass(frozen=True)
class Request:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    accept: str | None = None  # None: a feed's (ACCEPT)

    def headers(self) -> dict[str, str]:
        headers = {"Accept": self.accept or ACCEPT}
        if etag := sendable(self.etag):
            headers["If-None-Match"] = etag
        if last_modified := sendable(self.last_modified):
            headers["If-Modified-Since"] = last_modified
        return headers


@dataclass(frozen=True)
class Download:
    url: str
    body: bytes | None = None  # None when not modified or failed
    not_modified: bool = False
    error: str | None = None  # one line: what went wrong
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None  # where the redirects ended
    content_type: str = ""
    retry_after: float | None = None  # seconds a 429 or 503 asked to wait (schedule.py)
    max_age: float | None = None  # Cache-Control max-age of a 200 or 304, seconds

    @property
    def ok(self) -> bool:
        return self.error is None


def sendable(validator: str | None) -> str | None:
    """A validator as it can be sent back; None for one that cannot (HTTP allows a server
    bytes that are not ASCII in an ETag; a request header holding them fails every time)."""
    return validator if validator and _SENDABLE.match(validator) else None


def client(options: FetchOptions) -> Session:
    """One session for a whole fetch, feeds and pages: `parallel` requests at once."""
    return Session(parallel=options.parallel, user_agent=options.user_agent)


def _outcome(request: Request, got: Response | Exception) -> Download:
    from . import schedule

    if isinstance(got, Exception):
        return Download(request.url, error=str(got))
    headers = got.headers
    max_age = schedule.max_age(headers.get("cache-control"))
    if got.status == 304:
        return Download(request.url, not_modified=True, final_url=got.url,
                        etag=sendable(headers.get("etag")) or sendable(request.etag),
                        last_modified=sendable(headers.get("last-modified")) or sendable(request.last_modified),
                        max_age=max_age)
    if got.status >= 300:
        wait = schedule.retry_after(headers.get("retry-after"), schedule.now()) if got.status in (429, 503) else None
        later = f"; the server asks to wait {wait:g} s" if wait else ""
        return Download(request.url, error=f"HTTP {got.reason}{later}", final_url=got.url, retry_after=wait)
    return Download(request.url, got.body, etag=sendable(headers.get("etag")),
                    last_modified=sendable(headers.get("last-modified")), final_url=got.url,
                    content_type=got.content_type, max_age=max_age)


def download(http: Session, request: Request, options: FetchOptions) -> Download:
    """One GET, conditional when validators are known, within the options' deadline and size."""
    from ..http_download import DownloadError

    try:
        got: Response | Exception = http.get(request.url, options.limits, request.headers())
    except DownloadError as exc:
        got = exc
    return _outcome(request, got)


def download_all(requests: Iterable[Request], options: FetchOptions,
                 cancelled: Callable[[], bool] | None = None, http: Session | None = None) -> Iterator[Download]:
    """Downloads, `options.parallel` at a time, yielded as each finishes; with `http`, through
    that session (else one of its own)."""
    requests = list(requests)
    if not requests:
        return
    if http is None:
        with client(options) as own:
            yield from download_all(requests, options, cancelled, own)
        return
    jobs = [Job(r.url, r.headers(), tag=r) for r in requests]
    for job, got in http.get_all(jobs, options.limits, cancelled):
        yield _outcome(job.tag, got)

"""Downloading feeds over HTTP with httpx: timeouts, redirects, gzip, a clear User-Agent, a
bound on parallel requests and on response size, and conditional requests (ETag /
Last-Modified), so that an unchanged feed costs a 304 and no parsing.

Each download ends in a `Download`: the body, "not modified", or one line saying what went
wrong (DNS, timeout, connection, HTTP status, too large). Nothing here raises for a feed's
failure: one broken feed never stops the others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

DEFAULT_TIMEOUT_S = 20.0
DEFAULT_PARALLEL = 4
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
          "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5")
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"  # an item's page (--fetch-pages)

_DNS_MARKERS = ("name or service not known", "nodename nor servname", "temporary failure in name resolution",
                "no address associated", "getaddrinfo failed", "name resolution", "errno -2", "errno -3",
                "errno -5", "errno 11001")


def user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("newsreader")
    except PackageNotFoundError:
        number = "dev"
    return f"newsreader/{number} (terminal news and feed reader; +https://pypi.org/project/newsreader/)"


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = DEFAULT_TIMEOUT_S  # seconds for connecting, and between bytes read
    parallel: int = DEFAULT_PARALLEL  # requests at once
    max_bytes: int = DEFAULT_MAX_BYTES  # a larger (decoded) response is refused
    user_agent: str | None = None  # None: user_agent()
    fetch_pages: bool = False  # fetch the page of each item that carries only a summary (pages.py)


@dataclass(frozen=True)
class Request:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    accept: str | None = None  # None: a feed's (ACCEPT)


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

    @property
    def ok(self) -> bool:
        return self.error is None


class TooLarge(Exception):
    pass


def client(options: FetchOptions):
    import httpx

    # One client for a whole fetch, feeds and pages: `parallel` connections at most. A request
    # waits for a free connection without a time limit (pool=None): pages are fetched while
    # feeds still download, and waiting for the others is no timeout of this request.
    return httpx.Client(
        timeout=httpx.Timeout(options.timeout, pool=None), follow_redirects=True, max_redirects=MAX_REDIRECTS,
        limits=httpx.Limits(max_connections=options.parallel, max_keepalive_connections=options.parallel),
        headers={"User-Agent": options.user_agent or user_agent(), "Accept": ACCEPT,
                 "Accept-Encoding": "gzip, deflate"},
    )


def download(http, request: Request, max_bytes: int) -> Download:
    """One GET, conditional when validators are known; the body read up to `max_bytes`
    (decoded: a small gzip that inflates past the limit is refused too)."""
    import httpx

    headers = {"Accept": request.accept} if request.accept else {}
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    try:
        with http.stream("GET", request.url, headers=headers) as response:
            final = str(response.url)
            if response.status_code == 304:
                return Download(request.url, not_modified=True, final_url=final,
                                etag=response.headers.get("etag") or request.etag,
                                last_modified=response.headers.get("last-modified") or request.last_modified)
            if response.status_code >= 400:
                reason = response.reason_phrase or ""
                return Download(request.url, error=f"HTTP {response.status_code} {reason}".strip(), final_url=final)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise TooLarge
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise TooLarge
            return Download(request.url, bytes(body), etag=response.headers.get("etag"),
                            last_modified=response.headers.get("last-modified"), final_url=final,
                            content_type=response.headers.get("content-type", ""))
    except TooLarge:
        return Download(request.url, error=f"larger than the {max_bytes / 1_048_576:g} MB limit; not read")
    except httpx.HTTPError as exc:
        return Download(request.url, error=describe(exc, request.url))


def describe(exc: Exception, url: str) -> str:
    """One line for a failed request: DNS, timeout, refused connection, redirects, broken body."""
    import httpx
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or url
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return "timed out (no answer within the fetch timeout)"
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects (more than {MAX_REDIRECTS})"
    if isinstance(exc, (httpx.ConnectError, httpx.ProxyError)):
        if any(marker in text.lower() for marker in _DNS_MARKERS):
            return f"DNS: cannot find the host {host}"
        if "refused" in text.lower():
            return f"connection refused by {host}"
        return f"cannot connect to {host}: {text[:120]}"
    if isinstance(exc, httpx.DecodingError):
        return "the response's compression is broken"
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return f"cannot fetch {url!r}: {text[:120]}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the connection ({text[:120]})"
    return f"{type(exc).__name__}: {text[:120]}"


def download_all(requests: Iterable[Request], options: FetchOptions,
                 cancelled: Callable[[], bool] | None = None, http=None) -> Iterator[Download]:
    """Downloads, `options.parallel` at a time, yielded as each finishes; with `http`, through
    that client (else one of its own)."""
    requests = list(requests)
    if not requests:
        return
    if http is None:
        with client(options) as own:
            yield from download_all(requests, options, cancelled, own)
        return
    stop = threading.Event()
    with ThreadPoolExecutor(max(1, options.parallel)) as pool:
        def one(request: Request) -> Download:
            if stop.is_set() or (cancelled and cancelled()):
                return Download(request.url, error="cancelled")
            return download(http, request, options.max_bytes)

        futures = [pool.submit(one, request) for request in requests]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            stop.set()
            for future in futures:
                future.cancel()

"""Downloading what any server sends, bounded: the one way newsreader makes an HTTP request
(feeds and their items' pages in feeds/, the package index and packages in translation/).

A request here
- has one deadline for all of it (connecting, every redirect, the headers, every byte of the
  body), not only a limit on the gap between bytes: a server that drips a byte a second is
  cut off at the deadline like one that never answers;
- counts its size limit after every content decoding, while streaming, 64 KB of output at a
  time: a `Content-Encoding: gzip, gzip` bomb stops at the limit and is never held whole;
- follows redirects itself, checking each target as a feed URL is checked (http or https, a
  host a resolver can be asked for, a real port), so a redirect to `http://a..b/` is one line
  naming that target, and every error names the host that caused it;
- turns every failure a server or a URL can cause into one `DownloadError` line, with any
  text that came from outside made printable.

Why not httpx's own handling (httpx still does the HTTP): its timeouts bound each network
operation, not a request; it decodes `gzip` with unbounded zlib calls (1.8 KB became 2 GB in
one call); and it follows redirects to hosts its URL parser accepts but the resolver's IDNA
encoder refuses (a UnicodeError) and names the first host in errors.

Requests run as asyncio tasks on one event loop thread per `Session`, so a deadline cancels a
request wherever it waits. A session runs at most `parallel` requests at once; a request
still running after a quarter of its deadline hands its slot to the next one and goes on in
overtime (at most 3 x `parallel` of those, each still ending at its deadline), so a few slow
servers never hold every slot while the good ones wait.
"""

from __future__ import annotations

import asyncio
import ipaddress
import queue
import re
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 5
MAX_URL_CHARS = 4096
MAX_ENCODINGS = 3  # Content-Encoding layers undone; more is refused
CHUNK = 64 * 1024  # output of one decoding step
PER_HOST = 2  # requests to one host at once, whatever `parallel` allows: politeness to each server
OVERTIME_SLOTS = 3  # x parallel: requests past a quarter of their deadline that no longer hold a slot
_REDIRECTS = (301, 302, 303, 307, 308)
_HOST_CHARS = re.compile(r"^[a-z0-9_-]+$")
_NOT_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_DNS_MARKERS = ("name or service not known", "nodename nor servname", "temporary failure in name resolution",
                "no address associated", "getaddrinfo failed", "name resolution", "errno -2", "errno -3",
                "errno -5", "errno 11001")


class DownloadError(Exception):
    """One line: what went wrong, naming the host at fault."""


class BadURL(DownloadError):
    """A URL that cannot be requested; the message says why."""


class TooLarge(DownloadError):
    pass


class _Theirs(Exception):
    """The caller's own callback raised args[0] (a full disk, a refusal): passed on as it is."""


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 20.0  # the whole request: connecting, redirects, headers, every byte
    max_bytes: int = 10 * 1024 * 1024  # the body after all content decoding
    stall_s: float | None = None  # longest wait for any one read or connect (None: timeout_s)
    min_bytes_per_s: int = 0  # with stall_s: slower than this over a stall_s window is cut off


@dataclass(frozen=True)
class Response:
    url: str  # where the redirects ended
    status: int
    headers: dict[str, str]  # names in lower case; values as text, however the server encoded them
    body: bytes = b""  # read for 2xx answers only, and not when a sink took it

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def reason(self) -> str:
        """`404 Not Found`: the standard phrase (a server's own is not shown)."""
        try:
            return f"{self.status} {HTTPStatus(self.status).phrase}"
        except ValueError:
            return str(self.status)


@dataclass(frozen=True)
class Job:
    """One request of `Session.get_all`: its URL, extra headers and what the caller needs back."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    tag: Any = None


Sink = Callable[[Response], Callable[[bytes], None]]  # the answer's head -> where its body goes


def printable(text, limit: int = 160) -> str:
    """Outside text fit for a one-line message: whitespace runs as one space, controls, format
    characters (bidi overrides...) and unassigned ones as escapes, at most `limit` characters."""
    text = " ".join(str(text).split())
    text = "".join(c if c.isprintable() else (f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}")
                   for c in text[:limit * 2])
    return text if len(text) <= limit else text[:limit - 1] + "…"


def host_of(url: str) -> str:
    try:
        return printable(urlsplit(url).hostname or url, 100)
    except ValueError:
        return printable(url, 100)


def check_url(url: str) -> str:
    """`url` as it will be requested: http(s), a host name a resolver can be asked for (or an
    IP address), a port in 1-65535; scheme and host in lower case. Else BadURL saying why."""
    import httpx

    url = url.strip()
    shown = printable(url, 120)
    if not url:
        raise BadURL("an empty URL")
    if len(url) > MAX_URL_CHARS:
        raise BadURL(f"'{shown}' is longer than {MAX_URL_CHARS} characters")
    if _NOT_IN_URL.search(url):
        raise BadURL(f"'{shown}' holds spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError for a port that is not a number in 0-65535
        parsed = httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise BadURL(f"'{shown}' is not a valid URL ({printable(exc, 80)})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BadURL(f"'{shown}' is not an http or https URL")
    host = parts.hostname or ""
    if not host:
        raise BadURL(f"'{shown}' names no host")
    if port is not None and not 0 < port < 65536:
        raise BadURL(f"'{shown}' has no usable port ({port})")
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise BadURL(f"'{shown}' has an invalid IPv6 address [{printable(host, 60)}]") from None
    else:
        problem = _host_problem(parsed.raw_host.decode("ascii", "replace"))
        if problem:
            raise BadURL(f"'{shown}' has an unusable host name: {problem}")
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def _host_problem(host: str) -> str | None:
    """Why a host name (ASCII, as httpx sends it: IDNA already applied) cannot be looked up."""
    name = host[:-1] if host.endswith(".") else host
    if len(name) > 253:
        return "longer than 253 characters"
    for label in name.split("."):
        if not label:
            return "an empty label (two dots in a row, or a dot at the start)"
        if len(label) > 63:
            return "a label longer than 63 characters"
        if not _HOST_CHARS.match(label):
            return f"characters a host name cannot hold ({printable(label, 40)})"
        if label.startswith("xn--"):
            try:  # as the resolver's encoder and httpx's URL both read it
                label.encode("ascii").decode("idna")
            except UnicodeError:
                return f"'{label}' is not valid IDNA"
    try:
        import idna

        name.encode("idna")  # what socket.getaddrinfo does with it
        if name.startswith("xn--"):
            idna.decode(name)  # what httpx does with it
    except (UnicodeError, idna.IDNAError) as exc:
        return f"not valid IDNA ({printable(exc, 60)})"
    return None


def describe(exc: BaseException, url: str) -> str:
    """One line for a request to `url` that raised `exc`."""
    import httpx

    host = host_of(url)
    text = printable(exc, 120) or type(exc).__name__
    if isinstance(exc, DownloadError):
        return str(exc)
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out (no answer from {host} within the fetch timeout)"
    if isinstance(exc, (httpx.ConnectError, httpx.ProxyError)):
        if any(marker in text.lower() for marker in _DNS_MARKERS):
            return f"DNS: cannot find the host {host}"
        if "refused" in text.lower():
            return f"connection refused by {host}"
        return f"cannot connect to {host}: {text}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{host} broke the connection ({text})"
    if isinstance(exc, httpx.HTTPError):
        return f"the request to {host} failed ({type(exc).__name__}: {text})"
    if isinstance(exc, (UnicodeError, ValueError, httpx.InvalidURL)):
        return f"cannot fetch '{printable(url, 120)}': {text}"
    return f"the request to {host} failed ({type(exc).__name__}: {text})"


# -- content decoding, bounded -------------------------------------------------------------------

class _Layer:
    """One Content-Encoding undone: output in pieces of at most CHUNK bytes."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self.started = False
        self.done = False
        self.obj = self._new()

    def _new(self, raw: bool = False):
        if self.encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.done:
            return
        if not self.started and data:
            self.started = True
            if self.encoding == "deflate":  # zlib-wrapped as the RFC says, or raw as some servers send
                try:
                    zlib.decompressobj().decompress(data[:64], 1)
                except zlib.error:
                    self.obj = self._new(raw=True)
        while data:
            out = self.obj.decompress(data, CHUNK)
            if out:
                yield out
            if self.obj.eof:  # gzip allows several members; anything else after the end is ignored
                data = self.obj.unused_data
                if self.encoding != "gzip" or not data.startswith(b"\x1f\x8b"):
                    self.done = True
                    return
                self.obj = self._new()
                continue
            data = self.obj.unconsumed_tail
            while not data and len(out) == CHUNK and not self.obj.eof:  # output still pending
                out = self.obj.decompress(b"", CHUNK)
                if out:
                    yield out

    def end(self) -> Iterator[bytes]:
        if not self.done and not self.obj.eof:
            out = self.obj.flush(CHUNK)
            if out:
                yield out


class _Decoder:
    """The Content-Encoding layers (`gzip, gzip`: applied in that order) undone in reverse,
    each step bounded, so that memory never follows the ratio of a compression bomb."""

    def __init__(self, header: str):
        names = [n.strip().lower() for n in header.split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        unknown = [n for n in names if n not in ("gzip", "x-gzip", "deflate")]
        if unknown:
            raise DownloadError(f"the response is compressed with '{printable(unknown[0], 40)}', "
                                "which newsreader does not read")
        if len(names) > MAX_ENCODINGS:
            raise DownloadError(f"the response is compressed {len(names)} times over; "
                                f"newsreader undoes at most {MAX_ENCODINGS}")
        self.layers = [_Layer("gzip" if n == "x-gzip" else n) for n in reversed(names)]

    def feed(self, data: bytes, start: int = 0) -> Iterator[bytes]:
        if start == len(self.layers):
            if data:
                yield data
            return
        for piece in self.layers[start].feed(data):
            yield from self.feed(piece, start + 1)

    def end(self) -> Iterator[bytes]:
        for index, layer in enumerate(self.layers):
            for piece in layer.end():
                yield from self.feed(piece, index + 1)


# -- slots ----------------------------------------------------------------------------------------

class _Slots:
    def __init__(self, parallel: int):
        self.parallel = max(1, parallel)
        self._free = asyncio.Semaphore(self.parallel)
        self._overtime_free = OVERTIME_SLOTS * self.parallel

    async def take(self, hand_over_s: float) -> "_Slot":
        await self._free.acquire()
        slot = _Slot()
        slot.timer = asyncio.get_running_loop().call_later(hand_over_s, self._hand_over, slot)
        return slot

    def _hand_over(self, slot: "_Slot") -> None:
        if self._overtime_free > 0:
            self._overtime_free -= 1
            slot.overtime = True
            self._free.release()

    def give_back(self, slot: "_Slot") -> None:
        slot.timer.cancel()
        if slot.overtime:
            self._overtime_free += 1
        else:
            self._free.release()


@dataclass
class _Slot:
    overtime: bool = False
    timer: Any = None


# -- the session -----------------------------------------------------------------------------------

class Session:
    """One HTTP client for many requests (a whole fetch: feeds and pages), `parallel` at once.
    Its methods are called from ordinary threads; the requests run on its own event loop thread."""

    def __init__(self, *, parallel: int = 4, user_agent: str | None = None,
                 headers: dict[str, str] | None = None):
        self.parallel = max(1, parallel)
        self._hosts: dict[str, asyncio.Semaphore] = {}  # made on the session's loop, as requests come
        self._headers = {"User-Agent": user_agent or default_user_agent(), **(headers or {})}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="newsreader-http", daemon=True)
        self._thread.start()
        self._client, self._slots = self._call(self._open())

    async def _open(self) -> tuple[httpx.AsyncClient, _Slots]:
        """Made on the session's loop, which the semaphore belongs to."""
        import httpx

        # Connections are limited by the slots; the pool only keeps a few alive between requests.
        client = httpx.AsyncClient(
            follow_redirects=False, headers=self._headers, trust_env=True,
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=self.parallel),
            event_hooks={"response": [_take_location]})
        return client, _Slots(self.parallel)

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._loop.is_closed():
            return

        async def shut() -> None:
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()
            await self._client.aclose()

        try:
            asyncio.run_coroutine_threadsafe(shut(), self._loop).result(timeout=10)
        except Exception:  # closing must never fail the command that is done with the session
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self._loop.close()  # does not wait for a resolver thread still looking up a host

    def get(self, url: str, limits: Limits, headers: dict[str, str] | None = None, *,
            sink: Sink | None = None, raw: bool = False) -> Response:
        """One GET; raises DownloadError. The body is read for 2xx answers: into the Response,
        or, with `sink`, handed over piece by piece to what `sink(answer)` returns (called on
        the session's thread once the answer's status and headers are known; whatever either
        raises reaches the caller unchanged). `raw`: the bytes as sent, compressed or not (for
        a file whose checksum is of those bytes)."""
        return self._call(self._guarded(url, limits, headers or {}, sink, raw))

    def get_all(self, jobs: Iterable[Job], limits: Limits, cancelled: Callable[[], bool] | None = None
                ) -> Iterator[tuple[Job, Response | DownloadError]]:
        """Every job's answer (or error), as each finishes. Jobs not yet started when
        `cancelled()` turns true end as a "cancelled" error."""
        jobs = list(jobs)
        done: queue.Queue = queue.Queue()
        futures = []

        def report(job: Job) -> Callable[[Any], None]:
            return lambda future: done.put((job, future))

        for job in jobs:
            future = asyncio.run_coroutine_threadsafe(self._job(job, limits, cancelled), self._loop)
            future.add_done_callback(report(job))
            futures.append(future)
        try:
            for _ in jobs:
                job, future = done.get()
                try:
                    yield job, future.result()
                except BaseException as exc:  # cancelled by close(): an error like any other
                    yield job, DownloadError(f"cancelled ({type(exc).__name__})")
        finally:
            for future in futures:
                future.cancel()

    async def _job(self, job: Job, limits: Limits, cancelled) -> Response | DownloadError:
        try:
            return await self._guarded(job.url, limits, job.headers, None, False, cancelled)
        except DownloadError as exc:
            return exc

    async def _guarded(self, url: str, limits: Limits, headers: dict[str, str], sink, raw: bool,
                       cancelled: Callable[[], bool] | None = None) -> Response:
        host = self._hosts.setdefault(host_of(url), asyncio.Semaphore(PER_HOST))
        # At most PER_HOST requests to one server at once; like a slot, one still running after a
        # quarter of its deadline lets the next go, so a server that drips never holds the others.
        await host.acquire()
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                host.release()

        timer = asyncio.get_running_loop().call_later(limits.timeout_s / 4, release)
        try:
            return await self._in_slot(url, limits, headers, sink, raw, cancelled)
        finally:
            timer.cancel()
            release()

    async def _in_slot(self, url: str, limits: Limits, headers: dict[str, str], sink, raw: bool,
                       cancelled: Callable[[], bool] | None) -> Response:
        slot = await self._slots.take(limits.timeout_s / 4)
        at = [url]  # where the request is: the host to name when it fails
        try:
            if cancelled is not None and cancelled():
                raise DownloadError("cancelled")
            async with asyncio.timeout(limits.timeout_s):
                return await self._follow(url, limits, headers, sink, raw, at)
        except TimeoutError:
            raise DownloadError(f"timed out (no complete answer from {host_of(at[0])} "
                                f"within {limits.timeout_s:g} s)") from None
        except DownloadError:
            raise
        except _Theirs as exc:  # the caller's own error: theirs to report
            raise exc.args[0] from None
        except Exception as exc:  # whatever a server or a URL made httpx, h11 or idna raise
            raise DownloadError(describe(exc, at[0])) from None
        finally:
            self._slots.give_back(slot)

    async def _follow(self, url: str, limits: Limits, headers: dict[str, str], sink, raw: bool,
                      at: list[str]) -> Response:
        import httpx

        current = check_url(url)
        at[0] = current
        stall = limits.stall_s or limits.timeout_s
        timeout = httpx.Timeout(stall, pool=None)
        asked = {"Accept-Encoding": "identity" if raw else "gzip, deflate", **headers}
        for _ in range(MAX_REDIRECTS + 1):
            async with self._client.stream("GET", current, headers=asked, timeout=timeout) as response:
                found = {k.lower(): v for k, v in response.headers.items()}
                location = response.extensions.get(_LOCATION)
                if location is not None:
                    found["location"] = location
                    try:
                        current = check_url(urljoin(current, location.strip()))
                    except (BadURL, ValueError) as exc:  # ValueError: urljoin's, for 'http://[x'
                        why = exc if isinstance(exc, BadURL) else f"'{printable(location, 120)}' is not a valid URL"
                        raise DownloadError(f"{host_of(at[0])} redirected to an address that cannot be "
                                            f"fetched: {why}") from None
                    at[0] = current
                    continue
                if not 200 <= response.status_code < 300:
                    return Response(current, response.status_code, found)
                head = Response(current, response.status_code, found)
                write = None
                if sink is not None:
                    try:
                        write = sink(head)
                    except Exception as exc:
                        raise _Theirs(exc) from None
                body = await self._body(response, found, limits, write, raw)
                return Response(current, response.status_code, found, body)
        raise DownloadError(f"too many redirects (more than {MAX_REDIRECTS}), the last to {host_of(current)}")

    @staticmethod
    async def _body(response, found: dict[str, str], limits: Limits, write, raw: bool) -> bytes:
        limit = limits.max_bytes
        encoded = found.get("content-encoding", "")
        decoder = None if raw else _Decoder(encoded)
        declared = found.get("content-length", "").strip()
        if (decoder is None or not decoder.layers) and re.fullmatch(r"[0-9]{1,19}", declared) and int(declared) > limit:
            raise TooLarge(_too_large(limit))
        body = bytearray()
        size = 0
        loop = asyncio.get_running_loop()
        window_start, window_bytes = loop.time(), 0
        stall = limits.stall_s or limits.timeout_s

        def take(piece: bytes) -> None:
            nonlocal size
            size += len(piece)
            if size > limit:
                raise TooLarge(_too_large(limit))
            if write is not None:
                try:
                    write(piece)
                except Exception as exc:
                    raise _Theirs(exc) from None
            else:
                body.extend(piece)

        async for chunk in response.aiter_raw():
            if limits.min_bytes_per_s:  # a drip that never stalls long enough for a read timeout
                window_bytes += len(chunk)
                now = loop.time()
                if now - window_start >= stall:
                    if window_bytes < limits.min_bytes_per_s * (now - window_start):
                        raise DownloadError(f"{host_of(str(response.url))} sends too slowly "
                                            f"({window_bytes} bytes in {now - window_start:.0f} s)")
                    window_start, window_bytes = now, 0
            try:
                for piece in ([chunk] if decoder is None else decoder.feed(chunk)):
                    take(piece)
            except zlib.error:
                raise DownloadError("the response's compression is broken") from None
        if decoder is not None:
            try:
                for piece in decoder.end():
                    take(piece)
            except zlib.error:
                raise DownloadError("the response's compression is broken") from None
        return bytes(body)


_LOCATION = "newsreader.location"


async def _take_location(response) -> None:
    """httpx parses a redirect's Location (to offer the next request) even when it follows no
    redirect, and a host its parser or IDNA refuses is an exception that names no target. The
    Location is taken out before it looks (into the response's extensions) and followed here."""
    if response.status_code in _REDIRECTS and "location" in response.headers:
        response.extensions[_LOCATION] = response.headers["location"]
        del response.headers["location"]


def _too_large(limit: int) -> str:
    return f"larger than the {limit / 1_048_576:g} MB limit; not read"


def default_user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("newsreader")
    except PackageNotFoundError:
        number = "dev"
    return f"newsreader/{number} (terminal news and feed reader; +https://pypi.org/project/newsreader/)"


def get(url: str, limits: Limits, headers: dict[str, str] | None = None, **options) -> Response:
    """One GET with a session of its own (`Session.get`)."""
    with Session(parallel=1) as session:
        return session.get(url, limits, headers, **options)

"""A real HTTP server on 127.0.0.1 for tests that download (feeds, packages): routes are
set per test, every request is recorded. Nothing leaves the machine.

Routes can also misbehave as servers on the internet do: drip the body (or the headers) a
byte at a time, send a body that never ends, send bytes precompressed as given (a
`Content-Encoding: gzip, gzip` bomb: `bomb()`), headers with bytes that are not ASCII, and
redirects to any Location at all."""

from __future__ import annotations

import functools
import gzip
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answer 304 to a matching If-None-Match
    last_modified: str | None = None  # answer 304 to an equal If-Modified-Since
    gzip: bool = False
    delay_s: float = 0.0  # wait before answering (a timeout test)
    # Answer only once the test sets this: a download held in flight for exactly as long as the
    # test needs (no fixed delay to outlast a loaded machine, none to wait out when it is quick).
    hold: threading.Event | None = None
    location: str | None = None  # a redirect
    cut_after: int | None = None  # send this many bytes of the body, then drop the connection
    support_ranges: bool = False
    drip_s: float | None = None  # send the body a byte at a time, this long apart
    drip_headers_s: float | None = None  # the same for the header lines (the body never comes)
    endless: bytes | None = None  # after the body, send this again and again, never ending
    endless_gap_s: float = 0.0  # pause between two endless pieces


@functools.lru_cache(maxsize=4)
def bomb(size: int = 512 * 1024**2, layers: int = 2) -> bytes:
    """`size` zero bytes gzipped `layers` times over (512 MB twice gzipped: about 1 KB; 2 s to
    make, once per process). Serve it with `headers={"Content-Encoding": "gzip, gzip"}`."""
    import zlib

    data = b""
    for layer in range(layers):
        packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        if layer == 0:
            block = bytes(1 << 20)
            parts = [packer.compress(block) for _ in range(size >> 20)]
        else:
            parts = [packer.compress(data)]
        data = b"".join(parts) + packer.flush()
    return data


class Server:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        self.in_flight = 0  # requests being answered now, and the most there ever were at once
        self.most_at_once = 0
        self._counting = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                with server._counting:
                    server.in_flight += 1
                    server.most_at_once = max(server.most_at_once, server.in_flight)
                try:
                    self._answer()
                finally:
                    with server._counting:
                        server.in_flight -= 1

            def _answer(self):
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if route.delay_s and server.stop.wait(route.delay_s):
                    return
                while route.hold is not None and not route.hold.wait(0.05):
                    if server.stop.is_set():
                        return
                if route.drip_headers_s is not None:
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    for byte in b"Content-Type: application/rss+xml\r\nX-Slow: " + b"x" * 100_000:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        if server.stop.wait(route.drip_headers_s):
                            return
                    return
                if route.location:
                    self.send_response(route.status if route.status in (301, 302, 307, 308) else 302)
                    self.send_header("Location", route.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag or (
                        route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified):
                    self.send_response(304)
                    self.end_headers()
                    return
                body = route.body
                status = route.status
                start = 0
                ranged = self.headers.get("Range", "")
                if route.support_ranges and ranged.startswith("bytes=") and ranged.endswith("-"):
                    start = int(ranged[6:-1])
                    status = 206
                if route.gzip:
                    body = gzip.compress(body)
                self.send_response(status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.gzip:
                    self.send_header("Content-Encoding", "gzip")
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                if status == 206:
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                body = body[start:]
                if route.endless is None:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                if route.drip_s is not None:
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        if server.stop.wait(route.drip_s):
                            return
                    return
                if route.endless is not None:
                    self.wfile.write(body)
                    while not server.stop.is_set():
                        self.wfile.write(route.endless)
                        self.wfile.flush()
                        if route.endless_gap_s and server.stop.wait(route.endless_gap_s):
                            return
                    return
                if route.cut_after is not None and start == 0:
                    self.wfile.write(body[:route.cut_after])
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # A client that gives up mid-body (a size limit, a timeout) is expected: no traceback on stderr.
        self.httpd.handle_error = lambda request, client_address: None
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

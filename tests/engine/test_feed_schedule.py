"""What a feed's server asks for is honoured (index/feeds/schedule.py): a 429 or 503's
Retry-After by every fetch, the feed's <ttl> and Cache-Control max-age by the fetches
newsreader makes on its own (FetchOptions.scheduled); and no server gets more than
http_download.PER_HOST requests at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from newsreader.index import FetchOptions, Library
from newsreader.index.feeds import schedule
from newsreader.index.http_download import PER_HOST

from local_http import Route

OPTIONS = FetchOptions(timeout=10, parallel=4)


def rss(key: str, ttl: str = "") -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{ttl}<item><guid>{key}</guid>'
            f"<title>Harbour strike ends {key}</title><description>Dock workers ended their strike on Monday after "
            f"the port agreed to raise wages ({key}).</description></item></channel></rss>").encode()


def test_ttl_and_max_age_hold_back_scheduled_fetches_only(tmp_path, server):
    server.routes["/ttl.rss"] = Route(rss("a", "<ttl>60</ttl>"))
    server.routes["/cc.rss"] = Route(rss("b"), headers={"Cache-Control": "public, max-age=600"})
    server.routes["/plain.rss"] = Route(rss("c"), headers={"Cache-Control": "no-cache, max-age=600"})
    scheduled = replace(OPTIONS, scheduled=True)
    with Library(tmp_path / "lib") as lib:
        for name in ("ttl", "cc", "plain"):
            lib.subscribe(server.url(f"/{name}.rss"), name=name)
        assert {o.name: o.status for o in lib.fetch(options=scheduled)} == {"ttl": "new", "cc": "new", "plain": "new"}
        outcomes = {o.name: o for o in lib.fetch(options=scheduled)}
        assert outcomes["ttl"].status == "waiting" and outcomes["ttl"].why == "ttl"
        assert outcomes["cc"].status == "waiting" and outcomes["cc"].why == "max-age"
        assert outcomes["plain"].status == "unchanged"
        until = dt.datetime.fromisoformat(outcomes["ttl"].until.replace("Z", "+00:00"))
        assert 3500 < (until - dt.datetime.now(dt.timezone.utc)).total_seconds() <= 3600
        assert "not due until" in outcomes["ttl"].summary()
        assert [len(server.hits(f"/{n}.rss")) for n in ("ttl", "cc", "plain")] == [1, 1, 2]
        lib.fetch(options=OPTIONS)  # asked for by the reader: fetched
        assert [len(server.hits(f"/{n}.rss")) for n in ("ttl", "cc", "plain")] == [2, 2, 3]


def test_retry_after_holds_back_every_fetch(tmp_path, server):
    server.routes["/busy.rss"] = Route(b"slow down", status=429, headers={"Retry-After": "120"})
    server.routes["/down.rss"] = Route(b"maintenance", status=503, headers={
        "Retry-After": (dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=10)).strftime(
            "%a, %d %b %Y %H:%M:%S GMT")})
    with Library(tmp_path / "lib") as lib:
        lib.subscribe(server.url("/busy.rss"), name="busy")
        lib.subscribe(server.url("/down.rss"), name="down")
        first = {o.name: o for o in lib.fetch(options=OPTIONS)}
        assert first["busy"].status == "error" and "the server asks to wait 120 s" in first["busy"].error
        assert first["down"].status == "error"
        again = {o.name: o for o in lib.fetch(options=OPTIONS)}
        assert {o.status for o in again.values()} == {"waiting"}
        assert {o.why for o in again.values()} == {"Retry-After"}
        assert len(server.hits("/busy.rss")) == 1 and len(server.hits("/down.rss")) == 1


def test_one_server_gets_at_most_per_host_requests_at_once(tmp_path, server):
    for n in range(6):
        server.routes[f"/{n}.rss"] = Route(rss(str(n)), delay_s=0.5)
    with Library(tmp_path / "lib") as lib:
        for n in range(6):
            lib.subscribe(server.url(f"/{n}.rss"), name=f"f{n}")
        assert {o.status for o in lib.fetch(options=replace(OPTIONS, parallel=6))} == {"new"}
    assert server.most_at_once == PER_HOST == 2


def test_header_values():
    at = dt.datetime(2024, 10, 7, 12, 0, tzinfo=dt.timezone.utc)
    assert schedule.retry_after("120", at) == 120
    assert schedule.retry_after("Mon, 07 Oct 2024 12:05:00 GMT", at) == 300
    assert schedule.retry_after("Mon, 07 Oct 2024 11:00:00 GMT", at) == 0
    assert schedule.retry_after("soon", at) is None and schedule.retry_after("99999999", at) == schedule.MAX_WAIT_S
    assert schedule.max_age("private, max-age=90") == 90 and schedule.max_age("no-store, max-age=90") is None
    assert schedule.max_age(None) is None and schedule.ttl(b"<channel><ttl> 15 </ttl>") == 900
    assert schedule.ttl(b"<ttl>x</ttl>") is None

"""`newsreader fetch --every INTERVAL`: fetches until SIGTERM or Ctrl-C, which end it between
feeds with status 0, one line a round; the library is whole afterwards; and an `add` in another
process never waits for its downloads."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsreader.index import Library

from local_http import Route

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
NEWSREADER = [sys.executable, "-m", "newsreader.tui.cli"]


def rss(*keys: str) -> bytes:
    items = "".join(f"<item><guid>{k}</guid><title>Harbour strike ends {k}</title><description>Dock workers ended "
                    f"their strike on Monday after the port agreed to raise wages ({k}).</description></item>"
                    for k in keys)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


def newsreader(lib: Path, *argv: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([*NEWSREADER, "--library", str(lib), *argv], capture_output=True, text=True,
                          timeout=300, **options)


def every(lib: Path, seconds: str = "1s") -> subprocess.Popen:
    return subprocess.Popen([*NEWSREADER, "--library", str(lib), "fetch", "--every", seconds],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_three_rounds_then_sigterm_or_ctrl_c_leave_a_whole_library(tmp_path, server, stop):
    server.routes["/f.rss"] = Route(rss("a"))
    lib = tmp_path / "lib"
    assert newsreader(lib, "feeds", "add", server.url("/f.rss"), "--name", "f").returncode == 0
    fetching = every(lib)
    rounds = [fetching.stdout.readline() for _ in range(3)]
    server.routes["/f.rss"] = Route(rss("a", "b"))  # a new item, for the fetch after it stopped
    fetching.send_signal(stop)
    out, err = fetching.communicate(timeout=120)
    assert fetching.returncode == 0, err
    assert "1 feed: 1 new article; next at" in rounds[0]
    assert all("1 feed: 0 new articles; next at" in line for line in rounds[1:])
    assert "Traceback" not in err and len(server.hits("/f.rss")) >= 3
    with Library(lib) as library:  # nothing to repair: opens without a notice, finds what it stored
        assert [s.title for s in library.articles()] == ["Harbour strike ends a"]
        assert library.notices == [] and library.search("harbour")
    fetched = newsreader(lib, "fetch", "--json")
    assert fetched.returncode == 0 and [o["status"] for o in json.loads(fetched.stdout)] == ["new"]
    listed = json.loads(newsreader(lib, "list", "--json").stdout)
    assert sorted(a["title"] for a in listed) == ["Harbour strike ends a", "Harbour strike ends b"]
    rebuilt = newsreader(lib, "rebuild")  # from the catalog: the same two articles, nothing lost or doubled
    assert rebuilt.returncode == 0 and "events of 2 articles" in rebuilt.stderr, rebuilt.stderr


def test_bad_interval_is_one_line(tmp_path):
    for value in ("30", "0s", "5d", "1.5h"):
        done = newsreader(tmp_path / "lib", "fetch", "--every", value)
        assert done.returncode == 2 and "is not an interval; write it as 30m, 90s or 2h" in done.stderr, value


def delivered(process: subprocess.Popen, sig: int, timeout: float = 10) -> None:
    """Wait until `sig`, sent to `process`, is no longer pending (Linux: /proc/PID/status):
    its handler has run."""
    bit = 1 << (sig - 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = 0
        for status in Path(f"/proc/{process.pid}/task").glob("*/status"):
            try:
                lines = status.read_text().splitlines()
            except OSError:  # a thread that ended
                continue
            pending |= sum(int(line.split()[1], 16) for line in lines if line.startswith(("SigPnd:", "ShdPnd:")))
        if not pending & bit:
            return
        time.sleep(0.01)
    raise AssertionError(f"signal {sig} still pending after {timeout} s")


@pytest.mark.slow
def test_an_add_elsewhere_never_waits_for_fetch_every_downloads(tmp_path, server):
    answer = threading.Event()  # the feed answers only when set (the timeout is 20 s)
    server.routes["/slow.rss"] = Route(rss("s"), hold=answer)
    lib = tmp_path / "lib"
    assert newsreader(lib, "add", str(SEEDS / "000_11a42b1f17f82f3e.txt")).returncode == 0
    assert newsreader(lib, "feeds", "add", server.url("/slow.rss"), "--name", "slow").returncode == 0
    fetching = every(lib, "1h")
    try:
        while not server.hits("/slow.rss"):  # the fetch is downloading now
            assert fetching.poll() is None, fetching.communicate()
            time.sleep(0.05)
        added = newsreader(lib, "add", str(SEEDS / "002_2e250433782985ab.txt"), "--json")
        assert added.returncode == 0 and len(json.loads(added.stdout)["added"]) == 1
        assert "waiting for another newsreader" not in added.stderr, added.stderr
        assert fetching.poll() is None and server.in_flight == 1  # still downloading: the add did not wait
        with Library(lib) as library:
            assert not any(a.id.startswith("slow-") for a in library.articles())
    finally:
        fetching.send_signal(signal.SIGTERM)  # while the feed is downloading: it is stored whole, then it stops
        delivered(fetching, signal.SIGTERM)
        answer.set()
        out, err = fetching.communicate(timeout=120)
    assert fetching.returncode == 0, err
    assert "1 feed: 1 new article; stopped" in out  # the feed being downloaded was stored whole
    with Library(lib) as library:
        assert sum(a.id.startswith("slow-") for a in library.articles()) == 1

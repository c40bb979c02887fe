"""Worker processes of an add: started as the add's own children, reaped, and never left
behind when the add is killed (issue 9, item 16)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

SENTENCE = ("The minister met the delegation in the capital on Monday to discuss energy, trade and the "
            "security of the region, officials said after the talks. ")


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie holds no memory and no pipes


@pytest.fixture
def many_files(tmp_path: Path) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(1500):
        (folder / f"{i:04d}.txt").write_text(f"Report number {i}\n\n" + SENTENCE * 12, encoding="utf-8")
    return folder


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_an_add_leaves_no_worker(tmp_path: Path, many_files: Path, sig: int):
    exe = shutil.which("newsreader", path=str(Path(sys.executable).parent))
    add = subprocess.Popen([exe, "--library", str(tmp_path / "lib"), "add", str(many_files)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        workers: list[int] = []
        deadline = time.monotonic() + 60
        while not workers and add.poll() is None and time.monotonic() < deadline:
            workers = _children(add.pid)
            time.sleep(0.02)
        assert workers, "the add finished or stalled before starting worker processes"
        time.sleep(0.3)  # let them get busy
        workers = _children(add.pid) or workers
        # Forked by the add itself (no fork server in between): the add waits for them, and
        # their CPU time counts as its children's (RUSAGE_CHILDREN, /usr/bin/time).
        for worker in workers:
            assert b"forkserver" not in Path(f"/proc/{worker}/cmdline").read_bytes()
        add.send_signal(sig)
        add.wait(timeout=30)
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "workers outlived the killed add"
        # Nothing holds the add's pipes open any more: reading them reaches the end.
        add.stdout.read()
        add.stderr.read()
    finally:
        if add.poll() is None:
            add.kill()
            add.wait()
        add.stdout.close()
        add.stderr.close()


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        children = _children(todo.pop())
        found += children
        todo += children
    return found


ADD_FROM_A_THREAD = """
import sys, threading
from newsreader.index import Library
threading.Thread(target=threading.Event().wait, daemon=True).start()  # as in the app: not single-threaded
library = Library(sys.argv[1])
library.add([sys.argv[2]])
"""


def test_killing_an_add_made_from_a_thread_leaves_no_fork_server_or_worker(tmp_path: Path, many_files: Path):
    """In the app an add runs beside other threads, so its workers come from a fork server.
    Each of them holds the server's "alive" pipe (multiprocessing hands it to every child),
    so when the app was killed the server never saw it go, and neither did the workers: they
    lived on with parent 1, holding the library's files. They now watch the add's process."""
    add = subprocess.Popen([sys.executable, "-c", ADD_FROM_A_THREAD, str(tmp_path / "lib"), str(many_files)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    everything: list[int] = []
    try:
        workers: list[int] = []
        deadline = time.monotonic() + 60
        while add.poll() is None and time.monotonic() < deadline:
            workers = [p for p in _descendants(add.pid)
                       if b"forkserver" in Path(f"/proc/{p}/cmdline").read_bytes()]
            if len(workers) >= 2:  # the server and at least one worker it forked
                break
            time.sleep(0.02)
        assert len(workers) >= 2, "the add finished or stalled before its fork server started workers"
        time.sleep(0.3)
        everything = _descendants(add.pid)
        add.kill()
        add.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in everything) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p in everything if _alive(p)], "processes outlived the killed add"
    finally:
        if add.poll() is None:
            add.kill()
            add.wait()
        for pid in everything:  # never leave them running after a failure
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        add.stdout.close()
        add.stderr.close()

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

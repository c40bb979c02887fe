"""Worker processes that never outlive what started them.

An add's workers (pipeline.py) hold the caller's pipes and the library's files: a killed add
must take them with it. How they are started, and how each watches its parent.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager


def start_method() -> str:
    """fork is fastest, and a forked worker is this process's child: waited for at the end, so
    its CPU time shows in this process's RUSAGE_CHILDREN (and /usr/bin/time). Forking a process
    that runs other threads (the app calls this from a worker thread) can deadlock; then use a
    fork server (the command line keeps itself single-threaded until its workers are started)."""
    return "fork" if threading.active_count() == 1 else "forkserver"


@contextmanager
def stderr_with_a_descriptor():
    """multiprocessing hands sys.stderr's file descriptor to the helper process it starts (its
    resource tracker); a caller that replaced sys.stderr with an object without one (the app
    captures output: fileno() is -1) made every parallel add there fail with "bad value(s) in
    fds_to_keep". Meanwhile the process's real stderr stands in."""
    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable or sys.__stderr__ is None:
        yield
        return
    replaced, sys.stderr = sys.stderr, sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = replaced


def worker_started(parent: int | None, owner: int | None = None) -> None:
    """Runs first in each worker: a worker must never outlive the add that started it (a
    killed add would leave it holding the caller's pipes and the library's files). On Linux
    the kernel kills it when its parent dies; elsewhere a thread checks every second that the
    parent is still there. `owner` is the add's process: with a fork server in between, the
    worker watches it too, because the server does not die with the add while its workers
    live (multiprocessing hands every worker the server's "alive" pipe)."""
    original = os.getppid()
    if not (sys.platform.startswith("linux") and die_with_parent()):
        threading.Thread(target=_watch_parent, args=(original,), daemon=True).start()
    if parent is not None and os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if owner is not None and owner != original:
        threading.Thread(target=_watch_owner, args=(owner,), daemon=True).start()


def _watch_owner(owner: int) -> None:
    """Ends this worker when the `owner` process ends: at once through a pidfd on Linux,
    otherwise by asking every second whether it is still there."""
    import select
    import time

    try:
        handle = os.pidfd_open(owner)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd here: poll
        while True:
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:
                pass
            time.sleep(1.0)
    select.select([handle], [], [])  # readable once the owner has exited
    os._exit(1)


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Have the kernel send `sig` to this process when its parent dies (Linux); False where
    it cannot."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(original: int) -> None:
    import time

    while os.getppid() == original:
        time.sleep(1.0)
    os._exit(1)

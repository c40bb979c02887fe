"""Preparing files in worker processes: reading, detecting and analysing run in parallel while
the library stores what comes back.

Small adds stay in-process (starting workers costs more than it saves). A large file (a JSONL
dump, a big feed) is read here and its articles are spread over the workers.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing import get_context

from .ingest import PreparedFile, prepare_articles, prepare_file, prepare_many

PARALLEL_MIN_FILES = 48  # below this, starting worker processes costs more than it saves
CHUNK_FILES = 24
SPLIT_FILE_BYTES = 512 * 1024  # a file this large has its articles prepared in parallel
CHUNK_ARTICLES = 64

Job = tuple  # (path, known hash or None, forced language or None): prepare_file's arguments

# An add reports `progress(done, total, unit)`; `unit` says what is counted:
FILES = "files"          # files read and prepared
ARTICLES = "articles"    # the articles of one large file, prepared (a file can hold thousands)
STORED = "stored"        # the articles of one large file, stored in the catalog and the index
INDEXING = "indexing"    # the search index and the events catching up (total 0: size unknown)


def default_workers() -> int:
    return min(os.cpu_count() or 1, 4)


def index_writers(workers: int) -> int:
    """Processes writing index segments beside `workers` preparing ones: Whoosh's share of an
    article's work is about half of the preparing, and each writer adds a segment."""
    return max(1, workers // 2)


def parallel(jobs: list[Job], workers: int) -> bool:
    """Whether these jobs are prepared in worker processes (and their index written in others)."""
    return workers >= 2 and (len(jobs) >= PARALLEL_MIN_FILES
                             or any(_size(job[0]) >= SPLIT_FILE_BYTES for job in jobs))


def start_method() -> str:
    """fork is fastest, and a forked worker is this process's child: waited for at the end, so
    its CPU time shows in this process's RUSAGE_CHILDREN (and /usr/bin/time). Forking a process
    that runs other threads (the app calls this from a worker thread) can deadlock; then use a
    fork server (the command line keeps itself single-threaded until its workers are started)."""
    return "fork" if threading.active_count() == 1 else "forkserver"


def prepare(jobs: list[Job], workers: int, articles=None) -> Iterator[PreparedFile]:
    """Prepared files, in no particular order, as soon as each is ready; `articles(done, total)`
    follows the articles of each large file as they are prepared. Prepared in worker processes,
    an article's terms come as pickled bytes (the main process passes them on to the index
    writers unread)."""
    sizes = {job[0]: _size(job[0]) for job in jobs}
    large = [job for job in jobs if sizes[job[0]] >= SPLIT_FILE_BYTES]
    if not parallel(jobs, workers):
        for job in jobs:
            if sizes[job[0]] >= SPLIT_FILE_BYTES and articles is not None:
                yield prepare_file(*job, preparer=_counted(_in_process, articles))
            else:
                yield prepare_file(*job)
        return
    small = [job for job in jobs if sizes[job[0]] < SPLIT_FILE_BYTES]
    chunks = [small[i:i + CHUNK_FILES] for i in range(0, len(small), CHUNK_FILES)]
    method = start_method()
    parent = os.getpid() if method == "fork" else None
    with _stderr_with_a_descriptor():
        pool = ProcessPoolExecutor(workers, mp_context=get_context(method), initializer=_worker_started,
                                   initargs=(parent, os.getpid()))
        pool.submit(int).result()  # the helper processes start now, while stderr has a descriptor
    try:
        # as_completed lets go of each future once it has been handed out, and nothing else
        # here keeps one: a chunk's prepared files are freed once stored (flat memory).
        done = as_completed([pool.submit(prepare_many, chunk, True) for chunk in chunks])

        def pooled(parts, forced_lang):
            count = len(parts)
            return pool.map(prepare_articles, parts, [forced_lang] * count, [True] * count)

        for job in large:
            yield prepare_file(*job, preparer=_counted(pooled, articles))
        for future in done:
            files = future.result()
            del future
            while files:
                yield files.pop(0)  # the consumer drops it once stored; no list keeps it
    finally:
        # Reap every worker (their CPU time then counts as this process's children's); an add
        # that stops early (an error, Ctrl-C) drops the chunks not started yet.
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _stderr_with_a_descriptor():
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


def _in_process(parts, forced_lang):
    return (prepare_articles(part, forced_lang) for part in parts)


def _counted(prepare_parts, articles):
    """A preparer that splits a large file's articles into parts, has `prepare_parts` prepare
    them (lazily, in order) and reports `articles(done, total)` as each part comes back."""
    def preparer(drafts, forced_lang):
        parts = [drafts[i:i + CHUNK_ARTICLES] for i in range(0, len(drafts), CHUNK_ARTICLES)]
        prepared = []
        if articles is not None:
            articles(0, len(drafts))
        for part in prepare_parts(parts, forced_lang):
            prepared.extend(part)
            if articles is not None:
                articles(len(prepared), len(drafts))
        return prepared
    return preparer


def _worker_started(parent: int | None, owner: int | None = None) -> None:
    """Runs first in each worker: a worker must never outlive the add that started it (a
    killed add would leave it holding the caller's pipes and the library's files). On Linux
    the kernel kills it when its parent dies; elsewhere a thread checks every second that the
    parent is still there. `owner` is the add's process: with a fork server in between, the
    worker watches it too, because the server does not die with the add while its workers
    live (multiprocessing hands every worker the server's "alive" pipe)."""
    original = os.getppid()
    if not (sys.platform.startswith("linux") and _parent_death_signal(signal.SIGKILL)):
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


def _parent_death_signal(sig: int) -> bool:
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


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def stream(ready: Iterable[PreparedFile], jobs: list[Job], workers: int, progress=None) -> Iterator[PreparedFile]:
    """`ready` first, then the prepared jobs, reporting `progress(done, total, FILES)` as they
    come, and `progress(done, total, ARTICLES)` within a large file."""
    ready = list(ready)
    total = len(ready) + len(jobs)
    done = len(ready)
    yield from ready
    if progress:
        progress(done, total, FILES)
    articles = (lambda d, t: progress(d, t, ARTICLES)) if progress else None
    for prepared in prepare(jobs, workers, articles):
        done += 1
        if progress:
            progress(done, total, FILES)
        yield prepared

"""Preparing files in worker processes: reading, detecting and analysing run in parallel while
the library stores what comes back.

Small adds stay in-process (starting workers costs more than it saves). A large file (a JSONL
dump, a big feed) is read here and its articles are spread over the workers.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from .ingest import PreparedFile, prepare_articles, prepare_file, prepare_many
from .processes import start_method, stderr_with_a_descriptor, worker_started

PARALLEL_MIN_FILES = 48  # below this, starting worker processes costs more than it saves
CHUNK_FILES = 24
SPLIT_FILE_BYTES = 512 * 1024  # a file this large has its articles prepared in parallel
CHUNK_ARTICLES = 64

Job = tuple[str, "str | None", "str | None"]  # (path, known hash, forced language): prepare_file's arguments

# An add reports `progress(done, total, unit)`; `unit` says what is counted:
FILES = "files"          # files read and prepared
ARTICLES = "articles"    # the articles of one large file, prepared (a file can hold thousands)
STORED = "stored"        # the articles of one large file, stored in the catalog and the index
INDEXING = "indexing"    # the search index and the events catching up (total 0: size unknown)


def default_workers() -> int:
    return min(os.cpu_count() or 1, 4)


def parallel(jobs: list[Job], workers: int) -> bool:
    """Whether these jobs are prepared in worker processes."""
    return workers >= 2 and (len(jobs) >= PARALLEL_MIN_FILES
                             or any(_size(job[0]) >= SPLIT_FILE_BYTES for job in jobs))


def prepare(jobs: list[Job], workers: int, articles=None) -> Iterator[PreparedFile]:
    """Prepared files, in no particular order, as soon as each is ready; `articles(done, total)`
    follows the articles of each large file as they are prepared. Prepared in worker processes,
    an article's terms come as pickled bytes (unpickled where the index is written)."""
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
    with stderr_with_a_descriptor():
        pool = ProcessPoolExecutor(workers, mp_context=get_context(method), initializer=worker_started,
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


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def stream(ready: Iterable[PreparedFile], jobs: list[Job], workers: int,
           progress=None) -> Generator[PreparedFile, None, None]:
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

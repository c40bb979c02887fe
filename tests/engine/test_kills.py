"""Crash safety: SIGKILL at random points during add, remove, prune and an index rebuild.

After every kill the library opens and searches, holds exactly the articles of before or of
after the command (never half, never a duplicate in the index), and running the command again
completes it. Each command runs in a child forked after the engine is imported, so a kill
point costs milliseconds, not an interpreter start.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from newsreader.index import Library

TEXT = ("The Russian president met his Iranian counterpart in Ashgabat on {day} to discuss trade, "
        "gas exports and regional security; item {i} of the wire.")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
KILLS = {"add": 20, "remove": 5, "prune": 6, "rebuild": 6}  # random kill points per command


def write_corpus(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"w{i:03}.txt").write_text(TEXT.format(day=DAYS[i % 5], i=i))
    return folder


def state(folder: Path) -> set[str]:
    """The visible articles; the index must agree exactly (no article missing, none twice)."""
    with Library(folder, workers=1) as library:
        ids = [a.id for a in library.articles()]
        hits = [r.article.id for r in library.search("Ashgabat", limit=None)]
        library.events()
    assert len(ids) == len(set(ids))
    assert sorted(hits) == sorted(ids), "the index and the catalog disagree"
    return set(ids)


def in_child(action) -> int:
    """Fork; the child runs `action` on a fresh Library and exits. Returns the child's pid."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            action()
        except BaseException:
            code = 1
        os._exit(code)
    return pid


def timed(action) -> float:
    start = time.monotonic()
    pid = in_child(action)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return time.monotonic() - start


def kill_at(action, delay: float) -> None:
    pid = in_child(action)
    time.sleep(delay)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def run_kills(name: str, prepare, action, before: set[str], after: set[str], seed: int) -> None:
    """`prepare()` resets the library to its before-state (a copy); `action` is the command."""
    rng = random.Random(seed)
    prepare()
    duration = timed(action)
    assert state(FOLDER[0]) == after
    for _ in range(KILLS[name]):
        prepare()
        kill_at(action, rng.uniform(0, duration * 1.1))
        found = state(FOLDER[0])
        assert found in (before, after), f"{name}: killed halfway left {len(found)} articles"
        timed(action)  # running it again completes it
        assert state(FOLDER[0]) == after


FOLDER: list[Path] = []


@pytest.fixture
def library_copy(tmp_path):
    """A library of 40 articles, and a way to put it back as it was before each kill."""
    import shutil

    corpus = write_corpus(tmp_path / "corpus", 40)
    template = tmp_path / "template"
    with Library(template, workers=1) as library:
        library.add([corpus / f"w{i:03}.txt" for i in range(20)])
        library.events()
    folder = tmp_path / "library"
    FOLDER[:] = [folder]

    def prepare() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(template, folder)
        for i in range(40):
            path = corpus / f"w{i:03}.txt"
            if not path.exists():
                path.write_text(TEXT.format(day=DAYS[i % 5], i=i))

    prepare()
    return folder, corpus, prepare, {f"w{i:03}" for i in range(20)}


@pytest.mark.slow
def test_kills_during_add(library_copy):
    folder, corpus, prepare, first = library_copy

    def add():
        with Library(folder, workers=1) as library:
            library.add([corpus])

    run_kills("add", prepare, add, first, {f"w{i:03}" for i in range(40)}, seed=1)


@pytest.mark.slow
def test_kills_during_a_parallel_add(library_copy, monkeypatch):
    """The same with worker processes preparing the files (that none outlives its add is
    tests/engine/test_workers.py's): a kill leaves no segment committed without the catalog."""
    from newsreader.index import pipeline

    folder, corpus, prepare, first = library_copy
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 2)  # the forked child inherits it

    def add():
        with Library(folder, workers=2) as library:
            library.add([corpus])

    run_kills("add", prepare, add, first, {f"w{i:03}" for i in range(40)}, seed=6)


def test_kills_during_remove(library_copy):
    folder, corpus, prepare, first = library_copy
    gone = {f"w{i:03}" for i in range(10)}

    def remove():
        with Library(folder, workers=1) as library:
            for article_id in sorted(gone):
                library.remove(article_id)  # again after a kill: a no-op

    # A remove of several ids is several changes: each is atomic, so a kill may leave some done.
    rng = random.Random(2)
    prepare()
    duration = timed(remove)
    for _ in range(KILLS["remove"]):
        prepare()
        kill_at(remove, rng.uniform(0, duration * 1.1))
        found = state(folder)
        assert first - gone <= found <= first
        timed(remove)
        assert state(folder) == first - gone
    # and forgetting a whole folder, one change
    prepare()

    def forget():
        with Library(folder, workers=1) as library:
            if library.articles():
                library.remove(str(corpus))

    run_kills("remove", prepare, forget, first, set(), seed=3)


def test_kills_during_prune(library_copy):
    folder, corpus, prepare, first = library_copy
    vanished = {f"w{i:03}" for i in range(0, 20, 2)}

    def prune():
        for article_id in vanished:
            (corpus / f"{article_id}.txt").unlink(missing_ok=True)
        with Library(folder, workers=1) as library:
            library.prune()

    run_kills("prune", prepare, prune, first, first - vanished, seed=4)


def test_kills_during_a_rebuild(library_copy):
    folder, corpus, prepare, first = library_copy

    def rebuild():
        with Library(folder, workers=1) as library:
            library.rebuild()

    run_kills("rebuild", prepare, rebuild, first, first, seed=5)
    prepare()
    timed(rebuild)
    assert not (folder / "whoosh.new").exists() and not (folder / "whoosh.old").exists()

"""Faults around the library (issue 9): a damaged search index is rebuilt, a damaged or
missing catalog is said (never repaired silently), a read-only library reads, a full disk is
named, and other processes (an add, a rebuild) make a command wait or answer, never crash."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import pytest

from newsreader.index import Library, LibraryBusy, LibraryError
from newsreader.index.library_lock import LibraryLock
from newsreader.tui.cli import main

from helpers.cli import run, run_process

EN = "The Russian president met his Iranian counterpart in Ashgabat on Friday to discuss trade and regional security."
FR = "Le président russe a rencontré son homologue iranien à Achgabat vendredi pour parler de commerce et de sécurité."
IT = "Il presidente russo ha incontrato il suo omologo iraniano ad Ashgabat venerdì per discutere di commercio e sicurezza."
EVERY = "president OR président OR presidente"


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in (("en.txt", EN), ("fr.txt", FR), ("it.txt", IT)):
        (folder / name).write_text(text)
    return folder


@pytest.fixture
def folder(tmp_path, corpus):
    folder = tmp_path / "library"
    with Library(folder, workers=1) as library:
        library.add([corpus])
    return folder


def found(library: Library, query: str = EVERY) -> list[str]:
    return sorted(r.article.id for r in library.search(query))


def segments(folder: Path) -> list[Path]:
    return sorted((folder / "whoosh").glob("*.seg"))


# -- a damaged search index ----------------------------------------------------------------

DAMAGES = {
    "truncated": lambda seg: os.truncate(seg, seg.stat().st_size // 3),
    "emptied": lambda seg: os.truncate(seg, 0),
    "zeroed": lambda seg: seg.write_bytes(b"\0" * seg.stat().st_size),
    "deleted": lambda seg: seg.unlink(),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_segment_is_rebuilt_from_the_catalog_with_a_notice(folder, damage):
    DAMAGES[damage](segments(folder)[0])
    notices = []
    with Library(folder, on_notice=notices.append) as library:
        assert found(library) == ["en", "fr", "it"]
    assert len(notices) == 1 and "damaged or missing; rebuilding it from the catalog" in notices[0]
    with Library(folder) as library:  # repaired for good: no second rebuild
        assert found(library, "homologue") == ["fr"] and not library.notices


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_segment_damaged_while_the_library_is_open_is_rebuilt_at_the_next_search(folder, damage):
    with Library(folder) as library:
        assert found(library) == ["en", "fr", "it"]
        library._search.close()  # as after an add elsewhere: the next search opens the segments again
        DAMAGES[damage](segments(folder)[0])
        assert found(library) == ["en", "fr", "it"]
        assert any("rebuilding it from the catalog" in n for n in library.notices)


def test_a_file_in_place_of_the_index_folder_is_replaced(folder, capsys):
    shutil.rmtree(folder / "whoosh")
    (folder / "whoosh").write_text("not an index")
    code, out, err = run(capsys, "--library", str(folder), "search", "homologue", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == ["fr"]
    assert "rebuilding it from the catalog" in err and "Traceback" not in err
    assert (folder / "whoosh").is_dir()


def test_a_search_error_that_is_not_the_index_does_not_rebuild_it(folder, monkeypatch):
    from newsreader.index import search_index

    with Library(folder) as library:
        found(library)
        generation = library._search.index.generation()

        def broken(*args, **kwargs):
            raise IndexError("a bug in the query code")

        monkeypatch.setattr(search_index.SearchIndex, "search", broken)
        with pytest.raises(IndexError):
            library.search("president")
        assert library._search.index.generation() == generation and not library.notices


def test_rebuild_command_rebuilds_the_derived_views_and_keeps_the_marks(folder, capsys):
    with Library(folder) as library:
        library.mark(["en"], starred=True)
        library.remove("it")
    shutil.rmtree(folder / "whoosh")
    code, out, err = run(capsys, "--library", str(folder), "rebuild")
    assert code == 0 and "Rebuilt the search index and the events of 2 articles" in err
    with Library(folder) as library:
        assert found(library) == ["en", "fr"]  # the article the reader removed stays out
        assert library.marks("en").starred and library.events()
    code, out, _ = run(capsys, "--library", str(folder), "rebuild", "--json")
    assert code == 0 and json.loads(out) == {"rebuilt": ["search", "events"], "articles": 2}


def test_rebuild_shows_progress_on_stderr(tmp_path, monkeypatch):
    folder = tmp_path / "library"
    many = tmp_path / "many"
    many.mkdir()
    for i in range(120):
        (many / f"n{i}.txt").write_text(f"{EN} Number {i}.")
    with Library(folder, workers=1) as library:
        library.add([many])
    seen = []
    with Library(folder) as library:
        library.rebuild(lambda done, total: seen.append((done, total)), events=lambda: seen.append("events"))
        assert found(library, "Ashgabat").__len__() == 20
    assert seen == [(100, 120), (120, 120), "events"]


# -- other processes ----------------------------------------------------------------------

def test_a_second_add_waits_for_the_first_and_says_so(folder, tmp_path):
    (tmp_path / "de.txt").write_text("Der russische Präsident traf seinen iranischen Amtskollegen in Aschgabat.")
    held = LibraryLock(folder)
    held.acquire(wait=False)  # another newsreader is adding right now
    try:
        adding = subprocess.Popen([sys.executable, "-m", "newsreader.tui.cli", "--library", str(folder), "add",
                                   str(tmp_path / "de.txt")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        line = adding.stderr.readline()
        assert "waiting for another newsreader to finish changing the library" in line
        assert adding.poll() is None  # it waits, it does not fail
    finally:
        held.release()
    out, err = adding.communicate(timeout=120)
    assert adding.returncode == 0, err
    assert out.startswith("1 added") and "Traceback" not in err and "locked" not in err
    with Library(folder) as library:
        assert "de" in {a.id for a in library.articles()}


def test_a_change_that_must_not_wait_says_the_library_is_busy(folder, corpus):
    held = LibraryLock(folder)
    held.acquire(wait=False)
    try:
        with Library(folder, wait=False) as library:
            with pytest.raises(LibraryBusy, match="being changed by another newsreader"):
                library.mark(["en"], read=True)
            with pytest.raises(LibraryBusy):
                library.add([corpus])
            assert found(library) == ["en", "fr", "it"]  # reading goes on meanwhile
    finally:
        held.release()


def test_two_real_adds_at_once_both_complete(tmp_path):
    folder = tmp_path / "library"
    Library(folder).close()
    parts = []
    for part in range(2):
        where = tmp_path / f"part{part}"
        where.mkdir()
        for i in range(30):
            (where / f"p{part}_{i}.txt").write_text(f"{EN} Part {part}, number {i}.")
        parts.append(where)
    runs = [subprocess.Popen([sys.executable, "-m", "newsreader.tui.cli", "--library", str(folder), "add", str(p)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in parts]
    for process in runs:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0 and out.startswith("30 added"), err
        assert "Traceback" not in err and "locked" not in err
    with Library(folder) as library:
        assert len(library.articles()) == 60 and len(library.search("Ashgabat", limit=None)) == 60


def test_search_and_list_answer_while_another_process_rebuilds(folder, capsys):
    held = LibraryLock(folder)
    held.acquire(wait=False)
    try:
        # A rebuild is due (as after an upgrade) and another process holds the library:
        # search answers from the index as it is, list from the catalog.
        with Library(folder) as library:
            library._catalog.set_meta("index_generation", "stale")
        code, out, err = run(capsys, "--library", str(folder), "search", "homologue", "--json")
        assert code == 0 and [r["id"] for r in json.loads(out)] == ["fr"]
        # The other process has moved the old index away: say so, in one line.
        shutil.rmtree(folder / "whoosh")
        code, out, err = run(capsys, "--library", str(folder), "search", "homologue")
        assert code == 2 and "another newsreader is rebuilding the search index; try again in a moment" in err
        assert "Traceback" not in err and not (folder / "whoosh").exists()  # a reader never writes
        code, out, err = run(capsys, "--library", str(folder), "list", "--json")
        assert code == 0 and sorted(a["id"] for a in json.loads(out)) == ["en", "fr", "it"]
    finally:
        held.release()
    code, out, err = run(capsys, "--library", str(folder), "search", "homologue", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == ["fr"]  # now it rebuilds itself


# -- a damaged or missing catalog ----------------------------------------------------------

def damage_pages(catalog: Path) -> bytes:
    data = bytearray(catalog.read_bytes())
    for start in range(4096, len(data), 4096):
        data[start:start + 4096] = b"\x5a" * min(4096, len(data) - start)
    catalog.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("command", [["list"], ["stats"], ["search", "Ashgabat"], ["add", "{corpus}"],
                                     ["events"], ["show", "en"]])
def test_a_damaged_catalog_is_one_clear_line_and_left_untouched(folder, corpus, capsys, command):
    catalog = folder / "catalog.sqlite"
    damaged = damage_pages(catalog)
    argv = [arg.format(corpus=corpus) for arg in command]
    code, out, err = run(capsys, "--library", str(folder), *argv)
    assert code == 2 and "Traceback" not in err
    assert err.count("\n") == 1 and f"the catalog {catalog} is damaged" in err
    assert "restore it from a backup" in err
    assert catalog.read_bytes() == damaged


@pytest.mark.parametrize("how", ["deleted", "truncated"])
def test_a_lost_catalog_does_not_become_an_empty_library(folder, capsys, how):
    catalog = folder / "catalog.sqlite"
    if how == "deleted":
        catalog.unlink()
    else:
        os.truncate(catalog, 0)
    code, out, err = run(capsys, "--library", str(folder), "list")
    assert code == 2 and out == ""
    assert f"the catalog {catalog} is {'missing' if how == 'deleted' else 'empty'}" in err
    assert "restore catalog.sqlite from a backup" in err
    assert catalog.exists() == (how == "truncated")  # nothing was created in its place


# -- read-only libraries ------------------------------------------------------------------

def check_read_only(folder: Path, runner) -> None:
    """Reads work, writes say the library is read-only; nothing in the folder changes."""
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    for argv in (["list"], ["search", "homologue"], ["show", "fr"], ["events"], ["related", "en"]):
        result = runner(*argv)
        assert result.returncode == 0, (argv, result.stderr)
        assert "Traceback" not in result.stderr
        if argv[0] == "search":
            assert "fr" in result.stdout
    for argv in (["add", "/etc/hostname"], ["remove", "fr"], ["rebuild"]):
        result = runner(*argv)
        assert result.returncode == 2 and f"the library at {folder} is read-only" in result.stderr, argv
        assert result.stderr.count("\n") == 1
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before


def test_a_library_opened_read_only_reads_and_refuses_writes(folder, corpus):
    with Library(folder) as library:
        library.events()
    with Library(folder, read_only=True) as library:
        assert found(library) == ["en", "fr", "it"] and len(library.articles()) == 3
        assert library.get("fr").lang == "fr" and library.events()
        for write in (lambda: library.add([corpus]), lambda: library.remove("fr"),
                      lambda: library.mark(["fr"], read=True), lambda: library.prune(), library.rebuild):
            with pytest.raises(LibraryError, match="is read-only"):
                write()


@pytest.fixture
def shared_tmp():
    """A folder other users can reach (pytest's tmp dirs are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="newsreader-ro-"))
    folder.chmod(0o755)
    yield folder
    subprocess.run(["chmod", "-R", "u+w", str(folder)], check=False)
    shutil.rmtree(folder, ignore_errors=True)


def test_a_chmod_read_only_library_reads_and_explains_writes(folder, shared_tmp):
    library = shared_tmp / "library"
    shutil.copytree(folder, library)
    with Library(library) as lib:
        lib.events()
    subprocess.run(["chmod", "-R", "a-w", str(library)], check=True)
    env = dict(os.environ, HOME=str(shared_tmp), XDG_CONFIG_HOME=str(shared_tmp / "config"),
               XDG_CACHE_HOME=str(shared_tmp / "cache"), XDG_DATA_HOME=str(shared_tmp / "data"))
    prefix = []
    if os.geteuid() == 0:  # root writes through chmod: run the commands as nobody
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot drop the privilege to test chmod")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

    def runner(*argv):
        return subprocess.run([*prefix, sys.executable, "-m", "newsreader.tui.cli", "--library", str(library), *argv],
                              capture_output=True, text=True, timeout=120, env=env)

    check_read_only(library, runner)


def test_a_read_only_mount_reads_and_explains_writes(folder, shared_tmp, capsys):
    mount = shared_tmp / "mount"
    mount.mkdir()
    with Library(folder) as lib:
        lib.events()
    if os.geteuid() != 0 or subprocess.run(["mount", "--bind", str(folder), str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("needs root and bind mounts to make a read-only mount")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")

        def runner(*argv):  # in this process: root obeys a read-only mount
            code = main(["--library", str(mount), *argv])
            out, err = capsys.readouterr()
            return types.SimpleNamespace(returncode=code, stdout=out, stderr=err)

        check_read_only(mount, runner)
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# -- a full disk ----------------------------------------------------------------------------

def test_a_full_disk_during_add_is_named_and_the_library_is_as_before(folder, corpus, tmp_path, monkeypatch,
                                                                       capsys):
    """Injected at Whoosh's write layer (the tmpfs test below runs the real thing as root)."""
    from newsreader.index import search_index

    (tmp_path / "de.txt").write_text("Der russische Präsident traf seinen iranischen Amtskollegen in Aschgabat.")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(search_index.SearchIndex, "add", staticmethod(full))
    code, out, err = run(capsys, "--library", str(folder), "add", str(tmp_path / "de.txt"))
    assert code == 2 and "Traceback" not in err
    assert f"the disk holding {folder} is full; free some space" in err
    monkeypatch.undo()
    with Library(folder) as library:
        assert found(library) == ["en", "fr", "it"] and len(library.articles()) == 3


def test_a_really_full_disk_during_add(tmp_path, corpus):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=700k", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        folder = disk / "library"
        assert run_process("--library", str(folder), "add", str(corpus)).returncode == 0
        big = tmp_path / "big"
        big.mkdir()
        for i in range(15):  # distinct words, so the index grows past the disk
            (big / f"b{i}.txt").write_text(f"Title {i}\n\n" + " ".join(f"w{i}x{j}" for j in range(4000)))
        index_files = sorted(p.name for p in (folder / "whoosh").iterdir())
        result = run_process("--library", str(folder), "add", str(big))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert sorted(p.name for p in (folder / "whoosh").iterdir()) == index_files  # no half segment left
        assert f"the disk holding {folder} is full" in result.stderr
        listed = run_process("--library", str(folder), "list", "--json")
        assert sorted(a["id"] for a in json.loads(listed.stdout)) == ["en", "fr", "it"]
        searched = run_process("--library", str(folder), "search", "homologue", "--json")
        assert [r["id"] for r in json.loads(searched.stdout)] == ["fr"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_busy_errors_from_sqlite_are_one_line(folder, corpus):
    """Last line of defence: a writer that bypassed the library lock (an older newsreader)."""
    import sqlite3

    other = sqlite3.connect(folder / "catalog.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        from newsreader.index import catalog

        with Library(folder) as library:
            catalog.BUSY_TIMEOUT_S, saved = 0.1, catalog.BUSY_TIMEOUT_S
            try:
                library._catalog.close()
                with pytest.raises(LibraryBusy, match="busy"):
                    library.mark(["en"], read=True)
            finally:
                catalog.BUSY_TIMEOUT_S = saved
    finally:
        other.execute("ROLLBACK")
        other.close()

"""Incremental adding, removing, pruning, and never corrupting what is already indexed."""

import json
import os
import shutil

import pytest

from newsreader.index import Library, NotFound
from newsreader.index.errors import LibraryError

EN = "The Russian president met his Iranian counterpart in Ashgabat on Friday to discuss trade and regional security."
FR = "Le président russe a rencontré son homologue iranien à Achgabat vendredi pour parler de commerce et de sécurité."
IT = "Il presidente russo ha incontrato il suo omologo iraniano ad Ashgabat venerdì per discutere di commercio e sicurezza."


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "en.txt").write_text(EN)
    (folder / "fr.txt").write_text(FR)
    (folder / "sub" / "it.md").write_text(IT)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")  # unknown types are skipped in folders
    (folder / ".hidden.txt").write_text(EN)
    return folder


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "library") as lib:
        yield lib


def state(library):
    return {a.id: (a.lang, a.title) for a in library.articles()}


def test_folder_add_is_recursive_and_idempotent(library, corpus):
    first = library.add([corpus])
    assert sorted(first.added) == ["en", "fr", "it"] and not first.problems
    assert {a.lang for a in library.articles()} == {"en", "fr", "it"}
    before = state(library)
    revision = library.revision()
    index_files = sorted(os.listdir(library.folder / "whoosh"))
    again = library.add([corpus])
    assert (again.added, again.updated, again.removed, again.unchanged) == ([], [], [], 3)
    assert state(library) == before
    assert library.revision() == revision  # nothing was committed
    assert sorted(os.listdir(library.folder / "whoosh")) == index_files  # nor rewritten


def test_touched_but_identical_file_is_unchanged_by_content_hash(library, corpus):
    library.add([corpus])
    os.utime(corpus / "en.txt", ns=(1, 1))
    report = library.add([corpus])
    assert report.updated == [] and report.unchanged == 3


def test_changed_file_replaces_its_entry(library, corpus):
    library.add([corpus])
    (corpus / "en.txt").write_text("Ceasefire talks resume in Doha\n\n" + EN.replace("Friday", "Monday"))
    report = library.add([corpus])
    assert report.updated == ["en"] and report.added == []
    assert library.get("en").title == "Ceasefire talks resume in Doha"
    assert [r.article.id for r in library.search("Monday")] == ["en"]
    assert library.search("Friday") == []
    assert len(library.articles()) == 3


def test_vanished_files_are_pruned_when_their_folder_is_added_again(library, corpus):
    library.add([corpus])
    (corpus / "fr.txt").unlink()
    report = library.add([corpus])
    assert report.removed == ["fr"]
    assert sorted(state(library)) == ["en", "it"]
    assert library.search("homologue") == []


def test_prune_forgets_missing_files_everywhere(library, corpus):
    library.add([corpus / "en.txt", corpus / "fr.txt"])
    (corpus / "en.txt").unlink()
    assert library.prune() == ["en"]
    assert sorted(state(library)) == ["fr"]


def test_remove_by_id_and_by_path(library, corpus):
    library.add([corpus])
    assert library.remove("fr") == ["fr"]
    assert library.remove(str(corpus / "sub")) == ["it"]
    assert sorted(state(library)) == ["en"]
    with pytest.raises(NotFound):
        library.remove("no-such-thing")


@pytest.mark.parametrize("sibling", ["a b", "a-b", "a.b", "a0", "ab", "aé", "a\u4e2d"])
def test_a_folder_holds_only_its_own_files_not_a_siblings_that_shares_its_name(library, tmp_path, sibling):
    # Removing or re-adding a folder finds its sources by a range of the catalog's keys:
    # "a b", "a-b" and "a.b" sort before "a/", "a0", "ab" and the rest after it.
    folder, other = tmp_path / "a", tmp_path / sibling
    (folder / "sub").mkdir(parents=True)
    other.mkdir()
    (folder / "en.txt").write_text(EN)
    (folder / "sub" / "fr.txt").write_text(FR)
    (other / "it.txt").write_text(IT)
    library.add([folder, other])
    (other / "it.txt").unlink()
    library.add([folder])  # the sibling's vanished file is not this folder's to forget
    assert sorted(state(library)) == ["en", "fr", "it"]
    assert sorted(library.remove(str(folder))) == ["en", "fr"]
    assert sorted(state(library)) == ["it"]
    assert library.stats().files == 1


def test_jsonl_edit_updates_only_the_changed_line(library, tmp_path):
    f = tmp_path / "wire.jsonl"
    rows = [{"id": f"a{i}", "text": text} for i, text in enumerate([EN, FR, IT])]
    f.write_text("\n".join(json.dumps(r) for r in rows))
    library.add([f])
    rows[1]["text"] = FR.replace("vendredi", "lundi")
    del rows[2]
    f.write_text("\n".join(json.dumps(r) for r in rows))
    report = library.add([f])
    assert (report.updated, report.removed, report.unchanged) == (["a1"], ["a2"], 1)


def test_same_file_name_in_two_folders_gets_two_ids(library, tmp_path):
    for name in ("x", "y"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "story.txt").write_text(EN if name == "x" else FR)
    report = library.add([tmp_path / "x", tmp_path / "y"])
    assert len(set(report.added)) == 2 and "story" in report.added


def test_forced_language_overrides_detection_and_short_text_is_und(library, tmp_path):
    (tmp_path / "short.txt").write_text("Putin.")
    (tmp_path / "it.txt").write_text(IT)
    library.add([tmp_path / "short.txt"])
    assert library.get("short").lang == "und"
    library.add([tmp_path / "it.txt"], lang="ES")
    assert library.get("it").lang == "es"
    library.add([tmp_path / "it.txt"])  # detection again: the file did not change, the language stays
    assert library.get("it").lang == "es"


def test_detection_is_deterministic_across_processes(tmp_path):
    import subprocess
    import sys

    code = ("from newsreader.index.language import detect; "
            "print(detect('Il presidente russo e il presidente iraniano a Ashgabat, presidente!'))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout for _ in range(3)}
    assert len(runs) == 1


def test_failure_during_commit_leaves_library_as_it_was(library, corpus, monkeypatch):
    library.add([corpus / "en.txt"])
    before = state(library)
    from newsreader.index import search_index

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(search_index.SearchIndex, "add", staticmethod(explode))
    with pytest.raises(RuntimeError):
        library.add([corpus])
    monkeypatch.undo()
    assert state(library) == before
    assert [r.article.id for r in library.search("Ashgabat")] == ["en"]
    report = library.add([corpus])  # and the library still works
    assert sorted(report.added) == ["fr", "it"]


def test_lost_or_corrupt_search_index_is_rebuilt_from_the_catalog(tmp_path, corpus):
    folder = tmp_path / "library"
    with Library(folder) as library:
        library.add([corpus])
    for name in os.listdir(folder / "whoosh"):
        (folder / "whoosh" / name).write_bytes(b"garbage")
    with Library(folder) as library:
        assert sorted(r.article.id for r in library.search("president OR président OR presidente")) == ["en", "fr", "it"]
    shutil.rmtree(folder / "whoosh")
    with Library(folder) as library:
        assert [r.article.id for r in library.search("homologue")] == ["fr"]


def test_not_a_library_is_a_clear_error(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "catalog.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(LibraryError, match="--library"):
        Library(folder)


def test_many_files_are_prepared_in_worker_processes(tmp_path, monkeypatch):
    from newsreader.index import pipeline

    folder = tmp_path / "many"
    folder.mkdir()
    texts = [EN, FR, IT]
    for i in range(60):
        (folder / f"a{i:02}.txt").write_text(texts[i % 3].replace("Ashgabat", f"Ashgabat {i}"))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 10)
    seen = []
    with Library(tmp_path / "library", workers=2) as lib:
        report = lib.add([folder], progress=lambda done, total, unit: seen.append((done, total, unit)))
        assert len(report.added) == 60 and not report.problems
        assert [s for s in seen if s[2] == pipeline.FILES][-1] == (60, 60, pipeline.FILES)
        assert seen[-1] == (0, 0, pipeline.INDEXING)
        assert {a.lang for a in lib.articles()} == {"en", "fr", "it"}


def test_large_jsonl_articles_are_prepared_in_worker_processes(tmp_path, monkeypatch):
    from newsreader.index import pipeline

    f = tmp_path / "dump.jsonl"
    texts = [EN, FR, IT]
    f.write_text("\n".join(json.dumps({"id": f"n{i}", "text": texts[i % 3] + f" ({i})"}) for i in range(150)))
    monkeypatch.setattr(pipeline, "SPLIT_FILE_BYTES", 1000)
    monkeypatch.setattr(pipeline, "CHUNK_ARTICLES", 16)
    with Library(tmp_path / "library", workers=2) as lib:
        report = lib.add([f])
        assert len(report.added) == 150 and not report.problems
        assert lib.get("n4").lang == "fr" and lib.get("n149").lang == "it"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_large_file_reports_its_articles_as_they_are_prepared_and_stored(tmp_path, monkeypatch, workers):
    from newsreader.index import pipeline

    f = tmp_path / "dump.jsonl"
    f.write_text("\n".join(json.dumps({"id": f"n{i}", "text": EN + f" ({i})"}) for i in range(150)))
    monkeypatch.setattr(pipeline, "SPLIT_FILE_BYTES", 1000)
    monkeypatch.setattr(pipeline, "CHUNK_ARTICLES", 16)
    seen = []
    with Library(tmp_path / "library", workers=workers) as lib:
        lib.add([f], progress=lambda done, total, unit: seen.append((unit, done, total)))
    units = [unit for unit, _, _ in seen]
    # files (0 of 1), then the file's articles prepared, then stored, then the views, then 1 of 1 file
    prepared = [(d, t) for u, d, t in seen if u == pipeline.ARTICLES]
    stored = [(d, t) for u, d, t in seen if u == pipeline.STORED]
    assert prepared[0] == (0, 150) and prepared[-1] == (150, 150) and len(prepared) == 11  # 10 parts of 16
    assert [d for d, _ in prepared] == sorted(d for d, _ in prepared)
    assert stored[0] == (0, 150) and stored[-1] == (150, 150) and len(stored) > 2
    assert units.index(pipeline.ARTICLES) < units.index(pipeline.STORED) < units.index(pipeline.INDEXING)
    assert seen[0] == (pipeline.FILES, 0, 1) and (pipeline.FILES, 1, 1) in seen


def test_stemming_finds_other_forms_of_a_word(library, tmp_path):
    (tmp_path / "a.txt").write_text("The presidents were meeting in Ashgabat to discuss elections and trade.")
    (tmp_path / "b.txt").write_text("Le président et les ministres se sont réunis pour discuter des élections.")
    library.add([tmp_path / "a.txt", tmp_path / "b.txt"], lang=None)
    assert [r.article.id for r in library.search("meetings")] == ["a"]
    assert [r.article.id for r in library.search("election")] == ["a"]
    assert [r.article.id for r in library.search("ministre")] == ["b"]


def test_a_second_writer_gets_a_clear_error_and_nothing_changes(library, corpus):
    library.add([corpus / "en.txt"])
    before = state(library)
    from whoosh import index as whoosh_index

    held = whoosh_index.open_dir(str(library.folder / "whoosh")).writer()  # another newsreader is adding now
    try:
        with pytest.raises(LibraryError, match="being updated by another newsreader"):
            library.add([corpus])
    finally:
        held.cancel()
    assert state(library) == before
    assert sorted(library.add([corpus]).added) == ["fr", "it"]


def test_unchanged_count_is_exact_for_multi_article_files(library, tmp_path):
    f = tmp_path / "wire.jsonl"
    f.write_text("\n".join(json.dumps({"id": f"x{i}", "text": t}) for i, t in enumerate([EN, FR, IT])))
    library.add([f])
    assert library.add([f]).unchanged == 3


def test_a_search_after_another_process_removed_and_added_a_file_finds_each_article_once(tmp_path):
    # The app keeps one Library (and its Whoosh searcher) open while another process changes
    # the library; a searcher brought up to date with Whoosh's refresh() reused the old segment
    # readers with their old deletions, and found the removed copy beside the new one.
    files = tmp_path / "files"
    files.mkdir()
    for i in range(11):
        (files / f"a{i}.txt").write_text(EN.replace("Friday", f"day {i}"))
    with Library(tmp_path / "library", workers=1) as app:
        app.add([files])
        assert len(app.find("Ashgabat")) == 11  # a searcher is open now
        with Library(tmp_path / "library", workers=1) as other:
            other.remove(str(files / "a3.txt"))
            other.add([files / "a3.txt"])
        found = [r.article.id for r in app.search("Ashgabat", limit=None)]
        assert len(app.find("Ashgabat")) == 11
        assert sorted(found) == sorted(set(found)) and len(found) == 11


def test_a_parallel_add_works_when_stderr_has_no_descriptor(tmp_path, monkeypatch):
    # The app captures sys.stderr (fileno() is -1) and adds from a worker thread (so the pool
    # uses a fork server); multiprocessing gave that -1 to its helper and every parallel add
    # there failed with "bad value(s) in fds_to_keep".
    import sys
    import threading

    from newsreader.index import pipeline

    class Captured:
        def write(self, text):
            return len(text)

        def flush(self):
            pass

        def fileno(self):
            return -1

    f = tmp_path / "dump.jsonl"
    f.write_text("\n".join(json.dumps({"id": f"n{i}", "text": EN + f" ({i})"}) for i in range(40)))
    monkeypatch.setattr(pipeline, "SPLIT_FILE_BYTES", 1000)
    monkeypatch.setattr(sys, "stderr", Captured())
    outcome = {}
    with Library(tmp_path / "library", workers=2) as lib:
        def add():
            try:
                outcome["added"] = len(lib.add([f]).added)
            except Exception as exc:  # noqa: BLE001 - the test reports it
                outcome["added"] = repr(exc)

        thread = threading.Thread(target=add)  # another thread running: the fork server is used
        thread.start()
        thread.join(120)
    assert outcome == {"added": 40}
    assert isinstance(sys.stderr, Captured)  # given back as it was


def test_the_lang_note_names_the_languages_of_the_articles_still_there(library, corpus):
    library.add([corpus])
    assert library.find("lang:de Ashgabat").notes == (
        "no article in the library is in 'de' (languages: en, fr, it)",)
    assert library.find("lang:fr Ashgabat").notes == ()
    library.remove("fr")  # the reader removed the only French article
    assert library.find("lang:fr Ashgabat").notes == (
        "no article in the library is in 'fr' (languages: en, it)",)
    library.restore("fr")
    assert library.find("lang:fr Ashgabat").notes == ()

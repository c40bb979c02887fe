"""A large add indexes in writer processes, each into a segment of its own (segment_writers.py);
the main process commits one table of contents. Whatever the path, the index must hold exactly
the visible articles, each once, with their current text."""

from __future__ import annotations

import errno
import os

import pytest

from newsreader.index import Library, LibraryError, pipeline, processes, search_view
from newsreader.index.search_index import SearchIndex

WORDS = ("harbour", "railway", "budget", "storm", "election", "bridge", "festival", "drought")


def write(folder, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def corpus(folder, count: int, tag: str = "") -> None:
    for i in range(count):
        word = WORDS[i % len(WORDS)]
        write(folder, f"{tag}{i:03}.txt", f"News {tag}{i}\n\nThe city council discussed the {word} plan on Monday; "
                                          f"item {tag}{i} of the wire reports the {word} vote.")


@pytest.fixture
def parallel(monkeypatch):
    """Make even a small add take the parallel path (worker processes prepare and index)."""
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 2)


def indexed_ids(library: Library) -> list[str]:
    """Every live document's id in the index (duplicates kept)."""
    index = library._search.index
    with index.ix.searcher() as searcher:
        return sorted(fields["id"] for fields in searcher.all_stored_fields())


def agree(library: Library) -> list[str]:
    ids = sorted(a.id for a in library.articles())
    assert indexed_ids(library) == ids, "the index and the catalog disagree"
    return ids


def test_a_large_add_is_indexed_by_the_writer_processes_not_the_main_one(tmp_path, parallel, monkeypatch):
    corpus(tmp_path / "news", 30)

    def refuse(*args, **kwargs):
        raise AssertionError("the main process indexed an article itself")

    monkeypatch.setattr(SearchIndex, "add", staticmethod(refuse))  # the writers are forked before this matters
    with Library(tmp_path / "library", workers=2) as library:
        report = library.add([tmp_path / "news"])
        assert len(report.added) == 30 and not report.problems
        monkeypatch.undo()
        assert len(agree(library)) == 30
        assert sorted(r.article.id for r in library.search("railway", limit=None)) == \
            [f"{i:03}" for i in range(30) if WORDS[i % len(WORDS)] == "railway"]
        assert [r.article.id for r in library.search('"item 7 of the wire"')] == ["007"]


def test_changed_removed_and_restored_articles_stay_right_across_parallel_adds(tmp_path, parallel, monkeypatch):
    monkeypatch.setattr(search_view, "MAX_OLD_SEGMENTS", 1)  # merge old segments at every add
    news = tmp_path / "news"
    corpus(news, 20)
    with Library(tmp_path / "library", workers=2) as library:
        library.add([news])
        write(news, "003.txt", "News 3\n\nThe council now argues about a lighthouse instead.")
        (news / "004.txt").unlink()
        corpus(news, 10, tag="b")
        report = library.add([news])
        assert report.updated == ["003"] and report.removed == ["004"] and len(report.added) == 10
        agree(library)
        assert [r.article.id for r in library.search("lighthouse")] == ["003"]
        assert "003" not in [r.article.id for r in library.search("railway", limit=None)]
        assert "004" not in [r.article.id for r in library.search('"item 4 of the wire"')]
        library.remove("005")
        write(news, "005.txt", "News 5\n\nA changed text while it was removed: the aqueduct.")
        write(news, "006.txt", "News 6\n\nThe council argues about an observatory.")
        write(news, "b001.txt", "News b1\n\nThe council argues about a planetarium.")  # in the merged segment
        corpus(news, 10, tag="c")
        report = library.add([news])  # merges the old segments in a writer while indexing
        assert report.kept_out == ["005"] and sorted(report.updated) == ["006", "b001"]
        ids = agree(library)
        assert "005" not in ids and len(ids) == 38
        assert [r.article.id for r in library.search("observatory")] == ["006"]
        assert [r.article.id for r in library.search("planetarium")] == ["b001"]
        assert "b001" not in [r.article.id for r in library.search("railway", limit=None)]
        assert library.search("aqueduct") == []
        assert library.restore("005")
        agree(library)
        assert [r.article.id for r in library.search("aqueduct")] == ["005"]
        assert len(library._search.index.ix._segments()) <= 1 + pipeline.index_writers(2) + 1
    with Library(tmp_path / "library", workers=1) as library:  # and as another process sees it
        agree(library)


def test_an_item_in_two_feed_files_of_one_add_is_indexed_once(tmp_path, parallel):
    def rss(text: str) -> str:
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
                "<link>https://news.example/</link><item><guid>urn:news:one</guid><title>Harbour reopens</title>"
                f"<link>https://news.example/one</link><description>{text}</description></item></channel></rss>")

    news = tmp_path / "news"
    write(news, "a.xml", rss("The harbour reopened on Monday after the storm damaged the old pier."))
    write(news, "b.xml", rss("The harbour reopened on Monday after the storm; a second edition with a ferry."))
    corpus(news, 4)
    with Library(tmp_path / "library", workers=2) as library:
        library.add([news])
        ids = agree(library)  # the item once, though staged twice
        assert len(ids) == 5


def test_a_full_disk_in_a_writer_process_is_named_and_the_library_is_as_before(tmp_path, parallel, monkeypatch):
    from newsreader.index.bulk_segment import BulkSegmentWriter

    corpus(tmp_path / "first", 4)
    with Library(tmp_path / "library", workers=2) as library:
        library.add([tmp_path / "first"])
    before = sorted(os.listdir(tmp_path / "library" / "whoosh"))
    corpus(tmp_path / "news", 20)

    def full(self, **fields):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(BulkSegmentWriter, "add_document", full)  # inherited by the forked writers
    with Library(tmp_path / "library", workers=2) as library:
        with pytest.raises(LibraryError, match="is full"):
            library.add([tmp_path / "news"])
        monkeypatch.undo()
        assert sorted(os.listdir(tmp_path / "library" / "whoosh")) == before  # no half segment left
        assert len(agree(library)) == 4
        assert len(library.add([tmp_path / "news"]).added) == 20
        assert len(agree(library)) == 24


def test_an_add_from_a_thread_starts_its_writers_with_a_fork_server(tmp_path, parallel):
    """The app adds from a worker thread: forking a threaded process is unsafe, so the workers
    and writers come from a fork server; the index is the same."""
    import threading

    corpus(tmp_path / "news", 12)
    with Library(tmp_path / "library", workers=2) as library:
        methods, out = [], {}

        def add() -> None:
            methods.append(processes.start_method())
            out["report"] = library.add([tmp_path / "news"])

        thread = threading.Thread(target=add)
        thread.start()
        thread.join()
        assert methods == ["forkserver"]
        assert len(out["report"].added) == 12
        assert len(agree(library)) == 12
        assert [r.article.id for r in library.search('"item 5 of the wire"')] == ["005"]

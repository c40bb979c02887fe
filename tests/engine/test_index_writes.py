"""The index is written with Whoosh's own writer (its public API), on either path of an add
(files prepared in this process or in worker processes): whatever the path, the index must hold
exactly the visible articles, each once, with their current text; a failed add leaves the
index as it was; and adds do not grow the index by a segment each."""

from __future__ import annotations

import errno
import multiprocessing
import os

import pytest

from newsreader.index import Library, LibraryError, pipeline, processes

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


def segments(library: Library) -> int:
    with library._search.index.ix.reader() as reader:
        return len(reader.segments())


def test_a_large_add_is_indexed_whole(tmp_path, parallel):
    corpus(tmp_path / "news", 30)
    with Library(tmp_path / "library", workers=2) as library:
        report = library.add([tmp_path / "news"])
        assert len(report.added) == 30 and not report.problems
        assert len(agree(library)) == 30
        assert sorted(r.article.id for r in library.search("railway", limit=None)) == \
            [f"{i:03}" for i in range(30) if WORDS[i % len(WORDS)] == "railway"]
        assert [r.article.id for r in library.search('"item 7 of the wire"')] == ["007"]


def test_changed_removed_and_restored_articles_stay_right_across_parallel_adds(tmp_path, parallel):
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
        report = library.add([news])
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
    with Library(tmp_path / "library", workers=1) as library:  # and as another process sees it
        agree(library)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_item_in_two_feed_files_of_one_add_is_indexed_once(tmp_path, monkeypatch, workers):
    def rss(text: str) -> str:
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
                "<link>https://news.example/</link><item><guid>urn:news:one</guid><title>Harbour reopens</title>"
                f"<link>https://news.example/one</link><description>{text}</description></item></channel></rss>")

    news = tmp_path / "news"
    write(news, "a.xml", rss("The harbour reopened on Monday after the storm damaged the old pier."))
    write(news, "b.xml", rss("The harbour reopened on Monday after the storm; a second edition with a ferry."))
    corpus(news, 4)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 2)  # with two workers, the parallel path
    with Library(tmp_path / "library", workers=workers) as library:
        library.add([news])
        ids = agree(library)  # the item once, though staged twice
        assert len(ids) == 5
        assert len([word for word in ("pier", "ferry") if library.search(word)]) == 1  # one edition's text


def test_a_full_disk_while_indexing_is_named_and_the_library_is_as_before(tmp_path, parallel, monkeypatch):
    from whoosh.writing import SegmentWriter

    corpus(tmp_path / "first", 4)
    with Library(tmp_path / "library", workers=2) as library:
        library.add([tmp_path / "first"])
    before = sorted(os.listdir(tmp_path / "library" / "whoosh"))
    corpus(tmp_path / "news", 20)

    written, add_document = [], SegmentWriter.add_document

    def full(self, **fields):  # the disk fills after five documents
        if len(written) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(fields["id"])
        add_document(self, **fields)

    monkeypatch.setattr(SegmentWriter, "add_document", full)
    with Library(tmp_path / "library", workers=2) as library:
        with pytest.raises(LibraryError, match="is full"):
            library.add([tmp_path / "news"])
        monkeypatch.undo()
        # The failed add's preparing workers hold the library lock's descriptor (inherited): they
        # are gone when the add returns, not when its generator is collected (the next add waited).
        assert multiprocessing.active_children() == []
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


def test_adds_do_not_grow_the_index_by_a_segment_each(tmp_path):
    """Whoosh's merge policy folds small segments together as adds commit."""
    with Library(tmp_path / "library", workers=1) as library:
        for add in range(12):
            corpus(tmp_path / f"news{add}", 3, tag=f"a{add}-")
            library.add([tmp_path / f"news{add}"])
        assert len(agree(library)) == 36
        assert segments(library) <= 5

"""The bulk segment writer writes exactly what Whoosh's own writer writes for the same
documents: every file of the segment byte for byte when it writes as Whoosh does (every
block compressed, no encoded position shared), including when old segments (with deletions)
are merged in; by default (small blocks left uncompressed, shared positions pickled once)
the same postings and statistics. So searching, ranking and later merges need not know
which wrote it."""

from __future__ import annotations

import errno
import functools
import os
import re
from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from newsreader.index import bulk_segment
from newsreader.index.analysis import index_terms
from newsreader.index.bulk_segment import BulkSegmentWriter
from newsreader.index.search_index import POSTING_COMPRESSION, SearchIndex

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LANGS = {"000": "tr", "001": "tr", "002": "tr", "003": "sq", "004": "ar"}


def documents(count: int, start: int = 0) -> list[dict]:
    """Seed paragraphs recombined into `count` documents, with every kind of field: ids, a
    date, a path, and the text fields as ready-made term lists."""
    seeds = sorted(SEEDS.glob("*.txt"))
    docs = []
    for number in range(start, start + count):
        path = seeds[number % len(seeds)]
        sentences = re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8").split("\n", 1)[1].strip())
        shift = number % len(sentences)
        sentences = sentences[shift:] + sentences[:shift]
        paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
        body = "\n\n".join(paragraphs)
        lang = LANGS[path.name[:3]]
        title = f"Report {number} " + paragraphs[0][:40]
        terms = index_terms(title, body, lang, gloss="Putin met Pezeshkian in Ashgabat" if number % 4 == 0 else None)
        date = f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}" if number % 5 else None
        docs.append({**SearchIndex.document(f"doc{number}", lang, f"Seed {lang}", str(path), date), **terms})
    return docs


def segment_files(folder: Path) -> dict[str, bytes]:
    """The files of the one newest segment, keyed by extension (the segment's name is random)."""
    index = SearchIndex(folder)
    segment = index.ix._segments()[-1]
    prefix = segment.segment_id()
    index.close()
    return {path.name[len(prefix):]: path.read_bytes() for path in folder.iterdir() if path.name.startswith(prefix)}


def write(folder: Path, writer_class, batches: list[list[dict]], delete: list[str] = (), merge: bool = False):
    """Each batch committed as a segment by Whoosh's writer, except the last, written by
    `writer_class`; `delete` ids are deleted from the old segments first, and `merge` has the
    last writer merge every old segment into its own."""
    index = SearchIndex.recreate(folder)
    codec = W3Codec(compression=POSTING_COMPRESSION)
    for batch in batches[:-1]:
        writer = SegmentWriter(index.ix, codec=codec, compound=False)
        for doc in batch:
            writer.add_document(**doc)
        writer.commit(merge=False)
    writer = writer_class(index.ix, codec=codec, compound=False)
    for article_id in delete:
        writer.delete_by_term("id", article_id)
    for doc in batches[-1]:
        writer.add_document(**doc)
    writer.commit(optimize=merge, merge=merge)
    index.close()
    return segment_files(folder)


@pytest.fixture
def every_block_compressed(monkeypatch):
    """Write as Whoosh does: every block compressed, and each posting's encoded position an
    object of its own (a shared one is pickled once in a block, by reference)."""
    import pickle

    from whoosh.system import pack_uint

    monkeypatch.setattr(bulk_segment, "SMALL_BLOCK", 0)
    monkeypatch.setattr(bulk_segment, "_ONE_POSITION", {})
    monkeypatch.setattr(bulk_segment, "_one_position", lambda position: pack_uint(1) + pickle.dumps([position], 2))


def test_a_segment_is_byte_for_byte_what_whoosh_writes(tmp_path, every_block_compressed):
    docs = documents(300)  # `putin` in 240 of them: two blocks of postings (128 a block)
    whoosh = write(tmp_path / "whoosh", SegmentWriter, [docs])
    bulk = write(tmp_path / "bulk", BulkSegmentWriter, [docs])
    assert set(bulk) == set(whoosh) and len(bulk) >= 4
    for extension in whoosh:
        assert bulk[extension] == whoosh[extension], f"the segment's {extension} file differs"


def test_merging_old_segments_with_deletions_is_byte_for_byte_whooshs(tmp_path, every_block_compressed):
    batches = [documents(40), documents(30, start=40), documents(20, start=70)]
    deleted = ["doc3", "doc41", "doc42"]
    whoosh = write(tmp_path / "whoosh", SegmentWriter, batches, delete=deleted, merge=True)
    bulk = write(tmp_path / "bulk", BulkSegmentWriter, batches, delete=deleted, merge=True)
    assert set(bulk) == set(whoosh)
    for extension in whoosh:
        assert bulk[extension] == whoosh[extension], f"the merged segment's {extension} file differs"
    index = SearchIndex(tmp_path / "bulk")
    with index.ix.searcher() as searcher:
        ids = {fields["id"] for fields in searcher.all_stored_fields()}
    index.close()
    assert len(ids) == 87 and not ids & set(deleted)


def test_a_boosted_or_string_value_goes_through_the_field_as_usual(tmp_path, every_block_compressed):
    docs = documents(10)
    docs[0]["_title_boost"] = 2.0
    docs[1]["title"] = "Putin and Pezeşkiyan in Ashgabat"  # a string: analysed by the field itself
    whoosh = write(tmp_path / "whoosh", SegmentWriter, [docs])
    bulk = write(tmp_path / "bulk", BulkSegmentWriter, [docs])
    assert bulk == whoosh


def postings(folder: Path) -> dict:
    """Every term's statistics and its postings (id, weight, value, and the statistics of the
    block holding it), decoded, of the index in `folder`."""
    index = SearchIndex(folder)
    found = {}
    with index.ix.searcher() as searcher:
        reader = searcher.reader()
        for field, term in reader.all_terms():
            info = reader.term_info(field, term)
            matcher = reader.postings(field, term)
            listed = []
            while matcher.is_active():
                listed.append((matcher.id(), matcher.weight(), matcher.value(), matcher.block_min_length(),
                               matcher.block_max_length(), matcher.block_max_weight()))
                matcher.next()
            found[field, term] = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                                  info.max_weight(), info.min_id(), info.max_id(), listed)
    index.close()
    return found


def test_by_default_the_postings_and_statistics_are_whooshs_in_less_space(tmp_path):
    docs = documents(300)
    write(tmp_path / "whoosh", SegmentWriter, [docs])
    bulk = write(tmp_path / "bulk", BulkSegmentWriter, [docs])
    assert postings(tmp_path / "bulk") == postings(tmp_path / "whoosh")
    # ... and smaller on disk: zlib made small blocks longer, and a shared position is pickled once.
    whoosh_size = sum(len(data) for data in segment_files(tmp_path / "whoosh").values())
    assert sum(len(data) for data in bulk.values()) < whoosh_size


def test_postings_written_in_two_processes_are_byte_for_byte_whooshs(tmp_path, every_block_compressed, monkeypatch):
    monkeypatch.setattr(bulk_segment, "SPLIT_MIN_TERMS", 0)
    forks, fork = [], os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or fork())
    docs = documents(300)
    whoosh = write(tmp_path / "whoosh", SegmentWriter, [docs])
    bulk = write(tmp_path / "bulk", functools.partial(BulkSegmentWriter, split=True), [docs])
    assert forks == [1]
    assert set(bulk) == set(whoosh)
    for extension in whoosh:
        assert bulk[extension] == whoosh[extension], f"the segment's {extension} file differs"
    assert not list((tmp_path / "bulk" / "MAIN.tmp").glob("*half*"))  # the helper's scratch files are gone


def test_a_failing_helper_process_is_named_and_nothing_is_committed(tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_segment, "SPLIT_MIN_TERMS", 0)
    parent, write_term = os.getpid(), bulk_segment._write_term

    def full_in_the_helper(*args):
        if os.getpid() != parent:
            raise OSError(errno.ENOSPC, "No space left on device")
        return write_term(*args)

    monkeypatch.setattr(bulk_segment, "_write_term", full_in_the_helper)
    index = SearchIndex.recreate(tmp_path / "index")
    writer = BulkSegmentWriter(index.ix, split=True, codec=W3Codec(compression=POSTING_COMPRESSION))
    for doc in documents(20):
        writer.add_document(**doc)
    with pytest.raises(RuntimeError, match="No space left on device"):
        writer.commit()
    writer.cancel()
    assert index.doc_count() == 0
    index.close()


def test_fields_it_cannot_write_are_refused(tmp_path):
    from whoosh import index as whoosh_index
    from whoosh.fields import TEXT, Schema

    ix = whoosh_index.create_in(str(tmp_path), Schema(body=TEXT(vector=True)))
    with pytest.raises(ValueError, match="term vectors"):
        BulkSegmentWriter(ix)
